"""遇节假日顺延: a deadline day that is a rest day moves to the next working day of the official
calendar (runtime/workdays.py, runtime/deadlines.py; Civil Code art. 203).

Every expected day is worked out by hand from the State Council's notices, not from the calendar
package: 国务院办公厅关于2023年部分节假日安排的通知 — 元旦 2022年12月31日至2023年1月2日; 春节 1月21日
至27日, 1月28日（六）、29日（日）上班; 清明 4月5日; 劳动节 4月29日至5月3日, 4月23日（日）、5月6日（六）
上班; 端午 6月22日至24日, 6月25日（日）上班; 中秋、国庆 9月29日至10月6日, 10月7日（六）、8日（日）
上班. 关于2024年部分节假日安排的通知 — 元旦 1月1日; 春节 2月10日至17日, 2月4日（日）、18日（日）上班
(除夕2月9日 only encouraged off: a working day); 清明 4月4日至6日, 4月7日（日）上班; 劳动节 5月1日至
5日, 4月28日（日）、5月11日（六）上班; 端午 6月10日; 中秋 9月15日至17日, 9月14日（六）上班; 国庆
10月1日至7日, 9月29日（日）、10月12日（六）上班. Weekdays from the Gregorian calendar: 2023年1月1日
was a Sunday, 2024年1月1日 a Monday.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime import workdays
from policyc.runtime.quantity import Quantity
from policyc.runtime.results import RuleResult
from tests.deadline_helpers import write_project

SOURCE = """\
青禾市人民政府办公室关于印发测试分工方案的通知
青政办发〔2023〕2号
一、工作要求
各牵头单位于每月25日前将任务进展情况报送市发改委，遇节假日顺延。
各牵头单位于每月底前更新工作台账，遇节假日顺延。
各牵头单位于每季度末报送季度总结，遇节假日顺延。
市发改委于2024年10月1日前完成中期评估，遇节假日顺延。
各牵头单位于每月10日前报送数据。
青禾市人民政府办公室
2023年1月10日
"""

POLICY = """\
policy "青政办发〔2023〕2号" {
    title "青禾市人民政府办公室关于印发测试分工方案的通知"
    issuer 市政府办
    issued 2023-01-10
    source "notice.txt" lines 1 to 10
    units from "units.policy"
}

aside "青政办发〔2023〕2号" "文号"
aside "青禾市人民政府办公室" "落款"
aside "2023年1月10日" "落款"

section 一 "工作要求" {
    quote "各牵头单位于每月25日前将任务进展情况报送市发改委，遇节假日顺延。"
    quote "各牵头单位于每月底前更新工作台账，遇节假日顺延。"
    quote "各牵头单位于每季度末报送季度总结，遇节假日顺延。"
    quote "市发改委于2024年10月1日前完成中期评估，遇节假日顺延。"
    quote "各牵头单位于每月10日前报送数据。"
    lead 市发改委
    target 本月进展报送 不少于 1 次 by 每月 25 日 遇节假日顺延 "每月25日前报送"
    target 本月台账更新 不少于 1 次 by 每月底 顺延 "每月底前更新台账"
    target 本季度总结 不少于 1 次 by 每季度 顺延 "每季度末报送季度总结"
    target 中期评估 不少于 1 次 by 2024-10-01 遇节假日顺延 "2024年10月1日前完成中期评估"
    target 本月数据报送 不少于 1 次 by 每月 10 日 "每月10日前报送数据"
}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("postponed")
    write_project(folder, SOURCE, POLICY)
    return folder


@pytest.fixture(scope="module")
def plan(folder: Path) -> CompiledPolicy:
    return compile_policy(folder / "plan.policy")


def _result(policy: CompiledPolicy, name: str, on: date, times: int = 0) -> RuleResult:
    results = policy.evaluate({name: Quantity.of(str(times), "次")}, on)
    return next(r for r in results if r.info.name == name)


# ---- the calendar: the notices' days --------------------------------------------------------------

# 调休上班: weekend days the notices make working days
WORKING_WEEKENDS = [
    date(2023, 1, 28), date(2023, 1, 29), date(2023, 4, 23), date(2023, 5, 6), date(2023, 6, 25),
    date(2023, 10, 7), date(2023, 10, 8), date(2024, 2, 4), date(2024, 2, 18), date(2024, 4, 7),
    date(2024, 4, 28), date(2024, 5, 11), date(2024, 9, 14), date(2024, 9, 29), date(2024, 10, 12),
]  # fmt: skip
# 放假: weekdays inside the notices' holidays
REST_WEEKDAYS = [
    date(2023, 1, 2), date(2023, 1, 23), date(2023, 4, 5), date(2023, 5, 2), date(2023, 6, 23),
    date(2023, 9, 29), date(2023, 10, 6), date(2024, 1, 1), date(2024, 2, 16), date(2024, 4, 5),
    date(2024, 5, 3), date(2024, 6, 10), date(2024, 9, 16), date(2024, 10, 7),
]  # fmt: skip


