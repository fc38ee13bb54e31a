"""`policyc new`'s one rule for a part that says one sentence and nothing else (skeleton
`_one_sentence`): untitled, marked, and its sentence quoted — whatever mark ends the sentence
(。；; ！？ or a last `.`), and for an article whose own line holds its whole text however many
sentences. Before, two rules disagreed at these edges: a section ending in `;` or `？` kept its
sentence as its title and quoted nothing, and an article of two sentences took its first as its
title (tidy9, item 3). The shipped documents' skeletons are unchanged (test_skeleton.py)."""

from __future__ import annotations

import pytest

from policyc.compiler.skeleton import skeleton

HEAD = """青山市发展和改革委员会关于调整居民生活用水价格的通知
青发改价格〔2026〕12号
各区人民政府：
为促进节约用水，现就有关事项通知如下。
一、居民生活用水按年度用水量计价。
"""
TAIL = """三、本通知自2027年1月1日起执行。
青山市发展和改革委员会
2026年11月20日
"""
UNTITLED = 'section 二 "" {  # TODO(drafter): the document gives section 二 no title'


def _made(text: str) -> str:
    return skeleton(text.splitlines(), 1, "n.txt", lambda unit: unit)


@pytest.mark.parametrize("end", ["。", "；", ";", "？", "!", "."])
def test_a_one_sentence_section_is_untitled_and_quoted_whatever_ends_it(end: str) -> None:
    sentence = f"城乡低保家庭每户每月免收水量5立方米{end}"
    made = _made(f"{HEAD}二、{sentence}\n{TAIL}")
    assert UNTITLED in made
    assert f'    quote "{sentence}"' in made


def test_a_heading_without_a_sentence_end_stays_the_title() -> None:
    made = _made(f"{HEAD}二、职责分工\n市水务局负责抄表计费。\n{TAIL}")
    assert 'section 二 "职责分工" {' in made
    assert '    quote "市水务局负责抄表计费。"' in made


def test_a_one_sentence_clause_ending_in_a_semicolon_is_untitled() -> None:
    made = _made(
        HEAD.replace("一、居民生活用水按年度用水量计价。", "一、居民生活用水实行阶梯水价。")
        + "（一）对甲类家庭，每户每月免收水量5立方米;\n（二）对乙类家庭，每户每月免收水量3立方米;\n"
        + TAIL
    )
    assert 'clause 一 "" {  # TODO(drafter): the document gives clause 一 no title' in made
    assert '        quote "对甲类家庭，每户每月免收水量5立方米;"' in made


ARTICLES = """青山市居民生活用水管理办法
第一条 为促进节约用水，制定本办法。
第二条 城乡低保家庭每户每月免收水量5立方米。本办法由市水务局负责解释。
第三条 医疗救助
供水企业按月抄表。
第四条 本办法自2027年1月1日起施行。
"""


def test_an_article_of_two_sentences_on_its_line_is_untitled() -> None:
    made = _made(ARTICLES)
    # untitled, and unmarked: an article has no title to fill (skel12)
    assert 'clause 二 "" {\n' in made
    assert '    quote "第二条 城乡低保家庭每户每月免收水量5立方米。"' in made
    assert '    quote "本办法由市水务局负责解释。"' in made
    # a title before its text stays: `第三条 医疗救助` then a line of its own
    assert 'clause 三 "医疗救助" {' in made
    assert 'clause 四 "" {' in made  # one sentence: untitled, before and after
