"""The batch query's scales and dates: `tiers`, `schedule`, `progressive`, `dated` and the
durations `months_between`/`years_between`, each as SQL that follows its runtime function
(runtime.scales, runtime.dates) exactly, with the NotApplicable flag where the per-case path
raises it. compiler/batch_expr.py's emitter table calls these with its generator.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from policyc.compiler import nodes as n
from policyc.compiler.batch_sql import (
    ON,
    Sql,
    Value,
    any_true,
    date_sql,
    decimal_sql,
    ident,
    is_constant,
    literal,
    multiply,
    union,
)
from policyc.compiler.calendar_checks import refuses_backwards
from policyc.compiler.i18n import _
from policyc.runtime.quantity import Quantity, _time_shift

if TYPE_CHECKING:
    from policyc.compiler.batch_expr import Expressions

__all__ = ["dated_sql", "duration_sql", "progressive_sql", "schedule_sql", "tiers_sql"]


def tiers_sql(gen: Expressions, e: n.Tiers) -> Sql:
    subject = gen.scalar(gen.sql(e.subject))
    prior = gen.scalar(gen.sql(e.prior)) if e.prior is not None else None
    rows = [
        (
            row.threshold.op,
            gen.scalar(gen.sql(row.threshold.value)),
            gen.scalar(gen.sql(row.amount)),
        )
        for row in e.rows
    ]
    # Ctx.tiers receives every operand evaluated (value, prior, then each row's threshold
    # and amount): any unknown one makes the whole unknown.
    operands = [subject, *([prior] if prior else []), *[x for _, t, a in rows for x in (t, a)]]
    ops = {"ge": ">=", "gt": ">"}

    def reached(value: Sql, i: int) -> str:
        op, threshold, _ = rows[i]
        return f"({value.v} {ops[op]} {threshold.v})"

    # Ctx.tiers raises NotApplicable when the known value reaches no row, and under the _new
    # modes when every row it reaches the known prior had reached (NULL: unknown, not NA).
    thresholds = _constants([row.threshold.value for row in e.rows])
    if thresholds is not None:
        none_reached = _none_reached(gen, e, subject, prior, thresholds)
    else:
        reaches = " OR ".join(reached(subject, i) for i in range(len(rows)))
        none_reached = f"(NOT ({reaches}))"
        if prior is not None:
            new = " OR ".join(
                f"({reached(subject, i)} AND NOT {reached(prior, i)})" for i in range(len(rows))
            )
            known = f"{subject.v} IS NOT NULL AND {prior.v} IS NOT NULL"
            none_reached = f"({none_reached} OR ({known} AND NOT ({new})))"
    na = any_true([x for x in (gen.strict(operands), f"coalesce({none_reached}, false)") if x])

    zero = "CAST(0 AS DECIMAL(1,0))"
    last = range(len(rows) - 1, -1, -1)
    if e.mode == "highest":
        body = "CASE " + " ".join(f"WHEN {reached(subject, i)} THEN {rows[i][2].v}" for i in last)
    elif e.mode == "each":
        body = " + ".join(
            f"(CASE WHEN {reached(subject, i)} THEN {rows[i][2].v} ELSE {zero} END)"
            for i in range(len(rows))
        )
    elif e.mode == "highest_new":
        assert prior is not None
        body = "CASE " + " ".join(
            f"WHEN {reached(subject, i)} THEN (CASE WHEN {reached(prior, i)} THEN {zero} "
            f"ELSE {rows[i][2].v} END)"
            for i in last
        )
    else:  # each_new
        assert prior is not None
        body = " + ".join(
            f"(CASE WHEN {reached(subject, i)} AND NOT {reached(prior, i)} THEN {rows[i][2].v} "
            f"ELSE {zero} END)"
            for i in range(len(rows))
        )
    if body.startswith("CASE "):
        body += f" ELSE {zero} END"
    known = " OR ".join(f"{x.v} IS NULL" for x in operands if not is_constant(x))
    amounts = [a for _, _, a in rows]
    scale, width = union(*amounts)
    if e.mode in ("each", "each_new"):  # a sum of the rows
        width = min(38, width + len(rows))
    return Sql(f"(CASE WHEN {known} THEN NULL ELSE ({body}) END)", na, scale, width)


def _constants(exprs: list[n.Expr]) -> list[Decimal] | None:
    """The values of `exprs` when every one is a number written in the policy, else None."""
    values = []
    for expr in exprs:
        if not isinstance(expr, n.QuantityLit):
            return None
        values.append(Quantity.of(expr.number, expr.measure).value)
    return values


def _none_reached(
    gen: Expressions, e: n.Tiers, subject: Sql, prior: Sql | None, thresholds: list[Decimal]
) -> str:
    """tiers_sql's NotApplicable test (before coalesce) where every threshold is a number:
    the rows a value reaches are then the first ones in the order of (threshold, `>` after
    `>=`), so it reaches none when it is below the lowest of each kind, and reaches no row the
    prior had not reached when the prior reaches the highest row the value reaches. Two
    comparisons and a CASE instead of three per row; NULL where the value is unknown, as the
    OR of every row's comparison is."""
    ops = {"ge": ">=", "gt": ">"}
    x = subject.v
    lowest = []
    for op in ("ge", "gt"):
        edges = [t for row, t in zip(e.rows, thresholds, strict=True) if row.threshold.op == op]
        if edges:
            lowest.append(f"{x} {ops[op]} {decimal_sql(min(edges)).v}")
    none = f"(NOT ({' OR '.join(lowest)}))"
    if prior is None:
        return none
    order = sorted(
        zip(thresholds, (row.threshold.op for row in e.rows), strict=True),
        key=lambda pair: (pair[0], pair[1] == "gt"),
        reverse=True,
    )
    # Every value reaching a row here reaches at least one: the CASE finds the highest.
    had = " ".join(
        f"WHEN {x} {ops[op]} {decimal_sql(t).v} THEN {prior.v} {ops[op]} {decimal_sql(t).v}"
        for t, op in order
    )
    return (
        f"(CASE WHEN {x} IS NULL THEN NULL WHEN {none} THEN TRUE "
        f"WHEN {prior.v} IS NULL THEN FALSE ELSE (CASE {had} END) END)"
    )


