"""A 顺延 deadline whose day the official calendar does not know refuses that target alone.

`chinese-calendar` 1.11 knows 2004年1月1日 to 2026年12月28日 (runtime/workdays.py: the last year
up to 12月28日 only, as the next year's 元旦 notice may reach back). Days worked out by hand from
the Gregorian calendar: 2026年12月28日 and 2027年1月25日 are Mondays; 2026年12月28日 is no
holiday of 国务院办公厅关于2026年部分节假日安排的通知, so a deadline on it stays on it. A deadline on
2026年12月29日 needs a day the calendar does not know: whether the target is in progress or
overdue cannot be told, and every other rule is still answered (`run` exits 1, its JSON lists
the target under "refused").
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.quantity import Quantity
from policyc.runtime.results import RuleResult
from tests.deadline_helpers import write_project

SOURCE = """\
青禾市人民政府办公室关于印发年度分工方案的通知
青政办发〔2026〕9号
一、工作要求
市发改委于2026年12月28日前完成年度评估，遇节假日顺延。
市发改委于2026年12月29日前完成年度总结，遇节假日顺延。
各牵头单位于每月25日前将任务进展情况报送市发改委，遇节假日顺延。
各牵头单位于每月10日前报送数据。
青禾市人民政府办公室
2026年1月10日
"""

POLICY = """\
policy "青政办发〔2026〕9号" {
    title "青禾市人民政府办公室关于印发年度分工方案的通知"
    issuer 市政府办
    issued 2026-01-10
    source "notice.txt" lines 1 to 9
    units from "units.policy"
}

aside "青政办发〔2026〕9号" "文号"
aside "青禾市人民政府办公室" "落款"
aside "2026年1月10日" "落款"

