"""为何不适用 for a household names the member that made the condition fail, and only the
condition that failed (the dibao newcomer's finding 1, cli/member_why.py, cli/member_senses.py).

Case 09 of that project: 低保金 needs `not 有不予认定情形` (有不予认定情形 = any(members where
名下车辆 is 其他机动车辆) or …); 李强 has an ordinary car. The answer said
`王芳（申请人）: 名下车辆为其他机动车辆: 无 → 不成立` — the wrong member, and a part in the
household's favour. Each shape of an expression over members below is pinned on a small
household policy of three members, the deciding member named, and the household passing once
that member changes (both sides of the edge). What each line must say is worked out from the
rule: under `not any(P)` the members P holds for; under `all(P)` those it fails for; under
`not all(P)` every member; `count(P) ≥ n` failing: those not counted; `count(P) < n`: those
counted; `sum(X) 不超过 Y`: those whose X adds more than nothing; `max(X) 不超过 Y`: the member
of the largest X.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from policyc.cases import load_case
from policyc.cli import main
from policyc.compiler.pipeline import CompiledPolicy
from policyc.member_senses import wanted
from policyc.member_why import explained_whys, member_whys
from tests.conftest import PolicyFactory

DECLARATIONS = """
group 家庭 {
    role 申请人 one
    role 配偶 at_most 1
    role 子女 many
}
input 有车: bool per member default false "成员名下是否有机动车"
input 本市户籍: bool per member default true "成员是否为本市户籍"
input 就业: bool per member default false "成员是否就业"
input 存款: 元 per member default 0 元 "成员名下存款"
define 无车户 = not any(members where 有车) "家庭成员均无车"
define 有不予认定情形 = any(members where 有车) or any(members where 存款 超过 50000 元) "有车或大额存款"
define 符合条件 = all(members where 本市户籍) and not 有不予认定情形 "户籍且无不予认定情形"
"""

RULES = """
  rule 无车 { kind 补助  when not any(members where 有车)  amount 100 元 }
  rule 全户籍 { kind 补助  when all(members where 本市户籍)  amount 100 元 }
  rule 非全户籍 { kind 补助  when not all(members where 本市户籍)  amount 100 元 }
  rule 有人就业 { kind 补助  when any(members where 就业)  amount 100 元 }
  rule 两人就业 { kind 补助  when count(members where 就业) >= 2 人  amount 100 元 }
  rule 无人有车 { kind 补助  when count(members where 有车) < 1 人  amount 100 元 }
  rule 存款少 { kind 补助  when sum(存款) 不超过 10000 元  amount 100 元 }
  rule 最高存款 { kind 补助  when max(存款) 不超过 8000 元  amount 100 元 }
  rule 非有车 { kind 补助  when not (count(members where 有车) >= 1 人)  amount 100 元 }
  rule 就业且存款少 { kind 补助  when count(members where 就业) >= 1 人 and sum(存款) 不超过 10000 元  amount 100 元 }
  rule 就业或有车 { kind 补助  when any(members where 就业) or any(members where 有车)  amount 100 元 }
  rule 低保 { kind 补助  when 符合条件  amount 100 元 }
  rule 每人 { kind 补助  each members  when 符合条件  when 就业  amount 100 元 }
