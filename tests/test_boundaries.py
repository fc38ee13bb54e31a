"""Every boundary word, on both sides of its number (民法典 art. 1259 and ordinary usage)."""

from __future__ import annotations

from datetime import date

import pytest

from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory

ON = date(2023, 6, 30)

# word, whether it is written after the number, and whether 50 / 49 / 51 satisfy it against 50.
# The law: 以上、以下、以内、届满 include the number; 不满、超过、以外 exclude it; 不少于、不低于 include it.
CASES = [
    ("以上", True, {49: False, 50: True, 51: True}),
    ("及以上", True, {49: False, 50: True, 51: True}),
    ("以下", True, {49: True, 50: True, 51: False}),
    ("及以下", True, {49: True, 50: True, 51: False}),
    ("以内", True, {49: True, 50: True, 51: False}),
    ("以外", True, {49: False, 50: False, 51: True}),
    ("届满", False, {49: False, 50: True, 51: True}),
    ("满", False, {49: False, 50: True, 51: True}),
    ("达到", False, {49: False, 50: True, 51: True}),
    ("不少于", False, {49: False, 50: True, 51: True}),
    ("不低于", False, {49: False, 50: True, 51: True}),
    ("超过", False, {49: False, 50: False, 51: True}),
    ("不满", False, {49: True, 50: False, 51: False}),
    ("不足", False, {49: True, 50: False, 51: False}),
    ("不超过", False, {49: True, 50: True, 51: False}),
    ("未达到", False, {49: True, 50: False, 51: False}),
    ("低于", False, {49: True, 50: False, 51: False}),
    ("少于", False, {49: True, 50: False, 51: False}),
    ("高于", False, {49: False, 50: False, 51: True}),
    ("多于", False, {49: False, 50: False, 51: True}),
    (">=", False, {49: False, 50: True, 51: True}),
    (">", False, {49: False, 50: False, 51: True}),
    ("≤", False, {49: True, 50: True, 51: False}),
    ("<", False, {49: True, 50: False, 51: False}),
]


@pytest.mark.parametrize(("word", "after", "truth"), CASES, ids=[c[0] for c in CASES])
def test_boundary_word(policies: PolicyFactory, word: str, after: bool, truth: dict[int, bool]):
    condition = f"员工人数 50 人 {word}" if after else f"员工人数 {word} 50 人"
    policy = policies.compile(
        f"rule r {{ when {condition} amount 1 元 }}",
        "input 员工人数: 人",
    )
    for staff, holds in truth.items():
        (result,) = policy.evaluate({"员工人数": Quantity.of(staff, "人")}, ON)
        assert result.status == ("applies" if holds else "not_applicable"), (word, staff)


def test_boundary_at_a_fraction_below(policies: PolicyFactory):
    """4.99 rooms do not reach 5 (不少于5个), 5 do."""
    policy = policies.compile("rule r { when 直播间 不少于 5 个 amount 1 元 }", "input 直播间: 个")
    statuses = [
        policy.evaluate({"直播间": Quantity.of(n, "个")}, ON)[0].status for n in ("4.99", "5")
    ]
    assert statuses == ["not_applicable", "applies"]


def test_threshold_in_another_scale(policies: PolicyFactory):
    """月发货量不少于3万单: 29,999 does not reach it, 30,000 does; 万 converts exactly."""
    policy = policies.compile(
        "rule r { when 月发货量 不少于 3 万单/月 amount 1 元 }", "input 月发货量: 单/月"
    )

    def status(orders: int) -> str:
        return policy.evaluate({"月发货量": Quantity.of(orders, "单/月")}, ON)[0].status

    assert (status(29999), status(30000)) == ("not_applicable", "applies")
