"""`policyc run --cases`: per row, a target not met says in progress or overdue, and the deadline
in view (moved by 遇节假日顺延 or not), as `run` does (cli/batch_dues.py).

Days worked out by hand: 2023年11月25日 was a Saturday (2023年1月1日 a Sunday), no 调休 working
day in 国务院办公厅关于2023年部分节假日安排的通知, so `by 每月 25 日 遇节假日顺延` moves to Monday
11月27日: in progress on 11月24日 and 27日, overdue on 28日. `by 每月 10 日` (no 顺延): 2023年11月10日,
a Friday, past on all three days. `by 2026-12-29 遇节假日顺延`: a day chinese-calendar 1.11 does
not know (it knows 2004年1月1日 to 2026年12月28日): on or before it in progress whatever the
calendar says (顺延 only moves it later), the day written; on 2026-12-30 it cannot be told
(`unknown`), the row's other results given, and the run exits 1.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.batch import Batch
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.dates import parse_iso_date
from tests.deadline_helpers import write_project

SOURCE = """\
青禾市人民政府办公室关于印发报送分工方案的通知
青政办发〔2023〕5号
一、工作要求
各牵头单位于每月25日前将任务进展情况报送市发改委，遇节假日顺延。
各牵头单位于每月10日前报送数据。
市发改委于2026年12月29日前完成总结，遇节假日顺延。
青禾市人民政府办公室
2023年1月10日
"""

POLICY = """\
policy "青政办发〔2023〕5号" {
    title "青禾市人民政府办公室关于印发报送分工方案的通知"
    issuer 市政府办
    issued 2023-01-10
    source "notice.txt" lines 1 to 8
    units from "units.policy"
}

aside "青政办发〔2023〕5号" "文号"
aside "青禾市人民政府办公室" "落款"
aside "2023年1月10日" "落款"

