"""JSON format 2: a result the case rules out (not_applicable, not_in_force) is lean, and its
rule's fixed fields are one request away, `GET /v1/policies/{id}/rules` (issue 13: the answer
bytes of a textile case). Held against the policy's text and against full results."""

from __future__ import annotations

import html
import json
import urllib.parse
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from policyc.compiler.pipeline import compile_policy
from tests.serve_helpers import REPO, get_json, post_json, request, running_server

pytest.importorskip("starlette", reason="the serve extra is not installed")

LEAN_KEYS = ["rule", "clause", "heading", "kind", "flow", "role", "status", "reason"]
TEXTILE = REPO / "policies" / "tzf-2023-1.policy"
# 服装电商企业 with 600万单 shipped: 电商物流补贴 applies; 推荐员工补贴 (第四条, for 推荐者) and
# every other type's rule is ruled out.
CAPPED = {
    "on": "2023-12-31",
    "inputs": {
        "申请人类型": "服装电商企业",
        "年发货量": "600万单",
        "口罩发货量": "1万单",
        "其他纺织品发货量": "4万单",
    },
}


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running_server("policies") as url:
        yield url


def evaluated(base: str, case: dict[str, Any], query: str = "") -> dict[str, Any]:
    status, answer = post_json(
        base, "/v1/policies/tzf-2023-1/evaluate" + query, json.dumps(case, ensure_ascii=False)
    )
    assert status == 200, answer
    document: dict[str, Any] = answer
    return document


def test_the_answer_is_format_2_and_a_ruled_out_result_is_lean(base: str):
    document = evaluated(base, CAPPED)
    assert document["policyc"] == 3
    by_rule = {r["rule"]: r for r in document["results"]}
    referral = by_rule["推荐员工补贴"]
    assert referral == {
        "rule": "推荐员工补贴",
        "clause": "四",
        "heading": "（四）用工支持",
        "kind": "补贴",
        "flow": "paid",
        "role": "rule",
        "status": "not_applicable",
        "reason": "条件不成立: 申请人类型为推荐者",
    }
    # what applies keeps its rule's fields (policies/tzf-2023-1.policy, 第七条)
    logistics = by_rule["电商物流补贴"]
    assert logistics["status"] == "applies"
    assert logistics["quotes"] == [
        "对服装电商企业,按实际发货量每单补贴0.2元(不含口罩等纺织品),单个企业每年最高补贴100万元。"
    ]
    assert logistics["responsible"] == ["市交通运输局", "市商务局", "市财政局"]
    statuses = {r["status"] for r in document["results"]}
    assert {"applies", "undetermined", "unspecified", "not_applicable"} <= statuses
    for item in document["results"]:
        if item["status"] in ("not_applicable", "not_in_force"):
            assert list(item) == LEAN_KEYS, item["rule"]
        else:
            assert "quotes" in item and "amount" in item, item["rule"]


def test_a_lean_result_with_explain_keeps_its_trace(base: str):
    document = evaluated(base, CAPPED, "?explain=true")
    referral = next(r for r in document["results"] if r["rule"] == "推荐员工补贴")
    assert list(referral) == [*LEAN_KEYS, "trace"]
    assert referral["trace"]


def test_a_result_out_of_force_is_lean(base: str):
    # 天政发〔2023〕1号 is valid from 2023-01-06 (its header): 2023-01-05 is the day before
    document = evaluated(base, {**CAPPED, "on": "2023-01-05"})
    assert document["in_force"] is False
    out = [r for r in document["results"] if r["status"] == "not_in_force"]
    assert out and all(list(r) == LEAN_KEYS for r in out)
    assert out[0]["reason"] == "政策在 2023-01-05 不在有效期内：尚未施行（自2023年1月6日起施行）"


