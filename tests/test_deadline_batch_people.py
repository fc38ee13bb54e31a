"""The households and periods batch (cli/batch_people.py) gives a target's due per row, as the
plain batch does (cli/batch_dues.py), and refuses a rule the official calendar cannot answer in
that row alone, counted in the summary; either exits 1, as `run` does.

Days worked out by hand (`chinese-calendar` knows 2004年1月1日 to 2026年12月28日; 2026年12月21日
and 28日 are Mondays, no day between them a holiday of the 2026 notice). Evaluated on
2026-12-28:
- 年度评估 by 2026-12-28 遇节假日顺延: a working day, not moved — in progress, deadline 2026-12-28;
- 年度总结 by 2026-12-29 遇节假日顺延: whether 12月29日 rests is not known, but 顺延 only moves it
  later — in progress on 12月28日, deadline 2026-12-29 (the day as written, it may still move);
- 办结奖励 when date_plus(受理日期, 5 工作日) >= on_date(): 户1 受理 2026-12-21, the fifth working
  day 2026-12-28 (22, 23, 24, 25, 28) — applies, 10元; 户2 受理 2026-12-22 needs 2026-12-29 —
  refused, undetermined, in no total (the total is 10元, not 20元).
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("duckdb")

FIXTURE = Path(__file__).parent / "fixtures" / "county-household"
SOURCE_LINE = (
    "第五条 县民政局于2026年12月28日前完成年度评估，于2026年12月29日前完成年度总结，"
    "均遇节假日顺延；受理之日起5个工作日内办结的，给予办结奖励10元。"
)
CLAUSE = """clause 五 "年度工作" {
    quote "县民政局于2026年12月28日前完成年度评估"
    quote "于2026年12月29日前完成年度总结，均遇节假日顺延"
    quote "受理之日起5个工作日内办结的，给予办结奖励10元。"
    lead 县民政局
    target 年度评估 不少于 1 次 by 2026-12-28 遇节假日顺延 "2026年12月28日前完成年度评估"
    target 年度总结 不少于 1 次 by 2026-12-29 遇节假日顺延 "2026年12月29日前完成年度总结"
    rule 办结奖励 {
        kind 奖励
        when date_plus(受理日期, 5 工作日) >= on_date()
        amount 10 元
    }
}
"""
CASES = "id,period,受理日期,年度评估,年度总结\n户1,2026-12,2026-12-21,0次,0次\n户2,2026-12,{second},0次,0次\n"
MEMBERS = (
    "case,member,role,出生日期,月收入\n户1,王芳,申请人,1980-05-01,0\n户2,李明,申请人,1980-05-01,0\n"
)


def _folder(tmp_path: Path, *, with_unknown_target: bool, second: str) -> Path:
    for name in ("source.txt", "units.policy"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    lines = (tmp_path / "source.txt").read_text(encoding="utf-8").splitlines()
    lines.insert(6, SOURCE_LINE)  # before 本通知自…施行
    (tmp_path / "source.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    policy = (FIXTURE / "county-household.policy").read_text(encoding="utf-8")
    policy = policy.replace("lines 1 to 9", "lines 1 to 10")
    policy = policy.replace(
        "input 出生日期:", 'measure 工作日 "工作日"\ninput 受理日期: date\ninput 出生日期:'
    )
    clause = CLAUSE
    if not with_unknown_target:
        clause = "\n".join(line for line in CLAUSE.splitlines() if "target 年度总结" not in line)
    (tmp_path / "p.policy").write_text(policy + clause + "\n", encoding="utf-8")
    cases = CASES.format(second=second)
    if not with_unknown_target:  # its column goes with it: the last of each line
        cases = "".join(line.rpartition(",")[0] + "\n" for line in cases.splitlines())
    (tmp_path / "cases.csv").write_text(cases, encoding="utf-8")
    (tmp_path / "members.csv").write_text(MEMBERS, encoding="utf-8")
    return tmp_path


def _batch(folder: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", "run", "p.policy", "--cases", "cases.csv",
         "--members", "members.csv", "--on", "2026-12-28", *words],
        capture_output=True, text=True, cwd=folder, timeout=120, check=False,
    )  # fmt: skip


def test_each_row_gives_the_due_and_the_rule_refused_in_it(tmp_path: Path) -> None:
    folder = _folder(tmp_path, with_unknown_target=True, second="2026-12-22")
    done = _batch(folder, "--out", "out.csv")
    assert done.returncode == 1, done.stderr
    with (folder / "out.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    for key in ("户1", "户2"):
        row = rows[key]
        assert (row["年度评估.status"], row["年度评估.due"], row["年度评估.deadline"]) == (
            "not_met", "in_progress", "2026-12-28",
        )  # fmt: skip
        assert row["年度评估.postponed_from"] == ""  # a working day: not moved
        assert (row["年度总结.due"], row["年度总结.deadline"]) == ("in_progress", "2026-12-29")
    assert (rows["户1"]["办结奖励.status"], rows["户1"]["办结奖励.amount_元"]) == ("applies", "10")
    assert (rows["户2"]["办结奖励.status"], rows["户2"]["办结奖励.amount_元"]) == (
        "undetermined",
        "",
    )
    assert "办结奖励: refused in 1 rows, a day the calendar of working days does not know" in (
        done.stdout
    )


def test_the_summary_counts_the_dues_and_the_rows_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path, with_unknown_target=True, second="2026-12-22")
    done = _batch(folder, "--format", "json")
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout)
    dues = {item["target"]: item["due"] for item in summary["targets"]}
    assert dues["年度评估"] == {"in_progress": 2, "overdue": 0, "standing": 0, "unknown": 0}
    assert dues["年度总结"] == {"in_progress": 2, "overdue": 0, "standing": 0, "unknown": 0}
    assert summary["refused"] == {"办结奖励": 1}
    assert summary["totals"]["元"] == "10"  # the refused row's 10元 never added


def test_every_day_known_exits_0(tmp_path: Path) -> None:
    folder = _folder(tmp_path, with_unknown_target=False, second="2026-12-21")
    done = _batch(folder, "--format", "json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert "refused" not in summary
    assert summary["totals"]["元"] == "20"
    (due,) = [item["due"] for item in summary["targets"]]
    assert due == {"in_progress": 2, "overdue": 0, "standing": 0, "unknown": 0}


@pytest.mark.parametrize(("received", "refused"), [("2026-12-21", False), ("2026-12-22", True)])
def test_a_month_rule_in_a_year_case_is_refused_alone(
    tmp_path: Path, received: str, refused: bool
) -> None:
    # each month evaluated (runtime/people_ops.over_periods): one month needing 2026-12-29
    # refuses the rule, 低保金 and 取暖补贴 are still answered
    from policyc.compiler.pipeline import compile_policy
    from tests.people_helpers import run_case

    folder = _folder(tmp_path, with_unknown_target=True, second=received)
    path = folder / "p.policy"
    path.write_text(
        path.read_text(encoding="utf-8").replace("amount 10 元\n", "amount 10 元 per 月\n"),
        encoding="utf-8",
    )
    case = (
        "on: 2026-12-28\nperiod: 2026\nmembers:\n"
        "  王芳: {role: 申请人, inputs: {出生日期: 1980-05-01, 月收入: {2026: 0}}}\n"
        f"inputs:\n  受理日期: {received}\n  年度评估: 0次\n  年度总结: 0次\n"
    )
    results = run_case(compile_policy(path), folder, case)
    rule = results["办结奖励"]
    if refused:
        assert (rule.status, rule.amount) == ("undetermined", None)
        assert rule.refused.startswith("2026-12-29: ")
    else:
        assert (rule.status, rule.refused) == ("applies", "")
    assert [results[name].status for name in ("低保金", "取暖补贴")] == ["applies", "applies"]
