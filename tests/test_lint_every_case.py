"""`applies-to-every-case` (compiler/lint_unconditioned.py): a rule that grants something to
every case while its text states a condition (newcomer report 15, item 5). The golden fixture
is tests/fixtures/lint/applies-to-every-case.policy; here, the phrases found in sentences
written out by hand, the newcomer's own first 第十一条 rule, and its boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.compiler.lint import lint
from policyc.compiler.lint_unconditioned import stated_condition
from tests.conftest import PolicyFactory


@pytest.mark.parametrize(
    ("sentence", "condition"),
    [
        (
            "第十一条 因病、因残等特殊情形的渐退期保障金额，由市民政局另行制定。",
            "因病、因残等特殊情形的",
        ),
        ("对符合条件的家庭，按月发放低保金。", "对符合条件的"),
        ("对服装电商企业,按实际发货量每单补贴0.2元。", "对服装电商企业"),
        ("凡在本市登记注册的企业均可申报。", "凡在本市登记注册的"),
        ("经县级民政部门认定的困难家庭，给予救助。", "经县级民政部门认定的"),
        ("如申请人死亡，停止发放。", "如申请人死亡"),
        (
            "第三条 购置列入补贴目录的农业机械的，按售价的30%给予补贴。",
            "购置列入补贴目录的农业机械的",
        ),
        ("低保对象的具体范围另行规定。", ""),  # 对象 says there is one; no phrase delimits it
        ("第十四条 市财政局负责安排工作经费。", None),
        ("贷款利率按照国家规定的住房公积金个人住房贷款利率执行，具体利率另行公布。", None),
    ],
)
def test_the_condition_a_sentence_states(sentence: str, condition: str | None) -> None:
    assert stated_condition(sentence) == condition


def codes(policies: PolicyFactory, rules: str, declarations: str = "") -> list[str]:
    return [d.code for d in lint(policies.compile(rules, declarations).checked)]


# The factory's clause quotes 对服装电商企业,按实际发货量每单补贴0.2元…: a condition.
@pytest.mark.parametrize(
    "rule",
    [
        'rule r { kind 补助 amount unspecified "另行制定" }',
        "rule r { kind 补助 amount 500 元 }",
        'rule r { kind 补助 grants "补贴" }',
        "rule r { kind 罚款 amount range 1 元 to 3 元 }",
    ],
)
def test_a_rule_granting_to_every_case_is_warned(policies: PolicyFactory, rule: str) -> None:
    assert codes(policies, rule) == ["applies-to-every-case"]


@pytest.mark.parametrize(
    "rule",
    [
        "rule r { kind 补助 when 是电商 amount 500 元 }",  # a condition
        "rule r { kind 补助 amount 0.2 元/单 × 发货量 }",  # an amount that reads the case
        "rule r { kind 补助 amount 500 元 cap 0.1 元/单 × 发货量 }",  # a cap that reads it
        "rule r { kind 补助 }",  # a unit's standing duty: grants nothing
    ],
)
def test_a_rule_the_case_decides_is_not(policies: PolicyFactory, rule: str) -> None:
    declarations = 'input 是电商: bool "是否电商企业"\ninput 发货量: 单 "发货量"\n'
    uses = "rule u { kind 补助 when 是电商 amount 0.2 元/单 × 发货量 }"
    assert "applies-to-every-case" not in codes(policies, f"{rule}\n{uses}", declarations)


def test_the_newcomers_first_rule_is_warned_and_the_fixed_one_not(tmp_path: Path) -> None:
    """第十一条 as the newcomer first wrote it (no `when`, `amount unspecified`), then with the
    workaround they found (`input 处于渐退期: bool default false` + `when 处于渐退期`)."""
    factory = PolicyFactory(tmp_path)
    (tmp_path / "source.txt").write_text(
        "第一行\n第十一条 因病、因残等特殊情形的渐退期保障金额，由市民政局会同市财政局另行制定。\n第三行\n",
        encoding="utf-8",
    )
    quote = (
        'quote "第十一条 因病、因残等特殊情形的渐退期保障金额，由市民政局会同市财政局另行制定。"'
    )
    first = f"""
clause 十一 "渐退期" {{
  {quote}
  responsible 市财政局
  rule 渐退期保障金 {{ kind 补助 amount unspecified "另行制定" }}
}}
"""
    found = lint(check(factory.write(first)))
    assert [(d.code, d.span.line) for d in found] == [("applies-to-every-case", 14)]
    assert "`因病、因残等特殊情形的`" in found[0].message
    fixed = first.replace("kind 补助", "kind 补助 when 处于渐退期")
    fixed = 'input 处于渐退期: bool default false "是否处于渐退期"\n' + fixed
    assert lint(check(factory.write(fixed))) == []


def check(path: Path):  # type: ignore[no-untyped-def]
    from policyc.compiler.pipeline import check_policy

    return check_policy(path)
