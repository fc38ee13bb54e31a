"""Checking a batch file: every value read by the per-case rules, every row checked as a case
file is, and the view `cases` defined over the view `raw` that batch_read.CaseReader reads (a
typed column per input column of the policy, in stored units).

Problems name the row and the column, listed by row, then by the file's column order (a
problem of a whole column first); each column is read until MAX_PROBLEMS problems, the first
MAX_PROBLEMS by row are shown and the rest counted."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from policyc.batch_progress import Progress
from policyc.batch_read import (
    EXTRA_COLUMNS,
    INEXACT,
    LINE,
    MAX_PROBLEMS,
    BatchError,
    CaseReader,
    unknown_column,
)
from policyc.batch_values import InputValue, OnValue, ValueReader
from policyc.case_values import FieldError as _FieldError
from policyc.case_values import describe_input as _describe
from policyc.cases import result_names
from policyc.compiler.batch import ON, RECEIVED, ROW, comment_text, ident, input_columns, literal
from policyc.compiler.checker import CheckedPolicy, InputInfo, constant
from policyc.compiler.errors import did_you_mean
from policyc.compiler.i18n import _
from policyc.compiler.node_exprs import BoolLit, DateLit, Expr
from policyc.percent_values import needs_sign
from policyc.runtime.quantity import Measure, Quantity

MAX_DIGITS = 30  # before and after the point, as parse_quantity_text allows
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
    # A numeric column whose fast test is its bounds alone (0 ≤ x < 10^MAX_DIGITS): its minimum
    # and maximum (from the Parquet statistics, without a scan) tell whether any value is slow.
    bounded: bool = False
    scale: int = 0
    width: int = 38


# Up to this many distinct values read by the per-case code, a column's SQL is a CASE over them;
# past it, a lookup in a table (a join).
SMALL_LOOKUP = 64


class CaseLoader(CaseReader):
    """The case file of a batch run, read into its DuckDB connection (CaseReader) and checked."""

    def __init__(self, checked: CheckedPolicy, progress: Progress):
        super().__init__(checked, progress)
        self.types: dict[str, tuple[int, int]] = {}
        self.has_id = False
        # The evaluation date of every case when the file has no `on` column (--on), else None.
        self.day: date | None = None
        self._maps = 0

    def load(self, path: Path, on: date | None) -> int:
        """Read and check the case file; defines the view `cases`. Returns the number of cases."""
        types = self.read(path)
        with self.progress.track(self.con, "checking"):
            self._define_cases(types, on)
        return self.count

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
        self._order = {name: i for i, name in enumerate(types)}  # the file's column order
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
                problems.append(
                    _("column `{source}`: a tally is one column per member: {members}").format(
                        source=source,
                        members=members,
                    )
                )
            else:
                problems.append(unknown_column(source, [*owner, *EXTRA_COLUMNS]))
        for name, info in checked.inputs.items():
            if info.decl.presence == "required" and not set(columns) & set(by_input[name]):
                problems.append(_("missing input column `{name}`").format(name=name))
        if "on" not in extras and on is None:
            problems.append(_("no evaluation date: give an `on` column or --on DATE"))
        if problems:
            raise BatchError(self._problems(problems))
        stats: dict[str, str] = {}
        for column in columns.values():
            self._plan(column, stats)
        if "on" in extras:
            stats["slow:on"] = f"count({_raw('on')})"
        names = list(stats)
        # Columns stored as they are (a Parquet file of yes/no columns alone) need no statistic.
        statistics_query = f"SELECT {', '.join(stats[k] for k in names)} FROM raw"
        row = self.con.execute(statistics_query).fetchone() if names else ()
        found = dict(zip(names, row or (), strict=True))
        unchecked = 0
        for column in columns.values():
            unchecked += self._finish(column, found, problems)
        on_sql = "NULL"
        if "on" in extras:
            on_column = _Column("on", None, extras["on"])
            unchecked += self._read_slow(on_column, "FALSE", OnValue(), "DATE", problems)
            on_sql = on_column.sql or "NULL"
            if on is None and not problems:
                missing = self.con.execute(
                    f"SELECT {LINE} FROM raw WHERE {on_sql} IS NULL ORDER BY {LINE} LIMIT 5"
                ).fetchall()
                problems.extend(
                    self._at(
                        _(
                            "row {line}, column `on`: no evaluation date: fill `on` or give --on"
                        ).format(line=line),
                        line,
                        "on",
                    )
                    for (line,) in missing
                )
        received = self._received_column(extras.get("received"), problems)
        if problems:
            problems.sort(key=_by_row)
            raise BatchError(self._problems(problems, unchecked))
        default = f"DATE '{on.isoformat()}'" if on is not None else "NULL"
        day = f"coalesce({on_sql}, {default})" if "on" in extras else default
        select = [
            f"{LINE} AS {ident(ROW)}",
            f"{day} AS {ident(ON)}",
            f"{received} AS {ident(RECEIVED)}",
        ]
        self.has_id = "id" in extras
        self.day = on if "on" not in extras else None
        for name, info in checked.inputs.items():
            for target in by_input[name]:
                sql = self._input_sql(name, info, target, columns, by_input)
                select.append(f"{sql} AS {ident(target)}")
        self.types = {c.source: (c.width, c.scale) for c in columns.values()}
        self.con.execute(f"CREATE VIEW cases AS SELECT {', '.join(select)} FROM raw")
        problems = self._required_given(columns) + self._parts_fit() + self._ids_once()
        if problems:
            raise BatchError(self._problems(problems))

    def _ids_once(self) -> list[str]:
        """An `id` given to two rows is refused: the results name each case by its id."""
        if not self.has_id:
            return []
        rows = self.con.execute(
            f"SELECT {_raw('id')}, min({LINE}), arg_min({LINE}, {LINE}, 2)[2] FROM raw "
            f"WHERE {_raw('id')} IS NOT NULL GROUP BY ALL HAVING count(*) > 1 "
            f"ORDER BY 2 LIMIT {MAX_PROBLEMS + 1}"
        ).fetchall()
        return [
            _(
                "row {second}, column `id`: `{id}` is row {first}'s id too: each case needs its own"
            ).format(id=case_id, first=first, second=second)
            for case_id, first, second in rows
        ]

    def _required_given(self, columns: dict[str, _Column]) -> list[str]:
        """A row that leaves a required input empty is refused, as a case file is."""
        required = [
            (name, info)
            for name, info in self.checked.inputs.items()
            if info.decl.presence == "required" and name in columns
        ]
        if not required:
            return []
        empty = " OR ".join(f"{ident(name)} IS NULL" for name, _ in required)
        flags = ", ".join(f"{ident(name)} IS NULL" for name, _ in required)
        rows = self.con.execute(
            f"SELECT {ident(ROW)}, {flags} FROM cases WHERE {empty} ORDER BY {ident(ROW)} "
            f"LIMIT {MAX_PROBLEMS + 1}"
        ).fetchall()
        problems = [
            _("row {row_0}, column `{name}`: missing input `{name}`: expected {value}").format(
                row_0=row[0], name=name, value=_describe(info, self.checked)
            )
            for row in rows
            for (name, info), missing in zip(required, row[1:], strict=True)
            if missing
        ]
        return problems

    def _parts_fit(self) -> list[str]:
        """Rows whose parts add up to more than their whole (`input P: … part of W`), refused
        with the message a case file gets for them (CheckedPolicy.part_conflicts, which judges
        every row SQL finds), at the column of the last part given."""
        checked = self.checked
        if not checked.parts:
            return []
        over = []
        for whole, parts in checked.parts.items():
            given = " OR ".join(f"{ident(p)} IS NOT NULL" for p in parts)
            total = " + ".join(f"coalesce({ident(p)}, 0)" for p in parts)
            over.append(f"({ident(whole)} IS NOT NULL AND ({given}) AND {total} > {ident(whole)})")
        names = list(dict.fromkeys(n for w, ps in checked.parts.items() for n in (w, *ps)))
        select = f"SELECT {ident(ROW)}, {', '.join(map(ident, names))} FROM cases"
        try:
            rows = self.con.execute(
                f"{select} WHERE {' OR '.join(over)} ORDER BY {ident(ROW)} LIMIT {MAX_PROBLEMS + 1}"
            ).fetchall()
        except INEXACT:  # a sum past 38 digits: every row judged by the per-case code alone
            rows = self.con.execute(f"{select} ORDER BY {ident(ROW)}").fetchall()
        problems: list[str] = []
        for row, *cells in rows:
            values = {
                name: Quantity(Decimal(cell), checked.inputs[name].type.dims)
                for name, cell in zip(names, cells, strict=True)
                if cell is not None
            }
            problems.extend(
                _("row {row}, column `{field}`: {message}").format(
                    row=row,
                    field=field,
                    message=message,
                )
                for field, message in checked.part_conflicts(values)
            )
            if len(problems) > MAX_PROBLEMS:
                break
        return problems

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
        elif needs_sign(info):  # `5.5%`, never a bare number: read as a case file reads it
            column.fast = "FALSE"
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
                column.bounded = len(fast) == 2
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
        if column.fast != "TRUE" and not column.bounded:
            stats[f"slow:{key}"] = f"count(CASE WHEN NOT {column.fast} THEN {x} END)"

    def _finish(self, column: _Column, found: dict[str, Any], problems: list[str]) -> int:
        """The typed SQL of a column: what SQL reads itself, and the rest read by the per-case
        code through a table. Returns how many rows were left unchecked (problems enough)."""
        info, x, kind, key = column.info, _raw(column.source), column.kind, column.source
        assert info is not None
        tkind = info.type.kind
        reader = InputValue(info, self.checked, tally=column.tally)
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
        if column.bounded:
            low, top = found[f"min:{key}"], found[f"max:{key}"]
            if low is not None and (low < 0 or top >= 10**MAX_DIGITS):  # some value is slow
                found[f"slow:{key}"] = self._one(
                    f"SELECT count(CASE WHEN NOT {column.fast} THEN {x} END) FROM raw"
                )
        unchecked = 0
        mapping: dict[str, Any] = {}
        if found.get(f"slow:{key}"):
            unchecked = self._read_slow(column, column.fast, reader, "", problems, mapping)
        else:  # every value given is read by SQL: no test per row
            column.fast = "TRUE"
        self._typed(column, value, scale, max(digits, 1), factor, problems, mapping)
        return unchecked

    def _read_slow(
        self,
        column: _Column,
        fast: str,
        reader: ValueReader,
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
        before = len(problems)  # each column is read up to MAX_PROBLEMS problems of its own
        cursor = self.con.cursor()
        cursor.execute(
            f"SELECT {x}, CAST({x} AS VARCHAR), min({LINE}) AS first, count(*) FROM raw "
            f"WHERE {slow} GROUP BY {x} ORDER BY first"
        )
        while len(problems) - before < MAX_PROBLEMS and (chunk := cursor.fetchmany(10_000)):
            for value, key, first, count in chunk:
                if len(problems) - before >= MAX_PROBLEMS:
                    break
                checked += count
                try:
                    read[key] = reader.read(value)
                except _FieldError as exc:
                    said = _("row {first}, column `{column_source}`: {reader_say_exc}").format(
                        first=first,
                        column_source=column.source,
                        reader_say_exc=reader.say(exc),
                    )
                    problems.append(self._at(said, first, column.source))
        cursor.close()
        unchecked = 0
        if len(problems) - before >= MAX_PROBLEMS:  # stop reading: only count what is left
            unchecked = int(self._one(f"SELECT count(*) FROM raw WHERE {slow}")) - checked
        if mapping is not None or problems:
            return unchecked
        looked_up = self._lookup(x, read, sql_type)
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
            problems.append(
                _("column `{column_source}`: a value has more than 38 digits").format(
                    column_source=column.source,
                )
            )
            return
        column.scale, column.width = scale, digits + scale
        if mapping:
            looked_up = self._lookup(_raw(column.source), mapping, f"DECIMAL(38,{scale})")
            value = f"(CASE WHEN {column.fast} THEN {value} ELSE {looked_up} END)"
        elif column.fast not in ("TRUE",):
            value = f"(CASE WHEN {column.fast} THEN {value} END)"
        column.sql = f"CAST({value} AS DECIMAL({column.width},{scale}))"

    def _lookup(self, x: str, read: Mapping[str, Any], sql_type: str) -> str:
        """SQL giving, for the raw value `x` (as text), what the per-case code read it as
        (`read`), typed `sql_type`: a CASE over the values when they are few (no join per row),
        else a lookup in a table of them."""
        if len(read) <= SMALL_LOOKUP:
            if not read:
                return f"CAST(NULL AS {sql_type})"
            arms = " ".join(
                f"WHEN {literal(k)} THEN {_typed_constant(v, sql_type)}" for k, v in read.items()
            )
            return f"(CASE CAST({x} AS VARCHAR) {arms} END)"
        self._maps += 1
        table = f"map_{self._maps}"
        self.con.execute(f"CREATE TABLE {table} (k VARCHAR, v {sql_type})")
        self.con.executemany(
            f"INSERT INTO {table} VALUES (?, CAST(? AS {sql_type}))",
            [(k, _constant_text(v)) for k, v in read.items()],
        )
        return f"(SELECT v FROM {table} WHERE k = CAST({x} AS VARCHAR))"

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

    def _at(self, text: str, row: int, column: str) -> str:
        """A problem of row `row` and column `column`, kept with its place (`_by_row`)."""
        found = _AtRow(text)
        found.place = (row, self._order.get(column, len(self._order)))
        return found

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
        # What a case file's `received:` accepts, with its message, at the first row naming it.
        known = result_names(self.checked)
        given = self.con.execute(
            f"SELECT name, min({LINE}) AS first FROM (SELECT {LINE}, unnest({names}) AS name "
            "FROM raw) GROUP BY name ORDER BY first"
        ).fetchall()
        for name, first in given:
            if name not in known:
                said = _(
                    "row {first}, column `received`: `{comment_text_name}` is not a rule of "
                    "{checked_header_number}{did_you_mean_name_known}"
                ).format(
                    first=first,
                    comment_text_name=comment_text(name),
                    checked_header_number=self.checked.header.number,
                    did_you_mean_name_known=did_you_mean(name, known),
                )
                problems.append(self._at(said, first, "received"))
        return f"coalesce({names}, CAST([] AS VARCHAR[]))"


class _AtRow(str):
    """A problem's text with its place: (row, the column's position in the file)."""

    place: tuple[int, int] = (0, 0)


def _by_row(problem: str) -> tuple[int, int]:
    """Where a problem sorts: by row, then column; a problem of a whole column first."""
    return problem.place if isinstance(problem, _AtRow) else (0, 0)


def _constant_text(value: Any) -> str | None:
    """A value the per-case code read, as the text SQL casts to its type (None: NULL)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _typed_constant(value: Any, sql_type: str) -> str:
    text = _constant_text(value)
    return f"CAST({'NULL' if text is None else literal(text)} AS {sql_type})"


def _raw(column: str) -> str:
    return f"raw.{ident(column)}"


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
