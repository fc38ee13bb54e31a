"""SQL text for the batch query: values with their exactness (scale, width) and NotApplicable
flag, names and literals quoted so that nothing of a policy or a case runs as SQL, and the exact
DECIMAL arithmetic DuckDB needs spelled out (widening, rounding)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from policyc.compiler.i18n import _

# The query's own columns of `cases`: the row's number, its evaluation date, the rules it has
# already received.
ROW, ON, RECEIVED = "__row", "__on", "__received"


class Unsupported(Exception):
    """A construct the batch path does not express; the rule runs case by case."""


@attrs.frozen
class Sql:
    """A value as SQL: NULL when unknown; `na` is SQL that is TRUE when evaluating it raises
    NotApplicable in the per-case path (None: it never does); `scale` counts decimal places."""

    v: str
    na: str | None = None
    scale: int = 0
    width: int = 38  # DuckDB computes in 64 bits up to 18 digits: products past that are widened


Keyed = dict[str, Sql]  # a tally or a table: one value per enum member
Value = Sql | Keyed


def ident(name: str) -> str:
    """A SQL identifier naming `name` exactly, whatever it holds (quotes, `;`, newlines)."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal holding `text` exactly (DuckDB reads no backslash escapes in '…')."""
    return "'" + text.replace("'", "''") + "'"


def comment_text(text: str) -> str:
    """`text` for a `--` comment: every character that could end the line (or hide anything) as
    a \\uXXXX escape, so nothing of a policy string runs as SQL."""
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)


def decimal_sql(value: Decimal) -> Sql:
    """An exact DECIMAL literal."""
    text = format(value, "f")
    scale = len(text.partition(".")[2])
    digits = len(text.lstrip("-").replace(".", "").lstrip("0")) or 1
    width = max(digits, scale + 1)
    if width > 38:
        raise Unsupported(_("the number {text} has more than 38 digits").format(text=text))
    return Sql(f"CAST('{text}' AS DECIMAL({width},{scale}))", scale=scale, width=width)


def date_sql(day: date) -> str:
    return f"DATE '{day.isoformat()}'"


def is_constant(value: Sql) -> bool:
    return value.v.startswith("CAST('") and value.v.endswith(")") and value.v.count("(") == 1


def union(*values: Sql) -> tuple[int, int]:
    """(scale, width) of a DECIMAL that holds each of `values` (a CASE of them)."""
    scale = max(v.scale for v in values)
    return scale, min(38, max(v.width - v.scale for v in values) + scale)


def sum_width(x: Sql, y: Sql) -> int:
    return min(38, max(x.width - x.scale, y.width - y.scale) + max(x.scale, y.scale) + 1)


def multiply(x: Sql, y: Sql, na: str | None) -> Sql:
    """DuckDB multiplies two DECIMALs of up to 18 digits in 64 bits and fails on overflow: where
    the product may need more digits, widen the operands to 128 bits first."""
    scale = x.scale + y.scale
    if x.width + y.width <= 18:
        return Sql(f"({x.v} * {y.v})", na, scale, x.width + y.width)
    a, b = (v.v if v.width > 18 else f"CAST({v.v} AS DECIMAL(38,{v.scale}))" for v in (x, y))
    return Sql(f"({a} * {b})", na, scale, 38)


def any_true(parts: list[str]) -> str | None:
    return "(" + " OR ".join(parts) + ")" if parts else None


def rounded(x: str, places: int, mode: str) -> str:
    """runtime.amounts.Rounding.apply in SQL, exact on DECIMAL: DuckDB's round() takes a half
    away from zero (四舍五入) and round_even() to the even digit; 舍去 and 进一 go toward and away
    from zero through floor and ceil of the amount in units of the last place kept."""
    if mode == "half_up":
        return f"round({x}, {places})"
    if mode == "half_even":
        return f"round_even({x}, {places})"
    scale = f"CAST('1{'0' * places}' AS DECIMAL({places + 1},0))"
    unit = decimal_sql(Decimal(1).scaleb(-places)).v
    lower, upper = (f"floor({x} * {scale})", f"ceil({x} * {scale})")
    if mode == "down":  # toward zero
        body = f"CASE WHEN {x} < 0 THEN {upper} ELSE {lower} END"
    else:  # up: away from zero
        body = f"CASE WHEN {x} < 0 THEN {lower} ELSE {upper} END"
    return f"(({body}) * {unit})"


def plain_decimal_text(x: str) -> str:
    """A DECIMAL as the plain text Python's `format(value.normalize(), "f")` writes (no trailing
    zeros after the point, no point without decimals): the results file's amounts and values."""
    text = f"CAST({x} AS VARCHAR)"
    return f"(CASE WHEN contains({text}, '.') THEN rtrim(rtrim({text}, '0'), '.') ELSE {text} END)"
