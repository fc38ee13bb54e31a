"""Calendar arithmetic for validity periods, 满N个月 and 第N年, after 民法典 arts. 201–202.

Art. 202: a period counted in months or years ends on the corresponding day of the last month,
and on that month's last day when it has no such day. Everything here derives from `add_months`,
which applies that rule, so validity periods, years of operation and completed months agree with
one another.
"""

from __future__ import annotations

import re
from datetime import MAXYEAR, MINYEAR, date, timedelta

from policyc.compiler.i18n import _

__all__ = [
    "COUNTINGS",
    "DatesOutOfOrder",
    "add_months",
    "add_years",
    "check_order",
    "parse_iso_date",
    "period_last_day",
    "whole_months_between",
    "year_of_operation",
]

COUNTINGS = ("from_start_day", "from_next_day")


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def written_day(day: date) -> str:
    """`2026年4月1日`: a day as the documents write it (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def days_in_month(year: int, month: int) -> int:
    """The number of days of `month` (1-12) in `year`, in the proleptic Gregorian calendar:
    February has 29 in a year divisible by 4, except centuries not divisible by 400 (as
    `calendar.monthrange`, whose module and its locale import a `run` does not need)."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month - 1]


def add_months(d: date, n: int) -> date:
    """The corresponding day `n` months on (or back); the month's last day if it has no such day
    (民法典 art. 202: 没有对应日的, 月末日为期间的最后一日).

    Raises OverflowError when that day is after 9999-12-31 or before 0001-01-01 (the calendar
    Python counts in), never ValueError: a caller tells a date out of range from a bad word."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError(f"{d.isoformat()} plus {n} months is outside the years 1 to 9999")
    day = min(d.day, days_in_month(year, month0 + 1))
    return date(year, month0 + 1, day)


def add_years(d: date, n: int) -> date:
    """`add_months(d, 12 * n)`: 2024-02-29 plus one year is 2025-02-28."""
    return add_months(d, 12 * n)


def period_last_day(
    start: date, years: int = 0, months: int = 0, counting: str = "from_start_day"
) -> date:
    """The last day of a period of `years` and `months` beginning on `start`.

    `from_next_day` is 民法典 art. 201: the start day is not counted, so the period ends on the
    corresponding day (2023-01-06 + 3 年 → 2026-01-06). `from_start_day` counts the start day as
    day one and so ends one day earlier (→ 2026-01-05); the next period, or the policy's next year
    of operation, begins on the corresponding day.

    Raises ValueError for an unknown counting, OverflowError when the last day is after
    9999-12-31 (or before 0001-01-01).
    """
    if counting not in COUNTINGS:
        raise ValueError(
            _("unknown counting `{counting}`: expected from_start_day or from_next_day").format(
                counting=counting
            )
        )
    total = 12 * years + months
    if counting == "from_start_day" and start.day == 1 and total > 0:
        # The day before the first of a month is the previous month's last day, which exists
        # even when the corresponding day (the first of January 10000) does not.
        before = add_months(start, total - 1)
        return before.replace(day=days_in_month(before.year, before.month))
    end = add_months(start, total)
    return end if counting == "from_next_day" else end - timedelta(days=1)


def whole_months_between(start: date, end: date) -> int:
    """Completed months (满N个月) from `start` to `end`: the largest n with add_months(start, n)
    <= end, or 0 when `end` is before `start`.

    Month N is complete on its corresponding day, as with art. 201's not counting the start day:
    2023-01-06 → 2023-07-06 is 满6个月, 2023-07-05 only 5. By art. 202's month-end rule
    2023-01-31 + 1 month is 2023-02-28, so 2023-02-28 completes one month.
    """
    n = (end.year - start.year) * 12 + end.month - start.month
    if n > 0 and add_months(start, n) > end:
        n -= 1  # the corresponding day of the last month has not come yet
    return max(n, 0)


def year_of_operation(anchor: date, on: date) -> int | None:
    """Which year (1, 2, …) counted from `anchor` the day `on` falls in; None before `anchor`.

    Year k runs from add_years(anchor, k - 1) to the day before add_years(anchor, k), which is
    period_last_day(anchor, years=k) with from_start_day counting. A 2024-02-29 anchor's year 2
    thus begins on 2025-02-28.
    """
    if on < anchor:
        return None
    return whole_months_between(anchor, on) // 12 + 1


# Patterns compiled on first use (re keeps them): importing this module compiles nothing.
_ISO_DATE = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
# As case workers and the documents write a date: 2026年3月20日 (a month or day of one or two
# digits, spaces allowed between the parts).
_CHINESE_DATE = r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日"


def parse_iso_date(text: str) -> date:
    """`2023-01-06`, or `2023年1月6日` as case workers write it; anything else, or a day the
    calendar lacks, raises ValueError saying so."""
    match = re.fullmatch(_ISO_DATE, text.strip()) or re.fullmatch(_CHINESE_DATE, text.strip())
    if match is None:
        raise ValueError(
            _(
                "`{text}` is not a date written YYYY-MM-DD, as in 2023-01-06, or as in 2023年1月6日"
            ).format(text=text)
        )
    year, month, day = (int(group) for group in match.groups())
    if year < MINYEAR:
        raise ValueError(
            _("`{text}` is not a real date: the years start at 0001").format(text=text)
        )
    if not 1 <= month <= 12:
        raise ValueError(
            _("`{text}` is not a real date: there is no month {month}").format(
                text=text, month=month
            )
        )
    try:
        return date(year, month, day)
    except ValueError:
        # Python's own words ("day is out of range for month") are not the user's language.
        last = days_in_month(year, month)
        raise ValueError(
            _("`{text}` is not a real date: {year}-{month:02d} has {last} days").format(
                text=text, year=year, month=month, last=last
            )
        ) from None


# ---- completed months and years between two dates (满N个月, 年满N周岁) ----

# What a month or year counted from a day the end month lacks (the 31st, 02-29) ends on:
# `month_end` is 民法典 art. 202 (没有对应日的, 月末日为期间的最后一日): 01-31 + 1 month is 02-28,
# and one born on 2024-02-29 completes a year on 2025-02-28. `next_day` is the other reading:
# such a period is complete only on the day after the month's end (03-01).
MISSING_DAY_CONVENTIONS = ("month_end", "next_day")


def add_months_by(d: date, n: int, missing_day: str = "month_end") -> date:
    """The day `n` months after `d` under a missing-day convention (see
    MISSING_DAY_CONVENTIONS); raises ValueError for an unknown convention."""
    if missing_day not in MISSING_DAY_CONVENTIONS:
        raise ValueError(
            _("unknown convention `{missing_day}`: expected month_end or next_day").format(
                missing_day=missing_day,
            )
        )
    moved = add_months(d, n)
    if missing_day == "next_day" and moved.day < d.day:
        return moved + timedelta(days=1)  # the month has no such day: complete the day after
    return moved


def completed_months(start: date, end: date, missing_day: str = "month_end") -> int:
    """Completed months (满N个月) from `start` to `end`, as 民法典 arts. 201–202 count: month N is
    complete on its corresponding day (the start day is not counted), the largest n with
    add_months_by(start, n) <= end; 0 when `end` is before `start`.

    2023-01-06 → 2023-07-06 is 6, → 2023-07-05 only 5; 2023-01-31 → 2023-02-28 is 1 under
    `month_end`, 0 under `next_day` (complete on 2023-03-01).
    """
    n = (end.year - start.year) * 12 + end.month - start.month
    if n > 0 and add_months_by(start, n, missing_day) > end:
        n -= 1  # the last month is not complete yet; month n - 1 always is
    return max(n, 0)


class DatesOutOfOrder(ValueError):
    """`months_between(a, b)` or `years_between(a, b)` of two of the case's dates with b before
    a: the case is inconsistent (前次查处 after 本次), so it is refused, naming both dates, rather
    than counted as 0 (compiler.calendar_checks.refuses_backwards says which calls refuse)."""


def check_order(start: date, end: date, text: str) -> None:
    """Raises DatesOutOfOrder when `end` comes before `start`; `text` is the duration as the
    policy's words give it (自前次查处日期至本次查处日期的整月数). The same day is 0, not
    refused."""
    if end < start:
        raise DatesOutOfOrder(
            _(
                "{what}: the end date {end} comes before the start date {start}; the case's "
                "dates are inconsistent (a duration runs from the earlier date to the later)"
            ).format(what=text or _("a duration between dates"), end=end, start=start)
        )
