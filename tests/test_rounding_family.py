"""分, 角 and 元 round money only: `divide(年第一阶梯基数, 6, 分, half_up)` on 吨 gave "43.33吨
四舍五入到分" and a bill 2分 off (a newcomer's water-price draft); `check` now refuses it where the
unit is written and says the exact way there is.

Worked by hand: 260 吨 ÷ 6 = 43⅓ 吨, no 分 of it; 689.76 元 ÷ 6 = 114.96 元 exactly.
"""

from __future__ import annotations

from datetime import date

import pytest

from policyc.compiler.errors import PolicyError
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory

ON = date(2023, 6, 30)
DECLS = "input 年用水量: 吨 optional\ninput 年水费: 元 optional\ninput 周期数: 人 optional\n"


def _error(policies: PolicyFactory, rules: str, decls: str = DECLS) -> str:
    with pytest.raises(PolicyError) as caught:
        policies.compile(rules, decls)
    return str(caught.value)


def test_dividing_tonnes_to_the_fen_is_refused_at_the_unit(policies: PolicyFactory) -> None:
    text = _error(
        policies,
        "  rule 费 { when divide(年用水量, 6, 分, half_up) 超过 30 吨 amount 1 元 }\n",
    )
    assert "`分` rounds an amount of money, but this value is 吨" in text
    assert "keep a quantity of another measure exact" in text
    # the place: the line of the rule and the column of 分
    line = next(ln for ln in text.splitlines() if "rounds an amount of money" in ln)
    assert ":" in line.split("`分`")[0]


def test_a_plain_ratio_is_not_rounded_to_the_fen(policies: PolicyFactory) -> None:
    text = _error(policies, "  rule 费 { amount divide(年水费, 年水费, 元, down) × 年水费 }\n")
    assert "`元` rounds an amount of money, but this value is a plain number" in text


def test_dividing_money_still_rounds_to_the_fen(policies: PolicyFactory) -> None:
    policy = policies.compile("  rule 费 { amount divide(年水费, 6, 分, half_up) }\n", DECLS)
    # 689.76 ÷ 6 = 114.96 exactly; 689.75 ÷ 6 = 114.958333… → 114.96 (half_up)
    for total, bill in (("689.76", "114.96"), ("689.75", "114.96"), ("689.69", "114.95")):
        (result,) = policy.evaluate({"年水费": Quantity.of(total, "元")}, ON)
        assert result.amount == Quantity.of(bill, "元"), total


def test_money_per_person_is_money(policies: PolicyFactory) -> None:
    # 1000 元 ÷ 3 人 = 333.33 元/人 (half_up), then × 3 人 = 999.99 元
    policy = policies.compile(
        "  rule 费 { amount divide(年水费, 周期数, 分, half_up) × 周期数 }\n", DECLS
    )
    inputs = {"年水费": Quantity.of(1000, "元"), "周期数": Quantity.of(3, "人")}
    (result,) = policy.evaluate(inputs, ON)
    assert result.amount == Quantity.of("999.99", "元")
