"""A case given as plain data read the short way, by a reader compiled once per policy.

`fast_case(data, view, name)` returns the `Case` that `cases.case_from_data(data, view, name)`
gives, or None when the short way cannot vouch for it: then the caller reads the case the full
way (`validate_case`), which words every problem. So no message is made here, and a case with a
problem (an unknown field or input, a value of the wrong type or measure, a missing required
input, a part over its whole) always costs the full reading, never a different message.

The short way covers what the web service gets case after case: `on`, `inputs` (and `policy`,
`description`) for a policy without a group or periods. Each input's reader is built once per
view (a `WeakKeyDictionary`, as `case_values._LEFT_OUT`): an enum's members as a set, a bool, a
date by `iso_date`, a quantity from a Decimal in the input's own measure without reading its
text, or from a text `1.5万单` written in it; anything else in a value goes to `read_value`, the
full reader of one value. The readers make exactly what the full reader makes (the same Decimal,
exponent and all; the same dims); tests/test_case_fast.py compares the two on every example and
on random cases. A random textile case (benchmarks/case_reading.py): ~25 µs of CPU the short
way against ~90 µs the full way; 116k instructions against 335k (callgrind).
"""

from __future__ import annotations

import re
import weakref
from datetime import date
from decimal import Decimal

from policyc.case_files import Where, wrap_plain
from policyc.case_values import (
    _PLAIN_NUMBER,
    FieldError,
    default_value,
    iso_date,
    plain_number,
    read_value,
)
from policyc.case_words import YES, yes_no
from policyc.compiler.errors_base import InputError
from policyc.compiler.run_view import InputView, RunView
from policyc.percent_values import needs_sign
from policyc.runtime.plain import _set
from policyc.runtime.quantity import _PREFIXES, MeasureError, Quantity, _multiply, parse_measure

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from policyc.cases import Case
    from policyc.runtime.quantity import Measure

    Reader = Callable[[Any], Any]


class _Slow(Exception):
    """The short reader met a value it cannot vouch for: the case is read the full way."""


# The top-level fields the short way reads; any other sends the case the full way.
_FIELDS = frozenset(("on", "inputs", "policy", "description"))
_new = object.__new__


class _Plan:
    """What reading a case of one policy needs, worked out once: each input's reader, the
    inputs a case may not leave out (name, default or `_REQUIRED`), the policy's number."""

    __slots__ = ("left_out", "number", "readers", "view")

    def __init__(
        self,
        readers: dict[str, Reader],
        left_out: list[tuple[str, Any]],
        number: str,
        view: RunView,
    ):
        self.readers = readers
        self.left_out = left_out
        self.number = number
        self.view = view


_REQUIRED = object()
_PLANS: weakref.WeakKeyDictionary[RunView, _Plan | None] = weakref.WeakKeyDictionary()
# The plan read last, looked at first: a service answers case after case of one policy. (It
# holds its view: one policy dropped while no other is read stays until the next is.)
_LAST: list[_Plan | None] = [None]


def fast_case(data: Any, view: RunView, name: str) -> Case | None:
    """The Case `validate_case(wrap_plain(data, Where(name), 0), view, name)` gives, read the
    short way; None when the case needs the full reading (a field, input or value the short
    readers do not vouch for: a problem, or a shape they do not cover). Never raises for bad
    input."""
    if data.__class__ is not dict:
        return None
    plan = _LAST[0]
    if plan is None or plan.view is not view:
        plan = _PLANS[view] if view in _PLANS else _PLANS.setdefault(view, _plan(view))
        if plan is None:
            return None
        _LAST[0] = plan
    for key in data:
        if key not in _FIELDS:
            return None
    if "policy" in data and data["policy"] != plan.number:  # `policy: null` too: the full way
        return None
    try:
        on = _on(data.get("on"))
        inputs = _inputs(data.get("inputs"), plan)
    except _Slow:
        return None
    if plan.view.parts and plan.view.part_conflicts(inputs):
        return None
    from policyc.cases import Case

    return Case(name, plan.number, on, inputs, (), {}, {})


def _on(value: Any) -> date | None:
    if value is None:
        return None
    if value.__class__ is str:
        try:
            return iso_date(value)
        except ValueError:
            raise _Slow from None
    if isinstance(value, date):
        return value
    raise _Slow


def _inputs(given: Any, plan: _Plan) -> dict[str, Any]:
    if given is None:
        given = {}
    elif given.__class__ is not dict:
        raise _Slow
    values: dict[str, Any] = {}
    readers = plan.readers
    for name, value in given.items():
        reader = readers.get(name)
        if reader is None:  # unknown, or per member or per period: the full reading
            raise _Slow
        if value is not None:  # written but left empty: the same as not given
            values[name] = reader(value)
    for name, default in plan.left_out:
        if name not in values:
            if default is _REQUIRED:
                raise _Slow
            values[name] = default
    return values


