"""A tiers scale `highest_new since` a prior through the batch query, at every edge.

benchmarks/rules.policy, clause 二: sales that first reach 5000万元, 8000万元, 1亿元, 2亿元,
5亿元, 8亿元 or 10亿元 earn 5, 8, 15, 30, 50, 80 or 150万元 for the highest tier reached; a tier
the prior best year had reached earns nothing again. Where the thresholds are numbers the query
tests "reaches no tier" and "the prior reached the highest tier reached" with a CASE over them
(compiler/batch_scales.py), not one comparison per tier: the statuses and amounts must be what
the per-case path gives, and what the text says.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from policyc.batch import Batch
from policyc.case_files import Where, from_yaml
from policyc.case_values import validate_inputs
from policyc.compiler.pipeline import CompiledPolicy, compile_policy

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "benchmarks" / "rules.policy"
ON = date(2024, 6, 30)
RULE = "规模奖励"
TIERS = ("50000000", "80000000", "100000000", "200000000", "500000000", "800000000", "1000000000")

# (sales, prior best, status, amount in 元), worked from the clause's text.
BY_HAND = [
    ("49999999.99", "0", "not_applicable", None),  # below the first tier: no tier reached
    ("50000000", "0", "applies", Decimal(50000)),  # 达到 includes the edge
    ("50000000", "", "applies", Decimal(50000)),  # the prior not given: its default, 0
    ("79999999.99", "49999999.99", "applies", Decimal(50000)),
    ("80000000", "79999999.99", "applies", Decimal(80000)),  # 8000万 first reached
    ("80000000", "80000000", "not_applicable", None),  # reached before: not again
    ("100000000", "80000000", "applies", Decimal(150000)),  # only the highest, 1亿's
    ("1200000000", "999999999.99", "applies", Decimal(1500000)),
    ("1200000000", "1000000000", "not_applicable", None),  # the top tier reached before
    ("", "0", "undetermined", None),  # no sales given
]


@pytest.fixture(scope="module")
def policy() -> CompiledPolicy:
    return compile_policy(POLICY)


def run(policy: CompiledPolicy, tmp_path: Path, pairs: list[tuple[str, str]]) -> list[tuple]:
    path = tmp_path / "cases.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["企业类型", "年销售收入", "以往最高年销售收入"])
        writer.writerows(["其他企业", sales, prior] for sales, prior in pairs)
    with Batch(policy) as batch:
        batch.load(path, ON)
        program = batch.evaluate()
        assert not any(rule.fallback for rule in program.rules)
        return [results[RULE][:2] for _, results in batch.rows()]


def per_case(policy: CompiledPolicy, sales: str, prior: str) -> tuple:
    """The rule's status and amount by the per-case path, the inputs read as a case file
    reads them (a default for what is not given)."""
    lines = ["企业类型: 其他企业"]
    lines += [
        f"{name}: {text}"
        for name, text in (("年销售收入", sales), ("以往最高年销售收入", prior))
        if text
    ]
    problems: list[str] = []
    root = from_yaml("\n".join(lines), "case.yaml")
    inputs = validate_inputs(root.value, policy.checked, problems, Where("case.yaml"))
    assert not problems, problems
    results = policy.evaluate(inputs, ON, dict(policy.namespace["READINGS"]), ())
    result = next(r for r in results if r.info.name == RULE)
    return result.status, result.amount.value if result.amount else None


def test_by_hand(policy: CompiledPolicy, tmp_path: Path) -> None:
    got = run(policy, tmp_path, [(s, p) for s, p, _, _ in BY_HAND])
    assert got == [(status, amount) for _, _, status, amount in BY_HAND]


def test_every_edge_agrees_with_the_per_case_path(policy: CompiledPolicy, tmp_path: Path) -> None:
    values = ["", "0"] + [
        str(Decimal(t) + step) for t in TIERS for step in (Decimal("-0.01"), 0, Decimal("0.01"))
    ]
    pairs = [(sales, prior) for sales in values for prior in values]
    got = run(policy, tmp_path, pairs)
    want = [per_case(policy, sales, prior) for sales, prior in pairs]
    assert got == want
    assert {status for status, _ in want} == {"applies", "not_applicable", "undetermined"}