def test_the_rules_route_gives_each_rules_fixed_fields(base: str):
    status, document = get_json(base, "/v1/policies/tzf-2023-1/rules")
    assert status == 200
    assert document["policyc"] == 3 and document["policy"] == "天政发〔2023〕1号"
    rules = {r["rule"]: r for r in document["rules"]}
    assert len(rules) == len(document["rules"]) == len(compile_policy(TEXTILE).rules)
    # 第四条's first rule, from the policy's text (quote, clause-wide responsible units)
    referral = rules["推荐员工补贴"]
    assert referral["heading"] == "（四）用工支持" and referral["clause_title"] == "用工支持"
    assert referral["quotes"] == [
        "鼓励各类组织、机构及企业内部员工向常年用工50人以上的纺织服装企业推荐员工,员工在同一"
        "企业工作满6个月按500元/人的标准给予推荐者补贴,工作满1年按1000元/人的标准给予推荐者补贴"
    ]
    assert referral["responsible"] == ["市人社局", "市财政局"]
    # 第三条's 创业贴息贷款: a loan limit of 300万元, not an amount paid
    assert rules["创业贴息贷款"]["limits"] == [
        {
            "name": "创业贴息贷款额度",
            "amount": "300万元",
            "text": "创业贴息贷款的贷款额度最高可达300万元;这是贷款额度,不是补贴额",
        }
    ]


def test_a_full_results_rule_fields_equal_the_rules_route(base: str):
    """For each result the case does not rule out, every field the route gives equals the
    full result's; for each lean one, its lean fields equal the route's."""
    _, rules_document = get_json(base, "/v1/policies/tzf-2023-1/rules")
    rules = {r["rule"]: r for r in rules_document["rules"]}
    full = lean = 0
    for case in (CAPPED, {"on": "2023-12-31", "inputs": {"申请人类型": "推荐者"}}):
        for item in evaluated(base, case)["results"]:
            fixed = rules[item["rule"]]
            if item["status"] in ("not_applicable", "not_in_force"):
                lean += 1
                assert {k: fixed[k] for k in LEAN_KEYS[:6]} == {k: item[k] for k in LEAN_KEYS[:6]}
            else:
                full += 1
                assert {k: item[k] for k in fixed} == fixed, item["rule"]
    assert full and lean


def test_the_rules_route_names_an_unknown_policy(base: str):
    status, body = get_json(base, "/v1/policies/nope/rules")
    assert status == 404 and "tzf-2023-1" in body["error"]


def test_the_result_page_shows_a_ruled_out_rules_quote_and_units():
    """The web form renders from the JSON document: a lean result gets its rule's fields back
    server-side (its quote, responsible units) and none of a case's (no amount)."""
    from policyc.report_json import to_json
    from policyc.serve.web import _result_view

    policy = compile_policy(TEXTILE)
    readings = dict(policy.namespace["READINGS"])
    on = date(2023, 12, 31)
    inputs = {"申请人类型": "服装电商企业"}
    results = policy.evaluate(inputs, on, readings, frozenset())
    view = _result_view(policy, to_json(policy, results, on, readings, None, False))
    referral = next(r for r in view["others"] if r["rule"] == "推荐员工补贴")
    assert referral["status"] == "not_applicable" and referral["status_word"]
    assert referral["responsible"] == ["市人社局", "市财政局"]
    assert referral["quotes"][0].startswith("鼓励各类组织、机构及企业内部员工")
    assert referral["amount"] is None and referral["value"] is None and referral["target"] == ""


def test_the_result_page_served_shows_a_ruled_out_rules_quote(base: str):
    fields = {"@on": "2023-12-31", "申请人类型": "服装电商企业"}
    body = urllib.parse.urlencode(fields).encode()
    status, _, page = request(
        base, "POST", "/policies/tzf-2023-1", body, "application/x-www-form-urlencoded"
    )
    assert status == 200
    text = html.unescape(page.decode("utf-8"))
    block = text.split("<strong>推荐员工补贴</strong>", 1)[1].split("</li>", 1)[0]
    assert "不适用" in block
    assert "责任单位：市人社局、市财政局" in block
    assert "原文：鼓励各类组织、机构及企业内部员工向常年用工50人以上的纺织服装企业推荐员工" in block
    assert "金额：" not in block
