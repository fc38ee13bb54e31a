"""A table file of a batch run read row by row, each value as the file holds it (issue 12).

The household and period batch (batch_people.py) reads its cases file and its members file
with this: a CSV through DuckDB with every cell as text (read as the same text written unquoted
in a YAML case), Parquet through DuckDB with its own types, JSON Lines line by line with numbers
kept exact (Decimal). Rows count from 1, blank JSON lines not counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import duckdb

from policyc.batch_read import read_format, why_unreadable
from policyc.batch_values import json_case
from policyc.case_files import not_utf8
from policyc.compiler.batch import literal
from policyc.compiler.errors import InputError
from policyc.compiler.i18n import _


@attrs.frozen
class Table:
    """A read table: its file, its columns in file order, and its rows (each a mapping column →
    value: str for CSV; Decimal, bool, date, str, list or dict for JSON Lines and Parquet; None
    for an empty cell)."""

    path: Path
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]

    def numbered(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number from 1, row) for every row."""
        return enumerate(self.rows, 1)


def read_table(path: Path, con: duckdb.DuckDBPyConnection) -> Table:
    """The table at `path` (.csv, .jsonl or .parquet by suffix). Raises InputError naming the file
    for a missing, empty or unreadable file, and for one without a row."""
    kind = read_format(path)
    if not path.is_file():
        raise InputError(_("{path}: no such file").format(path=path))
    if path.stat().st_size == 0:
        raise InputError(
            _("{path}: the file is empty; expected a header and a case a row").format(path=path)
        )
    if kind == "jsonl":
        return _read_jsonl(path)
    source = (
        f"read_parquet({literal(str(path))})"
        if kind == "parquet"
        else f"read_csv({literal(str(path))}, header = true, all_varchar = true)"
    )
    try:
        cursor = con.execute(f"SELECT * FROM {source}")
        columns = tuple(str(d[0]) for d in cursor.description or ())
        rows = tuple(dict(zip(columns, row, strict=True)) for row in cursor.fetchall())
    except duckdb.Error as exc:
        raise InputError(
            _("{path}: cannot read the cases: {first_line_exc}").format(
                path=path, first_line_exc=why_unreadable(path, exc)
            )
        ) from None
    if not rows:
        raise InputError(_("{path}: no cases").format(path=path))
    return Table(path, columns, rows)


def _read_jsonl(path: Path) -> Table:
    rows: list[dict[str, Any]] = []
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                place = _("row {len_rows_1} (line {number})").format(
                    len_rows_1=len(rows) + 1, number=number
                )
                rows.append(json_case(line, f"{path}: {place}"))
    except UnicodeDecodeError:
        raise not_utf8(path) from None
    except OSError as exc:
        raise InputError(
            _("{path}: cannot read ({exc_strerror})").format(path=path, exc_strerror=exc.strerror)
        ) from None
    if not rows:
        raise InputError(_("{path}: no cases").format(path=path))
    columns = tuple(dict.fromkeys(key for row in rows for key in row))
    return Table(path, columns, tuple(rows))


def blank(value: Any) -> bool:
    """Whether a cell gives nothing: None, or text of only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())
