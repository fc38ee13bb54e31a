"""A name declared twice points to its first declaration (`file:line:col`), and when a target is
one of the two, says that a target's name is its reported figure (the 大病保险 newcomer declared
an input `结算系统改造完成率` beside the target of that name and was told only `已经声明过`).

The policies are written here line by line: conftest's HEADER takes lines 1–9, so the body's
first line is line 10; a name after `input ` starts at column 7, after `  define ` at 10.
"""

from __future__ import annotations

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import compile_policy
from tests.conftest import QUOTE, PolicyFactory

TARGET_WORDS = "a target's name is its reported figure"


def errors(policies: PolicyFactory, *body: str) -> str:
    path = policies.write("\n".join(body) + "\n")
    with pytest.raises(PolicyError) as caught:
        compile_policy(path)
    return str(caught.value).replace(str(path), "p.policy")


def clause(*items: str) -> str:
    return "\n".join(
        ['clause 七 "降低物流成本" {', f"  {QUOTE}", "  responsible 市商务局", *items, "}"]
    )


def test_an_input_named_as_a_target_points_to_the_input_and_says_why(
    policies: PolicyFactory,
) -> None:
    text = errors(
        policies,
        'input 完成率: % optional "x"',  # line 10
        clause("  target 完成率 达到 100% by 2024-12-31", "  rule 补 { amount 1 元 }"),
    )  # the clause opens on line 11, its target on line 14
    assert "p.policy:14:10: `完成率` is already declared (first at p.policy:10:7)" in text
    assert TARGET_WORDS in text


def test_a_define_named_as_a_target_points_to_the_target(policies: PolicyFactory) -> None:
    text = errors(
        policies,
        clause(
            "  target 完成率 达到 100% by 2024-12-31",  # line 13
            "  define 完成率 = 1 元",  # line 14
            "  rule 补 { amount 1 元 }",
        ),
    )
    assert "p.policy:14:10: `完成率` is already declared (first at p.policy:13:10)" in text
    assert TARGET_WORDS in text


def test_an_input_declared_twice_points_to_the_first(policies: PolicyFactory) -> None:
    text = errors(
        policies,
        'input 金额: 元 optional "x"',  # line 10
        'input 金额: 元 optional "y"',  # line 11
        clause("  rule 补 { amount 金额 }"),
    )
    assert "p.policy:11:7: input `金额` is declared twice (first at p.policy:10:7)" in text


def test_a_define_named_as_an_input_points_to_it_without_a_word_on_targets(
    policies: PolicyFactory,
) -> None:
    text = errors(
        policies,
        'input 金额: 元 optional "x"',  # line 10
        clause("  define 金额 = 1 元", "  rule 补 { amount 金额 }"),  # the define on line 14
    )
    assert "p.policy:14:10: `金额` is already declared (first at p.policy:10:7)" in text
    assert TARGET_WORDS not in text
