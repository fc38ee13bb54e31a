"""What `check` says of periods and households beyond the basics (issue 12 leftovers): a rule
without `per` that reads a monthly input, a `flow` that cannot add up, modifiers that contradict
each other (`per member` twice, `once` with `per 月`, `each` without a group), and `amount_of`
of a rule paid for another period."""

from __future__ import annotations

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import CompiledPolicy
from tests.conftest import PolicyFactory

GROUP = """
group 家庭 {
    role 申请人 one
    role 子女 many
}
input 月收入: 元 per member per 月 flow
input 工资: 元 per 月 flow optional
input 年所得: 元 per 年 flow optional
decide 人均 = divide(sum(月收入), count(members), 分, half_up)
"""


def warnings_of(policy: CompiledPolicy, code: str) -> list[str]:
    return [
        f"{w.span.line}:{w.span.column} {w.message}"
        for w in policy.checked.warnings
        if w.code == code
    ]


def check_error(policies: PolicyFactory, rules: str, declarations: str = GROUP) -> str:
    with pytest.raises(PolicyError) as caught:
        policies.compile(rules, declarations)
    return str(caught.value)


# ---- 1. a rule without `per` reading a monthly input ------------------------------------------


def test_a_rule_without_a_period_reading_a_monthly_input_is_warned_at_the_rule(
    policies: PolicyFactory,
) -> None:
    policy = policies.compile(
        "  rule 困难补助 { kind 补助  when 工资 低于 1000 元  amount 300 元 }\n", GROUP
    )
    (warning,) = warnings_of(policy, "periodless-rule")
    assert "rule `困难补助` reads `工资`, an input per 月, but declares no period" in warning
    assert "`amount … per 月`" in warning
    # the rule's name, on its line of the written file (header + declarations + clause)
    text = (policies.folder / "p.policy").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, 1) if "rule 困难补助" in t)
    assert warning.startswith(f"{line}:{text[line - 1].index('困难补助') + 1} ")


def test_the_warning_follows_a_decide_and_names_it(policies: PolicyFactory) -> None:
    policy = policies.compile(
        "  rule 低保金 { kind 补助  when 人均 低于 800 元/人  amount 300 元 }\n", GROUP
    )
    (warning,) = warnings_of(policy, "periodless-rule")
    assert "reads `月收入` (through `人均`)" in warning


@pytest.mark.parametrize(
    "rule",
    [
        "rule 甲 { kind 补助  when 工资 低于 1000 元  amount 300 元 per 月 }",  # declares it
        "rule 甲 { kind 补助  when year_total(工资) 低于 12000 元  amount 300 元 }",  # explicit
        "rule 甲 { kind 补助  when last_month(工资) 低于 1000 元  amount 300 元 }",
        "rule 甲 { kind 补助  when 年所得 低于 12000 元  amount 300 元 }",  # a yearly input
        "rule 甲 { kind 补助  when given(工资)  amount 300 元 }",  # whether given: no amount read
    ],
)
def test_no_warning_where_the_period_is_declared_or_explicit(
    policies: PolicyFactory, rule: str
) -> None:
    assert warnings_of(policies.compile(f"  {rule}\n", GROUP), "periodless-rule") == []


# ---- 2. modifiers that mean nothing together ---------------------------------------------------


@pytest.mark.parametrize(
    ("declaration", "type_word"),
    [
        ("input 出生日期: date per member per 月 flow", "a date"),
        ("input 在校: bool per member per 月 flow", "a condition (true or false)"),
    ],
)
def test_a_flow_that_is_not_a_quantity_is_an_error_at_its_type(
    policies: PolicyFactory, declaration: str, type_word: str
) -> None:
    message = check_error(
        policies, "  rule 甲 { kind 补贴  amount 1 元 }\n", GROUP + declaration + "\n"
    )
    name = declaration.split()[1].rstrip(":")
    assert f"input `{name}` is a `flow`, but {type_word} does not add up over months" in message
    assert "no `flow`: " in message


def test_a_flow_of_money_or_a_count_and_a_stock_of_a_date_are_accepted(
    policies: PolicyFactory,
) -> None:
    policies.compile(
        "  rule 甲 { kind 补贴  amount 1 元 }\n",
        GROUP
        + "input 出生日期: date per member per 月\n"
        + "input 次数: 次 per 月 flow optional\n",
    )


def test_per_member_twice_is_an_error(policies: PolicyFactory) -> None:
    message = check_error(
        policies,
        "  rule 甲 { kind 补贴  amount 1 元 }\n",
        GROUP + "input 年龄: 年 per member per member\n",
    )
    assert "input `年龄` says `per member` twice" in message


def test_a_one_time_award_paid_every_month_is_an_error(policies: PolicyFactory) -> None:
    message = check_error(policies, "  rule 甲 { kind 补贴  amount 300 元 per 月  once }\n")
    assert "rule `甲` is paid `once`, and `per 月` pays it every period" in message
    policies.compile("  rule 甲 { kind 补贴  amount 300 元  once }\n")


def test_each_members_without_a_group_is_an_error(policies: PolicyFactory) -> None:
    message = check_error(policies, "  rule 甲 { kind 补贴  each members  amount 1 元 }\n", "")
    assert "`each` needs a `group` declaration" in message


def test_a_part_per_member_of_a_household_whole_is_an_error(policies: PolicyFactory) -> None:
    message = check_error(
        policies,
        "  rule 甲 { kind 补贴  amount 10% of 总收入 + 10% of sum(工资性收入) }\n",
        GROUP + "input 总收入: 元\ninput 工资性收入: 元 per member part of 总收入\n",
    )
    assert "input `工资性收入` is part of `总收入`, but only one of them is per member" in message
    policies.compile(
        "  rule 甲 { kind 补贴  amount 10% of sum(总收入) + 10% of sum(工资性收入) }\n",
        GROUP + "input 总收入: 元 per member\ninput 工资性收入: 元 per member part of 总收入\n",
    )
