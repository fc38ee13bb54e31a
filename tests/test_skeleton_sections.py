"""`policyc new` on a notice of one-line clauses followed by a closing sentence, and of sections
of one sentence each (the newcomer's water notice, 青发改价格〔2026〕12号, invented): the closing
sentence after （三） is the section's, written after its clauses; every one-sentence section is
untitled and quotes its sentence, short (三、六) or long (二、四) alike; a document whose clauses run
on over paragraphs keeps the lines after its last clause in it (tests/test_skeleton.py checks the
five shipped documents still agree).
"""

from __future__ import annotations

from pathlib import Path

from policyc.compiler.coverage import coverage
from policyc.compiler.pipeline import check_policy
from policyc.compiler.skeleton import skeleton

NOTICE = """青山市发展和改革委员会关于调整居民生活用水价格实行阶梯水价的通知
青发改价格〔2026〕12号
各区人民政府，市水务局、市城管委，各供水企业：
为促进节约用水，合理配置水资源，经市人民政府同意，现就我市居民生活用水实行阶梯水价有关事项通知如下。
一、居民生活用水按年度用水量实行三级阶梯水价。
（一）第一阶梯：年用水量180立方米（含）以下，水价为每立方米3.45元。
（二）第二阶梯：年用水量180至260立方米（含），水价为每立方米4.83元。
（三）第三阶梯：年用水量260立方米以上，水价为每立方米10.35元。
以上各阶梯水价均含污水处理费每立方米1.36元，污水处理费在水费账单中单独列示。
二、户籍人口5人以上的家庭，每增加1人，各阶梯水量基数增加30立方米。
三、城乡低保家庭每户每月免收水量5立方米。
四、供水企业抄表周期为两个月，年度阶梯水量基数按每年6个抄表周期平均分摊到每期账单。
五、职责分工。市发展改革委牵头负责阶梯水价的组织实施和监督检查，市水务局、市城管委配合做好用水管理和宣传解释工作，各供水企业负责抄表计费。
六、本通知自2027年1月1日起执行。
青山市发展和改革委员会
2026年11月20日
"""
UNITS = """unit 市发展改革委 "青山市发展和改革委员会" alias 青山市发展和改革委员会
unit 市水务局 "青山市水务局"
unit 市城管委 "青山市城市管理委员会"
unit 各供水企业 "各供水企业" kind group
unit 各区人民政府 "各区人民政府" kind group
"""
KNOWN = {
    "青山市发展和改革委员会": "市发展改革委",
    "市发展改革委": "市发展改革委",
    "市水务局": "市水务局",
    "市城管委": "市城管委",
    "各供水企业": "各供水企业",
}
CLOSING = "以上各阶梯水价均含污水处理费每立方米1.36元，污水处理费在水费账单中单独列示。"


def _made(text: str = NOTICE) -> str:
    return skeleton(text.splitlines(), 1, "notice.txt", KNOWN.get, "units.policy")


def _block(made: str, start: str, end: str) -> str:
    return made[made.index(start) : made.index(end)]


def test_the_closing_sentence_is_the_sections_after_its_clauses() -> None:
    made = _made()
    clause = _block(made, "    clause 三", "    # TODO(drafter): the sentences after clause 三")
    assert CLOSING not in clause  # not inside （三）
    assert 'quote "第三阶梯：年用水量260立方米以上，水价为每立方米10.35元。"' in clause
    section = _block(made, "section 一", "section 二")
    closing = section[section.index("the sentences after clause 三") :]
    assert f'    quote "{CLOSING}"\n}}' in closing  # the section's last statement


def test_every_one_sentence_section_is_untitled() -> None:
    made = _made()
    for number, sentence in (
        ("二", "户籍人口5人以上的家庭，每增加1人，各阶梯水量基数增加30立方米。"),  # 31 characters
        ("三", "城乡低保家庭每户每月免收水量5立方米。"),  # 18: once taken as the title
        ("四", "供水企业抄表周期为两个月，年度阶梯水量基数按每年6个抄表周期平均分摊到每期账单。"),
        ("六", "本通知自2027年1月1日起执行。"),
    ):
        head = f'section {number} "" {{  # TODO(drafter): the document gives section {number}'
        assert head in made, number
        assert f'quote "{sentence}"' in made
    assert 'section 五 "职责分工" {' in made  # a heading before its text stays the title
    assert 'section 一 "居民生活用水按年度用水量实行三级阶梯水价" {' in made  # heads its clauses


def test_the_skeleton_checks_with_every_sentence_covered(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "units.policy").write_text(UNITS, encoding="utf-8")
    path = tmp_path / "water.policy"
    path.write_text(_made(), encoding="utf-8")
    checked = check_policy(path, path.read_text(encoding="utf-8"))
    assert coverage(checked).percent == 100


def test_clauses_of_paragraphs_keep_the_lines_after_the_last() -> None:
    # （一） runs on over a second line: the line after （二） is （二）'s, not the section's.
    text = NOTICE.replace("（二）第二阶梯", "污水处理费另行列示。\n（二）第二阶梯")
    made = _made(text)
    clause = _block(made, "    clause 三", "section 二")
    assert CLOSING in clause
    assert "the sentences after clause" not in made