section 一 "工作要求" {
    quote "市发改委于2026年12月28日前完成年度评估，遇节假日顺延。"
    quote "市发改委于2026年12月29日前完成年度总结，遇节假日顺延。"
    quote "各牵头单位于每月25日前将任务进展情况报送市发改委，遇节假日顺延。"
    quote "各牵头单位于每月10日前报送数据。"
    lead 市发改委
    target 年度评估 不少于 1 次 by 2026-12-28 遇节假日顺延 "2026年12月28日前完成年度评估"
    target 年度总结 不少于 1 次 by 2026-12-29 遇节假日顺延 "2026年12月29日前完成年度总结"
    target 本月进展报送 不少于 1 次 by 每月 25 日 遇节假日顺延 "每月25日前报送"
    target 本月数据报送 不少于 1 次 by 每月 10 日 "每月10日前报送数据"
}
"""
TARGETS = ("年度评估", "年度总结", "本月进展报送", "本月数据报送")
NOT_DONE = "".join(f"  {name}: 0次\n" for name in TARGETS)
KNOWN = "2004年1月1日至2026年12月28日"


def _line(name: str) -> int:
    """The policy line of target `name` (what a refusal names)."""
    return next(i for i, text in enumerate(POLICY.splitlines(), 1) if f"target {name} " in text)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("unknown")
    write_project(folder, SOURCE, POLICY)
    return folder


@pytest.fixture(scope="module")
def plan(folder: Path) -> CompiledPolicy:
    return compile_policy(folder / "plan.policy")


def _results(plan: CompiledPolicy, on: date) -> dict[str, RuleResult]:
    inputs = {name: Quantity.of("0", "次") for name in TARGETS}
    return {r.info.name: r for r in plan.evaluate(inputs, on)}


def _policyc(folder: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *words],
        capture_output=True, text=True, cwd=folder, timeout=60, check=False,
    )  # fmt: skip


# ---- the last day known and the first not known ---------------------------------------------


@pytest.mark.parametrize(
    ("on", "due"), [(date(2026, 12, 28), "in_progress"), (date(2026, 12, 29), "overdue")]
)
def test_a_deadline_on_the_last_day_known_is_told(plan: CompiledPolicy, on: date, due: str) -> None:
    result = _results(plan, on)["年度评估"]
    assert (result.status, result.due, result.deadline, result.refused) == (
        "not_met", due, "2026-12-28", "",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("on", "also"),
    [
        (date(2026, 12, 30), []),
        # 2027年2月25日 is not known: whether February's report is still in view cannot be told
        (date(2027, 3, 1), ["本月进展报送"]),
    ],
)
def test_a_deadline_past_the_first_day_not_known_refuses_that_target(
    plan: CompiledPolicy, on: date, also: list[str]
) -> None:
    results = _results(plan, on)
    refused = results["年度总结"]
    assert (refused.status, refused.due, refused.deadline, refused.postponed) == (
        "not_met", "unknown", "", None,
    )  # fmt: skip
    assert refused.reason == (
        f"期限遇节假日顺延须知2026年12月29日是否为工作日，而工作日历只知{KNOWN}，"
        "目标是否逾期无法判断"
    )
    assert refused.refused.startswith(
        "2026-12-29: the calendar of working days knows the days from 2004-01-01 to 2026-12-28"
    )
    # the others are answered: only targets needing a day not known are refused
    assert [name for name, r in results.items() if r.refused] == ["年度总结", *also]


@pytest.mark.parametrize("on", [date(2026, 12, 1), date(2026, 12, 29)])
def test_on_or_before_the_day_written_the_target_is_in_progress_whatever_the_calendar(
    plan: CompiledPolicy, on: date
) -> None:
    # 顺延 only moves 12月29日 later: on or before it, the target is in progress
    results = _results(plan, on)
    open_ = results["年度总结"]
    assert (open_.status, open_.due, open_.deadline, open_.refused) == (
        "not_met", "in_progress", "2026-12-29", "",
    )  # fmt: skip
    assert open_.reason == (
        "期限2026年12月29日，遇节假日顺延（该日是否为节假日，工作日历尚未收录），尚未到期，目标进行中"
    )
    assert not [name for name, r in results.items() if r.refused]


def test_a_monthly_deadline_in_a_year_not_known_refuses_it_past_its_day(
    plan: CompiledPolicy,
) -> None:
    # 2027年1月25日 not known: on the 26th whether it moved (and so whether it passed) is not
    # known; December's day (12月25日, a Friday) passed long before
    results = _results(plan, date(2027, 1, 26))
    monthly = results["本月进展报送"]
    assert monthly.due == "unknown"
    assert "须知2027年1月25日是否为工作日" in monthly.reason
    # without 顺延 no calendar is needed: 1月10日 has passed
    plain = results["本月数据报送"]
    assert (plain.due, plain.deadline, plain.refused) == ("overdue", "2027-01-10", "")
    # 2026年12月28日 is known and past: overdue
    assert (results["年度评估"].due, results["年度评估"].deadline) == ("overdue", "2026-12-28")


def test_a_target_met_needs_no_deadline(plan: CompiledPolicy) -> None:
    inputs = {name: Quantity.of("1", "次") for name in TARGETS}
    results = {r.info.name: r for r in plan.evaluate(inputs, date(2027, 1, 25))}
    assert all((r.status, r.due, r.refused) == ("met", "", "") for r in results.values())


def test_a_target_not_reported_is_refused_alike(plan: CompiledPolicy) -> None:
    results = {r.info.name: r for r in plan.evaluate({}, date(2026, 12, 30))}
    refused = results["年度总结"]
    assert (refused.status, refused.due) == ("not_reported", "unknown")
    assert refused.reason.startswith(
        "案例未报告 年度总结 的完成情况（期限遇节假日顺延须知2026年12月29日"
    )


# ---- run: text, JSON, exit status --------------------------------------------------------------


def _case(folder: Path, name: str, on: str, more: str = "") -> str:
    (folder / name).write_text(
        f"policy: 青政办发〔2026〕9号\non: {on}\ninputs:\n{NOT_DONE}{more}", encoding="utf-8"
    )
    return name


def test_run_answers_every_other_target_and_exits_1(folder: Path) -> None:
    done = _policyc(folder, "run", "plan.policy", "--case", _case(folder, "a.yaml", "2026-12-30"))
    assert done.returncode == 1, done.stderr
    assert "! 年度总结 — 尚未达到目标（期限无法判断）" in done.stdout
    assert (
        f"      期限无法判断: 期限遇节假日顺延须知2026年12月29日是否为工作日，而工作日历只知{KNOWN}，"
        "目标是否逾期无法判断\n"
    ) in done.stdout
    assert "✘ 年度评估 — 逾期未达到目标" in done.stdout  # 12月28日 known and past
    assert "✘ 本月进展报送 — 逾期未达到目标" in done.stdout  # 12月25日, a Friday, has passed
    assert done.stderr.startswith(
        f"plan.policy:{_line('年度总结')}: target `年度总结`: in progress or overdue cannot be "
        "told: 2026-12-29: the calendar of working days knows the days from 2004-01-01 to "
        "2026-12-28"
    )
    assert "Traceback" not in done.stderr


def test_run_json_says_the_target_and_the_part_refused(folder: Path) -> None:
    case = _case(folder, "b.yaml", "2026-12-30")
    done = _policyc(folder, "run", "plan.policy", "--case", case, "--format", "json")
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    results = {r["rule"]: r for r in document["results"]}
    refused = results["年度总结"]
    assert (refused["status"], refused["due"]) == ("not_met", "unknown")
    assert "deadline" not in refused
    assert refused["refused"].startswith("2026-12-29: the calendar of working days knows")
    assert (results["年度评估"]["due"], results["年度评估"]["deadline"]) == (
        "overdue", "2026-12-28",
    )  # fmt: skip
    assert "refused" not in results["年度评估"]
    assert list(document)[-1] == "refused"
    assert document["refused"] == [
        {"rule": "年度总结", "line": _line("年度总结"), "reason": refused["refused"]}
    ]


def test_run_on_the_last_day_known_refuses_nothing(folder: Path) -> None:
    # 年度总结 met: 年度评估 on its own day, known; nothing refused, no "refused" key, exit 0
    case = _case(folder, "c.yaml", "2026-12-28")
    (folder / case).write_text(
        (folder / case).read_text(encoding="utf-8").replace("年度总结: 0次", "年度总结: 1次"),
        encoding="utf-8",
    )
    done = _policyc(folder, "run", "plan.policy", "--case", case, "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert "refused" not in document
    found = next(r for r in document["results"] if r["rule"] == "年度评估")
    assert (found["due"], found["deadline"]) == ("in_progress", "2026-12-28")


def test_policyc_test_expects_the_status_of_a_refused_target(folder: Path) -> None:
    expect = "expect:\n  年度总结: not_met\n  年度评估: not_met\n"
    case = _case(folder, "tested.yaml", "2026-12-30", expect)
    done = _policyc(folder, "test", "plan.policy", case)
    assert done.returncode == 0, done.stdout + done.stderr
    wrong = _case(folder, "wrong.yaml", "2026-12-30", "expect:\n  年度总结: met\n")
    done = _policyc(folder, "test", "plan.policy", wrong)
    assert done.returncode == 1, done.stdout + done.stderr


def test_the_progress_counts_say_the_due_that_cannot_be_told(folder: Path) -> None:
    # 2026-12-30: 年度评估 (12月28日), 本月进展报送 (12月25日, a Friday) and 本月数据报送
    # (12月10日) overdue, 年度总结 cannot be told
    case = _case(folder, "counted.yaml", "2026-12-30")
    done = _policyc(folder, "run", "plan.policy", "--case", case, "--all")
    assert done.returncode == 1, done.stderr
    assert (
        "  市发改委: 达到 0 · 未达到 4（其中逾期 3，期限未到 0，期限无法判断 1） · 未报告 0\n"
    ) in done.stdout


def test_the_web_service_answers_with_the_part_refused(plan: CompiledPolicy) -> None:
    # was a 422 for the whole case; now the answer, the target listed under "refused"
    from policyc.serve.evaluate import evaluate_one

    case = {"policy": "青政办发〔2026〕9号", "inputs": {name: "0次" for name in TARGETS}}
    raw = json.dumps(case, ensure_ascii=False).encode()
    document = json.loads(evaluate_one(plan, raw, {"on": "2026-12-30"}, []))
    assert [item["rule"] for item in document["refused"]] == ["年度总结"]
    due = {r["rule"]: r.get("due") for r in document["results"]}
    assert due == {
        "年度评估": "overdue", "年度总结": "unknown", "本月进展报送": "overdue",
        "本月数据报送": "overdue",
    }  # fmt: skip
