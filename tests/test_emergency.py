"""天政办发〔2023〕2号 (heavy-pollution emergency plan): warning levels from the forecast on both
sides of every threshold and duration, the regional floor, approvals, reduction ratios by primary
pollutant, measures that accumulate from Ⅲ to Ⅰ, downgrading and lifting (35 against 36 hours),
and the declared readings. Every expected value is read from the plan by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from policyc.cases import load_case
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.evaluation import RuleResult, show_value
from policyc.runtime.quantity import Quantity

REPO = Path(__file__).parent.parent
POLICY = REPO / "policies" / "tzbf-2023-2.policy"
EXAMPLES = REPO / "examples" / "tzbf-2023-2"
ON = date(2023, 12, 1)
MEASURE_KINDS = ("健康防护措施", "倡议性减排措施", "强制性减排措施")
LEVELS = ("无", "黄色", "橙色", "红色")
RESPONSE = {"无": "未启动", "黄色": "Ⅲ", "橙色": "Ⅱ", "红色": "Ⅰ"}
# One forecast per city level (3.3): none, a day over 200, two days over 200, red.
CITY = {"无": [100], "黄色": [201], "橙色": [201, 201], "红色": [201, 301, 201]}


@pytest.fixture(scope="module")
def policy() -> CompiledPolicy:
    return compile_policy(POLICY)


def run(
    policy: CompiledPolicy,
    aqi: list[int],
    readings: dict[str, str] | None = None,
    hours: int | None = None,
    **inputs: Any,
) -> dict[str, RuleResult]:
    values: dict[str, Any] = {
        "预测日AQI": tuple(Quantity.of(v, "AQI") for v in aqi),
        "区域预警级别": "无",
        "现行预警级别": "无",
        "沙尘天气": False,
    }
    if hours is not None:
        values["改善预测持续时长"] = Quantity.of(hours, "小时")
    values.update(inputs)
    return {r.info.name: r for r in policy.evaluate(values, ON, readings)}


def shown(results: dict[str, RuleResult], name: str) -> str:
    result = results[name]
    assert result.status == "decided", (name, result.status, result.reason)
    return str(show_value(result.value))


def measures(results: dict[str, RuleResult]) -> set[str]:
    return {
        name
        for name, r in results.items()
        if r.info.kind.startswith(MEASURE_KINDS) and r.status == "applies"
    }


# ---- the example cases: decision values (expect: compares statuses only) ----

CASE_VALUES: dict[str, dict[str, str]] = {
    "01-yellow-201-one-day": {
        "城市预警级别": "黄色",
        "预测预警级别": "黄色",
        "预警调整": "发布",
        "预警级别": "黄色",
        "批准人": "副指挥长",
        "响应级别": "Ⅲ",
        "减排比例": "10%",
        "二氧化硫减排比例": "10%",
        "氮氧化物减排比例": "10%",
        "颗粒物减排比例": "10%",
        "挥发性有机物减排比例": "10%",
        "二氧化硫氮氧化物合计减排比例": "20%",
    },
    "02-none-200-preventive": {
        "城市预警级别": "无",
        "预警调整": "不发布",
        "预警级别": "无",
        "批准人": "无需批准",
        "响应级别": "未启动",
        "二氧化硫减排比例": "0%",
        "氮氧化物减排比例": "0%",
    },
    "03-yellow-151-two-days": {
        "城市预警级别": "黄色",
        "批准人": "副指挥长",
        "响应级别": "Ⅲ",
        "颗粒物减排比例": "10%",
    },
    "04-none-150-boundary": {"城市预警级别": "无", "响应级别": "未启动"},
    "05-orange-201-two-days": {
        "城市预警级别": "橙色",
        "批准人": "指挥长",
        "响应级别": "Ⅱ",
        "二氧化硫减排比例": "20%",
        "二氧化硫氮氧化物合计减排比例": "40%",
    },
    "06-orange-151-three-days-o3": {
        "城市预警级别": "橙色",
        "批准人": "指挥长",
        "响应级别": "Ⅱ",
        "二氧化硫减排比例": "0%",
        "氮氧化物减排比例": "20%",
        "颗粒物减排比例": "0%",
        "挥发性有机物减排比例": "20%",
        "二氧化硫氮氧化物合计减排比例": "0%",
    },
    "07-red-301": {
        "城市预警级别": "红色",
        "批准人": "指挥长",
        "响应级别": "Ⅰ",
        "减排比例": "30%",
        "二氧化硫氮氧化物合计减排比例": "60%",
    },
    "08-orange-300-boundary": {
        "城市预警级别": "橙色",
        "批准人": "指挥长",
        "响应级别": "Ⅱ",
        "颗粒物减排比例": "20%",
    },
    "09-red-300-outside-run": {
        "城市预警级别": "红色",
        "响应级别": "Ⅰ",
        "批准人": "指挥长",
        "颗粒物减排比例": "30%",
    },
    "10-red-300-outside-run-narrow-reading": {
        "城市预警级别": "橙色",
        "响应级别": "Ⅱ",
        "批准人": "指挥长",
    },
    "11-regional-floor": {
        "城市预警级别": "无",
        "预测预警级别": "橙色",
        "预警调整": "发布",
        "预警级别": "橙色",
        "批准人": "指挥长",
        "响应级别": "Ⅱ",
        "颗粒物减排比例": "20%",
    },
    "12-regional-below-city": {
        "城市预警级别": "红色",
        "预测预警级别": "红色",
        "预警级别": "红色",
        "响应级别": "Ⅰ",
        "批准人": "指挥长",
    },
    "13-yellow-o3": {
        "城市预警级别": "黄色",
        "响应级别": "Ⅲ",
        "批准人": "副指挥长",
        "氮氧化物减排比例": "10%",
        "挥发性有机物减排比例": "10%",
        "二氧化硫减排比例": "0%",
        "颗粒物减排比例": "0%",
        "二氧化硫氮氧化物合计减排比例": "0%",
    },
    "14-lift-36-hours": {
        "城市预警级别": "无",
        "预测预警级别": "无",
        "预警调整": "可解除",
        "预警级别": "黄色",
        "响应级别": "Ⅲ",
        "批准人": "副指挥长",
    },
    "15-no-lift-35-hours": {
        "预警调整": "维持",
        "预警级别": "黄色",
        "响应级别": "Ⅲ",
        "批准人": "无需批准",
    },
    "16-downgrade-red-to-orange": {
        "城市预警级别": "橙色",
        "预警调整": "可降级",
        "预警级别": "红色",
        "响应级别": "Ⅰ",
        "批准级别": "红色",
        "批准人": "指挥长",
    },
    "17-two-episodes-one-process": {
        "城市预警级别": "黄色",
        "预测预警级别": "黄色",
        "预警调整": "维持",
        "预警级别": "橙色",
        "响应级别": "Ⅱ",
        "批准人": "无需批准",
    },
    "18-upgrade-yellow-to-orange": {
        "城市预警级别": "橙色",
        "预警调整": "升级",
        "预警级别": "橙色",
        "响应级别": "Ⅱ",
        "批准级别": "橙色",
        "批准人": "指挥长",
    },
    "19-sand-dust": {"城市预警级别": "无", "响应级别": "未启动", "批准人": "无需批准"},
    "20-pollutant-not-given": {
        "城市预警级别": "黄色",
        "响应级别": "Ⅲ",
        "氮氧化物减排比例": "10%",
        "挥发性有机物减排比例": "10%",
    },
    "21-preventive-151": {"城市预警级别": "无", "响应级别": "未启动"},
    "22-red-96-hours": {"城市预警级别": "红色", "响应级别": "Ⅰ", "批准人": "指挥长"},
    "23-red-96-hours-exact-reading": {"城市预警级别": "橙色", "响应级别": "Ⅱ", "批准人": "指挥长"},
    "24-preventive-under-regional-warning": {
        "城市预警级别": "无",
        "预测预警级别": "黄色",
        "预警调整": "发布",
        "预警级别": "黄色",
        "响应级别": "Ⅲ",
        "批准人": "副指挥长",
    },
    "25-preventive-under-regional-warning-city-reading": {
        "城市预警级别": "无",
        "预测预警级别": "黄色",
        "预警级别": "黄色",
        "响应级别": "Ⅲ",
    },
}


def test_every_example_has_its_values_checked() -> None:
    assert {p.stem for p in EXAMPLES.glob("*.yaml")} == set(CASE_VALUES)


@pytest.mark.parametrize("stem", sorted(CASE_VALUES))
def test_example_decision_values(policy: CompiledPolicy, stem: str) -> None:
    case = load_case(EXAMPLES / f"{stem}.yaml", policy.checked)
    assert case.on is not None
    results = {r.info.name: r for r in policy.evaluate(case.inputs, case.on, case.readings)}
    assert {name: shown(results, name) for name in CASE_VALUES[stem]} == CASE_VALUES[stem]


# ---- 3.3 warning levels: thresholds and durations ----


@pytest.mark.parametrize(
    ("aqi", "level"),
    [
        ([200], "无"),  # 200 is not >200
        ([201], "黄色"),  # one day >200
        ([150, 150], "无"),
        ([150, 151], "无"),  # only 24 hours >150
        ([151, 151], "黄色"),  # 48 hours >150
        ([151], "无"),
        ([151, 151, 151], "橙色"),  # 72 hours >150
        ([151, 151, 150], "黄色"),
        ([201, 120], "黄色"),  # 1 day >200
        ([201, 201], "橙色"),  # 2 days >200
        ([201, 201, 201], "橙色"),  # 3 days >200, none >300
        ([201, 300, 201], "橙色"),  # 300 is not >300
        ([201, 301, 201], "红色"),  # 3 days >200 with a day >300
        ([301, 301], "橙色"),  # >300 but only 48 hours >200
        ([301], "黄色"),
        ([201, 201, 120, 201], "橙色"),  # runs do not add across a gap
        ([120, 201, 301, 201, 120], "红色"),
        ([100, 120, 140], "无"),
    ],
)
def test_city_level(policy: CompiledPolicy, aqi: list[int], level: str) -> None:
    assert shown(run(policy, aqi), "城市预警级别") == level


@pytest.mark.parametrize(
    ("days", "with_301", "level"),
    [
        (1, False, "黄色"),
        (2, False, "橙色"),
        (3, False, "橙色"),
        (2, True, "橙色"),
        (3, True, "红色"),
    ],
)
def test_one_two_three_days_over_200(
    policy: CompiledPolicy, days: int, with_301: bool, level: str
) -> None:
    aqi = [201] * days
    if with_301:
        aqi[-1] = 301
    assert shown(run(policy, [*aqi, 100]), "城市预警级别") == level


@pytest.mark.parametrize(
    ("aqi", "level", "part", "part_level"),
    [
        ([201, 201], "橙色", [201], "黄色"),
        ([151, 151, 151], "橙色", [151, 151], "黄色"),
        ([201, 301, 201], "红色", [201, 301], "橙色"),
        ([201, 301, 201], "红色", [301], "黄色"),
    ],
)
def test_not_reaching_a_higher_level_takes_the_highest_reached(
    policy: CompiledPolicy, aqi: list[int], level: str, part: list[int], part_level: str
) -> None:
    # a part of the forecast meets the lower standard on its own, so the whole forecast meets
    # it too; the level decided is the higher one, never both
    assert shown(run(policy, part), "城市预警级别") == part_level
    assert shown(run(policy, aqi), "城市预警级别") == level


def test_sand_dust_is_outside_the_plan(policy: CompiledPolicy) -> None:
    assert shown(run(policy, [250, 260, 240]), "城市预警级别") == "橙色"
    dust = run(policy, [250, 260, 240], 沙尘天气=True)
    assert shown(dust, "城市预警级别") == "无"
    assert dust["沙尘天气不纳入"].status == "applies"
    assert measures(dust) == set()


# ---- 3.3 preventive rule ----


@pytest.mark.parametrize(
    ("aqi", "status"),
    [
        ([150, 120], "not_applicable"),
        ([151, 120], "applies"),
        ([120, 190], "not_applicable"),  # only the next 24 hours count
        ([151, 151], "not_applicable"),  # already yellow
        ([200, 100], "applies"),
    ],
)
def test_preventive_measures(policy: CompiledPolicy, aqi: list[int], status: str) -> None:
    assert run(policy, aqi)["预防性临时管控"].status == status


def test_preventive_measures_under_a_regional_warning_depend_on_the_reading(
    policy: CompiledPolicy,
) -> None:
    assert run(policy, [151], 区域预警级别="黄色")["预防性临时管控"].status == "not_applicable"
    city_only = {"未达到黄色预警条件": "城市预测未达到"}
    assert run(policy, [151], city_only, 区域预警级别="黄色")["预防性临时管控"].status == "applies"


# ---- 3.4, 4.1 regional floor; 4.1 response; 3.5 approval ----


@pytest.mark.parametrize("city", LEVELS)
@pytest.mark.parametrize("region", LEVELS)
def test_regional_floor(policy: CompiledPolicy, city: str, region: str) -> None:
    results = run(policy, CITY[city], 区域预警级别=region, 首要污染物="颗粒物")
    higher = max(city, region, key=LEVELS.index)
    assert shown(results, "城市预警级别") == city
    assert shown(results, "预警级别") == higher
    assert shown(results, "响应级别") == RESPONSE[higher]
    approver = {"无": "无需批准", "黄色": "副指挥长", "橙色": "指挥长", "红色": "指挥长"}[higher]
    assert shown(results, "批准人") == approver


# ---- 4.2(1) reduction ratios by primary pollutant ----

RATIOS = ("二氧化硫减排比例", "氮氧化物减排比例", "颗粒物减排比例", "挥发性有机物减排比例")


@pytest.mark.parametrize(
    ("level", "particulates", "ozone"),
    [
        ("黄色", ("10%", "10%", "10%", "10%"), ("0%", "10%", "0%", "10%")),
        ("橙色", ("20%", "20%", "20%", "20%"), ("0%", "20%", "0%", "20%")),
        ("红色", ("30%", "30%", "30%", "30%"), ("0%", "30%", "0%", "30%")),
        ("无", ("0%", "0%", "0%", "0%"), ("0%", "0%", "0%", "0%")),
    ],
)
def test_reduction_ratios(
    policy: CompiledPolicy, level: str, particulates: tuple[str, ...], ozone: tuple[str, ...]
) -> None:
    pm = run(policy, CITY[level], 首要污染物="颗粒物")
    o3 = run(policy, CITY[level], 首要污染物="O3")
    assert tuple(shown(pm, r) for r in RATIOS) == particulates
    assert tuple(shown(o3, r) for r in RATIOS) == ozone


def test_so2_and_nox_together(policy: CompiledPolicy) -> None:
    assert shown(run(policy, [201], 首要污染物="颗粒物"), "二氧化硫氮氧化物合计减排比例") == "20%"
    single = {"二者比例之和": "单项比例"}
    assert (
        shown(run(policy, [201], single, 首要污染物="颗粒物"), "二氧化硫氮氧化物合计减排比例")
        == "10%"
    )
    assert shown(run(policy, [201], 首要污染物="O3"), "二氧化硫氮氧化物合计减排比例") == "0%"


def test_pollutant_is_needed_only_when_a_response_starts(policy: CompiledPolicy) -> None:
    quiet = run(policy, [120])
    assert shown(quiet, "二氧化硫减排比例") == "0%"
    yellow = run(policy, [201])
    assert yellow["二氧化硫减排比例"].status == "undetermined"
    assert yellow["二氧化硫减排比例"].missing == ("首要污染物",)
    assert shown(yellow, "氮氧化物减排比例") == "10%"


# ---- 4.3 measures: O3 against particulates; Ⅱ ⊇ Ⅲ and Ⅰ ⊇ Ⅱ ----


def test_o3_and_particulate_measures_differ_where_the_text_differs(policy: CompiledPolicy) -> None:
    pm, o3 = (
        measures(run(policy, [201], 首要污染物="颗粒物")),
        measures(run(policy, [201], 首要污染物="O3")),
    )
    assert pm - o3 == {"Ⅲ级扬尘源减排颗粒物", "施工扬尘禁止作业"}
    assert o3 - pm == {"Ⅲ级扬尘源减排臭氧", "Ⅲ级汽修停止喷漆臭氧"}
    o3_all = {"施工扬尘总体要求": "一律适用"}
    assert "施工扬尘禁止作业" in measures(run(policy, [201], o3_all, 首要污染物="O3"))


@pytest.mark.parametrize("pollutant", ["颗粒物", "O3"])
def test_measures_accumulate(policy: CompiledPolicy, pollutant: str) -> None:
    none, iii, ii, i = (measures(run(policy, CITY[lv], 首要污染物=pollutant)) for lv in LEVELS)
    assert none == set()
    assert iii < ii < i  # every measure of Ⅲ also applies at Ⅱ, and of Ⅱ at Ⅰ; each adds some
    assert {n for n in ii - iii if not n.startswith("Ⅱ级")} == set()
    assert {n for n in i - ii if not n.startswith("Ⅰ级")} == set()


def test_each_level_clause_starts_at_its_level(policy: CompiledPolicy) -> None:
    by_clause = {"4.3.1": "黄色", "4.3.2": "橙色", "4.3.3": "红色"}
    for clause, first in by_clause.items():
        for level in LEVELS:
            results = run(policy, CITY[level], 首要污染物="颗粒物")
            statuses = {
                r.status
                for r in results.values()
                if r.info.owner_number == clause and "臭氧" not in r.info.name
            }
            reached = LEVELS.index(level) >= LEVELS.index(first)
            assert statuses == ({"applies"} if reached else {"not_applicable"}), (clause, level)


# ---- 3.6 downgrade and lifting ----


@pytest.mark.parametrize(("hours", "adjust"), [(35, "维持"), (36, "可解除"), (72, "可解除")])
def test_lifting_needs_36_hours(policy: CompiledPolicy, hours: int, adjust: str) -> None:
    results = run(policy, [120, 110], hours=hours, 现行预警级别="橙色", 首要污染物="颗粒物")
    assert shown(results, "预警调整") == adjust
    assert results["解除预警"].status == ("applies" if adjust == "可解除" else "not_applicable")
    merged = "applies" if adjust == "维持" else "not_applicable"
    assert results["两次过程按一次计算"].status == merged
    assert shown(results, "预警级别") == "橙色"  # 维持现行 until the 指挥部 acts


@pytest.mark.parametrize(("hours", "adjust"), [(35, "维持"), (36, "可降级")])
def test_downgrade_needs_36_hours(policy: CompiledPolicy, hours: int, adjust: str) -> None:
    results = run(policy, [201, 120], hours=hours, 现行预警级别="橙色", 首要污染物="颗粒物")
    assert shown(results, "预警调整") == adjust
    assert results["降低预警级别"].status == ("applies" if adjust == "可降级" else "not_applicable")


def test_lifting_with_the_other_reading_follows_the_forecast(policy: CompiledPolicy) -> None:
    follow = {"降级解除后级别": "按预测"}
    results = run(policy, [120], follow, hours=36, 现行预警级别="黄色")
    assert (shown(results, "预警级别"), shown(results, "响应级别")) == ("无", "未启动")
    assert measures(results) == set()


def test_no_lifting_under_a_regional_warning(policy: CompiledPolicy) -> None:
    results = run(
        policy, [120], hours=48, 现行预警级别="橙色", 区域预警级别="黄色", 首要污染物="颗粒物"
    )
    assert shown(results, "预警调整") == "可降级"  # to the regional yellow, not lifted


def test_upgrade_needs_no_improvement_forecast(policy: CompiledPolicy) -> None:
    results = run(policy, [201, 301, 201], 现行预警级别="黄色", 首要污染物="颗粒物")
    assert (shown(results, "预警调整"), shown(results, "预警级别")) == ("升级", "红色")


@pytest.mark.parametrize(
    ("reading", "approver"), [("原预警级别", "指挥长"), ("调整后级别", "副指挥长")]
)
def test_downgrade_approver(policy: CompiledPolicy, reading: str, approver: str) -> None:
    results = run(policy, [201], {"调整批准人": reading}, hours=40, 现行预警级别="橙色")
    assert shown(results, "预警调整") == "可降级"
    assert shown(results, "批准人") == approver


# ---- readings of 3.3 ----


def test_duration_reading_at_least_against_exactly(policy: CompiledPolicy) -> None:
    four_days = [201, 301, 201, 201]
    assert shown(run(policy, four_days), "城市预警级别") == "红色"
    assert shown(run(policy, four_days, {"持续时长无及以上": "恰好"}), "城市预警级别") == "橙色"
    assert (
        shown(run(policy, [201, 301, 201], {"持续时长无及以上": "恰好"}), "城市预警级别") == "红色"
    )


def test_300_day_inside_the_run_reading(policy: CompiledPolicy) -> None:
    aqi, narrow = [301, 150, 210, 210, 210], {"超300日位置": "同一连续时段"}
    assert shown(run(policy, aqi), "城市预警级别") == "红色"
    assert run(policy, aqi, narrow)["城市预警级别"].status == "undetermined"
    assert shown(run(policy, aqi, narrow, 超300日在超200连续时段内=False), "城市预警级别") == "橙色"
    assert shown(run(policy, aqi, narrow, 超300日在超200连续时段内=True), "城市预警级别") == "红色"


# ---- organisation and text ----


def test_seventeen_member_units_each_with_duties(policy: CompiledPolicy) -> None:
    rules = {r.name: r for r in policy.rules}
    members = rules["指挥部成员单位"].responsible
    assert len(members) == len(set(members)) == 17
    duties = [r for r in policy.rules if r.owner_number == "2.2"]
    assert [r.kind for r in duties] == ["职责"] * 17
    assert [r.responsible[0] for r in duties] == list(members)


def test_header(policy: CompiledPolicy) -> None:
    header = policy.checked.header
    assert (header.issued, header.replaces) == (date(2023, 1, 18), ("天政办发〔2020〕9号",))
    assert header.interpreted_by is not None
    assert policy.checked.registry.resolve(header.interpreted_by.text).name == "市应急指挥部办公室"


def test_repairs_cover_the_known_faults(policy: CompiledPolicy) -> None:
    lines = {r.line for r in policy.checked.file.repairs}
    assert {582, 694, 698, 714, 718, 722, 802} <= lines


def test_explain_shows_the_deciding_condition() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(POLICY), "--case",
         str(EXAMPLES / "07-red-301.yaml"), "--explain", "--format", "json"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    level = next(r for r in json.loads(done.stdout)["results"] if r["rule"] == "城市预警级别")
    assert level["value"] == "红色"
    trace = " ".join(step["text"] for step in level["trace"])
    assert "不少于72小时" in trace and "72小时 对 72小时 → 成立" in trace
