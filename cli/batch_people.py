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
case, a member named twice in one case, a column for no input. Every case is then evaluated by
the per-case runtime (CompiledPolicy.evaluate): the batch query does not hold members or periods,
so every rule says so in the summary. The results file is the usual one, a row per case, an
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

from policyc.batch import Batch, _keys, _plain, decision_text
from policyc.batch_load import LINE, MAX_PROBLEMS, BatchError, first_line, read_format
from policyc.batch_tables import Table, blank, read_table
from policyc.batch_values import node_of
from policyc.cases import Case, Node, Where, validate_case
from policyc.compiler.batch import ROW, STATUSES, BatchProgram, generate_batch, ident, literal
from policyc.compiler.errors import InputError, did_you_mean
from policyc.compiler.i18n import _
from policyc.problems import Problem
from policyc.runtime.people import period_kind
from policyc.runtime.quantity import dims_text

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
    def evaluate(self, keep: bool = True) -> BatchProgram:
        """Every case through the per-case runtime; `results` as the batch query would give it,
        and the members' results of each `each` rule."""
        program = self._program()
        self.program = program
        self.fallback_note = _("households and periods are evaluated case by case")
        rules = list(program.rules)
        each = dict(self.checked.people.each)
        out = Path(self._temp.name) / "per_case.csv"
        with (
            self.progress.track(self.con, "per case") as tracker,
            out.open("w", encoding="utf-8", newline="") as handle,
        ):
            writer = csv.writer(handle)
            writer.writerow([ROW, "on"] + [f"{k}{r.index}" for r in rules for k in _keys(r)])
            for done, (row, key, case) in enumerate(self.cases, 1):
                try:
                    evaluated = self.policy.evaluate(
                        case.inputs, case.on or date.min, self.readings, case.received
                    )
                except (InputError, ArithmeticError, ValueError) as exc:
                    message = _("row {row_0}: {exc}").format(row_0=row, exc=exc)
                    raise BatchError([Problem(message, str(self.path))]) from None
                results = {r.info.name: r for r in evaluated if r.info.role in ROLES}
                cells: list[str] = [str(row), (case.on or date.min).isoformat()]
                for rule in rules:
                    result = results[rule.name]
                    cells.append(str(STATUSES.index(result.status)))
                    if rule.role == "decision":
                        cells.append(decision_text(result.value, rule.value_kind))
                        continue
                    cells.append(_plain(result.amount))
                    cells.append(_plain(result.uncapped))
                writer.writerow(cells)
                self._member_results(row, key, case, results, each)
                tracker.manual = 100.0 * done / max(self.count, 1)
        self.con.execute(
            f"CREATE TABLE results AS SELECT CAST({ident(ROW)} AS BIGINT) AS {ident(ROW)}, "
            f'CAST("on" AS DATE) AS __on FROM read_csv({literal(str(out))}, header = true, '
            "all_varchar = true)"
        )
        self._merge_per_case(rules, out)
        return program

    def _program(self) -> BatchProgram:
        """The entries of the results (as the batch query names them), every one per case; a
        rule's unit is its amount's measure as the checker found it."""
        program = generate_batch(self.checked, self.readings, {})
        dims = dict(self.checked.people.rule_dims)
        why = _("households and periods are evaluated case by case")
        rules = tuple(
            attrs.evolve(
                r,
                fallback=why,
                unit=dims_text(dims[r.name]) if r.unit and r.name in dims else r.unit,
            )
            for r in program.rules
        )
        return attrs.evolve(program, rules=rules, sql="")

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
                cells += ["", ""] if outcome is None else [outcome.status, _plain(outcome.amount)]
            self.member_rows.append(cells)

    def member_columns(self) -> list[str]:
        """The members results' columns: row, id, member, role, then each `each` rule's status
        and amount."""
        assert self.program is not None
        units = {r.name: r.unit for r in self.program.rules}
        columns = ["row", "id", "member", "role"]
        for name in dict(self.checked.people.each):
            columns += [f"{name}.status", f"{name}.amount_{units.get(name, '')}"]
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
        partial = target.with_name(f".{target.name}.tmp")  # renamed into place once written
        try:
            self.con.execute(
                f"COPY (SELECT * FROM read_csv({literal(str(temp))}, header = true, "
                f"all_varchar = true)) TO {literal(str(partial))} ({options[read_format(out)]})"
            )
            os.replace(partial, target)
        except (OSError, duckdb.Error) as exc:
            partial.unlink(missing_ok=True)
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