def schedule_sql(gen: Expressions, e: n.Schedule) -> Sql:
    anchor = gen.scalar(gen.sql(e.anchor))
    on = ident(ON)
    # runtime.dates.year_of_operation: completed months from the anchor (民法典 art. 202:
    # a month without the corresponding day ends on its last day), // 12 + 1.
    a = anchor.v
    months = (
        f"((year({on}) - year({a})) * 12 + month({on}) - month({a}) - "
        f"(CASE WHEN least(day({a}), day(last_day({on}))) > day({on}) THEN 1 ELSE 0 END))"
    )
    year = f"(CASE WHEN {on} < {a} THEN NULL ELSE {months} // 12 + 1 END)"
    rows = [(r.first, r.last, gen.scalar(gen.sql(r.amount))) for r in e.rows]
    picks = " ".join(f"WHEN {year} BETWEEN {f} AND {last} THEN {x.v}" for f, last, x in rows)
    value = f"(CASE WHEN {a} IS NULL THEN NULL {picks} END)"
    # NotApplicable: the anchor is known and its year is in no row, or the row's amount
    # raises it.
    matched = " OR ".join(f"coalesce({year} BETWEEN {f} AND {last}, false)" for f, last, _ in rows)
    terms = [t for t in (anchor.na,) if t]
    terms.append(f"({a} IS NOT NULL AND NOT ({matched}))")
    for f, last, x in rows:
        if x.na:
            terms.append(
                f"({a} IS NOT NULL AND coalesce({year} BETWEEN {f} AND {last}, false) AND {x.na})"
            )
    return Sql(value, any_true(terms), *union(*(x for _, _, x in rows)))


