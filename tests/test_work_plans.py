"""The two work plans: 天政办发〔2023〕1号 (120 tasks) and 天政办函〔2023〕5号 (33 tasks, 10 sections).

Every figure below was read off the received text (sources/, lines 112–400 and 993–1124) and the
readings the policy files declare; none is copied from policyc's output.
"""

from __future__ import annotations

import functools
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from policyc.compiler import nodes as n
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import CompiledPolicy, check_policy, check_references, compile_policy
from policyc.duties import progress_counts
from policyc.runtime.quantity import Quantity
from policyc.runtime.quantity_reading import parse_quantity_text

REPO = Path(__file__).parent.parent
BF = REPO / "policies" / "tzbf-2023-1.policy"
BH = REPO / "policies" / "tzbh-2023-5.policy"
TZF = REPO / "policies" / "tzf-2023-1.policy"
NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


@functools.cache
def compiled(path: Path) -> CompiledPolicy:
    return compile_policy(path)


def checked(path: Path) -> CheckedPolicy:
    return compiled(path).checked


def tasks(path: Path) -> dict[str, n.Clause]:
    return {c.number: c for c in checked(path).file.all_clauses() if c.kind == "task"}


def canonical(policy: CheckedPolicy, names: tuple[n.Name, ...]) -> list[str]:
    units = [policy.registry.resolve(x.text) for x in names]
    assert all(u is not None for u in units), names
    return [u.name for u in units if u is not None]


# ---- structure --------------------------------------------------------------------------------


def test_bf_has_120_tasks_in_7_numbered_sections() -> None:
    policy = checked(BF)
    numbers = [s.number for s in policy.file.sections]
    assert numbers == ["预期目标", *NUMERALS[:7]]
    assert list(tasks(BF)) == [str(i) for i in range(1, 121)]
    first_task = {s.number: s.clauses[0].number for s in policy.file.sections[1:]}
    # 第145、177、213、233、299、335、375行 open the sections before tasks 1, 16, 33, 42, 74, 91, 110.
    assert first_task == {
        "一": "1", "二": "16", "三": "33", "四": "42", "五": "74", "六": "91", "七": "110",
    }  # fmt: skip


def test_bh_has_33_tasks_in_10_sections_each_with_one_lead() -> None:
    policy = checked(BH)
    assert [s.number for s in policy.file.sections] == NUMERALS
    assert list(tasks(BH)) == [str(i) for i in range(1, 34)]
    leads = [canonical(policy, s.leads) for s in policy.file.sections]
    assert leads == [
        ["市经信局"], ["市发改委"], ["市商务局"], ["市住房保障服务中心"], ["市发改委"],
        ["市人社局"], ["市政府金融办"], ["市发改委"], ["市市场监督管理局"], ["市商务局"],
    ]  # fmt: skip
    assert all(not t.leads and t.responsible for t in tasks(BH).values())


@pytest.mark.parametrize(
    ("number", "leads", "responsible"),
    [
        ("1", ["市发改委"], ["市水利和湖泊局"]),
        ("29", ["市商务局"], ["市经信局", "市住房保障服务中心", "各乡镇办场"]),  # 头单位
        ("56", ["市住建局"], []),  # 杨寒;
        ("57", ["市城市管理执法局"], ["各乡镇办场"]),  # no 责任单位 label
        ("58", ["市城市管理执法局"], ["有关乡镇办场"]),
        ("112", ["市政府各部门"], ["各乡镇办场区"]),  # led by a group
        ("115", ["市政府办"], ["市政府各部门", "各乡镇办场区"]),
        ("118", ["市财政局", "市审计局"], ["市政府有关部门", "各乡镇办场区"]),
        ("19", ["市农业农村局"], ["市文旅局", "市商务局"]),  # 市文化和旅游局
        ("11", ["市农业农村局"], ["市公安局", "市市场监督管理局", "汉江沿线乡镇"]),
    ],
)
def test_bf_task_units(number: str, leads: list[str], responsible: list[str]) -> None:
    policy = checked(BF)
    task = tasks(BF)[number]
    assert canonical(policy, task.leads) == leads
    assert canonical(policy, task.responsible) == responsible


