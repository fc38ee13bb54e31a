"""A part is called as its document calls it, everywhere it is shown (compiler/part_places.py):
`policyc duties` (text and JSON), `policyc run --all`'s headings and the site's headings.

The newcomer's 天政办发〔2026〕7号 numbers its clauses （一）…（八） through four sections 一、…四、;
`duties 市科技局` called its clause （二） "第二条（第二部分）". A regulation quoting 第三条 keeps
第三条 (tests/fixtures/medical-aid); a document numbering again in each section is 二（一）."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyc.cli import main
from policyc.compiler import nodes as n
from policyc.compiler.part_places import part_heading, part_place
from tests.conftest import QUOTE, PolicyFactory

MEDICAL = Path(__file__).parent / "fixtures" / "medical-aid"

# Two sections numbered 一、二、, clauses numbered through （一）（二）, as the newcomer's document.
THROUGH = f"""
section 一 "支持对象" {{
    clause 一 "人才安居补贴" {{
        {QUOTE}
        responsible 市财政局
        rule 甲 {{ amount unspecified "甲" }}
    }}
}}
section 二 "人才安居补贴" {{
    clause 二 "外籍专家生活补助" {{
        {QUOTE}
        responsible 市商务局
        rule 乙 {{ amount unspecified "乙" }}
    }}
}}
"""

# The same, but each section numbers its clauses again from （一）.
AGAIN = THROUGH.replace('clause 二 "外籍专家生活补助"', 'clause 一 "外籍专家生活补助"')


def duties(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["duties", *args]) == 0
    return capsys.readouterr().out


def test_a_clause_numbered_through_is_its_own_number_in_brackets(
    policies: PolicyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    path = policies.write(THROUGH)
    lines = duties(capsys, "市商务局", str(path)).splitlines()
    assert "  责任  （二）外籍专家生活补助  [来文第2行]" in lines
    assert not any("部分" in line or "第二条" in line for line in lines)
    [duty] = [d for d in json.loads(duties(capsys, "市商务局", str(path), "--format", "json"))[
        "duties"] if d["kind"] == "clause"]  # fmt: skip
    assert (duty["place"], duty["section_heading"]) == ("（二）", "二、人才安居补贴")
    assert (duty["number"], duty["section"]) == ("二", "二")  # the numbers, as before


def test_a_clause_numbered_again_in_each_section_keeps_its_section(
    policies: PolicyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    path = policies.write(AGAIN)
    out = duties(capsys, "市商务局", str(path))
    assert "  责任  二（一）外籍专家生活补助  [来文第2行]" in out.splitlines()
    first = duties(capsys, "市财政局", str(path))
    assert "  责任  一（一）人才安居补贴  [来文第2行]" in first.splitlines()


def test_a_regulations_article_is_its_article(capsys: pytest.CaptureFixture[str]) -> None:
    # ma-2026-8: `clause 三 "医疗救助"` quotes "第三条 家庭月人均收入…", in section 二 whose first
    # clause is 第二条, so the section is 第二章.
    out = duties(capsys, "县医保局", str(MEDICAL / "policies"))
    assert "  责任  第三条  医疗救助  [来文第7行]" in out.splitlines()
    data = json.loads(duties(capsys, "县医保局", str(MEDICAL / "policies"), "--format", "json"))
    [duty] = data["duties"]
    assert (duty["place"], duty["section_heading"]) == ("第三条", "第二章 救助对象和标准")


def test_run_all_heads_each_part_as_the_document_does(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    case = MEDICAL / "examples" / "ma-2026-8" / "01-dibao-family.yaml"
    policy = MEDICAL / "policies" / "ma-2026-8.policy"
    main(["run", str(policy), "--case", str(case), "--all"])
    lines = capsys.readouterr().out.splitlines()
    assert "第三条 医疗救助" in lines and "第四条 生活补助" in lines
    assert "（三）医疗救助" not in lines
    path = policies.write(AGAIN)
    (policies.folder / "c.yaml").write_text("on: 2023-06-01\n", encoding="utf-8")
    main(["run", str(path), "--case", str(policies.folder / "c.yaml"), "--all"])
    lines = capsys.readouterr().out.splitlines()
    assert "一（一）人才安居补贴" in lines and "二（一）外籍专家生活补助" in lines


def test_the_site_heads_a_through_numbered_clause_as_duties_names_it(
    policies: PolicyFactory,
) -> None:
    from policyc.compiler.pipeline import compile_policy
    from policyc.compiler.site.assemble import render_docs

    checked = compile_policy(policies.write(THROUGH)).checked
    page = render_docs([checked])["docs/p.md"]
    assert "### （二）外籍专家生活补助 {#clause-二}" in page
    assert "## 二、人才安居补贴 {#section-二}" in page


@pytest.mark.parametrize(
    ("part", "place", "heading"),
    [
        (n.Section("二", "人才安居补贴"), "二、", "二、人才安居补贴"),
        (n.Section("二", ""), "二、", "二"),
        (n.Section("2", "目标"), "2.", "2. 目标"),
        # a label the policy's author gave a part the document left unnumbered
        (n.Section("预期目标", "主要预期目标"), "预期目标", "预期目标 主要预期目标"),
        (n.Clause("二", "外籍专家生活补助"), "（二）", "（二）外籍专家生活补助"),
        (n.Clause("二", "", quotes=(n.Quote("第二条 补助"),)), "第二条", "第二条"),
        (n.Clause("29", "招商", kind="task"), "任务 29", "任务 29：招商"),
    ],
)
def test_place_and_heading(part: n.Section | n.Clause, place: str, heading: str) -> None:
    assert part_place(part) == place
    assert part_heading(part) == heading
