"""A 节假日安排 notice restated without `complete` answers no day (newcomer17 item 3): `check`
warns of it (`notice-incomplete`) and of a notice without `source` (`notice-without-source`),
and a day of its year refused names the notice and what it lacks, where a year no notice
restates keeps the general advice.

Worked by hand: 2026-12-28 is the package's last sure day; 12月29日–31日 belong to the next
year's notice (元旦 may reach back), so 2026-12-29 is answered by the notice of 2027."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.pipeline import compile_policy
from policyc.runtime import workdays
from tests.conftest import HEADER, QUOTE, PolicyFactory
from tests.test_holiday_notices import APPLY_POLICY, COMPLETE, INCOMPLETE, NUMBER, _policy


def _warned(path: Path) -> list[tuple[str, int, int]]:
    plan = compile_policy(path)
    return [(w.code, w.span.line, w.span.column) for w in plan.checked.warnings]


def test_a_notice_without_complete_is_warned_at_its_year(policies: PolicyFactory) -> None:
    # `holidays 2027 …`: the year at line 1, column 10
    assert ("notice-incomplete", 1, 10) in _warned(_policy(policies, INCOMPLETE))
    assert all(code != "notice-incomplete" for code, *_ in _warned(_policy(policies, COMPLETE)))


def test_a_notice_without_source_is_warned_and_one_with_it_is_not(
    policies: PolicyFactory,
) -> None:
    assert ("notice-without-source", 1, 10) in _warned(_policy(policies, COMPLETE))
    text = "一、元旦：1月1日至3日放假，共3天。二、春节：2月6日至14日放假调休，共9天。2月20日（周六）上班。"
    (policies.folder / "notice.txt").write_text(text, encoding="utf-8")
    sourced = COMPLETE.replace("    complete", '    source "notice.txt"\n    complete')
    assert all(code != "notice-without-source" for code, *_ in _warned(_policy(policies, sourced)))


@pytest.mark.parametrize(
    ("day", "names_the_notice"),
    [
        (date(2026, 12, 29), True),  # the notice of 2027 reaches back to it
        (date(2027, 6, 1), True),
        (date(2028, 1, 3), False),  # no notice of 2028 restated: the general advice
    ],
)
def test_a_refused_day_names_the_notice_without_complete(day: date, names_the_notice: bool) -> None:
    token = workdays.using((), ((2027, NUMBER),))
    try:
        with pytest.raises(workdays.CalendarUnknown) as refused:
            workdays.next_working_day(day)
    finally:
        workdays.done(token)
    said = str(refused.value)
    assert (f"the notice of 2027 ({NUMBER})" in said) is names_the_notice
    assert ("does not declare it `complete`" in said) is names_the_notice
    assert ("restate that year's notice" in said) is not names_the_notice


def test_a_calendar_used_inside_another_gives_the_outer_one_back_whole() -> None:
    # `done` of an inner `using` restores the outer calendar, its incomplete notices included
    # (it cleared them: a refusal after it gave the general advice, not the notice of 2027)
    outer = workdays.using((), ((2027, NUMBER),))
    try:
        workdays.done(workdays.using(()))
        with pytest.raises(workdays.CalendarUnknown) as refused:
            workdays.next_working_day(date(2027, 6, 1))
    finally:
        workdays.done(outer)
    assert f"the notice of 2027 ({NUMBER})" in str(refused.value)
    with pytest.raises(workdays.CalendarUnknown) as after:
        workdays.next_working_day(date(2027, 6, 1))
    assert "restate that year's notice" in str(after.value)  # and none once the outer is done


def test_the_policy_s_refusal_names_the_notice_without_complete(
    policies: PolicyFactory,
) -> None:
    path = _policy(policies, INCOMPLETE)
    plan = compile_policy(path)
    # From Tuesday 2026-12-22: 23, 24, 25, 28 known, the fifth working day needs 12月29日.
    results = plan.evaluate({"受理日期": date(2026, 12, 22)}, date(2026, 12, 1))
    refused = next(r for r in results if r.info.name == "办结时限").refused
    assert f"the notice of 2027 ({NUMBER}) but does not declare it `complete`" in refused


def test_an_applicant_deadline_refused_keeps_the_notice_named(policies: PolicyFactory) -> None:
    # 每月1日 in January 2027 is 元旦, which the incomplete notice cannot answer: an application
    # made after that day cannot be judged, and the refusal names the notice.
    (policies.folder / "calendar.policy").write_text(INCOMPLETE, encoding="utf-8")
    header = HEADER.replace("    units from", '    calendar from "calendar.policy"\n    units from')
    path = policies.write(
        APPLY_POLICY.replace("QUOTE", QUOTE), header=header.replace("for 3 年", "for 5 年")
    )
    results = compile_policy(path).evaluate({"申请日期": date(2027, 1, 5)}, date(2027, 1, 15))
    refused = next(r for r in results if r.info.name == "月补").refused
    assert f"the notice of 2027 ({NUMBER}) but does not declare it `complete`" in refused


def test_an_ignore_in_the_calendar_file_silences_it_for_the_policy_too(
    policies: PolicyFactory,
) -> None:
    import subprocess
    import sys

    path = _policy(policies, COMPLETE)
    strict = [sys.executable, "-m", "policyc", "check", "--strict", path.name]
    done = subprocess.run(strict, cwd=path.parent, capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "notice-without-source" in done.stdout + done.stderr
    reason = "# policyc: ignore[notice-without-source] a made-up notice for the test\n"
    (path.parent / "calendar.policy").write_text(reason + COMPLETE, encoding="utf-8")
    for name in (path.name, "calendar.policy"):  # the policy, and the calendar file alone
        done = subprocess.run(
            [*strict[:-1], name], cwd=path.parent, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