def test_bf_group_leads_and_town_lists() -> None:
    policy = checked(BF)
    group_led = [
        t.number for t in tasks(BF).values() if canonical(policy, t.leads) == ["市政府各部门"]
    ]
    assert group_led == ["112", "113", "114", "116", "117"]
    assert policy.registry.resolve("市政府各部门").kind == "group"  # type: ignore[union-attr]
    # 岳口镇等有关乡镇 → the town and the group; 黄潭镇、…、九真镇等有关乡镇 likewise.
    assert canonical(policy, tasks(BF)["5"].responsible)[-2:] == ["岳口镇", "有关乡镇"]
    assert canonical(policy, tasks(BF)["49"].responsible) == [
        "黄潭镇", "佛子山镇", "汪场镇", "石家河镇", "九真镇", "有关乡镇",
    ]  # fmt: skip
    assert not any(t.open_list for t in tasks(BF).values())


def test_bh_open_lists_and_aliases() -> None:
    policy = checked(BH)
    assert [t.number for t in tasks(BH).values() if t.open_list] == ["15", "16"]
    assert canonical(policy, tasks(BH)["16"].responsible)[-1] == "市高新投集团"
    assert canonical(policy, tasks(BH)["11"].responsible) == ["市文旅局", "市商务局", "有关乡镇"]
    assert canonical(policy, tasks(BH)["6"].responsible)[-3:] == [
        "市公共资源交易中心", "天门经济开发区", "各乡镇办场",
    ]  # fmt: skip
    assert "市市场监督管理局" in canonical(policy, tasks(BH)["29"].responsible)


def test_repairs_name_the_faulty_lines() -> None:
    bf = {r.name.text: (r.line, r.received) for r in checked(BF).file.repairs}
    assert bf["第29项牵头单位"] == (205, "(头单位:市商务局")
    assert bf["第56项衍字"][0] == 263 and "杨寒;" in bf["第56项衍字"][1]
    assert bf["第57项责任单位"][0] == 265
    assert bf["第58项责任单位"][0] == 267
    bh = {r.name.text: r for r in checked(BH).file.repairs}
    assert bh["第6项括号"].line == 1043
    assert bh["第6项括号"].corrected.endswith("各乡镇办场)")


def test_every_task_quotes_its_own_numbered_line() -> None:
    for path in (BF, BH):
        policy = checked(path)
        source = (path.parent / policy.header.source_file).read_text(encoding="utf-8").splitlines()
        for number, task in tasks(path).items():
            line = policy.quote_lines[task.quotes[0].text]
            assert re.match(rf"^{number}\.", source[line - 1]), (path.name, number, line)


# ---- references -------------------------------------------------------------------------------


def test_references_resolve_across_the_three_documents() -> None:
    loaded = [checked(BF), checked(BH), checked(TZF)]
    assert check_references(loaded) == []
    refs = {(where, r.document, r.kind, r.number) for where, r in checked(BF).references}
    assert ("task 27", "天政发〔2023〕1号", "clause", "七") in refs
    assert ("task 27", "天政发〔2023〕1号", "clause", "十五") in refs
    bh = {(where, r.document, r.number) for where, r in checked(BH).references}
    # 新增规上工业企业30家、限上商贸企业60家、规上服务业企业12家 = tasks 24, 29, 31; 390亿元 = task 39.
    for number in ("24", "29", "31"):
        assert ("task 6", "天政办发〔2023〕1号", number) in bh
    assert ("task 16", "天政办发〔2023〕1号", "39") in bh


def copy_policies(root: Path, *names: str) -> Path:
    """A policies/ folder beside a sources/ folder, as the policies' `source` lines expect."""
    folder = root / "policies"
    folder.mkdir()
    shutil.copytree(REPO / "sources", root / "sources")
    for name in ("units.policy", *names):
        shutil.copy(REPO / "policies" / name, folder / name)
    return folder


def test_a_reference_to_a_missing_task_is_reported(tmp_path: Path) -> None:
    folder = copy_policies(tmp_path, "tzbf-2023-1.policy", "tzf-2023-1.policy")
    text = BH.read_text(encoding="utf-8").replace(
        'refers "天政办发〔2023〕1号" task 39', 'refers "天政办发〔2023〕1号" task 139'
    )
    (folder / "tzbh-2023-5.policy").write_text(text, encoding="utf-8")
    loaded = [check_policy(p) for p in sorted(folder.glob("tz*.policy"))]
    problems = check_references(loaded)
    assert [p.message for p in problems] == ["天政办发〔2023〕1号 has no task 139"]


