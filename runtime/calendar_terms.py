"""Calendar months and yearly windows, as notices write them.

- `calendar_months_between(start, end)`: the number of `end`'s month counted from `start`'s
  month — "自审核通过的次月起发放，最长不超过36个月": approved 2027-03-10, April 2027 is month 1
  and March 2030 month 36, whatever the day of the month the case is judged on. It differs from
  `months_between`, which counts *completed* months day by day (民法典 arts. 201–202:
  2027-03-10 → 2027-04-09 is 0 completed months, → 2027-04-10 is 1). It is negative when `end`'s
  month is before `start`'s.
- `within_each_year(day, FROM, TO)`: whether `day` falls in the yearly window FROM–TO, both ends
  included ("每年1月1日至3月31日"). A window whose FROM comes after its TO in the year crosses the
  new year (`11月1日, 2月底`: 1 November to the end of the next February). A month-day is
  `(month, day)`, `day` 0 standing for the month's last day (`2月底`). `2月29日` as TO is the end
  of February in every year (a common year's window ends on 2月28日); as FROM, a common year's
  window begins on 3月1日: a day is compared by its (month, day) with the ends.

- `year_of(day)`: the calendar year of `day`, a plain number ("同一自然年度":
  `year_of(前次查处日期) = year_of(本次查处日期)`).
- `date_plus(day, DURATION, missing_day)`: the corresponding day a duration in 年, 月 or 日 on
  (民法典 art. 201: the start day is not counted, so 2026-03-10 plus 1 年 is 2027-03-10, the
  anniversary, and "一年内" including it is `本次 <= date_plus(前次, 1 年)`). A month without that
  day follows the policy's `convention missing_day` as `months_between` does: `month_end`
  (art. 202) gives the month's last day (2027-01-31 plus 1 月 is 2027-02-28, 2028-01-31 plus 1 月
  2028-02-29), `next_day` the day after it (2027-03-01). A duration in 工作日 (the policy's own
  measure) is counted on the official calendar: the N-th working day after `day`, 调休 weekend
  days counted and holidays not (runtime/workdays.py; a year it does not know is refused).

All pass unknowns through and take the context for the trace (`ctx.explain`, `ctx.step`); the
fast path calls them with `PLAIN`, which records nothing. Exported to generated code through
`policyc.runtime.evaluation.__all__`.
"""

from __future__ import annotations

from datetime import date, timedelta

from policyc.compiler.i18n import _
from policyc.runtime.dates import add_months_by, days_in_month
from policyc.runtime.quantity import Quantity
from policyc.runtime.quantity_format import format_quantity
from policyc.runtime.results import Unknown, unknown
from policyc.runtime.workdays import working_days_cited

# `date_plus(d, N 工作日)`: 工作日 declared as the policy's own measure (calendar_checks.py)
WORKING_DAYS = (("工作日", 1),)

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

MonthDay = tuple[int, int]  # (month 1-12, day 1-31 or 0 for the month's last day)


def month_index(day: date) -> int:
    """The month of `day` as a number of months since the year 0 (January 2027 → 24324)."""
    return day.year * 12 + day.month - 1


def calendar_months(start: date, end: date) -> int:
    """The number of `end`'s month counted from `start`'s: 0 in the same month, 1 the next."""
    return month_index(end) - month_index(start)


def calendar_months_between(
    ctx: Any, start: date | Unknown, end: date | Unknown, text: str, line: int
) -> Quantity | Unknown:
    """`calendar_months_between(start, end)` in 月 (see the module docstring)."""
    if (missing := unknown(start, end)) is not None:
        return missing
    assert isinstance(start, date) and isinstance(end, date)
    months = calendar_months(start, end)
    if ctx.explain:
        ctx.step(
            f"{text}: {start.year}年{start.month}月 至 {end.year}年{end.month}月 "
            f"相隔 {months} 个月",
            line,
        )
    return Quantity.of(months, "月")


def show_month_day(md: MonthDay) -> str:
    """1月1日, 2月底."""
    month, day = md
    return f"{month}月底" if day == 0 else f"{month}月{day}日"


