"""`negative-amount`: a subtraction the conditions of its amount already keep from going below
zero is not warned about (the newcomer's 低保 `低保标准 - 家庭人均月收入` under `when 家庭人均月收入
低于 低保标准`), and the hint speaks of the policy's own inputs, not the textile policy's."""

from __future__ import annotations

from policyc.compiler.lint import lint
from tests.conftest import PolicyFactory

INPUTS = "input 收入: 元\ninput 标准: 元\ninput 已获: 元\ninput 总量: 单\ninput 退回: 单"


def warnings(policies: PolicyFactory, rules: str) -> list[tuple[str, str]]:
    found = lint(policies.compile(rules, INPUTS).checked)
    return [(d.message, d.expected) for d in found if d.code == "negative-amount"]


def test_a_when_that_keeps_the_difference_positive_silences_it(policies: PolicyFactory):
    for when in ("收入 低于 标准", "标准 高于 收入", "标准 >= 收入", "收入 不超过 标准"):
        assert warnings(policies, f"rule r {{ when {when} amount 标准 - 收入 }}") == [], when


def test_a_when_about_something_else_does_not(policies: PolicyFactory):
    found = warnings(policies, "rule r { when 收入 低于 已获 amount 标准 - 收入 }")
    assert len(found) == 1
    # The reverse comparison says the difference is at most zero: still warned.
    assert len(warnings(policies, "rule r { when 收入 高于 标准 amount 标准 - 收入 }")) == 1


def test_an_if_keeps_its_then_and_not_its_else(policies: PolicyFactory):
    quiet = "rule r { amount if 收入 低于 标准 then 标准 - 收入 else 0 元 }"
    assert warnings(policies, quiet) == []
    loud = "rule r { amount if 收入 低于 标准 then 0 元 else 标准 - 收入 }"
    assert len(warnings(policies, loud)) == 1


def test_the_hint_names_the_policys_own_inputs(policies: PolicyFactory):
    [(message, hint)] = warnings(policies, "rule r { amount 0.2 元/单 × (总量 - 退回) }")
    assert "`总量 - 退回`" in message
    assert "`input 退回: … part of 总量`" in hint
    assert "`max(总量 - 退回, 0 …)`" in hint
    assert "口罩" not in hint
    [(_, money)] = warnings(policies, "rule r { amount 100 万元 - 已获 }")
    assert "part of" not in money and "`max(100 万元 - 已获, 0 …)`" in money