def test_a_quote_not_in_the_task_lines_fails_the_check(tmp_path: Path) -> None:
    folder = copy_policies(tmp_path)
    text = BF.read_text(encoding="utf-8").replace("(头单位:市商务局", "(牵头单位:市商务局")
    (folder / "p.policy").write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match="not in the source text"):
        check_policy(folder / "p.policy")


# ---- targets ----------------------------------------------------------------------------------
# name: (the document's figure after the declared reading, direction): ge 达到/以上/不少于/不低于,
# gt 超过 (突破), le 不超过 (控制在…左右).

BF_TARGETS = {
    "地区生产总值增速": ("7%", "ge"),  # 7.5%左右, 争取更好结果: 左右容差 0.5, lower edge only
    "城镇居民人均可支配收入增速": ("9%", "ge"), "农村居民人均可支配收入增速": ("10%", "ge"),
    "水质监测网络覆盖重点河流": ("43条", "ge"), "水质监测网络覆盖重点湖泊": ("45个", "ge"),
    "新建高标准农田": ("10万亩", "ge"), "粮食种植面积": ("240万亩", "ge"), "粮食产量": ("80万吨", "ge"),
    "新增省级以上农业产业化龙头企业": ("2家", "ge"), "新增农业产业化联合体": ("2个", "ge"),
    "新增二品一标": ("5个", "ge"), "新增规上工业企业": ("30家", "ge"),
    "新增专精特新小巨人企业": ("8家", "ge"), "新增税收过千万元企业": ("6家", "ge"),
    "新增省级两化融合试点示范企业": ("5家", "ge"), "盘活困难企业及闲置项目": ("25家", "ge"),
    "新增电子商务市场主体": ("1000家", "ge"), "打造有影响力的电商企业": ("5家", "ge"),
    "培育电商小镇": ("3个", "ge"), "培育电商特色村": ("8个", "ge"), "网络销售额增速": ("30%", "ge"),
    "新增限上商贸企业": ("60家", "ge"), "新增规上服务业企业": ("12家", "ge"),
    "旅游品牌数量": ("7个", "ge"), "产业投资基金规模": ("10亿元", "ge"),
    "引进投资过100亿元项目": ("1个", "ge"), "引进投资过50亿元项目": ("4个", "ge"),
    "引进投资过10亿元项目": ("15个", "ge"), "新签约亿元以上项目": ("100个", "ge"),
    "新签约项目投资额": ("500亿元", "ge"), "全年完成投资": ("390亿元", "ge"),
    "城市建成面积": ("55平方公里", "ge"), "城市常住人口": ("50万人", "ge"),
    "建成区绿化覆盖率": ("41%", "ge"), "完成造林绿化": ("1万亩", "ge"),
    "争创省级森林城镇": ("1个", "ge"), "争创省级森林乡村": ("2个", "ge"),
    "更新老旧小区燃气老化管道": ("80公里", "ge"), "创建农村生活垃圾分类省级示范村": ("25个", "ge"),
    "新建污水收集管网": ("95公里", "ge"), "城区污水集中处理率": ("98%", "ge"),
    "乡镇污水集中处理率": ("75%", "ge"), "引进培育有影响力的人力资源机构": ("10家", "ge"),
    "开展职业技能培训": ("1.4万人次", "ge"), "新增就业岗位": ("1.5万个", "ge"),
    "改造升级乡镇商贸中心": ("6个", "ge"), "改造升级农村商业网点": ("100个", "ge"),
    "建设市级物流仓储分拣运营中心": ("1家", "ge"), "建设市级农产品冷链生鲜配送中心": ("2家", "ge"),
    "行政村电商物流综合服务站点覆盖率": ("80%", "ge"), "学前三年毛入园率": ("95%", "ge"),
    "普惠性幼儿园覆盖率": ("92%", "ge"), "新增学位": ("1.3万个", "ge"), "打造省级教联体": ("1个", "ge"),
    "能规范开展中医药适宜技术的村卫生室占比": ("70%", "ge"),
    "荆楚红色文艺轻骑兵文艺展演": ("26场", "ge"), "文艺辅导下基层活动": ("26场", "ge"),
    "送戏下乡演出": ("100场", "ge"), "新增出口过3000万美元企业": ("2家", "ge"),
    "一事联办上线主题数量": ("55个", "ge"), "落实银企对接资金": ("170亿元", "ge"),
    "技术合同成交额": ("25亿元", "ge"), "备案科技成果转化项目": ("20项", "ge"),
    "认定高新技术企业": ("30家", "ge"), "具备综合功能养老服务设施的乡镇占比": ("60%", "ge"),
    "提档升级老年人互助照料中心": ("10个", "ge"),
}  # fmt: skip

