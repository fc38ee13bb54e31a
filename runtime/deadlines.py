"""A target's deadline on an evaluation date, and whether a target not met is still in progress.

`RuleInfo.deadline` holds the deadline as compiled (compiler/codegen.py `_deadline_code`):

- `YYYY-MM-DD` — `by 2027-06-30`: that day, inclusive;
- `quarterly` — `by 每季度`: the last day of the quarter holding the evaluation date (3月31日,
  6月30日, 9月30日, 12月31日);
- `monthly:N` — `by 每月 N 日` (N 1–28): day N of the evaluation date's month;
- `monthly:end` — `by 每月底`: the last day of that month (2月29日 in a leap year);
- `standing` — `by 长期` (长期坚持): no day; never overdue;
- any of the first four followed by `:postponed` — `遇节假日顺延` (or `顺延`): a day that is a
  rest day (a weekend day not 调休上班, or a 法定节假日 rest day) moves to the next working day of
  the official calendar (runtime/workdays.py; Civil Code art. 203). A day in a year that calendar
  does not know is never guessed; as 顺延 only moves a day later, a target is in progress on or
  before the first day the calendar does not know (the day said open: `UNKNOWN_WORDS`). After
  it, workdays.CalendarUnknown is raised and the evaluation refuses the target alone
  (`RuleResult.due` "unknown", `unknown_words`), never the whole run.

A recurring target's reported figure is the one for the period in view: the period holding the
evaluation date — or, with 顺延, the period before it while that one's moved day has not passed
(`by 每月底 顺延`: 2023年9月30日 moves over 国庆 to 10月7日, so on 10月3日 September is still in
view). On or before the day in view the target is in progress, after it overdue (a monthly day: the
25th in progress, the 26th overdue).
"""

from __future__ import annotations

from datetime import date, timedelta

from policyc.runtime import workdays
from policyc.runtime.dates import days_in_month  # not `calendar`: its locale costs a `run`
from policyc.runtime.dates import written_day as _written
from policyc.runtime.workdays import UNKNOWN_WORDS as UNKNOWN_WORDS

# RuleResult.due's words, in order (runtime/results.py); "" (no deadline in view) is none of them.
DUES = ("in_progress", "overdue", "standing", "unknown")

RECURS = {"quarterly": "quarterly", "monthly": "monthly", "standing": "standing"}
POSTPONED = ":postponed"  # the suffix `遇节假日顺延` adds to a deadline's code


class InView:
    """The deadline in view on an evaluation date: its day (moved by 顺延 when it was; the
    earliest it can be when 顺延 reached a day the calendar does not know), the day as written,
    whether it is the period before the date's own, and the words saying the move ("" when not
    moved). A plain class: `typing` is not imported on `run` (issue 16)."""

    __slots__ = ("day", "earlier", "moved", "nominal")

    def __init__(self, day: date, nominal: date, earlier: bool, moved: str):
        self.day = day
        self.nominal = nominal  # `day` itself when not moved
        self.earlier = earlier  # the previous period's (its 顺延 day not passed yet)
        self.moved = moved  # 2023年11月25日为星期六，顺延至11月27日; ""


def recurs(code: str) -> str:
    """ "quarterly", "monthly" or "standing" for a recurring or standing deadline; "" for a day."""
    return RECURS.get(code.split(":", 1)[0], "")


def postponed(code: str) -> bool:
    """Whether the deadline moves over rest days to the next working day (遇节假日顺延)."""
    return code.endswith(POSTPONED)


def day_in_view(code: str, on: date) -> date | None:
    """The deadline's own day in view on `on`, before any 顺延: the day of a `by DATE`, the day of
    the period holding `on` for a recurring one, None for a standing one. Raises ValueError on a
    code it does not know."""
    code = code.removesuffix(POSTPONED)
    if code == "standing":
        return None
    if code == "quarterly":
        month = (on.month - 1) // 3 * 3 + 3
        return date(on.year, month, days_in_month(on.year, month))
    if code.startswith("monthly:"):
        day = code.removeprefix("monthly:")
        last = days_in_month(on.year, on.month)
        return date(on.year, on.month, last if day == "end" else int(day))
    return date.fromisoformat(code)


