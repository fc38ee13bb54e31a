"""Quantities read from text (runtime/quantity.py holds the values): as a case file or a batch
row writes them (`600万 单`, `3万单/月`, `500万元`, `1,000`, `10%`, a time of day for clock
time), and an input's value by the one rule the per-case and the batch path share
(language.md §3, "Reading a value"). Bad text raises MeasureError with the message shown at
the value's place."""

from __future__ import annotations

import decimal
import re
from decimal import Decimal

from policyc.compiler.i18n import _
from policyc.runtime.quantity import (
    _EXACT,
    _EXPECTED,
    _IN_FORCE,
    _PREFIXES,
    CURRENCIES,
    Declared,
    Dims,
    Measure,
    MeasureError,
    Quantity,
    _known,
    parse_measure,
)

__all__ = ["example_quantity", "parse_quantity_text", "read_input_quantity"]

_NUMBER = re.compile(
    r"(?P<number>-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)\s*(?P<scale>[万亿])?\s*"
    r"(?P<measure>.*)",
    re.DOTALL,
)
_NOT_FINITE = re.compile(r"[-+]?(nan|snan|inf|infinity)\b", re.IGNORECASE)
_EXPONENT = re.compile(r"-?[0-9][0-9.,]*[eE][-+]?[0-9]")
_MAX_INTEGER_DIGITS = 30


def example_quantity(measure: Measure | str | None) -> str:
    """A value written in `measure`, for hints: `1.5万元` for money (a number may carry 万),
    `12月`, `12人` for others, `12` for a plain number."""
    name = measure.name if isinstance(measure, Measure) else (measure or "")
    if not name:
        return "12"
    if name in CURRENCIES:
        return f"1.5万{name}"
    return f"12{name}"


def parse_quantity_text(
    text: str, default: Measure | None, declared: Declared | None = None
) -> Quantity:
    """A quantity as a case file writes it: `600万 单`, `3万单/月`, `500万元`, `1,000`, `10%`.

    A bare number takes `default` (a plain number if None); `万`/`亿` right after the number
    multiply it. A measure is read with `declared`, else with the policy's measures `default`
    was read with. The caller checks the dimensions against what it expects.
    """
    stripped = text.strip()
    if not stripped:
        raise MeasureError(
            _("empty quantity: expected a number, as in `{example}`").format(
                example=example_quantity(default),
            )
        )
    if _NOT_FINITE.match(stripped):
        raise MeasureError(_("`{stripped}` is not a finite number").format(stripped=stripped))
    if _EXPONENT.match(stripped):
        raise MeasureError(
            _("`{stripped}`: write the number out, without an exponent").format(
                stripped=stripped,
            )
        )
    match = _NUMBER.fullmatch(stripped)
    if match is None:
        raise MeasureError(
            _("`{stripped}` does not start with a number, as in `{example}`").format(
                stripped=stripped,
                example=example_quantity(default),
            )
        )
    if match["measure"][:1] in (",", ".") or match["measure"][:1].isdigit():
        raise MeasureError(
            _("`{stripped}` is not a well-formed number, as in 1,000 or 0.2").format(
                stripped=stripped,
            )
        )
    digits = match["number"].replace(",", "")
    whole, _point, fraction = digits.lstrip("-").partition(".")
    if len(whole) > _MAX_INTEGER_DIGITS:
        raise MeasureError(
            _("`{stripped}` has more than {MAX_INTEGER_DIGITS} integer digits").format(
                stripped=stripped,
                MAX_INTEGER_DIGITS=_MAX_INTEGER_DIGITS,
            )
        )
    if len(fraction) > _MAX_INTEGER_DIGITS:
        raise MeasureError(
            _("`{stripped}` has more than {MAX_INTEGER_DIGITS} decimal places").format(
                stripped=stripped,
                MAX_INTEGER_DIGITS=_MAX_INTEGER_DIGITS,
            )
        )
    number = Decimal(digits)
    if match["scale"]:
        with decimal.localcontext(_EXACT):
            number *= _PREFIXES[match["scale"]]
    if match["measure"]:
        if declared is None and default is not None:
            declared = default.declared
        measure = parse_measure(_classifier_dropped(match["measure"], declared), declared)
    else:
        measure = default if default is not None else parse_measure("")
    return Quantity.of(number, measure)


def _classifier_dropped(text: str, declared: Declared | None) -> str:
    """A measure text without the classifier 个 written before a measure as Chinese counts it
    (`1个工作日`, `3个小时`, `2个人`): `个工作日` is 工作日. 个 alone (a count) and a measure named
    with it (个月) are kept."""
    if not text.lstrip().startswith("个"):
        return text
    head = text.split("/", 1)[0].strip()
    in_force = _IN_FORCE.get() if declared is None else declared
    if len(head) > 1 and not _known(head, in_force):
        return text.strip()[1:]
    return text


def read_input_quantity(value: Decimal | int | str, measure: Measure, dims: Dims) -> Quantity:
    """A value a case gives for an input of `measure` (`dims` its dimensions), by the one rule
    both the per-case and the batch path read with (language.md §3, "Reading a value"):

    - a bare number is counted in the input's own measure, always: 6 for a `%` input is 6%, 239.5
      for a `万亩` input is 239.5万亩, 120 for a `人` input is 120人;
    - a number with a measure (`600万单`, `7.2%`, `2年`) is converted from that measure, which must
      have the input's dimensions;
    - no value is negative, and a count of whole things is whole (0.5人 is refused).

    Raises MeasureError with the message the case file or batch row shows at its place.
    """
    text = str(value)
    quantity = _clock_quantity(text, dims) if dims == _HOURS else None
    if quantity is None:
        single = len(measure.dims) == 1 and measure.dims[0][1] == 1 and measure.name != "%"
        token = _EXPECTED.set(measure.name if single else "")
        try:
            quantity = parse_quantity_text(text, measure)
        finally:
            _EXPECTED.reset(token)
    if quantity.dims != dims:
        from policyc.runtime.measure_messages import other_dims  # only on an error

        raise other_dims(text, measure, quantity.dims, dims)
    if quantity.value < 0:
        raise MeasureError(
            _("must not be negative, got `{text_40}{if_len_text_40_else}`").format(
                text_40=text[:40],
                if_len_text_40_else="…" if len(text) > 40 else "",
            )
        )
    if measure.whole and quantity.value != quantity.value.to_integral_value():
        count = measure.dims[0][0]
        raise MeasureError(
            _(
                "{count} counts whole things: expected a whole number of {count}, "
                "got `{text_40}{if_len_text_40_else}`"
            ).format(
                count=count,
                text_40=text[:40],
                if_len_text_40_else="…" if len(text) > 40 else "",
            )
        )
    return quantity


_HOURS: Dims = (("小时", 1),)


def _clock_quantity(text: str, dims: Dims) -> Quantity | None:
    """A time of day (`8时30分`, `8:30`) or hours and minutes (`8小时30分钟`) for an input in clock
    time, in 小时 (runtime/clock_values.py); None for any other text."""
    if text[-1:].isdigit() and ":" not in text:
        return None  # a plain number: the quantity reader's, quickly
    from policyc.runtime.clock_values import ClockError, clock_hours

    try:
        hours = clock_hours(text)
    except ClockError as exc:
        raise MeasureError(str(exc)) from None
    return None if hours is None else Quantity(hours, dims)