BH_TARGETS = {
    "规上工业增加值增速": ("15%", "ge"), "新增规上工业企业": ("30家", "ge"),
    "新增限上商贸企业": ("60家", "ge"), "新增规上服务业企业": ("12家", "ge"),
    "新增专精特新中小企业": ("8家", "ge"), "面向中小微企业政府采购合同金额占比": ("90%", "ge"),
    "社会消费品零售总额增速": ("12%", "ge"), "新增公积金缴存人数": ("3000人", "ge"),
    "新增公积金归集": ("6.5亿元", "ge"), "固定资产投资增速": ("15%", "ge"),
    "争取中央和省预算内资金": ("2.5亿元", "ge"), "争取地方政府专项债发行额度": ("14.5亿元", "ge"),
    "基础设施投资": ("80亿元", "ge"), "实施重点项目": ("450个", "ge"),
    "全年完成投资": ("390亿元", "ge"),
    "技改投资占工业投资比重": ("34.5%", "ge"),  # 达到35%左右: 左右容差 0.5, lower edge
    "制造业转型升级投资": ("70亿元", "ge"), "引进投资过100亿元的电子信息项目": ("1个", "ge"),
    "引进10亿元电子信息项目": ("1个", "ge"), "引进1亿元至10亿元电子信息项目": ("2个", "ge"),
    "电子信息产业产值": ("50亿元", "gt"),  # 突破: 超过
    "新能源项目完成投资": ("50亿元", "ge"), "城镇新增就业和再就业人数": ("1.5万人", "ge"),
    "城镇调查失业率": ("6%", "le"),  # 控制在5.5%左右: 左右容差 0.5, upper edge
    "保障市场主体用工需求": ("1.5万人", "ge"), "开展职业技能培训人数": ("1.4万人", "ge"),
    "输送产业工人和技能人才": ("0.8万人", "ge"), "新增贷款": ("76亿元", "ge"),
    "专项信贷资金": ("43亿元", "ge"), "普惠小微企业贷款单列计划新增": ("10亿元", "ge"),
    "开展质量提升行动的中小企业": ("200家", "ge"), "导入先进质量管理模式的规上企业": ("30家", "ge"),
    "培育质量标杆企业": ("5家", "ge"), "制修订国家标准行业标准": ("3项", "ge"),
    "培育创建放心消费省级示范点": ("2个", "ge"), "争创湖北精品": ("2个", "ge"),
    "申请地理标志商标注册": ("1件", "ge"), "进出口总额增速": ("10%", "ge"),
}  # fmt: skip

EXPECT = {  # (below, at, above) for each direction
    "ge": ("not_met", "met", "met"),
    "gt": ("not_met", "not_met", "met"),
    "le": ("met", "met", "not_met"),
}
ALL = [(BF, name, spec) for name, spec in BF_TARGETS.items()] + [
    (BH, name, spec) for name, spec in BH_TARGETS.items()
]


def quantity(path: Path, name: str, text: str) -> Quantity:
    return parse_quantity_text(text, checked(path).inputs[name].measure)


def target_status(path: Path, name: str, value: Quantity) -> str:
    results = compiled(path).evaluate({name: value}, date(2023, 12, 31))
    return next(r.status for r in results if r.info.name == name)


