"""`calendar_months_between`, `within_each_year`, `year_of` and `date_plus` in the batch query's
SQL (DuckDB), following runtime/calendar_terms.py: NULL (unknown) where a date is not given.

`calendar_sql(gen, call)` is called by compiler/batch_expr.py's `call` for these functions.
DuckDB's DATE + INTERVAL n MONTH gives the month's last day where the month has no such day
(2027-01-31 + 1 month → 2027-02-28), which is art. 202's `month_end`.
"""

from __future__ import annotations

from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.batch_sql import Sql, Unsupported, literal
from policyc.compiler.calendar_checks import (
    counts_working_days,
    given_duration_step,
    whole_duration,
)
from policyc.compiler.i18n import _
from policyc.runtime.calendar_terms import crossing


def calendar_sql(gen: Any, e: n.Call) -> Sql:
    """The call as SQL: months and years as DECIMAL(18,0), the window as a BOOLEAN, a day
    moved on as a DATE."""
    if e.func == "year_of":
        day = gen.scalar(gen.sql(e.args[0]))
        return Sql(f"CAST(year({day.v}) AS DECIMAL(18,0))", gen.strict([day]), 0, 18)
    if e.func == "date_plus":
        return _date_plus(gen, e)
    if e.func == "calendar_months_between":
        start, end = (gen.scalar(gen.sql(x)) for x in e.args)
        a, b = start.v, end.v
        months = f"((year({b}) * 12 + month({b})) - (year({a}) * 12 + month({a})))"
        return Sql(f"CAST({months} AS DECIMAL(18,0))", gen.strict([start, end]), 0, 18)
    day = gen.scalar(gen.sql(e.args[0]))
    low, high = e.args[1], e.args[2]
    assert isinstance(low, n.MonthDayLit) and isinstance(high, n.MonthDayLit)  # the checker's
    d = day.v
    here = f"(month({d}) * 100 + day({d}))"

    def bound(md: n.MonthDayLit) -> str:
        if md.day:
            return str(md.month * 100 + md.day)
        return f"({md.month * 100} + day(last_day(make_date(year({d}), {md.month}, 1))))"

    if crossing((low.month, low.day), (high.month, high.day)):
        test = f"({here} >= {bound(low)} OR {here} <= {bound(high)})"
    else:
        test = f"({here} BETWEEN {bound(low)} AND {bound(high)})"
    return Sql(f"(CASE WHEN {d} IS NULL THEN NULL ELSE {test} END)", gen.strict([day]))


def _date_plus(gen: Any, e: n.Call) -> Sql:
    """runtime.calendar_terms.date_plus: whole months under the missing-day convention (under
    `next_day` a month without the day gives the day after its last), then whole days."""
    parts = whole_duration(e.args[1])
    if parts is None and counts_working_days(e.args[1]):  # a calendar no SQL holds
        raise Unsupported(
            _("`date_plus` in 工作日 counts on the official calendar of working days")
        )
    day = gen.scalar(gen.sql(e.args[0]))
    if parts is None:  # a duration the case gives (贷款期限)
        return _date_plus_given(gen, e, day)
    months, days = parts
    moved = day.v
    if months:
        moved = f"CAST({day.v} + to_months({months}) AS DATE)"
        if gen.policy.conventions.get("missing_day", "month_end") == "next_day":
            moved = f"(CASE WHEN day({moved}) < day({day.v}) THEN {moved} + 1 ELSE {moved} END)"
    if days:
        moved = f"({moved} + {days})"
    return Sql(moved, gen.strict([day]))


def _date_plus_given(gen: Any, e: n.Call, day: Sql) -> Sql:
    """`date_plus(d, 贷款期限)`: the case's duration in whole months (days) by the same rule as
    a written one. A row whose duration is not whole or is negative stops the query (DuckDB
    `error`), and the rows are judged by the per-case path, which refuses such a case by name."""
    step = given_duration_step(gen.policy, e.args[1])
    if step is None:
        raise Unsupported(_("`date_plus` of a duration that is not written out"))
    given = gen.scalar(gen.sql(e.args[1]))
    refused = literal(_("a duration of `date_plus` that is not whole months or days"))
    count = (
        f"(CASE WHEN {given.v} < 0 OR {given.v} % {step} <> 0 THEN error({refused}) "
        f"ELSE CAST({given.v} / {step} AS INTEGER) END)"
    )
    if step == 24:
        return Sql(f"({day.v} + {count})", gen.strict([day, given]))
    moved = f"CAST({day.v} + to_months({count}) AS DATE)"
    if gen.policy.conventions.get("missing_day", "month_end") == "next_day":
        moved = f"(CASE WHEN day({moved}) < day({day.v}) THEN {moved} + 1 ELSE {moved} END)"
    return Sql(moved, gen.strict([day, given]))
