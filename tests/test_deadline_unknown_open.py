"""What is knowable when 顺延 reaches a day the official calendar does not know.

遇节假日顺延 only ever moves a deadline later (Civil Code art. 203): when the walk from the day as
written stops at a day the calendar does not know, the deadline is that day or later. So an
application on or before it is in time, a case without an application date is answered (the
deadline said open), a target is in progress on or before it; only after it is the rule (or the
target) refused, as before. A count of 工作日 past the calendar's end stays refused (every day
could be a holiday), but one whose last day is known is answered.

Days worked out by hand. chinese-calendar 1.11 knows 2004-01-01 to 2026-12-28.
- 出院 2026-11-01 plus 90 日 (the day itself not counted, art. 201): 11月2日–30日 are 29 days,
  12月 31 more (60), 1月1日–30日 30 more: 2027-01-30, a Saturday (2027-01-01 is a Friday), in a
  year the calendar does not know.
- 出院 2026-09-01 plus 90 日: 9月2日–30日 29, 10月 31 (60), 11月1日–30日 30: 2026-11-30, a Monday,
  no holiday: the deadline stays on it (known).
- With the calendar's end patched to 2024-12-28 (a Saturday, no holiday's day, so a rest day):
  `by 2024-12-28 顺延` walks 12月28日 (rest, known) to 12月29日, not known: the deadline is
  12月29日 or later (in truth 12月30日, a Monday: 29日 is a Sunday).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime import applications, deadlines, workdays
from policyc.runtime.quantity import Quantity
from policyc.runtime.results import RuleResult
from tests.conftest import HEADER, QUOTE, PolicyFactory

IN_FORCE = HEADER.replace("for 3 年", "for 5 年")  # in force 2023-01-06 to 2028-01-05
OPEN = "遇节假日顺延（该日是否为节假日，工作日历尚未收录）"
KNOWN = "2004年1月1日至2026年12月28日"
POLICY = """input 申请日期: date optional "申请人提出申请的日期"
input 出院日期: date "出院的日期"
clause 七 "x" {
  QUOTE
  responsible 市商务局
  rule 大病保险待遇 {
    kind 补贴
    apply 申请日期 by date_plus(出院日期, 90 日) 遇节假日顺延
    amount 60000 元
  }
}
""".replace("QUOTE", QUOTE)


@pytest.fixture
def plan(policies: PolicyFactory) -> CompiledPolicy:
    return compile_policy(policies.write(POLICY, header=IN_FORCE))


def _result(plan: CompiledPolicy, **days: str) -> RuleResult:
    inputs = {name: date.fromisoformat(day) for name, day in days.items()}
    (result,) = (
        r for r in plan.evaluate(inputs, date(2026, 12, 2), explain=True)
        if r.info.name == "大病保险待遇"
    )  # fmt: skip
    return result


@pytest.fixture
def end_2024(monkeypatch: pytest.MonkeyPatch) -> None:
    """The package's known days patched to end on 2024-12-28 (its 12月29日–31日 unknown)."""
    monkeypatch.setattr(workdays, "_KNOWN", [(date(2004, 1, 1), date(2024, 12, 28))])


# ---- an applicant's deadline -----------------------------------------------------------------


@pytest.mark.parametrize("applied", ["2026-11-20", "2027-01-30"])
def test_an_application_on_or_before_the_day_as_written_is_in_time(
    plan: CompiledPolicy, applied: str
) -> None:
    result = _result(plan, 出院日期="2026-11-01", 申请日期=applied)
    assert (result.status, result.amount, result.refused) == (
        "applies", Quantity.of(60000, "元"), "",
    )  # fmt: skip
    view = result.applying
    assert (view.day, view.nominal, view.unknown, view.in_time) == (
        date(2027, 1, 30), date(2027, 1, 30), True, True,
    )  # fmt: skip
    assert view.moved == OPEN
    day = date.fromisoformat(applied)
    said = f"申请日期{day.year}年{day.month}月{day.day}日不迟于申请截止2027年1月30日"
    assert f"{said}（遇节假日顺延只会推后），按期申请" in [step.text for step in result.steps]


def test_no_application_date_is_answered_with_the_deadline_open(plan: CompiledPolicy) -> None:
    result = _result(plan, 出院日期="2026-11-01")
    assert (result.status, result.amount, result.refused) == (
        "applies", Quantity.of(60000, "元"), "",
    )  # fmt: skip
    assert (result.applying.day, result.applying.in_time) == (date(2027, 1, 30), None)


