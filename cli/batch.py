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
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import attrs
import duckdb
import yaml

from policyc.cases import (
    Node,
    Where,
    _describe,
    _FieldError,
    _quantity,
    _scalar,
    _value,
    _wrap_plain,
    reading_problem,
)
from policyc.compiler.batch import (
    ON,
    RECEIVED,
    ROW,
    STATUSES,
    BatchProgram,
    BatchRule,
    comment_text,
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
from policyc.runtime.quantity import Measure, Quantity, dims_text

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
MAX_PROBLEMS = 20
MAX_DIGITS = 30  # before and after the point, as parse_quantity_text allows
SERIES_SEPARATOR = ";"  # a daily series in a CSV cell: 152;201;188
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
    info: InputInfo | None  # None for `on`
    kind: str  # its DuckDB type in the file
    stored: bool = False  # checked as read (JSON Lines) and written in stored units
    sql: str = ""  # the typed value
    fast: str = "FALSE"  # SQL: TRUE where SQL reads the value itself (else the per-case code)
    numeric: bool = False  # an integer or DECIMAL column for a quantity
    text: bool = False  # a text column for a quantity
    tally: bool = False  # one member's column of a tally
    scale: int = 0
    width: int = 38


class _Reader:
    """Reads one distinct value of a column, as the per-case path reads it."""

    def read(self, value: Any) -> Any:
        raise NotImplementedError

    def say(self, exc: Exception) -> str:
        return str(exc)


@attrs.define
class _InputValue(_Reader):
    """An input's value by cases._value (a tally member's by cases._quantity), given as the
    file holds it: text (a CSV cell, a Parquet string) read as the same text written unquoted
    in a YAML case; numbers, booleans, dates and lists as themselves. Returns what the query
    needs: a stored decimal, a boolean, a date, a member, or a series as text."""

    info: InputInfo
    policy: CheckedPolicy
    tally: bool = False

    def read(self, value: Any) -> Any:
        node = _node_of(value, self.info.type.kind in ("series", "boolseries"))
        if node.value is None:
            return None  # a blank cell: not given
        typed = (
            _quantity(self.info, node.value) if self.tally else _value(self.info, node, self.policy)
        )
        if isinstance(typed, Quantity):
            return typed.value
        if isinstance(typed, tuple):
            return _stored_text(typed)
        return typed


class _OnValue(_Reader):
    """The evaluation date of a row, as a case file's `on:` is read."""

    def read(self, value: Any) -> Any:
        node = _node_of(value, False)
        if node.value is None or isinstance(node.value, date):
            return node.value
        try:
            return parse_iso_date(str(node.value))
        except ValueError as exc:
            raise _FieldError(f"`on`: {exc}") from None


LINE = "__line"  # the row's number in the file, from 1


MEMORY_LIMIT = "1GB"


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
            f"SET temp_directory = {literal(self._temp.name)}; "
            # DuckDB's default is 80% of the machine: capped, it spills to the private folder
            # above instead, so that 10 million cases stay within 2 GB (benchmarks/run.py).
            f"SET memory_limit = {literal(MEMORY_LIMIT)}"
        )
        self.path = Path()
        self.count = 0
        self.types: dict[str, tuple[int, int]] = {}
        self.has_id = False
        self.program: BatchProgram | None = None
        self.fallback_note = ""
        self._maps = 0
        self._stored: set[str] = set()  # columns checked as read and written in stored units

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
        if path.stat().st_size == 0:
            raise InputError(f"{path}: the file is empty; expected a header and a case a row")
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
                    # The file written from JSON Lines is plain CSV: no guessing its dialect.
                    dialect = (
                        ", delim = ',', quote = '\"', escape = '\"'" if kind == "jsonl" else ""
                    )
                    self.con.execute(
                        f"CREATE TABLE raw_text AS SELECT * FROM read_csv({literal(str(text))}, "
                        f"header = true, all_varchar = true{dialect})"
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
        """JSON Lines read as JSON case files are (numbers kept as their exact text), each input's
        value checked by the per-case rules as it is read and written to a CSV in stored units:
        a nested object is a tally (`{"参展次数": {"省内": 2}}`), a list a daily series (or, in
        `received`, rule names). Stops after MAX_PROBLEMS problems."""
        checked = self.checked
        by_input = input_columns(checked)
        owner = {col: name for name, cols in by_input.items() for col in cols}
        rows: list[dict[str, str]] = []
        names: dict[str, None] = {}
        problems: list[str] = []
        try:
            handle = path.open(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        with handle:
            try:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    if len(problems) >= MAX_PROBLEMS:
                        problems.append(f"stopped after {MAX_PROBLEMS} problems, at line {number}")
                        break
                    place = f"row {len(rows) + 1} (line {number})"
                    data = _json_case(line, f"{path}: {place}")
                    row: dict[str, str] = {}
                    for key, value in data.items():
                        self._json_field(key, value, place, row, owner, problems)
                    names.update(dict.fromkeys(row))
                    rows.append(row)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
        if problems:
            raise BatchError(self._problems(problems))
        if not rows:
            raise InputError(f"{path}: no cases")
        out = Path(self._temp.name) / "cases.csv"
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(names))
            writer.writeheader()
            writer.writerows(rows)
        return out

    def _json_field(
        self,
        key: str,
        value: Any,
        place: str,
        row: dict[str, str],
        owner: dict[str, str],
        problems: list[str],
    ) -> None:
        """One field of a JSON case into `row`: an input checked by the per-case rules and kept
        in stored units (its columns marked stored); anything else as text."""
        checked = self.checked
        if value is None:
            return
        if key in checked.inputs or key in owner:
            info = checked.inputs[owner.get(key, key)]
            node = _wrap_plain(value, Where(place), 0)
            try:
                if key in checked.inputs:
                    typed = _value(info, node, checked)
                else:
                    typed = _quantity(info, value)  # one member's column of a tally
            except _FieldError as exc:
                problems.append(f"{place}, column `{key}`: {exc}")
                return
            if isinstance(typed, dict):
                for member, quantity in typed.items():
                    row[f"{key}.{member}"] = _stored_text(quantity)
                    self._stored.add(f"{key}.{member}")
            else:
                row[key] = _stored_text(typed)
                self._stored.add(key)
            return
        if key not in EXTRA_COLUMNS:
            problems.append(f"{place}: {_unknown_column(key, [*owner, *EXTRA_COLUMNS])}")
            return
        row[key] = _json_text(value)

    def _define_cases(self, types: dict[str, str], on: date | None) -> None:
        """The view `cases`: one typed column per input column of the policy, in stored units.

        Every value is read by the per-case rules (cases._value). SQL reads, in one aggregate
        pass over the file, the values it can read exactly as they would (plain digits, true
        booleans, numbers of a numeric column); each column's other values are read by the
        per-case code itself, once per distinct value, in one grouped pass, and reach the query
        through a table of what they read as. Problems name the row and the column; after
        MAX_PROBLEMS nothing more is checked."""
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
                column = _Column(source, info, kind, stored=source in self._stored)
                column.tally = info.type.kind == "keyed"
                columns[source] = column
            elif source in by_input:
                members = ", ".join(by_input[source])
                problems.append(f"column `{source}`: a tally is one column per member: {members}")
            else:
                problems.append(_unknown_column(source, [*owner, *EXTRA_COLUMNS]))
        for name, info in checked.inputs.items():
            if info.decl.presence == "required" and not set(columns) & set(by_input[name]):
                problems.append(f"missing input column `{name}`")
        if "on" not in extras and on is None:
            problems.append("no evaluation date: give an `on` column or --on DATE")
        if problems:
            raise BatchError(self._problems(problems))
        stats: dict[str, str] = {}
        for column in columns.values():
            self._plan(column, stats)
        if "on" in extras:
            stats["slow:on"] = f"count({_raw('on')})"
        names = list(stats)
        row = self.con.execute(f"SELECT {', '.join(stats[k] for k in names)} FROM raw").fetchone()
        found = dict(zip(names, row or (), strict=True))
        unchecked = 0
        for column in columns.values():
            unchecked += self._finish(column, found, problems)
        on_sql = "NULL"
        if "on" in extras:
            on_column = _Column("on", None, extras["on"])
            unchecked += self._read_slow(on_column, "FALSE", _OnValue(), "DATE", problems)
            on_sql = on_column.sql or "NULL"
            if on is None and not problems:
                missing = self.con.execute(
                    f"SELECT {LINE} FROM raw WHERE {on_sql} IS NULL ORDER BY {LINE} LIMIT 5"
                ).fetchall()
                problems.extend(
                    f"row {line}, column `on`: no evaluation date: fill `on` or give --on"
                    for (line,) in missing
                )
        received = self._received_column(extras.get("received"), problems)
        if problems:
            raise BatchError(self._problems(problems, unchecked))
        default = f"DATE '{on.isoformat()}'" if on is not None else "NULL"
        day = f"coalesce({on_sql}, {default})" if "on" in extras else default
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
        self._required_given(columns)

    def _required_given(self, columns: dict[str, _Column]) -> None:
        """A row that leaves a required input empty is refused, as a case file is."""
        required = [
            (name, info)
            for name, info in self.checked.inputs.items()
            if info.decl.presence == "required" and name in columns
        ]
        if not required:
            return
        empty = " OR ".join(f"{ident(name)} IS NULL" for name, _ in required)
        flags = ", ".join(f"{ident(name)} IS NULL" for name, _ in required)
        rows = self.con.execute(
            f"SELECT {ident(ROW)}, {flags} FROM cases WHERE {empty} ORDER BY {ident(ROW)} "
            f"LIMIT {MAX_PROBLEMS + 1}"
        ).fetchall()
        problems = [
            f"row {row[0]}, column `{name}`: missing input `{name}`: expected "
            f"{_describe(info, self.checked)}"
            for row in rows
            for (name, info), missing in zip(required, row[1:], strict=True)
            if missing
        ]
        if problems:
            raise BatchError(self._problems(problems))

    def _plan(self, column: _Column, stats: dict[str, str]) -> None:
        """What SQL reads of a column itself (`column.fast`, TRUE where it reads the value exactly
        as the per-case path does), and the figures of the aggregate pass about it."""
        info, x, kind, key = column.info, _raw(column.source), column.kind, column.source
        assert info is not None
        tkind = info.type.kind
        text = f"CAST({x} AS VARCHAR)"
        # Checked as it was read (JSON Lines) and written in stored units, or a true boolean.
        if column.stored or (tkind == "bool" and kind == "BOOLEAN"):
            column.fast = "TRUE"
        elif tkind in ("quantity", "keyed") and (
            kind in NUMERIC_TYPES or _decimal_scale(kind) >= 0
        ):
            assert info.measure is not None
            scale = max(_decimal_scale(kind), 0)
            if scale > MAX_DIGITS:
                column.fast = "FALSE"
            else:
                limit = f"CAST('1{'0' * MAX_DIGITS}' AS DECIMAL(38,0))"
                fast = [f"{x} >= 0", f"{x} < {limit}"]
                places = _whole_places(info.measure)
                if places is not None and places < scale:
                    fast.append(f"{x} = round({x}, {places})")
                column.fast = "(" + " AND ".join(fast) + ")"
                column.numeric = True
        elif (
            tkind in ("quantity", "keyed")
            and kind not in ("BOOLEAN", "DATE")
            and (not kind.endswith("]") and not kind.startswith(("STRUCT", "MAP", "TIMESTAMP")))
        ):
            assert info.measure is not None
            # Plain digits, at most MAX_DIGITS before and after the point, and for a count no
            # fraction finer than a whole thing: what parse_quantity_text reads as the number.
            fraction = f"regexp_extract({text}, '^\\s*[0-9]*\\.([0-9]+)\\s*$', 1)"
            whole = f"regexp_extract({text}, '^\\s*([0-9]+)(\\.[0-9]+)?\\s*$', 1)"
            fast = [
                f"regexp_full_match({text}, ' *[0-9]{{1,{MAX_DIGITS}}}"
                f"(\\.[0-9]{{1,{MAX_DIGITS}}})? *')"
            ]
            places = _whole_places(info.measure)
            if places is not None:
                fast.append(f"length(rtrim({fraction}, '0')) <= {places}")
            column.fast = "(" + " AND ".join(fast) + ")"
            column.text = True
            stats[f"scale:{key}"] = f"max(CASE WHEN {column.fast} THEN length({fraction}) END)"
            stats[f"digits:{key}"] = (
                f"max(CASE WHEN {column.fast} THEN length(ltrim({whole}, '0')) END)"
            )
        else:
            column.fast = "FALSE"
        if column.numeric or column.stored:
            stats[f"min:{key}"] = f"min({x})"
            stats[f"max:{key}"] = f"max({x})"
        if column.stored and tkind in ("quantity", "keyed"):
            fraction = f"regexp_extract({text}, '\\.([0-9]+)', 1)"
            stats[f"scale:{key}"] = f"max(length({fraction}))"
            stats[f"digits:{key}"] = (
                f"max(length(ltrim(regexp_extract({text}, '^([0-9]+)', 1), '0')))"
            )
        if column.fast != "TRUE":
            stats[f"slow:{key}"] = f"count(CASE WHEN NOT {column.fast} THEN {x} END)"

    def _finish(self, column: _Column, found: dict[str, Any], problems: list[str]) -> int:
        """The typed SQL of a column: what SQL reads itself, and the rest read by the per-case
        code through a table. Returns how many rows were left unchecked (problems enough)."""
        info, x, kind, key = column.info, _raw(column.source), column.kind, column.source
        assert info is not None
        tkind = info.type.kind
        reader = _InputValue(info, self.checked, tally=column.tally)
        if tkind in ("bool", "date", "enum", "series", "boolseries"):
            fast = {
                "bool": f"CAST(lower(trim({x})) AS BOOLEAN)" if column.stored else x,
                "date": f"CAST(trim({x}) AS DATE)",
                "enum": x,
                "series": x,
                "boolseries": x,
            }[tkind]
            column.sql = fast
            sql_type = _sql_type(info)
            if not column.stored and not (tkind == "bool" and kind == "BOOLEAN"):
                return self._read_slow(column, column.fast, reader, sql_type, problems)
            return 0
        if tkind not in ("quantity", "keyed"):
            column.sql = "NULL"
            return 0
        assert info.measure is not None
        factor = Decimal(1) if column.stored else info.measure.factor
        if column.numeric:
            scale = max(_decimal_scale(kind), 0)
            high = max(abs(int(found[f"max:{key}"] or 0)), abs(int(found[f"min:{key}"] or 0)))
            digits = min(len(str(high).lstrip("0")), MAX_DIGITS) + len(str(int(factor))) - 1
            value = f"CAST({x} AS DECIMAL({min(38, max(digits, 1) + scale)},{scale}))"
        else:
            scale = int(found.get(f"scale:{key}") or 0)
            plain_digits = max(int(found.get(f"digits:{key}") or 0), 1)
            digits = plain_digits + len(str(int(factor))) - 1
            value = (
                f"CAST(trim(CAST({x} AS VARCHAR)) AS DECIMAL({min(38, plain_digits + scale)},"
                f"{scale}))"
            )
        unchecked = 0
        mapping: dict[str, Any] = {}
        if found.get(f"slow:{key}"):
            unchecked = self._read_slow(column, column.fast, reader, "", problems, mapping)
        self._typed(column, value, scale, max(digits, 1), factor, problems, mapping)
        return unchecked

    def _read_slow(
        self,
        column: _Column,
        fast: str,
        reader: _Reader,
        sql_type: str,
        problems: list[str],
        mapping: dict[str, Any] | None = None,
    ) -> int:
        """The values SQL does not read itself, each distinct one read once by `reader` in order
        of first appearance; problems name the first row that holds it. With `sql_type`, the
        column's SQL becomes its fast value or the one read (a table of distinct values);
        without, what was read is left in `mapping` (stored decimals) for `_typed`.

        Returns the number of rows left unchecked once MAX_PROBLEMS problems are found."""
        x = _raw(column.source)
        slow = f"{x} IS NOT NULL AND NOT coalesce({fast}, false)"
        read: dict[str, Any] = {} if mapping is None else mapping
        checked = 0
        if len(problems) < MAX_PROBLEMS:
            cursor = self.con.cursor()
            cursor.execute(
                f"SELECT {x}, CAST({x} AS VARCHAR), min({LINE}) AS first, count(*) FROM raw "
                f"WHERE {slow} GROUP BY {x} ORDER BY first"
            )
            while len(problems) < MAX_PROBLEMS and (chunk := cursor.fetchmany(10_000)):
                for value, key, first, count in chunk:
                    if len(problems) >= MAX_PROBLEMS:
                        break
                    checked += count
                    try:
                        read[key] = reader.read(value)
                    except _FieldError as exc:
                        problems.append(f"row {first}, column `{column.source}`: {reader.say(exc)}")
            cursor.close()
        unchecked = 0
        if len(problems) >= MAX_PROBLEMS:  # stop reading: only count what is left
            unchecked = int(self._one(f"SELECT count(*) FROM raw WHERE {slow}")) - checked
        if mapping is not None or problems:
            return unchecked
        self._maps += 1
        table = f"map_{self._maps}"
        self.con.execute(f"CREATE TABLE {table} (k VARCHAR, v {sql_type})")
        if read:
            self.con.executemany(
                f"INSERT INTO {table} VALUES (?, CAST(? AS {sql_type}))", list(read.items())
            )
        looked_up = f"(SELECT v FROM {table} WHERE k = CAST({x} AS VARCHAR))"
        column.sql = (
            looked_up
            if fast == "FALSE" or not column.sql
            else f"(CASE WHEN {fast} THEN {column.sql} ELSE {looked_up} END)"
        )
        return unchecked

    def _typed(
        self,
        column: _Column,
        value: str,
        scale: int,
        digits: int,
        factor: Decimal,
        problems: list[str],
        mapping: Mapping[str, Decimal | None] | None = None,
    ) -> None:
        """value × the measure's factor, as a DECIMAL just wide enough for every value (so that
        DuckDB computes in 64 bits wherever it can); other values through `mapping`."""
        if factor != 1:
            value = f"({value} * {_dec(factor)})"
            scale += _scale(factor)
        for number in (mapping or {}).values():
            if number is not None:
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
                [(k, None if v is None else format(v, "f")) for k, v in mapping.items()],
            )
            x = _raw(column.source)
            value = (
                f"(CASE WHEN {column.fast} THEN {value} "
                f"ELSE (SELECT v FROM {table} WHERE t = CAST({x} AS VARCHAR)) END)"
            )
        elif column.fast not in ("TRUE",):
            value = f"(CASE WHEN {column.fast} THEN {value} END)"
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
                    f"column `received` names `{comment_text(name)}`, which is not a rule of "
                    f"{self.checked.header.number}{did_you_mean(name, sorted(rules))}"
                )
        return f"coalesce({names}, CAST([] AS VARCHAR[]))"

    def _problems(self, problems: list[str], unchecked: int = 0) -> str:
        shown = [f"{self.path}: {p}" for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"… and {len(problems) - MAX_PROBLEMS} more")
        if unchecked:
            shown.append(
                f"… and {unchecked:,} more values not checked (stopped after {MAX_PROBLEMS} "
                "problems)"
            )
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
                    # The whole policy, exactly as `policyc run` evaluates one case; a case it
                    # refuses is refused here, naming the row.
                    try:
                        evaluated = self.policy.evaluate(
                            inputs, row[1], self.readings, row[2] or ()
                        )
                    except (InputError, ArithmeticError, ValueError) as exc:
                        raise BatchError(f"{self.path}: row {row[0]}: {exc}") from None
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
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        except OSError as exc:
            raise InputError(f"--out {out}: cannot write there ({exc.strerror})") from None
        os.close(fd)
        try:
            with self.progress.track(self.con, "writing"):
                self.con.execute(
                    f"COPY (SELECT {', '.join(columns)} FROM results r{join} "
                    f"ORDER BY r.{ident(ROW)}) TO {literal(temp)} ({options})"
                )
            os.replace(temp, out)
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise InputError(f"--out {out}: cannot write there ({exc.strerror})") from None
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


