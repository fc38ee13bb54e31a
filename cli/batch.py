"""`policyc run POLICY --cases FILE`: many cases at once, through the batch query.

A case file is CSV, JSON Lines or Parquet, one case per row: a column per input (a tally one
column per member, `参展次数.省内`), values as in case files (a bare number is read in the input's
measure; `600万单` carries its own), and optionally `on` (else --on), `received` (rule names
separated by `;`, `,` or `、`) and `id` (copied to the results). An empty cell is an input not
given. Every value is checked before anything is evaluated; problems name the row and column.

The compiler generates the query (compiler/batch.py) and DuckDB runs it; rules it cannot express
are evaluated case by case with the per-case path, and the summary says which. Results go to
`--out` (CSV, Parquet or JSON Lines by suffix): a row per case, per rule the status and the
amounts as exact decimal text in the column's unit.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import attrs
import duckdb

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
)
from policyc.compiler.checker import CheckedPolicy, InputInfo, constant
from policyc.compiler.errors import InputError, did_you_mean
from policyc.compiler.nodes import BoolLit, DateLit, Expr
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.report import FLOW_WORDS
from policyc.runtime.dates import parse_iso_date
from policyc.runtime.quantity import (
    MeasureError,
    Quantity,
    dims_text,
    parse_quantity_text,
)

__all__ = ["Batch", "BatchError", "read_format", "run_batch"]

EXIT_OK = 0
EXTRA_COLUMNS = ("on", "received", "id", "description")
SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
TRUE_WORDS = ("true", "yes", "on", "是")
FALSE_WORDS = ("false", "no", "off", "否")
MAX_PROBLEMS = 20
NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
)


# What DuckDB raises where the per-case path would compute on (a product past 38 digits) or fail
# (an inexact division, which Quantity refuses too): the rules then run case by case.
INEXACT = (duckdb.OutOfRangeException, duckdb.ConversionException, duckdb.InvalidInputException)


class BatchError(InputError):
    """A case file that cannot be evaluated: every problem found, with row and column."""


def read_format(path: Path) -> str:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"{path}: expected a .csv, .jsonl or .parquet file")
    return kind


# ---- progress ---------------------------------------------------------------------------------


class Progress:
    """A bar on stderr while DuckDB works (its own progress, polled), shown after half a second."""

    def __init__(self, enabled: bool, stream: TextIO | None = None):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.shown = False

    def track(self, con: duckdb.DuckDBPyConnection, label: str) -> _Tracker:
        return _Tracker(self, con, label)

    def draw(self, label: str, percent: float) -> None:
        width = 30
        filled = int(width * max(0.0, min(percent, 100.0)) / 100)
        bar = "█" * filled + "░" * (width - filled)
        self.stream.write(f"\r{label:<10} {bar} {percent:5.1f}%")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
            self.shown = False


class _Tracker:
    def __init__(self, progress: Progress, con: duckdb.DuckDBPyConnection, label: str):
        self.progress, self.con, self.label = progress, con, label
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.poll, daemon=True)
        self.manual: float | None = None

    def __enter__(self) -> _Tracker:
        if self.progress.enabled:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress.enabled:
            self.done.set()
            self.thread.join()
            self.progress.clear()

    def poll(self) -> None:
        start = time.monotonic()
        while not self.done.wait(0.1):
            if time.monotonic() - start < 0.5:
                continue
            percent = self.manual if self.manual is not None else self.con.query_progress()
            if percent >= 0:
                self.progress.draw(self.label, percent)


# ---- loading ----------------------------------------------------------------------------------


@attrs.define
class _Column:
    """How one column of the file becomes a column of `cases`."""

    source: str  # the column in the file
    info: InputInfo
    kind: str  # its DuckDB type in the file
    sql: str = ""  # the typed value
    scale: int = 0
    width: int = 38


LINE = "__line"  # the row's number in the file, from 1


class Batch:
    """One batch run: the case file loaded into DuckDB, checked, evaluated, written, summed."""

    def __init__(
        self,
        policy: CompiledPolicy,
        readings: Mapping[str, str] | None = None,
        progress: Progress | None = None,
        vectorise: bool = True,
    ):
        self.policy = policy
        self.checked: CheckedPolicy = policy.checked
        self.readings = dict(policy.namespace["READINGS"])
        self.readings.update(readings or {})
        self.progress = progress or Progress(False)
        self.vectorise = vectorise
        self._temp = tempfile.TemporaryDirectory(prefix="policyc-batch-")
        self.con = duckdb.connect()
        self.con.execute(
            "SET enable_progress_bar = true; SET enable_progress_bar_print = false; "
            f"SET temp_directory = {literal(self._temp.name)}"
        )
        self.path = Path()
        self.count = 0
        self.types: dict[str, tuple[int, int]] = {}
        self.has_id = False
        self.program: BatchProgram | None = None
        self.fallback_note = ""
        self._maps = 0

    def close(self) -> None:
        self.con.close()
        self._temp.cleanup()

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- reading the file ----
    def load(self, path: Path, on: date | None) -> int:
        """Read and check the case file; defines the view `cases`. Returns the number of cases."""
        self.path = path
        kind = read_format(path)
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        with self.progress.track(self.con, "reading"):
            try:
                if kind == "parquet":  # read where it lies: columnar, and only what is used
                    self.con.execute(
                        f"CREATE VIEW raw AS SELECT file_row_number + 1 AS {LINE}, * EXCLUDE "
                        f"(file_row_number) FROM read_parquet({literal(str(path))}, "
                        "file_row_number = true)"
                    )
                else:
                    text = path if kind == "csv" else self._jsonl_to_csv(path)
                    self.con.execute(
                        f"CREATE TABLE raw_text AS SELECT * FROM read_csv({literal(str(text))}, "
                        "header = true, all_varchar = true)"
                    )
                    self.con.execute(
                        f"CREATE VIEW raw AS SELECT rowid + 1 AS {LINE}, * FROM raw_text"
                    )
                columns = self.con.execute("DESCRIBE raw").fetchall()
                self.count = int(self._one("SELECT count(*) FROM raw"))
            except duckdb.Error as exc:
                raise InputError(f"{path}: cannot read the cases: {_first_line(exc)}") from None
        types = {str(row[0]): str(row[1]) for row in columns if row[0] != LINE}
        with self.progress.track(self.con, "checking"):
            self._define_cases(types, on)
        return self.count

    def _one(self, sql: str, *params: object) -> Any:
        row = self.con.execute(sql, list(params)).fetchone()
        assert row is not None
        return row[0]

    def _jsonl_to_csv(self, path: Path) -> Path:
        """JSON Lines through Python's json (numbers kept as their exact text), flattened: a
        nested object is a tally (`{"参展次数": {"省内": 2}}` is the column 参展次数.省内), a
        list is `received`."""
        rows: list[dict[str, str]] = []
        names: dict[str, None] = {}
        try:
            handle = path.open(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        with handle:
            try:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    try:
                        data = json.loads(line, parse_float=Decimal, parse_int=Decimal)
                    except json.JSONDecodeError as exc:
                        raise InputError(f"{path}:{number}: invalid JSON: {exc.msg}") from None
                    if not isinstance(data, dict):
                        raise InputError(f"{path}:{number}: a case is a JSON object")
                    row: dict[str, str] = {}
                    for key, value in data.items():
                        if isinstance(value, dict):
                            for member, inner in value.items():
                                row[f"{key}.{member}"] = _json_text(inner)
                        else:
                            row[key] = _json_text(value)
                    names.update(dict.fromkeys(row))
                    rows.append(row)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
        if not rows:
            raise InputError(f"{path}: no cases")
        out = Path(self._temp.name) / "cases.csv"
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(names))
            writer.writeheader()
            writer.writerows(rows)
        return out

    def _define_cases(self, types: dict[str, str], on: date | None) -> None:
        """The view `cases`: one typed column per input column of the policy, in stored units.

        Every check of every column is one aggregate of a single pass over the file; only the
        checks that fail are looked at again, for the rows to name."""
        checked = self.checked
        problems: list[str] = []
        columns: dict[str, _Column] = {}
        extras: dict[str, str] = {}
        by_input = input_columns(checked)
        owner = {col: name for name, cols in by_input.items() for col in cols}
        for source, kind in types.items():
            if source in EXTRA_COLUMNS:
                extras[source] = kind
            elif source in owner:
                info = checked.inputs[owner[source]]
                if info.type.kind in ("series", "boolseries"):
                    problems.append(f"column `{source}`: a daily series cannot be given in a row")
                columns[source] = _Column(source, info, kind)
            elif source in by_input:
                members = ", ".join(by_input[source])
                problems.append(f"column `{source}`: a tally is one column per member: {members}")
            else:
                hint = did_you_mean(source, [*owner, *EXTRA_COLUMNS])
                problems.append(f"unknown column `{source}`{hint}")
        for name, info in checked.inputs.items():
            if info.decl.presence == "required" and not set(columns) & set(by_input[name]):
                problems.append(f"missing input column `{name}`")
        if "on" not in extras and on is None:
            problems.append("no evaluation date: give an `on` column or --on DATE")
        if problems:
            raise BatchError(self._problems(problems))
        checks: list[tuple[str, str, str, str]] = []  # (column, value, valid, message)
        stats: dict[str, str] = {}
        for column in columns.values():
            self._plan(column, checks, stats)
        if "on" in extras:
            checks.append(("on", *_date_check(_raw("on"))))
            if on is None:
                checks.append(
                    (
                        "on",
                        f"CASE WHEN {_raw('on')} IS NULL THEN '' END",
                        "false",
                        "no evaluation date: fill `on` or give --on",
                    )
                )
        aggregates = dict(stats)
        for k, (_, value, valid, _) in enumerate(checks):
            aggregates[f"bad{k}"] = (
                f"count(CASE WHEN {value} IS NOT NULL AND NOT coalesce({valid}, false) THEN 1 END)"
            )
        names = list(aggregates)
        row = self.con.execute(
            f"SELECT {', '.join(aggregates[k] for k in names)} FROM raw"
        ).fetchone()
        found = dict(zip(names, row or (), strict=True))
        for k, (source, value, valid, message) in enumerate(checks):
            if found[f"bad{k}"]:
                bad = self.con.execute(
                    f"SELECT {LINE}, CAST({value} AS VARCHAR) FROM raw WHERE {value} IS NOT NULL "
                    f"AND NOT coalesce({valid}, false) ORDER BY {LINE} LIMIT 5"
                ).fetchall()
                for line, text in bad:
                    shown = f", got `{text}`" if text else ""
                    problems.append(f"row {line}, column `{source}`: {message}{shown}")
        for column in columns.values():
            self._finish(column, found, problems)
        received = self._received_column(extras.get("received"), problems)
        if problems:
            raise BatchError(self._problems(problems))
        default = f"DATE '{on.isoformat()}'" if on is not None else "NULL"
        day = (
            f"coalesce({_date_sql(_raw('on'), extras['on'])}, {default})"
            if "on" in extras
            else default
        )
        select = [
            f"{LINE} AS {ident(ROW)}",
            f"{day} AS {ident(ON)}",
            f"{received} AS {ident(RECEIVED)}",
        ]
        self.has_id = "id" in extras
        for name, info in checked.inputs.items():
            for target in by_input[name]:
                sql = self._input_sql(name, info, target, columns, by_input)
                select.append(f"{sql} AS {ident(target)}")
        self.types = {c.source: (c.width, c.scale) for c in columns.values()}
        self.con.execute(f"CREATE VIEW cases AS SELECT {', '.join(select)} FROM raw")

    def _plan(
        self, column: _Column, checks: list[tuple[str, str, str, str]], stats: dict[str, str]
    ) -> None:
        """The checks of a column's values, and the figures its type is chosen from."""
        info, x, kind, key = column.info, _raw(column.source), column.kind, column.source
        tkind = info.type.kind
        if tkind == "bool":
            if kind != "BOOLEAN":
                words = f"lower(trim(CAST({x} AS VARCHAR)))"
                valid = f"{words} IN ({', '.join(map(literal, TRUE_WORDS + FALSE_WORDS))})"
                checks.append((key, x, valid, "expected true or false (or 是/否)"))
        elif tkind == "date":
            if kind != "DATE":
                checks.append((key, *_date_check(x)))
        elif tkind == "enum":
            members = self.checked.enums[info.type.enum]
            valid = f"trim(CAST({x} AS VARCHAR)) IN ({', '.join(map(literal, members))})"
            checks.append((key, x, valid, f"expected one of {', '.join(members)}"))
        elif kind in NUMERIC_TYPES or kind.startswith("DECIMAL"):
            stats[f"min:{key}"] = f"min({x})"  # from the Parquet statistics: no scan
            stats[f"max:{key}"] = f"max({x})"
        elif tkind in ("quantity", "keyed"):
            text = f"CAST({x} AS VARCHAR)"  # DOUBLE too: its shortest text, as a person wrote it
            # Regular expressions measured fastest here (DuckDB's RE2 over each text once).
            fraction = f"regexp_extract({text}, '^\\s*[0-9]*\\.([0-9]+)\\s*$', 1)"
            whole = f"regexp_extract({text}, '^\\s*([0-9]+)(\\.[0-9]+)?\\s*$', 1)"
            stats[f"scale:{key}"] = f"max(length({fraction}))"
            stats[f"digits:{key}"] = f"max(length(ltrim({whole}, '0')))"
            stats[f"other:{key}"] = f"count(CASE WHEN NOT {_plain_number(text)} THEN 1 END)"

    def _finish(self, column: _Column, found: dict[str, Any], problems: list[str]) -> None:
        """The typed SQL of a column, from the figures of `_plan`."""
        info, x, kind, key = column.info, _raw(column.source), column.kind, column.source
        tkind = info.type.kind
        if tkind == "bool":
            words = f"lower(trim(CAST({x} AS VARCHAR)))"
            column.sql = (
                x
                if kind == "BOOLEAN"
                else (
                    f"(CASE WHEN {words} IN ({', '.join(map(literal, TRUE_WORDS))}) THEN TRUE "
                    f"WHEN {words} IN ({', '.join(map(literal, FALSE_WORDS))}) THEN FALSE END)"
                )
            )
            return
        if tkind == "date":
            column.sql = _date_sql(x, kind)
            return
        if tkind == "enum":
            column.sql = f"trim(CAST({x} AS VARCHAR))"
            return
        if tkind not in ("quantity", "keyed"):
            return
        assert info.measure is not None
        factor = info.measure.factor
        if f"max:{key}" in found:  # an integer or DECIMAL column
            if found[f"min:{key}"] is not None and found[f"min:{key}"] < 0:
                bad = self.con.execute(
                    f"SELECT {LINE}, {x} FROM raw WHERE {x} < 0 ORDER BY {LINE} LIMIT 5"
                ).fetchall()
                problems.extend(
                    f"row {line}, column `{key}`: must not be negative, got `{v}`"
                    for line, v in bad
                )
            scale = int(kind.split(",")[1].rstrip(") ")) if kind.startswith("DECIMAL") else 0
            high = abs(int(found[f"max:{key}"] or 0))
            digits = len(str(high).lstrip("0")) + len(str(int(factor))) - 1
            self._typed(
                column,
                f"CAST({x} AS DECIMAL({min(38, max(digits, 1) + scale)},{scale}))",
                scale,
                max(digits, 1),
                factor,
                problems,
            )
            return
        text = f"CAST({x} AS VARCHAR)"
        plain_scale = int(found[f"scale:{key}"] or 0)
        plain_digits = max(int(found[f"digits:{key}"] or 0), 1)
        if plain_digits > 30:
            problems.append(f"column `{key}`: a number has more than 30 integer digits")
            return
        value = f"CAST({text} AS DECIMAL({min(38, plain_digits + plain_scale)},{plain_scale}))"
        digits = plain_digits + len(str(int(factor))) - 1
        mapping: dict[str, Decimal] = {}
        if found[f"other:{key}"]:
            texts = self.con.execute(
                f"SELECT DISTINCT {text} FROM raw "
                f"WHERE {x} IS NOT NULL AND NOT {_plain_number(text)}"
            ).fetchall()
            for (written,) in texts:
                try:
                    mapping[written] = _quantity_text(info, written)
                except ValueError as exc:
                    line = self._one(f"SELECT min({LINE}) FROM raw WHERE {text} = ?", written)
                    problems.append(f"row {line}, column `{key}`: {exc}")
        self._typed(column, value, plain_scale, digits, factor, problems, mapping, text)

    def _typed(
        self,
        column: _Column,
        value: str,
        scale: int,
        digits: int,
        factor: Decimal,
        problems: list[str],
        mapping: Mapping[str, Decimal] | None = None,
        text: str = "",
    ) -> None:
        """value × the measure's factor, as a DECIMAL just wide enough for every value (so that
        DuckDB computes in 64 bits wherever it can); texts with a measure through `mapping`."""
        if factor != 1:
            value = f"({value} * {_dec(factor)})"
            scale += _scale(factor)
        for number in (mapping or {}).values():
            scale = max(scale, _scale(number))
            digits = max(digits, len(str(abs(int(number)))))
        if digits + scale > 38:
            problems.append(f"column `{column.source}`: a value has more than 38 digits")
            return
        column.scale, column.width = scale, digits + scale
        if mapping:
            self._maps += 1
            table = f"map_{self._maps}"
            self.con.execute(f"CREATE TABLE {table} (t VARCHAR, v DECIMAL(38,{scale}))")
            self.con.executemany(
                f"INSERT INTO {table} VALUES (?, CAST(? AS DECIMAL(38,{scale})))",
                [(k, format(v, "f")) for k, v in mapping.items()],
            )
            value = (
                f"(CASE WHEN {_plain_number(text)} THEN {value} "
                f"ELSE (SELECT v FROM {table} WHERE t = {text}) END)"
            )
        column.sql = f"CAST({value} AS DECIMAL({column.width},{scale}))"

    def _input_sql(
        self,
        name: str,
        info: InputInfo,
        target: str,
        columns: dict[str, _Column],
        by_input: dict[str, list[str]],
    ) -> str:
        kind = info.type.kind
        column = columns.get(target)
        value = column.sql if column is not None else f"CAST(NULL AS {_sql_type(info)})"
        if kind == "keyed":
            # A tally with no member given is not given; one with some given counts the rest 0.
            given = [columns[t].sql for t in by_input[name] if t in columns]
            if not given:
                return f"CAST(NULL AS {_sql_type(info)})"
            none = " AND ".join(f"{g} IS NULL" for g in given)
            zero = "CAST(0 AS DECIMAL(1,0))"
            return f"(CASE WHEN {none} THEN NULL ELSE coalesce({value}, {zero}) END)"
        if info.decl.presence == "default":
            default = _default_sql(info)
            if default is not None:
                return f"coalesce({value}, {default})"
        return value

    def _received_column(self, kind: str | None, problems: list[str]) -> str:
        if kind is None:
            return "CAST([] AS VARCHAR[])"
        x = _raw("received")
        if kind.endswith("[]"):
            names = f"CAST({x} AS VARCHAR[])"
        else:
            names = (
                f"list_filter(string_split_regex(trim(CAST({x} AS VARCHAR)), '[;,、\\s]+'), "
                "lambda s: s <> '')"
            )
        rules = {r.name.text for _, r in self.checked.file.all_rules()}
        given = self.con.execute(f"SELECT DISTINCT unnest({names}) FROM raw").fetchall()
        for (name,) in given:
            if name not in rules:
                problems.append(
                    f"column `received` names `{name}`, which is not a rule of "
                    f"{self.checked.header.number}{did_you_mean(name, sorted(rules))}"
                )
        return f"coalesce({names}, CAST([] AS VARCHAR[]))"

    def _problems(self, problems: list[str]) -> str:
        shown = [f"{self.path}: {p}" for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"… and {len(problems) - MAX_PROBLEMS} more")
        return "\n".join(shown)

    # ---- evaluating ----
    def evaluate(self, keep: bool = True) -> BatchProgram:
        """Defines `results`: the batch query, then the rules it leaves to the per-case path.

        With `keep` (results to write) it is a table; without, a view that the summary reads in
        its one pass. If DuckDB cannot evaluate the query exactly (a number past 38 digits),
        every rule is evaluated case by case instead: slower, never different."""
        program = generate_batch(self.checked, self.readings, self.types)
        if not self.vectorise:
            program = attrs.evolve(
                program,
                rules=tuple(attrs.evolve(r, fallback="--per-case") for r in program.rules),
                sql=f"SELECT {ident(ROW)}, {ident(ON)} FROM cases",
            )
        self.program = program
        fallback = [r for r in program.rules if r.fallback]
        if not keep and not fallback:
            self.con.execute(f"CREATE VIEW results AS {program.sql}")
            return program
        with self.progress.track(self.con, "evaluating"):
            try:
                self.con.execute(f"CREATE TABLE results AS {program.sql}")
            except INEXACT as exc:
                return self._all_per_case(exc)
        if fallback:
            self._per_case(fallback)
        return program

    def _all_per_case(self, exc: Exception) -> BatchProgram:
        assert self.program is not None
        self.fallback_note = f"DuckDB could not evaluate exactly ({_first_line(exc)})"
        rules = tuple(attrs.evolve(r, fallback=self.fallback_note) for r in self.program.rules)
        self.program = attrs.evolve(self.program, rules=rules)
        kind = self._one(
            "SELECT count(*) FROM duckdb_views() WHERE view_name = 'results' AND NOT internal"
        )
        self.con.execute(f"DROP {'VIEW' if kind else 'TABLE'} IF EXISTS results")
        self.con.execute(f"CREATE TABLE results AS SELECT {ident(ROW)}, {ident(ON)} FROM cases")
        self._per_case(list(rules))
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
            writer.writerow([ROW] + [f"{k}{r.index}" for r in rules for k in "sau"])
            while batch := cursor.fetchmany(10_000):
                for row in batch:
                    inputs = self._inputs(row[3:], names, by_input)
                    # The whole policy, exactly as `policyc run` evaluates one case.
                    evaluated = self.policy.evaluate(inputs, row[1], self.readings, row[2] or ())
                    results = {r.info.name: r for r in evaluated if r.info.role == "rule"}
                    cells: list[str] = [str(row[0])]
                    for rule in rules:
                        result = results[rule.name]
                        cells.append(str(STATUSES.index(result.status)))
                        cells.append(_plain(result.amount))
                        cells.append(_plain(result.uncapped))
                    writer.writerow(cells)
                done += len(batch)
                tracker.manual = 100.0 * done / max(self.count, 1)
        cursor.close()
        self.con.execute(
            f"CREATE TEMP TABLE per_case AS SELECT * FROM read_csv({literal(str(out))}, "
            "header = true, all_varchar = true)"
        )
        assigns = []
        for rule in rules:
            places = [
                f"max(length(regexp_extract({k}{rule.index}, '\\.([0-9]+)', 1)))" for k in "au"
            ]
            scale = int(
                self._one(f"SELECT coalesce(greatest({', '.join(places)}), 0) FROM per_case")
            )
            kind = f"DECIMAL(38,{scale})"
            for key, sql_type in (("s", "UTINYINT"), ("a", kind), ("u", kind)):
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
            else:
                inputs[name] = cells[0]
        return inputs

    # ---- the results ----
    def rows(self) -> Iterator[tuple[int, dict[str, tuple[str, Decimal | None, Decimal | None]]]]:
        """(row, {rule: (status, amount, uncapped)}) for every case, in file order."""
        assert self.program is not None
        rules = self.program.rules
        columns = []
        for r in rules:
            columns += [f"s{r.index}", _or_null(r, "a"), _or_null(r, "u")]
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
        for rule in self.program.rules:
            i = rule.index
            columns.append(f"{names}[r.s{i} + 1] AS {ident(rule.name + '.status')}")
            if rule.unit:
                columns.append(f"dec_text(r.a{i}) AS {ident(f'{rule.name}.amount_{rule.unit}')}")
                if rule.has_cap:
                    uncapped = ident(f"{rule.name}.uncapped_{rule.unit}")
                    columns.append(f"dec_text(r.u{i}) AS {uncapped}")
        self.con.execute(
            "CREATE OR REPLACE MACRO dec_text(x) AS CASE WHEN contains(CAST(x AS VARCHAR), '.') "
            "THEN rtrim(rtrim(CAST(x AS VARCHAR), '0'), '.') ELSE CAST(x AS VARCHAR) END"
        )
        options = {
            "csv": "FORMAT csv, HEADER",
            "parquet": "FORMAT parquet",
            "jsonl": "FORMAT json",
        }[kind]
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        os.close(fd)
        try:
            with self.progress.track(self.con, "writing"):
                self.con.execute(
                    f"COPY (SELECT {', '.join(columns)} FROM results r{join} "
                    f"ORDER BY r.{ident(ROW)}) TO {literal(temp)} ({options})"
                )
            os.replace(temp, out)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def summary(self) -> dict[str, Any]:
        """Per rule: how many cases in each status, the total, the largest amounts, how many hit
        the cap; the totals by currency and by year of the evaluation date; the funds the policy
        declares. One pass over the results, grouped by year."""
        assert self.program is not None
        aggregates: list[str] = []
        for rule in self.program.rules:
            i = rule.index
            aggregates.append(f"histogram(s{i})")
            if rule.unit:
                capped = f"count(u{i})" if rule.has_cap else "0"
                aggregates += [f"sum(a{i})", f"max(a{i}, 3)", capped]
        query = (
            f"SELECT year({ident(ON)}) AS y, {', '.join(aggregates)} FROM results GROUP BY y "
            "ORDER BY y"
        )
        with self.progress.track(self.con, "summing"):
            try:
                groups = self.con.execute(query).fetchall()
            except INEXACT as exc:  # the query ran only now, as a view
                self._all_per_case(exc)
                return self.summary()
        rules: list[dict[str, Any]] = []
        for rule in self.program.rules:
            item: dict[str, Any] = {
                "rule": rule.name,
                "unit": rule.unit,
                "per_case": rule.fallback,
                "counts": dict.fromkeys(STATUSES, 0),
            }
            if rule.unit:
                item |= {"total": Decimal(0), "largest": [], "capped": 0, "has_cap": rule.has_cap}
            rules.append(item)
        by_year: dict[int, dict[str, Decimal]] = {}
        by_kind: dict[str, dict[str, Decimal]] = {}
        for year, *values in groups:
            by_year.setdefault(int(year), {})
            at = 0
            for rule, item in zip(self.program.rules, rules, strict=True):
                for code, count in (values[at] or {}).items():
                    item["counts"][STATUSES[code]] += count
                at += 1
                if rule.unit:
                    total, largest, capped = values[at : at + 3]
                    at += 3
                    item["total"] += Decimal(total or 0)
                    item["largest"] = sorted(
                        [*item["largest"], *map(Decimal, largest or [])], reverse=True
                    )[:3]
                    item["capped"] += int(capped)
                    # Only like with like: paid, waived and payable amounts are totalled apart;
                    # `totals` and `by_year` are what is paid to the applicants.
                    flow = self.policy.rules[rule.index].flow
                    if total is not None:
                        kind = by_kind.setdefault(flow, {})
                        kind[rule.unit] = kind.get(rule.unit, Decimal(0)) + Decimal(total)
                    if total is not None and flow == "paid":
                        totals = by_year.setdefault(int(year), {})
                        totals[rule.unit] = totals.get(rule.unit, Decimal(0)) + Decimal(total)
        grand: dict[str, Decimal] = {}
        for totals in by_year.values():
            for unit, value in totals.items():
                grand[unit] = grand.get(unit, Decimal(0)) + value
        return {
            "policy": self.checked.header.number,
            "cases": self.count,
            "readings": self.readings,
            "rules": rules,
            "totals": grand,
            "totals_by_kind": by_kind,
            "by_year": by_year,
            "funds": self._funds(),
            "note": self.fallback_note,
        }

    def _funds(self) -> list[dict[str, Any]]:
        funds = []
        for clause in self.checked.file.all_clauses():
            for fund in clause.funds:
                amount = Quantity.of(fund.amount.number, fund.amount.measure)
                funds.append(
                    {
                        "name": fund.name.text,
                        "clause": clause.number,
                        "amount": amount.value,
                        "unit": dims_text(amount.dims),
                        "written": fund.amount.number + fund.amount.measure,
                        "per": list(fund.scopes),
                        "purpose": fund.purpose,
                    }
                )
        return funds


