"""Households and periods through `policyc run POLICY --cases FILE [--members FILE]` (issue 12).

The cases file keeps one row per case: `id`, `period` (a month YYYY-MM or a year YYYY), `on`,
`received`, `description` and the household's inputs. The members file (`--members`, a policy
with a group) has one row per member: `case` (the case's `id`), `member` (the name), `role`, and
the member's inputs. An input per period takes a column per period, `月收入[2026-03]`,
`月收入[2026]` (a year), or one plain column `月收入` for the evaluated period's value; a JSON
Lines row may give a map instead, `"月收入": {"2026-03": 2400}`. The choice is the case worker's
spreadsheet: a register export has a row per person and a column per month.

Each row becomes the case file `run --case` would read (`period:`, `inputs:`, `members:`), and is
checked by the per-case code itself (cases.validate_case): the same message for the same
mistake, preceded by the file, the row and the column. Beyond it: a member whose `case` names no
case, a member named twice in one case, a column for no input. The cases evaluated for a month
then go through the batch query (tables `cases` and `members`: batch_people_sql.py; aggregates
over members as a GROUP BY); the rules it cannot hold (compiler/batch.py says why), and every
rule of a case evaluated for a year, go through the per-case runtime (CompiledPolicy.evaluate)
and are marked in the summary. The results file is the usual one, a row per case, an
`each` rule's amount the sum over its members; `members_results` gives a row per member with
each `each` rule's status and amount (written beside --out as NAME.members.SUFFIX).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import duckdb

from policyc.batch import Batch, _keys, _plain, count_refused, refused_case, result_cells
from policyc.batch_dues import create_dues, dated_targets
from policyc.batch_measures import amount_columns, holds
from policyc.batch_people_sql import load_tables
from policyc.batch_read import INEXACT, LINE, MAX_PROBLEMS, BatchError, first_line, read_format
from policyc.batch_tables import Table, blank, read_table
from policyc.batch_values import node_of
from policyc.cases import Case, Node, Where, validate_case
from policyc.compiler.batch import ON, ROW, BatchProgram, generate_batch, ident, literal
from policyc.compiler.errors import InputError, did_you_mean
from policyc.compiler.i18n import _
from policyc.compiler.user_files import replacing
from policyc.problems import Problem
from policyc.runtime.evaluation import EvaluationError
from policyc.runtime.people import PeriodPlan, period_kind, prepare

__all__ = ["CASE_COLUMNS", "MEMBER_COLUMNS", "PeopleBatch", "members_path"]

CASE_COLUMNS = ("id", "period", "on", "received", "description")
MEMBER_COLUMNS = ("case", "member", "role")
_PERIOD_COLUMN = re.compile(r"^(?P<name>.+)\[(?P<period>[^\[\]]*)\]$")
_RECEIVED = re.compile(r"[;,、\s]+")
ROLES = ("decision", "rule", "target")


@attrs.frozen
class Place:
    """Where a value came from: a file, a row (or rows, as text) and a column (None: the row)."""

    file: str
    rows: str
    column: str | None = None

    def problem(self, message: str) -> Problem:
        if self.column is None:
            text = _("row {row_0}: {exc}").format(row_0=self.rows, exc=message)
        elif "," in self.rows:
            text = _("rows {rows}, column `{field}`: {message}").format(
                rows=self.rows, field=self.column, message=message
            )
        else:
            text = _("row {row}, column `{field}`: {message}").format(
                row=self.rows, field=self.column, message=message
            )
        return Problem(text, self.file, field=self.column)


def members_path(out: Path) -> Path:
    """The members results file beside `out`: results.csv → results.members.csv."""
    return out.with_name(f"{out.stem}.members{out.suffix}")


def refuse_overwriting_inputs(out: Path, cases: Path, members: Path) -> None:
    """Neither --out nor the members results beside it may be an input file (by name, through a
    link or as another name of it); raises InputError."""
    for written in (out, members_path(out)):
        for given in (cases, members):
            try:
                same = written.exists() and given.exists() and os.path.samefile(given, written)
            except OSError:
                same = False
            if same or written.resolve() == given.resolve():
                raise InputError(
                    _(
                        "--out {out}: would write {written} over the input file {given}; write the "
                        "results elsewhere"
                    ).format(out=out, written=written, given=given)
                )


class PeopleBatch(Batch):
    """A batch of household or periodic cases: each row checked and evaluated as a case file.

    After `load_people`, `cases` holds (row, id, Case) in file order; `evaluate` fills the table
    `results` as the batch query would (so that `write` and the summary read it unchanged)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.cases: list[tuple[int, str, Case]] = []
        self._year_rows: set[int] = set()  # rows of a `period` YYYY: `year_rows`
        self._places: list[Place] = []
        self._found: list[Problem] = []
        self.member_rows: list[list[str]] = []  # row, id, member, role, then per `each` rule

    def __enter__(self) -> PeopleBatch:
        return self

    # ---- reading ----
    def load_people(self, cases_path: Path, on: date | None, members: Path | None) -> int:
        """Read and check the cases file and the members file; raises BatchError with every
        problem (at most MAX_PROBLEMS), each naming the file, the row and the column."""
        people = self.checked.people
        self.path = cases_path
        if members is not None and not people.group:
            raise InputError(
                _(
                    "--members {members}: this policy declares no group; its cases have no members"
                ).format(members=members)
            )
        if members is None and people.group:
            raise InputError(
                _(
                    "--cases {cases}: the policy's cases are households ({group}): give their "
                    "members with --members FILE, a row per member"
                ).format(cases=cases_path, group=people.group)
            )
        table = read_table(cases_path, self.con)
        household = [n for n in self.checked.inputs if n not in people.member_inputs]
        columns = self._columns(table, household, CASE_COLUMNS, member_side=False)
        if people.group and "id" not in table.columns:
            raise InputError(
                _(
                    "{path}: a column `id` is needed: the members file names each member's case "
                    "by it"
                ).format(path=cases_path)
            )
        ids: dict[str, int] = {}
        for row, cells in table.numbered():
            key = _key(cells.get("id"))
            if people.group and not key:
                self._problem(Place(str(cases_path), str(row), "id"), _("no case id"))
            elif people.group and key in ids:
                self._problem(
                    Place(str(cases_path), str(row), "id"),
                    _("case `{key}` is already on row {first}").format(key=key, first=ids[key]),
                )
            else:
                ids.setdefault(key, row)
        by_case: dict[str, dict[str, Node]] = {key: {} for key in ids}
        rows_of: dict[str, list[int]] = {key: [] for key in ids}
        if members is not None:
            self._members(read_table(members, self.con), ids, by_case, rows_of)
        for row, cells in table.numbered():
            if len(self._found) > MAX_PROBLEMS:
                break
            key = _key(cells.get("id"))
            root = self._case_node(table, row, cells, columns, on)
            if people.group and key in by_case:
                rows = ", ".join(map(str, rows_of[key]))
                place = (
                    Place(str(members), rows, "role")
                    if rows
                    else Place(str(cases_path), str(row), "id")
                )
                root.value["members"] = Node(by_case[key], self._where(place))
            try:
                where = self._where(Place(str(cases_path), str(row)))
                case = validate_case(root, self.checked, where.path)
            except InputError as exc:
                for problem in getattr(exc, "problems", None) or [Problem(str(exc))]:
                    self._found.append(self._placed(problem, row))
                continue
            if case.on is None:
                self._problem(
                    Place(str(cases_path), str(row), "on"),
                    _("no evaluation date: fill `on` or `period`, or give --on"),
                )
                continue
            self.cases.append((row, key, case))
        if self._found:
            shown = self._found[:MAX_PROBLEMS]
            if len(self._found) > MAX_PROBLEMS:
                shown.append(
                    Problem(
                        _("… and {value} more").format(
                            value=len(self._found) - MAX_PROBLEMS,
                        )
                    )
                )
            raise BatchError(shown)
        self._places.clear()  # the cells' places serve the checking only
        self.count = len(self.cases)
        self.has_id = "id" in table.columns
        ids_file = Path(self._temp.name) / "ids.csv"
        with ids_file.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([LINE, "id"])
            writer.writerows((row, _id_text(cells.get("id"))) for row, cells in table.numbered())
        self.con.execute(
            f"CREATE TABLE raw AS SELECT CAST({LINE} AS BIGINT) AS {LINE}, id FROM read_csv("
            f"{literal(str(ids_file))}, header = true, all_varchar = true)"
        )
        return self.count

    def _where(self, place: Place) -> Where:
        """A Where whose path stands for `place` (turned back into it by _placed)."""
        self._places.append(place)
        return Where(f"\x00{len(self._places) - 1}")

    def _placed(self, problem: Problem, row: int) -> Problem:
        """A problem the per-case code found, at the place of the value it names."""
        file = problem.file or ""
        if file.startswith("\x00"):
            return self._places[int(file[1:])].problem(problem.message)
        return Place(str(self.path), str(row)).problem(problem.message)

    def _problem(self, place: Place, message: str) -> None:
        self._found.append(place.problem(message))

    def _columns(
        self, table: Table, inputs: list[str], extra: tuple[str, ...], member_side: bool
    ) -> dict[str, tuple[str, str | None]]:
        """Each input column of `table`: column → (input, period or None). Problems for the
        rest."""
        people = self.checked.people
        found: dict[str, tuple[str, str | None]] = {}
        for column in table.columns:
            if column in extra:
                continue
            match = _PERIOD_COLUMN.match(column)
            name, period = (match["name"], match["period"]) if match else (column, None)
            message = ""
            if name not in inputs:
                if name in self.checked.inputs:
                    message = (
                        _("input `{name}` is the household's: give it in the cases file")
                        if member_side
                        else _("input `{name}` is per member: give it in the members file")
                    ).format(name=name)
                else:
                    message = _("no input has this name{hint}").format(
                        hint=did_you_mean(column, [*extra, *inputs])
                    )
            elif period is not None and name not in people.period_of:
                message = _("input `{name}` has one value, not one per period").format(name=name)
            elif period is not None:
                try:
                    period_kind(period)
                except ValueError as exc:
                    message = str(exc)
            if message:
                self._found.append(
                    Problem(
                        _("column `{column}`: {message}").format(column=column, message=message),
                        str(table.path),
                        field=column,
                    )
                )
                continue
            found[column] = (name, period)
        if self._found:
            raise BatchError(list(self._found))
        return found

    def _row_inputs(
        self,
        table: Table,
        row: int,
        cells: Mapping[str, Any],
        columns: Mapping[str, tuple[str, str | None]],
    ) -> dict[str, Node]:
        """A row's inputs as a case file's `inputs:` node values: one value, or periods → value."""
        given: dict[str, Node] = {}
        by_period: dict[str, dict[str, Node]] = {}
        for column, (name, period) in columns.items():
            value = cells.get(column)
            if blank(value):
                continue
            info = self.checked.inputs[name]
            where = self._where(Place(str(table.path), str(row), column))
            node = node_of(value, info.type.kind in ("series", "boolseries"), where)
            if period is None:
                given[name] = node
            else:
                by_period.setdefault(name, {})[period] = node
        for name, values in by_period.items():
            if name in given:
                column = next(c for c, (n, p) in columns.items() if n == name and p is None)
                self._problem(
                    Place(str(table.path), str(row), column),
                    _(
                        "input `{name}` is given both in `{name}` and by period: give one or the "
                        "other"
                    ).format(name=name),
                )
                continue
            first = next(iter(values.values()))
            given[name] = Node(values, first.where)
        return given

    def _case_node(
        self,
        table: Table,
        row: int,
        cells: Mapping[str, Any],
        columns: Mapping[str, tuple[str, str | None]],
        on: date | None,
    ) -> Node:
        """A row of the cases file as the case file `run --case` would read."""
        path = str(table.path)
        fields: dict[str, Node] = {}
        for key in ("on", "period"):
            if not blank(cells.get(key)):
                where = self._where(Place(path, str(row), key))
                fields[key] = node_of(cells[key], False, where)
        if "on" not in fields and "period" not in fields and on is not None:
            fields["on"] = Node(on, self._where(Place(path, str(row), "on")))
        received = cells.get("received")
        if not blank(received):
            where = self._where(Place(path, str(row), "received"))
            names = (
                [str(r) for r in received]
                if isinstance(received, list)
                else [n for n in _RECEIVED.split(str(received).strip()) if n]
            )
            fields["received"] = Node([Node(n, where, n) for n in names], where)
        fields["inputs"] = Node(
            self._row_inputs(table, row, cells, columns), self._where(Place(path, str(row)))
        )
        return Node(fields, self._where(Place(path, str(row))))

    def _members(
        self,
        table: Table,
        ids: Mapping[str, int],
        by_case: dict[str, dict[str, Node]],
        rows_of: dict[str, list[int]],
    ) -> None:
        """The members file, each row under its case (`by_case`: id → member → node)."""
        people = self.checked.people
        path = str(table.path)
        for needed in MEMBER_COLUMNS:
            if needed not in table.columns:
                raise InputError(
                    _(
                        "{path}: a column `{column}` is needed (a members file has {columns}, then "
                        "the members' inputs)"
                    ).format(path=path, column=needed, columns=", ".join(MEMBER_COLUMNS))
                )
        columns = self._columns(table, sorted(people.member_inputs), MEMBER_COLUMNS, True)
        seen: dict[tuple[str, str], int] = {}
        for row, cells in table.numbered():
            if len(self._found) > MAX_PROBLEMS:
                return
            key, name = _key(cells.get("case")), _key(cells.get("member"))
            if key not in ids:
                hint = _("`{key}`: no case has this id").format(key=key) if key else _("no case id")
                self._problem(Place(path, str(row), "case"), hint)
                continue
            if not name:
                self._problem(Place(path, str(row), "member"), _("no member name"))
                continue
            if (key, name) in seen:
                self._problem(
                    Place(path, str(row), "member"),
                    _("`{name}` is already a member of case `{key}`, on row {first}").format(
                        name=name, key=key, first=seen[key, name]
                    ),
                )
                continue
            seen[key, name] = row
            entry: dict[str, Node] = {}
            if not blank(cells.get("role")):
                role = str(cells["role"]).strip()
                entry["role"] = Node(role, self._where(Place(path, str(row), "role")), role)
            entry["inputs"] = Node(
                self._row_inputs(table, row, cells, columns), self._where(Place(path, str(row)))
            )
            by_case[key][name] = Node(entry, self._where(Place(path, str(row), "member")))
            rows_of[key].append(row)

    # ---- evaluating ----
    def year_rows(self) -> set[int]:
        """The rows whose `period` is a year (their monthly rules give the year's sum)."""
        return self._year_rows

    def evaluate(self, keep: bool = True) -> BatchProgram:
        """The cases evaluated for a month through the batch query (compiler/batch.py, over the
        tables of batch_people_sql), the rest case by case: every rule the query cannot hold
        (its `fallback` says why: paid `each` member, reading another period …) and, for a
        case evaluated for a year, every rule. `results` is the table the plain batch gives;
        the members' results of each `each` rule are kept for write_members."""
        people = self.checked.people
        plan = PeriodPlan(
            people.period_of, people.flows, people.member_inputs, dict(people.defaults)
        )
        prepared = [
            (row, key, case, prepare(case.inputs, case.on or date.min, plan))
            for row, key, case in self.cases
        ]
        monthly = [p for p in prepared if period_kind(p[3].period or "") == "month"]
        self._year_rows = {row for row, *_, inputs in prepared if len(inputs.period or "") == 4}
        whole = {
            row
            for row, _key, _case, inputs in prepared
            if period_kind(inputs.period or "") != "month"
        }
        types: dict[str, tuple[int, int]] = {}
        if monthly and self.vectorise:
            types = load_tables(
                self.con,
                Path(self._temp.name),
                self.checked,
                (
                    (row, case.on or date.min, tuple(case.received), inputs)
                    for row, _key, case, inputs in monthly
                ),
            )
        program = self._program(types)
        if not monthly or not self.vectorise:
            why = "--per-case" if not self.vectorise else _("every case is for a year")
            program = attrs.evolve(
                program,
                rules=tuple(attrs.evolve(r, fallback=r.fallback or why) for r in program.rules),
            )
        in_sql = [r for r in program.rules if not r.fallback]
        if in_sql:
            try:
                self.con.execute(f"CREATE TABLE sql_results AS {program.sql}")
            except INEXACT as exc:
                note = _("DuckDB could not evaluate exactly ({first_line_exc})").format(
                    first_line_exc=first_line(exc)
                )
                program = attrs.evolve(
                    program,
                    rules=tuple(
                        attrs.evolve(r, fallback=r.fallback or note) for r in program.rules
                    ),
                )
                in_sql = []
        self.program = program
        if whole and in_sql:
            # The summary reads "per case: every rule — NOTE".
            self.fallback_note = _("of the {count} cases evaluated for a year").format(
                count=len(whole)
            )
        rules = [r for r in program.rules if r.fallback]
        each = dict(people.each)
        out = Path(self._temp.name) / "per_case.csv"
        yearly = Path(self._temp.name) / "yearly.csv"
        with (
            self.progress.track(self.con, "per case") as tracker,
            out.open("w", encoding="utf-8", newline="") as handle,
            yearly.open("w", encoding="utf-8", newline="") as year_handle,
        ):
            writer, year_writer = csv.writer(handle), csv.writer(year_handle)
            writer.writerow([ROW, "on"] + [f"{k}{r.index}" for r in rules for k in _keys(r)])
            year_writer.writerow([ROW] + [f"{k}{r.index}" for r in in_sql for k in _keys(r)])
            for done, (row, key, case, _inputs) in enumerate(prepared, 1):
                on = case.on or date.min
                cells: list[str] = [str(row), on.isoformat()]
                if rules or each or row in whole:
                    try:
                        evaluated = self.policy.evaluate(
                            case.inputs, on, self.readings, case.received
                        )
                    except (InputError, ArithmeticError, ValueError, EvaluationError) as exc:
                        raise refused_case(self.path, self.policy, row, exc) from None
                    results = {r.info.name: r for r in evaluated if r.info.role in ROLES}
                    cells += result_cells(rules, results)
                    count_refused(self.refused, rules, results)  # a day the calendar lacks
                    if row in whole and in_sql:
                        year_writer.writerow([str(row), *result_cells(in_sql, results)])
                    self._member_results(row, key, case, results, each)
                writer.writerow(cells)
                tracker.manual = 100.0 * done / max(self.count, 1)
        self.con.execute(
            f"CREATE TABLE results AS SELECT CAST({ident(ROW)} AS BIGINT) AS {ident(ROW)}, "
            f'CAST("on" AS DATE) AS __on FROM read_csv({literal(str(out))}, header = true, '
            "all_varchar = true)"
        )
        if in_sql:
            self._merge_sql(yearly)
        if rules:
            self._merge_per_case(rules, out)
        # Targets with a deadline: each row's due on its date, as the plain batch gives them
        # (cli/batch_dues.py); the cases table exists only for the month cases, so the dates
        # are read from `results`, which holds every row's.
        self.dated = dated_targets(self.policy, program.rules)
        if self.dated:
            create_dues(self.con, self.dated, "results", self.policy.namespace.get("CALENDAR", ()))
            self._join_dues()
        return program

    def _merge_sql(self, yearly: Path) -> None:
        """The query's results (`sql_results`, the month cases) and the per-case results of
        the year cases for the same columns (`yearly`) added to `results`: a column widened
        to the decimals either side needs, never rounded."""
        columns = self.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'sql_results' ORDER BY ordinal_position"
        ).fetchall()
        self.con.execute(
            f"CREATE TEMP TABLE yearly AS SELECT * FROM read_csv({literal(str(yearly))}, "
            "header = true, all_varchar = true)"
        )
        casts = []
        for name, sql_type in columns:
            if name in (ROW, ON):
                continue
            if str(sql_type).startswith("DECIMAL"):
                scale = int(str(sql_type).rstrip(")").split(",")[1])
                given = self._one(
                    f"SELECT coalesce(max(length(regexp_extract({ident(name)}, '\\.([0-9]+)', "
                    "1))), 0) FROM yearly"
                )
                sql_type = f"DECIMAL(38,{max(scale, int(given))})"
                self.con.execute(f"ALTER TABLE sql_results ALTER {ident(name)} TYPE {sql_type}")
            casts.append(f"CAST(NULLIF({ident(name)}, '') AS {sql_type}) AS {ident(name)}")
        self.con.execute(
            f"INSERT INTO sql_results BY NAME SELECT CAST({ident(ROW)} AS BIGINT) AS "
            f"{ident(ROW)}, {', '.join(casts)} FROM yearly"
        )
        added = [ident(name) for name, _type in columns if name not in (ROW, ON)]
        self.con.execute(
            f"CREATE TABLE joined AS SELECT r.*, {', '.join('q.' + c for c in added)} "
            f"FROM results r LEFT JOIN sql_results q ON r.{ident(ROW)} = q.{ident(ROW)}"
        )
        self.con.execute("DROP TABLE results")
        self.con.execute("ALTER TABLE joined RENAME TO results")
        self.con.execute("DROP TABLE sql_results")

    def _program(self, types: Mapping[str, tuple[int, int]]) -> BatchProgram:
        """The batch query over the month cases (generate_batch with period "month"), each
        entry it cannot hold saying why in `fallback`."""
        return generate_batch(self.checked, self.readings, types, period="month")

    def _member_results(
        self, row: int, key: str, case: Case, results: Mapping[str, Any], each: Mapping[str, str]
    ) -> None:
        members = getattr(case.inputs, "members", ())
        if not each or not members:
            return
        outcomes: dict[tuple[str, str], Any] = {}
        for name in each:
            for outcome in results[name].members or ():
                outcomes[name, outcome.member] = outcome
        for member in members:
            cells = [str(row), key, member.name, member.role]
            for name in each:
                outcome = outcomes.get((name, member.name))
                cells.append("" if outcome is None else outcome.status)
                amount = "" if outcome is None else _plain(outcome.amount)
                # one measure a column (batch_measures.amount_columns): a year's sum apart
                for _measure, rows in self._amount_columns(name):
                    cells.append(amount if holds(rows, row in self._year_rows) else "")
            self.member_rows.append(cells)

    def _amount_columns(self, name: str) -> list[tuple[str, str]]:
        """The amount columns of rule `name` (batch_measures.amount_columns)."""
        assert self.program is not None
        unit = next((r.unit for r in self.program.rules if r.name == name), "")
        period = next(info.period for info in self.policy.rules if info.name == name)
        return amount_columns(unit, period, bool(self._year_rows))

    def member_columns(self) -> list[str]:
        """The members results' columns: row, id, member, role, then each `each` rule's status
        and amount."""
        assert self.program is not None
        columns = ["row", "id", "member", "role"]
        for name in dict(self.checked.people.each):
            columns.append(f"{name}.status")
            columns += [f"{name}.amount_{m}" for m, _rows in self._amount_columns(name)]
        return columns

    def write_members(self, out: Path) -> Path | None:
        """The members results beside `out` (see members_path), when the policy pays a rule
        `each` member; None otherwise."""
        if not self.checked.people.each:
            return None
        target = members_path(out)
        temp = Path(self._temp.name) / "members.csv"
        with temp.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(self.member_columns())
            writer.writerows(self.member_rows)
        options = {"csv": "FORMAT csv, HEADER", "parquet": "FORMAT parquet", "jsonl": "FORMAT json"}
        try:
            # Renamed into place once written, with `target`'s mode kept, or the umask's default.
            with replacing(target) as partial:
                self.con.execute(
                    f"COPY (SELECT * FROM read_csv({literal(str(temp))}, header = true, "
                    f"all_varchar = true)) TO {literal(str(partial))} ({options[read_format(out)]})"
                )
        except (OSError, duckdb.Error) as exc:
            raise InputError(
                _("--out {out}: cannot write there ({exc_strerror})").format(
                    out=target, exc_strerror=getattr(exc, "strerror", None) or first_line(exc)
                )
            ) from None
        return target

    def member_results(self) -> Iterator[list[str]]:
        """The members results' rows (see member_columns), in file order."""
        return iter(self.member_rows)


def _key(value: Any) -> str:
    """A case id or a name as text: a number by its own text (JSON 7 → `7`)."""
    if value is None:
        return ""
    return str(value).strip()


def _id_text(value: Any) -> str:
    return "" if blank(value) else str(value)
