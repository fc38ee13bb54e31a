"""Exact division end to end, with quotients that are not whole, on both batch engines against
the per-case runtime (tidy9, item 6; batch_expr `divide`/`quotient_places`, batch_vector
`divided`, batch_households `divide_sql`).

Worked by hand from the rules below:
- 月补 = 150 元/年 × 月数 lands in 元 divided by 12 (a year is 12 months): 1 月 → 150 ÷ 12 =
  12.5元; 2 → 25元; 5 → 750 ÷ 12 = 62.5元; 0.2 → 30 ÷ 12 = 2.5元; 0.1 → 15 ÷ 12 = 1.25元; 0.3 → 45 ÷ 12 = 3.75元;
  12 → 150元. Every one is exact (150 ÷ 12 = 12.5), at one or two places more than its factors.
- 三分 = divide(金额, 3, 分, half_up) and 三分舍 = divide(金额, 3, 分, down), rounded once to 分:
  100元 ÷ 3 = 33.333…元 → 33.33 both ways; 200元 ÷ 3 = 66.666…元 → 66.67 half_up, 66.66 down;
  0.05元 ÷ 3 = 0.01666…元 → 0.02 half_up, 0.01 down; 1.5元 ÷ 3 = 0.5元 exactly, both ways.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from policyc.batch import Batch  # noqa: E402
from policyc.batch_vector import VectorBatch  # noqa: E402
from policyc.compiler.pipeline import CompiledPolicy  # noqa: E402
from policyc.runtime.quantity import Quantity  # noqa: E402
from tests.conftest import PolicyFactory  # noqa: E402

ON = date(2024, 6, 30)  # inside the test header's validity (2023-01-06 … 2026-01-05)

MONTHS = 'input 月数: 月 optional "服务月数"\n'
PER_MONTH = "  rule 月补 { kind 补贴  amount 150 元/年 × 月数 }\n"
# (月数, 月补 by hand)
MONTH_ROWS = [
    ("1", "12.5"),
    ("2", "25"),
    ("5", "62.5"),
    ("0.2", "2.5"),
    ("0.1", "1.25"),
    ("0.3", "3.75"),
    ("12", "150"),
]

MONEY = 'input 金额: 元 optional "金额"\n'
THIRDS = (
    "  rule 三分 { kind 补贴  amount divide(金额, 3, 分, half_up) }\n"
    "  rule 三分舍 { kind 补贴  amount divide(金额, 3, 分, down) }\n"
)
# (金额, 三分 by hand, 三分舍 by hand)
MONEY_ROWS = [
    ("100", "33.33", "33.33"),
    ("200", "66.67", "66.66"),
    ("0.05", "0.02", "0.01"),
    ("1.5", "0.5", "0.5"),
]


def _parquet(folder: Path, name: str, values: list[str], places: int) -> Path:
    """A Parquet file of one decimal column `name` with `places` decimal places."""
    path = folder / "cases.parquet"
    column = pa.array([Decimal(v) for v in values], type=pa.decimal128(12, places))
    pq.write_table(pa.table({name: column}), path)
    return path


def _duckdb(policy: CompiledPolicy, path: Path) -> list[dict[str, Any]]:
    with Batch(policy) as batch:
        batch.load(path, ON)
        program = batch.evaluate(keep=True)
        assert all(rule.fallback == "" for rule in program.rules), program.rules  # all in SQL
        return [results for _, results in batch.rows()]


def _numpy(policy: CompiledPolicy, path: Path) -> list[dict[str, Any]]:
    batch = VectorBatch(policy, keep=True, threads=1)
    reason = batch.prepare(path, ON)
    assert reason == "", reason  # the engine holds the rule, not a fallback
    return [results for _, results in batch.rows()]


def _runtime(policy: CompiledPolicy, name: str, value: str, unit: str) -> dict[str, Decimal]:
    results = policy.evaluate({name: Quantity.of(value, unit)}, ON)
    return {r.info.name: r.amount.value for r in results if r.amount is not None}


def _amount(results: dict[str, Any], rule: str) -> Decimal:
    status, amount, _uncapped = results[rule]
    assert status == "applies", results
    assert isinstance(amount, Decimal)
    return amount


def test_a_time_measure_product_divides_to_a_fraction_on_both_engines(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(PER_MONTH, MONTHS)
    # one place: 0.1 月 → 1.25元 needs two more, which the quotient must make room for
    path = _parquet(tmp_path, "月数", [months for months, _ in MONTH_ROWS], 1)
    sql, vector = _duckdb(policy, path), _numpy(policy, path)
    for (months, expected), in_sql, in_numpy in zip(MONTH_ROWS, sql, vector, strict=True):
        worked = Decimal(expected)
        assert _amount(in_sql, "月补") == worked, months
        assert _amount(in_numpy, "月补") == worked, months
        assert _runtime(policy, "月数", months, "月")["月补"] == worked, months


def test_a_divide_rounded_as_the_policy_says_in_sql(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(THIRDS, MONEY)
    path = _parquet(tmp_path, "金额", [money for money, _, _ in MONEY_ROWS], 2)
    for (money, half_up, down), in_sql in zip(MONEY_ROWS, _duckdb(policy, path), strict=True):
        assert _amount(in_sql, "三分") == Decimal(half_up), money
        assert _amount(in_sql, "三分舍") == Decimal(down), money
        by_case = _runtime(policy, "金额", money, "元")
        assert (by_case["三分"], by_case["三分舍"]) == (Decimal(half_up), Decimal(down)), money
