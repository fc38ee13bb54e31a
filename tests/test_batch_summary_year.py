"""The summary's totals per year: every case on one day (--on, no `on` column) is summed
without grouping by year (batch_summary.summarise), and must say what grouping says.

The cases are of benchmarks/rules.policy, worked by hand from its text:
- row 1, an 电商企业: 0.2 元/单 × (1000 − 200) 单 = 160 元 (cap 100 万元 not reached); sales of
  exactly 5000 万元 reach the first tier (达到 includes it), none reached before: 5 万元; 用工
  50 人 (以上 includes 50): 1000 元 × 2 + 500 元 × 1 = 2500 元. Together 52,660 元.
- row 2, an 其他企业 (物流补贴 not applicable), sales 1 分 short of 5000 万元 (no tier reached),
  用工 49 人 (not 50 以上): nothing applies.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")

from policyc.batch import Batch
from policyc.compiler.pipeline import CompiledPolicy, compile_policy

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "benchmarks" / "rules.policy"
HEADER = "企业类型,年发货量,口罩发货量,年销售收入,以往最高年销售收入,用工人数,满12个月人数,满6个月不满12个月人数"
ROWS = [
    "电商企业,1000,200,50000000,0,50,2,1",
    "其他企业,10,0,49999999.99,0,49,3,3",
]


@pytest.fixture(scope="module")
def policy() -> CompiledPolicy:
    return compile_policy(POLICY)


def _summary(policy: CompiledPolicy, path: Path, on: date | None) -> dict[str, Any]:
    with Batch(policy) as batch:
        batch.load(path, on)
        batch.evaluate(keep=False)
        return batch.summary()


def _write(path: Path, days: list[str] | None) -> Path:
    lines = [HEADER + (",on" if days else "")]
    for i, row in enumerate(ROWS):
        lines.append(row + (f",{days[i]}" if days else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _totals(summary: dict[str, Any]) -> dict[str, Decimal]:
    return {r["rule"]: r["total"] for r in summary["rules"]}


def test_one_day_from_on_is_summed_as_its_year(policy: CompiledPolicy, tmp_path: Path) -> None:
    summary = _summary(policy, _write(tmp_path / "cases.csv", None), date(2024, 6, 30))
    assert _totals(summary) == {
        "物流补贴": Decimal(160),
        "规模奖励": Decimal(50_000),
        "推荐补贴": Decimal(2_500),
    }
    assert summary["by_year"] == {2024: {"元": Decimal(52_660)}}
    assert summary["totals"] == {"元": Decimal(52_660)}
    counts = {
        r["rule"]: (r["counts"]["applies"], r["counts"]["not_applicable"]) for r in summary["rules"]
    }
    assert counts == {"物流补贴": (1, 1), "规模奖励": (1, 1), "推荐补贴": (1, 1)}


def test_one_day_agrees_with_an_on_column(policy: CompiledPolicy, tmp_path: Path) -> None:
    ungrouped = _summary(policy, _write(tmp_path / "a.csv", None), date(2024, 6, 30))
    grouped = _summary(policy, _write(tmp_path / "b.csv", ["2024-06-30"] * 2), None)
    for key in ("rules", "totals", "totals_by_kind", "by_year"):
        assert ungrouped[key] == grouped[key], key


def test_cases_on_two_days_are_summed_per_year(policy: CompiledPolicy, tmp_path: Path) -> None:
    # Row 2 pays nothing: its year is there, with no total.
    summary = _summary(policy, _write(tmp_path / "c.csv", ["2024-06-30", "2025-03-01"]), None)
    assert summary["by_year"] == {2024: {"元": Decimal(52_660)}, 2025: {}}
