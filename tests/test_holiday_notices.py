"""A year the `chinese-calendar` package does not know, answered by the project's restatement of
the State Council's 节假日安排 notice (compiler/holiday_notices.py, runtime/workdays.py).

THE 2027 NOTICE BELOW IS MADE UP FOR THESE TESTS ONLY: its 文号 `示例〔2026〕1号`, its holidays
and its working Saturday are invented, not the real 2027 arrangement. The package knows 2004年1月1日
to 2026年12月28日. Weekdays worked out by hand: 2026年12月31日 is a Thursday, so 2027年1月1日 is a
Friday, 1月4日 a Monday; 2月6日 a Saturday, 2月14日 a Sunday, 2月15日 a Monday, 2月18日 a
Thursday, 2月19日 a Friday, 2月20日 and 2月27日 Saturdays, 3月1日 a Monday.

The made-up notice: 元旦 2027-01-01 to 01-03, 春节 2027-02-06 to 02-14, 2027-02-20 (Saturday) a
working day, complete.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import compile_policy
from policyc.runtime import workdays
from tests.conftest import HEADER, PolicyFactory

NUMBER = "示例〔2026〕1号"
CITED = f"，据{NUMBER}"
NOTICE = f"""holidays 2027 "{NUMBER}" {{
    title "示例：2027年部分节假日安排（测试虚构）"
    COMPLETE
    元旦: 2027-01-01 to 2027-01-03 "一、元旦：1月1日至3日放假，共3天。"
    春节: 2027-02-06 to 2027-02-14 "二、春节：2月6日至14日放假调休，共9天。"
    work 2027-02-20 "2月20日（周六）上班。"
}}
"""
COMPLETE = NOTICE.replace("COMPLETE", "complete")
INCOMPLETE = NOTICE.replace("COMPLETE", "")
PLAIN: workdays.PlainNotices = (
    (
        2027,
        NUMBER,
        (
            ("2027-01-01", "元旦"),
            ("2027-01-02", "元旦"),
            ("2027-01-03", "元旦"),
            *((f"2027-02-{day:02}", "春节") for day in range(6, 15)),
        ),
        ("2027-02-20",),
    ),
)


@pytest.fixture
def notice() -> Iterator[None]:
    token = workdays.using(PLAIN)
    try:
        yield
    finally:
        workdays.done(token)


# ---- the runtime: both sides of each moved day ----


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 31), True),  # a Thursday: the next year's notice reaches back to none
        (date(2027, 1, 1), False),  # 元旦, its first day
        (date(2027, 1, 3), False),  # 元旦, its last day (a Sunday)
        (date(2027, 1, 4), True),  # the Monday after
        (date(2027, 2, 5), True),  # the Friday before 春节
        (date(2027, 2, 8), False),  # a Monday inside 春节
        (date(2027, 2, 14), False),  # 春节's last day
        (date(2027, 2, 15), True),  # the Monday after
        (date(2027, 2, 20), True),  # a Saturday made a working day
        (date(2027, 2, 21), False),  # the Sunday after it rests
        (date(2027, 2, 27), False),  # an ordinary Saturday
        (date(2027, 3, 10), True),  # an ordinary Wednesday
    ],
)
def test_a_day_of_the_notice_year(notice: None, day: date, working: bool) -> None:
    assert workdays.is_working_day(day) is working


def test_a_holiday_moves_to_the_first_working_day_citing_the_notice(notice: None) -> None:
    moved = workdays.postponement(date(2027, 1, 1))
    assert moved.moved == date(2027, 1, 4)
    assert moved.said == f"2027年1月1日为元旦假期，顺延至1月4日{CITED}"
    assert workdays.postponement(date(2027, 2, 8)).moved == date(2027, 2, 15)
    weekend = workdays.postponement(date(2027, 2, 27))
    assert weekend.said == f"2027年2月27日为星期六，顺延至3月1日{CITED}"
    assert workdays.postponement(date(2027, 2, 20)).said == ""  # a working Saturday stays


def test_working_days_count_the_working_saturday(notice: None) -> None:
    # From Thursday 2月18日: 19日 (Friday) is the first, 20日 (the working Saturday) the second.
    assert workdays.working_days_cited(date(2027, 2, 18), 2) == (date(2027, 2, 20), CITED)
    # Over 春节: from Friday 2月5日, the first working day is Monday 2月15日.
    assert workdays.working_days_after(date(2027, 2, 5), 1) == date(2027, 2, 15)


def test_a_new_year_reaching_back_into_december() -> None:
    """The made-up notice's 元旦 begins on Thursday 2026-12-31 (as 2023年元旦 began on
    2022年12月31日): the day before, 12月30日, works; 12月31日 to 1月2日 rest, 1月3日 is a Sunday,
    so a deadline on 12月31日 moves to Monday 2027-01-04."""
    rest = (("2026-12-31", "元旦"), ("2027-01-01", "元旦"), ("2027-01-02", "元旦"))
    token = workdays.using(((2027, NUMBER, rest, ()),))
    try:
        assert workdays.is_working_day(date(2026, 12, 30))
        assert not workdays.is_working_day(date(2026, 12, 31))
        moved = workdays.postponement(date(2026, 12, 31))
        assert moved.said == f"2026年12月31日为元旦假期，顺延至2027年1月4日{CITED}"
    finally:
        workdays.done(token)


def test_the_days_known_grow_to_the_notice_year(notice: None) -> None:
    assert workdays.days_known() == (date(2004, 1, 1), date(2027, 12, 28))
    assert workdays.is_working_day(date(2027, 12, 28))  # a Tuesday
    with pytest.raises(workdays.CalendarUnknown) as refused:
        workdays.is_working_day(date(2027, 12, 29))  # the 2028 notice may reach back
    assert (refused.value.first, refused.value.last) == (date(2004, 1, 1), date(2027, 12, 28))
    with pytest.raises(workdays.CalendarUnknown):
        workdays.is_working_day(date(2028, 3, 1))  # a year neither knows


def test_the_package_years_are_unchanged(notice: None) -> None:
    assert not workdays.is_working_day(date(2023, 10, 2))  # 国庆 2023
    assert workdays.is_working_day(date(2023, 10, 7))  # its 调休 Saturday
    said = workdays.postponement(date(2023, 11, 25)).said
    assert said == "2023年11月25日为星期六，顺延至11月27日"  # no notice cited


def test_without_a_notice_the_year_is_refused_as_before() -> None:
    assert workdays.days_known() == (date(2004, 1, 1), date(2026, 12, 28))
    for day in (date(2026, 12, 29), date(2027, 1, 4)):
        with pytest.raises(workdays.CalendarUnknown):
            workdays.is_working_day(day)


# ---- the compiler: a policy reads its project's notice ----

WORKING_DAYS_POLICY = """measure 工作日 "工作日"
input 受理日期: date
clause 七 "x" {
  QUOTE
  responsible 市商务局
  decide 办结时限 = date_plus(受理日期, 5 工作日)
}
"""


def _policy(policies: PolicyFactory, calendar: str) -> Path:
    from tests.conftest import QUOTE

    (policies.folder / "calendar.policy").write_text(calendar, encoding="utf-8")
    header = HEADER.replace("    units from", '    calendar from "calendar.policy"\n    units from')
    header = header.replace("for 3 年", "for 5 年")
    return policies.write(WORKING_DAYS_POLICY.replace("QUOTE", QUOTE), header=header)


def _deadline(path: Path, received: str, explain: bool = False) -> object:
    plan = compile_policy(path)
    results = plan.evaluate(
        {"受理日期": date.fromisoformat(received)}, date(2026, 12, 1), explain=explain
    )
    return next(r for r in results if r.info.name == "办结时限")


@pytest.mark.parametrize("explain", [False, True])
def test_a_policy_counts_working_days_through_the_notice_year(
    policies: PolicyFactory, explain: bool
) -> None:
    path = _policy(policies, COMPLETE)
    # From Tuesday 2026-12-22: 23, 24, 25, 28, 29 — 12月29日 known once 2027 is.
    assert _deadline(path, "2026-12-22", explain).value == date(2026, 12, 29)  # type: ignore[attr-defined]
    # From Tuesday 2026-12-29: 30, 31, then 元旦 rests, 2027-01-04, 05, 06.
    result = _deadline(path, "2026-12-29", explain)
    assert result.value == date(2027, 1, 6)  # type: ignore[attr-defined]
    if explain:
        steps = " ".join(step.text for step in result.steps)  # type: ignore[attr-defined]
        assert f"2026-12-29 → 2027-01-06{CITED}" in steps
    assert compile_policy(path).namespace["CALENDAR"] == PLAIN


def test_a_notice_not_declared_complete_answers_nothing(policies: PolicyFactory) -> None:
    path = _policy(policies, INCOMPLETE)
    assert compile_policy(path).namespace["CALENDAR"] == ()
    result = _deadline(path, "2026-12-29")
    assert result.value is None or result.refused  # type: ignore[attr-defined]


# ---- the checks, each with its place ----


def _problems(policies: PolicyFactory, calendar: str) -> list[str]:
    with pytest.raises(PolicyError) as refused:
        compile_policy(_policy(policies, calendar))
    return [
        f"{d.span.file.rsplit('/', 1)[-1]}:{d.span.line}:{d.span.column}: {d.message}"
        for d in refused.value.diagnostics
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (  # a rest day outside the year
            "元旦: 2027-01-01 to 2027-01-03",
            "元旦: 2028-01-01 to 2028-01-03",
            "calendar.policy:4:5: 2028-01-01 is outside 2027, the year this notice arranges",
        ),
        (  # a rest to the end of the calendar: refused at once, no day listed (review 17: it
            # listed every day to 9999 and overflowed past it, an internal error)
            "元旦: 2027-01-01 to 2027-01-03",
            "元旦: 2027-01-01 to 9999-12-31",
            "calendar.policy:4:5: 9999-12-31 is outside 2027, the year this notice arranges",
        ),
        (  # a rest day before the reach-back (12月29日–31日 of 2026)
            "元旦: 2027-01-01 to 2027-01-03",
            "元旦: 2026-12-28 to 2027-01-03",
            "calendar.policy:4:5: 2026-12-28 is outside 2027, the year this notice arranges",
        ),
        (  # a working day outside the year (not 12月29日–31日 of 2026)
            "work 2027-02-20",
            "work 2026-12-26",
            "calendar.policy:6:5: 2026-12-26 is outside 2027, the year this notice arranges",
        ),
        (  # a working day on a weekday
            "work 2027-02-20",
            "work 2027-02-19",
            "calendar.policy:6:5: 2027-02-19 is a 星期五: a weekday works anyway",
        ),
        (  # a reach-back day that is a weekday (2026-12-30 is a Wednesday)
            "work 2027-02-20",
            "work 2026-12-30",
            "calendar.policy:6:5: 2026-12-30 is a 星期三: a weekday works anyway",
        ),
        (  # both rest and working
            "work 2027-02-20",
            "work 2027-02-13",
            "calendar.policy:6:5: 2027-02-13 is both a working day and a rest day of `春节`",
        ),
        (  # a range backwards
            "春节: 2027-02-06 to 2027-02-14",
            "春节: 2027-02-14 to 2027-02-06",
            "calendar.policy:5:5: `春节` ends on 2027-02-06, before it begins on 2027-02-14",
        ),
        (  # a holiday listed twice
            "春节: 2027-02-06",
            "元旦: 2027-02-06",
            "calendar.policy:5:5: `元旦` is listed twice in the notice of 2027 (first at",
        ),
        (  # a day in two holidays
            "春节: 2027-02-06",
            "春节: 2027-01-03",
            "calendar.policy:5:5: 2027-01-03 is a rest day of both `元旦` and `春节`",
        ),
        (  # an invalid date
            "work 2027-02-20",
            "work 2027-02-30",
            "calendar.policy:6:10: `2027-02-30` is not a calendar date",
        ),
    ],
)
def test_a_wrong_notice_is_refused_at_its_place(
    policies: PolicyFactory, old: str, new: str, expected: str
) -> None:
    assert old in COMPLETE
    problems = _problems(policies, COMPLETE.replace(old, new))
    assert any(p.startswith(expected) for p in problems), problems


def test_a_year_declared_twice_is_refused(policies: PolicyFactory) -> None:
    problems = _problems(policies, COMPLETE + COMPLETE)
    assert any(
        p.startswith("calendar.policy:8:10: the year 2027 is declared twice (first at")
        for p in problems
    ), problems


def test_quotes_are_checked_against_the_notice_text(policies: PolicyFactory) -> None:
    (policies.folder / "notice.txt").write_text(
        "一、元旦：1月1日至3日放假，共3天。\n二、春节：2月6日至14日放假调休，共9天。\n",
        encoding="utf-8",
    )
    with_source = COMPLETE.replace("    complete", '    source "notice.txt"\n    complete')
    problems = _problems(policies, with_source)
    # 元旦's and 春节's quotes are there; the working Saturday's is not.
    assert problems == [
        "calendar.policy:7:21: this quote is not in the notice's text `notice.txt`"
    ], problems


def test_a_calendar_outside_the_project_is_refused(policies: PolicyFactory) -> None:
    path = _policy(policies, COMPLETE)
    path.write_text(
        path.read_text(encoding="utf-8").replace('"calendar.policy"', '"/etc/calendar.policy"'),
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as refused:
        compile_policy(path)
    assert "`calendar from` names an absolute path" in str(refused.value.diagnostics[0].message)


# ---- a year both know must agree ----


def test_a_conflict_with_the_package_names_both(policies: PolicyFactory) -> None:
    made_up = """holidays 2026 "示例〔2025〕9号" {
    title "示例（测试虚构）"
    植树: 2026-03-11 "植树放假"
    work 2026-03-14 "3月14日上班"
}
"""
    # 2026-03-11 is a Wednesday no holiday touches; 2026-03-14 an ordinary Saturday.
    problems = _problems(policies, made_up)
    version = "chinese-calendar"
    assert any(
        p.startswith(
            "calendar.policy:3:5: 2026-03-11: the notice 示例〔2025〕9号 says a rest day, "
        )
        and version in p
        and p.endswith("says a working day")
        for p in problems
    ), problems
    assert any(
        p.startswith(
            "calendar.policy:4:5: 2026-03-14: the notice 示例〔2025〕9号 says a working day"
        )
        and p.endswith("says a rest day")
        for p in problems
    ), problems


def test_a_complete_notice_must_list_what_the_package_rests(policies: PolicyFactory) -> None:
    empty = 'holidays 2026 "示例〔2025〕9号" {\n    title "示例（测试虚构）"\n    complete\n}\n'
    problems = _problems(policies, empty)
    # 2026-01-01, a Thursday, is 元旦 in the package; the notice leaves it a working day.
    assert any(
        p.startswith(
            "calendar.policy:1:10: 2026-01-01: the notice 示例〔2025〕9号 says nothing (a working day)"
        )
        for p in problems
    ), problems


def test_a_notice_agreeing_with_the_package_is_accepted(policies: PolicyFactory) -> None:
    # 2026's 元旦 (1月1日至3日) and its working Sunday 1月4日, as the package has them: not
    # complete, so only these days are compared.
    agreeing = """holidays 2026 "示例〔2025〕9号" {
    title "示例（测试虚构）"
    元旦: 2026-01-01 to 2026-01-03 "元旦放假"
    work 2026-01-04 "1月4日上班"
}
"""
    compile_policy(_policy(policies, agreeing))


def test_check_a_calendar_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "calendar.policy"
    path.write_text(COMPLETE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "ok (holiday calendar of 2027)" in done.stdout
    path.write_text(COMPLETE.replace("work 2027-02-20", "work 2027-02-19"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2  # errors in a file, as for a policy
    assert f"{path}:6:5" in done.stdout + done.stderr
    weekend = COMPLETE.replace(
        "    work 2027-02-20", '    节: 2027-03-06 to 2027-03-07 "节放假"\n    work 2027-02-20'
    )
    path.write_text(weekend, encoding="utf-8")
    for strict, code in ((), 0), (("--strict",), 2):  # --strict: a warning fails, as a policy's
        done = subprocess.run(
            [sys.executable, "-m", "policyc", "check", str(path), *strict],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == code, done.stdout + done.stderr
        assert f"{path}:6:5" in done.stdout + done.stderr
        assert "weekend-holiday" in done.stdout + done.stderr


def test_fmt_lays_a_notice_out_one_statement_a_line() -> None:
    from policyc.compiler.fmt import format_text

    squeezed = " ".join(COMPLETE.split())  # the whole declaration on one line
    assert format_text(squeezed) == COMPLETE


APPLY_POLICY = """input 申请日期: date optional
clause 七 "x" {
  QUOTE
  responsible 市商务局
  rule 月补 {
    kind 补贴
    apply 申请日期 by 每月 1 日 遇节假日顺延
    amount 100 元
  }
}
"""


@pytest.mark.parametrize("explain", [False, True])
def test_an_applicant_deadline_moves_over_the_notice_holiday(
    policies: PolicyFactory, explain: bool
) -> None:
    from tests.conftest import QUOTE

    (policies.folder / "calendar.policy").write_text(COMPLETE, encoding="utf-8")
    header = HEADER.replace("    units from", '    calendar from "calendar.policy"\n    units from')
    path = policies.write(
        APPLY_POLICY.replace("QUOTE", QUOTE), header=header.replace("for 3 年", "for 5 年")
    )
    plan = compile_policy(path)
    on = date(2027, 1, 15)  # January: its 1st is 元旦, moved over 1月2日–3日 to Monday 1月4日

    def rule(applied: date) -> object:
        results = plan.evaluate({"申请日期": applied}, on, explain=explain)
        return next(r for r in results if r.info.name == "月补")

    in_time = rule(date(2027, 1, 4))
    assert in_time.status == "applies"  # type: ignore[attr-defined]
    late = rule(date(2027, 1, 5))
    assert late.status == "not_applicable"  # type: ignore[attr-defined]
    assert late.reason == (  # type: ignore[attr-defined]
        "申请日期2027年1月5日晚于申请截止2027年1月4日"
        f"（2027年1月1日为元旦假期，顺延至1月4日{CITED}），逾期申请"
    )


def test_a_batch_tells_a_target_due_in_the_days_the_notice_adds(tmp_path: Path) -> None:
    """tests/test_deadline_batch.py's project, whose 总结 is due `by 2026-12-29 遇节假日顺延`: a
    day the package does not know, `unknown` there. With the made-up 2027 notice 12月29日 is
    known — a Tuesday, a working day —, so row b (2023-11-27) is in progress, the day not moved."""
    from tests.deadline_helpers import write_project
    from tests.test_deadline_batch import POLICY, ROWS, SOURCE, _read

    header_end = '    units from "units.policy"\n'
    write_project(
        tmp_path,
        SOURCE,
        POLICY.replace(header_end, header_end + '    calendar from "cal.policy"\n'),
    )
    (tmp_path / "cal.policy").write_text(COMPLETE, encoding="utf-8")
    (tmp_path / "cases.csv").write_text(ROWS, encoding="utf-8")
    words = ["run", "plan.policy", "--cases", "cases.csv", "--out", "out.csv"]
    done = subprocess.run(
        [sys.executable, "-m", "policyc", *words],
        capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _read(tmp_path / "out.csv")["b"]["总结"] == ("not_met", "in_progress", "2026-12-29", "")


def test_a_changed_calendar_file_is_read_again(policies: PolicyFactory, cache_folder: Path) -> None:
    """The compile cache holds the policy with its notices; a change to the calendar file (a
    file the checker read) makes it compile afresh, and the AST of a notice round-trips through
    the parse cache."""
    from policyc.compiler.ast_marshal import decode, encode
    from policyc.compiler.parser import parse

    path = _policy(policies, COMPLETE)
    assert compile_policy(path).namespace["CALENDAR"] == PLAIN
    assert compile_policy(path).namespace["CALENDAR"] == PLAIN  # from the cache
    (policies.folder / "calendar.policy").write_text(INCOMPLETE, encoding="utf-8")
    assert compile_policy(path).namespace["CALENDAR"] == ()
    parsed = parse(COMPLETE, "calendar.policy")
    assert decode(encode(parsed)) == parsed


def test_a_notice_text_outside_the_project_is_refused(policies: PolicyFactory) -> None:
    outside = COMPLETE.replace("    complete", '    source "../notice.txt"\n    complete')
    problems = _problems(policies, outside)
    assert len(problems) == 1 and problems[0].startswith("calendar.policy:3:12: `source` names")
    assert "inside the policy's project" in problems[0]


def test_a_policy_may_declare_the_year_itself(policies: PolicyFactory) -> None:
    from tests.conftest import QUOTE

    body = COMPLETE + WORKING_DAYS_POLICY.replace("QUOTE", QUOTE)
    plan = compile_policy(policies.write(body, header=HEADER.replace("for 3 年", "for 5 年")))
    assert plan.namespace["CALENDAR"] == PLAIN
    results = plan.evaluate({"受理日期": date(2026, 12, 29)}, date(2026, 12, 1))
    assert next(r for r in results if r.info.name == "办结时限").value == date(2027, 1, 6)


def test_a_holiday_on_weekend_days_only_is_a_warning(policies: PolicyFactory) -> None:
    # 2027-03-06 and 03-07 are a Saturday and a Sunday: a made-up holiday resting on them only
    # moves no working day — a warning (a notice has done so: 2015年中秋节, 9月27日, a Sunday);
    # one weekday among its days (2027-03-08, a Monday) and there is none.
    weekend = COMPLETE.replace(
        "    work 2027-02-20", '    节: 2027-03-06 to 2027-03-07 "节放假"\n    work 2027-02-20'
    )
    plan = compile_policy(_policy(policies, weekend))
    warned = [(w.code, w.span.line, w.span.column) for w in plan.checked.warnings]
    assert ("weekend-holiday", 6, 5) in warned
    assert "2027-03-06, 2027-03-07" in next(
        w.message for w in plan.checked.warnings if w.code == "weekend-holiday"
    )
    with_monday = weekend.replace("2027-03-06 to 2027-03-07", "2027-03-06 to 2027-03-08")
    plan = compile_policy(_policy(policies, with_monday))
    assert all(w.code != "weekend-holiday" for w in plan.checked.warnings)


def test_the_editor_shows_a_calendar_file_s_problems(tmp_path: Path) -> None:
    from policyc.editing import Document

    document = Document(str(tmp_path / "calendar.policy"))
    document.update(COMPLETE)
    # no error; the notice names no `source` (tests/test_notice_incomplete.py)
    assert [d.code for d in document.diagnostics] == ["notice-without-source"]
    document.update(COMPLETE.replace("work 2027-02-20", "work 2027-02-19"))
    places = [(d.span.line, d.span.column) for d in document.diagnostics if not d.code]
    assert places == [(6, 5)]


def test_every_year_of_the_package_restated_from_it_agrees() -> None:
    """The checks against the package raise no false conflict: each year it knows, restated as a
    complete notice from its own table (元旦's December days given to the next year), checks
    without an error — reach-back days, weekend rest days, 调休 Saturdays and Sundays alike."""
    import chinese_calendar  # type: ignore[import-untyped]

    from policyc.compiler import nodes as n
    from policyc.compiler.errors import Severity, Span
    from policyc.compiler.holiday_notices import notices_problems

    span = Span("calendar.policy", 1, 1)

    def owner(day: date) -> int:  # the notice a day's arrangement belongs to
        return day.year + 1 if day.month == 12 and day.day >= 29 else day.year

    first, last = workdays.package_days()
    for year in range(first.year + 1, last.year + 1):
        rests = sorted(d for d in chinese_calendar.holidays if owner(d) == year)
        runs: list[list[date]] = []
        for day in rests:
            same = (
                runs and chinese_calendar.holidays[runs[-1][-1]] == chinese_calendar.holidays[day]
            )
            if same and (day - runs[-1][-1]).days == 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        notice = n.HolidayNotice(
            year=year,
            number=f"{year}",
            title="",
            source_file="",
            complete=True,
            rests=tuple(
                n.NoticeRest(n.Name(f"假{i}", span), run[0], run[-1], n.Quote("", span), span)
                for i, run in enumerate(runs)
            ),
            works=tuple(
                n.NoticeWork(day, n.Quote("", span), span)
                for day in sorted(chinese_calendar.workdays)
                if owner(day) == year
            ),
            span=span,
            year_span=span,
        )
        errors = [p.message for p in notices_problems([notice], {}) if p.severity is Severity.ERROR]
        assert errors == [], year