def test_an_application_after_the_day_as_written_is_refused_as_before(
    plan: CompiledPolicy,
) -> None:
    result = _result(plan, 出院日期="2026-11-01", 申请日期="2027-01-31")
    assert (result.status, result.amount, result.missing) == ("undetermined", None, ())
    assert result.reason == (
        f"申请截止遇节假日顺延须知2027年1月30日是否为工作日，而工作日历只知{KNOWN}，本条无法判定"
    )
    assert result.refused.startswith("2027-01-30: the calendar of working days knows")


@pytest.mark.parametrize(
    ("applied", "status"), [("2026-11-30", "applies"), ("2026-12-01", "not_applicable")]
)
def test_a_known_day_is_judged_as_before(plan: CompiledPolicy, applied: str, status: str) -> None:
    result = _result(plan, 出院日期="2026-09-01", 申请日期=applied)
    assert (result.status, result.applying.unknown) == (status, False)
    assert result.applying.day == date(2026, 11, 30)


@pytest.mark.usefixtures("end_2024")
@pytest.mark.parametrize("applied", [None, date(2024, 12, 28), date(2024, 12, 29)])
def test_a_walk_stopped_past_known_rest_days_bounds_the_deadline_at_the_stop(
    applied: date | None,
) -> None:
    view = applications.deadline("day:postponed", date(2024, 12, 28), applied)
    assert (view.day, view.nominal, view.unknown) == (date(2024, 12, 29), date(2024, 12, 28), True)
    assert view.in_time is (None if applied is None else True)


@pytest.mark.usefixtures("end_2024")
def test_a_walk_stopped_refuses_an_application_after_the_stop() -> None:
    with pytest.raises(applications.DeadlineUnknown) as caught:
        applications.deadline("day:postponed", date(2024, 12, 28), date(2024, 12, 30))
    assert caught.value.day == date(2024, 12, 29)


def test_the_real_calendar_moves_that_saturday_to_the_monday() -> None:
    # unpatched, the same deadline is known: 12月28日 Saturday, 29日 Sunday → 12月30日
    view = applications.deadline("day:postponed", date(2024, 12, 28), date(2024, 12, 30))
    assert (view.day, view.unknown, view.in_time) == (date(2024, 12, 30), False, True)
    late = applications.deadline("day:postponed", date(2024, 12, 28), date(2024, 12, 31))
    assert late.in_time is False


# ---- a target's deadline ---------------------------------------------------------------------


@pytest.mark.parametrize("on", [date(2026, 12, 1), date(2026, 12, 29)])
def test_a_target_on_or_before_the_day_as_written_is_in_progress(on: date) -> None:
    view = deadlines.in_view("2026-12-29:postponed", on)
    assert view is not None
    assert (view.day, view.nominal, view.earlier) == (date(2026, 12, 29), date(2026, 12, 29), False)
    assert deadlines.due_on("2026-12-29:postponed", on) == ("in_progress", date(2026, 12, 29))
    assert deadlines.due_words("2026-12-29:postponed", "in_progress", view, "not_met") == (
        f"期限2026年12月29日，{OPEN}，尚未到期，目标进行中"
    )
    # the batch writes the day, and the day as written: it may still move, as run's JSON says
    assert deadlines.due_of("2026-12-29:postponed", on) == (
        "in_progress", "2026-12-29", "2026-12-29",
    )  # fmt: skip


def test_a_target_past_the_day_as_written_is_refused_as_before() -> None:
    with pytest.raises(workdays.CalendarUnknown) as caught:
        deadlines.in_view("2026-12-29:postponed", date(2026, 12, 30))
    assert caught.value.day == date(2026, 12, 29)
    assert deadlines.due_of("2026-12-29:postponed", date(2026, 12, 30)) == ("unknown", "", "")


@pytest.mark.parametrize(
    ("on", "due"),
    [
        (date(2027, 1, 4), "in_progress"),  # December's 25th (a Friday) passed; January's open
        (date(2027, 1, 25), "in_progress"),
        (date(2027, 1, 26), "unknown"),
    ],
)
def test_a_monthly_target_in_a_year_not_known(on: date, due: str) -> None:
    assert deadlines.due_of("monthly:25:postponed", on)[0] == due


