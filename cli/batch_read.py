"""Reading a batch file into DuckDB: the file's format by its suffix, the view `raw` over it (a
Parquet file read where it lies, columnar; CSV and JSON Lines as a table of text, JSON Lines
values checked by the per-case rules as they are read), and the words for a file DuckDB cannot
read. CaseReader owns the batch's DuckDB connection and private folder; batch_load.CaseLoader
checks what it reads and defines the view `cases`.

Problems name the row and the column; after MAX_PROBLEMS the rest is not checked."""

from __future__ import annotations

import contextlib
import csv
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from policyc.batch_progress import Progress
from policyc.batch_values import json_case, json_text, stored_text
from policyc.case_files import Where, not_utf8
from policyc.case_files import wrap_plain as _wrap_plain
from policyc.case_values import FieldError as _FieldError
from policyc.case_values import read_quantity as _quantity
from policyc.case_values import read_value as _value
from policyc.compiler.batch import comment_text, input_columns, literal
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import InputError, did_you_mean
from policyc.compiler.i18n import _
from policyc.problems import Problem, ProblemsError

__all__ = [
    "EXTRA_COLUMNS",
    "INEXACT",
    "LINE",
    "MAX_PROBLEMS",
    "MEMORY_LIMIT",
    "BatchError",
    "CaseReader",
    "csv_header",
    "first_line",
    "ragged_row",
    "read_format",
    "unknown_column",
    "why_unreadable",
]

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


# What DuckDB raises where the per-case path would compute on (a product past 38 digits) or fail
# (an inexact division, which Quantity refuses too): the rules then run case by case.
INEXACT = (duckdb.OutOfRangeException, duckdb.ConversionException, duckdb.InvalidInputException)


class BatchError(ProblemsError):
    """A case file that cannot be evaluated: every problem found, each naming its row and column
    (one problem of the error document each, with `--format json`)."""


def read_format(path: Path) -> str:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(_("{path}: expected a .csv, .jsonl or .parquet file").format(path=path))
    return kind


LINE = "__line"  # the row's number in the file, from 1


MEMORY_LIMIT = "1GB"  # DuckDB's, per batch run


