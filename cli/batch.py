"""`policyc run POLICY --cases FILE`: many cases at once, through the batch query.

A case file is CSV, JSON Lines or Parquet, one case per row: a column per input (a tally one
column per member, `参展次数.省内`), and optionally `on` (else --on), `received` (rule names
separated by `;`, `,` or `、`) and `id` (copied to the results). Every value is read exactly as a
case file reads it, by the per-case code itself (cases._value) wherever SQL could differ: a CSV
cell (or a Parquet string) as the same text written unquoted in a YAML case, JSON values as a
JSON case holds them, Parquet numbers, booleans and dates as themselves (a double by its
shortest text, never as binary float money). A daily series is a JSON list, or in a CSV cell its
values separated by `;`. An empty cell is an input not given. Every value is checked before
anything is evaluated; problems name the row and column, and after MAX_PROBLEMS the rest is not
checked.

The compiler generates the query (compiler/batch.py) and DuckDB runs it; rules it cannot express
are evaluated case by case with the per-case path, and the summary says which. Results go to
`--out` (CSV, Parquet or JSON Lines by suffix, never the cases file itself): a row per case, per
rule the status and the amounts as exact decimal text in the column's unit.

A policy with a group or inputs per period (issue 12) goes through batch_people.py instead: its
members in a second file (`--members`), a column per period (`月收入[2026-03]`), every row
checked and evaluated as a case file.
"""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import attrs

from policyc.batch_dues import create_dues, dated_targets, joined, output_columns
from policyc.batch_load import CaseLoader
from policyc.batch_measures import amount_columns, decision_value, rows_sql, year_rows_table
from policyc.batch_progress import Progress
from policyc.batch_read import INEXACT, LINE, BatchError, first_line, read_format
from policyc.batch_reasons import reason_sql, result_reason
from policyc.batch_summary import summarise, summary_json, summary_text
from policyc.batch_values import SERIES_SEPARATOR
from policyc.cases import reading_problem
from policyc.compiler.batch import (
    ON,
    RECEIVED,
    ROW,
    STATUSES,
    BatchProgram,
    BatchRule,
    generate_batch,
    ident,
    input_columns,
    literal,
    plain_decimal_text,
)
from policyc.compiler.errors import InputError
from policyc.compiler.i18n import _
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.compiler.user_files import replacing
from policyc.problems import Problem
from policyc.runtime.dates import parse_iso_date
from policyc.runtime.evaluation import EvaluationError
from policyc.runtime.quantity import Quantity, declared_measures

__all__ = ["Batch", "BatchError", "read_format", "run_batch"]

EXIT_OK, EXIT_REFUSED = 0, 1  # 1: a part refused (cli.py's EXIT_FAILED for `run`)
ROLES = ("decision", "rule", "target")  # the results a batch gives, per case


