"""A syntax error whose message already says what to write is not followed by a long list of
what the grammar allows there ("此处可有 12 种写法，例如 …", the recheck newcomer's noisy line
under the `÷` hint): the `÷` / `/` and `measure … = 1/60` hints stand alone, and any other
hint drops a list of more than ten; a short list, or one under a message without a hint,
stays (compiler/parser.py `_expected_text`)."""

from __future__ import annotations

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.parser import parse


def _diagnostic(text: str) -> tuple[str, str]:
    with pytest.raises(PolicyError) as caught:
        parse(text, "p.policy")
    (found, *_rest) = caught.value.diagnostics
    return found.message, found.expected


@pytest.mark.parametrize("sign", ["÷", "／"])
def test_the_divide_sign_hint_stands_alone(sign: str) -> None:
    message, expected = _diagnostic(
        f'clause 一 "t" {{\n  rule r {{ when a {sign} b amount 1 元 }}\n}}\n'
    )
    assert "divide(A, B, 分, half_up)" in message
    assert expected == ""


def test_a_slash_between_names_gets_a_hint_and_no_list() -> None:
    message, expected = _diagnostic('define 比 = 甲 / 乙 "比"\n')
    assert "divide(A, B, 分, half_up)" in message
    assert expected == ""


def test_a_labelled_mistake_drops_the_long_list() -> None:
    message, expected = _diagnostic("rule r { amount 1 元 }\n")
    assert "`rule`" in message and "clause" in message and "top level" in message  # where it goes
    assert expected == ""


def test_a_short_list_stays_under_a_hint() -> None:
    # `，` gets the ASCII hint; one thing (`{`) is allowed there, and that is said.
    message, expected = _diagnostic('clause 七 "t"， {\n}\n')
    assert "`,`" in message
    assert expected == "`{`"


def test_without_a_hint_the_list_stays() -> None:
    message, expected = _diagnostic('policy "x" {\n  title "a"\n')
    assert "the file ends" in message
    assert expected.startswith("one of ") and "`title`" in expected
