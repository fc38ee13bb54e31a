"""`policyc new`: a part's 完成时限 (`2027年6月底前`, `每季度`, `长期坚持`) and a monthly deadline
written in a sentence (`每月25日前`), as the `by` its targets take or why none can be written; an
applicant's deadline (`申请人应于每月10日前提出申请`, `自事故发生之日起30日内申请`) as the `apply`
of the rule the sentence restates.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from policyc.compiler.i18n import _
from policyc.compiler.skeleton_dates import count_written

if TYPE_CHECKING:
    from policyc.compiler.skeleton_parts import Part

_MONTH_END = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?:底|末)?(?:前|之前)?$")
_DAY = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:前|之前)?$")
_YEAR_END = re.compile(r"^(?P<y>\d{4})年(?:底|末)(?:前|之前)?$")
_HALF = re.compile(r"^(?P<y>\d{4})年(?P<h>上|下)半年(?:底|末)?(?:前|之前)?$")
_QUARTER = re.compile(r"^(?P<y>\d{4})年第?(?P<q>[一二三四1-4])季度(?:末|底)?(?:前|之前)?$")


def deadline_day(written: str) -> str:
    """The last day (YYYY-MM-DD) a 完成时限 allows, `by` inclusive: 2027年6月底前 and 2027年6月
    → 2027-06-30, 2027年6月15日前 → 2027-06-15, 2027年底前 → 2027-12-31, 2027年上半年 →
    2027-06-30, 2027年第三季度 → 2027-09-30; "" for one that names no day (每季度, 长期坚持,
    持续推进) or one this does not read (2027年6月前: before June or by its end?)."""
    text = re.sub(r"\s", "", written)
    if (found := _DAY.match(text)) is not None:
        year, month, day = int(found["y"]), int(found["m"]), int(found["d"])
    elif (found := _MONTH_END.match(text)) is not None:
        year, month, day = int(found["y"]), int(found["m"]), 0
        if not re.search(r"月(?:底|末)", text) and text.endswith("前"):
            return ""  # 6月前: the month itself may be excluded
    elif (found := _YEAR_END.match(text)) is not None:
        year, month, day = int(found["y"]), 12, 31
    elif (found := _HALF.match(text)) is not None:
        year, month, day = int(found["y"]), 6 if found["h"] == "上" else 12, 0
    elif (found := _QUARTER.match(text)) is not None:
        quarter = "一二三四".find(found["q"]) + 1 or int(found["q"])
        year, month, day = int(found["y"]), 3 * quarter, 0
    else:
        return ""
    if not 1 <= month <= 12:
        return ""
    last = calendar.monthrange(year, month)[1]
    if day > last or (found.re is _DAY and day == 0):
        return ""
    return f"{year:04d}-{month:02d}-{day or last:02d}"


_EVERY_QUARTER = re.compile(r"^每(?:个)?季度(?:末|底)?(?:前|之前)?$")
_EVERY_MONTH_DAY = re.compile(r"^每月(?P<d>\d{1,2})日(?:前|之前)?$")
_EVERY_MONTH_END = re.compile(r"^每(?:个)?月(?:底|末)(?:前|之前)?$")
_STANDING = re.compile(r"^长期(?:坚持)?$")


def recurring_by(written: str) -> str:
    """What a recurring or standing 完成时限 becomes after `by`: 每季度 → `每季度`, 每月25日前 →
    `每月 25 日`, 每月底前 → `每月底`, 长期坚持 → `长期`; "" for any other (a day past the 28th
    of each month is not in every month: not guessed)."""
    text = re.sub(r"\s", "", written)
    if _EVERY_QUARTER.match(text):
        return "每季度"
    if _EVERY_MONTH_END.match(text):
        return "每月底"
    if _STANDING.match(text):
        return "长期"
    if (found := _EVERY_MONTH_DAY.match(text)) is not None and 1 <= int(found["d"]) <= 28:
        return f"每月 {int(found['d'])} 日"
    return ""


def deadline_note(part: Part) -> str:
    """The TODO comment a part's 完成时限 becomes: the `by` its targets take, or why none."""
    recurring = recurring_by(part.deadline)
    if recurring:
        return _(
            "完成时限 {written}: write each target of {kind} {number} with `by {by}` "
            "(a deadline that recurs or stands; confirm)"
        ).format(written=part.deadline, kind=part.kind, number=part.number, by=recurring)
    day = deadline_day(part.deadline)
    if day:
        return _(
            "完成时限 {written}: write each target of {kind} {number} with `by {day}` "
            "(the last day it allows; confirm)"
        ).format(written=part.deadline, kind=part.kind, number=part.number, day=day)
    return _("完成时限 {written} names no day a target's `by` can hold: say it in a `note`").format(
        written=part.deadline
    )