class Batch(CaseLoader):
    """One batch run: the case file loaded into DuckDB and checked (CaseLoader), evaluated,
    written, summed."""

    def __init__(
        self,
        policy: CompiledPolicy,
        readings: Mapping[str, str] | None = None,
        progress: Progress | None = None,
        vectorise: bool = True,
    ):
        super().__init__(policy.checked, progress or Progress(False))
        self.policy = policy
        self.readings = dict(policy.namespace["READINGS"])
        self.readings.update(readings or {})
        self.vectorise = vectorise
        self.program: BatchProgram | None = None
        self.dated: list[tuple[int, str]] = []  # targets with a deadline (cli/batch_dues.py)
        # rule → rows the per-case path refused it in: a day the official calendar of working
        # days does not know (`date_plus(d, N 工作日)`); the row's other results are given
        self.refused: dict[str, int] = {}
        self.fallback_note = ""
        # What the summary reads: the table `results`, or the query itself where nothing else
        # reads its rows (DuckDB binds a view's query when it is created, then again when read).
        self.results = "results"

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- evaluating ----
    def evaluate(self, keep: bool = True) -> BatchProgram:
        """Defines `results`: the batch query, then the rules it leaves to the per-case path.

        With `keep` (results to write) it is a table; without, the query that the summary reads
        in its one pass (`self.results`). If DuckDB cannot evaluate the query exactly (a number
        past 38 digits), every rule is evaluated case by case instead: slower, never different."""
        program = generate_batch(self.checked, self.readings, self.types)
        if not self.vectorise:
            program = attrs.evolve(
                program,
                rules=tuple(attrs.evolve(r, fallback="--per-case") for r in program.rules),
                sql=f"SELECT {ident(ROW)}, {ident(ON)} FROM cases",
            )
        self.program = program
        self.dated = dated_targets(self.policy, program.rules)
        if self.dated:  # each target's due on each evaluation date (cli/batch_dues.py)
            create_dues(self.con, self.dated, calendar=self.policy.namespace.get("CALENDAR", ()))
        fallback = [r for r in program.rules if r.fallback]
        if not keep and not fallback:
            self.results = f"({program.sql}) AS results"
            if self.dated:
                self.results = joined(f"({program.sql})", self.dated)
            return program
        with self.progress.track(self.con, "evaluating"):
            try:
                self.con.execute(f"CREATE TABLE results AS {program.sql}")
            except INEXACT as exc:
                return self.all_per_case(exc)
        if fallback:
            self._per_case(fallback)
        self._join_dues()
        return program

    def _join_dues(self) -> None:
        """The table `results` given each dated target's due columns of its row's date."""
        if self.dated:
            self.con.execute(f"CREATE TABLE dued AS SELECT * FROM {joined('results', self.dated)}")
            self.con.execute("DROP TABLE results")
            self.con.execute("ALTER TABLE dued RENAME TO results")

    def all_per_case(self, exc: Exception) -> BatchProgram:
        assert self.program is not None
        self.fallback_note = _("DuckDB could not evaluate exactly ({first_line_exc})").format(
            first_line_exc=first_line(exc),
        )
        rules = tuple(attrs.evolve(r, fallback=self.fallback_note) for r in self.program.rules)
        self.program = attrs.evolve(self.program, rules=rules)
        kind = self._one(
            "SELECT count(*) FROM duckdb_views() WHERE view_name = 'results' AND NOT internal"
        )
        self.con.execute(f"DROP {'VIEW' if kind else 'TABLE'} IF EXISTS results")
        self.results = "results"
        self.con.execute(f"CREATE TABLE results AS SELECT {ident(ROW)}, {ident(ON)} FROM cases")
        self._per_case(list(rules))
        self._join_dues()
        return self.program

    def _per_case(self, rules: list[BatchRule]) -> None:
        """The rules the query does not hold, evaluated with the per-case path, row by row."""
        checked = self.checked
        by_input = input_columns(checked)
        names = list(checked.inputs)
        columns = [ident(c) for name in names for c in by_input[name]]
        cursor = self.con.cursor()
        cursor.execute(
            f"SELECT {ident(ROW)}, {ident(ON)}, {ident(RECEIVED)}, {', '.join(columns)} "
            f"FROM cases ORDER BY {ident(ROW)}"
        )
        out = Path(self._temp.name) / "per_case.csv"
        done = 0
        with (
            self.progress.track(self.con, "per case") as tracker,
            out.open("w", encoding="utf-8", newline="") as handle,
        ):
            writer = csv.writer(handle)
            writer.writerow([ROW] + [f"{k}{r.index}" for r in rules for k in _keys(r)])
            while batch := cursor.fetchmany(10_000):
                for row in batch:
                    inputs = self._inputs(row[3:], names, by_input)
                    # The whole policy, exactly as `policyc run` evaluates one case; a case it
                    # refuses is refused here, naming the row.
                    try:
                        evaluated = self.policy.evaluate(
                            inputs, row[1], self.readings, row[2] or ()
                        )
                    except (InputError, ArithmeticError, ValueError, EvaluationError) as exc:
                        raise refused_case(self.path, self.policy, row[0], exc) from None
                    results = {r.info.name: r for r in evaluated if r.info.role in ROLES}
                    writer.writerow([str(row[0]), *result_cells(rules, results)])
                    count_refused(self.refused, rules, results)
                done += len(batch)
                tracker.manual = 100.0 * done / max(self.count, 1)
        cursor.close()
        self._merge_per_case(rules, out)

    def _merge_per_case(self, rules: list[BatchRule], out: Path) -> None:
        """The per-case results written at `out` (a CSV: __row, then each rule's columns as
        text) added to `results` as the query's columns, typed as it types them."""
        self.con.execute(
            f"CREATE TEMP TABLE per_case AS SELECT * FROM read_csv({literal(str(out))}, "
            "header = true, all_varchar = true)"
        )
        assigns = []
        for rule in rules:
            if rule.role == "decision":  # its value is text, as the query writes it
                for key, sql_type in (("s", "UTINYINT"), ("x", "VARCHAR")):
                    column = f"{key}{rule.index}"
                    self.con.execute(f"ALTER TABLE results ADD COLUMN {column} {sql_type}")
                    assigns.append(f"{column} = CAST(p.{column} AS {sql_type})")
                continue
            places = [
                f"max(length(regexp_extract({k}{rule.index}, '\\.([0-9]+)', 1)))" for k in "au"
            ]
            scale = int(
                self._one(f"SELECT coalesce(greatest({', '.join(places)}), 0) FROM per_case")
            )
            kind = f"DECIMAL(38,{scale})"
            keys = [("s", "UTINYINT"), ("a", kind), ("u", kind)]
            if rule.role == "rule":
                keys.append(("f", "VARCHAR"))
            for key, sql_type in keys:
                self.con.execute(f"ALTER TABLE results ADD COLUMN {key}{rule.index} {sql_type}")
                assigns.append(f"{key}{rule.index} = CAST(p.{key}{rule.index} AS {sql_type})")
        self.con.execute(
            f"UPDATE results SET {', '.join(assigns)} FROM per_case p "
            f"WHERE results.{ident(ROW)} = CAST(p.{ident(ROW)} AS BIGINT)"
        )

    def _inputs(
        self, values: Sequence[Any], names: list[str], by_input: dict[str, list[str]]
    ) -> dict[str, Any]:
        inputs: dict[str, Any] = {}
        at = 0
        for name in names:
            info = self.checked.inputs[name]
            width = len(by_input[name])
            cells = values[at : at + width]
            at += width
            if cells[0] is None:
                continue
            kind = info.type.kind
            if kind == "keyed":
                members = self.checked.enums[info.type.enum]
                inputs[name] = {
                    m: Quantity(Decimal(v), info.type.dims)
                    for m, v in zip(members, cells, strict=True)
                }
            elif kind == "quantity":
                inputs[name] = Quantity(Decimal(cells[0]), info.type.dims)
            elif kind == "series":  # stored decimals, `;` between days
                assert info.measure is not None
                inputs[name] = tuple(
                    Quantity(Decimal(day), info.measure.dims)
                    for day in str(cells[0]).split(SERIES_SEPARATOR)
                )
            else:
                inputs[name] = cells[0]
        return inputs

    # ---- the results ----
    def rows(
        self,
    ) -> Iterator[tuple[int, dict[str, tuple[str, Decimal | str | None, Decimal | None]]]]:
        """(row, {rule: (status, amount, uncapped)}) for every case, in file order; for a
        decision, (status, its value as text or None, None)."""
        assert self.program is not None
        rules = self.program.rules
        columns = []
        for r in rules:
            value = f"x{r.index}" if r.role == "decision" else _or_null(r, "a")
            columns += [f"s{r.index}", value, _or_null(r, "u")]
        cursor = self.con.cursor()
        cursor.execute(
            f"SELECT {ident(ROW)}, {', '.join(columns)} FROM results ORDER BY {ident(ROW)}"
        )
        while batch := cursor.fetchmany(10_000):
            for row in batch:
                yield (
                    row[0],
                    {
                        r.name: (STATUSES[row[1 + 3 * k]], row[2 + 3 * k], row[3 + 3 * k])
                        for k, r in enumerate(rules)
                    },
                )
        cursor.close()

    def write(self, out: Path) -> None:
        """The results file, written to a temporary name and renamed into place."""
        assert self.program is not None
        kind = read_format(out)
        columns = [f'r.{ident(ROW)} AS "row"']
        join = ""
        if self.has_id:
            columns.append('CAST(raw."id" AS VARCHAR) AS "id"')
            join = f" LEFT JOIN raw ON raw.{LINE} = r.{ident(ROW)}"
        names = "[" + ", ".join(map(literal, STATUSES)) + "]"
        present = {
            str(row[0])
            for row in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'results'"
            ).fetchall()
        }
        years = year_rows_table(self.con, self.year_rows())  # "" when every row is one date
        for rule in self.program.rules:
            i = rule.index
            columns.append(f"{names}[r.s{i} + 1] AS {ident(rule.name + '.status')}")
            if rule.role == "rule":  # why no amount, in `run`'s words (cli/batch_reasons.py)
                per_case = f"f{i}" if f"f{i}" in present else None
                reason = reason_sql(rule, self.policy.rules[i].flow, per_case)
                columns.append(f"{reason} AS {ident(rule.name + '.reason')}")
            if rule.role == "decision":  # in the measure the answer shows (batch_measures)
                value, unit = decision_value(self.con, self.policy, rule)
                suffix = f"_{unit}" if unit else ""
                columns.append(f"{value} AS {ident(f'{rule.name}.value{suffix}')}")
            if rule.unit:
                columns += self._amount_sql(rule, bool(years))
            columns += output_columns(rule, self.dated)  # a target's due and deadline in view
        options = {
            "csv": "FORMAT csv, HEADER",
            "parquet": "FORMAT parquet",
            "jsonl": "FORMAT json",
        }[kind]
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            # Renamed over `out` once written, with `out`'s mode kept, or the umask's default.
            with (
                replacing(out) as temp,
                self.progress.track(self.con, "writing"),
            ):
                self.con.execute(
                    f"COPY (SELECT {', '.join(columns)} FROM results r{join} "
                    f"ORDER BY r.{ident(ROW)}) TO {literal(str(temp))} ({options})"
                )
        except OSError as exc:
            raise InputError(
                _("--out {out}: cannot write there ({exc_strerror})").format(
                    out=out,
                    exc_strerror=exc.strerror,
                )
            ) from None

    def _amount_sql(self, rule: BatchRule, year_rows: bool) -> list[str]:
        """A rule's amount columns (and before the cap, where it has one) for the results file:
        in 元/月 for a rule `per 月`, as the answer writes it, and a year case's sum of its
        months in a column of its own, 元/年 (batch_measures.amount_columns)."""
        columns = []
        period = self.policy.rules[rule.index].period
        for measure, rows in amount_columns(rule.unit, period, year_rows):
            keys = "au" if rule.has_cap else "a"
            for key, word in zip(keys, ("amount", "uncapped"), strict=False):
                value = rows_sql(rows, f"r.{key}{rule.index}")
                column = ident(f"{rule.name}.{word}_{measure}")
                columns.append(f"{plain_decimal_text(value)} AS {column}")
        return columns

    def year_rows(self) -> set[int]:
        """The rows evaluated for a whole year (a households batch's `period` YYYY), whose
        monthly rules give the year's sum: none here, every case is evaluated on its date."""
        return set()

    def summary(self) -> dict[str, Any]:
        """The summary (batch_summary.summarise) of the evaluated cases; "refused": {rule: rows}
        when the per-case path refused a rule in some rows (`count_refused`)."""
        summary = summarise(self)
        if self.refused:
            summary["refused"] = dict(self.refused)
        return summary


