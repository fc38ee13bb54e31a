"""Hours and minutes in a case's value for an input counted in 小时 (language.md §7 "Reading a
value"): a time of day `8时30分`, `8点30分`, `8时半`, `8:30`, `8时` and a duration `8小时30分钟`.

A time of day is read as the hours since 0时 of its day (8时30分 is 8.5小时), as a policy that
compares an hour of the day with a handover at 8时30分 counts it (`查询时刻 低于 8.5 小时`); 0:00 to
24:00, minutes 0 to 59. A duration `H小时M分钟` is H + M/60 小时, minutes 0 to 59. The language
keeps every value exact and a minute is 1/60 小时, which no decimal holds: only a whole number of
3 minutes (0.05小时) is read; 8时20分 is refused with a message that says so, never rounded.

Only these exact shapes are read here, and only for an input whose dimension is clock time
(`小时`, `日`); anything else is left to `quantity_reading.parse_quantity_text`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from policyc.compiler.i18n import _

_TIME_OF_DAY = re.compile(
    r"(?P<hour>[0-9]{1,2})\s*(?:时|点)\s*(?:(?P<minute>[0-9]{1,2})\s*分|(?P<half>半))?"
    r"|(?P<hour2>[0-9]{1,2}):(?P<minute2>[0-9]{2})"
)
_DURATION = re.compile(r"(?P<hour>[0-9]{1,30})\s*个?\s*小时\s*(?P<minute>[0-9]{1,2})\s*分钟?")
_SIXTY = Decimal(60)


class ClockError(ValueError):
    """A time of day or an hours-and-minutes duration that cannot be read exactly, said plainly
    (quantity_reading.read_input_quantity turns it into a MeasureError at the value's place)."""


def clock_hours(text: str) -> Decimal | None:
    """The hours `text` stands for when it is a time of day (`8时30分`, `8:30` → 8.5) or an
    hours-and-minutes duration (`8小时30分钟` → 8.5); None when it is neither shape (a plain
    `8.5小时` or `36` is left to the quantity reader). Raises ClockError for a shape with an
    impossible hour or minute (25时, 8:75) or minutes that are no exact decimal of an hour
    (8时20分: 1/3 小时)."""
    stripped = text.strip()
    match = _TIME_OF_DAY.fullmatch(stripped)
    if match is not None:
        hour = int(match["hour"] or match["hour2"])
        minute = 30 if match["half"] else int(match["minute"] or match["minute2"] or 0)
        if hour > 24 or minute > 59 or (hour == 24 and minute):
            raise ClockError(
                _(
                    "`{text}` is no time of day: the hour is 0 to 24 and the minutes 0 to 59 "
                    "(24:00 is the day's end)"
                ).format(text=stripped)
            )
        return _hours(stripped, hour, minute)
    match = _DURATION.fullmatch(stripped)
    if match is not None:
        minute = int(match["minute"])
        if minute > 59:
            raise ClockError(
                _("`{text}`: the minutes after 小时 are 0 to 59").format(text=stripped)
            )
        return _hours(stripped, int(match["hour"]), minute)
    return None


def _hours(text: str, hour: int, minute: int) -> Decimal:
    if minute % 3:
        raise ClockError(
            _(
                "`{text}`: {minute}分 is no exact number of 小时 (a minute is 1/60 小时, and "
                "only a multiple of 3 minutes is a decimal: 3分 = 0.05小时); write the time to "
                "such a minute, or ask the policy's drafter how minutes are counted"
            ).format(text=text, minute=minute)
        )
    return Decimal(hour) + Decimal(minute) / _SIXTY
