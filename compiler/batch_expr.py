"""The batch query's expressions: one emitter per node type (the dispatch table at the end),
each giving the SQL of the value (NULL when unknown) and a flag where the per-case path raises
NotApplicable; see compiler/batch.py for the query around them. Scales and dates are in
batch_scales.py, aggregates over members and `divide` in batch_households.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.batch_households import aggregate_sql, divide_sql
from policyc.compiler.batch_scales import (
    dated_sql,
    duration_sql,
    progressive_sql,
    schedule_sql,
    tiers_sql,
)
from policyc.compiler.batch_sql import (
    ON,
    Sql,
    Unsupported,
    Value,
    any_true,
    date_sql,
    decimal_sql,
    ident,
    literal,
    multiply,
    sum_width,
    union,
)
from policyc.compiler.calendar_checks import CALENDAR_FUNCS
from policyc.compiler.calendar_sql import calendar_sql
from policyc.compiler.checker import CheckedPolicy, mul_dims
from policyc.compiler.group_checks import PERIOD_FUNCS, PERSON_DIMS, as_aggregate
from policyc.compiler.i18n import _
from policyc.compiler.lookup import reads_a_value
from policyc.compiler.table_keys import key_reads, nested
from policyc.runtime.quantity import Dims, Quantity, _time_shift, parse_measure

__all__ = ["Expressions", "quotient_places"]


def quotient_places(divisor: int) -> int:
    """How many decimal places more hold every exact quotient by `divisor` (> 0): the count of
    its factors 2 or of its factors 5, whichever is larger (8 → 3: 1/8 is 0.125). A quotient
    not exact at those places is exact at none: both engines refuse it, as Quantity's exact
    context raises."""
    twos = fives = 0
    rest = divisor
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    return max(twos, fives)


class Expressions:
    """The SQL of expressions over one row of `cases` (and, inside an aggregate, of
    `members`): `sql(e)` gives a Value (a Sql, or a dict of them for a tally or table),
    raising Unsupported for what the query cannot express. Defines are generated once and
    reused; aggregates over members become columns of the `grouped` step."""

    def __init__(
        self,
        policy: CheckedPolicy,
        readings: Mapping[str, str],
        types: Mapping[str, tuple[int, int]],
        period: str = "",
    ):
        self.policy = policy
        self.readings = readings
        self.types = types
        self.period = period
        self._defines: dict[str, Sql] = {}
        # The aggregates over members, as columns of the query's `grouped` step (one row per
        # case): `SQL AS __aggK`; `in_member` is True while a member is in view (a `where`).
        self.grouped: list[str] = []
        self.aggregates: dict[str, Sql] = {}
        self.in_member = False

    # ---- dimensions (the checker's types, recomputed where the SQL needs them) ----
    def dims(self, e: n.Expr) -> Dims:
        return expr_dims(self.policy, e)

    # ---- expressions ----
    def sql(self, e: n.Expr) -> Value:
        emitter = _EMITTERS.get(type(e))
        if emitter is None:
            raise Unsupported(
                _("{node} at line {line}").format(node=type(e).__name__, line=e.span.line)
            )
        return emitter(self, e)

    @staticmethod
    def scalar(value: Value) -> Sql:
        if isinstance(value, dict):
            raise Unsupported(_("a value by enum member where one value is needed"))
        return value

    def strict(self, parts: list[Sql]) -> str | None:
        """NotApplicable from any operand: the per-case path evaluates every operand of an
        operation (an unknown one is a value, not an exception), so any of them may raise it."""
        return any_true([part.na for part in parts if part.na is not None])

    def quantity(self, e: n.QuantityLit) -> Sql:
        return decimal_sql(Quantity.of(e.number, e.measure).value)

    def percent(self, e: n.PercentLit) -> Sql:
        return decimal_sql(Decimal(e.number).scaleb(-2))

    def ref(self, e: n.Ref) -> Value:
        policy = self.policy
        people = policy.people
        if policy.member_enum(e.name) is not None:
            return Sql(literal(e.name))
        if e.name in people.member_defines:
            raise Unsupported(_("`{name}` is valued per member").format(name=e.name))
        if e.name in people.member_inputs and not self.in_member:
            raise Unsupported(
                _("input `{name}` is a member's, read outside count/sum/…").format(name=e.name)
            )
        if e.name in people.period_of and self.period != "month":
            raise Unsupported(_("input `{name}` has a value per period").format(name=e.name))
        if e.name in policy.defines:
            if self.in_member and self._reads_aggregate(policy.defines[e.name].expr):
                raise Unsupported(_("an aggregate over members inside another"))
            if e.name not in self._defines:
                self._defines[e.name] = self.scalar(self.sql(policy.defines[e.name].expr))
            return self._defines[e.name]
        if e.name in policy.tables:
            table = policy.tables[e.name]
            return {label: self.scalar(self.sql(value)) for label, value in table.rows}
        info = policy.inputs[e.name]
        kind = info.type.kind
        if kind == "keyed":
            members = policy.enums[info.type.enum]
            return {m: self.column(f"{e.name}.{m}") for m in members}
        if kind in ("series", "boolseries"):
            raise Unsupported(_("input `{name}` is a daily series").format(name=e.name))
        if kind == "quantity":
            return self.column(e.name)
        return Sql(self._qualified(e.name))

    def _qualified(self, name: str) -> str:
        """A column of `cases`, or of `members` (alias m) for a member's input."""
        if name in self.policy.people.member_inputs:
            return f"m.{ident(name)}"
        return ident(name)

    def column(self, name: str) -> Sql:
        width, scale = self.types.get(name, (38, 0))
        return Sql(self._qualified(name), scale=scale, width=width)

    def _reads_aggregate(self, expr: n.Expr, seen: frozenset[str] = frozenset()) -> bool:
        """Whether `expr` (through the defines it reads) holds an aggregate over members."""
        for node in n.walk(expr):
            if as_aggregate(node) is not None:
                return True
            if (
                isinstance(node, n.Ref)
                and node.name in self.policy.defines
                and node.name not in seen
                and self._reads_aggregate(self.policy.defines[node.name].expr, seen | {node.name})
            ):
                return True
        return False

    # ---- households (compiler/batch_households.py) ----
    def aggregate(self, e: n.Aggregate) -> Sql:
        return aggregate_sql(self, e)

    def divide_call(self, e: n.Call) -> Sql:
        return divide_sql(self, e)

    def round_call(self, e: n.Call) -> Sql:
        """`round(X, STEP, MODE)` (runtime.quantity.round_to_step): the count of steps is X ÷ STEP
        rounded to a whole number as `divide` rounds to 元 (0 places), then times STEP."""
        count = divide_sql(self, n.Call("divide", (e.args[0], e.args[1], n.Ref("元"), e.args[2])))
        step = self.scalar(self.sql(e.args[1]))
        return multiply(count, step, count.na)

    def index(self, e: n.Index) -> Sql:
        if e.more_keys:  # `安居补贴标准[学历, 档]`: a CASE per key, nested (compiler/table_keys.py)
            table = self.policy.tables[e.name]
            cells = nested(table, lambda value: self.scalar(self.sql(value)))
            keys = [
                (self.scalar(self.sql(n.Ref(k, e.span))) if reads else k)
                for k, reads in key_reads(self.policy, e)
            ]
            return self._nested_case(cells, keys)
        keyed = self.sql(n.Ref(e.name, e.span))
        if not isinstance(keyed, dict):
            raise Unsupported(_("`{name}[{key}]`").format(name=e.name, key=e.key))
        if not reads_a_value(self.policy, e):
            return keyed[e.key]
        # `救助比例[类别]`: the member each row gives (NULL, unknown, where it gives none).
        key = self.scalar(self.sql(n.Ref(e.key, e.span)))
        values = list(keyed.values())
        arms = " ".join(f"WHEN {literal(m)} THEN {v.v}" for m, v in keyed.items())
        na = any_true([t for t in (key.na, *(v.na for v in values)) if t])
        return Sql(f"(CASE {key.v} {arms} END)", na, *union(*values))

    def _nested_case(self, cells: dict[str, Any], keys: list[Sql | str]) -> Sql:
        """The value at `keys` (a member, or the SQL of a key each row gives) in nested cells."""
        key, rest = keys[0], keys[1:]
        inner = {m: (self._nested_case(v, rest) if rest else v) for m, v in cells.items()}
        if isinstance(key, str):
            return inner[key]
        values = list(inner.values())
        arms = " ".join(f"WHEN {literal(m)} THEN {v.v}" for m, v in inner.items())
        na = any_true([t for t in (key.na, *(v.na for v in values)) if t])
        return Sql(f"(CASE {key.v} {arms} END)", na, *union(*values))

    def reading_is(self, e: n.ReadingIs) -> Sql:
        return Sql("TRUE" if self.readings.get(e.reading) == e.option else "FALSE")

    def keyed(self, a: Value, b: Value, combine: Callable[[Sql, Sql], Sql]) -> Value:
        """Tables and tallies combine member by member, as runtime.ctx_amounts._keyed does."""
        if isinstance(a, dict) and isinstance(b, dict):
            return {k: combine(a[k], b[k]) for k in a if k in b}
        if isinstance(a, dict):
            return {k: combine(v, self.scalar(b)) for k, v in a.items()}
        if isinstance(b, dict):
            return {k: combine(a, v) for k, v in b.items()}
        return combine(a, b)

    def arith(self, e: n.Arith) -> Value:
        left, right = self.sql(e.left), self.sql(e.right)
        na = self.strict([self._first(left), self._first(right)])
        if e.op in "+-":
            op = e.op

            def combine(x: Sql, y: Sql) -> Sql:
                return Sql(f"({x.v} {op} {y.v})", na, max(x.scale, y.scale), sum_width(x, y))

            return self.keyed(left, right, combine)
        dl, dr = self.dims(e.left), self.dims(e.right)
        divisor = _time_shift(dl, dr, mul_dims(dl, dr))

        def product(x: Sql, y: Sql) -> Sql:
            return self.divide(multiply(x, y, na), divisor)

        return self.keyed(left, right, product)

    @staticmethod
    def _first(value: Value) -> Sql:
        """A keyed value's NotApplicable flag and unknownness are its members' (all alike)."""
        if isinstance(value, dict):
            first = next(iter(value.values()))
            return first
        return value

    def divide(self, x: Sql, divisor: int) -> Sql:
        """`x / divisor` exactly, as Quantity's exact context does; an inexact quotient is an
        error in both paths."""
        if divisor == 1:
            return x
        scale = x.scale + quotient_places(divisor)
        whole = f"CAST({x.v} * CAST('1{'0' * scale}' AS DECIMAL({scale + 1},0)) AS HUGEINT)"
        unit = decimal_sql(Decimal(1).scaleb(-scale)).v
        sql = (
            f"(CASE WHEN {whole} % {divisor} <> 0 THEN error('inexact division by {divisor}') "
            f"ELSE CAST({whole} // {divisor} AS DECIMAL(38,0)) * {unit} END)"
        )
        return Sql(sql, x.na, scale, 38)

    def of(self, e: n.Of) -> Value:
        ratio, base = self.scalar(self.sql(e.ratio)), self.sql(e.base)
        na = self.strict([ratio, self._first(base)])

        def combine(b: Sql, r: Sql) -> Sql:
            return multiply(b, r, na)

        return self.keyed(base, ratio, combine)

    def choose(self, cond: str, a: Sql, b: Sql) -> str:
        """`a` where `cond` is TRUE, `b` where FALSE, NULL where unknown; `cond` written once, so
        nested choices grow linearly, not twice per level."""
        return f"(CASE {cond} WHEN TRUE THEN {a.v} WHEN FALSE THEN {b.v} END)"

    def pick(self, e: n.Call) -> Sql:
        """`min`/`max` of two or more values: LEAST/GREATEST, NULL (unknown) when any argument
        is — SQL's LEAST skips NULLs, the per-case path does not. Members of an ordered enum
        are compared by rank, one pair at a time (the first of equals kept)."""
        args = [self.scalar(self.sql(x)) for x in e.args]
        na = self.strict(args)
        kind = self.policy.special.get(e)
        if kind is not None:
            order = self.policy.enums[kind.removeprefix("enum:")]
            op = "<=" if e.func == "min" else ">="
            chosen = args[0]
            for arg in args[1:]:
                cond = f"{self.rank(chosen.v, order)} {op} {self.rank(arg.v, order)}"
                chosen = Sql(self.choose(cond, chosen, arg), None, *union(chosen, arg))
            return Sql(chosen.v, na, chosen.scale, chosen.width)
        word = "LEAST" if e.func == "min" else "GREATEST"
        nulls = " OR ".join(f"{a.v} IS NULL" for a in args)
        listed = ", ".join(a.v for a in args)
        return Sql(f"(CASE WHEN {nulls} THEN NULL ELSE {word}({listed}) END)", na, *union(*args))

    def call(self, e: n.Call) -> Value:
        func = e.func
        aggregate = as_aggregate(e)
        if aggregate is not None:
            return self.aggregate(aggregate)
        if func == "divide":
            return self.divide_call(e)
        if func == "round":
            return self.round_call(e)
        if func in PERIOD_FUNCS:
            raise Unsupported(_("`{func}` reads another period").format(func=func))
        if func in ("amount_of", "given"):
            raise Unsupported(_("`{func}`").format(func=func))
        if func in ("months_between", "years_between"):
            return duration_sql(self, e)
        if func in CALENDAR_FUNCS:  # compiler/calendar_sql.py
            return calendar_sql(self, e)
        if func == "on_date":
            return Sql(ident(ON))
        if func == "valid_until":
            valid_until = self.policy.validity_under(self.readings)[1]
            assert valid_until is not None  # the checker requires it
            return Sql(date_sql(valid_until))
        if func == "total":
            keyed = self.sql(e.args[0])
            if not isinstance(keyed, dict):
                raise Unsupported(_("`total` of a single value"))
            members = list(keyed.values())
            na = self.strict(members[:1])
            width = max(m.width - m.scale for m in members) + len(members)
            scale = max(m.scale for m in members)
            return Sql(
                "(" + " + ".join(m.v for m in members) + ")", na, scale, min(38, width + scale)
            )
        if func in ("min", "max") and len(e.args) >= 2:
            return self.pick(e)
        raise Unsupported(_("`{func}` of a daily series").format(func=func))

    @staticmethod
    def rank(value: str, order: tuple[str, ...]) -> str:
        whens = " ".join(f"WHEN {literal(m)} THEN {i}" for i, m in enumerate(order))
        return f"(CASE {value} {whens} END)"

    def compare(self, e: n.Compare) -> Sql:
        kind = self.policy.special.get(e)
        if kind == "series":
            raise Unsupported(_("a daily series compared day by day"))
        left, right = self.scalar(self.sql(e.left)), self.scalar(self.sql(e.right))
        op = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<", "eq": "=", "ne": "<>"}[e.op]
        lv, rv = left.v, right.v
        if kind is not None:
            order = self.policy.enums[kind.removeprefix("enum:")]
            lv, rv = self.rank(lv, order), self.rank(rv, order)
        return Sql(f"({lv} {op} {rv})", self.strict([left, right]))

    def is_in(self, e: n.Is | n.In) -> Sql:
        members = (e.member,) if isinstance(e, n.Is) else e.members
        subject = self.scalar(self.sql(e.subject))
        if len(members) == 1:
            return Sql(f"({subject.v} = {literal(members[0])})", subject.na)
        return Sql(f"({subject.v} IN ({', '.join(map(literal, members))}))", subject.na)

    def _flatten(self, e: n.Expr, kind: type) -> list[n.Expr]:
        if isinstance(e, kind):
            return self._flatten(e.left, kind) + self._flatten(e.right, kind)  # type: ignore[attr-defined]
        return [e]

    def lazy(self, parts: list[Sql], stop: str) -> str | None:
        """NotApplicable from Ctx.all / Ctx.any: parts evaluated in order until one is `stop`
        (FALSE for all, TRUE for any); an unknown part does not stop them.

        One CASE walks the parts in order, so the SQL grows linearly with their number (each
        part's flag written once, not once per later part)."""
        if not any(part.na is not None for part in parts):
            return None
        whens: list[str] = []
        for part in parts:
            if part.na is not None:
                whens.append(f"WHEN {part.na} THEN TRUE")
            whens.append(f"WHEN {part.v} IS NOT DISTINCT FROM {stop} THEN FALSE")
        while whens[-1].endswith("THEN FALSE"):  # nothing after the last flag can raise it
            whens.pop()
        return f"(CASE {' '.join(whens)} ELSE FALSE END)"

    def logic(self, e: n.And | n.Or) -> Sql:
        parts = [self.scalar(self.sql(p)) for p in self._flatten(e, type(e))]
        word, stop = ("AND", "FALSE") if isinstance(e, n.And) else ("OR", "TRUE")
        return Sql("(" + f" {word} ".join(p.v for p in parts) + ")", self.lazy(parts, stop))

    def labelled(self, e: n.AnyOf | n.AllOf) -> Sql:
        parts = [self.scalar(self.sql(item.expr)) for item in e.items]
        if isinstance(e, n.AllOf):
            return Sql("(" + " AND ".join(p.v for p in parts) + ")", self.lazy(parts, "FALSE"))
        # Ctx.any_of evaluates every option (the trace lists them all), so any option raising
        # NotApplicable raises it.
        return Sql(
            "(" + " OR ".join(p.v for p in parts) + ")", any_true([p.na for p in parts if p.na])
        )

    def not_(self, e: n.Not) -> Sql:
        operand = self.scalar(self.sql(e.operand))
        return Sql(f"(NOT {operand.v})", operand.na)

    def if_(self, e: n.If) -> Value:
        cond = self.scalar(self.sql(e.cond))
        then, otherwise = self.sql(e.then), self.sql(e.otherwise)
        if cond.v in ("TRUE", "FALSE"):  # a reading: decided when the query is generated
            chosen = then if cond.v == "TRUE" else otherwise
            return chosen if cond.na is None else self._with_na(chosen, cond.na)

        def pick(a: Sql, b: Sql) -> Sql:
            terms = [t for t in (cond.na,) if t]
            if a.na:
                terms.append(f"(coalesce({cond.v}, false) AND {a.na})")
            if b.na:
                terms.append(f"(coalesce(NOT {cond.v}, false) AND {b.na})")
            return Sql(self.choose(cond.v, a, b), any_true(terms), *union(a, b))

        if isinstance(then, dict) or isinstance(otherwise, dict):
            if not (isinstance(then, dict) and isinstance(otherwise, dict)):
                raise Unsupported(_("`if` between a keyed value and a single one"))
            return {k: pick(then[k], otherwise[k]) for k in then if k in otherwise}
        return pick(then, otherwise)

    @staticmethod
    def _with_na(value: Value, na: str) -> Value:
        if isinstance(value, dict):
            return {
                k: attrs.evolve(v, na=any_true([na, *([v.na] if v.na else [])]))
                for k, v in value.items()
            }
        return attrs.evolve(value, na=any_true([na, *([value.na] if value.na else [])]))