def count_refused(counts: dict[str, int], rules: list[Any], results: Mapping[str, Any]) -> None:
    """Add to `counts` (rule → rows) each of `rules` that one row's `results` refused because
    its condition, amount or value needs a day the official calendar does not know: the row
    gives it "undetermined" and no amount, its other results in full (as `run` does, exit 1).
    A target whose deadline alone cannot be told is counted by its due instead (batch_dues)."""
    for rule in rules:
        result = results[rule.name]
        if result.refused and not result.due:
            counts[rule.name] = counts.get(rule.name, 0) + 1


def _keys(rule: BatchRule) -> str:
    """The per-case columns of an entry: status and value of a decision; status, amount,
    uncapped amount and the reason it gives none (`f`: cli/batch_reasons.py) of a rule; a
    target: the status, the amounts empty."""
    if rule.role == "decision":
        return "sx"
    return "sauf" if rule.role == "rule" else "sau"


def result_cells(rules: list[Any], results: Mapping[str, Any]) -> list[str]:
    """The per-case columns of `rules` (see _keys) for one case's results: each rule's status
    index, then a decision's value or a rule's amount and uncapped amount."""
    cells: list[str] = []
    for rule in rules:
        result = results[rule.name]
        cells.append(str(STATUSES.index(result.status)))
        if rule.role == "decision":
            cells.append(decision_text(result.value, rule.value_kind))
            continue
        cells.append(_plain(result.amount))
        cells.append(_plain(result.uncapped))
        if rule.role == "rule":  # why no amount, in `run`'s words (cli/batch_reasons.py)
            cells.append(result_reason(result) or "")
    return cells


