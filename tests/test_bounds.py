"""The one table of boundary words (compiler/bounds.py): the grammar lists the same words, the
new words 不高于 / 不多于 (include the number) and 未满 (excludes it) on both sides of their number
on the traced and the fast path, and a word the grammar does not know gets a did-you-mean."""

from __future__ import annotations

import re
from datetime import date

import pytest

from policyc.compiler.bounds import BOUND_BY_WORD, BOUNDS, PREFIX_WORDS, SUFFIX_WORDS, nearest_word
from policyc.compiler.errors import PolicyError
from policyc.compiler.parser import parse
from policyc.grammar import grammar_text
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory
from tests.test_fastpath import both

ON = date(2023, 6, 30)


def _clause(when: str) -> str:
    return f'clause 1 "一" {{\n    rule r {{ {when} amount 1 元 }}\n}}\n'


def _rule_words(rule: str) -> set[str]:
    grammar = grammar_text()
    body = re.search(rf"^!{rule}:(.*?)(?=^\S)", grammar, re.M | re.S)
    assert body is not None
    return set(re.findall(r'"([^"]+)"', body.group(1)))


def test_the_grammar_lists_exactly_the_words_of_the_table() -> None:
    assert _rule_words("prefix_bound") == set(PREFIX_WORDS)
    assert _rule_words("suffix_bound") == set(SUFFIX_WORDS)
    assert len({b.word for b in BOUNDS}) == len(BOUNDS)


def test_the_civil_code_words_include_or_exclude_the_number() -> None:
    # 民法典 art. 1259: 以上、以下、以内、届满 include the number; 不满、超过、以外 do not.
    for word in ("以上", "以下", "以内", "届满", "不高于", "不多于", "不超过"):
        assert BOUND_BY_WORD[word].includes, word
    for word in ("不满", "超过", "以外", "未满", "低于"):
        assert not BOUND_BY_WORD[word].includes, word


# word, then whether 49 / 50 / 51 人 satisfy `员工人数 WORD 50 人` (worked from the words' sense).
NEW_WORDS = [
    ("不高于", {49: True, 50: True, 51: False}),
    ("不多于", {49: True, 50: True, 51: False}),
    ("未满", {49: True, 50: False, 51: False}),
]


@pytest.mark.parametrize(("word", "truth"), NEW_WORDS, ids=[w for w, _ in NEW_WORDS])
def test_a_new_word_on_both_sides_of_its_number(
    policies: PolicyFactory, word: str, truth: dict[int, bool]
) -> None:
    policy = policies.compile(
        f"rule r {{ when 员工人数 {word} 50 人 amount 1 元 }}", "input 员工人数: 人"
    )
    for staff, holds in truth.items():
        inputs = {"员工人数": Quantity.of(staff, "人")}
        (result,) = policy.evaluate(inputs, ON)
        assert result.status == ("applies" if holds else "not_applicable"), (word, staff)
        both(policy, inputs, ON)


def test_a_new_word_glued_to_its_number(policies: PolicyFactory) -> None:
    # `未满50人` lexes as the word and 50 人, as `不满50人` does.
    policy = policies.compile("rule r { when 员工人数 未满50人 amount 1 元 }", "input 员工人数: 人")
    statuses = [policy.evaluate({"员工人数": Quantity.of(n, "人")}, ON)[0].status for n in (49, 50)]
    assert statuses == ["applies", "not_applicable"]


def test_a_new_word_as_a_band_edge_and_its_words_on_the_site(policies: PolicyFactory) -> None:
    from policyc.compiler.render import render

    # 不高于3000元的部分 3%, 超过3000元的部分 10%: 3000元 → 90元; 3001元 → 90元 + 1元 × 10% = 90.1元.
    policy = policies.compile(
        "rule r { amount progressive 收入 { 不高于 3000 元: 3%, 超过 3000 元: 10% } }",
        "input 收入: 元",
    )
    amounts = [policy.evaluate({"收入": Quantity.of(n, "元")}, ON)[0].amount for n in (3000, 3001)]
    assert amounts == [Quantity.of(90, "元"), Quantity.of("90.1", "元")]
    parsed = parse(_clause("when 员工人数 不高于 5 人"), "x.policy")
    (when,) = parsed.clauses[0].rules[0].whens
    assert render(when) == "员工人数 不高于5人（含本数）"


@pytest.mark.parametrize(
    ("written", "meant", "includes"),
    [
        ("不大于", "不高于", "includes"),
        ("末满", "未满", "excludes"),
        ("不少与", "不少于", "includes"),
    ],
)
def test_an_unknown_boundary_word_names_the_nearest_known_one(
    written: str, meant: str, includes: str
) -> None:
    text = _clause(f"when 员工人数 {written} 50 人")
    with pytest.raises(PolicyError) as caught:
        parse(text, "x.policy")
    (problem,) = caught.value.diagnostics
    assert problem.message == (
        f"`{written}` is not a boundary word policyc knows: did you mean `{meant}` "
        f"({includes} the number)?"
    )
    assert (problem.span.line, problem.span.column) == (2, text.splitlines()[1].index(written) + 1)
    assert "不高于" in problem.expected and "31" not in problem.expected


def test_an_unknown_word_glued_to_its_number_is_named_without_the_number() -> None:
    with pytest.raises(PolicyError) as caught:
        parse(_clause("when 比例 不大于5.5%"), "x.policy")
    assert caught.value.diagnostics[0].message.startswith("`不大于` is not a boundary word")


def test_a_name_that_is_no_boundary_word_keeps_the_parser_message() -> None:
    with pytest.raises(PolicyError) as caught:
        parse(_clause("when 员工人数 上年度 50 人"), "x.policy")
    assert "is not a boundary word" not in caught.value.diagnostics[0].message


def test_nearest_word() -> None:
    assert nearest_word("不大于") == "不高于"
    assert nearest_word("小于") == "低于"
    assert nearest_word("不超") == "不超过"
    assert nearest_word("上年度") == ""


def test_the_language_server_completes_the_boundary_words(tmp_path: object) -> None:
    from policyc.editing import Document

    items = {label: detail for label, kind, detail in Document("x.policy").completions()}
    assert items["不高于"] == "含本数"
    assert items["未满"] == "不含本数"
    assert items["以上"] == "含本数"