section 一 "工作要求" {
    quote "各牵头单位于每月25日前将任务进展情况报送市发改委，遇节假日顺延。"
    quote "各牵头单位于每月10日前报送数据。"
    quote "市发改委于2026年12月29日前完成总结，遇节假日顺延。"
    lead 市发改委
    target 本月进展报送 不少于 1 次 by 每月 25 日 遇节假日顺延 "每月25日前报送"
    target 本月数据报送 不少于 1 次 by 每月 10 日 "每月10日前报送数据"
    target 总结 不少于 1 次 by 2026-12-29 遇节假日顺延 "2026年12月29日前完成总结"
}
"""

ROWS = """\
id,on,本月进展报送,本月数据报送,总结
a,2023-11-24,0次,1次,1次
b,2023-11-27,0次,0次,0次
c,2023-11-28,0次,,1次
d,2023-11-28,1次,1次,1次
e,2026-12-30,1次,1次,0次
"""

# Per row, per target: (status, due, deadline, postponed_from), worked out by hand (above);
# a target met has no due; 本月数据报送 cannot be moved, so it has no postponed_from column.
WANT = {
    "a": {
        "本月进展报送": ("not_met", "in_progress", "2023-11-27", "2023-11-25"),
        "本月数据报送": ("met", "", "", None),
        "总结": ("met", "", "", ""),
    },
    "b": {
        "本月进展报送": ("not_met", "in_progress", "2023-11-27", "2023-11-25"),
        "本月数据报送": ("not_met", "overdue", "2023-11-10", None),
        "总结": ("not_met", "in_progress", "2026-12-29", "2026-12-29"),  # may still move
    },
    "c": {
        "本月进展报送": ("not_met", "overdue", "2023-11-27", "2023-11-25"),
        "本月数据报送": ("not_reported", "overdue", "2023-11-10", None),
        "总结": ("met", "", "", ""),
    },
    "d": {
        "本月进展报送": ("met", "", "", ""),
        "本月数据报送": ("met", "", "", None),
        "总结": ("met", "", "", ""),
    },
    "e": {
        "本月进展报送": ("met", "", "", ""),
        "本月数据报送": ("met", "", "", None),
        "总结": ("not_met", "unknown", "", ""),
    },
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch_dues")
    write_project(folder, SOURCE, POLICY)
    (folder / "cases.csv").write_text(ROWS, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def plan(folder: Path) -> CompiledPolicy:
    return compile_policy(folder / "plan.policy")


def _policyc(folder: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *words],
        capture_output=True, text=True, cwd=folder, timeout=120, check=False,
    )  # fmt: skip


def _read(out: Path) -> dict[str, dict[str, tuple[str, str, str, str | None]]]:
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["id"]: {
            name: (
                row[f"{name}.status"],
                row[f"{name}.due"],
                row[f"{name}.deadline"],
                row.get(f"{name}.postponed_from"),
            )
            for name in WANT["a"]
        }
        for row in rows
    }


def test_each_row_says_in_progress_or_overdue_with_the_day_in_view(folder: Path) -> None:
    done = _policyc(folder, "run", "plan.policy", "--cases", "cases.csv", "--out", "out.csv")
    assert done.returncode == 1, done.stderr  # row e's 总结 cannot be told
    assert _read(folder / "out.csv") == WANT


def test_every_row_as_run_says_it(folder: Path, plan: CompiledPolicy) -> None:
    _policyc(folder, "run", "plan.policy", "--cases", "cases.csv", "--out", "same.csv")
    got = _read(folder / "same.csv")
    with (folder / "cases.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            on = parse_iso_date(row["on"])
            case = folder / f"{row['id']}.yaml"
            given = "".join(f"  {k}: {v}\n" for k, v in row.items() if k not in ("id", "on") and v)
            case.write_text(f"policy: 青政办发〔2023〕5号\non: {on}\ninputs:\n{given}", "utf-8")
            done = _policyc(folder, "run", "plan.policy", "--case", case.name, "--format", "json")
            for result in json.loads(done.stdout)["results"]:
                moved = result.get("postponed", {}).get("from", "")
                status, due, deadline, moved_from = got[row["id"]][result["rule"]]
                assert (status, due, deadline) == (
                    result["status"], result.get("due", ""), result.get("deadline", ""),
                )  # fmt: skip
                assert (moved_from or "") == moved


def test_the_per_case_path_writes_the_same(folder: Path, plan: CompiledPolicy) -> None:
    with Batch(plan, vectorise=False) as batch:
        batch.load(folder / "cases.csv", None)
        batch.evaluate()
        batch.write(folder / "per_case.csv")
    assert _read(folder / "per_case.csv") == WANT


def test_the_summary_counts_the_dues(folder: Path) -> None:
    done = _policyc(folder, "run", "plan.policy", "--cases", "cases.csv", "--format", "json")
    assert done.returncode == 1, done.stderr
    targets = {item["target"]: item for item in json.loads(done.stdout)["targets"]}
    assert targets["本月进展报送"]["counts"] == {"met": 2, "not_met": 3, "not_reported": 0}
    assert targets["本月进展报送"]["due"] == {
        "in_progress": 2, "overdue": 1, "standing": 0, "unknown": 0,
    }  # fmt: skip
    assert targets["本月数据报送"]["due"] == {
        "in_progress": 0, "overdue": 2, "standing": 0, "unknown": 0,
    }  # fmt: skip
    assert targets["总结"]["due"] == {"in_progress": 1, "overdue": 0, "standing": 0, "unknown": 1}


def test_the_summary_text_has_a_column_per_due(folder: Path) -> None:
    done = _policyc(folder, "run", "plan.policy", "--cases", "cases.csv")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    head = next(line for line in lines if line.startswith("target "))  # English: conftest.py
    assert [w.strip() for w in head.split("  ") if w.strip()] == [
        "target", "met", "not met", "not reported", "in progress", "overdue", "due cannot be told",
    ]  # fmt: skip
    assert next(line for line in lines if line.startswith("本月进展报送")).split() == [
        "本月进展报送", "2", "3", "0", "2", "1", "0",
    ]  # fmt: skip


def test_nothing_refused_exits_0(folder: Path) -> None:
    (folder / "known.csv").write_text(
        "".join(line + "\n" for line in ROWS.splitlines() if not line.startswith("e,")),
        encoding="utf-8",
    )
    done = _policyc(folder, "run", "plan.policy", "--cases", "known.csv", "--format", "json")
    assert done.returncode == 0, done.stderr
    targets = {item["target"]: item for item in json.loads(done.stdout)["targets"]}
    assert targets["本月进展报送"]["due"]["overdue"] == 1  # row c
    assert targets["总结"]["due"]["unknown"] == 0


def test_the_numpy_engine_leaves_such_targets_to_duckdb(folder: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    days = [parse_iso_date(d) for d in ("2023-11-24", "2023-11-27", "2023-11-28")]
    pq.write_table(pa.table({"on": days, "本月进展报送": ["0次"] * 3}), folder / "rows.parquet")
    done = _policyc(folder, "run", "plan.policy", "--cases", "rows.parquet", "--format", "json")
    # 总结, not reported, due 2026-12-29: in progress on these days whatever the calendar says
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["engine"] == "duckdb"
    assert "本月进展报送" in summary["engine_note"]
    targets = {item["target"]: item for item in summary["targets"]}
    assert targets["本月进展报送"]["due"] == {
        "in_progress": 2, "overdue": 1, "standing": 0, "unknown": 0,
    }  # fmt: skip
    assert targets["总结"]["due"]["in_progress"] == 3