def decision_text(value: Any, kind: str) -> str:
    """A decided value as the batch query writes it (compiler.batch.BatchRule.value_kind): a
    member or `true`/`false` as text, a date in ISO form, a plain ratio as a percentage (`20%`),
    a quantity as a plain decimal in its measure's base; '' for none (undetermined)."""
    if value is None:
        return ""
    if kind == "bool":
        return "true" if value else "false"
    if kind == "date":
        return str(value.isoformat())
    if isinstance(value, Quantity):
        number = value.value * 100 if kind == "percent" else value.value
        text = format(number.normalize(), "f")
        return text + "%" if kind == "percent" else text
    return str(value)


def _plain(q: Quantity | None) -> str:
    return "" if q is None else format(q.value, "f")


def _or_null(rule: BatchRule, key: str) -> str:
    if key == "a" and rule.unit:
        return f"a{rule.index}"
    if key == "u" and rule.unit and rule.has_cap:
        return f"u{rule.index}"
    return "NULL"


def _chosen_readings(
    policy: CompiledPolicy, readings: Sequence[str] | Mapping[str, str]
) -> dict[str, str]:
    if isinstance(readings, Mapping):
        pairs = list(readings.items())
    else:
        pairs = []
        for pair in readings:
            name, sep, option = pair.partition("=")
            if not sep:
                raise InputError(_("--reading {pair}: expected NAME=OPTION").format(pair=pair))
            pairs.append((name.strip(), option.strip()))
    for name, option in pairs:
        problem = reading_problem(policy.checked, name, option)
        if problem:
            raise InputError(
                _("--reading {name}={option}: {problem}").format(
                    name=name,
                    option=option,
                    problem=problem,
                )
            )
    return dict(pairs)


