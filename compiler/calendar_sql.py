"""`calendar_months_between` and `within_each_year` in the batch query's SQL (DuckDB), following
runtime/calendar_terms.py: NULL (unknown) where a date is not given.

`calendar_sql(gen, call)` is called by compiler/batch_expr.py's `call` for the two functions.
"""

from __future__ import annotations

from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.batch_sql import Sql
from policyc.runtime.calendar_terms import crossing


def calendar_sql(gen: Any, e: n.Call) -> Sql:
    """The call as SQL: months as DECIMAL(18,0), the window as a BOOLEAN."""
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