def _plan(view: RunView) -> _Plan | None:
    """The view's readers, or None for a policy the short way does not cover (a group or
    periods: members and values per period are read the full way)."""
    people = view.people
    if people.group or people.periods or people.member_inputs or people.period_of:
        return None
    readers = {name: _reader(name, info, view) for name, info in view.inputs.items()}
    left_out: list[tuple[str, Any]] = []
    for name, info in view.inputs.items():
        presence = info.decl.presence
        if presence == "required":
            left_out.append((name, _REQUIRED))
        elif presence == "default":
            left_out.append((name, default_value(info, view)))
    return _Plan(readers, left_out, view.header.number, view)


def _reader(name: str, info: InputView, view: RunView) -> Reader:
    """One input's reader: its value as `read_value` makes it, or _Slow."""
    kind = info.type.kind
    full = _full_reader(name, info, view)
    if kind == "bool":
        return _bool_reader(full)
    if kind == "date":
        return _date_reader(full)
    if kind == "enum":
        return _enum_reader(frozenset(view.enums[info.type.enum]), full)
    if kind in ("series", "keyed") or info.measure is None:
        return full
    return _quantity_reader(info, full)


def _full_reader(name: str, info: InputView, view: RunView) -> Reader:
    where = Where(name)

    def read(value: Any) -> Any:
        # As validate_case meets it: wrapped at the inputs' depth (root 0, `inputs` 1).
        try:
            return read_value(info, wrap_plain(value, where, 2), view)
        except (FieldError, ValueError, InputError):
            raise _Slow from None

    return read


def _bool_reader(full: Reader) -> Reader:
    def read(value: Any) -> Any:
        if value.__class__ is bool:
            return value
        if value.__class__ is str:
            word = yes_no(value)
            if word is not None:
                return word == YES
        return full(value)

    return read


def _date_reader(full: Reader) -> Reader:
    def read(value: Any) -> Any:
        if value.__class__ is str:
            try:
                return iso_date(value)
            except ValueError:
                raise _Slow from None
        return full(value)

    return read


def _enum_reader(members: frozenset[str], full: Reader) -> Reader:
    def read(value: Any) -> Any:
        if value.__class__ is str and value in members:
            return value
        return full(value)

    return read


def _quantity_reader(info: InputView, full: Reader) -> Reader:
    """A Decimal or a text in the input's measure; what `read_quantity` makes of it, taken
    without `read_input_quantity` where that reading is sure: the measure's dims are the
    input's, a bare number needs no sign (not `%`), and no plain number carries `%`'s flag."""
    measure = info.measure
    assert measure is not None
    dims, factor, whole = measure.dims, measure.factor, measure.whole
    if dims != info.type.dims or needs_sign(info) or not dims:
        return full
    one = str(factor) == "1"
    # `1.5万单` for an input in 单: the number, a scale, the measure's own name (a measure that
    # is itself a scale's multiple, `万元`, is left to the full reader).
    text = (
        re.compile(rf"({_PLAIN_NUMBER})([万亿]?){re.escape(measure.name)}")
        if one and measure.name[:1] not in _PREFIXES and _reads_back(measure)
        else None
    )

    # As read_quantity, step by step, with what depends on the measure alone worked out once
    # above: a shared function taking the measure (its `whole` and factor worked out on every
    # value) cost ~6 µs of a random textile case's ~22 (benchmarks/case_reading.py).
    def read(value: Any) -> Any:
        cls = value.__class__
        if cls is Decimal:
            if not plain_number(str(value)):
                return full(value)
            number = value
        elif cls is str and text is not None:
            match = text.fullmatch(value)
            if match is None:
                return full(value)
            number = Decimal(match[1])
            if match[2]:
                number = _multiply(number, _PREFIXES[match[2]])
        else:
            return full(value)
        if not one:
            try:
                number = _multiply(number, factor)
            except ArithmeticError:
                return full(value)
        if whole and number != number.to_integral_value():
            raise _Slow  # 0.5人: refused by the full reader, with its message
        quantity: Quantity = _new(Quantity)  # as runtime.quantity._make, one call fewer
        _set(quantity, "value", number)
        _set(quantity, "dims", dims)
        return quantity

    return read


def _reads_back(measure: Measure) -> bool:
    """Whether the measure's name, written after a number, reads as the measure itself (what
    `parse_quantity_text` does with it): then `12单` is 12 of it."""
    try:
        again = parse_measure(measure.name, measure.declared)
    except MeasureError:
        return False
    return again.dims == measure.dims and again.factor == measure.factor