def _key(md: MonthDay, year: int) -> tuple[int, int]:
    """The (month, day) a bound stands for in `year`; a month's last day resolved in it."""
    month, day = md
    return (month, days_in_month(year, month)) if day == 0 else (month, day)


def in_window(day: date, start: MonthDay, end: MonthDay) -> bool:
    """Whether `day` is in the yearly window `start`–`end`, both included; crossing the new year
    when `start` comes after `end`."""
    here = (day.month, day.day)
    low, high = _key(start, day.year), _key(end, day.year)
    if not crossing(start, end):
        return low <= here <= high
    return here >= low or here <= high


def within_each_year(
    ctx: Any, day: date | Unknown, start: MonthDay, end: MonthDay, text: str, line: int
) -> bool | Unknown:
    """`within_each_year(day, FROM, TO)` (see the module docstring)."""
    if isinstance(day, Unknown):
        return day
    assert isinstance(day, date)
    held = in_window(day, start, end)
    if ctx.explain:
        ctx.step(f"{text}: {day} → {'成立' if held else '不成立'}", line)
    return held


def crossing(start: MonthDay, end: MonthDay) -> str:
    """ "次年" when the window crosses the new year, else ""."""
    low = (start[0], start[1] or 31)
    high = (end[0], end[1] or 31)
    return "次年" if low > high else ""


def year_of(ctx: Any, day: date | Unknown, text: str, line: int) -> Quantity | Unknown:
    """`year_of(day)`: the year of `day`, a plain number (2026-06-30 → 2026)."""
    if isinstance(day, Unknown):
        return day
    assert isinstance(day, date)
    if ctx.explain:
        ctx.step(f"{text}: {day} → {day.year}", line)
    return Quantity.of(day.year, "")


def shifted(day: date, months: int, days: int, missing_day: str) -> date:
    """`day` moved on by whole `months` (under the missing-day convention) and whole `days`;
    OverflowError past 9999-12-31."""
    if months:
        day = add_months_by(day, months, missing_day)
    return day + timedelta(days=days)


class DurationNotWhole(ArithmeticError):
    """A case's duration given to `date_plus` that is not whole months or days, or negative:
    an arithmetic the calendar cannot do, so the rule is refused naming the value (an
    ArithmeticError, as every engine reports an inexact amount)."""


def duration_parts(duration: Quantity) -> tuple[int, int]:
    """(months, days) of a duration in 年/月 (base 月) or 日 (base 小时, 24 to a day):
    1 年 → (12, 0), 29.5 年 → (354, 0), 10 日 → (0, 10). A literal is whole (the checker's);
    a case's value (贷款期限) that is not a whole number of months (days) or is negative raises
    DurationNotWhole naming it — the calendar has no fraction of a month to add."""
    months = duration.dims == (("月", 1),)
    count = duration.value if months else duration.value / 24
    if count < 0 or count != count.to_integral_value():
        raise DurationNotWhole(
            _(
                "`date_plus` adds a whole number of months or days, not negative: "
                "{duration} is not one"
            ).format(duration=format_quantity(duration))
        )
    return (int(count), 0) if months else (0, int(count))


def date_plus(
    ctx: Any,
    day: date | Unknown,
    duration: Quantity | Unknown,
    missing_day: str,
    text: str,
    line: int,
) -> date | Unknown:
    """`date_plus(day, DURATION)`: the corresponding day (see the module docstring)."""
    if (missing := unknown(day, duration)) is not None:
        return missing
    assert isinstance(day, date) and isinstance(duration, Quantity)
    cited = ""  # the project's notices that decided a working day counted (runtime/workdays.py)
    if duration.dims == WORKING_DAYS:  # N 工作日: the official calendar's N-th working day on
        moved, cited = working_days_cited(day, int(duration.value))
    else:
        months, days = duration_parts(duration)
        moved = shifted(day, months, days, missing_day)
    if ctx.explain:
        ctx.step(f"{text}: {day} → {moved}{cited}", line)
    return moved
