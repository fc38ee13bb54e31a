"""The Pygments lexer: registered for *.policy, every keyword of the grammar known, no errors on
the shipped policies."""

from __future__ import annotations

import re
from pathlib import Path

from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Name, Number, Operator, String

from policyc.lexer import BOUNDARY_WORDS, CONSTANTS, DEADLINE_WORDS, KEYWORDS, PolicyLexer

REPO = Path(__file__).parent.parent


def test_registered_as_a_pygments_entry_point():
    assert isinstance(get_lexer_by_name("policyc"), PolicyLexer)
    assert isinstance(get_lexer_for_filename("tzf-2023-1.policy"), PolicyLexer)


def test_knows_every_keyword_of_the_grammar():
    grammar = (REPO / "grammar" / "policy.lark").read_text(encoding="utf-8")
    literals = set(re.findall(r'"([a-z_]+)"', grammar))
    assert literals == set(KEYWORDS) | set(CONSTANTS)
    boundary = set(re.findall(r'"([\u4e00-\u9fff]+)"', grammar))
    # a deadline's words after `by`; 日 (of `每月 25 日`) is a measure elsewhere, not highlighted
    assert boundary == set(BOUNDARY_WORDS) | set(DEADLINE_WORDS) | {"日"}


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


def test_the_suffix_bounds_are_the_parsers():
    from policyc.compiler.glued import SUFFIX_BOUNDS as PARSER_SUFFIX_BOUNDS
    from policyc.lexer import SUFFIX_BOUNDS

    assert SUFFIX_BOUNDS == PARSER_SUFFIX_BOUNDS


def _words(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in PolicyLexer().get_tokens(text) if v.strip()]


def test_a_boundary_word_glued_to_its_measure_is_coloured_as_the_parser_reads_it():
    # compiler/glued.py reads `50人以上` as `50 人 以上`; the highlighter colours it the same way.
    assert _words("50人以上") == [(Number, "50"), (Name.Constant, "人"), (Operator.Word, "以上")]
    assert _words("50 人以上") == [(Number, "50"), (Name.Constant, "人"), (Operator.Word, "以上")]
    assert _words("500万元及以上") == [
        (Number, "500"),
        (Name.Constant, "万元"),
        (Operator.Word, "及以上"),
    ]
    assert _words("200元/人以内") == [
        (Number, "200"),
        (Name.Constant, "元/人"),
        (Operator.Word, "以内"),
    ]
    # A measure without a boundary word, and a name that contains one, keep their words.
    assert _words("600万单") == [(Number, "600"), (Name.Constant, "万单")]
    assert _words("新签约亿元以上项目") == [(Name, "新签约亿元以上项目")]


def test_the_textmate_grammar_splits_the_same_way():
    from policyc.textmate import textmate_grammar

    measure = next(p for p in textmate_grammar()["patterns"] if "captures" in p)
    found = re.match(measure["match"], "200元/人以内")
    assert found is not None
    assert (found.group(1), found.group(3), found.group(4)) == ("200", "元/人", "以内")
    found = re.match(measure["match"], "600万单")
    assert found is not None and (found.group(3), found.group(4)) == ("万单", None)
