"""The site of a regulation numbered 第一章/第一条 with a household and a table lookup
(tests/fixtures/medical-aid/, an invented 医疗救助办法 shaped like a newcomer's document): the
document's own part labels, a table read at the case's key in words, and a worked example that
names the members and their inputs (issue 12's remainders)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from policyc.compiler import nodes as n
from policyc.compiler.pipeline import compile_policy
from policyc.compiler.site.layout import part_heading

FIXTURE = Path(__file__).parent / "fixtures" / "medical-aid"
POLICY = FIXTURE / "policies" / "ma-2026-8.policy"


@cache
def page() -> str:
    from policyc.compiler.site.assemble import render_docs
    from policyc.worked_examples import worked_examples

    checked = compile_policy(POLICY).checked
    return render_docs([checked], examples=worked_examples([checked]))["docs/ma-2026-8.md"]


def facts(rule: str) -> list[str]:
    """The citizen's lines of a rule: from its heading to the end of its 办事要点."""
    lines = page().splitlines()
    start = lines.index(f"#### 规则：{rule} {{#rule-{rule}}}")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("- **向谁咨询**"))
    return lines[start:end]


def test_the_parts_carry_the_documents_own_labels() -> None:
    text = page()
    assert "## 第一章 总则 {#section-一}" in text
    assert "## 第二章 救助对象和标准 {#section-二}" in text
    assert "### 第三条 医疗救助 {#clause-三}" in text
    assert "（3 章 · 5 条 · 2 项规则）" in text
    assert "部分 ·" not in text and "（三）医疗救助" not in text


def clause(number: str, quote: str, kind: str = "clause") -> n.Clause:
    return n.Clause(number, "题", quotes=(n.Quote(quote),), kind=kind)


@pytest.mark.parametrize(
    ("part", "heading"),
    [
        (clause("一", "第一条 为保障困难群众基本医疗"), "第一条 题"),
        (clause("一", "第一条为保障"), "第一条 题"),
        (clause("一", "第十一条 另一条"), "（一）题"),  # 第十一条 is not 第一条
        (clause("一", "第一条之一 插入的一条"), "（一）题"),
        (clause("一", "（一）按原文编号"), "（一）题"),
        (clause("一", "第一条 任务", kind="task"), "任务 一：题"),
        (n.Section("二", "救助", quotes=(n.Quote("第二节 救助"),)), "第二节 救助"),
        (n.Section("二", "救助", quotes=(n.Quote("第二部分 救助"),)), "第二部分 救助"),
        (n.Section("二", "救助", clauses=(clause("三", "第三条 …"),)), "第二章 救助"),
        (n.Section("二", "救助", clauses=(clause("三", "（三）…"),)), "二、救助"),
    ],
)
def test_a_parts_heading_takes_the_label_its_quotes_give(
    part: n.Section | n.Clause, heading: str
) -> None:
    assert part_heading(part) == heading


def test_a_table_read_at_the_cases_key_is_said_in_words() -> None:
    lines = facts("医疗救助")
    amount = (
        "- **能得多少**：每位家庭成员 (自付费用 − 500元)的[救助比例](#table-救助比例)（按类别查表）"
    )
    assert amount in lines
    assert "\\[类别\\]" not in page()
    # The key is an input the rule reads.
    assert "- **所需输入**：月收入、自付费用、类别" in page().splitlines()


def test_the_worked_example_names_each_member_and_their_inputs() -> None:
    # 第三条: 王芳 paid 2,500元 herself: (2500 − 500) × 70% (低保对象) = 1,400元; 李小明 paid 300元,
    # not over the 500元 起付线: nothing. Household 1,800元 a month / 2 people = 900元/人 < 1000.
    [example] = [line for line in facts("医疗救助") if line.startswith("- **算例**")]
    assert example.startswith(
        "- **算例**：类别 低保对象；王芳（申请人）：月收入 1800元，自付费用 2500元；"
        "李小明（子女）：月收入 0元，自付费用 300元（评估期间 2026-03）→ 得 **1400元**"
    ), example
    # 第四条 pays each child: the example names the children only (李小明, 13 on 2026-03-01).
    [child] = [line for line in facts("生活补助") if line.startswith("- **算例**")]
    assert child.startswith(
        "- **算例**：李小明（子女）：出生日期 2012-06-15（评估期间 2026-03）→ 得 **200元**"
    )
    assert "王芳" not in child
