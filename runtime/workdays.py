"""Working days and rest days of the official Chinese calendar, for 顺延 and 工作日.

A day is a working day unless it is a weekend day or a 法定节假日 rest day, and a weekend day that
the State Council's yearly 节假日安排 notice makes a working day (调休上班) is one. The year's
days come from the `chinese_calendar` package (`chinese-calendar` on PyPI, MIT), which restates
each year's notice; nothing is guessed: a day it does not know raises `CalendarUnknown` naming
the day and the days known (never a weekday-only fallback). The last year it knows is known up to
12月28日 only: the next year's notice sets 元旦, and has reached back into December before
(2007年12月29日, 2011年12月31日 and 2018年12月29日, Saturdays, were made working days).

- `days_known()` → (first, last): the days the calendar answers for;
- `is_working_day(day)` → bool;
- `rest_words(day)` → why a rest day rests: `星期六`, `春节假期`;
- `next_working_day(day)` → `day` itself when it is a working day, else the first one after it
  (Civil Code art. 203: a period whose last day is a holiday ends on the day after the holiday);
- `postponement(day)` → `Postponement(nominal, moved, said)`, `said` being the words a reason
  quotes: `2023年11月25日为星期六，顺延至11月27日` ("" when `day` is a working day);
- `working_days_after(day, count)` → the count-th working day after `day` (`day` itself not
  counted, art. 201: 开始的当日不计入).

The package is imported on the first call, so a policy without 顺延 never loads its table.
"""

from __future__ import annotations

from datetime import date, timedelta

from policyc.compiler.i18n import _

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_DAY = timedelta(days=1)


class CalendarUnknown(ValueError):
    """A day the official calendar does not know yet (or any more): carries the day and the first
    and last days known."""

    def __init__(self, day: date, first: date, last: date):
        super().__init__(
            _(
                "{day}: the calendar of working days knows the days from {first} to {last} only "
                "(each year's holidays and 调休 working weekends are set by the State Council's "
                "notice, whose 元旦 may reach back into the December before; a later day needs a "
                "newer `chinese-calendar`: `pip install -U chinese-calendar`)"
            ).format(day=day.isoformat(), first=first.isoformat(), last=last.isoformat())
        )
        self.day, self.first, self.last = day, first, last


class Postponement:
    """A deadline day and the working day it moves to (the same day when it is one), with the
    words saying so. A plain class: `typing` is not imported on `run` (issue 16)."""

    __slots__ = ("moved", "nominal", "said")

    def __init__(self, nominal: date, moved: date, said: str):
        self.nominal = nominal
        self.moved = moved
        self.said = said  # 2023年11月25日为星期六，顺延至11月27日; "" when not moved


def _table() -> Any:
    """The package, imported once it is needed (a policy without 顺延 never pays for it)."""
    import chinese_calendar  # type: ignore[import-untyped]  # the package ships no types

    return chinese_calendar


# The last known year's last sure day: the next year's 元旦 has made 12月29日 a working day.
_LAST_SURE_DECEMBER_DAY = 28
_KNOWN: list[tuple[date, date]] = []  # days_known's answer, once asked


def days_known() -> tuple[date, date]:
    """(first, last): the days whose working or rest the calendar says for sure — 1月1日 of its
    first year to 12月28日 of its last (the next year's notice may change the days after)."""
    if not _KNOWN:
        known = _table().holidays
        first, last = min(known).year, max(known).year
        _KNOWN.append((date(first, 1, 1), date(last, 12, _LAST_SURE_DECEMBER_DAY)))
    return _KNOWN[0]


def _known(day: date) -> None:
    first, last = days_known()
    if not first <= day <= last:
        raise CalendarUnknown(day, first, last)


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day: a weekday not a 法定节假日 rest day, or a 调休 weekend
    working day. Raises CalendarUnknown for a day the calendar does not know (`days_known`)."""
    _known(day)
    return bool(_table().is_workday(day))


def rest_words(day: date) -> str:
    """Why a rest day rests, in the reason's words: `春节假期` inside a holiday's days (its
    调休 rest days included), else the weekday (`星期六`). Raises CalendarUnknown."""
    _known(day)
    holiday = _table().holidays.get(day)
    if holiday is not None:
        return f"{_table().Holiday(holiday).chinese}假期"
    return _WEEKDAYS[day.weekday()]


def next_working_day(day: date) -> date:
    """`day` when it is a working day, else the first working day after it. Raises
    CalendarUnknown when a day to look at is one the calendar does not know."""
    while not is_working_day(day):
        day += _DAY
    return day


def postponement(day: date) -> Postponement:
    """`day` moved to the next working day (遇节假日顺延), with the words saying so."""
    moved = next_working_day(day)
    if moved == day:
        return Postponement(day, day, "")
    to = f"{moved.month}月{moved.day}日"
    if moved.year != day.year:
        to = f"{moved.year}年{to}"
    said = f"{day.year}年{day.month}月{day.day}日为{rest_words(day)}，顺延至{to}"
    return Postponement(day, moved, said)


def working_days_after(day: date, count: int) -> date:
    """The `count`-th working day after `day` (`day` not counted; count ≥ 1): "5个工作日内" from
    a day ends on the fifth working day after it. Raises CalendarUnknown, and ValueError for a
    count below 1."""
    if count < 1:
        raise ValueError(
            _("a number of working days is 1 or more, not {count}").format(count=count)
        )
    while count:
        day += _DAY
        if is_working_day(day):
            count -= 1
    return day