_MONTHLY_IN_SENTENCE = re.compile(r"每月(?P<d>\d{1,2})日(?:前|之前)")
# A duty's day written inline (各区于2027年3月31日前完成系统改造 / 2027年3月底前建成): the day as
# `deadline_day` reads it, then 前, then (an adverb and) the verb a target's sentence ends on. A
# 完成时限： label is the part's own (`deadline_note`); an applicant's day is an `apply`.
_DONE_VERBS = ("完成", "实现", "建成", "达到", "落实", "上线", "投入使用")
_DAY_IN_SENTENCE = re.compile(
    r"(?P<written>\d{4}年(?:\d{1,2}月(?:\d{1,2}日|底|末)?|底|末|[上下]半年|第?[一二三四1-4]季度(?:末|底)?)"
    r"(?:前|之前|以前))(?:全面|基本|全部|如期)?(?:" + "|".join(_DONE_VERBS) + ")"
)
_POSTPONED_IN_SENTENCE = re.compile(r"遇(?:法定)?节假日(?:则)?顺延")


def sentence_deadlines(quotes: Sequence[str]) -> list[str]:
    """A duty's monthly deadline written in a sentence rather than a 完成时限 (`各牵头单位于每月
    25日前将任务进展情况报送…，遇节假日顺延。`): the `by` a target counting it takes, with
    `遇节假日顺延` when the sentence extends it over holidays."""
    notes = []
    for quote in quotes:
        if application_by(quote):  # 每月10日前提出申请: the applicant's deadline, not a duty's
            continue
        notes += _days_in_sentence(quote)
        found = _MONTHLY_IN_SENTENCE.search(quote)
        if found is None:
            continue
        written = found.group(0)
        by = recurring_by(written)
        if not by:
            notes.append(
                _("{written}: not every month has that day; say it in a `note`").format(
                    written=written
                )
            )
            continue
        if _POSTPONED_IN_SENTENCE.search(quote):
            by += " 遇节假日顺延"
        notes.append(
            _("{written}: a target counting it takes `by {by}`").format(written=written, by=by)
        )
    return notes


def _days_in_sentence(quote: str) -> list[str]:
    """The `by` each inline day of a duty (于2027年3月31日前完成) gives a target, or why none."""
    notes = []
    for found in _DAY_IN_SENTENCE.finditer(re.sub(r"\s", "", quote)):
        written = found["written"]
        day = deadline_day(written)
        if day:
            notes.append(
                _(
                    "{written}: a target it states takes `by {day}` (the last day it allows; a "
                    "duty with no figure: `target NAME done by {day}`; confirm)"
                ).format(written=written, day=day)
            )
        else:
            notes.append(
                _(
                    "{written} is not read as one day (a month without 底: before it or by its "
                    "end?; or a day the month lacks): say it in a `note`"
                ).format(written=written)
            )
    return notes


# An applicant's deadline: the day (每月10日 / 每月底 / 2026年3月31日, then 前, 之前 or 以前; or
# 不迟于/不晚于 before it), then, within the sentence, 申请 (提出申请, 申请补贴, 申领); or a period
# from an event then 申请 (below).
# A filing (申报, 报送, 提交) is an application when the sentence's subject is the applicant
# (申请人每月15日前申报); by anyone else (各牵头单位…报送) it is a unit's duty, a target's `by`.
_APPLY_VERBS = r"(?:申请|申领)"
_APPLICANT_FILING_VERBS = r"(?:申请|申领|申报|报送|提交)"
_APPLICANT_SUBJECT = re.compile(r"^[^。；;]*?(?:申请人|申领人|申报人|申请单位)")