class CaseReader:
    """The case file of a batch run read into its own DuckDB connection (the view `raw`), with
    the run's private folder (DuckDB spills there; JSON Lines become a CSV there)."""

    def __init__(self, checked: CheckedPolicy, progress: Progress):
        self.checked = checked
        self.progress = progress
        self._temp = tempfile.TemporaryDirectory(prefix="policyc-batch-")
        self.con = duckdb.connect()
        self.con.execute(
            "SET enable_progress_bar = true; SET enable_progress_bar_print = false; "
            f"SET temp_directory = {literal(self._temp.name)}; "
            # DuckDB's default is 80% of the machine: capped, it spills to the private folder
            # above instead, so that 10 million cases stay within 2 GB (benchmarks/run.py).
            f"SET memory_limit = {literal(MEMORY_LIMIT)}"
        )
        # DuckDB (2.0 here) pushes an ungrouped aggregate's arguments down through the query's
        # steps, copying each step's expressions into every later one that reads them: a rule's
        # amount computed three times and more. A DuckDB without that optimizer refuses the name.
        with contextlib.suppress(duckdb.Error):
            self.con.execute("SET disabled_optimizers = 'partial_aggregate_pushdown'")
        self.path = Path()
        self.count = 0
        self._stored: set[str] = set()  # columns checked as read and written in stored units

    def close(self) -> None:
        self.con.close()
        self._temp.cleanup()

    def read(self, path: Path) -> dict[str, str]:
        """Read the case file at `path` as the view `raw` (a Parquet file where it lies, CSV and
        JSON Lines as a table; JSON Lines values checked as they are read); sets `path` and
        `count`. Returns each column's DuckDB type by name (without the row number, LINE).
        Raises InputError for a file that cannot be read, BatchError for JSON Lines problems."""
        self.path = path
        kind = read_format(path)
        if not path.is_file():
            raise InputError(_("{path}: no such file").format(path=path))
        if path.stat().st_size == 0:
            raise InputError(
                _("{path}: the file is empty; expected a header and a case a row").format(
                    path=path,
                )
            )
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
                if kind == "csv" and [str(c[0]) for c in columns[1:]] != csv_header(path):
                    # DuckDB guessed another dialect or header: a row of another length
                    # (one cell short or over) does that; say which row
                    ragged = ragged_row(path)
                    if ragged is not None:
                        raise InputError(
                            _("{path}: cannot read the cases: {first_line_exc}").format(
                                path=path,
                                first_line_exc=ragged,
                            )
                        )
                self.count = int(self._one("SELECT count(*) FROM raw"))
            except duckdb.Error as exc:
                raise InputError(
                    _("{path}: cannot read the cases: {first_line_exc}").format(
                        path=path,
                        first_line_exc=why_unreadable(path, exc),
                    )
                ) from None
        return {str(row[0]): str(row[1]) for row in columns if row[0] != LINE}

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
            raise InputError(
                _("{path}: cannot read ({exc_strerror})").format(
                    path=path,
                    exc_strerror=exc.strerror,
                )
            ) from None
        with handle:
            try:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    if len(problems) >= MAX_PROBLEMS:
                        problems.append(
                            _("stopped after {MAX_PROBLEMS} problems, at line {number}").format(
                                MAX_PROBLEMS=MAX_PROBLEMS,
                                number=number,
                            )
                        )
                        break
                    place = _("row {len_rows_1} (line {number})").format(
                        len_rows_1=len(rows) + 1,
                        number=number,
                    )
                    data = json_case(line, f"{path}: {place}")
                    row: dict[str, str] = {}
                    for key, value in data.items():
                        self._json_field(key, value, place, row, owner, problems)
                    names.update(dict.fromkeys(row))
                    rows.append(row)
            except UnicodeDecodeError:
                raise not_utf8(path) from None
        if problems:
            raise BatchError(self._problems(problems))
        if not rows:
            raise InputError(_("{path}: no cases").format(path=path))
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
                problems.append(
                    _("{place}, column `{key}`: {exc}").format(
                        place=place,
                        key=key,
                        exc=exc,
                    )
                )
                return
            if isinstance(typed, dict):
                for member, quantity in typed.items():
                    row[f"{key}.{member}"] = stored_text(quantity)
                    self._stored.add(f"{key}.{member}")
            else:
                row[key] = stored_text(typed)
                self._stored.add(key)
            return
        if key not in EXTRA_COLUMNS:
            problems.append(f"{place}: {unknown_column(key, [*owner, *EXTRA_COLUMNS])}")
            return
        row[key] = json_text(value)

    def _problems(self, problems: list[str], unchecked: int = 0) -> list[Problem]:
        """The problems as the error's: each in this file, then how many more were left."""
        shown = [Problem(p, str(self.path)) for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            shown.append(
                Problem(
                    _("… and {value} more").format(
                        value=len(problems) - MAX_PROBLEMS,
                    )
                )
            )
        if unchecked:
            shown.append(
                Problem(
                    _(
                        "… and {unchecked:,} more values not checked (stopped after {MAX_PROBLEMS} "
                        "problems)"
                    ).format(unchecked=unchecked, MAX_PROBLEMS=MAX_PROBLEMS)
                )
            )
        return shown


def unknown_column(name: str, known: list[str]) -> str:
    # A name is shown with its control characters escaped: it comes from an untrusted file.
    first, _sep, number = name.rpartition("_")
    if number.isdigit() and first in known:  # DuckDB names a header's second `X` X_1 (review 17)
        return _("column `{name}` is given twice (the second read as `{renamed}`)").format(
            name=comment_text(first), renamed=comment_text(name)
        )
    return _("unknown column `{comment_text_name}`{did_you_mean_name_known}").format(
        comment_text_name=comment_text(name),
        did_you_mean_name_known=did_you_mean(name, known),
    )


def first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def csv_header(path: Path) -> list[str]:
    """The names in the CSV file's first line (a UTF-8 BOM dropped), [] when unreadable."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def ragged_row(path: Path) -> str | None:
    """The first row of the CSV file at `path` with more or fewer cells than its header has
    names, said with its row number (data rows count from 1, as every batch message does);
    None when every row has the header's length. Reads row by row: linear in the file."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle)
            header = next(rows, [])
            for number, row in enumerate(rows, 1):
                if row and len(row) != len(header):
                    return _(
                        "row {row} has {cells} cells but the header has {columns} columns: "
                        "every row needs a cell per column (an empty one for no value)"
                    ).format(row=number, cells=len(row), columns=len(header))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return None


def why_unreadable(path: Path, exc: BaseException) -> str:
    """Why DuckDB could not read the case file at `path`, in the user's words where the cause
    is a known fault of the file: a CSV whose lines end both in CRLF (Windows, Excel) and in LF
    (one line edited elsewhere) defeats DuckDB's dialect sniffing. Else DuckDB's first line."""
    if path.suffix.lower() == ".csv":
        crlf, lf, first_lf = False, False, 0
        with path.open("rb") as handle:  # line by line: linear, whatever the size
            for number, line in enumerate(handle, 1):
                if line.endswith(b"\r\n"):
                    crlf = True
                elif line.endswith(b"\n"):
                    lf = True
                    first_lf = first_lf or number
                if crlf and lf:
                    return _(
                        "its lines end both in CRLF (Windows) and in LF (line {line} is the "
                        "first that ends in LF alone): save it with one kind of line end"
                    ).format(line=first_lf)
        ragged = ragged_row(path)
        if ragged is not None:
            return ragged
    return first_line(exc)
