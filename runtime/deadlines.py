"""A target's deadline on an evaluation date, and whether a target not met is still in progress.

`RuleInfo.deadline` holds the deadline as compiled (compiler/codegen.py `_deadline_code`):

- `YYYY-MM-DD` — `by 2027-06-30`: that day, inclusive;
- `quarterly` — `by 每季度`: the last day of the quarter holding the evaluation date (3月31日,
  6月30日, 9月30日, 12月31日);
- `monthly:N` — `by 每月 N 日` (N 1–28): day N of the evaluation date's month;
- `monthly:end` — `by 每月底`: the last day of that month (2月29日 in a leap year);
- `standing` — `by 长期` (长期坚持): no day; never overdue.

A recurring target's reported figure is the one for the period holding the evaluation date: on
or before that period's day the target is in progress, after it overdue (a monthly day: the 25th
in progress, the 26th overdue). Nothing here guesses a holiday: `遇节假日顺延` is refused at build.
"""

from __future__ import annotations

import calendar
from datetime import date

RECURS = {"quarterly": "quarterly", "monthly": "monthly", "standing": "standing"}


def recurs(code: str) -> str:
    """ "quarterly", "monthly" or "standing" for a recurring or standing deadline; "" for a day."""
    return RECURS.get(code.split(":", 1)[0], "")


def day_in_view(code: str, on: date) -> date | None:
    """The deadline in view on `on`: the day of a `by DATE`, the current period's day of a
    recurring one, None for a standing one. Raises ValueError on a code it does not know."""
    if code == "standing":
        return None
    if code == "quarterly":
        month = (on.month - 1) // 3 * 3 + 3
        return date(on.year, month, calendar.monthrange(on.year, month)[1])
    if code.startswith("monthly:"):
        day = code.removeprefix("monthly:")
        last = calendar.monthrange(on.year, on.month)[1]
        return date(on.year, on.month, last if day == "end" else int(day))
    return date.fromisoformat(code)


def due_on(code: str, on: date) -> tuple[str, date | None]:
    """("in_progress" | "overdue" | "standing", the day in view) for a target not met on `on`."""
    day = day_in_view(code, on)
    if day is None:
        return "standing", None
    return ("in_progress" if on <= day else "overdue"), day


def due_words(code: str, due: str, day: date | None, status: str) -> str:
    """What the reason says: 期限2027年6月30日尚未到期，目标进行中 / 本季度期限…已过，逾期未达到 /
    长期坚持，目标进行中."""
    if day is None:
        return "长期坚持，目标进行中" if status == "not_met" else "长期坚持，尚未报告"
    period = {"quarterly": "本季度", "monthly": "本月"}.get(recurs(code), "")
    written = f"{period}期限{day.year}年{day.month}月{day.day}日"
    if due == "in_progress":
        return f"{written}尚未到期，目标进行中"
    return f"{written}已过，逾期未{'达到' if status == 'not_met' else '报告'}"