def _period_before(code: str, on: date) -> date:
    """A day in the period before the one holding `on` (a recurring deadline's)."""
    if recurs(code) == "quarterly":
        start = date(on.year, (on.month - 1) // 3 * 3 + 1, 1)
    else:
        start = on.replace(day=1)
    return start - timedelta(days=1)


def in_view(code: str, on: date) -> InView | None:
    """The deadline in view on `on` (None for a standing one). With 顺延 the day moves to the next
    working day, and a recurring deadline's previous period stays in view until its moved day
    has passed. 顺延 only moves a day later: when the calendar stops on the way at a day it does
    not know, the day in view is that day or later, so on or before it the target is in progress
    (`InView.day` that day, `moved` `UNKNOWN_WORDS`). Raises workdays.CalendarUnknown only when
    the answer needs the day the calendar lacks (`on` after it)."""
    day = day_in_view(code, on)
    if day is None:
        return None
    if not postponed(code):
        return InView(day, day, False, "")
    own: InView | workdays.CalendarUnknown
    try:  # the date's own period first: when both cannot be told, the error names its day
        own = _postponed_view(day, on, False)
    except workdays.CalendarUnknown as exc:
        own = exc
    if recurs(code):
        before = day_in_view(code, _period_before(code, on))
        assert before is not None  # a recurring code that is not standing
        try:
            earlier = _postponed_view(before, on, True)
        except workdays.CalendarUnknown:
            if isinstance(own, workdays.CalendarUnknown):
                raise own from None
            raise  # whether the period before is still in view cannot be told
        if on <= earlier.day:
            return earlier
    if isinstance(own, workdays.CalendarUnknown):
        raise own
    return own


# What a deadline says when 顺延 reaches a day the official calendar does not know yet.
def _postponed_view(day: date, on: date, earlier: bool) -> InView:
    """`day` moved by 顺延 as seen on `on`; when the calendar stops at a day it does not know,
    that day (the earliest the deadline can be) while `on` is not after it. Raises
    workdays.CalendarUnknown when `on` is after it: whether the day has passed cannot be told."""
    try:
        moved = workdays.postponement(day)
    except workdays.CalendarUnknown as exc:
        # every day from `day` to the one before exc.day is a known rest day: the working day
        # it moves to is exc.day or later
        if on > exc.day:
            raise
        return InView(exc.day, day, earlier, f"{_written(exc.day)}，{UNKNOWN_WORDS}")
    return InView(moved.moved, moved.nominal, earlier, moved.said)


def due_on(code: str, on: date) -> tuple[str, date | None]:
    """("in_progress" | "overdue" | "standing", the day in view) for a target not met on `on`."""
    view = in_view(code, on)
    if view is None:
        return "standing", None
    return ("in_progress" if on <= view.day else "overdue"), view.day


def due_of(code: str, on: date) -> tuple[str, str, str]:
    """A target not met (or not reported) on `on`, as a batch row writes it: (due, the day in
    view YYYY-MM-DD, the day as written YYYY-MM-DD when 顺延 moved it) — ("in_progress",
    "2023-11-27", "2023-11-25"), ("overdue", "2023-11-10", ""), ("standing", "", ""), or
    ("unknown", "", "") when 顺延 needs a day the official calendar does not know (as `run`
    refuses that target alone, runtime/evaluation.py)."""
    try:
        view = in_view(code, on)
    except workdays.CalendarUnknown:
        return "unknown", "", ""
    if view is None:
        return "standing", "", ""
    # the day as written when 顺延 moved it, or reached a day the calendar lacks (as `run`'s
    # JSON "postponed" says: the day may still move)
    moved_from = view.nominal.isoformat() if view.moved else ""
    return ("in_progress" if on <= view.day else "overdue"), view.day.isoformat(), moved_from


def due_words(code: str, due: str, view: InView | None, status: str) -> str:
    """What the reason says: 期限2027年6月30日尚未到期，目标进行中 / 本季度期限…已过，逾期未达到 /
    本月期限2023年11月25日为星期六，顺延至11月27日，尚未到期，目标进行中 / 长期坚持，目标进行中."""
    if view is None:
        return "长期坚持，目标进行中" if status == "not_met" else "长期坚持，尚未报告"
    periods = {"quarterly": ("本季度", "上季度"), "monthly": ("本月", "上月")}
    period = periods.get(recurs(code), ("", ""))[view.earlier]
    if view.moved:
        written = f"{period}期限{view.moved}，"
    else:
        written = f"{period}期限{view.day.year}年{view.day.month}月{view.day.day}日"
    if due == "in_progress":
        return f"{written}尚未到期，目标进行中"
    return f"{written}已过，逾期未{'达到' if status == 'not_met' else '报告'}"


def unknown_words(day: date, first: date, last: date) -> str:
    """What the reason says when 顺延 needs a day the official calendar does not know (`day`,
    the days known `first` to `last`): 期限遇节假日顺延须知2027年1月25日是否为工作日，
    而工作日历只知2004年1月1日至2026年12月28日，目标是否逾期无法判断."""
    return f"期限遇节假日顺延{_needs(day, first, last)}，目标是否逾期无法判断"


def rule_unknown_words(day: date, first: date, last: date, what: str = "按工作日计算") -> str:
    """What the reason says when a rule's condition, amount or value needs a day the official
    calendar does not know (`date_plus(d, N 工作日)`, 顺延): 按工作日计算须知2027年1月4日是否为
    工作日，而工作日历只知2004年1月1日至2026年12月28日，本条无法判定; `what` 申请截止遇节假日顺延
    for an applicant's deadline (runtime/applications.py)."""
    return f"{what}{_needs(day, first, last)}，本条无法判定"


def _needs(day: date, first: date, last: date) -> str:
    return f"须知{_written(day)}是否为工作日，而工作日历只知{_written(first)}至{_written(last)}"