def _unknown_column(name: str, known: list[str]) -> str:
    # A name is shown with its control characters escaped: it comes from an untrusted file.
    return f"unknown column `{comment_text(name)}`{did_you_mean(name, known)}"


_RESOLVER = yaml.SafeLoader("")


def _text_value(text: str) -> Any:
    """Text as the same text written unquoted as a YAML case value reads: `true` a boolean,
    `12` and `1.5` numbers, `2023-01-05` a date, blank nothing, anything else the text."""
    stripped = text.strip()
    tag = _RESOLVER.resolve(yaml.ScalarNode, stripped, (True, False))  # type: ignore[no-untyped-call]
    try:
        return _scalar(yaml.ScalarNode(tag, stripped), Where("cell"))
    except InputError as exc:  # .nan, .inf: refused as a case file refuses them
        raise _FieldError(str(exc).removeprefix("cell: ")) from None


def _node_of(value: Any, series: bool) -> Node:
    """A value as DuckDB gives it from the file, as the per-case path would hold it."""
    where = Where("cell")
    if isinstance(value, str):
        if series:
            items = value.split(SERIES_SEPARATOR) if value.strip() else []
            if not items:
                return Node(None, where)
            return Node([Node(_text_value(item), where) for item in items], where)
        return Node(_text_value(value), where)
    if isinstance(value, bool | Decimal):
        return Node(value, where)
    if isinstance(value, int):
        return Node(Decimal(value), where)
    if isinstance(value, float):  # its shortest text, as a person would have written it
        return Node(_text_value(repr(value)), where)
    if isinstance(value, datetime):
        return Node(_text_value(str(value)), where)
    if isinstance(value, date):
        return Node(_text_value(value.isoformat()), where)
    if isinstance(value, list | tuple):
        return Node([_node_of(item, False) for item in value], where)
    if isinstance(value, dict):
        return Node({str(k): _node_of(v, False) for k, v in value.items()}, where)
    return Node(str(value), where)