# ---- helpers ----------------------------------------------------------------------------------


def _raw(column: str) -> str:
    return f"raw.{ident(column)}"


def _plain_number(text: str) -> str:
    """SQL: `text` is digits with at most one point inside, white space around (read in SQL,
    exactly); any other text is read by Python as a case file reads it (measures, 万, commas)."""
    return f"regexp_full_match({text}, '\\s*[0-9]+(\\.[0-9]+)?\\s*')"


def _date_check(x: str) -> tuple[str, str, str]:
    text = f"trim(CAST({x} AS VARCHAR))"
    valid = (
        f"regexp_full_match({text}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
        f"AND TRY_CAST({text} AS DATE) IS NOT NULL"
    )
    return x, valid, "expected a date written YYYY-MM-DD"


def _date_sql(x: str, kind: str) -> str:
    return x if kind == "DATE" else f"CAST(trim(CAST({x} AS VARCHAR)) AS DATE)"


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def _scale(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def _dec(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    scale = len(text.partition(".")[2])
    width = max(len(text.replace(".", "").lstrip("0")) or 1, scale + 1)
    return f"CAST('{text}' AS DECIMAL({width},{scale}))"


def _quantity_text(info: InputInfo, value: str) -> Decimal:
    """A value with a measure, read as a case file reads it (cases._quantity)."""
    assert info.measure is not None
    try:
        quantity = parse_quantity_text(value, info.measure)
    except MeasureError as exc:
        raise ValueError(str(exc)) from None
    if quantity.dims != info.type.dims:
        raise ValueError(
            f"expected a quantity in {info.measure.name}, got `{value}` "
            f"(a quantity in {dims_text(quantity.dims) or 'plain units'})"
        )
    if quantity.value < 0:
        raise ValueError(f"must not be negative, got `{value}`")
    return quantity.value


def _sql_type(info: InputInfo) -> str:
    kind = info.type.kind
    return {"bool": "BOOLEAN", "date": "DATE", "enum": "VARCHAR"}.get(kind, "DECIMAL(18,0)")


def _default_sql(info: InputInfo) -> str | None:
    default = info.decl.default
    if isinstance(default, BoolLit):
        return "TRUE" if default.value else "FALSE"
    if isinstance(default, DateLit):
        return f"DATE '{default.value.isoformat()}'"
    if isinstance(default, Expr):
        value = constant(default)
        return _dec(value.value) if value is not None else None
    if isinstance(default, str):
        return literal(default)
    return None


def _plain(q: Quantity | None) -> str:
    return "" if q is None else format(q.value, "f")


def _or_null(rule: BatchRule, key: str) -> str:
    if key == "a" and rule.unit:
        return f"a{rule.index}"
    if key == "u" and rule.unit and rule.has_cap:
        return f"u{rule.index}"
    return "NULL"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _money(value: Decimal, unit: str) -> str:
    """Exact, grouped, without the 万 gloss: `1,190,000.5元`."""
    text = format(value.normalize(), ",f") if value else "0"
    return text + unit


def _share(part: Decimal, whole: Decimal) -> str:
    return f"{(part * 100 / whole):.1f}%" if whole else "–"


def summary_text(summary: dict[str, Any], source: str, out: Path | None) -> str:
    lines = [
        f"{summary['policy']} · {summary['cases']:,} cases from {source}"
        + (f" · results in {out}" if out else "")
    ]
    if summary["readings"]:
        lines.append("读法: " + "；".join(f"{k} = {v}" for k, v in summary["readings"].items()))
    per_case = [r for r in summary["rules"] if r["per_case"]]
    if summary["note"]:
        lines.append(f"per case: every rule — {summary['note']}")
    elif per_case:
        lines.append(
            "per case (the query cannot express them): "
            + "; ".join(f"{r['rule']} ({r['per_case']})" for r in per_case)
        )
    else:
        lines.append("every rule evaluated by the batch query (DuckDB)")
    head = ["rule", "applies", "unspec.", "n/a", "undet.", "other", "total", "largest", "capped"]
    table = [head]
    for r in summary["rules"]:
        c = r["counts"]
        other = c["not_in_force"] + c["already_received"]
        cells = [
            r["rule"] + (" *" if r["per_case"] else ""),
            f"{c['applies']:,}",
            f"{c['unspecified']:,}",
            f"{c['not_applicable']:,}",
            f"{c['undetermined']:,}",
            f"{other:,}",
        ]
        if r["unit"]:
            cells += [
                _money(r["total"], r["unit"]),
                ", ".join(_money(x, r["unit"]) for x in r["largest"]) or "–",
                f"{r['capped']:,}" if r["has_cap"] else "–",
            ]
        else:
            cells += ["–", "–", "–"]
        table.append(cells)
    widths = [max(_width(row[k]) for row in table) for k in range(len(head))]
    for row in table:
        lines.append(
            "  ".join(_pad(cell, widths[k], right=0 < k < 6) for k, cell in enumerate(row))
        )
    lines.append("(other = not in force or already received; * = evaluated case by case)")
    totals = summary["totals"]
    lines.append("")
    for flow, words in FLOW_WORDS.items():
        kind = summary.get("totals_by_kind", {}).get(flow, totals if flow == "paid" else {})
        if kind:
            lines.append(f"合计（{words}）: " + "；".join(_money(v, u) for u, v in kind.items()))
    if summary["funds"]:
        lines.append(
            "Funds and budgets the policy declares. The policy does not say which subsidies each "
            "fund pays, so this sets the total of all amounts against each fund in turn; it is not "
            "an allocation."
        )
        for fund in summary["funds"]:
            unit = fund["unit"]
            amount = fund["written"]
            if "年" in fund["per"]:
                years = summary["by_year"]
                parts = [
                    f"{y}: {_money(t.get(unit, Decimal(0)), unit)} = "
                    f"{_share(t.get(unit, Decimal(0)), fund['amount'])}"
                    for y, t in years.items()
                ] or ["no cases"]
                lines.append(
                    f"  {fund['name']} ({fund['clause']}) {amount} per year — total of "
                    f"each year's cases against it: {'; '.join(parts)}"
                )
            else:
                total = totals.get(unit, Decimal(0))
                lines.append(
                    f"  {fund['name']} ({fund['clause']}) {amount} — the total "
                    f"{_money(total, unit)} is {_share(total, fund['amount'])} of it"
                )
    return "\n".join(lines) + "\n"


def summary_json(summary: dict[str, Any]) -> str:
    def default(value: Any) -> Any:
        if isinstance(value, Decimal):
            return format(value.normalize(), "f") if value else "0"
        raise TypeError(type(value).__name__)

    doc = dict(summary)
    doc["by_year"] = {str(k): v for k, v in summary["by_year"].items()}
    doc["funds_note"] = (
        "The policy does not say which subsidies each fund pays: the totals are set against each "
        "fund, not allocated to them."
    )
    return json.dumps(doc, ensure_ascii=False, indent=2, default=default) + "\n"


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
                raise InputError(f"--reading {pair}: expected NAME=OPTION")
            pairs.append((name.strip(), option.strip()))
    for name, option in pairs:
        problem = reading_problem(policy.checked, name, option)
        if problem:
            raise InputError(f"--reading {name}={option}: {problem}")
    return dict(pairs)


def run_batch(
    policy_path: Path,
    cases_path: Path,
    out_path: Path | None,
    on: str | date | None,
    readings: Sequence[str] | Mapping[str, str],
    fmt: str,
    progress: bool | None = None,
    stdout: TextIO | None = None,
) -> int:
    """`policyc run POLICY --cases FILE [--out FILE] [--on DATE] [--reading N=O]…`: evaluate
    every case, write the results, print the summary (`fmt` text or json). Raises InputError or
    PolicyError, which the command line reports."""
    stdout = stdout or sys.stdout
    day: date | None
    try:
        day = parse_iso_date(on) if isinstance(on, str) else on
    except ValueError as exc:
        raise InputError(f"--on {on}: {exc}") from None
    if out_path is not None:
        read_format(out_path)
    policy = compile_policy(policy_path)
    chosen = _chosen_readings(policy, readings)
    show = progress if progress is not None else sys.stderr.isatty()
    with Batch(policy, chosen, Progress(show)) as batch:
        batch.load(cases_path, day)
        batch.evaluate(keep=out_path is not None)
        if out_path is not None:
            batch.write(out_path)
        summary = batch.summary()
    if fmt == "json":
        stdout.write(summary_json(summary))
    else:
        stdout.write(summary_text(summary, str(cases_path), out_path))
    return EXIT_OK