def _application_patterns(verbs: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The monthly and the dated deadline, each followed within its sentence by one of `verbs`."""
    tail = r"[^。；;]*?" + verbs
    monthly = re.compile(r"每月(?:(?P<d>\d{1,2})日|(?P<end>底|末))(?:前|之前|以前)" + tail)
    dated = re.compile(
        r"(?:(?:不迟于|不晚于)(?P<y1>\d{4})年(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日"
        r"|(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:前|之前|以前))" + tail
    )
    return monthly, dated


_APPLY_MONTHLY, _APPLY_DAY = _application_patterns(_APPLY_VERBS)
_FILE_MONTHLY, _FILE_DAY = _application_patterns(_APPLICANT_FILING_VERBS)

# A period from an event, each wording a row: what introduces the event, how the event is
# written, the word that ends it. The event is the input's name (出院 → 出院日期), so it holds
# no figure (自2026年1月1日起 is a day, not an event) and no introducing word (参保人员应于出院:
# the event starts after 于).
_EVENT_CHARS = r"(?:[^\W\d自从于在]|、)"
_EVENT_STARTS = (
    "自",  # 自事故发生之日起
    "从",
    "于",  # 应于出院之日起
    "在",  # 应当在出院后
    "[，,：:；;]",  # …，出院后90日内申请
    "(?=收到|接到)",  # 申请人收到决定书之日起: the receipt is the event, no word before it
)
_EVENT = rf"(?:{'|'.join(_EVENT_STARTS)})(?P<event>{_EVENT_CHARS}{{1,16}}?)"
_EVENT_ENDS = ("之日起", "之日后", "之日以后", "之日之后", "之后", "以后", "后", "起")
_CHINESE_COUNT = "零〇一二两三四五六七八九十百"
_PERIOD = rf"[，,]?(?P<n>\d+|[{_CHINESE_COUNT}]+)个?(?P<unit>工作日|日|天|月|年)(?:内|以内)"
_WITHIN = _EVENT + "(?:" + "|".join(_EVENT_ENDS) + ")" + _PERIOD + r"[^。；;]*?"
_APPLY_WITHIN = re.compile(_WITHIN + _APPLY_VERBS)
_FILE_WITHIN = re.compile(_WITHIN + _APPLICANT_FILING_VERBS)
_WITHIN_MEASURES = {"工作日": "工作日", "日": "日", "天": "日", "月": "月", "年": "年"}


def application_by(sentence: str) -> str:
    """The `apply` an applicant's deadline in `sentence` becomes, or "":
    申请人应于每月10日前提出申请，遇节假日顺延 → `apply 申请日期 by 每月 10 日 遇节假日顺延`,
    and so 申请人每月15日前申报 (申报, 报送, 提交 by the applicant; by a unit they are a duty);
    2026年3月31日前申请 (or 不迟于…) → `apply 申请日期 by 2026-03-31`;
    自事故发生之日起30日内申请 → `apply 申请日期 by date_plus(事故发生日期, 30 日)` (the event's
    day not counted, art. 201, as date_plus counts), and so 应于出院之日起九十日内申请,
    出院后90日内申请 when a word introduces the event (于, 在, 自, 从), 收到决定书之日起60日内申请.
    A day past the 28th of each month, or a day no calendar has, is not guessed ("")."""
    text = re.sub(r"\s", "", sentence)
    monthly, dated, within = (_APPLY_MONTHLY, _APPLY_DAY, _APPLY_WITHIN)
    if _APPLICANT_SUBJECT.search(text):  # 申请人每月15日前申报: the applicant files
        monthly, dated, within = (_FILE_MONTHLY, _FILE_DAY, _FILE_WITHIN)
    by = ""
    if (found := monthly.search(text)) is not None:
        if found["end"]:
            by = "每月底"
        elif 1 <= int(found["d"]) <= 28:
            by = f"每月 {int(found['d'])} 日"
    elif (found := dated.search(text)) is not None:
        year, month, day = (
            found["y"] or found["y1"],
            found["m"] or found["m1"],
            found["d"] or found["d1"],
        )
        by = deadline_day(f"{year}年{month}月{day}日")
    elif (found := within.search(text)) is not None:
        measure = _WITHIN_MEASURES[found["unit"]]
        count = count_written(found["n"])
        if count > 0:
            by = f"date_plus({found['event']}日期, {count} {measure})"
    if not by:
        return ""
    if _POSTPONED_IN_SENTENCE.search(text):
        by += " 遇节假日顺延"
    return f"apply 申请日期 by {by}"


def application_notes(quotes: Sequence[str]) -> list[str]:
    """The TODO an applicant's deadline in a part's sentences becomes: the `apply` its rule takes,
    with the inputs it reads to declare."""
    notes = []
    for quote in quotes:
        apply = application_by(quote)
        if apply:
            notes.append(
                _(
                    "an applicant's deadline: the rule takes `{apply}` (declare 申请日期 and any "
                    "date it counts from as `date` inputs, `optional`; confirm)"
                ).format(apply=apply)
            )
    return notes
