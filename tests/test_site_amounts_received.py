"""The amounts index lists what a case may receive (the housing-fund newcomer's finding 10): a
decision of literals, `if`s and arithmetic worked out (多子女家庭 上浮20%: 80万×120% = 96万,
60万×120% = 72万), a rule's least sum from the condition it requires (低于5万元的不予贷款),
and neither a rounding step (以千元为单位: 1000元) nor a floor of nothing (max(…, 0元))."""

from __future__ import annotations

from pathlib import Path

from policyc.compiler.docs import render_docs
from policyc.compiler.pipeline import check_policy
from tests.conftest import PolicyFactory

HOUSING = Path(__file__).parent / "fixtures" / "housing-fund" / "yxgjj-2026-3.policy"


def _rows(pages: dict[str, str], stem: str) -> list[list[str]]:
    """The cells of the index's rows of the page `stem`."""
    text = pages["docs/amounts.md"].split(f"{{#amounts-{stem}}}")[1].split("\n## ")[0]
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("| ") and not line.startswith(("| 条款", "| ---"))
    ]


def test_the_housing_fund_index_lists_what_a_borrower_may_receive():
    rows = _rows(render_docs([check_policy(HOUSING)]), "yxgjj-2026-3")
    decided = {(r[3], r[4]) for r in rows if "判定：最高贷款额度" in r[1]}
    双方, 单方 = "缴存方式为双方缴存时", "并非“缴存方式为双方缴存”时"
    多子女, 非多子女 = "多子女家庭时", "并非“多子女家庭”时"
    assert decided == {
        ("960,000元（96万元）", f"适用：{双方}；{多子女}"),  # 80万 × 120%
        ("800,000元（80万元）", f"适用：{双方}；{非多子女}"),  # 80万 × 100%
        ("720,000元（72万元）", f"适用：{单方}；{多子女}"),  # 60万 × 120%
        ("600,000元（60万元）", f"适用：{单方}；{非多子女}"),  # 60万 × 100%
    }
    values = [r[3] for r in rows]
    assert "1000元" not in values  # 贷款额度's rounding step (以千元为单位)
    assert "0元" not in values  # 还款能力额度's floor, max(…, 0 元)
    (least,) = [r for r in rows if r[2] == "最低金额"]
    assert "个人住房贷款" in least[1] and least[3] == "5万元"  # 第五条: 低于5万元的不予贷款
    assert "不低于5万元（含本数）" in least[4]


DECLARATIONS = """
input 年龄: 年 "年龄"
input 发货量: 单 "发货量"
decide 标准 = if 年龄 不低于 80 年 then 400 元 else 300 元 "高龄津贴标准"
decide 保底 = max(发货量 × 0.2 元/单, 500 元) "按单补贴, 至少500元"
decide 取整 = round(发货量 × 0.2 元/单, 100 元, down) "按百元取整"
"""


def test_a_floor_above_nothing_is_listed_and_a_decision_reading_an_input_keeps_its_literals(
    policies: PolicyFactory,
):
    rules = (
        "  rule 津贴 { amount 标准 }\n  rule 按单 { amount 保底 }\n"
        "  rule 取整补贴 {\n    when 取整 高于 1000 元\n    amount 取整\n  }\n"
    )
    path = policies.write(policies.clause(rules, DECLARATIONS))
    rows = _rows(render_docs([check_policy(path)]), "p")
    by = {(r[1].split("](")[0].lstrip("["), r[3]) for r in rows}
    assert ("判定：标准", "400元") in by and ("判定：标准", "300元") in by
    assert ("判定：保底", "500元") in by  # a least sum a case receives: listed
    assert not any(name == "判定：取整" for name, _ in by)  # its 100元 is a step only
    # 高于 excludes the sum, and bounds the amount from below: a least sum all the same
    assert ("取整补贴", "1000元") in by
    assert not any(r[2] == "最高金额" for r in rows)
