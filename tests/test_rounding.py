"""Rounding: money rounded to 分 (or 元) in a declared mode after each rule's cap; exact until then.

Today's 10% of 3.33元 pays 0.333元; with `rounding to 分 half_up` it pays 0.33元.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from tests.conftest import PolicyFactory

ON = date(2023, 6, 30)
DECLS = "input 费用: 元 optional\n"
RULE = "  rule 补贴 { amount 10% of 费用 }"


def compiled(policies: PolicyFactory, rounding: str, rule: str = RULE) -> CompiledPolicy:
    return compile_policy(policies.write(policies.clause(rule, rounding + DECLS)))


def paid(policy: CompiledPolicy, cost: str, name: str = "补贴") -> Decimal | None:
    result = {r.info.name: r for r in policy.evaluate({"费用": _yuan(cost)}, ON)}[name]
    return result.amount.value if result.amount is not None else None


def _yuan(text: str):  # type: ignore[no-untyped-def]
    from policyc.runtime.quantity import Quantity

    return Quantity.of(text, "元")


def test_without_a_declaration_the_amount_stays_exact(policies: PolicyFactory) -> None:
    assert paid(compiled(policies, ""), "3.33") == Decimal("0.333")


# 10% of the cost: 3.33 → 0.333, 3.35 → 0.335, 3.45 → 0.345, 3.39 → 0.339, 3.31 → 0.331
@pytest.mark.parametrize(
    ("mode", "cost", "amount"),
    [
        ("half_up", "3.33", "0.33"),
        ("half_up", "3.35", "0.34"),  # a half goes up (四舍五入)
        ("四舍五入", "3.45", "0.35"),
        ("half_up", "3.349", "0.33"),  # 0.3349: just under the half
        ("half_even", "3.35", "0.34"),  # 0.335 → the even 4
        ("half_even", "3.45", "0.34"),  # 0.345 → the even 4, not 5
        ("银行家舍入", "3.451", "0.35"),  # past the half
        ("down", "3.39", "0.33"),  # 舍去
        ("舍去", "3.30", "0.33"),  # already in 分
        ("up", "3.31", "0.34"),  # 进一
        ("进一", "3.30", "0.33"),
    ],
)
def test_each_mode_to_fen(policies: PolicyFactory, mode: str, cost: str, amount: str) -> None:
    policy = compiled(policies, f'rounding to 分 {mode} because "文件未规定, 按财政支付到分"\n')
    assert paid(policy, cost) == Decimal(amount)


@pytest.mark.parametrize(
    ("mode", "cost", "amount"),
    [("half_up", "12345", "1235"), ("half_up", "12344.9", "1234"), ("down", "12349", "1234")],
)
def test_a_rule_rounds_to_yuan_where_the_document_says_so(
    policies: PolicyFactory, mode: str, cost: str, amount: str
) -> None:
    # The policy rounds to 分; this rule's text says 元 (取整到元), and its own `round` wins.
    rule = f"  rule 补贴 {{ amount 10% of 费用 round to 元 {mode} }}"
    policy = compiled(policies, "rounding to 分 half_up\n", rule)
    assert paid(policy, cost) == Decimal(amount)


def test_rounding_comes_after_the_cap(policies: PolicyFactory) -> None:
    rule = "  rule 补贴 { amount 10% of 费用 cap 0.5 元 }"
    policy = compiled(policies, "rounding to 分 down\n", rule)
    result = {r.info.name: r for r in policy.evaluate({"费用": _yuan("10")}, ON)}["补贴"]
    assert (result.amount.value, result.uncapped.value) == (Decimal("0.5"), Decimal("1.0"))
    result = {r.info.name: r for r in policy.evaluate({"费用": _yuan("4.999")}, ON)}["补贴"]
    assert (result.amount.value, result.uncapped) == (Decimal("0.49"), None)
    assert result.unrounded is not None and result.unrounded.value == Decimal("0.4999")


def test_the_report_and_the_trace_show_the_exact_amount(policies: PolicyFactory) -> None:
    from policyc.report import to_json, to_text

    policy = compiled(policies, "rounding to 分 half_up\n")
    results = policy.evaluate({"费用": _yuan("3.33")}, ON, explain=True)
    steps = [s.text for s in results[0].steps]
    assert "舍入: 0.333元 按四舍五入保留到分 → 0.33元" in steps
    doc = to_json(policy, results, ON, {}, None, True)
    item = doc["results"][0]
    assert item["amount"]["value"] == "0.33"
    assert item["unrounded"]["value"] == "0.333"
    assert item["rounding"] == "按四舍五入保留到分（本政策的读法）"
    assert "0.33元（舍入前 0.333元）" in to_text(policy, results, ON, {}, False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rounding to 毫 half_up\n", "cannot round to `毫`"),
        ("rounding to 分 nearest\n", "unknown rounding mode `nearest`"),
        ("rounding to 分 half_up\nrounding to 元 down\n", "declares its `rounding` twice"),
    ],
)
def test_bad_rounding_declarations(policies: PolicyFactory, text: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        compiled(policies, text)


def test_round_needs_an_amount(policies: PolicyFactory) -> None:
    rule = '  rule r { grants "入驻" round to 分 half_up }'
    with pytest.raises(PolicyError, match="`round` needs an amount"):
        compiled(policies, "", rule)


MODES = ["half_up", "half_even", "down", "up"]


@pytest.mark.parametrize("mode", MODES)
def test_the_batch_path_rounds_the_same(policies: PolicyFactory, tmp_path: Path, mode: str) -> None:
    pytest.importorskip("duckdb")
    from tests.test_batch import assert_same, batch_results, expected, write_csv

    rules = RULE + "\n  rule 封顶 { amount 10% of 费用 cap 0.5 元 round to 元 " + mode + " }"
    policy = compiled(policies, f"rounding to 分 {mode}\n", rules)
    costs = ["3.33", "3.35", "3.45", "3.349", "3.39", "3.31", "3.30", "4.999", "5.001", "10"]
    costs += ["12345", "12344.9", "12349", "0", "0.05", "0.04", "1234567890.05"]
    rows = [{"on": "2023-06-30", "费用": c} for c in costs] + [{"on": "2023-06-30"}]
    path = tmp_path / "cases.csv"
    write_csv(path, rows)
    want = expected(policy, rows, {})
    assert_same(want, batch_results(policy, path, {}), rows)
    rounded = [case["补贴"][1] != Decimal(c) / 10 for case, c in zip(want, costs, strict=False)]
    assert any(rounded)