@pytest.mark.parametrize(("path", "table"), [(BF, BF_TARGETS), (BH, BH_TARGETS)])
def test_the_table_lists_every_target(path: Path, table: dict[str, Any]) -> None:
    assert [t.name.text for _, t in checked(path).file.all_targets()] == list(table)


@pytest.mark.parametrize(("path", "name", "spec"), ALL, ids=[f"{p.stem}:{x}" for p, x, _ in ALL])
def test_target_at_below_and_above_its_value(path: Path, name: str, spec: tuple[str, str]) -> None:
    text, direction = spec
    at = quantity(path, name, text)
    # 1% below and above the figure (the step is a fraction for counts too: the comparison is exact)
    below, above = at * Decimal("0.99"), at * Decimal("1.01")
    statuses = tuple(target_status(path, name, q) for q in (below, at, above))
    assert statuses == EXPECT[direction]
    results = compiled(path).evaluate({}, date(2023, 12, 31))
    assert next(r.status for r in results if r.info.name == name) == "not_reported"


@pytest.mark.parametrize(
    ("path", "name", "actual", "status"),
    [
        # 7.5%左右, 争取更好结果 → 不低于7%: 7.0 and 8.6 (above 8.0, the two-sided edge) are met.
        (BF, "地区生产总值增速", "7%", "met"),
        (BF, "地区生产总值增速", "6.99%", "not_met"),
        (BF, "地区生产总值增速", "7.5%", "met"),
        (BF, "地区生产总值增速", "8.6%", "met"),
        # 控制在5.5%左右 → 不超过6%: lower unemployment is not a miss.
        (BH, "城镇调查失业率", "6%", "met"),
        (BH, "城镇调查失业率", "6.01%", "not_met"),
        (BH, "城镇调查失业率", "4.8%", "met"),
        # 达到35%左右 → 不低于34.5%.
        (BH, "技改投资占工业投资比重", "34.5%", "met"),
        (BH, "技改投资占工业投资比重", "34.4%", "not_met"),
        (BH, "技改投资占工业投资比重", "40%", "met"),
        # 稳定在240万亩 → 不少于.
        (BF, "粮食种植面积", "2400000亩", "met"),
        (BF, "粮食种植面积", "239.99万亩", "not_met"),
    ],
)
def test_zuoyou_and_stable_as_declared(path: Path, name: str, actual: str, status: str) -> None:
    assert target_status(path, name, quantity(path, name, actual)) == status


def test_readings_of_the_targets_are_declared() -> None:
    bf = {r.name.text: r.take.text for r in checked(BF).file.readings}
    assert bf == {
        "左右容差": "下浮半个百分点", "无方向词的目标": "下限", "稳定在": "不少于",
        "群体牵头": "各部门各自牵头",
    }  # fmt: skip
    bh = {r.name.text: r.take.text for r in checked(BH).file.readings}
    assert bh["左右容差"] == "按方向半个百分点"
    assert bh["突破"] == "超过"
    assert bh["就业目标合计"] == "合计"


def test_headline_targets_sit_in_a_section_led_by_the_development_commission() -> None:
    results = compiled(BF).evaluate({}, date(2023, 12, 31))
    headline = [r.info for r in results if r.info.owner_number == "预期目标"]
    assert [i.name for i in headline] == [
        "地区生产总值增速", "城镇居民人均可支配收入增速", "农村居民人均可支配收入增速",
    ]  # fmt: skip
    assert all(i.leads == ("市发改委",) for i in headline)
    section = checked(BF).file.sections[0]
    assert canonical(checked(BF), section.clauses[0].leads) == ["市发改委", "市应急管理局"]


def test_non_numeric_aims_are_not_targets() -> None:
    names = {t.name.text for _, t in checked(BF).file.all_targets()}
    assert not any("文明城市" in x or "省布" in x for x in names)
    assert not tasks(BF)["43"].targets  # 力争创成全国文明城市


# ---- the benefits of 天政办函〔2023〕5号 ---------------------------------------------------------


def bh_rules(readings: dict[str, str] | None = None, **inputs: Any) -> dict[str, Any]:
    policy = compiled(BH)
    values = {}
    for name, value in inputs.items():
        info = policy.checked.inputs[name]
        if info.type.kind == "quantity":
            value = parse_quantity_text(str(value), info.measure)
        values[name] = value
    return {r.info.name: r for r in policy.evaluate(values, date(2023, 6, 30), readings)}


