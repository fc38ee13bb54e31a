"""What a textile case still needs (cli/needs.py), answered from the plan kept for cases alike:
two cases leaving the same rules undetermined for the same missing inputs share a plan, and
each still drops the inputs it gives itself; an any-of pair stays a pair only while both of
its inputs are needed. Expected lists read from policies/tzf-2023-1.policy."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from policyc.compiler.pipeline import compile_policy
from policyc.report_json import to_json

POLICY = compile_policy(Path(__file__).resolve().parent.parent / "policies" / "tzf-2023-1.policy")
ON = date(2024, 6, 1)
# 物流企业 alone: 物流专线经营补贴 waits for 专线正常经营时长; 租金减免, 装修补贴, 物业费减半 and
# 宿舍租赁费按标准收取 for 入驻日期 (the 入驻企业's rules), whose amounts then read 年房租 (第十五条:
# 100% / 50% of 年房租), 装修面积 (150 元/平方米 × 装修面积), 年物业费, 宿舍间数 × 宿舍租用月数.
LOGISTICS = [
    ("专线正常经营时长", ["物流专线经营补贴"]),
    ("入驻日期", ["租金减免", "装修补贴", "物业费减半", "宿舍租赁费按标准收取"]),
    ("年房租", ["租金减免"]),
    ("装修面积", ["装修补贴"]),
    ("年物业费", ["物业费减半"]),
    ("宿舍间数", ["宿舍租赁费按标准收取"]),
    ("宿舍租用月数", ["宿舍租赁费按标准收取"]),
]


def still_needed(inputs: dict[str, Any]) -> list[Any]:
    readings = dict(POLICY.namespace["READINGS"])
    results = POLICY.evaluate(inputs, ON, readings, frozenset(), False)
    document = to_json(POLICY, results, ON, readings, None, False, results, inputs)
    return [
        item if "any_of" in item else (item["name"], item["rules"])
        for item in document["still_needed"]
    ]


def test_cases_alike_share_a_plan_and_each_drops_what_it_gives() -> None:
    assert still_needed({"申请人类型": "物流企业"}) == LOGISTICS
    # 年房租 given: the same rules wait for the same inputs (the same plan), less 年房租
    rent = {"申请人类型": "物流企业", "年房租": 100_000}
    assert still_needed(rent) == [item for item in LOGISTICS if item[0] != "年房租"]
    both = {**rent, "装修面积": 120}
    assert still_needed(both) == [item for item in LOGISTICS if item[0] not in both]
    # and the plan kept is not the last case's
    assert still_needed({"申请人类型": "物流企业"}) == LOGISTICS


def test_an_any_of_pair_while_both_are_needed_and_one_alone_after() -> None:
    # 服务业商贸业进规奖励: `when 新进规上服务业 or 新进限上商贸业`
    pair = {
        "any_of": [
            {
                "name": "新进规上服务业",
                "description": "评估年度新进入规模以上服务业企业统计",
                "measure": "是/否",
                "rules": ["服务业商贸业进规奖励"],
            },
            {
                "name": "新进限上商贸业",
                "description": "评估年度新进入限额以上商贸业企业统计",
                "measure": "是/否",
                "rules": ["服务业商贸业进规奖励"],
            },
        ]
    }
    assert pair in still_needed({"申请人类型": "面料企业"})
    # one side false: the other alone settles it, needed by itself, no longer a pair
    one_side = still_needed({"申请人类型": "面料企业", "新进规上服务业": False})
    assert pair not in one_side
    assert ("新进限上商贸业", ["服务业商贸业进规奖励"]) in one_side
    assert all(item != "新进规上服务业" and item[0] != "新进规上服务业" for item in one_side)


def test_the_plans_store_drops_the_entry_used_least_recently() -> None:
    from policyc.needs import Recent

    store = Recent(3)
    for key in "abc":
        store.put(key, key.upper())
    assert [store.recent(k) for k in "abc"] == ["A", "B", "C"]  # at its size: all kept
    assert store.recent("a") == "A"  # a used again: b is now the least recent
    store.put("d", "D")  # one over its size
    assert len(store) == 3
    assert "b" not in store
    assert [store.recent(k) for k in "acd"] == ["A", "C", "D"]
    assert store.recent("b") is None
    store.put("a", "A2")  # stored again: replaced, nothing dropped
    assert len(store) == 3 and store.recent("a") == "A2"


def test_plans_are_bounded_and_share_their_items() -> None:
    from policyc.needs import _PLAN_ENTRIES, _known

    known = _known(POLICY.view)
    assert 0 < _PLAN_ENTRIES == known.plans.size
    # Two cases of one kind leaving different rules undetermined: two plans; the inputs both
    # need (入驻日期 for the 入驻企业's rules, with the same rules) are one object.
    from policyc.cases import case_from_data

    still_needed({"申请人类型": "物流企业"})
    case = case_from_data({"inputs": {"申请人类型": "物流企业", "专线正常经营时长": "2年"}},
                          POLICY.view, "case")  # fmt: skip
    assert ("专线正常经营时长", ["物流专线经营补贴"]) not in still_needed(case.inputs)
    plans = [plan for _key, plan in known.plans.entries.items() if plan[0]]
    with_entry = [
        item
        for plan in plans
        for item in plan[1]
        if item[0] == "入驻日期" and "租金减免" in item[3]
    ]
    assert len(with_entry) >= 2
    assert all(item is with_entry[0] for item in with_entry)
