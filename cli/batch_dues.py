"""A batch's targets with a deadline: per row, in progress or overdue, and the deadline in view.

A target's due depends on its deadline and the evaluation date alone (runtime/deadlines.py), never
on the row's inputs: it is worked out once per distinct date of the cases, in Python with the
official calendar of 顺延 (runtime/workdays.py), into the table `dues`, and joined to `results` by
date. Per target i with a `by`: dd{i} the due (in_progress, overdue, standing, or unknown when
顺延 needs a day the calendar does not know), dl{i} the day in view (YYYY-MM-DD, moved by 顺延)
and df{i} the day as written when 顺延 moved it. A target met has no due: the output and the
summary read these columns only where the status is not met or not reported, as `run` does.
The numpy engine leaves such a policy to DuckDB (compiler/batch_vector_rules.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from policyc.compiler.batch import ON, STATUSES, BatchRule, ident, literal
from policyc.runtime import deadlines, workdays

if TYPE_CHECKING:
    import duckdb

    from policyc.compiler.pipeline import CompiledPolicy

DUES = deadlines.DUES  # RuleResult.due's words, in order
MET = STATUSES.index("met")  # a target's status code in s{i}


def dated_targets(policy: CompiledPolicy, rules: Sequence[BatchRule]) -> list[tuple[int, str]]:
    """(index, RuleInfo.deadline code) of each target of `rules` with a `by` deadline."""
    return [
        (rule.index, policy.rules[rule.index].deadline)
        for rule in rules
        if rule.role == "target" and policy.rules[rule.index].deadline
    ]


def create_dues(
    con: duckdb.DuckDBPyConnection,
    targets: list[tuple[int, str]],
    dated: str = "cases",
    calendar: workdays.PlainNotices = (),
) -> None:
    """The table `dues` (__on, then dd{i}, dl{i}, df{i} per target): each distinct evaluation
    date of the table `dated` (`cases`; the households batch's `results`, cli/batch_people.py),
    with each target's due on it (deadlines.due_of), 顺延 over the working-day calendar with the
    project's notices `calendar` (the generated module's `CALENDAR`, runtime/workdays.using)."""
    token = workdays.using(calendar)
    try:
        _fill_dues(con, targets, dated)
    finally:
        workdays.done(token)


def _fill_dues(con: duckdb.DuckDBPyConnection, targets: list[tuple[int, str]], dated: str) -> None:
    found = con.execute(f"SELECT DISTINCT {ident(ON)} FROM {ident(dated)}").fetchall()
    days = [row[0] for row in found]
    columns = [f"{ident(ON)} DATE"]
    for index, _code in targets:
        columns += [f"dd{index} VARCHAR", f"dl{index} VARCHAR", f"df{index} VARCHAR"]
    con.execute(f"CREATE OR REPLACE TEMP TABLE dues ({', '.join(columns)})")
    rows = []
    for day in days:
        row: list[object] = [day]
        for _index, code in targets:
            due, deadline, moved_from = deadlines.due_of(code, day)
            row += [due, deadline or None, moved_from or None]
        rows.append(row)
    if rows:
        marks = ", ".join("?" * len(columns))
        con.executemany(f"INSERT INTO dues VALUES ({marks})", rows)


def joined(relation: str, targets: list[tuple[int, str]]) -> str:
    """`relation` (the results, a table or a parenthesised query) with each target's dd, dl
    and df columns of its row's date, as a relation named `results`."""
    picked = ", ".join(f"d.{k}{index}" for index, _code in targets for k in ("dd", "dl", "df"))
    return (
        f"(SELECT r.*, {picked} FROM {relation} r "
        f"LEFT JOIN dues d ON d.{ident(ON)} = r.{ident(ON)}) AS results"
    )


def output_columns(rule: BatchRule, targets: list[tuple[int, str]]) -> list[str]:
    """The output's columns of a target with a deadline (none for another entry), read from
    the alias `r`: NAME.due, NAME.deadline and, where 顺延 may move it, NAME.postponed_from;
    empty where the target is met."""
    code = dict(targets).get(rule.index)
    if code is None:
        return []
    i, unmet = rule.index, f"r.s{rule.index} <> {MET}"
    columns = [
        f"CASE WHEN {unmet} THEN r.dd{i} END AS {ident(rule.name + '.due')}",
        f"CASE WHEN {unmet} THEN r.dl{i} END AS {ident(rule.name + '.deadline')}",
    ]
    if deadlines.postponed(code):
        columns.append(
            f"CASE WHEN {unmet} THEN r.df{i} END AS {ident(rule.name + '.postponed_from')}"
        )
    return columns


def due_aggregates(index: int) -> list[str]:
    """The summary's counts of target `index` not met or not reported, per due (DUES)."""
    unmet = f"s{index} <> {MET}"
    return [f"count_if({unmet} AND dd{index} = {literal(due)})" for due in DUES]
