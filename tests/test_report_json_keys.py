"""What the answer writer keeps between cases (cli/report_json.py) is found only by what it
reads: two cases differing only in what a key must see get different answers, and a kept
answer part is the one written afresh. Expected values are worked from the text of
policies/tzf-2023-1.policy: valid from 2023-01-06 for 3 years, the last day 2026-01-05 under
the reading 有效期起算 taken (from_start_day), 2026-01-06 under from_next_day; 第十二条 参展补贴
pays 2000元 a fair in the province (省内) and 4000元 outside it (省外)."""

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


@pytest.fixture(scope="module")
def policy() -> CompiledPolicy:
    return compile_policy(REPO / "policies" / "tzf-2023-1.policy")


def answer(
    policy: CompiledPolicy,
    inputs: dict[str, Any],
    on: date = date(2023, 12, 31),
    readings: dict[str, str] | None = None,
    case_path: str | None = None,
) -> dict[str, Any]:
    case = case_from_data({"on": on.isoformat(), "inputs": inputs}, policy.view, "case.json")
    taken = dict(policy.namespace["READINGS"]) if readings is None else readings
    results = policy.evaluate(case.inputs, on, taken)
    raw = report_json.answer_bytes(
        policy, results, on, taken, case_path, False, totals_of=results, given=case.inputs
    )
    document: dict[str, Any] = json.loads(raw)
    return document


ECOMMERCE = {"申请人类型": "服装电商企业"}


def fair(document: dict[str, Any]) -> dict[str, Any]:
    (item,) = [r for r in document["results"] if r["rule"] == "参展补贴"]
    return item


def test_the_head_is_kept_by_the_evaluation_date(policy: CompiledPolicy):
    last = answer(policy, ECOMMERCE, date(2026, 1, 5))  # the last day: in force
    after = answer(policy, ECOMMERCE, date(2026, 1, 6))  # the day after: not
    assert (last["on"], last["in_force"]) == ("2026-01-05", True)
    assert (after["on"], after["in_force"]) == ("2026-01-06", False)
    assert last["valid_until"] == after["valid_until"] == "2026-01-05"


def test_the_head_is_kept_by_the_readings_taken_and_their_order(policy: CompiledPolicy):
    declared = dict(policy.namespace["READINGS"])
    assert declared["有效期起算"] == "from_start_day"
    next_day = declared | {"有效期起算": "from_next_day"}
    on = date(2026, 1, 6)
    taken = answer(policy, ECOMMERCE, on, declared)
    other = answer(policy, ECOMMERCE, on, next_day)
    assert (taken["valid_until"], taken["in_force"]) == ("2026-01-05", False)
    assert (other["valid_until"], other["in_force"]) == ("2026-01-06", True)
    assert other["readings"]["有效期起算"] == "from_next_day"
    # the same readings in another order are written in that order
    backwards = dict(reversed(list(declared.items())))
    assert len(declared) > 1
    assert list(answer(policy, ECOMMERCE, on, backwards)["readings"]) == list(backwards)
    assert list(answer(policy, ECOMMERCE, on, declared)["readings"]) == list(declared)


def test_the_head_is_kept_by_the_case_file(policy: CompiledPolicy):
    assert answer(policy, ECOMMERCE, case_path="a.yaml")["case"] == "a.yaml"
    assert answer(policy, ECOMMERCE, case_path="b.yaml")["case"] == "b.yaml"
    assert answer(policy, ECOMMERCE)["case"] is None


def test_the_totals_and_a_results_own_parts_are_kept_by_the_amounts(policy: CompiledPolicy):
    one = answer(policy, ECOMMERCE | {"参展次数": {"省内": D(1)}})  # 1 × 2000元
    three = answer(policy, ECOMMERCE | {"参展次数": {"省内": D(3)}})  # 3 × 2000元
    outside = answer(policy, ECOMMERCE | {"参展次数": {"省外": D(1)}})  # 1 × 4000元
    again = answer(policy, ECOMMERCE | {"参展次数": {"省内": D(1)}})
    assert fair(one)["amount"]["value"] == "2000"
    assert fair(three)["amount"]["value"] == "6000"
    assert fair(outside)["amount"]["value"] == "4000"
    assert one["totals"]["元"]["value"] == "2000"
    assert three["totals"]["元"]["value"] == "6000"
    assert outside["totals"]["元"]["value"] == "4000"
    assert outside["totals_by_kind"] == {"paid": {"元": outside["totals"]["元"]}}
    assert again == one


def test_the_still_needed_list_follows_the_inputs_given(policy: CompiledPolicy):
    # 服装电商企业 giving nothing else: 参展补贴 waits for 参展次数; given it, it does not.
    waiting = answer(policy, ECOMMERCE)
    given = answer(policy, ECOMMERCE | {"参展次数": {"省内": D(1)}})
    assert "参展次数" in [item.get("name") for item in waiting["still_needed"]]
    assert "参展次数" not in [item.get("name") for item in given["still_needed"]]
    assert fair(waiting)["status"] == "undetermined"
    assert fair(given)["status"] == "applies"


def test_shared_results_written_again_after_the_store_starts_over(
    policy: CompiledPolicy, monkeypatch: pytest.MonkeyPatch
):
    cases = [
        (ECOMMERCE, date(2023, 12, 31)),
        ({"申请人类型": "物流企业"}, date(2024, 6, 1)),
        (ECOMMERCE, date(2026, 2, 1)),  # not in force: every rule says so, naming the day
        (ECOMMERCE, date(2026, 2, 2)),
    ]
    first = [answer(policy, inputs, on) for inputs, on in cases]
    monkeypatch.setattr(report_json, "_FIXED", report_json._FixedStore())
    monkeypatch.setattr(report_json._FixedStore, "ENTRIES", 5)  # started over again and again
    for (inputs, on), expected in zip(cases, first, strict=True):
        assert answer(policy, inputs, on) == expected
    reasons = {r["reason"] for r in first[3]["results"] if r["status"] == "not_in_force"}
    # the last day in force is 2026-01-05: it lapsed on the 6th
    assert reasons == {"政策在 2026-02-02 不在有效期内：已失效（2026年1月6日起失效）"}