def _json_case(line: str, place: str) -> dict[str, Any]:
    def reject(constant: str) -> Any:
        raise InputError(f"{place}: `{constant}` is not a number a case may hold")

    try:
        data = json.loads(line, parse_float=Decimal, parse_int=Decimal, parse_constant=reject)
    except json.JSONDecodeError as exc:
        raise InputError(f"{place}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{place}: nested too deeply") from None
    if not isinstance(data, dict):
        raise InputError(f"{place}: a case is a JSON object")
    return data


def _stored_text(value: Any) -> str:
    """A value the per-case rules read, as the CSV written from JSON Lines holds it."""
    if isinstance(value, Quantity):
        return format(value.value, "f")
    if isinstance(value, tuple):
        return SERIES_SEPARATOR.join(_stored_text(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _decimal_scale(kind: str) -> int:
    """The scale of a DECIMAL(w,s) column type; -1 for any other type."""
    if not kind.startswith("DECIMAL("):
        return -1
    return int(kind.split(",")[1].rstrip(") "))


def _whole_places(measure: Measure) -> int | None:
    """For a count, the decimal places a bare number may have and still count whole things
    (0 for 人, 4 for 万人); None for a measure that is not a count."""
    if not measure.whole:
        return None
    return len(str(int(measure.factor))) - 1


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


def _sql_type(info: InputInfo) -> str:
    kind = info.type.kind
    types = {"bool": "BOOLEAN", "date": "DATE", "enum": "VARCHAR", "series": "VARCHAR"}
    return types.get(kind, "DECIMAL(18,0)")


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


def _refuse_overwriting_input(cases: Path, out: Path) -> None:
    """--out must not be the cases file, by name, through a link or as another name of it."""
    try:
        same = out.exists() and cases.exists() and os.path.samefile(cases, out)
    except OSError:
        same = False
    if same or out.resolve() == cases.resolve():
        raise InputError(f"--out {out}: is the cases file {cases}; write the results elsewhere")


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
        _refuse_overwriting_input(cases_path, out_path)
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