@pytest.mark.parametrize(
    ("bought", "status"),
    [
        (date(2022, 12, 31), "not_applicable"),
        (date(2023, 1, 1), "applies"),
        (date(2023, 3, 31), "applies"),
        (date(2023, 4, 1), "not_applicable"),
    ],
)
def test_home_purchase_window_edges(bought: date, status: str) -> None:
    results = bh_rules(申请人类型="购房人", 进城购买商品住房=True, 购房日期=bought)
    appliance, utilities = results["购房家电消费补贴"], results["购房水电燃气补贴"]
    assert (appliance.status, utilities.status) == (status, status)
    if status == "applies":
        assert appliance.amount == parse_quantity_text("5000元", None)
        assert utilities.amount == parse_quantity_text("2000元", None)
        assert appliance.info.responsible == (
            "市住房保障服务中心",
            "市住建局",
            "市商务局",
            "市供电公司",
        )


def test_home_purchase_without_a_date_is_undetermined() -> None:
    results = bh_rules(申请人类型="购房人", 进城购买商品住房=True)
    assert results["购房家电消费补贴"].status == "undetermined"
    assert "购房日期" in results["购房家电消费补贴"].missing
    assert compiled(BH).checked.inputs["购房日期"].decl.presence == "optional"


def test_used_car_loan_subsidy_is_one_point_of_the_balance() -> None:
    # 300万元 × 1% = 3万元 (解读 贴息基数 = 一个百分点); under the other reading 12万元 × 1% = 1200元.
    results = bh_rules(申请人类型="二手车经销商", 融资贷款年均余额="300万元", 已付贷款利息="12万元")
    assert results["二手车经销商贷款贴息"].amount == parse_quantity_text("30000元", None)
    other = bh_rules(
        申请人类型="二手车经销商",
        融资贷款年均余额="300万元",
        已付贷款利息="12万元",
        readings={"贴息基数": "利息的百分之一"},
    )
    assert other["二手车经销商贷款贴息"].amount == parse_quantity_text("1200元", None)


@pytest.mark.parametrize(
    ("rule", "inputs"),
    [
        ("汽车展销补贴", {"申请人类型": "汽车展销组织者"}),
        ("汽车促销补贴", {"申请人类型": "限上汽车销售企业", "开展打折促销活动": True}),
        (
            "零售企业下乡展销补贴",
            {"申请人类型": "重点零售企业", "进乡镇社区开展商品零售展销": True},
        ),
        ("品牌首发首秀补助", {"申请人类型": "首发首秀举办企业", "符合首发首秀补助条件": True}),
        (
            "家电消费满减",
            {
                "申请人类型": "消费者",
                "在参与活动的家电卖场实体店购买": True,
                "家电能效等级": "二级",
            },
        ),
    ],
)
def test_subsidies_without_an_amount_stay_unspecified(rule: str, inputs: dict[str, Any]) -> None:
    result = bh_rules(**inputs)[rule]
    assert result.status == "unspecified"
    assert result.amount is None
    assert result.info.unspecified


# ---- progress counts --------------------------------------------------------------------------


def test_progress_counts_give_tasks_their_sections_lead() -> None:
    policy = compiled(BH)
    values = {
        "新增规上工业企业": quantity(
            BH, "新增规上工业企业", "31家"
        ),  # task 6, section 二 (市发改委)
        "城镇调查失业率": quantity(BH, "城镇调查失业率", "6.2%"),  # section 六 (市人社局)
    }
    by_unit, by_section = progress_counts(policy, policy.evaluate(values, date(2023, 12, 31)))
    units = {row.key: row for row in by_unit}
    assert units["市发改委"].met == 1
    assert units["市人社局"].not_met == 1
    assert sum(r.met + r.not_met + r.not_reported for r in by_unit) == len(BH_TARGETS)
    sections = {row.key: row for row in by_section}
    assert sections["二、全力降本减负优环境"].met == 1
    assert sections["二、全力降本减负优环境"].not_reported == 4
    assert sections["六、全力稳岗就业保增收"].not_met == 1
