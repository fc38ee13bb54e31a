"""The measure of each amount and value column of a batch's results file: the one `run`'s answer
shows, named in the column's header (`困难残疾人生活补贴.amount_元/月`, `月缴存基数.value_元/月`).

A rule `amount … per 月` gives a month's money, which the answer writes `100元（每月）` and
totals under `元/月`: its column is `amount_元/月` (`per 年`: `元/年`; paid once: `元`) — the
number is the same, only the header said 元 as if paid once. A decided quantity is held in its
stored measure (5,000元 a month as 60000 元/年, runtime/quantity.py): its column is converted,
exactly, into the measure the answer shows it in (runtime/shown_measures.py: its inputs',
else the base measure, 元/月), and kept in the stored one when a row's value is no exact
decimal of it (10 元/年 is 10/12 元 a month), as the JSON answer does (report_totals
`value_unit`).
"""

from __future__ import annotations

import contextlib
import decimal
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from policyc.compiler.batch import ROW, BatchRule, ident, literal
from policyc.people_report import TOTAL_SUFFIX
from policyc.runtime.quantity import Measure, MeasureError, dims_text, parse_measure
from policyc.runtime.shown_measures import measures_of

if TYPE_CHECKING:
    import duckdb

    from policyc.compiler.pipeline import CompiledPolicy

__all__ = [
    "YEAR_ROWS",
    "amount_columns",
    "amount_measure",
    "decision_value",
    "decision_values",
    "exact_in",
    "holds",
    "rows_sql",
    "year_rows_table",
]

# Exact or nothing: a conversion that does not end is no value of the measure.
_EXACT = decimal.Context(prec=60, traps=[decimal.Inexact, decimal.InvalidOperation])
_UDF = "policyc_exact_in"  # (stored text, factor text) → the value in the measure, or NULL


def amount_measure(unit: str, period: str) -> str:
    """The measure of a rule's amount column: its money (`unit`, 元 or 美元) and the period the
    answer gives it for (`RuleInfo.period`: "month" 元/月, "year" 元/年, else paid once 元)."""
    return unit + TOTAL_SUFFIX.get(period, "")


# The temporary table of the rows evaluated for a year (Batch.year_rows), column __row.
YEAR_ROWS = "year_rows"


def amount_columns(unit: str, period: str, year_rows: bool) -> list[tuple[str, str]]:
    """The amount columns of a rule, (measure, the rows it holds: "all", "other" or "year"):
    one column of every row; for a rule `per 月` in a batch holding rows evaluated for a year
    (`year_rows`), whose amount there is the year's sum of its months (as `run` totals it,
    每年), two — 元/月 for the other rows, 元/年 for the year's: one measure a column."""
    if period != "month" or not year_rows:
        return [(amount_measure(unit, period), "all")]
    return [(amount_measure(unit, "month"), "other"), (amount_measure(unit, "year"), "year")]


def year_rows_table(con: duckdb.DuckDBPyConnection, rows: set[int]) -> str:
    """The temporary table YEAR_ROWS of `rows` (the rows evaluated for a year) made on `con`;
    the SQL condition of a results row among them, or "" when there is none."""
    if not rows:
        return ""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {YEAR_ROWS} ({ident(ROW)} BIGINT)")
    con.executemany(f"INSERT INTO {YEAR_ROWS} VALUES (?)", [[r] for r in sorted(rows)])
    return f"{ident(ROW)} IN (SELECT {ident(ROW)} FROM {YEAR_ROWS})"


def holds(rows: str, in_year: bool) -> bool:
    """Whether a column holding `rows` (`amount_columns`) has a value in a row (`in_year`)."""
    return rows == "all" or (rows == "year") == in_year


def rows_sql(rows: str, value: str) -> str:
    """The SQL of `value` in a column holding `rows` (`amount_columns`) over the results row
    `r`: NULL in the other rows."""
    if rows == "all":
        return value
    in_year = f"r.{ident(ROW)} IN (SELECT {ident(ROW)} FROM {YEAR_ROWS})"
    return f"CASE WHEN {'' if rows == 'year' else 'NOT '}{in_year} THEN {value} END"


