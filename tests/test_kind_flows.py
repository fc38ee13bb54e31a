"""Flows of every kind (tidy12, item 3): 贴息 is money paid (interest paid for the applicant,
not money lent), 优惠 is waived (a concession on what the applicant pays: 满减, 优惠价 — totalled
with 减免, never with what is paid), 资格 has none (an eligibility: no total holds it, and a
computed amount beside it is refused). The site words a `choose highest of …` by the flow of its
rules: only money paid is 给予 … 享受.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyc.cli import main
from policyc.compiler.checked import amount_flow
from policyc.compiler.site.policy_view import choice_way, choice_words
from tests.conftest import PolicyFactory

DECLARED = 'input 贷款余额: 元 optional "贷款余额"\n'
RULES = (
    "  rule 贷款贴息 { kind 贴息  amount 1% of 贷款余额 }\n"
    "  rule 满减 { kind 优惠  amount 200 元 }\n"
    '  rule 入驻 { kind 资格  grants "可以入驻产业园" }\n'
)


@pytest.mark.parametrize(
    ("kind", "flow"),
    [("贴息", "paid"), ("补贴", "paid"), ("优惠", "waived"), ("减免", "waived"), ("资格", "")],
)
def test_each_kind_has_its_flow(kind: str, flow: str) -> None:
    assert amount_flow(kind) == flow


def test_interest_is_paid_a_concession_waived_an_eligibility_in_no_total(
    policies: PolicyFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 3,000,000元 × 1% = 30,000元 paid; 200元 off the price, waived; 入驻 no sum
    policy = policies.write(policies.clause(RULES, DECLARED))
    case = tmp_path / "c.yaml"
    case.write_text("on: 2024-06-30\ninputs:\n  贷款余额: 3000000\n", encoding="utf-8")
    assert main(["run", str(policy), "--case", str(case), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    flows = {r["rule"]: r["flow"] for r in document["results"]}
    assert flows == {"贷款贴息": "paid", "满减": "waived", "入驻": ""}
    totals = {
        item["words"]: item["totals"]["元"]["value"] for item in document["totals_by_beneficiary"]
    }
    assert totals == {"支付给申请人": "30000", "减免": "200"}
    assert main(["run", str(policy), "--case", str(case)]) == 0
    text = capsys.readouterr().out
    assert "合计（支付给申请人）: 30,000元（3万元）" in text
    assert "合计（减免）: 200元" in text


def test_an_amount_beside_an_eligibility_is_refused(
    policies: PolicyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = "  rule 入驻 { kind 资格  amount 100 元 }\n"
    policy = policies.write(policies.clause(rules))
    assert main(["check", str(policy)]) == 2
    err = capsys.readouterr().err
    assert "its kind `资格` does not say whether it is paid" in err
    assert "贴息 (paid)" in err and "优惠 (waived)" in err


@pytest.mark.parametrize(
    ("kind", "sentence"),
    [
        ("补贴", "只按金额最高的一项给予，不重复享受：A、B（金额相同的，按所列第一项）"),
        ("贴息", "只按金额最高的一项给予，不重复享受：A、B（金额相同的，按所列第一项）"),
        ("减免", "只按减免金额最高的一项减免，不重复减免：A、B（减免金额相同的，按所列第一项）"),
        ("优惠", "只按减免金额最高的一项减免，不重复减免：A、B（减免金额相同的，按所列第一项）"),
        ("贷款", "只按可贷额度最高的一项贷款，不重复贷款：A、B（可贷额度相同的，按所列第一项）"),
        ("收费标准", "只按金额最高的一项收取，不重复收取：A、B（金额相同的，按所列第一项）"),
        ("罚款", "只按最重的一项处罚，不重复处罚：A、B（一样重的，按所列第一项）"),
        ("滞纳金", "只按最重的一项处罚，不重复处罚：A、B（一样重的，按所列第一项）"),
        ("资格", "只按数额最高的一项适用，不重复适用：A、B（数额相同的，按所列第一项）"),
    ],
)
def test_the_sites_choice_is_worded_by_its_flow(kind: str, sentence: str) -> None:
    assert choice_words(kind, ("A", "B")) == "同时符合以下多项的，" + sentence


def test_only_money_paid_is_given() -> None:
    paid = [
        k
        for k in ("补贴", "减免", "优惠", "贷款", "收费标准", "罚款", "资格")
        if "给予" in choice_way(k)
    ]
    assert paid == ["补贴"]