def _refuse_overwriting_input(cases: Path, out: Path) -> None:
    """--out must not be the cases file, by name, through a link or as another name of it."""
    try:
        same = out.exists() and cases.exists() and os.path.samefile(cases, out)
    except OSError:
        same = False
    if same or out.resolve() == cases.resolve():
        raise InputError(
            _("--out {out}: is the cases file {cases}; write the results elsewhere").format(
                out=out,
                cases=cases,
            )
        )


def refused_case(cases: Path, policy: CompiledPolicy, row: object, exc: Exception) -> BatchError:
    """The error for a case the per-case evaluation refuses, as `policyc run` refuses it, placed
    in both files: the cases file and its row, and for a rule that could not be evaluated the
    policy file and the rule's line (`cases.csv: row 2: p.policy:96: rule `r` could not be
    evaluated: …`), never a bare line number."""
    if isinstance(exc, EvaluationError):
        said = _("{policy}:{line}: {message}").format(
            policy=policy.checked.file.path,
            line=exc.info.line,
            message=str(exc).split(": ", 1)[-1],
        )
    else:
        said = str(exc)
    return BatchError([Problem(_("row {row_0}: {exc}").format(row_0=row, exc=said), str(cases))])


def _run_numpy(
    policy: CompiledPolicy,
    readings: Mapping[str, str],
    cases_path: Path,
    out_path: Path | None,
    day: date | None,
) -> tuple[dict[str, Any] | None, str]:
    """(the summary, "") by the numpy engine (cli/batch_vector.py) for a Parquet file without
    --out, when it holds the policy and the file; else (None, why not: "" where it was not
    tried), and the DuckDB path runs."""
    if out_path is not None or read_format(cases_path) != "parquet" or not cases_path.is_file():
        return None, ""
    try:
        from policyc.batch_vector import VectorBatch, reuse_memory
    except ImportError:  # pyarrow or numpy not installed (an older `batch` extra)
        return None, ""
    reuse_memory()
    vector = VectorBatch(policy, readings)
    reason = vector.prepare(cases_path, day)
    if reason:
        return None, reason
    return vector.summary() | {"engine": "numpy"}, ""


