"""The answer's totals when no result applies with an amount (written once, cli/report_json.py)
and when some do: the same keys, in the schema's order, either way. Expected amounts are worked
from policies/tzf-2023-1.policy's text (valid 2023-01-06 to 2026-01-05)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from policyc import report_json
from policyc.cases import case_from_data
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from tests.conftest import REPO

ON = date(2023, 12, 31)


@pytest.fixture(scope="module")
def policy() -> CompiledPolicy:
    return compile_policy(REPO / "policies" / "tzf-2023-1.policy")


def answer(policy: CompiledPolicy, inputs: dict[str, Any]) -> dict[str, Any]:
    case = case_from_data({"on": ON.isoformat(), "inputs": inputs}, policy.view, "case.json")
    readings = dict(policy.namespace["READINGS"])
    results = policy.evaluate(case.inputs, ON, readings)
    raw = report_json.answer_bytes(
        policy, results, ON, readings, None, False, totals_of=results, given=case.inputs
    )
    document: dict[str, Any] = json.loads(raw)
    return document


def tail_keys(document: dict[str, Any]) -> list[str]:
    keys = list(document)
    return keys[keys.index("results") :]


def test_a_case_nothing_pays_has_empty_totals_in_the_schemas_order(policy: CompiledPolicy):
    # 服装电商企业 giving nothing else: every rule for it waits for an input or does not apply
    # (参展补贴 waits for 参展次数), so nothing is added up.
    document = answer(policy, {"申请人类型": "服装电商企业"})
    assert not [r for r in document["results"] if r["status"] == "applies" and r.get("amount")]
    assert document["totals"] == {}
    assert document["totals_by_kind"] == {}
    assert document["totals_by_beneficiary"] == []
    assert "totals_range_by_kind" not in document
    assert tail_keys(document) == [
        "results", "totals", "totals_by_kind", "totals_by_beneficiary", "still_needed",
    ]  # fmt: skip
    assert "参展次数" in [item.get("name") for item in document["still_needed"]]


def test_a_case_paid_an_amount_has_it_in_its_totals(policy: CompiledPolicy):
    # 第十二条: 省内 2000元/次, 省外 4000元/次: 2 × 2000 + 1 × 4000 = 8000元, paid to the applicant.
    inputs = {"申请人类型": "服装电商企业", "参展次数": {"省内": D(2), "省外": D(1)}}
    document = answer(policy, inputs)
    paid = document["totals"]["元"]
    assert paid["value"] == "8000"
    assert document["totals_by_kind"] == {"paid": {"元": paid}}
    assert document["totals_by_beneficiary"] == [
        {"flow": "paid", "beneficiary": "", "words": "支付给申请人", "totals": {"元": paid}}
    ]
    assert tail_keys(document) == [
        "results", "totals", "totals_by_kind", "totals_by_beneficiary", "still_needed",
    ]  # fmt: skip
