"""The batch query's households (issue 12): aggregates over a case's members and `divide`.

compiler/batch_expr.py's generator calls these for `count`/`sum`/`min`/`max`/`any`/`all` (an
n.Aggregate, or a call with one argument) and for `divide(A, B, 分, half_up)`. An aggregate is a
column of the query's `grouped` step: `cases c LEFT JOIN members m` grouped by the case, the
member's inputs read as `m."NAME"` while the `where` and the value are generated (gen.in_member).
Both follow the per-case runtime (runtime/people_ops.py) exactly, three-valued on SQL NULL.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from policyc.compiler import nodes as n
from policyc.compiler.batch_sql import Sql, Unsupported, any_true, decimal_sql, ident, literal
from policyc.compiler.group_checks import ALL_MEMBERS
from policyc.compiler.i18n import _
from policyc.runtime.amounts import CANONICAL_MODES, ROUNDING_MODES, ROUNDING_UNITS

if TYPE_CHECKING:
    from policyc.compiler.batch_expr import Expressions

__all__ = ["MEMBER", "ROLE", "aggregate_sql", "divide_sql"]

# The members table (a household batch): each member's case (__row), name, role and inputs.
MEMBER, ROLE = "__member", "__role"


def aggregate_sql(gen: Expressions, e: n.Aggregate) -> Sql:
    """runtime.people_ops.aggregate as a column of the `grouped` step (cases c LEFT JOIN
    members m, GROUP BY the case): a member whose `where` is unknown, or whose value is while
    it counts, makes count/sum/min/max unknown; `any` is true when one member meets the
    condition, `all` false when one does not, else unknown where one is unknown; min/max
    over no member is NotApplicable (a flag column beside it)."""
    if gen.in_member:
        raise Unsupported(_("an aggregate over members inside another"))
    key = repr(e)
    if key in gen.aggregates:
        return gen.aggregates[key]
    role = e.role
    if e.func in ("count", "any", "all"):  # the checker: the subject names the role
        assert isinstance(e.subject, n.Ref)
        role = e.subject.name
    inside = (
        f"m.{ident(MEMBER)} IS NOT NULL"
        if role in ("", *ALL_MEMBERS)
        else f"m.{ident(ROLE)} = {literal(role)}"
    )
    gen.in_member = True
    try:
        where = gen.scalar(gen.sql(e.where)) if e.where is not None else Sql("TRUE")
        subject = gen.scalar(gen.sql(e.subject)) if e.func in ("sum", "min", "max") else None
    finally:
        gen.in_member = False
    if where.na or (subject is not None and subject.na):
        raise Unsupported(_("a condition on members that may be not applicable"))
    w = where.v
    unknown = (
        f"(({w}) IS NULL)"
        if subject is None
        else (f"(({w}) IS NULL OR (({w}) AND ({subject.v}) IS NULL))")
    )
    missing = f"coalesce(bool_or({unknown}) FILTER (WHERE {inside}), false)"
    chosen = f"FILTER (WHERE {inside} AND ({w}))"
    k = len(gen.aggregates)
    column, flag = f"__agg{k}", f"__aggna{k}"
    na: str | None = None
    if e.func == "count":
        value = f"CAST(count(*) {chosen} AS DECIMAL(18,0))"
        value = f"CASE WHEN {missing} THEN NULL ELSE {value} END"
        scale, width = 0, 18
    elif e.func == "any":
        value = (
            f"CASE WHEN coalesce(bool_or({w}) FILTER (WHERE {inside}), false) THEN TRUE "
            f"WHEN {missing} THEN NULL ELSE FALSE END"
        )
        scale, width = 0, 1
    elif e.func == "all":
        value = (
            f"CASE WHEN coalesce(bool_or(NOT ({w})) FILTER (WHERE {inside}), false) THEN "
            f"FALSE WHEN {missing} THEN NULL ELSE TRUE END"
        )
        scale, width = 0, 1
    else:
        assert subject is not None
        if e.func == "sum":
            zero = f"CAST(0 AS DECIMAL(38,{subject.scale}))"
            value = f"coalesce(sum({subject.v}) {chosen}, {zero})"
            scale, width = subject.scale, 38
        else:
            value = f"{e.func}({subject.v}) {chosen}"
            scale, width = subject.scale, subject.width
            gen.grouped.append(f"(NOT {missing} AND count(*) {chosen} = 0) AS {ident(flag)}")
            na = ident(flag)
        value = f"CASE WHEN {missing} THEN NULL ELSE {value} END"
    gen.grouped.append(f"{value} AS {ident(column)}")
    found = Sql(ident(column), na, scale, width)
    gen.aggregates[key] = found
    return found


def divide_sql(gen: Expressions, e: n.Call) -> Sql:
    """runtime.people_ops.divide: a ÷ b exact, rounded once to the declared unit and mode
    (runtime.people.divide_rounded) on integers: unknown when either is; NotApplicable
    where the known divisor is zero."""
    a, b = (gen.scalar(gen.sql(x)) for x in e.args[:2])
    unit, mode = e.args[2], e.args[3]
    assert isinstance(unit, n.Ref) and isinstance(mode, n.Ref)
    places = ROUNDING_UNITS[unit.name]
    how = CANONICAL_MODES[ROUNDING_MODES[mode.name]]

    def whole(x: Sql, shift: int) -> str:  # x × 10^shift as an integer (exact)
        return f"CAST({x.v} * CAST('1{'0' * shift}' AS DECIMAL({shift + 1},0)) AS HUGEINT)"

    top = whole(a, a.scale)  # a = top / 10^sa, b = bottom / 10^sb
    bottom = whole(b, b.scale)
    # a ÷ b × 10^places = top × 10^(sb + places) / (bottom × 10^sa)
    num = f"({top} * CAST('1{'0' * (b.scale + places)}' AS HUGEINT))"
    den = f"({bottom} * CAST('1{'0' * a.scale}' AS HUGEINT))"
    q, r = f"(abs({num}) // abs({den}))", f"(abs({num}) % abs({den}))"
    up = {
        "half_up": f"2 * {r} >= abs({den})",
        "half_even": f"(2 * {r} > abs({den}) OR (2 * {r} = abs({den}) AND {q} % 2 = 1))",
        "up": f"{r} > 0",
        "down": "FALSE",
    }[how]
    digits = f"(sign({num}) * sign({den}) * ({q} + CASE WHEN {up} THEN 1 ELSE 0 END))"
    unit_sql = decimal_sql(Decimal(1).scaleb(-places)).v
    value = (
        f"(CASE WHEN {a.v} IS NULL OR {b.v} IS NULL OR {b.v} = 0 THEN NULL "
        f"ELSE CAST({digits} AS DECIMAL(38,0)) * {unit_sql} END)"
    )
    na = any_true(
        [x for x in (gen.strict([a, b]),) if x]
        + [f"coalesce({a.v} IS NOT NULL AND {b.v} = 0, false)"]
    )
    return Sql(value, na, places, 38)
