"""Tasks, targets, decisions, ordered enums, daily series, procedures and references."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import check_references, compile_policy
from policyc.runtime.quantity import Quantity
from tests.conftest import QUOTE, PolicyFactory

ON = date(2023, 6, 30)

LEVELS = """
enum 预警级别 ordered { 无, 黄色, 橙色, 红色 }
input 预测日AQI: AQI series optional
input 区域预警: 预警级别 default 无
decide 城市级别 = if longest_run(预测日AQI 超过 200 AQI) 不少于 72 小时 then 红色
    else if longest_run(预测日AQI 超过 200 AQI) 不少于 48 小时 then 橙色
    else if highest(预测日AQI) 超过 200 AQI then 黄色 else 无 "城市预警"
decide 响应 = max(城市级别, 区域预警) "不低于区域预警"
"""


def aqi(*values: int) -> tuple[Quantity, ...]:
    return tuple(Quantity.of(v, "AQI") for v in values)


def results(policy, inputs, on=ON):  # type: ignore[no-untyped-def]
    return {r.info.name: r for r in policy.evaluate(inputs, on)}


@pytest.mark.parametrize(
    ("forecast", "level"),
    [
        ((200, 200, 200), "无"),  # 超过 excludes 200
        ((201, 150, 150), "黄色"),
        ((201, 201, 150), "橙色"),  # two days in a row = 48 hours
        ((201, 150, 201), "黄色"),  # not in a row
        ((201, 201, 201), "红色"),
    ],
)
def test_a_decision_from_a_daily_series(policies: PolicyFactory, forecast, level):  # type: ignore[no-untyped-def]
    policy = policies.compile('  rule r { when 响应 >= 黄色 grants "措施" }', LEVELS)
    decided = results(policy, {"预测日AQI": aqi(*forecast), "区域预警": "无"})
    assert decided["城市级别"].status == "decided"
    assert decided["城市级别"].value == level
    assert decided["r"].status == ("not_applicable" if level == "无" else "applies")


def test_ordered_floor_and_ranked_comparison(policies: PolicyFactory):
    policy = policies.compile('  rule 橙色以上 { when 响应 >= 橙色 grants "措施" }', LEVELS)
    low_city = {"预测日AQI": aqi(120), "区域预警": "橙色"}
    out = results(policy, low_city)
    assert (out["城市级别"].value, out["响应"].value) == ("无", "橙色")
    assert out["橙色以上"].status == "applies"
    out = results(policy, {"预测日AQI": aqi(201, 201, 201), "区域预警": "黄色"})
    assert out["响应"].value == "红色"  # red is above the yellow floor


def test_a_decision_without_its_input_is_undetermined(policies: PolicyFactory):
    policy = policies.compile('  rule r { when 响应 >= 黄色 grants "措施" }', LEVELS)
    out = results(policy, {"区域预警": "无"})
    assert out["城市级别"].status == "undetermined"
    assert out["城市级别"].missing == ("预测日AQI",)
    assert out["r"].status == "undetermined"


def test_comparing_an_unordered_enum_is_an_error(policies: PolicyFactory):
    body = policies.clause(
        '  rule r { when 类型 >= 甲 grants "x" }', "enum 类型 { 甲, 乙 }\ninput 类型: 类型\n"
    )
    with pytest.raises(PolicyError, match="`类型` is not ordered"):
        compile_policy(policies.write(body))


TARGETS = f"""
section 二 "重点工作" {{
  lead 市商务局
  target 增速 about 7.5 % within 0.5 % "地区生产总值增速"
  task 24 {{
    {QUOTE}
    lead 市商务局
    responsible 市财政局 etc
    target 新增企业 不少于 30 家
    target 占比 90 % 以上
  }}
}}
"""


@pytest.mark.parametrize(
    ("name", "value", "status"),
    [
        ("新增企业", Quantity.of(29, "家"), "not_met"),
        ("新增企业", Quantity.of(30, "家"), "met"),
        ("新增企业", Quantity.of(31, "家"), "met"),
        ("占比", Quantity.of(Decimal("0.8999"), ""), "not_met"),
        ("占比", Quantity.of(Decimal("0.9"), ""), "met"),
        ("增速", Quantity.of(Decimal("0.0699"), ""), "not_met"),
        ("增速", Quantity.of(Decimal("0.07"), ""), "met"),
        ("增速", Quantity.of(Decimal("0.08"), ""), "met"),
        ("增速", Quantity.of(Decimal("0.0801"), ""), "not_met"),
    ],
)
def test_targets_on_both_sides(policies: PolicyFactory, name: str, value: Quantity, status: str):
    policy = compile_policy(policies.write(TARGETS))
    out = results(policy, {name: value})
    assert out[name].status == status
    assert out[name].value == value
    others = [n for n in ("新增企业", "占比", "增速") if n != name]
    assert all(out[n].status == "not_reported" for n in others)


def test_target_and_task_carry_their_units(policies: PolicyFactory):
    policy = compile_policy(policies.write(TARGETS))
    info = {r.name: r for r in policy.rules}
    assert info["新增企业"].leads == ("市商务局",)
    assert info["新增企业"].responsible == ("市财政局",)
    assert info["新增企业"].owner_kind == "task"
    assert info["新增企业"].target == "不少于30家（含本数）"
    assert info["增速"].target == "7.5%左右（±0.5%）"
    assert policy.checked.file.sections[0].clauses[0].open_list is True


def test_procedures_and_cooperation(policies: PolicyFactory):
    body = policies.clause(
        '  rule 查处 { kind 查处 responsible 市商务局 cooperates 市财政局 law "《噪声法》" follows 转办 }',
        'procedure 转办 "转办" { step "填写转办函" step "按期反馈" }\n',
    )
    policy = compile_policy(policies.write(body))
    (result,) = policy.evaluate({}, ON)
    assert result.status == "applies"
    assert result.info.cooperates == ("市财政局",)
    assert result.info.procedures == (("转办", "转办", ("填写转办函", "按期反馈")),)
    bad = policies.clause("  rule 查处 { responsible 市商务局 follows 自办 }")
    with pytest.raises(PolicyError, match="unknown procedure `自办`"):
        compile_policy(policies.write(bad, "bad.policy"))


def test_references_resolve_across_documents(policies: PolicyFactory):
    first = compile_policy(policies.write(policies.clause('  rule r { grants "x" }'), "a.policy"))
    header = (policies.folder / "a.policy").read_text(encoding="utf-8").split("}\n", 1)[0] + "}\n"
    other = header.replace("测试〔2023〕1号", "测试〔2023〕2号")
    body = f'clause 一 "t" {{\n  {QUOTE}\n  refers "测试〔2023〕1号" clause 七\n  refers "测试〔2023〕1号" clause 九\n  refers "天政发〔2099〕1号"\n  rule s {{ grants "y" }}\n}}\n'
    second = compile_policy(policies.write(body, "b.policy", header=other))
    problems = [d.message for d in check_references([first.checked, second.checked])]
    assert problems == [
        "测试〔2023〕1号 has no clause 九",
        "`天政发〔2099〕1号` is not a loaded policy",
    ]


def test_dotted_numbers_and_an_open_ended_validity(policies: PolicyFactory):
    header = (
        'policy "测试〔2023〕5号" {\n    title "t"\n    valid from 2023-01-18\n'
        '    source "source.txt" lines 1 to 3\n    units from "units.policy"\n}\n'
    )
    body = f'section 4 "应急响应" {{\n  clause 4.3.1 "Ⅲ级响应措施" {{\n    {QUOTE}\n    rule r {{ responsible 市商务局 }}\n  }}\n}}\n'
    policy = compile_policy(policies.write(body, header=header))
    assert [c.number for c in policy.checked.file.all_clauses()] == ["4.3.1"]
    assert policy.checked.valid_until is None
    assert policy.evaluate({}, date(2023, 1, 17))[0].status == "not_in_force"
    assert policy.evaluate({}, date(2043, 1, 17))[0].status == "applies"


def test_the_floor_shows_in_the_trace_and_an_empty_series_is_refused(
    policies: PolicyFactory, tmp_path
):  # type: ignore[no-untyped-def]
    from policyc.cases import load_case
    from policyc.compiler.errors import InputError

    policy = policies.compile('  rule r { when 响应 >= 黄色 grants "措施" }', LEVELS)
    out = {
        r.info.name: r
        for r in policy.evaluate({"预测日AQI": aqi(120), "区域预警": "橙色"}, ON, explain=True)
    }
    assert any("无 与 橙色 取较高者 → 橙色" in s.text for s in out["响应"].steps)
    case = tmp_path / "c.yaml"
    case.write_text("inputs: {预测日AQI: []}\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected at least one value"):
        load_case(case, policy.checked)


def test_one_sided_about_and_the_section_lead_of_a_task(policies: PolicyFactory):
    body = f"""section 六 "稳岗就业" {{
  lead 市商务局
  refers task 41 of "测试〔2023〕1号"
  target 失业率 不超过 5.5 % within 0.5 %
  task 19 {{
    {QUOTE}
    responsible 市财政局
    target 新增就业 不少于 1.5 万人
  }}
}}
"""
    policy = compile_policy(policies.write(body))
    info = {r.name: r for r in policy.rules}
    assert info["失业率"].target == "不超过5.5%（含本数；左右，容差0.5%）"
    assert info["新增就业"].leads == ("市商务局",)  # the task has none of its own
    assert policy.checked.references[0][1].kind == "task"

    def status(value: str) -> str:
        return results(policy, {"失业率": Quantity.of(Decimal(value), "")})["失业率"].status

    assert [status(v) for v in ("0.06", "0.0601", "0.04")] == ["met", "not_met", "met"]
