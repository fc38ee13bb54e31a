"""A cap per day over a duration: "每车每日收费最高不超过20元" (language.md "A cap per day").

`cap 20 元 per 日 of 停放时长 by reading 每日 { 满24小时: every_24_hours, 自然日: calendar_day }`
splits the duration input into days, evaluates the rule's amount for each day with the input set
to that day's part, caps each day's amount and adds them up. What a day is, the text leaves
open; the policy names a reading and says, for each of its options, which day it means:

- `every_24_hours` — 每满24小时为一日: 30 hours are a day of 24 hours and one of 6;
- `calendar_day` — each calendar day the stay touches, capped apart. That needs the entry and
  exit times of day, which the language has no type for: an option meaning it may be declared
  (the document's other reading, shown on the site), but taking it is refused here, and a run
  choosing it is refused by the runtime (runtime/daily_caps.py).

`check_daily_cap(checker, rule)` reports through the checker's `error`; nothing raises. The
words after `per` themselves are scope_checks.py's (`per 日` without `of … by reading` is
refused there, naming the choices).
"""

from __future__ import annotations

from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.i18n import _

DAY_WORDS = ("日", "天", "day")
EVERY_24_HOURS = "every_24_hours"
CALENDAR_DAY = "calendar_day"
MEANINGS = (EVERY_24_HOURS, CALENDAR_DAY)
# A duration's dimensions: 日 and 天 are 24 小时 (runtime/quantity.py).
DURATION_DIMS = (("小时", 1),)


def example() -> str:
    """The way to write a daily cap, for messages."""
    return (
        "`cap 20 元 per 日 of 停放时长 by reading 每日 { 满24小时: every_24_hours, "
        "自然日: calendar_day }`"
    )


def daily_of(rule: n.Rule) -> n.CapDays | None:
    """The rule's `of INPUT by reading …` after `cap … per 日`, if any."""
    return rule.cap.days if rule.cap is not None else None


def day_words(cap: n.Cap | None) -> str:
    """What a day is, for the site after `每日最高20元`: the reading the policy takes is always
    every 24 hours (check refuses taking calendar_day); "" for any other cap."""
    if cap is None or cap.days is None:
        return ""
    return f"（{cap.days.input.text}每满24小时为一日，不足24小时的部分另为一日，各日分别封顶）"


def refused_options(file: n.PolicyFile) -> dict[str, dict[str, str]]:
    """{reading: {option: why}} for every option a daily cap gives `calendar_day`: no run can
    take it (runtime/daily_caps.py refuses it), so the form shows it disabled with `why`."""
    refused: dict[str, dict[str, str]] = {}
    for _owner, rule in file.all_rules():
        days = daily_of(rule)
        if days is None:
            continue
        for option, meaning in days.options:
            if meaning.text == CALENDAR_DAY:
                refused.setdefault(days.reading.text, {})[option.text] = _(
                    "each calendar day capped apart needs the times of day the stay begins and "
                    "ends, which a case does not give: this option cannot be evaluated"
                )
    return refused


def check_daily_cap(checker: Any, rule: n.Rule) -> None:
    """The rule's `of INPUT by reading NAME { OPTION: MEANING, … }`, where it has one."""
    days = daily_of(rule)
    if days is None:
        return
    assert rule.cap is not None
    if not any(word in DAY_WORDS for word in rule.cap.scopes):
        checker.error(
            days.span,
            _(
                "`of {input} by reading …` splits a duration into days, but the cap is not per day"
            ).format(input=days.input.text),
            _("`per 日` before it: {example}").format(example=example()),
        )
    if rule.each is not None or rule.period is not None:
        checker.error(
            days.span,
            _(
                "a cap per day over a duration is for a rule paid once per case, not each "
                "member or each period"
            ),
            _("a rule without `each` and without `per 月`/`per 年` after its amount"),
        )
    _check_input(checker, days)
    _check_reading(checker, days)


def _check_input(checker: Any, days: n.CapDays) -> None:
    name = days.input.text
    info = checker.inputs.get(name)
    if info is None:
        checker.error(
            days.input.span,
            _("`of {input}`: no input of that name").format(input=name),
            _("the input that gives the duration (`input 停放时长: 小时`)"),
        )
        return
    checker.used_inputs.add(name)
    measure = getattr(info, "measure", None)
    if measure is None or measure.dims != DURATION_DIMS or info.decl.per:
        checker.error(
            days.input.span,
            _(
                "`of {input}`: a cap per day splits a duration into days, and `{input}` is not "
                "one duration of the case"
            ).format(input=name),
            _("an input in 小时 or 日, not per member or per period (`input 停放时长: 小时`)"),
        )


def _check_reading(checker: Any, days: n.CapDays) -> None:
    name = days.reading.text
    decl = checker.tested_reading(name, days.reading.span)
    if decl is None:
        return
    checker.option_map(
        decl,
        [option for option, _meaning in days.options],
        "by",
        days.reading.span,
        _("one entry per option: `OPTION: every_24_hours` or `OPTION: calendar_day`"),
    )
    given: dict[str, str] = {}
    for option, meaning in days.options:
        if meaning.text not in MEANINGS:
            checker.error(
                meaning.span,
                _("`{meaning}` is not a kind of day policyc knows").format(meaning=meaning.text),
                _(
                    "every_24_hours (每满24小时为一日) or calendar_day (each calendar day the "
                    "stay touches)"
                ),
            )
        given.setdefault(option.text, meaning.text)
    if given.get(decl.take.text) == CALENDAR_DAY:
        checker.error(
            decl.take.span,
            _(
                "reading `{name}` takes `{option}`, each calendar day capped apart: that needs "
                "the times of day the stay begins and ends, and policyc has no time of day"
            ).format(name=name, option=decl.take.text),
            _("an option meaning every_24_hours taken (每满24小时为一日)"),
        )
