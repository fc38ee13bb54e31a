"""`policyc duties UNIT`: a unit's duties across the policies, found by its name or an alias.

The expected duties are read off the received text (the units in each task's parentheses).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from policyc.cli import main
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import InputError
from policyc.duties import build_report, load_policies, to_json, to_text

REPO = Path(__file__).parent.parent
PATHS = tuple(
    REPO / "policies" / name
    for name in ("tzbf-2023-1.policy", "tzbh-2023-5.policy", "tzf-2023-1.policy")
)
BF, BH, TZF = "天政办发〔2023〕1号", "天政办函〔2023〕5号", "天政发〔2023〕1号"


@functools.cache
def policies() -> list[CheckedPolicy]:
    return load_policies(PATHS)


def duties(unit: str) -> list[dict[str, Any]]:
    return to_json(build_report(policies(), unit))["duties"]  # type: ignore[no-any-return]


def places(unit: str, role: str, policy: str) -> list[str]:
    return [d["number"] for d in duties(unit) if d["role"] == role and d["policy"] == policy]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["duties", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_development_commission_leads_and_shares_many_tasks() -> None:
    # 天政办发〔2023〕1号: 牵头 in the headline targets (twice: the section and 节能减排) and tasks
    # 1, 13, 15, 31, 33, 39, 41, 54, 74; 责任 in tasks 2, 7, 14, 21, 22, 23, 27, 40, 42, 48, 51, 53,
    # 64, 75, 82, 87.
    assert places("市发改委", "牵头", BF) == [
        "预期目标", "节能减排和安全生产", "1", "13", "15", "31", "33", "39", "41", "54", "74",
    ]  # fmt: skip
    assert places("市发改委", "责任", BF) == [
        "2", "7", "14", "21", "22", "23", "27", "40", "42", "48", "51", "53", "64", "75", "82", "87",
    ]  # fmt: skip
    # 天政办函〔2023〕5号: 牵头 of sections (二), (五), (八); 责任 in 12 of its 33 tasks.
    assert places("市发改委", "牵头", BH) == ["二", "五", "八"]
    assert places("市发改委", "责任", BH) == [
        "1", "3", "4", "5", "6", "15", "16", "17", "18", "26", "27", "28",
    ]  # fmt: skip
    # 天政发〔2023〕1号 第十一条 (鼓励进规入库), with its three rules.
    textile = [d for d in duties("市发改委") if d["policy"] == TZF]
    assert [(d["role"], d["kind"], d["number"]) for d in textile] == [("责任", "clause", "十一")]
    assert textile[0]["rules"] == ["新进规奖励", "小进规奖励", "服务业商贸业进规奖励"]


def test_a_section_lead_leads_the_sections_tasks_and_their_targets() -> None:
    section = next(d for d in duties("市发改委") if d["policy"] == BH and d["number"] == "二")
    assert section["kind"] == "section"
    # the site's label of a task (compiler/part_places.py); the received text numbers them 4. 5. 6.
    assert section["tasks"] == ["任务 4", "任务 5", "任务 6"]
    assert [t["name"] for t in section["targets"]][:3] == [
        "新增规上工业企业", "新增限上商贸企业", "新增规上服务业企业",
    ]  # fmt: skip
    assert section["source_line"] == 1037


def test_headline_targets_are_the_development_commissions() -> None:
    headline = duties("市发改委")[0]
    assert (headline["policy"], headline["kind"], headline["role"]) == (BF, "section", "牵头")
    assert [t["name"] for t in headline["targets"]] == [
        "地区生产总值增速", "城镇居民人均可支配收入增速", "农村居民人均可支配收入增速",
    ]  # fmt: skip
    assert places("市应急管理局", "牵头", BF) == ["节能减排和安全生产", "93"]


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("市文化和旅游局", "市文旅局"),
        ("市市场监管局", "市市场监督管理局"),
        ("各有关乡镇", "有关乡镇"),
    ],
)
def test_an_alias_finds_the_same_duties(alias: str, name: str) -> None:
    by_alias, by_name = build_report(policies(), alias), build_report(policies(), name)
    assert by_alias.unit == by_name.unit
    assert by_alias.duties == by_name.duties
    assert by_alias.duties


def test_tourism_bureau_is_found_under_both_of_its_names() -> None:
    # 天政办发〔2023〕1号 writes 市文化和旅游局 (tasks 19, 32, 72, 73, 74, 77); 5号 writes 市文旅局 (task 11).
    assert places("市文旅局", "牵头", BF) == ["32", "72", "73", "77"]
    assert places("市文旅局", "责任", BF) == ["19", "74"]
    assert places("市文旅局", "责任", BH) == ["11"]
    assert {d["written"] for d in duties("市文旅局") if d["policy"] == BF} == {"市文化和旅游局"}


def test_faulty_tasks_give_the_repaired_units() -> None:
    assert "29" in places("市商务局", "牵头", BF)  # 头单位
    assert "56" in places("市住建局", "牵头", BF)  # 杨寒;
    assert places("市城市管理执法局", "牵头", BF) == ["43", "45", "46", "57", "58"]
    assert "57" in places("各乡镇办场", "责任", BF)
    assert "58" in places("有关乡镇办场", "责任", BF)
    assert places("市政府各部门", "牵头", BF) == ["112", "113", "114", "116", "117"]


def test_open_lists_are_marked() -> None:
    marked = {d["number"] for d in duties("市高新投集团") if d["open_list"]}
    assert marked == {"15", "16"}


def test_groups_are_units_and_cover_named_towns_only_by_their_full_name() -> None:
    town = build_report(policies(), "岳口镇")
    assert [d.number for d in town.duties] == ["5", "48", "60"]
    groups = {g.name: count for g, count in town.groups}
    # 各乡镇办场 = 各乡镇人民政府、办事处、农场: 岳口镇人民政府 is one; 有关乡镇 and 汉江沿线乡镇 name no
    # members, so they are not claimed.
    assert "各乡镇办场" in groups and "各乡镇办场区" in groups
    assert "有关乡镇" not in groups and "汉江沿线乡镇" not in groups
    assert groups["各乡镇办场"] == len(build_report(policies(), "各乡镇办场").duties)
    zone = {g.name for g, _ in build_report(policies(), "天门经济开发区").groups}
    assert zone == {"各乡镇办场区"}
    assert build_report(policies(), "市发改委").groups == ()


def test_a_group_is_labelled_before_its_name_never_listed_after_it() -> None:
    """`有关乡镇人民政府，群体` read as two units (the newcomer17 report): the label comes first."""
    assert (
        to_text(build_report(policies(), "有关乡镇")).splitlines()[0]
        == "单位群体: 有关乡镇人民政府"
    )
    group = to_text(build_report(policies(), "各乡镇办场")).splitlines()[0]
    assert group == "单位群体: 各乡镇办场（各乡镇人民政府、办事处、农场）"
    unit = to_text(build_report(policies(), "市发改委")).splitlines()[0]
    assert "群体" not in unit and "，" not in unit


def test_rule_level_units_and_cooperation(policies_factory_dir: Path) -> None:
    checked = load_policies([policies_factory_dir / "p.policy"])
    finance = build_report(checked, "市财政局")
    assert [(d.role, d.kind, d.number) for d in finance.duties] == [
        ("责任", "rule", "甲"),
        ("配合", "rule", "乙"),
    ]
    commerce = build_report(checked, "市商务局")
    roles = [(d.role, d.kind, d.number) for d in commerce.duties]
    assert roles == [("解释", "policy", ""), ("责任", "clause", "七")]
    assert commerce.duties[1].rules == ("乙",)  # 甲 names its own responsible unit
    # clause 七's quote does not start 第七条: the document numbers it （七）
    assert finance.duties[0].within == "（七）"
    assert "  配合  （七） 规则 乙" in to_text(finance).splitlines()


@pytest.fixture
def policies_factory_dir(policies: Any) -> Path:
    body = policies.clause(
        'rule 甲 { responsible 市财政局 amount unspecified "甲" }\n'
        'rule 乙 { cooperates 市财政局 amount unspecified "乙" }'
    )
    return Path(policies.write(body)).parent


def test_unknown_unit_is_an_error_with_close_matches() -> None:
    with pytest.raises(InputError, match="unknown unit `市发改`; did you mean `市发改委`"):
        build_report(policies(), "市发改")


# ---- the command ------------------------------------------------------------------------------


def test_cli_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "市发改委", *map(str, PATHS))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "市发改委（天门市发展和改革委员会）"
    assert "牵头 14 项 · 责任 29 项 · 配合 0 项 · 解释 0 项" in lines
    # task 13 of section 一, numbered through the document: 任务 13 alone names it, as on the site
    assert any(x.startswith("  牵头  任务 13  牢牢守住") and "[来文第171行]" in x for x in lines)
    assert "        目标: 粮食种植面积 不少于240万亩（含本数）" in lines
    assert f"{TZF}  市人民政府关于支持纺织服装产业高质量发展的若干意见" in lines


def test_cli_json_and_alias(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--format", "json", "市文化和旅游局", *map(str, PATHS))
    assert code == 0
    doc = json.loads(out)
    assert doc["query"] == "市文化和旅游局"
    assert doc["unit"] == {
        "name": "市文旅局", "full_name": "天门市文化和旅游局", "aliases": ["市文化和旅游局"],
        "kind": "unit",
    }  # fmt: skip
    assert doc["counts"] == {"牵头": 4, "责任": 3, "配合": 0, "解释": 0}
    assert doc["documents"] == [BF, BH, TZF]
    code, out, _ = cli(capsys, "市文旅局", *map(str, PATHS), "--format", "json")
    assert json.loads(out)["duties"] == doc["duties"]
    text = to_text(build_report(policies(), "市文化和旅游局"))
    assert "查询名 市文化和旅游局 是 市文旅局 的别名" in text


def test_cli_unknown_unit_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "市发改", *map(str, PATHS))
    assert code == 2
    assert out == ""
    assert "unknown unit `市发改`; did you mean `市发改委`?" in err


def test_cli_defaults_to_the_policies_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.chdir(REPO)
    code, out, err = cli(capsys, "--format", "json", "市商务局")
    assert code == 0, err
    doc = json.loads(out)
    assert {BF, BH, TZF} <= set(doc["documents"])
    # 天政发〔2023〕1号 is interpreted by 市商务局.
    assert any(d["role"] == "解释" and d["policy"] == TZF for d in doc["duties"])


def test_the_full_name_duties_prints_finds_the_same_duties() -> None:
    # The header prints `市商务局（天门市商务局）`: a case worker copies the full name back.
    by_full, by_name = (
        build_report(policies(), "天门市商务局"),
        build_report(policies(), "市商务局"),
    )
    assert by_full.unit == by_name.unit and by_full.duties == by_name.duties and by_full.duties
    assert "查询名 天门市商务局 是 市商务局 的全称" in to_text(by_full)


# ---- did-you-mean ranked by each unit's names and aliases (what a newcomer met) --------------


def _unknown(query: str) -> str:
    with pytest.raises(InputError) as info:
        build_report(policies(), query)
    return str(info.value)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("医保局", "`市医疗保障局` (alias 市医保局)"),  # an alias holds the query
        ("市场监管局", "`市市场监督管理局` (alias 市市场监管局)"),
        ("生态环境局", "`市生态环境局`"),  # the unit's own name holds it
        ("人社局", "`市人社局`"),
        ("发改委", "`市发改委`"),
        ("财政", "`市财政局`"),
    ],
)
def test_the_close_unit_comes_first_by_its_names_and_aliases(query: str, first: str) -> None:
    message = _unknown(query)
    assert message.startswith(f"unknown unit `{query}`; did you mean {first}"), message
    assert message.endswith(
        "add it to that unit's `alias` in " + str(REPO / "policies" / "units.policy") + ")"
    ), message


def test_one_shared_character_is_not_close() -> None:
    """环保局 shares 保 with 医保局 and 环 with 生态环境局: neither is a reason to suggest it; the
    message says where an alias would make the name known."""
    message = _unknown("环保局")
    assert message.startswith("unknown unit `环保局`: no unit's name, full name or alias is close")
    assert "市医疗保障局" not in message and "市医保局" not in message
    assert "add it to that unit's `alias` in " in message and "units.policy" in message


def test_an_alias_in_the_registry_finds_the_unit(policies_factory_dir: Path) -> None:
    """What the message says to do works: 环保局 as an alias of 市生态环境局 names that unit."""
    registry = policies_factory_dir / "units.policy"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text + '\nunit 市生态环境局 "天门市生态环境局" alias 环保局\n', encoding="utf-8"
    )
    report = build_report(load_policies([policies_factory_dir]), "环保局")
    assert report.unit.name == "市生态环境局"


def test_an_abbreviation_finds_its_unit_through_the_full_name() -> None:
    from policyc.compiler.registry import Unit
    from policyc.duties import close_units

    units = [
        Unit("市人社局", "天门市人力资源和社会保障局", (), "unit", "u.policy"),
        Unit("市医保局", "天门市医疗保障局", (), "unit", "u.policy"),
    ]
    assert [(u.name, form) for u, form in close_units("人力社保局", units)] == [
        ("市人社局", "天门市人力资源和社会保障局")
    ]
    assert close_units("环保局", units) == []
