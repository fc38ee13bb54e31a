"""A rule's applicant deadline (`apply 申请日期 by …`) on an evaluation date, and whether the case
applied in time.

The code codegen writes (compiler/node_rules.ApplyBy.code):

- `monthly:N` — `by 每月 N 日` (申请人应于每月10日前提出申请): day N of the month holding the
  evaluation date, the month the case is judged for; `monthly:end` its last day;
- `day` — `by EXPR`: the day the expression gives (`2026-03-31`, `date_plus(事故发生日期, 30 日)`:
  自事故发生之日起30日内, the event's day not counted, art. 201), None while an input it reads is
  missing;
- either followed by `:postponed` — 遇节假日顺延: a rest day moves to the next working day of the
  official calendar (runtime/workdays.py, Civil Code art. 203). 顺延 only ever moves the day
  later: when the calendar stops on the way (a day it does not know, `unknown`), the deadline is
  that day or later, so an application on or before it is in time and a case without an
  application date is answered, the deadline said as open (`UNKNOWN_WORDS`). Only an application
  after it needs the day the calendar lacks: workdays.CalendarUnknown then refuses the rule
  alone (runtime/evaluation.py).

The day is inclusive (前 and 以内 include it, art. 1259): an application on the deadline itself is
in time, the day after is late. A case that gives no application date is not judged: the answer
only says the deadline.
"""

from __future__ import annotations

from datetime import date

from policyc.runtime import workdays
from policyc.runtime.dates import days_in_month
from policyc.runtime.dates import written_day as written
from policyc.runtime.workdays import UNKNOWN_WORDS as UNKNOWN_WORDS

POSTPONED = ":postponed"


# What the deadline says when 顺延 reaches a day the official calendar does not know yet.
class DeadlineUnknown(workdays.CalendarUnknown):
    """顺延 of an applicant's deadline needs a day the official calendar does not know: the rule
    is refused alone, its reason saying it is the deadline (runtime/evaluation.py)."""


class Applying:
    """The deadline in view: `day` (moved by 顺延), `nominal` (as written; `day` when not moved),
    `moved` the words saying the move (2026年2月21日为春节假期，顺延至2月24日; "" when not moved),
    `applied` the case's application date (None when not given) and `in_time` (None when not
    judged). `day` is None when the deadline waits on an input (`waits` names them). `unknown`
    is True when 顺延 reached a day the calendar does not know: `day` is then that day, the
    earliest the deadline can be (it may move later), and `moved` says so (`UNKNOWN_WORDS`). A
    plain class: `typing` is not imported on `run` (issue 16)."""

    __slots__ = ("applied", "day", "in_time", "moved", "nominal", "unknown", "waits")

    def __init__(
        self,
        day: date | None,
        nominal: date | None,
        moved: str,
        applied: date | None,
        waits: tuple[str, ...] = (),
        unknown: bool = False,
    ):
        self.unknown = unknown
        self.day, self.nominal, self.moved, self.applied, self.waits = (
            day,
            nominal,
            moved,
            applied,
            waits,
        )
        self.in_time = None if day is None or applied is None else applied <= day


def month_day(code: str, on: date) -> date:
    """The day of the month holding `on` a `monthly:N` or `monthly:end` code names."""
    which = code.removesuffix(POSTPONED).removeprefix("monthly:")
    last = days_in_month(on.year, on.month)
    return date(on.year, on.month, last if which == "end" else int(which))


def deadline(code: str, nominal: date | None, applied: date | None) -> Applying:
    """The deadline whose day as written is `nominal` (None: it waits on an input), moved by
    顺延 when `code` says so, with the case's application date `applied`. When 顺延 reaches a
    day the official calendar does not know, the deadline is that day or later: an application
    on or before it is in time, no application is not judged (`Applying.unknown`). Raises
    DeadlineUnknown (a workdays.CalendarUnknown) only for an application after that day: whether
    it is late needs the day the calendar lacks."""
    if nominal is None:
        return Applying(None, None, "", applied)
    if not code.endswith(POSTPONED):
        return Applying(nominal, nominal, "", applied)
    try:
        moved = workdays.postponement(nominal)
    except workdays.CalendarUnknown as exc:
        # The walk stopped at exc.day, every day before it (from `nominal` on) a known rest day:
        # the working day it moves to is exc.day or later.
        if applied is not None and applied > exc.day:
            raise DeadlineUnknown(exc.day, exc.first, exc.last, exc.incomplete) from None
        return Applying(exc.day, nominal, UNKNOWN_WORDS, applied, unknown=True)
    return Applying(moved.moved, nominal, moved.said, applied)


def late_words(applying: Applying) -> str:
    """Why a late application does not apply:
    申请日期2026年3月11日晚于申请截止2026年3月10日，逾期申请; with the move:
    …晚于申请截止2026年2月24日（2026年2月15日为春节假期，顺延至2月24日），逾期申请."""
    assert applying.applied is not None and applying.day is not None
    moved = f"（{applying.moved}）" if applying.moved else ""
    return (
        f"申请日期{written(applying.applied)}晚于申请截止{written(applying.day)}{moved}，逾期申请"
    )


def in_time_words(applying: Applying) -> str:
    """The trace's line for an application in time:
    申请日期2026年3月10日不迟于申请截止2026年3月10日，按期申请; when 顺延 reaches a day the
    calendar does not know: …不迟于申请截止2027年1月30日（遇节假日顺延只会推后），按期申请."""
    assert applying.applied is not None and applying.day is not None
    later = "（遇节假日顺延只会推后）" if applying.unknown else ""
    return (
        f"申请日期{written(applying.applied)}不迟于申请截止{written(applying.day)}{later}，按期申请"
    )