@pytest.mark.parametrize("day", WORKING_WEEKENDS)
def test_a_tiaoxiu_weekend_day_is_a_working_day(day: date) -> None:
    assert day.weekday() >= 5  # a Saturday or Sunday, as the notice says
    assert workdays.is_working_day(day)


@pytest.mark.parametrize("day", REST_WEEKDAYS)
def test_a_weekday_inside_a_holiday_is_a_rest_day(day: date) -> None:
    assert day.weekday() < 5
    assert not workdays.is_working_day(day)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2023, 11, 25), False),  # an ordinary Saturday
        (date(2023, 11, 26), False),  # an ordinary Sunday
        (date(2023, 11, 27), True),  # an ordinary Monday
        (date(2024, 2, 9), True),  # 除夕 2024: only encouraged off, a working day
    ],
)
def test_ordinary_days(day: date, working: bool) -> None:
    assert workdays.is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "moved", "said"),
    [
        (date(2023, 11, 25), date(2023, 11, 27), "2023年11月25日为星期六，顺延至11月27日"),
        (date(2024, 2, 25), date(2024, 2, 26), "2024年2月25日为星期日，顺延至2月26日"),
        # inside 春节 (1月21日至27日): the first working day after is the 调休 Saturday
        (date(2023, 1, 25), date(2023, 1, 28), "2023年1月25日为春节假期，顺延至1月28日"),
        (date(2024, 10, 1), date(2024, 10, 8), "2024年10月1日为国庆节假期，顺延至10月8日"),
        # a 调休 working Sunday and Saturday are not moved
        (date(2023, 6, 25), date(2023, 6, 25), ""),
        (date(2024, 5, 11), date(2024, 5, 11), ""),
        # over the new year: 2023年12月31日 (a Sunday), 2024年1月1日 元旦, 1月2日 a Tuesday
        (date(2023, 12, 31), date(2024, 1, 2), "顺延至2024年1月2日"),
    ],
)
def test_a_rest_day_moves_to_the_next_working_day(day: date, moved: date, said: str) -> None:
    found = workdays.postponement(day)
    assert (found.nominal, found.moved) == (day, moved)
    assert found.said.endswith(said) if said else found.said == ""


@pytest.mark.parametrize(
    ("day", "count", "end"),
    [
        (date(2023, 11, 24), 1, date(2023, 11, 27)),  # a Friday: the weekend is skipped
        (date(2023, 9, 28), 1, date(2023, 10, 7)),  # over 国庆 to the 调休 Saturday
        (date(2023, 9, 28), 2, date(2023, 10, 8)),  # and the 调休 Sunday
        (date(2024, 9, 27), 3, date(2024, 10, 8)),  # 9月29日（日）上班, 30日, then 10月8日
        (date(2023, 6, 21), 1, date(2023, 6, 25)),  # over 端午 to the 调休 Sunday
    ],
)
def test_working_days_after_a_day(day: date, count: int, end: date) -> None:
    assert workdays.working_days_after(day, count) == end


@pytest.mark.parametrize("day", [date(2003, 12, 31), date(2099, 6, 25)])
def test_a_year_the_calendar_does_not_know_is_refused(day: date) -> None:
    first, last = workdays.days_known()
    assert first == date(2004, 1, 1) and last.year >= 2026  # chinese-calendar 1.11: 2004 to 2026
    with pytest.raises(workdays.CalendarUnknown) as caught:
        workdays.postponement(day)
    said = str(caught.value)
    assert f"{day}: the calendar of working days knows the days from 2004-01-01 to {last}" in said
    with pytest.raises(workdays.CalendarUnknown):
        workdays.is_working_day(day)


def test_the_last_year_is_known_up_to_december_28th() -> None:
    # The next year's 元旦 has made 12月29日 a working day (2018年12月29日, a Saturday, by the
    # 2019 notice): the last days of the last known year wait for that notice.
    assert workdays.is_working_day(date(2018, 12, 29))  # known now: a 调休 Saturday
    last = workdays.days_known()[1]
    assert (last.month, last.day) == (12, 28)
    workdays.is_working_day(last)  # answered
    with pytest.raises(workdays.CalendarUnknown):
        workdays.is_working_day(date(last.year, 12, 29))
    with pytest.raises(workdays.CalendarUnknown):  # a move that would run past it
        workdays.next_working_day(date(last.year, 12, 29))