def exact_in(stored: str | None, factor: str) -> str | None:
    """`stored` (a decimal in the stored measure) counted in a measure of `factor` stored units,
    as plain decimal text; None for none, or when the quotient is no exact decimal."""
    if stored is None:
        return None
    try:
        with decimal.localcontext(_EXACT):
            number = Decimal(stored) / Decimal(factor)
    except (decimal.Inexact, decimal.InvalidOperation):
        return None
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def decision_value(
    con: duckdb.DuckDBPyConnection, policy: CompiledPolicy, rule: BatchRule
) -> tuple[str, str]:
    """(SQL of the value over the results row `r`, its measure's name) for a decision's value
    column `x{index}` of the table `results`: a quantity (`rule.value_kind` "quantity") in the
    measure the answer shows it in when every row's value is an exact decimal of it, else as
    stored; any other value as it is (its `value_unit`)."""
    column = f"x{rule.index}"

    def exact_everywhere(factor: str) -> bool:
        _register(con)
        ((inexact,),) = con.execute(
            f"SELECT count(*) FROM results WHERE {column} IS NOT NULL "
            f"AND {_UDF}({column}, {literal(factor)}) IS NULL"
        ).fetchall()
        return bool(inexact == 0)

    unit, factor = _measure(policy, rule, exact_everywhere)
    if factor is None:
        return f"r.{column}", unit
    return f"{_UDF}(r.{column}, {literal(factor)})", unit


def decision_values(
    policy: CompiledPolicy, rule: BatchRule, values: dict[Any, int]
) -> tuple[str, dict[Any, int]]:
    """(the measure, the values) of a decision's counted values (value text → cases) in the
    measure its column has (`decision_value`): the summary says what the results file says."""

    def exact_everywhere(factor: str) -> bool:
        return all(exact_in(str(v), factor) is not None for v in values)

    unit, factor = _measure(policy, rule, exact_everywhere)
    if factor is None:
        return unit, values
    shown: dict[Any, int] = {}
    for value, count in values.items():
        key = exact_in(str(value), factor)
        shown[key] = shown.get(key, 0) + count
    return unit, shown


def _measure(
    policy: CompiledPolicy, rule: BatchRule, exact_everywhere: Callable[[str], bool]
) -> tuple[str, str | None]:
    """(the measure's name, the factor to divide the stored value by; None: as stored) of a
    decision's values: the first measure `_shown` gives that every value is exact in."""
    if rule.value_kind != "quantity" or not rule.value_unit:
        return rule.value_unit, None
    stored = parse_measure(rule.value_unit)
    for measure in _shown(policy, rule.name, stored):
        if measure.factor == stored.factor:
            return measure.name, None
        factor = str(measure.factor / stored.factor)
        if exact_everywhere(factor):
            return measure.name, factor
    return rule.value_unit, None


def _shown(policy: CompiledPolicy, name: str, stored: Measure) -> list[Measure]:
    """The measures to try, in order: the one the answer shows `name` in (its inputs'), then
    the base measure of its dimensions (`dims_text`: 元/月)."""
    found = [m for m in measures_of(policy.view).get(name, ()) if m.dims == stored.dims]
    tried = found[:1] if len(found) == 1 else []
    with contextlib.suppress(MeasureError):
        tried.append(parse_measure(dims_text(stored.dims)))
    return [m for m in tried if m.dims == stored.dims]


def _register(con: duckdb.DuckDBPyConnection) -> None:
    """`exact_in` as the SQL function _UDF on `con`, once."""
    ((known,),) = con.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = ?", [_UDF]
    ).fetchall()
    if not known:
        # "special": exact_in sees NULL and may give NULL (an inexact value); the documented
        # string in every DuckDB since 1.x, where the stubs of 2.x name an enum instead
        special: Any = "special"
        con.create_function(
            _UDF, exact_in, ["VARCHAR", "VARCHAR"], "VARCHAR", null_handling=special
        )
