"""The Pygments lexer: registered for *.policy, every keyword of the grammar known, no errors on
the shipped policies."""

from __future__ import annotations

import re
from pathlib import Path

from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Name, Number, Operator, String

from policyc.lexer import BOUNDARY_WORDS, CONSTANTS, KEYWORDS, PolicyLexer

REPO = Path(__file__).parent.parent


def test_registered_as_a_pygments_entry_point():
    assert isinstance(get_lexer_by_name("policyc"), PolicyLexer)
    assert isinstance(get_lexer_for_filename("tzf-2023-1.policy"), PolicyLexer)


def test_knows_every_keyword_of_the_grammar():
    grammar = (REPO / "grammar" / "policy.lark").read_text(encoding="utf-8")
    literals = set(re.findall(r'"([a-z_]+)"', grammar))
    assert literals == set(KEYWORDS) | set(CONSTANTS)
    boundary = set(re.findall(r'"([\u4e00-\u9fff]+)"', grammar))
    assert boundary == set(BOUNDARY_WORDS)


def test_tokens_of_a_rule():
    text = "  rule 电商物流补贴 { when 员工人数 50 人 以上 amount 0.2 元/单 × 年发货量 cap 100 万元 } # 注\n"
    tokens = [(t, v) for t, v in PolicyLexer().get_tokens(text) if v.strip()]
    assert (Keyword, "rule") in tokens
    assert (Name, "电商物流补贴") in tokens
    assert (Operator.Word, "以上") in tokens
    assert (Number, "0.2") in tokens
    assert (Name.Constant, "元/单") in tokens
    assert any(t in String or str(t).startswith("Token.Comment") for t, _ in tokens)


def test_the_shipped_policies_lex_without_errors():
    for path in (REPO / "policies").glob("*.policy"):
        tokens = PolicyLexer().get_tokens(path.read_text(encoding="utf-8"))
        assert not [v for t, v in tokens if t is Error], path