_EMITTERS: dict[type, Callable[[Expressions, Any], Value]] = {
    n.QuantityLit: Expressions.quantity,
    n.PercentLit: Expressions.percent,
    n.BoolLit: lambda g, e: Sql("TRUE" if e.value else "FALSE"),
    n.DateLit: lambda g, e: Sql(date_sql(e.value)),
    n.Ref: Expressions.ref,
    n.Call: Expressions.call,
    n.Index: Expressions.index,
    n.ReadingIs: Expressions.reading_is,
    n.AnyOf: Expressions.labelled,
    n.AllOf: Expressions.labelled,
    n.Arith: Expressions.arith,
    n.Of: Expressions.of,
    n.Compare: Expressions.compare,
    n.Is: Expressions.is_in,
    n.In: Expressions.is_in,
    n.And: Expressions.logic,
    n.Or: Expressions.logic,
    n.Not: Expressions.not_,
    n.If: Expressions.if_,
    n.Tiers: tiers_sql,
    n.Schedule: schedule_sql,
    n.Progressive: progressive_sql,
    n.Dated: dated_sql,
    n.Aggregate: Expressions.aggregate,
}


def expr_dims(policy: CheckedPolicy, e: n.Expr) -> Dims:
    """The measure of `e`'s value as the checker typed it, recomputed where the batch needs it
    (the SQL query's casts, the numpy engine's time shift of a product): () for percentages,
    conditions, dates and enum members."""
    if isinstance(e, n.QuantityLit):
        return parse_measure(e.measure).dims
    if isinstance(e, n.Ref):
        if e.name in policy.inputs:
            return policy.inputs[e.name].type.dims
        if e.name in policy.tables:
            return expr_dims(policy, policy.tables[e.name].rows[0][1])  # a quantity or a %
        if e.name in policy.defines:
            return expr_dims(policy, policy.defines[e.name].expr)
        return ()
    if isinstance(e, n.Index):
        return expr_dims(policy, n.Ref(e.name))
    if isinstance(e, n.Arith):
        if e.op == "×":
            return mul_dims(expr_dims(policy, e.left), expr_dims(policy, e.right))
        return expr_dims(policy, e.left)
    if isinstance(e, n.Of):
        return expr_dims(policy, e.base)
    aggregate = as_aggregate(e)
    if aggregate is not None:
        if aggregate.func == "count":
            return PERSON_DIMS
        return expr_dims(policy, aggregate.subject) if aggregate.func != "any" else ()
    if isinstance(e, n.Call) and e.func == "divide":
        over = tuple((base, -power) for base, power in expr_dims(policy, e.args[1]))
        return mul_dims(expr_dims(policy, e.args[0]), over)
    if isinstance(e, n.Call) and e.func in ("min", "round", "max", "total", "first", "highest"):
        return expr_dims(policy, e.args[0])
    if isinstance(e, n.If):
        return expr_dims(policy, e.then)
    if isinstance(e, n.Tiers | n.Schedule):
        return expr_dims(policy, e.rows[0].amount)
    if isinstance(e, n.Progressive):
        return mul_dims(expr_dims(policy, e.base), expr_dims(policy, e.bands[0].rate))
    if isinstance(e, n.Dated):
        return expr_dims(policy, e.rows[0].value)
    return ()  # percentages, conditions, dates, enum members