def test_a_count_of_working_days_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="1 or more, not 0"):
        workdays.working_days_after(date(2023, 11, 24), 0)


# ---- a compiled plan: the day in view, in progress or overdue on each side ----------------------


@pytest.mark.parametrize(
    ("name", "on", "due", "deadline", "moved_from"),
    [
        # 每月 25 日: 2023年11月25日 a Saturday → Monday the 27th
        ("本月进展报送", date(2023, 11, 25), "in_progress", "2023-11-27", "2023-11-25"),
        ("本月进展报送", date(2023, 11, 27), "in_progress", "2023-11-27", "2023-11-25"),
        ("本月进展报送", date(2023, 11, 28), "overdue", "2023-11-27", "2023-11-25"),
        # inside 春节 → the 调休 Saturday 1月28日; the 29th (a 调休 Sunday) is past it
        ("本月进展报送", date(2023, 1, 28), "in_progress", "2023-01-28", "2023-01-25"),
        ("本月进展报送", date(2023, 1, 29), "overdue", "2023-01-28", "2023-01-25"),
        # 2023年6月25日 is a Sunday but 调休上班: not moved
        ("本月进展报送", date(2023, 6, 25), "in_progress", "2023-06-25", ""),
        ("本月进展报送", date(2023, 6, 26), "overdue", "2023-06-25", ""),
        # a working Wednesday: as without 顺延
        ("本月进展报送", date(2023, 10, 25), "in_progress", "2023-10-25", ""),
        ("本月进展报送", date(2023, 10, 26), "overdue", "2023-10-25", ""),
        # 每月底: 2023年9月30日 inside 国庆 → 10月7日, so September stays in view until then
        ("本月台账更新", date(2023, 9, 30), "in_progress", "2023-10-07", "2023-09-30"),
        ("本月台账更新", date(2023, 10, 3), "in_progress", "2023-10-07", "2023-09-30"),
        ("本月台账更新", date(2023, 10, 7), "in_progress", "2023-10-07", "2023-09-30"),
        (
            "本月台账更新",
            date(2023, 10, 8),
            "in_progress",
            "2023-10-31",
            "",
        ),  # October's: a Tuesday
        # 每季度: 2023年12月31日 (a Sunday) and 元旦 → 2024年1月2日; then the first quarter's
        # 3月31日 (a Sunday) → 4月1日
        ("本季度总结", date(2024, 1, 2), "in_progress", "2024-01-02", "2023-12-31"),
        ("本季度总结", date(2024, 1, 3), "in_progress", "2024-04-01", "2024-03-31"),
        # by 2024-10-01: 国庆 10月1日至7日 → 10月8日
        ("中期评估", date(2024, 10, 8), "in_progress", "2024-10-08", "2024-10-01"),
        ("中期评估", date(2024, 10, 9), "overdue", "2024-10-08", "2024-10-01"),
        # without 顺延 a Sunday stays the day (2023年12月10日): overdue on the Monday
        ("本月数据报送", date(2023, 12, 11), "overdue", "2023-12-10", ""),
    ],
)
def test_the_day_in_view_moves_over_rest_days(
    plan: CompiledPolicy, name: str, on: date, due: str, deadline: str, moved_from: str
) -> None:
    result = _result(plan, name, on)
    assert (result.status, result.due, result.deadline) == ("not_met", due, deadline)
    assert (result.postponed[0] if result.postponed else "") == moved_from


def test_the_reason_says_the_move(plan: CompiledPolicy) -> None:
    def reason(name: str, on: date) -> str:
        return _result(plan, name, on).reason

    assert reason("本月进展报送", date(2023, 11, 28)) == (
        "本月期限2023年11月25日为星期六，顺延至11月27日，已过，逾期未达到"
    )
    assert reason("本月台账更新", date(2023, 10, 3)) == (
        "上月期限2023年9月30日为国庆节假期，顺延至10月7日，尚未到期，目标进行中"
    )
    assert reason("本季度总结", date(2024, 1, 2)) == (
        "上季度期限2023年12月31日为元旦假期，顺延至2024年1月2日，尚未到期，目标进行中"
    )
    assert reason("本月进展报送", date(2023, 6, 26)) == "本月期限2023年6月25日已过，逾期未达到"


