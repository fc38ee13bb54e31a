"""What only a section, clause or task holds (a rule, a quote, a fund …), written at the top
level, is told where it belongs (the housing-fund newcomer's finding 9: `unexpected rule …
expected 20 forms, e.g. end of file, aside, clause`)."""

from __future__ import annotations

import pytest

from policyc.compiler.errors_base import PolicyError
from policyc.compiler.parser import parse

HEADER = (
    'policy "测〔2026〕1号" {\n    title "测试"\n    issuer 测试单位\n    issued 2026-01-01\n}\n'
)
PLACE = "goes inside the section, clause or task whose sentence it restates"


def _error(body: str) -> str:
    with pytest.raises(PolicyError) as caught:
        parse(HEADER + body, "p.policy")
    return str(caught.value)


@pytest.mark.parametrize(
    "item",
    [
        "rule 补贴 {\n    amount 100 元\n}\n",
        'quote "第五条 ……"\n',
        'fund 专项资金 100 万元 "用途"\n',
        "responsible 市财政局\n",
        'note "说明"\n',
    ],
)
def test_an_item_of_a_part_at_the_top_level_is_told_where_it_goes(item: str):
    message = _error(item)
    word = item.split()[0]
    assert f"p.policy:6:1: unexpected `{word}`: a `{word}` {PLACE}" in message
    assert "not at the top level" in message
    assert "expected one of" not in message  # the list of twenty forms is no help here


def test_a_quote_at_the_top_level_also_names_aside():
    assert 'a sentence that states no rule is an `aside "text" "why"`' in _error('quote "甲"\n')
    assert "aside" not in _error("rule 补贴 {\n    amount 100 元\n}\n")


def test_the_same_items_inside_a_clause_or_section_parse():
    body = (
        'section 一 "总则" {\n    quote "第一条 甲"\n    rule 甲补贴 {\n        amount 1 元\n    }\n'
        '    clause 二 "乙" {\n        quote "第二条 乙"\n        note "说明"\n'
        "        rule 补贴 {\n            amount 100 元\n        }\n    }\n}\n"
    )
    parsed = parse(HEADER + body, "p.policy")
    assert [r.name.text for r in parsed.sections[0].rules] == ["甲补贴"]
    assert [r.name.text for r in parsed.sections[0].clauses[0].rules] == ["补贴"]


def test_a_misplaced_word_not_at_the_top_level_keeps_the_general_message():
    # a section inside a clause: not a top-level item, no part-item hint
    message = _error('clause 一 "甲" {\n    quote "甲"\n    section 二 "乙" {\n    }\n}\n')
    assert "unexpected `section`" in message
    assert PLACE not in message
