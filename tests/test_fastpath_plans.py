"""runtime/fast.py's plans across cases that give different inputs (issue 16 item 1).

A plan is kept per value of the key input (申请人类型) and readings taken, whatever else the case
gives: a rule's result on the key alone is taken only when the case gives none of the rule's
other inputs; a rule judged on an input date (`valid_by`) takes its prebuilt result only while
that date is absent or in force; a one-off rule the case has received is said so. Expected
values are worked from the policy's text (policies/tzf-2023-1.policy, valid 2023-01-06 to
2026-01-05); every case also runs on the traced path, which must agree field by field.
"""

from __future__ import annotations

import datetime
import random
import sys
from decimal import Decimal as D
from typing import Any

import pytest

from policyc.cases import case_from_data
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.evaluation import RuleResult
from policyc.runtime.quantity import Quantity
from tests.conftest import REPO
from tests.test_fastpath import both, fields

TEXTILE = REPO / "policies" / "tzf-2023-1.policy"
ON = datetime.date(2023, 12, 31)


@pytest.fixture(scope="module")
def policy() -> CompiledPolicy:
    return compile_policy(TEXTILE)


def run(policy: CompiledPolicy, data: dict[str, Any], **kw: Any) -> dict[str, RuleResult]:
    """The case `data` (as a JSON body gives it) on both paths; the fast path's results by rule."""
    case = case_from_data({"on": ON.isoformat(), **data}, policy.view, "case.json")
    assert case.on is not None
    both(policy, case.inputs, case.on, readings=case.readings, **kw)
    results = policy.evaluate(case.inputs, case.on, case.readings, **kw)
    return {r.info.name: r for r in results}


def plans(policy: CompiledPolicy) -> int:
    return len(policy.namespace["FAST_TABLE"]._plans)


def test_one_plan_for_cases_of_one_kind_whatever_inputs_they_give(policy: CompiledPolicy):
    # 服装电商企业 is a 纺织服装企业 under the declared reading (含服装电商): 第十二条 pays
    # 省内 2000元/次, 省外 4000元/次: 2 × 2000 + 1 × 4000 = 8000元.
    kind = {"申请人类型": "服装电商企业"}
    without = run(policy, {"inputs": kind})
    count = plans(policy)
    given = run(policy, {"inputs": kind | {"参展次数": {"省内": D(2), "省外": D(1)}}})
    none = run(policy, {"inputs": kind | {"参展次数": {"省内": D(0), "省外": D(0)}}})
    others = run(policy, {"inputs": kind | {"年发货量": D(100), "天门籍": True}})
    assert plans(policy) == count  # the same plan, four sets of inputs
    assert without["参展补贴"].status == "undetermined"
    assert without["参展补贴"].missing == ("参展次数",)
    assert others["参展补贴"] is without["参展补贴"]  # gives none of what it reads: shared
    assert given["参展补贴"].status == "applies"
    assert given["参展补贴"].amount == Quantity.of("8000", "元")
    # 0 次 in all: "不少于 1 次" does not hold (1 次 would: 以上/不少于 include the bound)
    assert none["参展补贴"].status == "not_applicable"
    assert none["参展补贴"].reason == "条件不成立: 参展次数各项合计 不少于1次（含本数）"


