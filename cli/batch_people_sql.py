"""The household batch's tables for the batch query (issue 12): `cases` and `members` in DuckDB.

Each case of a household (or periodic) batch is prepared as the per-case runtime prepares it
(runtime.people.prepare): every input per period takes its value for the evaluated period (a
year's flow spread over its months, a default where none is given), each member its values. The
cases evaluated for a month are written as the table `cases` (__row, __on, __received and each
household input: a column per input, `NAME.MEMBER` per member of a tally) and their members as the
table `members` (__row, __member, __role and each member input), typed as the query needs them
(an exact DECIMAL per quantity, wide enough for every value given). compiler/batch.py's query then
evaluates them all at once; an aggregate over members is a GROUP BY over `members`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from policyc.compiler.batch import MEMBER, ON, RECEIVED, ROLE, ROW, ident, input_columns, literal
from policyc.compiler.checker import CheckedPolicy
from policyc.runtime.people import CaseInputs
from policyc.runtime.quantity import Quantity

__all__ = ["SEPARATOR", "load_tables"]

SEPARATOR = "\x1f"  # between the names of `received` rules in one cell
_SQL_TYPES = {"bool": "BOOLEAN", "date": "DATE", "enum": "VARCHAR"}


class _Widths:
    """The DECIMAL (width, scale) each quantity column needs: the most digits after the point
    of any value, and 18 digits (64 bits) unless a value needs more (then 38)."""

    def __init__(self) -> None:
        self.scale: dict[str, int] = {}
        self.whole: dict[str, int] = {}

    def see(self, column: str, value: Decimal) -> str:
        text = format(value, "f")
        whole, _, fraction = text.lstrip("-").partition(".")
        self.scale[column] = max(self.scale.get(column, 0), len(fraction))
        self.whole[column] = max(self.whole.get(column, 1), len(whole.lstrip("0")) or 1)
        return text

    def types(self) -> dict[str, tuple[int, int]]:
        out = {}
        for column, scale in self.scale.items():
            width = 18 if self.whole[column] + scale <= 18 else 38
            out[column] = (width, scale)
        return out


def _cells(
    policy: CheckedPolicy, names: Iterable[str], values: Mapping[str, Any], widths: _Widths
) -> list[str]:
    """The cells of `names` (each input's columns, as input_columns gives them) for `values`."""
    by_input = input_columns(policy)
    cells: list[str] = []
    for name in names:
        value = values.get(name)
        kind = policy.inputs[name].type.kind
        if kind == "keyed":
            for column in by_input[name]:
                member = column[len(name) + 1 :]
                item = value.get(member) if isinstance(value, Mapping) else None
                cells.append(widths.see(column, item.value) if isinstance(item, Quantity) else "")
        elif isinstance(value, Quantity):
            cells.append(widths.see(name, value.value))
        elif isinstance(value, bool):
            cells.append("true" if value else "false")
        elif isinstance(value, date):
            cells.append(value.isoformat())
        elif value is None or kind in ("series", "boolseries"):
            cells.append("")  # a daily series is never read by the query
        else:
            cells.append(str(value))
    return cells


def _select(
    policy: CheckedPolicy, names: list[str], types: Mapping[str, tuple[int, int]]
) -> list[str]:
    """Each input column of `names`, cast from the CSV's text to its type."""
    by_input = input_columns(policy)
    out = []
    for name in names:
        kind = policy.inputs[name].type.kind
        for column in by_input[name]:
            if kind in ("quantity", "keyed"):
                width, scale = types.get(column, (18, 0))
                sql_type = f"DECIMAL({width},{scale})"
            else:
                sql_type = _SQL_TYPES.get(kind, "VARCHAR")
            quoted = ident(column)
            out.append(f"CAST(NULLIF({quoted}, '') AS {sql_type}) AS {quoted}")
    return out


def load_tables(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    policy: CheckedPolicy,
    cases: Iterable[tuple[int, date, tuple[str, ...], CaseInputs]],
) -> dict[str, tuple[int, int]]:
    """Create the tables `cases` and `members` from the prepared `cases` (row, evaluation date,
    rules received, inputs for the evaluated period); returns each quantity column's DECIMAL
    (width, scale), for generate_batch."""
    people = policy.people
    household = [n for n in policy.inputs if n not in people.member_inputs]
    members = sorted(people.member_inputs)
    by_input = input_columns(policy)
    widths = _Widths()
    cases_file, members_file = folder / "sql_cases.csv", folder / "sql_members.csv"
    with (
        cases_file.open("w", encoding="utf-8", newline="") as case_handle,
        members_file.open("w", encoding="utf-8", newline="") as member_handle,
    ):
        case_writer, member_writer = csv.writer(case_handle), csv.writer(member_handle)
        case_writer.writerow(
            [ROW, ON, RECEIVED] + [c for name in household for c in by_input[name]]
        )
        member_writer.writerow(
            [ROW, MEMBER, ROLE] + [c for name in members for c in by_input[name]]
        )
        for row, on, received, inputs in cases:
            case_writer.writerow(
                [
                    row,
                    on.isoformat(),
                    SEPARATOR.join(received),
                    *_cells(policy, household, inputs, widths),
                ]
            )
            for member in inputs.members:
                member_writer.writerow(
                    [row, member.name, member.role, *_cells(policy, members, member.values, widths)]
                )
    types = widths.types()
    received_list = (
        f"CASE WHEN coalesce({ident(RECEIVED)}, '') = '' THEN NULL "
        f"ELSE string_split({ident(RECEIVED)}, chr(31)) END AS {ident(RECEIVED)}"
    )
    case_columns = [
        f"CAST({ident(ROW)} AS BIGINT) AS {ident(ROW)}",
        f"CAST({ident(ON)} AS DATE) AS {ident(ON)}",
        received_list,
        *_select(policy, household, types),
    ]
    member_columns = [
        f"CAST({ident(ROW)} AS BIGINT) AS {ident(ROW)}",
        ident(MEMBER),
        ident(ROLE),
        *_select(policy, members, types),
    ]
    for table, file, columns in (
        ("cases", cases_file, case_columns),
        ("members", members_file, member_columns),
    ):
        con.execute(
            f"CREATE TABLE {table} AS SELECT {', '.join(columns)} FROM read_csv("
            f"{literal(str(file))}, header = true, all_varchar = true, delim = ',', "
            "quote = '\"', escape = '\"')"
        )
        file.unlink()
    return types
