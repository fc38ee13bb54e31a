"""One reading rule for every value a case gives (language.md §3 "Reading a value"), in case
files and batch files alike: a bare number is counted in the input's own measure, a written
measure is converted, nothing is negative, and a count of whole things is whole."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from policyc.cases import load_case
from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.quantity import MeasureError, Quantity, parse_measure
from policyc.runtime.quantity_reading import read_input_quantity

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def policies() -> dict[str, CompiledPolicy]:
    names = ("tzf-2023-1", "tzbf-2023-1", "tzbf-2023-2", "tzbh-2023-5")
    return {name: compile_policy(ROOT / "policies" / f"{name}.policy") for name in names}


def _case(tmp_path: Path, inputs: str, checked: Any = None) -> Path:
    """A case file with `inputs` first (on line 3) and any other input the policy requires."""
    required = ""
    for name, info in checked.inputs.items() if checked is not None else ():
        if info.decl.presence == "required" and not inputs.lstrip().startswith(name + ":"):
            kind = info.type.kind
            value = checked.enums[info.type.enum][0] if kind == "enum" else "[100]"
            required += f"  {name}: {value}\n"
    path = tmp_path / "case.yaml"
    path.write_text(f"on: 2023-12-31\ninputs:\n{inputs}{required}", encoding="utf-8")
    return path


# (policy, input, as written, the same value written with its measure): one row per kind of
# measure the five policies' inputs use.
BARE = [
    ("tzbf-2023-1", "新建高标准农田", "239.5", "2395000亩"),  # 万亩
    ("tzbf-2023-1", "粮食产量", "52.5", "525000吨"),  # 万吨
    ("tzbf-2023-1", "产业投资基金规模", "2", "200000000元"),  # 亿元
    ("tzbf-2023-1", "城市常住人口", "0.5", "5000人"),  # 万人: half of 万 is whole people
    ("tzbf-2023-1", "开展职业技能培训", "1.2", "12000人次"),  # 万人次
    ("tzbf-2023-1", "城市建成面积", "60", "60平方公里"),
    ("tzbf-2023-1", "更新老旧小区燃气老化管道", "12.5", "12.5公里"),
    ("tzbf-2023-1", "新增省级以上农业产业化龙头企业", "3", "3家"),
    ("tzbh-2023-5", "融资贷款年均余额", "5000000", "500万元"),  # 元
    ("tzbh-2023-5", "新增公积金缴存人数", "120", "120人"),
    ("tzf-2023-1", "年发货量", "6000000", "600万单"),  # 单
    ("tzf-2023-1", "月发货量", "30000", "3万单/月"),  # 单/月
    ("tzf-2023-1", "专线正常经营时长", "12", "1年"),  # 月
    ("tzf-2023-1", "当年外贸出口额", "1000000", "100万美元"),  # 美元
    ("tzf-2023-1", "装修面积", "350.5", "350.5平方米"),
    ("tzf-2023-1", "宿舍间数", "20", "20间"),
    ("tzbf-2023-2", "改善预测持续时长", "36", "1.5天"),  # 小时; 天 converts
]


@pytest.mark.parametrize(("policy", "name", "bare", "written"), BARE)
def test_a_bare_number_is_read_in_the_inputs_own_measure(
    policies: dict[str, CompiledPolicy],
    tmp_path: Path,
    policy: str,
    name: str,
    bare: str,
    written: str,
) -> None:
    checked = policies[policy].checked
    measure = checked.inputs[name].measure
    assert measure is not None
    got_bare = load_case(_case(tmp_path, f"  {name}: {bare}\n", checked), checked).inputs[name]
    got_written = load_case(_case(tmp_path, f'  {name}: "{written}"\n', checked), checked).inputs[
        name
    ]
    assert got_bare == Quantity.of(bare, measure)
    assert got_bare == got_written


@pytest.mark.parametrize(
    ("policy", "name", "bare", "hundred"),
    [
        ("tzbf-2023-1", "地区生产总值增速", "6", "600"),  # target 7.5%: 6% or 600%?
        ("tzbh-2023-5", "规上工业增加值增速", "0.15", "15"),  # target 15%: 0.15% or 15%?
    ],
)
def test_a_bare_figure_for_a_percentage_target_is_refused_naming_both_readings(
    policies: dict[str, CompiledPolicy],
    tmp_path: Path,
    policy: str,
    name: str,
    bare: str,
    hundred: str,
) -> None:
    # A `%` target's figure is a `%` input's value: written with its sign (a drafter's `0.98`
    # for 网上可办率 98% meant 98% and was read as 0.98%).
    checked = policies[policy].checked
    with pytest.raises(InputError) as caught:
        load_case(_case(tmp_path, f"  {name}: {bare}\n", checked), checked)
    assert f"a bare `{bare}` could mean {bare}% or {hundred}%" in str(caught.value)
    written = load_case(_case(tmp_path, f'  {name}: "{bare}%"\n', checked), checked)
    assert written.inputs[name].value == Decimal(bare) / 100


def test_a_daily_series_reads_each_day_in_its_measure(
    policies: dict[str, CompiledPolicy], tmp_path: Path
) -> None:
    checked = policies["tzbf-2023-2"].checked
    case = load_case(_case(tmp_path, '  预测日AQI: [152, 201.5, "300AQI"]\n'), checked)
    assert case.inputs["预测日AQI"] == tuple(Quantity.of(v, "AQI") for v in ("152", "201.5", "300"))


COUNTS = [
    ("tzf-2023-1", "满6个月不满1年人数", "0.5"),
    ("tzf-2023-1", "用工企业常年用工人数", "120.5"),
    ("tzf-2023-1", "年发货量", "4999999.5"),
    ("tzf-2023-1", "宿舍间数", '"2.5间"'),
    ("tzf-2023-1", "直播间数", "1.01"),
    ("tzbf-2023-1", "新增省级以上农业产业化龙头企业", "2.5"),
    ("tzbf-2023-1", "城市常住人口", "0.00005"),  # 万人: 0.5人
    ("tzbf-2023-1", "开展职业技能培训", '"0.5人次"'),
    ("tzbh-2023-5", "申请地理标志商标注册", "1.5"),
]


@pytest.mark.parametrize(("policy", "name", "value"), COUNTS)
def test_a_count_with_a_fraction_is_refused_at_its_place(
    policies: dict[str, CompiledPolicy], tmp_path: Path, policy: str, name: str, value: str
) -> None:
    checked = policies[policy].checked
    path = _case(tmp_path, f"  {name}: {value}\n", checked)
    with pytest.raises(InputError) as caught:
        load_case(path, checked)
    message = str(caught.value)
    assert f"{path}:3:3: input `{name}`:" in message
    assert "counts whole things: expected a whole number of" in message


def test_a_tally_member_with_a_fraction_is_refused(
    policies: dict[str, CompiledPolicy], tmp_path: Path
) -> None:
    checked = policies["tzf-2023-1"].checked
    path = _case(tmp_path, "  参展次数: {省内: 1.5}\n", checked)
    with pytest.raises(InputError, match="counts whole things"):
        load_case(path, checked)


def test_whole_counts_and_fractions_either_side() -> None:
    people, wan_people = parse_measure("人"), parse_measure("万人")
    assert people.whole and wan_people.whole and parse_measure("人次").whole
    for measure in ("元", "万元", "%", "万亩", "月", "小时", "天", "元/人", "单/月", "AQI"):
        assert not parse_measure(measure).whole, measure
    assert read_input_quantity("120", people, people.dims).value == 120
    assert read_input_quantity("120.0", people, people.dims).value == 120
    assert read_input_quantity("0.0001", wan_people, people.dims).value == 1
    with pytest.raises(MeasureError, match="whole number of 人"):
        read_input_quantity("0.00001", wan_people, people.dims)
    # Not counts: fractions are values.
    yuan, wan_yuan = parse_measure("元"), parse_measure("万元")
    assert read_input_quantity("0.01", yuan, yuan.dims).value == Decimal("0.01")
    assert read_input_quantity("1.5", wan_yuan, yuan.dims).value == 15000
    days = parse_measure("天")
    assert read_input_quantity("0.5", days, days.dims) == Quantity.of(12, "小时")
    with pytest.raises(MeasureError, match="must not be negative"):
        read_input_quantity("-1", yuan, yuan.dims)
    with pytest.raises(MeasureError, match="expected a quantity in 元"):
        read_input_quantity("3人", yuan, yuan.dims)
