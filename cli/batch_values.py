"""One value of a batch file, read exactly as the per-case path reads it (cases._value).

A CSV cell (or a Parquet string) is the same text written unquoted in a YAML case; JSON Lines
values are what a JSON case holds; Parquet numbers, booleans and dates are themselves (a double
by its shortest text, never as binary float money). A daily series is a JSON list, or in a CSV
cell its values separated by `;`."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import yaml

from policyc.case_files import Node, Where
from policyc.case_files import scalar_value as _scalar
from policyc.case_values import FieldError as _FieldError
from policyc.case_values import read_quantity as _quantity
from policyc.case_values import read_value as _value
from policyc.compiler.checker import CheckedPolicy, InputInfo
from policyc.compiler.errors import InputError
from policyc.compiler.i18n import _, json_reason
from policyc.runtime.dates import parse_iso_date
from policyc.runtime.quantity import Quantity

SERIES_SEPARATOR = ";"  # a daily series in a CSV cell: 152;201;188


class ValueReader:
    """Reads one distinct value of a column, as the per-case path reads it."""

    def read(self, value: Any) -> Any:
        raise NotImplementedError

    def say(self, exc: Exception) -> str:
        return str(exc)


@attrs.define
class InputValue(ValueReader):
    """An input's value by cases._value (a tally member's by cases._quantity), given as the
    file holds it: text (a CSV cell, a Parquet string) read as the same text written unquoted
    in a YAML case; numbers, booleans, dates and lists as themselves. Returns what the query
    needs: a stored decimal, a boolean, a date, a member, or a series as text."""

    info: InputInfo
    policy: CheckedPolicy
    tally: bool = False

    def read(self, value: Any) -> Any:
        node = node_of(value, self.info.type.kind in ("series", "boolseries"))
        if node.value is None:
            return None  # a blank cell: not given
        typed = (
            _quantity(self.info, node.value) if self.tally else _value(self.info, node, self.policy)
        )
        if isinstance(typed, Quantity):
            return typed.value
        if isinstance(typed, tuple):
            return stored_text(typed)
        return typed


class OnValue(ValueReader):
    """The evaluation date of a row, as a case file's `on:` is read."""

    def read(self, value: Any) -> Any:
        node = node_of(value, False)
        if node.value is None or isinstance(node.value, date):
            return node.value
        try:
            return parse_iso_date(str(node.value))
        except ValueError as exc:
            raise _FieldError(str(exc)) from None


_RESOLVER = yaml.SafeLoader("")


def text_value(text: str) -> Any:
    """Text as the same text written unquoted as a YAML case value reads: `true` a boolean,
    `12` and `1.5` numbers, `2023-01-05` a date, blank nothing, anything else the text."""
    stripped = text.strip()
    tag = _RESOLVER.resolve(yaml.ScalarNode, stripped, (True, False))  # type: ignore[no-untyped-call]
    try:
        return _scalar(yaml.ScalarNode(tag, stripped), Where("cell"))
    except InputError as exc:  # .nan, .inf: refused as a case file refuses them
        raise _FieldError(str(exc).removeprefix("cell: ")) from None


CELL = Where("cell")  # where a value of the flat batch is, for the per-case reader's messages


def node_of(value: Any, series: bool, where: Where = CELL) -> Node:
    """A value as DuckDB gives it from the file, as the per-case path would hold it; it and
    what it holds are placed at `where`."""
    if isinstance(value, str):
        if series:
            items = value.split(SERIES_SEPARATOR) if value.strip() else []
            if not items:
                return Node(None, where)
            return Node([Node(text_value(item), where) for item in items], where)
        # The text is kept, as a YAML case keeps an unquoted scalar's: an enum reads it as written.
        return Node(text_value(value), where, value.strip())
    if isinstance(value, bool | Decimal):
        return Node(value, where)
    if isinstance(value, int):
        return Node(Decimal(value), where)
    if isinstance(value, float):  # its shortest text, as a person would have written it
        return Node(text_value(repr(value)), where)
    if isinstance(value, datetime):
        return Node(text_value(str(value)), where)
    if isinstance(value, date):
        return Node(text_value(value.isoformat()), where)
    if isinstance(value, list | tuple):
        return Node([node_of(item, False, where) for item in value], where)
    if isinstance(value, dict):
        return Node({str(k): node_of(v, False, where) for k, v in value.items()}, where)
    return Node(str(value), where)


def json_case(line: str, place: str) -> dict[str, Any]:
    def reject(constant: str) -> Any:
        raise InputError(
            _("{place}: `{constant}` is not a number a case may hold").format(
                place=place,
                constant=constant,
            )
        )

    try:
        data = json.loads(line, parse_float=Decimal, parse_int=Decimal, parse_constant=reject)
    except json.JSONDecodeError as exc:
        raise InputError(
            _("{place}: invalid JSON: {exc_msg}").format(
                place=place,
                exc_msg=json_reason(exc.msg),
            )
        ) from None
    except RecursionError:
        raise InputError(_("{place}: nested too deeply").format(place=place)) from None
    if not isinstance(data, dict):
        raise InputError(_("{place}: a case is a JSON object").format(place=place))
    return data


def stored_text(value: Any) -> str:
    """A value the per-case rules read, as the CSV written from JSON Lines holds it."""
    if isinstance(value, Quantity):
        return format(value.value, "f")
    if isinstance(value, tuple):
        return SERIES_SEPARATOR.join(stored_text(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)