def test_a_target_met_has_no_deadline_to_move(plan: CompiledPolicy) -> None:
    result = _result(plan, "本月进展报送", date(2023, 11, 28), times=1)
    assert (result.status, result.due, result.deadline, result.postponed) == ("met", "", "", None)


def test_a_year_the_calendar_lacks_refuses_the_target_and_without_shunyan_needs_none(
    plan: CompiledPolicy,
) -> None:
    # 2099年6月25日: whether it moves cannot be told; the target alone is refused, not the run
    refused = _result(plan, "本月进展报送", date(2099, 6, 26))
    assert (refused.status, refused.due, refused.deadline) == ("not_met", "unknown", "")
    assert "2099-06-25: the calendar of working days knows the days from 2004-01-01 to" in (
        refused.refused
    )
    # the 顺延 targets met, none is judged: the one without 顺延 needs no calendar
    met = dict.fromkeys(
        ("本月进展报送", "本月台账更新", "本季度总结", "中期评估"), Quantity.of("1", "次")
    )
    results = plan.evaluate({**met, "本月数据报送": Quantity.of("0", "次")}, date(2099, 6, 11))
    plain = next(r for r in results if r.info.name == "本月数据报送")
    assert (plain.due, plain.deadline, plain.refused) == ("overdue", "2099-06-10", "")


def test_the_wording_says_it_extends_over_holidays(plan: CompiledPolicy) -> None:
    wording = {i.name: i.target for i in plan.rules if i.role == "target"}
    assert wording["本月进展报送"] == "不少于1次（含本数），期限每月25日（遇节假日顺延）"
    assert wording["本季度总结"] == "不少于1次（含本数），期限每季度末（遇节假日顺延）"
    assert wording["中期评估"] == "不少于1次（含本数），期限2024年10月1日（遇节假日顺延）"
    assert wording["本月数据报送"] == "不少于1次（含本数），期限每月10日"


def _policyc(folder: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *words],
        capture_output=True, text=True, cwd=folder, timeout=60, check=False,
    )  # fmt: skip


def test_run_says_the_moved_day_in_text_and_json(folder: Path) -> None:
    (folder / "case.yaml").write_text(
        "policy: 青政办发〔2023〕2号\ninputs:\n  本月进展报送: 0次\n", encoding="utf-8"
    )
    args = ("run", "plan.policy", "--case", "case.yaml", "--on", "2023-11-27")
    done = _policyc(folder, *args)
    assert done.returncode == 0, done.stderr
    assert "◔ 本月进展报送 — 尚未达到目标（期限未到，进行中）" in done.stdout
    assert "      期限顺延: 2023年11月25日为星期六，顺延至11月27日\n" in done.stdout
    done = _policyc(folder, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    found = next(r for r in json.loads(done.stdout)["results"] if r["rule"] == "本月进展报送")
    assert (found["due"], found["deadline"], found["recurs"]) == (
        "in_progress", "2023-11-27", "monthly",
    )  # fmt: skip
    assert found["postponed"] == {
        "from": "2023-11-25",
        "reason": "2023年11月25日为星期六，顺延至11月27日",
    }


def test_run_refuses_only_the_target_a_year_the_calendar_lacks_naming_the_day(
    folder: Path,
) -> None:
    (folder / "late.yaml").write_text(
        "policy: 青政办发〔2023〕2号\ninputs:\n  本月进展报送: 0次\n", encoding="utf-8"
    )
    done = _policyc(folder, "run", "plan.policy", "--case", "late.yaml", "--on", "2099-06-26")
    assert done.returncode == 1  # answered, a part refused (tests/test_deadline_unknown.py)
    assert (
        "2099-06-25: the calendar of working days knows the days from 2004-01-01 to" in done.stderr
    )
    assert "本月进展报送" in done.stdout
    assert "Traceback" not in done.stderr


def test_duties_show_the_deadline_with_its_extension(folder: Path) -> None:
    done = _policyc(folder, "duties", "市发改委", "plan.policy")
    assert done.returncode == 0, done.stderr
    assert "期限每月25日（遇节假日顺延）" in done.stdout


def test_fmt_keeps_the_word(folder: Path) -> None:
    done = _policyc(folder, "fmt", "--check", "plan.policy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_site_shows_the_deadline_with_its_extension(folder: Path) -> None:
    done = _policyc(folder, "docs", "plan.policy", "--out", "site")
    assert done.returncode == 0, done.stderr
    pages = "".join(p.read_text(encoding="utf-8") for p in (folder / "site").rglob("*.md"))
    assert "期限每月25日（遇节假日顺延）" in pages
    assert "期限2024年10月1日（遇节假日顺延）" in pages
