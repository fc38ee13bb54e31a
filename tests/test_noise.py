"""天政办函〔2023〕1号 (noise-control duties): every listed behaviour is routed to the unit the
notice names, the place rule splits 市城市管理执法局 from the townships, cooperation stays apart
from investigation, complaints are transferred or handled in-house, and a behaviour the notice
does not list is refused. The expected units below are read from the notice by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.evaluation import RuleResult

REPO = Path(__file__).parent.parent
POLICY = REPO / "policies" / "tzbh-2023-1.policy"
ON = date(2023, 6, 30)
ROUTED_KINDS = {"查处", "监管"}

# behaviour -> (clause, rule, unit), for behaviours whose unit does not depend on the place
FIXED: dict[str, tuple[str, str, str]] = {
    "敏感区新建改扩建工业企业": ("一", "查处敏感区新建改扩建工业企业", "市生态环境局"),
    "无排污许可证排放工业噪声": ("一", "查处无证或超标排放工业噪声", "市生态环境局"),
    "超标排放工业噪声": ("一", "查处无证或超标排放工业噪声", "市生态环境局"),
    "工业噪声自行监测违规": ("一", "查处工业噪声自行监测违规", "市生态环境局"),
    "噪声自动监测设备违规": ("一", "查处噪声自动监测设备违规", "市生态环境局"),
    "超标排放建筑施工噪声": ("一", "查处超标排放建筑施工噪声", "市生态环境局"),
    "阻碍噪声污染防治执法": ("二", "查处阻碍噪声污染防治执法", "市公安局"),
    "警报器安装使用违规": ("二", "监管警报器安装使用", "市公安局"),
    "乘坐公共交通工具产生噪声": ("二", "监管日常活动噪声", "市公安局"),
    "饲养宠物产生噪声": ("二", "监管日常活动噪声", "市公安局"),
    "其他日常活动产生噪声": ("二", "监管日常活动噪声", "市公安局"),
    "改装机动车轰鸣疾驶": ("二", "查处改装机动车和违规使用声响装置", "市公安局"),
    "机动车违规使用声响装置": ("二", "查处改装机动车和违规使用声响装置", "市公安局"),
    "违反禁行禁鸣路段时间规定": ("二", "查处改装机动车和违规使用声响装置", "市公安局"),
    "敏感区使用高音广播喇叭": ("二", "查处敏感区使用高音广播喇叭", "市公安局"),
    "公共场所活动音量过大": ("二", "查处公共场所活动音量过大", "市公安局"),
    "室内装修噪声污染": ("二", "查处室内装修噪声", "市公安局"),
    "隔声设计不符合标准": ("四", "查处隔声设计不符合标准", "市住建局"),
    "禁建区新建噪声敏感建筑物": ("四", "查处禁建区新建噪声敏感建筑物", "市住建局"),
    "噪声污染防治费未列入工程造价": ("四", "查处噪声污染防治费未列入工程造价", "市住建局"),
    "施工未采取降噪措施": ("四", "查处施工未采取降噪措施", "市住建局"),
    "施工噪声自动监测违规": ("四", "查处施工噪声自动监测违规", "市住建局"),
    "连续施工未公告": ("四", "查处连续施工未公告", "市住建局"),
    "共用设施设备设置不合理": ("四", "查处共用设施设备设置不合理", "市住建局"),
    "夜间无证明施工": ("四", "查处夜间无证明施工", "市住建局"),
    "公路降噪设施未维护": ("五", "查处公路降噪设施未维护", "市交通运输局"),
    "车站码头噪声污染": ("五", "查处车站码头噪声污染", "市交通运输局"),
    "其他交通运输噪声": ("五", "查处其他交通运输噪声", "市交通运输局"),
    "未公示住房噪声影响": ("八", "监管未公示住房噪声影响", "市住房保障服务中心"),
    "未明确共用设施位置或隔声情况": (
        "八",
        "监管未明确共用设施位置或隔声情况",
        "市住房保障服务中心",
    ),
    "共用设施设备未维护管理": ("八", "监管共用设施设备未维护管理", "市住房保障服务中心"),
    "产销超过噪声限值的产品": ("九", "查处超过噪声限值产品和淘汰设备工艺", "市市场监督管理局"),
    "淘汰设备或工艺": ("九", "查处超过噪声限值产品和淘汰设备工艺", "市市场监督管理局"),
    "无照经营": ("九", "查处无照经营", "市市场监督管理局"),
}
CITY, TOWN = "市城市管理执法局", "各乡镇办场"
# behaviour -> (clause, rule) for 市城市管理执法局 and for the townships
BY_PLACE: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "超标排放社会生活噪声": (
        ("七", "城管查处超标排放社会生活噪声"),
        ("十", "乡镇查处超标排放社会生活噪声"),
    ),
    "商业广告高音喇叭": (("七", "城管查处商业广告高音喇叭"), ("十", "乡镇查处商业广告高音喇叭")),
    "商业经营其他噪声": (("七", "城管查处商业经营其他噪声"), ("十", "乡镇查处商业经营其他噪声")),
    "文化娱乐场所边界噪声超标": (
        ("六", "文化娱乐场所边界噪声由城管查处"),
        ("六", "文化娱乐场所边界噪声由乡镇查处"),
    ),
}
# place -> is it 市城市管理执法局's, under the readings taken / under both 城管执法 options
PLACES = {
    "建成区主次干道及两侧": (True, True),
    "建成区背街小巷": (False, True),
    "集镇主次干道及两侧": (False, True),
    "其他区域": (False, False),
}
CITY_READINGS = {"背街小巷归属": "城管执法", "集镇主次干道归属": "城管执法"}


@pytest.fixture(scope="module")
def policy() -> CompiledPolicy:
    return compile_policy(POLICY)


def evaluate(
    policy: CompiledPolicy, readings: dict[str, str] | None = None, **inputs: Any
) -> dict[str, RuleResult]:
    return {r.info.name: r for r in policy.evaluate(inputs, ON, readings)}


def routed(results: dict[str, RuleResult]) -> list[RuleResult]:
    """The investigation or supervision rules that apply."""
    return [r for r in results.values() if r.info.kind in ROUTED_KINDS and r.status == "applies"]


def only_route(results: dict[str, RuleResult]) -> tuple[str, str, tuple[str, ...]]:
    found = routed(results)
    assert len(found) == 1, [r.info.name for r in found]
    info = found[0].info
    return info.owner_number, info.name, info.responsible


def policyc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_the_tables_cover_every_listed_behaviour(policy: CompiledPolicy) -> None:
    assert set(policy.checked.enums["噪声违法行为"]) == set(FIXED) | set(BY_PLACE)


@pytest.mark.parametrize("behaviour", sorted(FIXED))
@pytest.mark.parametrize("place", [None, "建成区主次干道及两侧", "其他区域"])
def test_each_behaviour_goes_to_its_unit_wherever_it_happens(
    policy: CompiledPolicy, behaviour: str, place: str | None
) -> None:
    clause, rule, unit = FIXED[behaviour]
    inputs: dict[str, Any] = {"行为": behaviour} | ({"地点": place} if place else {})
    results = evaluate(policy, **inputs)
    assert only_route(results) == (clause, rule, (unit,))
    assert results["承办单位"].value == unit


@pytest.mark.parametrize("behaviour", sorted(BY_PLACE))
@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("city_readings", [False, True])
def test_place_splits_the_city_enforcers_from_the_townships(
    policy: CompiledPolicy, behaviour: str, place: str, city_readings: bool
) -> None:
    is_city = PLACES[place][city_readings]
    (clause, rule), unit = (
        (BY_PLACE[behaviour][0], CITY) if is_city else (BY_PLACE[behaviour][1], TOWN)
    )
    results = evaluate(policy, CITY_READINGS if city_readings else None, 行为=behaviour, 地点=place)
    assert only_route(results) == (clause, rule, (unit,))
    assert results["承办单位"].value == unit


@pytest.mark.parametrize("behaviour", sorted(BY_PLACE))
def test_without_a_place_the_split_is_undetermined(policy: CompiledPolicy, behaviour: str) -> None:
    results = evaluate(policy, 行为=behaviour)
    assert routed(results) == []
    for _, rule in BY_PLACE[behaviour]:
        assert results[rule].status == "undetermined"
        assert results[rule].missing == ("地点",)
    assert results["承办单位"].status == "undetermined"


def test_look_alike_pairs(policy: CompiledPolicy) -> None:
    def unit(behaviour: str, **more: Any) -> tuple[str, ...]:
        return only_route(evaluate(policy, 行为=behaviour, **more))[2]

    assert unit("超标排放建筑施工噪声") == ("市生态环境局",)  # construction noise over the standard
    assert unit("夜间无证明施工") == ("市住建局",)  # night construction without the certificate
    assert unit("施工未采取降噪措施") == ("市住建局",)
    assert unit("商业广告高音喇叭", 地点="建成区主次干道及两侧") == (CITY,)  # shop loudspeaker
    assert unit("商业广告高音喇叭", 地点="其他区域") == (TOWN,)
    assert unit("敏感区使用高音广播喇叭", 地点="建成区主次干道及两侧") == ("市公安局",)
    assert unit("改装机动车轰鸣疾驶", 地点="建成区主次干道及两侧") == (
        "市公安局",
    )  # modified exhaust
    assert unit("超标排放社会生活噪声", 地点="建成区主次干道及两侧") == (CITY,)
    assert unit("公共场所活动音量过大", 地点="建成区主次干道及两侧") == (
        "市公安局",
    )  # square dance
    assert unit("共用设施设备设置不合理") == ("市住建局",)  # a lift badly installed
    assert unit("共用设施设备未维护管理") == ("市住房保障服务中心",)  # a lift not maintained


def test_shop_loudspeaker_reading_both_sides(policy: CompiledPolicy) -> None:
    police = {"商业高音喇叭": "公安条款"}
    base = {"行为": "商业广告高音喇叭", "地点": "建成区主次干道及两侧"}
    inside = evaluate(policy, police, 在噪声敏感建筑物集中区域=True, **base)
    assert only_route(inside)[1:] == ("查处敏感区使用高音广播喇叭", ("市公安局",))
    outside = evaluate(policy, police, 在噪声敏感建筑物集中区域=False, **base)
    assert only_route(outside)[1:] == ("城管查处商业广告高音喇叭", (CITY,))
    taken = evaluate(policy, None, 在噪声敏感建筑物集中区域=True, **base)  # 商业条款
    assert only_route(taken)[1:] == ("城管查处商业广告高音喇叭", (CITY,))


def test_venue_noise_reading_both_sides(policy: CompiledPolicy) -> None:
    taken = evaluate(policy, 行为="文化娱乐场所边界噪声超标", 地点="其他区域")
    assert only_route(taken)[2] == (TOWN,)
    other = evaluate(policy, {"娱乐场所边界噪声": "生态环境"}, 行为="文化娱乐场所边界噪声超标")
    assert only_route(other)[1:] == ("文化娱乐场所边界噪声由生态环境局查处", ("市生态环境局",))
    assert other["承办单位"].value == "市生态环境局"


def test_cooperation_is_not_investigation(policy: CompiledPolicy) -> None:
    culture = "市文旅局"  # the registry's name for 市文化和旅游局
    results = evaluate(policy, 行为="文化娱乐场所边界噪声超标", 地点="建成区主次干道及两侧")
    [venue] = routed(results)
    assert venue.info.responsible == (CITY,) and venue.info.cooperates == (culture,)
    for r in results.values():
        if r.info.kind in ROUTED_KINDS:
            assert culture not in r.info.responsible
    assert results["文化经营许可噪声把关"].info.responsible == (culture,)
    spot = results["噪声限值产品抽查和特种设备噪声抽测"].info
    assert (spot.responsible, spot.cooperates) == (("市市场监督管理局",), ("市生态环境局",))
    zones = results["划定禁行禁鸣路段和时间"].info
    assert (zones.responsible, zones.cooperates) == (("市生态环境局",), ("市公安局",))
    industrial = evaluate(policy, 行为="超标排放工业噪声")["查处无证或超标排放工业噪声"].info
    assert industrial.cooperates == ()


def test_every_routed_rule_names_the_noise_law_but_unlicensed_business(
    policy: CompiledPolicy,
) -> None:
    law = "《中华人民共和国噪声污染防治法》"
    for info in policy.rules:
        if info.kind in ROUTED_KINDS:
            assert info.law == ("" if info.name == "查处无照经营" else law), info.name


def test_standing_duties_always_apply_with_their_unit(policy: CompiledPolicy) -> None:
    results = evaluate(policy, 行为="无照经营")
    duties = [r for r in results.values() if r.info.kind == "职责"]
    assert {r.info.owner_number for r in duties} == {"一", "二", "三", "四", "五", "六", "九"}
    for r in duties:
        assert r.status == "applies" and r.info.responsible, r.info.name


@pytest.mark.parametrize(
    ("received_by", "readings", "handled"),
    [
        ("市城市管理执法局", None, "自办"),
        ("市公安局", None, "转办"),
        ("市文化和旅游局", None, "转办"),
        ("市文化和旅游局", {"转办或自办": "配合单位亦可自办"}, "自办"),
        ("其他部门", {"转办或自办": "配合单位亦可自办"}, "转办"),
    ],
)
def test_transfer_or_handle_in_house(
    policy: CompiledPolicy, received_by: str, readings: dict[str, str] | None, handled: str
) -> None:
    inputs = {
        "行为": "文化娱乐场所边界噪声超标",
        "地点": "建成区主次干道及两侧",
        "收件单位": received_by,
    }
    results = evaluate(policy, readings, **inputs)
    other = "转办" if handled == "自办" else "自办"
    assert (results[handled].status, results[other].status) == ("applies", "not_applicable")


def test_handling_without_the_receiving_unit_is_undetermined(policy: CompiledPolicy) -> None:
    results = evaluate(policy, 行为="无照经营")
    assert results["自办"].status == results["转办"].status == "undetermined"
    assert results["自办"].missing == ("收件单位",)


def test_the_procedures_carry_their_steps(policy: CompiledPolicy) -> None:
    infos = {info.name: info for info in policy.rules}
    [(name, _, steps)] = infos["转办"].procedures
    assert name == "转办" and steps[0] == "填写转办函" and steps[-1] == "按期反馈处理结果"
    assert any("督促被转单位" in s for s in steps)
    [(name, _, steps)] = infos["自办"].procedures
    assert name == "自办" and steps[0] == "成立投诉举报核实小组" and steps[-1] == "按期反馈处理结果"
    channels = " ".join(infos["市外热线"].procedures[0][2])
    assert "0728-4812345" in channels and "12345" in channels and "市长信箱" in channels


def test_hotline_by_where_the_caller_is(policy: CompiledPolicy) -> None:
    inside = evaluate(policy, 行为="无照经营", 投诉人所在地="市内")
    outside = evaluate(policy, 行为="无照经营", 投诉人所在地="市外")
    assert (inside["市内热线"].status, inside["市外热线"].status) == ("applies", "not_applicable")
    assert (outside["市内热线"].status, outside["市外热线"].status) == ("not_applicable", "applies")
    assert "0728-4812345" in outside["市外热线"].info.grants


def test_run_json_answers_unit_item_cooperation_and_steps() -> None:
    case = REPO / "examples" / "tzbh-2023-1" / "06-venue-main-road.yaml"
    done = policyc("run", str(POLICY), "--case", str(case), "--format", "json")
    assert done.returncode == 0, done.stderr
    results = {r["rule"]: r for r in json.loads(done.stdout)["results"]}
    assert results["承办单位"]["value"] == CITY
    venue = results["文化娱乐场所边界噪声由城管查处"]
    assert venue["status"] == "applies" and venue["clause"] == "六"
    assert venue["quotes"][0] == "2.配合查处文化娱乐场所边界噪声超标排放行为。"
    assert venue["responsible"] == [CITY] and venue["cooperates"] == ["市文旅局"]
    assert results["转办"]["status"] == "applies"
    assert results["转办"]["procedures"][0]["steps"][0] == "填写转办函"


@pytest.mark.parametrize(
    ("behaviour", "close"),
    [
        # aircraft noise: no unit of the notice has it (市交通运输局's transport noise is 公路、
        # 水路、港口 and stations; 民用机场 appears only in 市自然资源和规划局's planning duty)
        ("超标排放航空器噪声", "`超标排放工业噪声`"),
        # using an over-limit product: (九)2 lists 生产、进口、销售 for such products, 使用 only
        # for 淘汰的设备
        ("使用超过噪声限值的产品", "`产销超过噪声限值的产品`"),
    ],
)
def test_an_unlisted_behaviour_is_refused_naming_close_kinds(
    tmp_path: Path, behaviour: str, close: str
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(f"on: 2023-06-30\ninputs:\n  行为: {behaviour}\n", encoding="utf-8")
    done = policyc("run", str(POLICY), "--case", str(case))
    assert done.returncode == 2
    assert f"got `{behaviour}`; did you mean" in done.stderr and close in done.stderr
    assert "Traceback" not in done.stderr
