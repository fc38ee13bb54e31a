"""A quotient compared with a value (tidy10, item 5) reads one way in Chinese wherever it is
shown: `--explain`'s steps, `run`'s 为何不适用 and the site all take compiler/render.py's words.

The division keeps its brackets (`(甲 + 乙) ÷ 丙`) and its rounding note; a symbol stands apart
from both sides (`… > 1元/人`); a boundary word is written against its value, so a value of
arithmetic after it is bracketed — `甲 超过乙 ÷ 丙` would read as (超过乙) ÷ 丙. Expected words
are written by hand from the expressions."""

from __future__ import annotations

from datetime import date

import pytest

from policyc.compiler import nodes as n
from policyc.compiler.parser import parse
from policyc.compiler.render import render, render_threshold
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory


def _when(cond: str) -> n.Expr:
    parsed = parse(f'clause 1 "一" {{\n    rule r {{ when {cond} amount 1 元 }}\n}}\n', "x.policy")
    (when,) = parsed.clauses[0].rules[0].whens
    return when


@pytest.mark.parametrize(
    ("cond", "words"),
    [
        ("divide(a + b, c, 元, down) 超过 1 元", "(a + b) ÷ c（舍去到元） 超过1元（不含本数）"),
        ("divide(a, b - c, 分, up) > 1 元", "a ÷ (b − c)（进一到分） > 1元（不含本数）"),
        ("divide(a, b × c, 分, up) >= 1 元", "a ÷ (b × c)（进一到分） ≥ 1元（含本数）"),
        ("divide(a, b, 元, down) 1 元 以上", "a ÷ b（舍去到元） 1元以上（含本数）"),
        ("divide(a, b, 分, up) - 1 元 >= 0 元", "a ÷ b（进一到分） − 1元 ≥ 0元（含本数）"),
        # on the right: apart from a symbol, bracketed after a word
        ("a > divide(b, c, 分, up)", "a > b ÷ c（进一到分）（不含本数）"),
        ("a 超过 divide(b, c, 分, up)", "a 超过(b ÷ c（进一到分）)（不含本数）"),
        ("a 不满 divide(b + c, d, 分, up)", "a 不满((b + c) ÷ d（进一到分）)（不含本数）"),
        ("a 满 b + c", "a 满(b + c)（含本数）"),
        ("a 超过 max(b, c)", "a 超过(b与c中较大者)（不含本数）"),
        # a name, a literal or a closed phrase after a word needs no brackets
        ("a 超过 b", "a 超过b（不含本数）"),
        ("a 不满 3 元", "a 不满3元（不含本数）"),
        ("a 超过 20% of b", "a 超过b的20%（不含本数）"),
    ],
)
def test_a_quotient_and_its_comparison_read_one_way(cond: str, words: str) -> None:
    assert render(_when(cond)) == words


def test_a_tier_threshold_after_a_word_brackets_its_arithmetic() -> None:
    span = n.Ref("a").span
    quotient = _when("divide(a, b, 分, up) > 1 元")
    assert isinstance(quotient, n.Compare)
    threshold = n.Threshold("ge", "满", quotient.left, span)
    assert render_threshold(threshold) == "满(a ÷ b（进一到分）)（含本数）"
    symbol = n.Threshold("ge", ">=", quotient.left, span)
    assert render_threshold(symbol) == "≥ a ÷ b（进一到分）（含本数）"


DECLARATIONS = 'input 甲: 元 "甲"\ninput 乙: 元 "乙"\ninput 丙: 人 "丙"\n'
RULES = """
  rule 补贴 {
    when divide(甲 + 乙, 丙, 元, down) 超过 1 元/人
    amount 10 元
  }
  rule 补足 {
    when 1 元/人 超过 divide(甲, 丙, 元, down)
    amount 10 元
  }
"""


def test_explain_and_the_reason_say_the_same_words(policies: PolicyFactory) -> None:
    policy = policies.compile(RULES, DECLARATIONS)
    # (1元 + 0元) ÷ 2人 = 0.5元/人, rounded down to 元: 0元/人, not over 1元/人.
    results = {
        r.info.name: r
        for r in policy.evaluate(
            {"甲": Quantity.of(1, "元"), "乙": Quantity.of(0, "元"), "丙": Quantity.of(2, "人")},
            date(2023, 3, 1),
            explain=True,
        )
    }
    over = "(甲 + 乙) ÷ 丙（舍去到元） 超过1元/人（不含本数）"
    assert results["补贴"].status == "not_applicable"
    assert results["补贴"].reason == f"条件不成立: {over}"
    steps = [s.text for s in results["补贴"].steps]
    assert "(甲 + 乙) ÷ 丙（舍去到元）: 1元 ÷ 2人 = 0元/人" in steps
    assert f"{over}: 0元/人 对 1元/人 → 不成立" in steps
    # 1元/人 is over 0元/人: applies; its words bracket the quotient after the word.
    assert results["补足"].status == "applies"
    assert any(
        s.startswith("1元/人 超过(甲 ÷ 丙（舍去到元）)（不含本数）")
        for s in [s.text for s in results["补足"].steps]
    )
