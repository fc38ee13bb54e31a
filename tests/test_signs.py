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
    assert "`max(总量 - 退回, 0 单)`" in hint  # code: the zero in the measure of the amount
    assert "口罩" not in hint
    [(_, money)] = warnings(policies, "rule r { amount 100 万元 - 已获 }")
    assert "part of" not in money and "`max(100 万元 - 已获, 0 万元)`" in money


# ---- shares taken from a whole, and the wording (newcomer13, finding 6) -------------------------

SHARES = "input 总价: 元\ninput 套数: 单\ninput 首套: bool\ninput 月基数: 元/月\ninput 月还款: 元/月\ninput 自付比例: %\n"


def share_warnings(policies: PolicyFactory, rules: str) -> list[tuple[str, str]]:
    found = lint(policies.compile(rules, SHARES).checked)
    return [(d.message, d.expected) for d in found if d.code == "negative-amount"]


def test_literal_shares_below_the_whole_are_never_negative(policies: PolicyFactory):
    # 1 − 20% = 80%, 1 − 30% = 70%: each branch of the `if` is a literal share below 1.
    quiet = "rule r { amount 总价 × (1 - (if 首套 then 20% else 30%)) }"
    assert share_warnings(policies, quiet) == []
    # Named by a define, as a drafter restates "首付款比例": the define's branches are read.
    named = "define 比例 = if 首套 then 20% else 30%\nrule r { amount 总价 × (1 - 比例) }"
    assert share_warnings(policies, named) == []
    # The shares may add up to the whole exactly (1 − 60% − 40% = 0, not below zero).
    exact = "rule r { amount 总价 × (1 - 60% - (if 首套 then 40% else 10%)) }"
    assert share_warnings(policies, exact) == []


def test_a_branch_above_the_whole_still_warns(policies: PolicyFactory):
    # 1 − 120% = −20%: one branch takes away more than the whole.
    loud = "rule r { amount 总价 × (1 - (if 首套 then 20% else 120%)) }"
    assert len(share_warnings(policies, loud)) == 1
    # Two literal shares that together pass the whole: 1 − 60% − 50% = −10%.
    over = "rule r { amount 总价 × (1 - 60% - (if 首套 then 50% else 10%)) }"
    assert len(share_warnings(policies, over)) == 1
    # A share of something unknown is not judged by literals.
    unknown = "define 比例 = if 首套 then 20% else 自付比例\nrule r { amount 总价 × (1 - 比例) }"
    assert len(share_warnings(policies, unknown)) == 1


def test_the_message_and_its_fix_are_sentences_and_code(policies: PolicyFactory):
    # The subtraction spans two lines: the quote names it by what it takes away, and the fix is
    # the whole subtraction, brackets balanced, inside `max(…, 0 元/月)`.
    rules = (
        "rule r {\n    amount ((if 首套 then 月基数 + 月基数\n"
        "        else 月基数) × 50% - 月还款) × 12 月\n}"
    )
    [(message, hint)] = share_warnings(policies, rules)
    assert message == (
        "the amount can come out below zero: in `(if 首套 then 月基数 + 月基数 else 月基数) × 50% "
        "- 月还款`, what is taken away may be more than what it is taken from"
    )
    fix = "max((if 首套 then 月基数 + 月基数 else 月基数) × 50% - 月还款, 0 元/月)"
    assert f"`{fix}`" in hint
    assert hint.startswith("a condition that what is taken away is not more than")
    assert fix.count("(") == fix.count(")")
    # The fix is policy code: written back into the rule, it checks and the warning is gone.
    fixed = f"rule r {{\n    amount ({fix}) × 12 月\n}}"
    assert share_warnings(policies, fixed) == []
