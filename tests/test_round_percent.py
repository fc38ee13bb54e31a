"""`round(X, STEP, MODE)` of a percentage: a `%` input or a share computed from one, rounded to a
step written as a percentage (`0.1%`, `1%`) or a plain number of the same dimension — refused by
`check` before ("`round` rounds a quantity, not a percentage", and a `%` step "is not a measure").

Worked by hand: 56.789% to 0.1% half_up is 56.8% (the rest 0.089% is over half a step); 56.75%
is 56.8% (a half goes up) and 56.8% with half_even (8 is even; 56.85% goes to 56.8% too); 56.749%
is 56.7%. 1 − 56.789% = 43.211%, to 1% half_up 43%; 1 − 56.5% = 43.5% → 44%. The rule pays
1000元 × the rounded rate from 50% (达到 includes 50%): 56.789% → 568元; 49.95% rounds to 50.0%
(a half up) and is paid 500元, where 49.949% rounds to 49.9% and is not.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from policyc.compiler.pipeline import CompiledPolicy
from policyc.runtime.evaluation import show_value
from policyc.runtime.quantity import Quantity
from tests.batch_helpers import batch_csv
from tests.conftest import PolicyFactory
from tests.test_fastpath import both

ON = date(2023, 6, 30)
DECLARATIONS = """input 完成率: % optional "任务完成率"
decide 计分完成率 = round(完成率, 0.1%, half_up) "保留一位小数，四舍五入"
decide 银行家完成率 = round(完成率, 0.1%, half_even) "保留一位小数，银行家舍入"
decide 未完成份额 = round(1 - 完成率, 1%, half_up) "取整到1%"
"""
RULE = "rule 奖励 { when 计分完成率 达到 50% amount 1000 元 × 计分完成率 }"


@pytest.fixture
def policy(policies: PolicyFactory) -> CompiledPolicy:
    return policies.compile(RULE, DECLARATIONS)


def _values(policy: CompiledPolicy, rate: str) -> dict[str, Any]:
    inputs = {"完成率": Quantity.ratio(rate)}
    both(policy, inputs, ON)
    return {
        r.info.name: (r.status, r.amount if r.info.role == "rule" else r.value)
        for r in policy.evaluate(inputs, ON)
    }


@pytest.mark.parametrize(
    ("rate", "half_up", "half_even", "left"),
    [
        ("56.789", "56.8", "56.8", "43"),
        ("56.75", "56.8", "56.8", "43"),  # 43.25% → 43%
        ("56.85", "56.9", "56.8", "43"),  # a half: up to 56.9%, to the even 56.8%
        ("56.749", "56.7", "56.7", "43"),
        ("56.5", "56.5", "56.5", "44"),  # 43.5% → 44% (a half goes up)
        ("0", "0", "0", "100"),
    ],
)
def test_a_percent_input_rounded(
    policy: CompiledPolicy, rate: str, half_up: str, half_even: str, left: str
) -> None:
    got = _values(policy, rate)
    assert got["计分完成率"] == ("decided", Quantity.ratio(half_up))
    assert got["银行家完成率"] == ("decided", Quantity.ratio(half_even))
    assert got["未完成份额"] == ("decided", Quantity.ratio(left))


@pytest.mark.parametrize(
    ("rate", "status", "paid"),
    [("56.789", "applies", "568"), ("49.95", "applies", "500"), ("49.949", "not_applicable", None)],
)
def test_the_rounded_rate_decides_and_pays(
    policy: CompiledPolicy, rate: str, status: str, paid: str | None
) -> None:
    got = _values(policy, rate)
    assert got["奖励"][0] == status
    if paid is not None:
        assert got["奖励"][1] == Quantity.of(paid, "元")


def test_shown_as_a_percentage(policy: CompiledPolicy) -> None:
    results = policy.evaluate({"完成率": Quantity.ratio("56.789")}, ON, explain=True)
    decided = {r.info.name: r for r in results}
    assert show_value(decided["计分完成率"].value) == "56.8%"
    assert show_value(decided["未完成份额"].value) == "43%"
    texts = [s.text for s in decided["计分完成率"].steps]
    assert "完成率按0.1%四舍五入取整: 56.789% → 56.8%" in texts


def test_batch_rounds_a_percentage_in_sql(policy: CompiledPolicy, tmp_path: Path) -> None:
    fallback, rows = batch_csv(policy, tmp_path, "完成率\n56.789%\n49.95%\n49.949%\n", ON)
    assert set(fallback.values()) == {""}  # every rule and decision evaluated in SQL
    assert [Decimal(r["奖励"][1]) for r in rows[:2]] == [568, 500]
    assert rows[2]["奖励"][0] == "not_applicable"
