"""Rounding a monthly figure (元/月) to 分: lang6's unverified note that a policy's rounding might
round the stored per-year value.

A rule's amount is money (元; `amount 300 元 per 月` is a month's 元), so a policy's `rounding`
and a rule's `round to` never see a 元/月 value: `amount 月标准` with `月标准: 元/月` is refused
("an amount must be money"). `divide` did see one: 100.01元/月 is kept as 1200.12元 per 年 inside,
and `divide(月标准, 2, 分, half_up)` rounded 600.06 per 年 — exact already — giving 50.005元/月
where the month's figure to 分 is 50.01元 (50.005, a half, goes up). It is refused now, with the
two exact ways, both worked here by hand: the money of one month, `divide(月标准 × 1 月, 2, 分,
half_up)` = 100.01元 ÷ 2 = 50.005元 → 50.01元; or the rate to a step of its own, `round(月标准,
0.01 元/月, half_up)`: 100.005元/月 → 100.01元/月, 100.004元/月 → 100元/月.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from policyc.compiler.errors import PolicyError
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory
from tests.test_fastpath import both

ON = date(2023, 6, 30)
RATE = "input 月标准: 元/月\n"


def _paid(policies: PolicyFactory, rule: str, decls: str, inputs: dict[str, Quantity]) -> Any:
    """Rule `r`'s amount, the fast path agreeing (`both`)."""
    policy = policies.compile(rule, decls)
    both(policy, inputs, ON)
    (result,) = [r for r in policy.evaluate(inputs, ON) if r.info.name == "r"]
    return result.amount


def test_divide_of_a_monthly_rate_is_refused_with_the_exact_ways(policies: PolicyFactory) -> None:
    decls = RATE + 'decide 半额 = divide(月标准, 2, 分, half_up) "减半"\n'
    with pytest.raises(PolicyError) as caught:
        policies.compile("  rule r { amount 半额 × 1 月 }", decls)
    text = str(caught.value)
    assert "this value is 元/月, a rate per 月: policyc keeps it per 年" in text
    assert "`divide(A × 1 月, B, 分, half_up)`" in text
    assert "`round(A, 0.01 元/月, half_up)`" in text
    assert "p.policy:11:" in text  # at the decide's `分`


def test_a_rate_per_person_still_divides(policies: PolicyFactory) -> None:
    # no time in it: 元/人 is kept as written; 100.01元/人 ÷ 2 = 50.005 → 50.01元/人
    decls = 'input 人均标准: 元/人\ndecide 半额 = divide(人均标准, 2, 分, half_up) "减半"\n'
    inputs = {"人均标准": Quantity.of("100.01", "元/人")}
    assert _paid(policies, "  rule r { amount 半额 × 1 人 }", decls, inputs) == Quantity.of(
        "50.01", "元"
    )


@pytest.mark.parametrize(
    ("rate", "half"), [("100.01", "50.01"), ("100.02", "50.01"), ("99.99", "50")]
)
def test_the_money_of_one_month_divides(policies: PolicyFactory, rate: str, half: str) -> None:
    # 100.01 ÷ 2 = 50.005 → 50.01; 100.02 ÷ 2 = 50.01; 99.99 ÷ 2 = 49.995 → 50.00
    decls = RATE + 'decide 半额 = divide(月标准 × 1 月, 2, 分, half_up) "减半"\n'
    inputs = {"月标准": Quantity.of(rate, "元/月")}
    assert _paid(policies, "  rule r { amount 半额 }", decls, inputs) == Quantity.of(half, "元")


@pytest.mark.parametrize(("rate", "rounded"), [("100.005", "100.01"), ("100.004", "100")])
def test_a_monthly_rate_rounds_to_a_step_of_its_own(
    policies: PolicyFactory, rate: str, rounded: str
) -> None:
    decls = RATE + 'decide 取整标准 = round(月标准, 0.01 元/月, half_up) "计至分"\n'
    inputs = {"月标准": Quantity.of(rate, "元/月")}
    paid = _paid(policies, "  rule r { amount 取整标准 × 1 月 }", decls, inputs)
    assert paid == Quantity.of(rounded, "元")


def test_a_rule_amount_is_never_a_monthly_rate(policies: PolicyFactory) -> None:
    # why a policy's `rounding` never meets 元/月: an amount is money
    with pytest.raises(PolicyError) as caught:
        policies.compile("  rule r { amount 月标准 }", RATE)
    assert "an amount must be money, not a quantity in 元/月" in str(caught.value)