"""

# Every input at the value that lets each rule above pass, but where a test changes it.
EVERYONE = {"王芳": "申请人", "李强": "配偶", "李小明": "子女"}


@pytest.fixture
def policy(policies: PolicyFactory) -> CompiledPolicy:
    return policies.compile(RULES, DECLARATIONS)


def whys(policy: CompiledPolicy, folder: Path, **members: dict[str, Any]) -> dict[str, list[str]]:
    """Rule → its member lines for the household 王芳、李强、李小明, each member's inputs as
    given in `members` (the declared defaults otherwise), March 2024."""
    case = {
        "policy": "测试〔2023〕1号",
        "on": "2024-03-01",
        "period": "2024-03",
        "members": {
            name: {"role": role, "inputs": members.get(name, {})} for name, role in EVERYONE.items()
        },
    }
    path = folder / "case.json"
    path.write_text(json.dumps(case, ensure_ascii=False), "utf-8")
    loaded = load_case(path, policy.checked)
    on = date(2024, 3, 1)
    results = policy.evaluate(loaded.inputs, on, loaded.readings)
    found = explained_whys(policy, results, loaded.inputs, on, loaded.readings)
    statuses = {r.info.name: r.status for r in results}
    # a rule absent from `found` is either applying or ruled out without a member to name
    return {
        name: found.get(name, ["适用"] if status == "applies" else [])
        for name, status in statuses.items()
    }


def test_not_any_names_the_member_it_counted(policy: CompiledPolicy, tmp_path: Path) -> None:
    found = whys(policy, tmp_path, 李强={"有车": True})
    assert found["无车"] == ["李强（配偶）: 有车 是"]  # not 王芳 or 李小明, who have none
    assert whys(policy, tmp_path)["无车"] == ["适用"]


def test_all_names_the_members_it_did_not_count(policy: CompiledPolicy, tmp_path: Path) -> None:
    found = whys(policy, tmp_path, 李小明={"本市户籍": False})
    assert found["全户籍"] == ["李小明（子女）: 本市户籍 否"]
    assert found["非全户籍"] == ["适用"]


def test_not_all_names_every_member(policy: CompiledPolicy, tmp_path: Path) -> None:
    # every member is 本市户籍: each of them is why `not all(本市户籍)` fails
    assert whys(policy, tmp_path)["非全户籍"] == [
        "王芳（申请人）: 本市户籍 是",
        "李强（配偶）: 本市户籍 是",
        "李小明（子女）: 本市户籍 是",
    ]


def test_any_wanted_names_every_member(policy: CompiledPolicy, tmp_path: Path) -> None:
    assert whys(policy, tmp_path)["有人就业"] == [
        "王芳（申请人）: 就业 否",
        "李强（配偶）: 就业 否",
        "李小明（子女）: 就业 否",
    ]
    assert whys(policy, tmp_path, 李强={"就业": True})["有人就业"] == ["适用"]


def test_count_at_least_names_those_not_counted(policy: CompiledPolicy, tmp_path: Path) -> None:
    found = whys(policy, tmp_path, 王芳={"就业": True})
    # 1 人 employed, 2 needed: the two who are not
    assert found["两人就业"] == ["李强（配偶）: 就业 否", "李小明（子女）: 就业 否"]
    both = whys(policy, tmp_path, 王芳={"就业": True}, 李强={"就业": True})
    assert both["两人就业"] == ["适用"]


def test_count_below_names_those_counted(policy: CompiledPolicy, tmp_path: Path) -> None:
    found = whys(policy, tmp_path, 李小明={"有车": True})
    assert found["无人有车"] == ["李小明（子女）: 有车 是"]
    assert found["非有车"] == ["李小明（子女）: 有车 是"]  # `not (count ≥ 1)`, the same
    nobody = whys(policy, tmp_path)
    assert nobody["无人有车"] == nobody["非有车"] == ["适用"]


def test_a_member_s_own_condition_in_an_each_rule_names_no_household_part(
    policy: CompiledPolicy, tmp_path: Path
) -> None:
    # case 01's shape: 符合条件 holds, nobody is 就业 — 每人 fails on each member's own 就业
    # (its reason says so); the parts of the household's condition that held are no reason
    # (they were listed, 18 lines, 6 of them 3 times)
    assert whys(policy, tmp_path)["每人"] == []
    assert whys(policy, tmp_path, 李强={"就业": True})["每人"] == ["适用"]


def test_sum_not_above_names_those_adding_to_it(policy: CompiledPolicy, tmp_path: Path) -> None:
    # 3000 + 8000 + 0 = 11000元 > 10000元: 王芳 and 李强 add to it, 李小明 (0元) does not
    found = whys(policy, tmp_path, 王芳={"存款": 3000}, 李强={"存款": 8000})
    assert found["存款少"] == [
        "王芳（申请人）: 计入家庭成员存款之和 3000元",
        "李强（配偶）: 计入家庭成员存款之和 8000元",
    ]
    # 10000元 is 不超过 10000元 (含本数): it passes, one fen less than the failing side
    at_limit = whys(policy, tmp_path, 王芳={"存款": 2000}, 李强={"存款": 8000})
    assert at_limit["存款少"] == ["适用"]


def test_max_not_above_names_the_member_of_the_largest(
    policy: CompiledPolicy, tmp_path: Path
) -> None:
    found = whys(policy, tmp_path, 王芳={"存款": 3000}, 李强={"存款": 8000.01})
    assert found["最高存款"] == ["李强（配偶）: 家庭成员存款的最大值 = 8000.01元"]
    assert whys(policy, tmp_path, 李强={"存款": 8000})["最高存款"] == ["适用"]


def test_a_part_that_held_is_not_named(policy: CompiledPolicy, tmp_path: Path) -> None:
    # count(就业) ≥ 1 holds (王芳): its members not counted are no reason; the sum is
    found = whys(policy, tmp_path, 王芳={"就业": True, "存款": 12000})
    assert found["就业且存款少"] == [
        "家庭成员存款之和 不超过10000元（含本数）: 12,000元（1.2万元） 对 10,000元（1万元） → 不成立",
        "王芳（申请人）: 计入家庭成员存款之和 12,000元（1.2万元）",
    ]


def test_a_named_condition_names_the_member_of_the_part_that_failed(
    policy: CompiledPolicy, tmp_path: Path
) -> None:
    # 符合条件 = all(本市户籍) and not (any(有车) or any(存款 超过 50000元)): all(本市户籍)
    # holds (not named), any(有车) is 是 because of 李强 (named); the rule paid each member
    # says it once, not once per member
    found = whys(policy, tmp_path, 李强={"有车": True}, 王芳={"就业": True})
    # the part of 符合条件 that failed, then the member that made it fail
    assert found["低保"] == ["并非「有不予认定情形」 → 不成立", "李强（配偶）: 有车 是"]
    assert found["每人"] == ["李强（配偶）: 有车 是"]
    savings = whys(policy, tmp_path, 李小明={"存款": 50000.01})
    assert savings["低保"] == [
        "并非「有不予认定情形」 → 不成立",
        "李小明（子女）: 存款 超过50000元（不含本数）: 50,000.01元 对 50,000元（5万元） → 成立",
    ]
    assert whys(policy, tmp_path, 李小明={"存款": 50000})["低保"] == ["适用"]


def test_the_answer_names_李强_for_case_09_s_shape(
    policy: CompiledPolicy, policies: PolicyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    case = {
        "policy": "测试〔2023〕1号",
        "on": "2024-03-01",
        "period": "2024-03",
        "members": {
            "王芳": {"role": "申请人", "inputs": {"就业": True}},
            "李强": {"role": "配偶", "inputs": {"有车": True}},
        },
    }
    path = policies.folder / "case.json"
    path.write_text(json.dumps(case, ensure_ascii=False), "utf-8")
    assert main(["run", str(policies.folder / "p.policy"), "--case", str(path)]) == 0
    out = capsys.readouterr().out
    why = out.partition("为何不适用\n")[2]
    assert (
        "  ✘ 低保 — 条件不成立: 符合条件\n"
        "      · 并非「有不予认定情形」 → 不成立\n"
        "      · 李强（配偶）: 有车 是\n"
    ) in why
    assert "王芳（申请人）: 有车" not in why
    # 每人: 王芳 is 就业 but the household fails 符合条件: one line, not one per member
    each = why.split("  ✘ 每人")[1].split("  ✘ ")[0]
    assert each.count("李强（配偶）: 有车 是") == 1


def test_wanted_reads_the_sense_through_not_defines_and_comparisons() -> None:
    agg = ("node", (("ref", "有车"),), ("agg", "any", "有家庭成员（有车）", 3))
    count = ("node", (("ref", "就业"),), ("agg", "count", "家庭成员（就业）的人数", 4))
    at_least = ("node", (count, ("node", ())), ("cmp", "ge", "人数 ≥ 2人", 4))
    defines = {"有车户": agg}
    found = wanted([("not", ("ref", "有车户")), ("not", at_least)], defines)
    assert found.aggregates[("有家庭成员（有车）", 3)] == ("any", False, None)
    # `not (count ≥ 2)`: the comparison wanted false, the count smaller
    assert found.aggregates[("家庭成员（就业）的人数", 4)] == (
        "count",
        -1,
        (("人数 ≥ 2人", 4), False),
    )
    # the right side of a comparison, and of a −, go the other way: `0 ≤ 3人 − count` is
    # `count ≤ 3人` (smaller wanted), `0 ≤ count − 3人` is `count ≥ 3人` (larger wanted)
    three = ("node", ())
    minus = ("node", (three, count), ("arith", "-"))
    below = ("node", (("node", ()), minus), ("cmp", "le", "0 ≤ 差", 5))
    assert wanted([below], {}).aggregates[("家庭成员（就业）的人数", 4)][1] == -1
    minus = ("node", (count, three), ("arith", "-"))
    above = ("node", (("node", ()), minus), ("cmp", "le", "0 ≤ 差", 5))
    assert wanted([above], {}).aggregates[("家庭成员（就业）的人数", 4)][1] == 1
    # read both ways by two conditions: its sense is not known, nobody is named through it
    assert wanted([("ref", "有车户"), ("not", ("ref", "有车户"))], defines).aggregates == {}
    # `=` fixes no direction
    equal = ("node", (count, ("node", ())), ("cmp", "eq", "人数 = 2人", 4))
    assert wanted([equal], {}).aggregates == {}


def test_steps_outside_the_failed_condition_are_not_read() -> None:
    steps = [
        ("成员 甲（申请人）", 3),
        ("成员 乙（配偶）", 3),
        ("有家庭成员（就业） = 否（计入: 无）", 3),
        ("条件成立: 甲", 9),  # an earlier `when`, settled: what came before is not this one's
        ("成员 甲（申请人）", 4),
        ("有车: 是 → 成立", 4),
        ("成员 乙（配偶）", 4),
        ("有家庭成员（有车） = 是（计入: 甲（申请人））", 4),
        ("「有家庭成员（有车）」成立（此条要求其不成立）", 10),
    ]
    assert member_whys(steps) == []  # read as `any` wanted true: 是 held
    senses = wanted(
        [("not", ("node", (("ref", "有车"),), ("agg", "any", "有家庭成员（有车）", 4)))], {}
    )
    assert member_whys(steps, wants=senses) == ["甲（申请人）: 有车: 是 → 成立"]


# ---- --explain of a rule paid each member (finding 6) ----------------------------------------


def test_explain_traces_the_household_condition_once(
    policies: PolicyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    policies.compile(RULES, DECLARATIONS)
    case = {
        "policy": "测试〔2023〕1号",
        "on": "2024-03-01",
        "period": "2024-03",
        "members": {name: {"role": role, "inputs": {}} for name, role in EVERYONE.items()},
    }
    path = policies.folder / "case.json"
    path.write_text(json.dumps(case, ensure_ascii=False), "utf-8")
    assert main(["run", str(policies.folder / "p.policy"), "--case", str(path), "--explain"]) == 0
    out = capsys.readouterr().out
    # 符合条件 (all(本市户籍) and not 有不予认定情形) is the household's: evaluated for 低保, then
    # cited by 每人 — not traced again for each of its three members
    # 全户籍's, 非全户籍's and 符合条件's: before, 每人 traced it once more for each member
    assert out.count("家庭成员均（本市户籍） = 是") == 3
    each = out.split("  ✘ 每人 — 不适用")[1]
    assert each.count("符合条件 = 是") == 1
    assert "家庭成员均（本市户籍）" not in each
    # all(本市户籍) reads a yes/no bare: no member has a step of its own, so no member heading
    whole = out.split("  ✔ 全户籍")[1].split("  ✔ ")[0]
    assert (
        "家庭成员均（本市户籍） = 是（计入: 王芳（申请人）、李强（配偶）、李小明（子女））" in whole
    )
    assert "· 成员 " not in whole


def test_explained_steps_leaves_out_a_member_heading_with_nothing_under_it() -> None:
    from policyc.people_report import explained_steps
    from policyc.runtime.results import Step

    steps = [
        Step("成员 甲（申请人）", 3),
        Step("成员 乙（配偶）", 3),
        Step("存款 超过50000元（不含本数）: 6万元 对 5万元 → 成立", 3),
        Step("有家庭成员（存款 超过50000元） = 是（计入: 乙（配偶））", 3),
        Step("成员 甲（申请人）", 9),  # a rule paid each member: its own part follows
        Step("条件不成立: 就业", 10),
        Step("成员 乙（配偶）", 9),  # the last step: nothing under it
    ]
    assert [s.text for s in explained_steps(steps)] == [
        "成员 乙（配偶）",
        "存款 超过50000元（不含本数）: 6万元 对 5万元 → 成立",
        "有家庭成员（存款 超过50000元） = 是（计入: 乙（配偶））",
        "成员 甲（申请人）",
        "条件不成立: 就业",
    ]


def test_household_defines_are_those_reading_no_member_value(policies: PolicyFactory) -> None:
    from policyc.compiler.codegen import household_defines

    extra = (
        'define 本人就业 = 就业 and 本市户籍 "成员本人"\n'
        'define 本人可领 = 本人就业 and 无车户 "成员本人且家庭无车"\n'
        'define 已领 = amount_of(每人) 超过 0 元 "已领取"\n'
    )
    policy = policies.compile(RULES, DECLARATIONS + extra)
    found = household_defines(policy.checked)
    assert {"无车户", "有不予认定情形", "符合条件"} <= found
    # a member's own input, through another define, or a rule's amount (a member's own where
    # one is in view): valued per member
    assert not found & {"本人就业", "本人可领", "已领"}


def test_the_web_result_names_the_same_member(policy: CompiledPolicy, tmp_path: Path) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from policyc.member_why import case_no_answers
    from policyc.serve.evaluate import evaluate
    from policyc.serve.web import _result_view

    case = {
        "policy": "测试〔2023〕1号",
        "on": "2024-03-01",
        "period": "2024-03",
        "members": {
            "王芳": {"role": "申请人", "inputs": {"就业": True}},
            "李强": {"role": "配偶", "inputs": {"有车": True}},
        },
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case, ensure_ascii=False), "utf-8")
    loaded = load_case(path, policy.checked)
    document = evaluate(policy, loaded, "case", explain=True)
    _result_view(policy, document, case_no_answers(policy, loaded.inputs, {}))
    by_rule = {r["rule"]: r["member_whys"] for r in document["results"]}
    assert by_rule["低保"] == ["并非「有不予认定情形」 → 不成立", "李强（配偶）: 有车 是"]
    assert by_rule["每人"] == ["李强（配偶）: 有车 是"]  # once, though both members were tried
    assert by_rule["全户籍"] == []  # it applies


def test_a_define_evaluated_first_by_a_decision_is_read_there(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    # 可认定 evaluates 符合条件 before 低保, which then only cites `符合条件 = 否`: its member
    # is read from the decision's steps, in 低保's sense (李强 is not 本市户籍; 王芳 and 李小明
    # are, and are not named)
    decided = '  decide 可认定 = 符合条件 "是否可认定"\n'
    policy = policies.compile(decided + RULES, DECLARATIONS)
    found = whys(policy, tmp_path, 李强={"本市户籍": False})
    assert found["低保"] == ["李强（配偶）: 本市户籍 否"]
    assert found["每人"] == ["李强（配偶）: 本市户籍 否"]
    assert whys(policy, tmp_path, 王芳={"就业": True})["低保"] == ["适用"]


def test_the_web_trace_has_no_member_heading_carrying_nothing(
    policy: CompiledPolicy, tmp_path: Path
) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from policyc.serve.evaluate import evaluate
    from policyc.serve.web import _result_view

    case = {
        "policy": "测试〔2023〕1号",
        "on": "2024-03-01",
        "period": "2024-03",
        "members": {"王芳": {"role": "申请人", "inputs": {"存款": 60000}}},
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case, ensure_ascii=False), "utf-8")
    document = evaluate(policy, load_case(path, policy.checked), "case", explain=True)
    _result_view(policy, document)
    (low,) = [r for r in document["results"] if r["rule"] == "低保"]
    texts = [step["text"] for step in low["trace"]]
    # all(本市户籍) and any(有车) read yes/no inputs bare: no heading; 存款 超过 50000元 is 王芳's
    # own step, under her heading
    assert texts.count("成员 王芳（申请人）") == 1
    at = texts.index("成员 王芳（申请人）")
    assert texts[at + 1].startswith("存款 超过50000元（不含本数）: 60,000元")
    assert low["member_whys"] == [
        "并非「有不予认定情形」 → 不成立",
        "王芳（申请人）: 存款 超过50000元（不含本数）: 60,000元（6万元） 对 50,000元（5万元） → 成立",
    ]


def test_an_or_names_the_part_it_was_settled_on_first(
    policy: CompiledPolicy, tmp_path: Path
) -> None:
    # nobody is 就业, nobody 有车: both any(…) fail, every member is why; 有车, evaluated last
    # (the part the 或 was settled on), comes first
    found = whys(policy, tmp_path, 李小明={"本市户籍": False})
    assert found["就业或有车"] == [
        "王芳（申请人）: 有车 否",
        "李强（配偶）: 有车 否",
        "李小明（子女）: 有车 否",
        "王芳（申请人）: 就业 否",
        "李强（配偶）: 就业 否",
        "李小明（子女）: 就业 否",
    ]
    assert whys(policy, tmp_path, 李小明={"有车": True})["就业或有车"] == ["适用"]