def progressive_sql(gen: Expressions, e: n.Progressive) -> Sql:
    """runtime.scales.progressive: Σ rate × the part of the base inside each band, exact on
    DECIMAL; NotApplicable (the flag) where the known base lies in no band."""
    base = gen.scalar(gen.sql(e.base))
    rows = [
        (
            b.threshold.op,
            gen.scalar(gen.sql(b.threshold.value)),
            gen.scalar(gen.sql(b.rate)),
        )
        for b in e.bands
    ]
    operands = [base, *[x for _, edge, rate in rows for x in (edge, rate)]]
    zero = Sql("CAST(0 AS DECIMAL(1,0))", None, 0, 1)
    # The bands as runtime.scales.bands builds them: (lower, whether it holds its lower
    # edge, upper or None, whether it holds its upper edge, rate).
    spans: list[tuple[Sql, bool, Sql | None, bool, Sql]] = []
    if rows[0][0] in ("ge", "gt"):
        for i, (op_name, edge, rate) in enumerate(rows):
            after = rows[i + 1] if i + 1 < len(rows) else None
            spans.append(
                (
                    edge,
                    op_name == "ge",
                    after[1] if after else None,
                    after is not None and after[0] == "gt",
                    rate,
                )
            )
    else:
        lower, lower_included = zero, True
        for op_name, edge, rate in rows:
            if op_name in ("le", "lt"):
                spans.append((lower, lower_included, edge, op_name == "le", rate))
                lower, lower_included = edge, op_name == "lt"
            else:  # the open top band; an edge both words include stays below
                spans.append((edge, op_name == "ge" and not spans[-1][3], None, False, rate))

    def holds(lower: Sql, low_in: bool, upper: Sql | None, up_in: bool) -> str:
        above = f"{base.v} {'>=' if low_in else '>'} {lower.v}"
        if upper is None:
            return f"({above})"
        return f"({above} AND {base.v} {'<=' if up_in else '<'} {upper.v})"

    # Band.holds for each band: a known base that no band holds is not applicable.
    outside = "NOT (" + " OR ".join(holds(lo, li, up, ui) for lo, li, up, ui, _ in spans) + ")"
    divisor = _time_shift(gen.dims(e.base), gen.dims(e.bands[0].rate), gen.dims(e))
    terms: list[Sql] = []
    for bottom, _low, ceiling, _high, rate in spans:
        top = base.v if ceiling is None else f"least({base.v}, {ceiling.v})"
        parts: list[Sql] = [base, bottom, *([ceiling] if ceiling is not None else [])]
        scale = max(p.scale for p in parts)
        width = min(38, max(p.width - p.scale for p in parts) + scale + 1)
        # Band.part: the base above the band's lower edge, up to its upper one, never below 0.
        part = Sql(
            f"(CASE WHEN {top} > {bottom.v} THEN {top} - {bottom.v} ELSE 0 END)",
            None,
            scale,
            width,
        )
        terms.append(gen.divide(multiply(part, rate, None), divisor))
    scale = max(t.scale for t in terms)
    width = min(38, max(t.width - t.scale for t in terms) + scale + len(terms))
    known = " OR ".join(f"{x.v} IS NULL" for x in operands if not is_constant(x))
    body = " + ".join(t.v for t in terms)
    value = f"(CASE WHEN {known} THEN NULL ELSE ({body}) END)" if known else f"({body})"
    na = any_true([x for x in (gen.strict(operands), f"coalesce({outside}, false)") if x])
    return Sql(value, na, scale, width)


def dated_sql(gen: Expressions, e: n.Dated) -> Value:
    """runtime.scales.dated: the value of the latest row starting on or before the day (the
    evaluation date, or `on`); NotApplicable where the known day is before the first row."""
    day = gen.scalar(gen.sql(e.on)) if e.on is not None else Sql(ident(ON))
    rows = [(r.start, gen.scalar(gen.sql(r.value))) for r in e.rows]
    picks = " ".join(
        f"WHEN {day.v} >= {date_sql(start)} THEN {value.v}" for start, value in reversed(rows)
    )
    value = f"(CASE WHEN {day.v} IS NULL THEN NULL {picks} END)"
    terms = [t for t in (day.na,) if t]
    terms.append(f"coalesce({day.v} < {date_sql(rows[0][0])}, false)")
    for i, (start, row) in enumerate(rows):
        if row.na:  # only the row in force is evaluated, so only its flag counts
            until = f" AND {day.v} < {date_sql(rows[i + 1][0])}" if i + 1 < len(rows) else ""
            terms.append(f"(coalesce({day.v} >= {date_sql(start)}{until}, false) AND {row.na})")
    return Sql(value, any_true(terms), *union(*(x for _, x in rows)))


def duration_sql(gen: Expressions, e: n.Call) -> Sql:
    """runtime.dates.completed_months in SQL: the months between the two dates' months, less
    one when the last is not complete on the end day; `years_between` is that // 12, in
    months (the base of 月 and 年). An end date before the start raises in DuckDB (an
    InvalidInputException: the caller judges every row case by case, which refuses it)."""
    start, end = (gen.scalar(gen.sql(x)) for x in e.args)
    a, b = start.v, end.v
    if gen.policy.conventions.get("missing_day", "month_end") == "month_end":
        # 民法典 art. 202: a month without the start's day ends on its last day.
        short = f"least(day({a}), day(last_day({b}))) > day({b})"
    else:  # next_day: such a month is complete only the day after
        short = f"day({a}) > day({b})"
    raw = (
        f"((year({b}) - year({a})) * 12 + month({b}) - month({a}) - "
        f"(CASE WHEN {short} THEN 1 ELSE 0 END))"
    )
    # An end before the start makes the case inconsistent (runtime.dates.check_order): DuckDB
    # stops, and the rows are judged by the per-case path, which refuses such a case by name.
    backwards = literal(_("a duration between dates whose end comes before its start"))
    if refuses_backwards(e):
        months = f"(CASE WHEN {b} < {a} THEN error({backwards}) ELSE {raw} END)"  # NULL stays
    else:
        months = f"(CASE WHEN {raw} < 0 THEN 0 ELSE {raw} END)"  # NULL (unknown) stays NULL
    if e.func == "years_between":
        months = f"({months} // 12 * 12)"
    return Sql(f"CAST({months} AS DECIMAL(18,0))", gen.strict([start, end]), 0, 18)
