"""Working days and rest days of the official Chinese calendar, for 顺延 and 工作日.

A day is a working day unless it is a weekend day or a 法定节假日 rest day, and a weekend day that
the State Council's yearly 节假日安排 notice makes a working day (调休上班) is one. The year's
days come from the `chinese_calendar` package (`chinese-calendar` on PyPI, MIT), which restates
each year's notice; nothing is guessed: a day it does not know raises `CalendarUnknown` naming
the day and the days known (never a weekday-only fallback). The last year it knows is known up to
12月28日 only: the next year's notice sets 元旦, and has reached back into December before
(2007年12月29日, 2011年12月31日 and 2018年12月29日, Saturdays, were made working days).

- `package_days()` → (first, last): the days the package answers for;
- `days_known()` → (first, last): the days the calendar answers for without a gap, the notices in
  use included;
- `using(plain)` / `done(token)`: the project's notices (`PlainNotices`) in use, and no more;
- `is_working_day(day)` → bool;
- `rest_words(day)` → why a rest day rests: `星期六`, `春节假期`;
- `next_working_day(day)` → `day` itself when it is a working day, else the first one after it
  (Civil Code art. 203: a period whose last day is a holiday ends on the day after the holiday);
- `postponement(day)` → `Postponement(nominal, moved, said)`, `said` being the words a reason
  quotes: `2023年11月25日为星期六，顺延至11月27日` ("" when `day` is a working day);
- `working_days_after(day, count)` → the count-th working day after `day` (`day` itself not
  counted, art. 201: 开始的当日不计入); `working_days_cited` with the citation of the notices
  that decided a day counted (`，据国办发明电〔2026〕7号`, "" when the package decided).

A year the package does not know yet is answered by the project's restatement of that year's
notice (`holidays 2027 "国办发明电〔2026〕…号" { complete … }`, compiler/holiday_notices.py), once
the generated module hands it over: `using(CALENDAR)` makes it the calendar of the evaluation in
progress (a context variable: two policies of two projects in one process never mix), `done(token)`
ends it. The package answers for the days it knows; a day of a declared year it does not know is
answered by the notice (its 调休 working days, its rest days, else the weekday), and a moved day's
words cite the notice's 文号. A notice's reach-back into the December before (its 元旦's rest days
or a working Saturday among 12月29日–31日) is its too. A year neither knows is refused as before.

The package is imported on the first call, so a policy without 顺延 never loads its table.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from datetime import date, timedelta

from policyc.compiler.i18n import _

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

# A 顺延 whose day the calendar does not know yet, as deadlines and applications say it.
UNKNOWN_WORDS = "遇节假日顺延（该日是否为节假日，工作日历尚未收录）"
_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_DAY = timedelta(days=1)


class CalendarUnknown(ValueError):
    """A day the official calendar does not know yet (or any more): carries the day and the first
    and last days known; `incomplete`, when not "", is the whole message instead (the project
    restates the day's year without `complete`), kept for an error raised again from this one."""

    def __init__(self, day: date, first: date, last: date, incomplete: str = ""):
        super().__init__(
            incomplete
            or _(
                "{day}: the calendar of working days knows the days from {first} to {last} only "
                "(each year's holidays and 调休 working weekends are set by the State Council's "
                "notice, whose 元旦 may reach back into the December before; restate that year's "
                "notice in the project, declared complete: `holidays YEAR … complete`, docs/"
                "language.md, 工作日; a `chinese-calendar` release knows a year only some time "
                "after the notice)"
            ).format(day=day.isoformat(), first=first.isoformat(), last=last.isoformat())
        )
        self.day, self.first, self.last, self.incomplete = day, first, last, incomplete


class Postponement:
    """A deadline day and the working day it moves to (the same day when it is one), with the
    words saying so. A plain class: `typing` is not imported on `run` (issue 16)."""

    __slots__ = ("moved", "nominal", "said")

    def __init__(self, nominal: date, moved: date, said: str):
        self.nominal = nominal
        self.moved = moved
        self.said = said  # 2023年11月25日为星期六，顺延至11月27日; "" when not moved


class Notice:
    """One year's 节假日安排 as the project restates it: `year`, its 文号 `number`, `rest` (day ->
    the holiday's name, every rest day of a holiday, weekend ones included) and `work` (the 调休
    working weekend days, a reach-back into the December before included). Lookups are by day:
    constant time. A plain class: `typing` is not imported on `run` (issue 16)."""

    __slots__ = ("number", "rest", "work", "year")

    def __init__(self, year: int, number: str, rest: dict[date, str], work: frozenset[date]):
        self.year, self.number, self.rest, self.work = year, number, rest, work


# The compiled form a generated module holds (compiler/holiday_notices.py `plain`):
# ((year, 文号, ((YYYY-MM-DD, holiday), …), (YYYY-MM-DD, …)), …), complete years only.
PlainNotices = tuple[tuple[int, str, tuple[tuple[str, str], ...], tuple[str, ...]], ...]

_NO_NOTICES: dict[int, Notice] = {}
# The evaluation's calendar: the complete notices by year, and the (year → 文号) of the project's
# notices without `complete` (named when a day of their year is refused). One variable, so that
# `done` restores both as they were (a nested `using` cannot clear its caller's).
_ACTIVE: ContextVar[tuple[dict[int, Notice], dict[int, str]]] = ContextVar(
    "policyc_notices", default=(_NO_NOTICES, {})
)
_BY_PLAIN: dict[PlainNotices, dict[int, Notice]] = {}  # each module's notices, read once


def notices_of(plain: PlainNotices) -> dict[int, Notice]:
    """The notices a generated module's `CALENDAR` holds, by year (built once per value)."""
    found = _BY_PLAIN.get(plain)
    if found is None:
        found = {
            year: Notice(
                year,
                number,
                {date.fromisoformat(day): holiday for day, holiday in rest},
                frozenset(date.fromisoformat(day) for day in work),
            )
            for year, number, rest, work in plain
        }
        _BY_PLAIN[plain] = found
    return found


def using(
    plain: PlainNotices, incomplete: tuple[tuple[int, str], ...] = ()
) -> Token[tuple[dict[int, Notice], dict[int, str]]]:
    """Make the notices `plain` the calendar's besides the package's until `done(token)`;
    `incomplete`: (year, 文号) of the project's notices without `complete`, named when a day of
    their year is refused."""
    return _ACTIVE.set((notices_of(plain), dict(incomplete)))


def done(token: Token[tuple[dict[int, Notice], dict[int, str]]]) -> None:
    """End what `using` began: the calendar in use before it is in use again."""
    _ACTIVE.reset(token)


def _table() -> Any:
    """The package, imported once it is needed (a policy without 顺延 never pays for it)."""
    import chinese_calendar  # type: ignore[import-untyped]  # the package ships no types

    return chinese_calendar


# The last known year's last sure day: the next year's 元旦 has made 12月29日 a working day.
_LAST_SURE_DECEMBER_DAY = 28
_KNOWN: list[tuple[date, date]] = []  # days_known's answer, once asked


def package_days() -> tuple[date, date]:
    """(first, last): the days the `chinese-calendar` package says for sure — 1月1日 of its
    first year to 12月28日 of its last (the next year's notice may change the days after)."""
    if not _KNOWN:
        known = _table().holidays
        first, last = min(known).year, max(known).year
        _KNOWN.append((date(first, 1, 1), date(last, 12, _LAST_SURE_DECEMBER_DAY)))
    return _KNOWN[0]


def days_known() -> tuple[date, date]:
    """(first, last): the days the calendar answers for without a gap — the package's, then each
    following year the evaluation's notices declare complete, to its 12月28日 (the year after's
    notice may reach back). A notice of a later year past a gap answers its own days too."""
    first, last = package_days()
    notices = _ACTIVE.get()[0]
    year = last.year + 1
    while year in notices:
        last = date(year, 12, _LAST_SURE_DECEMBER_DAY)
        year += 1
    return first, last


def _unknown(day: date) -> CalendarUnknown:
    first, last = days_known()
    # The year whose notice answers: the next one's for 12月29日–31日 (its 元旦 may reach back).
    year = day.year + 1 if day.month == 12 and day.day > _LAST_SURE_DECEMBER_DAY else day.year
    number = _ACTIVE.get()[1].get(year)
    if number is None:
        return CalendarUnknown(day, first, last)
    said = _(
        "{day}: the calendar of working days knows the days from {first} to {last} only; the "
        "project restates the notice of {year} ({number}) but does not declare it `complete`, "
        "so it answers no day: add `complete` once every rest day and 调休 working day of the "
        "notice is listed"
    ).format(
        day=day.isoformat(), first=first.isoformat(), last=last.isoformat(), year=year,
        number=number,
    )  # fmt: skip
    return CalendarUnknown(day, first, last, said)


def _answer(day: date) -> tuple[bool, str, str]:
    """(working, why a rest day rests, the 文号 of the notice that decided: "" for the package).
    Raises CalendarUnknown for a day neither the package nor a notice answers for."""
    first, last = package_days()
    if first <= day <= last:
        return _package_answer(day)
    notices = _ACTIVE.get()[0]
    after = None  # the next year's notice, for 12月29日–31日: it may make one a working day
    if day.month == 12 and day.day > _LAST_SURE_DECEMBER_DAY:
        after = notices.get(day.year + 1)
        if after is None:
            raise _unknown(day)
        if day in after.work:
            return True, "", after.number
        holiday = after.rest.get(day)  # its 元旦 may begin in December (2022年12月31日)
        if holiday is not None:
            return False, f"{holiday}假期", after.number
    if first.year <= day.year <= last.year and day >= first:
        working, why, _source = _package_answer(day)  # the next notice says nothing of the day
        return working, why, after.number if after is not None else ""
    notice = notices.get(day.year)
    if notice is None:
        raise _unknown(day)
    if day in notice.work:
        return True, "", notice.number
    holiday = notice.rest.get(day)
    if holiday is not None:
        return False, f"{holiday}假期", notice.number
    if day.weekday() >= 5:
        return False, _WEEKDAYS[day.weekday()], notice.number
    return True, "", notice.number


def _package_answer(day: date) -> tuple[bool, str, str]:
    table = _table()
    if table.is_workday(day):
        return True, "", ""
    holiday = table.holidays.get(day)
    if holiday is not None:
        return False, f"{table.Holiday(holiday).chinese}假期", ""
    return False, _WEEKDAYS[day.weekday()], ""


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day: a weekday not a 法定节假日 rest day, or a 调休 weekend
    working day. Raises CalendarUnknown for a day neither the package nor a notice in use knows."""
    return _answer(day)[0]


def rest_words(day: date) -> str:
    """Why a rest day rests, in the reason's words: `春节假期` inside a holiday's days (its
    调休 rest days included), else the weekday (`星期六`). Raises CalendarUnknown."""
    return _answer(day)[1]


def _next_working_day(day: date) -> tuple[date, list[str]]:
    """The first working day from `day` on, and the 文号 of every notice that decided a day
    looked at, each once, in order."""
    cited: list[str] = []
    while True:
        working, _why, source = _answer(day)
        if source and source not in cited:
            cited.append(source)
        if working:
            return day, cited
        day += _DAY


def next_working_day(day: date) -> date:
    """`day` when it is a working day, else the first working day after it. Raises
    CalendarUnknown when a day to look at is one the calendar does not know."""
    return _next_working_day(day)[0]


def postponement(day: date) -> Postponement:
    """`day` moved to the next working day (遇节假日顺延), with the words saying so; a day a
    project's notice decided is cited: `…，顺延至1月4日，据国办发明电〔2026〕7号`."""
    moved, cited = _next_working_day(day)
    if moved == day:
        return Postponement(day, day, "")
    to = f"{moved.month}月{moved.day}日"
    if moved.year != day.year:
        to = f"{moved.year}年{to}"
    said = f"{day.year}年{day.month}月{day.day}日为{rest_words(day)}，顺延至{to}{citation(cited)}"
    return Postponement(day, moved, said)


def citation(numbers: list[str]) -> str:
    """`，据国办发明电〔2026〕7号` for the notices that decided; "" when the package did. No
    brackets: the words stand inside a reason's own （…） (runtime/applications.late_words)."""
    return f"，据{'、'.join(numbers)}" if numbers else ""


def working_days_after(day: date, count: int) -> date:
    """The `count`-th working day after `day` (`day` not counted; count ≥ 1): "5个工作日内" from
    a day ends on the fifth working day after it. Raises CalendarUnknown, and ValueError for a
    count below 1."""
    return working_days_cited(day, count)[0]


def working_days_cited(day: date, count: int) -> tuple[date, str]:
    """`working_days_after` and the citation of the notices that decided a day counted
    (`citation`; "" when the package decided them all)."""
    if count < 1:
        raise ValueError(
            _("a number of working days is 1 or more, not {count}").format(count=count)
        )
    cited: list[str] = []
    while count:
        day += _DAY
        working, _why, source = _answer(day)
        if source and source not in cited:
            cited.append(source)
        if working:
            count -= 1
    return day, citation(cited)
