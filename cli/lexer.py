"""A Pygments lexer for policy files, registered as the entry point `policyc` (aliases `policy`,
`policyc`; files `*.policy`), so mkdocs and any Pygments user can highlight them."""

from __future__ import annotations

import re
from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text

from policyc.compiler.bounds import ALL_WORDS, SUFFIX_WORDS

# Kept in step with grammar/policy.lark by tests/test_lexer.py.
KEYWORDS = (
    "about", "alias", "all_of", "amount", "and", "any_of", "apply", "aside", "because",
    "beneficiary",
    "by", "cap", "choose", "clause", "convention", "cooperates", "corrected", "counting", "decide",
    "default",
    "define", "order", "over", "round", "rounding", "shared_cap", "dated", "on", "progressive",
    "else", "enum", "etc", "follows", "for", "from", "fund", "grants", "if", "in", "input",
    "interpreted_by", "is", "issued", "issuer", "kind", "law", "lead", "limit", "line", "lines",
    "not", "note", "of", "once", "option", "optional", "or", "ordered", "part", "per", "policy",
    "procedure", "provisional", "documentary", "group", "role", "one", "many", "at_most", "flow",
    "where", "counted", "less", "outside", "ascending", "descending", "range", "measure",
    "question", "quote", "reading", "received", "refers", "repair",
    "replaces", "responsible", "rule", "schedule", "section", "series", "since", "source", "step",
    "table", "take", "target", "task", "then", "tiers", "title", "to", "unit", "units",
    "unspecified", "until", "valid", "valid_by", "when", "within", "year",
    "calendar", "holidays", "complete", "work", "done",
)  # fmt: skip
CONSTANTS = ("true", "false", "bool", "date", "highest", "highest_new", "each", "each_new")
BOUNDARY_WORDS = ALL_WORDS  # compiler/bounds.py: one table, no Lark imported
# A recurring or standing deadline after `by` (`by 每季度`, `by 每月 25 日`, `by 长期`); the `日`
# of `每月 25 日` is a measure elsewhere (`per 日`), so it is not among them.
DEADLINE_WORDS = ("每季度", "每月", "每月底", "长期", "遇节假日顺延", "顺延")
_WORD_END = r"(?=[\s,:{}()\[\]]|$)"
# The boundary words a document writes after its number (`50人以上`, `200元/人以内`).
SUFFIX_BOUNDS = SUFFIX_WORDS
# The grammar's MONTH_DAY (within_each_year's days of the year).
MONTH_DAY = r"--\d{2}-\d{2}|\d{1,2}月(?:\d{1,2}日|底)"
# A number, its measure (written with or without a space) and a boundary word glued to the
# measure: the measure is matched lazily so that `人以上` is read as `人` and `以上`, as the
# parser reads it; a name elsewhere (`新签约亿元以上项目`) keeps its words.
MEASURE_AFTER_NUMBER = (
    r"(\d+(?:\.\d+)?)(\s*)([^\W\d][\w·]*?(?:/[^\W\d][\w·]*?)*?)"
    r"(" + "|".join(SUFFIX_BOUNDS) + r")?" + _WORD_END
)


# grammar/policy.lark's NAME, full-width parentheses inside included (`县（市、区）民政局`);
# tests/test_unit_parentheses.py holds the two equal.
NAME_PATTERN = r"[^\W\d][\w·]*(?:（[\w·、]+）[\w·]*)*"


class PolicyLexer(RegexLexer):
    name = "policyc"
    aliases: ClassVar[list[str]] = ["policyc", "policy"]
    filenames: ClassVar[list[str]] = ["*.policy"]
    flags = re.UNICODE

    tokens: ClassVar[dict[str, list]] = {  # type: ignore[type-arg]
        "root": [
            (r"\s+", Text),
            (r"#[^\n]*", Comment.Single),
            (r'"(?:[^"\\\n]|\\.)*"', String.Double),
            (r"\d{4}-\d{2}-\d{2}", Number.Other),
            (MONTH_DAY, Number.Other),  # a day of every year: 1月1日, --03-31, 2月底
            (
                r"(\d+(?:\.\d+)?)(\s*)(%|％)",
                bygroups(Number, Text, Operator),  # type: ignore[no-untyped-call]
            ),
            (
                MEASURE_AFTER_NUMBER,
                bygroups(Number, Text, Name.Constant, Operator.Word),  # type: ignore[no-untyped-call]
            ),
            (r"\d+(?:\.\d+)?", Number),
            (words(KEYWORDS, suffix=_WORD_END), Keyword),
            (words(DEADLINE_WORDS, suffix=_WORD_END), Keyword),
            (words(CONSTANTS, suffix=_WORD_END), Keyword.Constant),
            (words(BOUNDARY_WORDS, suffix=_WORD_END), Operator.Word),
            (r">=|<=|!=|==|[<>≥≤≠+\-−*×]", Operator),
            (r"[{}()\[\],:=/]", Punctuation),
            (NAME_PATTERN, Name),
            (r".", Text),
        ]
    }