def run_batch(
    policy_path: Path,
    cases_path: Path,
    out_path: Path | None,
    on: str | date | None,
    readings: Sequence[str] | Mapping[str, str],
    fmt: str,
    progress: bool | None = None,
    stdout: TextIO | None = None,
    members_path: Path | None = None,
) -> int:
    """`policyc run POLICY --cases FILE [--members FILE] [--out FILE] [--on DATE]
    [--reading N=O]…`: evaluate every case, write the results, print the summary (`fmt` text or
    json). A policy with a group or inputs per period goes through batch_people (its members
    from `members_path`; a members results file beside `out_path`). Raises InputError or
    PolicyError, which the command line reports."""
    stdout = stdout or sys.stdout
    day: date | None
    try:
        day = parse_iso_date(on) if isinstance(on, str) else on
    except ValueError as exc:
        raise InputError(_("--on {on}: {exc}").format(on=on, exc=exc)) from None
    if out_path is not None:
        read_format(out_path)
        _refuse_overwriting_input(cases_path, out_path)
        if members_path is not None:  # nor may the members results beside it overwrite an input
            from policyc.batch_people import refuse_overwriting_inputs

            refuse_overwriting_inputs(out_path, cases_path, members_path)
    policy = compile_policy(policy_path)
    # the policy's own measures (`measure 方 = …`) read its literals in either engine
    with declared_measures(policy.checked.measures):
        people = policy.checked.people
        chosen = _chosen_readings(policy, readings)
        show = progress if progress is not None else sys.stderr.isatty()
        if people.group or people.periods or members_path is not None:
            # Households and periods: a members file, columns per period (cli/batch_people.py).
            from policyc.batch_people import PeopleBatch

            with PeopleBatch(policy, chosen, Progress(show)) as households:
                households.load_people(cases_path, day, members_path)
                households.evaluate()
                if out_path is not None:
                    households.write(out_path)
                    households.write_members(out_path)
                summary = households.summary()
        else:
            by_numpy, why_not = _run_numpy(policy, chosen, cases_path, out_path, day)
            if by_numpy is not None:
                summary = by_numpy
            else:
                with Batch(policy, chosen, Progress(show)) as batch:
                    batch.load(cases_path, day)
                    batch.evaluate(keep=out_path is not None)
                    if out_path is not None:
                        batch.write(out_path)
                    summary = batch.summary()
                if why_not:  # the numpy engine was tried: why DuckDB ran instead
                    summary["engine_note"] = why_not
    if "engine" not in summary:
        summary["engine"] = "duckdb"
    if fmt == "json":
        stdout.write(summary_json(summary))
    else:
        stdout.write(summary_text(summary, str(cases_path), out_path))
    # As `run` exits 1 for a refused part: a target whose 顺延 deadline cannot be told in a row
    # (its `due` "unknown", counted in the summary; every other result of the row is given).
    # A rule refused in a row (a day the calendar lacks, `summary["refused"]`) alike.
    refused = any(item.get("due", {}).get("unknown") for item in summary.get("targets", ()))
    return EXIT_REFUSED if refused or summary.get("refused") else EXIT_OK