@pytest.mark.usefixtures("end_2024")
@pytest.mark.parametrize(
    ("on", "due"), [(date(2024, 12, 29), "in_progress"), (date(2024, 12, 30), "unknown")]
)
def test_a_target_walk_stopped_past_known_rest_days(on: date, due: str) -> None:
    assert deadlines.due_of("2024-12-28:postponed", on)[:2] == (
        (due, "2024-12-29") if due == "in_progress" else (due, "")
    )
    # a monthly day alike: 12月28日 is December's own period on the 29th
    assert deadlines.due_of("monthly:28:postponed", on)[0] == due


# ---- working days: nothing knowable past the end, everything up to it -------------------------


@pytest.mark.usefixtures("end_2024")
def test_a_count_of_working_days_ending_on_a_known_day_is_answered() -> None:
    # 12月20日 (Friday) + 5: 23, 24, 25, 26, 27 (Mon–Fri)
    assert workdays.working_days_after(date(2024, 12, 20), 5) == date(2024, 12, 27)
    # 12月23日 + 5: 24–27 (4), 28 a Saturday, 29 not known: refused
    with pytest.raises(workdays.CalendarUnknown) as caught:
        workdays.working_days_after(date(2024, 12, 23), 5)
    assert caught.value.day == date(2024, 12, 29)


def test_the_message_points_to_restating_the_notice_first() -> None:
    with pytest.raises(workdays.CalendarUnknown) as caught:
        workdays.is_working_day(date(2027, 1, 30))
    said = str(caught.value)
    assert "restate that year's notice in the project" in said
    assert "`holidays YEAR … complete`" in said
    assert "pip install" not in said


# ---- run and the batch ------------------------------------------------------------------------


def _policyc(folder: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *words],
        capture_output=True, text=True, cwd=folder, timeout=60, check=False,
    )  # fmt: skip


def test_run_shows_the_open_deadline_and_exits_0(policies: PolicyFactory) -> None:
    path = policies.write(POLICY, header=IN_FORCE)
    (path.parent / "case.yaml").write_text(
        "on: 2026-12-02\ninputs:\n  出院日期: 2026-11-01\n  申请日期: 2026-11-20\n",
        encoding="utf-8",
    )
    done = _policyc(path.parent, "run", path.name, "--case", "case.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "  ✔ 大病保险待遇 — 适用: 60,000元（6万元） · 责任单位: 市商务局\n"
        f"      申请截止: 2027-01-30，{OPEN}\n"
        "      申请日期: 2026-11-20，按期申请\n"
    ) in done.stdout
    done = _policyc(path.parent, "run", path.name, "--case", "case.yaml", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert "refused" not in document
    (result,) = (r for r in document["results"] if r["rule"] == "大病保险待遇")
    assert result["apply_by"] == {
        "deadline": "2027-01-30",
        "postponed": {"from": "2027-01-30", "reason": OPEN, "unknown": True},
        "applied": "2026-11-20",
        "in_time": True,
    }
    # no application date: answered, the deadline said open, nothing judged
    (path.parent / "asking.yaml").write_text(
        "on: 2026-12-02\ninputs:\n  出院日期: 2026-11-01\n", encoding="utf-8"
    )
    done = _policyc(path.parent, "run", path.name, "--case", "asking.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "  ✔ 大病保险待遇 — 适用: 60,000元（6万元） · 责任单位: 市商务局\n"
        f"      申请截止: 2027-01-30，{OPEN}\n"
    ) in done.stdout
    assert "申请日期:" not in done.stdout


def test_the_batch_reason_of_a_late_application_is_run_s(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    path = policies.write(POLICY, header=IN_FORCE)
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "出院日期,申请日期\n2026-09-01,2026-11-30\n2026-09-01,2026-12-01\n"
        "2026-11-01,2026-11-20\n2026-11-01,2027-01-31\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.csv"
    done = _policyc(
        path.parent, "run", path.name, "--cases", str(cases), "--on", "2026-12-02",
        "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr  # the last row is refused
    with out.open(encoding="utf-8") as handle:
        reasons = [row["大病保险待遇.reason"] for row in csv.DictReader(handle)]
    assert reasons == [
        "",
        "不适用：申请日期2026年12月1日晚于申请截止2026年11月30日，逾期申请",
        "",
        "无法判定：所需日期不在工作日历内",
    ]