@pytest.mark.parametrize(
    ("start", "status"),
    [
        ("2023-01-05", "not_in_force"),  # the day before the policy's first day
        ("2023-01-06", "not_applicable"),  # its first day: in force
        ("2026-01-05", "not_applicable"),  # its last day: in force
        ("2026-01-06", "not_in_force"),  # the day after
        (None, "not_applicable"),  # not given: the conditions decide
    ],
)
def test_a_rule_judged_on_an_input_date_keeps_its_date_first(
    policy: CompiledPolicy, start: str | None, status: str
):
    # 第六条 社会保险补贴 is judged on 劳动合同起始日期 (valid_by): out of force there, whatever
    # the applicant; in force, an applicant who is no 新招员工 fails its first condition.
    inputs: dict[str, Any] = {"申请人类型": "服装电商企业"}
    if start is not None:
        inputs["劳动合同起始日期"] = start
    found = run(policy, {"inputs": inputs})["社会保险补贴"]
    assert found.status == status
    if status == "not_in_force":
        # tzf-2023-1 is in force 2023-01-06 to 2026-01-05: which side the day lies on
        state = {
            "2023-01-05": "尚未施行（自2023年1月6日起施行）",
            "2026-01-06": "已失效（2026年1月6日起失效）",
        }[start or ""]
        assert found.reason == f"政策在 劳动合同起始日期 {start} 不在有效期内：{state}"
    else:
        assert found.reason == "条件不成立: 申请人类型为新招员工"


def test_a_one_off_rule_received_is_said_so_on_a_plan(policy: CompiledPolicy):
    # 第九条: 驰名商标 一次性奖励50万元; received already, the case gets 已领取 instead.
    inputs = {"申请人类型": "服装电商企业", "认定中国驰名商标": True}
    fresh = run(policy, {"inputs": inputs})["驰名商标奖励"]
    assert (fresh.status, fresh.amount) == ("applies", Quantity.of("500000", "元"))
    taken = run(policy, {"inputs": inputs}, received=frozenset({"驰名商标奖励"}))
    assert taken["驰名商标奖励"].status == "already_received"
    assert taken["驰名商标奖励"].reason == "一次性奖补, 案例记载已领取"
    assert taken["地理标志商标奖励"].status == "undetermined"  # not received: as before


def test_the_load_tests_random_cases_agree(policy: CompiledPolicy):
    # benchmarks/serve.py's random textile cases (what the web service is measured on): many
    # kinds, dates in and out of force, every few inputs given in turn.
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import serve as bench
    finally:
        sys.path.pop(0)
    rng = random.Random(16)
    tried = 0
    while tried < 300:
        data = bench.random_case(rng)
        try:
            case = case_from_data(data, policy.view, "case.json")
        except Exception:
            continue  # a value the policy refuses (the service answers 422)
        assert case.on is not None
        both(policy, case.inputs, case.on)
        tried += 1
    assert plans(policy) <= 1 + len(bench.KINDS)  # a plan per kind, not per case


def test_a_set_of_input_names_is_resolved_when_met_a_second_time(policy: CompiledPolicy):
    # A random case's set of input names is seldom met again: the first case giving one runs
    # on the plan as it is (each rule's shared result taken in the loop), the second on the
    # plan resolved for those names. Both give what the traced path gives: 第十二条 pays
    # 2 × 2000元 (省内) + 1 × 4000元 (省外) = 8000元.
    kind = {"申请人类型": "服装电商企业"}
    run(policy, {"inputs": kind})  # the plan for 服装电商企业 made
    data = {"inputs": kind | {"参展次数": {"省内": D(2), "省外": D(1)}}}
    case = case_from_data({"on": ON.isoformat(), **data}, policy.view, "case.json")
    names = frozenset(case.inputs)
    table = policy.namespace["FAST_TABLE"]
    for plan in table._plans.values():
        plan[2].pop(names, None)

    def kept() -> list[Any]:
        return [plan[2][names] for plan in table._plans.values() if names in plan[2]]

    traced = [fields(r) for r in policy.evaluate(case.inputs, ON, fast=False)]
    first = policy.evaluate(case.inputs, ON)
    assert kept() == [None]  # met once: remembered, not resolved
    second = policy.evaluate(case.inputs, ON)
    assert len(kept()) == 1 and kept()[0] is not None  # met twice: resolved
    third = policy.evaluate(case.inputs, ON)
    for results in (first, second, third):
        assert [fields(r) for r in results] == traced
        (paid,) = [r for r in results if r.info.name == "参展补贴"]
        assert paid.status == "applies"
        assert paid.amount == Quantity.of("8000", "元")
