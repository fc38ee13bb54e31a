"""The parser facade: text in, AST out, and Lark's exceptions turned into policyc diagnostics.

Nothing outside this module sees a Lark object. A syntax error becomes a `PolicyError` with
file:line:col, the source line and a caret, and what was expected in words.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from policyc.compiler import ast_marshal, cache
from policyc.compiler.errors import Diagnostic, PolicyError, Span
from policyc.compiler.nodes import PolicyFile
from policyc.grammar import grammar_text

# Lark (and the tree builder that walks its trees) is imported where a file is actually parsed:
# a file whose AST is in the parse cache never needs it (a third of `policyc check`'s start).
if TYPE_CHECKING:
    from lark import Lark, Token, Tree
    from lark.exceptions import UnexpectedInput

# Lark's strict mode (terminal collisions, shift/reduce conflicts as errors) needs `interegular`,
# which the base install does not bring; the grammar is fixed and shipped, so the strict build
# is a test (tests/test_grammar.py) and the runtime builds the very same tables without it.
LARK_OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "propagate_positions": True,
    "maybe_placeholders": True,
}


@functools.cache
def _lark() -> Lark:
    """The parser. Building its LALR tables takes seconds, so they are kept, serialized by Lark
    as plain data (marshal, no pickle), in policyc's private cache, where each entry is
    authenticated before it is read (compiler/cache.py); never in a shared temp folder."""
    from lark import Lark
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    name = _tables_name()
    blob = cache.load_blob(name)
    if blob is not None:
        try:
            return Lark.load(marshal.loads(blob))
        except (EOFError, ValueError, TypeError, KeyError, AttributeError, AssertionError):
            pass  # authentic but from a Lark that reads it differently: build afresh
    parser = Lark(grammar_text(), **LARK_OPTIONS)
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    with contextlib.suppress(ValueError):  # a Lark whose tables hold more than plain data
        cache.store_blob(name, marshal.dumps({"data": data, "memo": memo}))
    return parser


def _tables_name() -> str:
    """The cache entry of the tables: the grammar, the options, Lark's and Python's versions."""
    import lark

    digest = hashlib.sha256(grammar_text().encode())
    digest.update(f"{sorted(LARK_OPTIONS.items())} lark {lark.__version__}".encode())
    digest.update(cache.python_tag().encode())
    return "lark-" + digest.hexdigest()


def parse(text: str, filename: str) -> PolicyFile:
    """Parse one policy file. Raises PolicyError on a syntax error. A file parsed before under
    the same name, with the same text and the same policyc, comes from the private cache
    (compiler/ast_marshal.py) without Lark."""
    key = _parse_key(text, filename)
    body = cache.load_entry(key)
    if body is not None:
        try:
            found = ast_marshal.decode(marshal.loads(body))
        except (EOFError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            found = None  # authentic but unreadable: parse afresh
        if isinstance(found, PolicyFile):
            return found
    policy = _parse(text, filename)
    with contextlib.suppress(ValueError, RecursionError):  # not plain data: not kept
        cache.store_entry(key, marshal.dumps(ast_marshal.encode(policy)))
    return policy


def _parse_key(text: str, filename: str) -> str:
    digest = hashlib.sha256(b"policyc parse\0")
    digest.update(cache.compiler_fingerprint())
    digest.update(cache.python_tag().encode() + b"\0")
    digest.update(filename.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return "parse-" + digest.hexdigest()


def _parse(text: str, filename: str) -> PolicyFile:
    from lark.exceptions import UnexpectedInput

    from policyc.compiler.build import build_policy

    try:
        tree = _lark().parse(text)
    except UnexpectedInput as exc:
        raise PolicyError([_diagnose(exc, text, filename)], {filename: text}) from None
    too_deep = _too_deep(tree)
    if too_deep is not None:
        span = Span(filename, too_deep.line or 1, too_deep.column or 1)
        message = f"expressions are nested more than {MAX_DEPTH} deep"
        raise PolicyError([Diagnostic(span, message, "a simpler expression")], {filename: text})
    try:
        return build_policy(tree, filename)
    except PolicyError as exc:  # the builder knows no source text; attach it for the excerpt
        raise PolicyError(exc.diagnostics, {filename: text}) from None


MAX_DEPTH = 64  # the shipped policies reach 13; generated Python must stay well within limits


def _too_deep(tree: Tree[Token]) -> Any:
    """The metadata of the first node deeper than MAX_DEPTH, found without recursion."""
    from lark import Tree

    stack: list[tuple[Tree[Token], int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH + 40:  # the file's own structure adds a few levels
            return node.meta
        stack.extend((c, depth + 1) for c in node.children if isinstance(c, Tree))
    return None


def parse_tree(text: str) -> Tree[Token]:
    """The raw parse tree; for tools (the docs' source view) that need token positions."""
    return _lark().parse(text)


# ---- turning Lark's exceptions into words -----------------------------------------------------

# Malformed snippets and what to tell the drafter when an error lands in the same parser state.
_EXAMPLES: dict[str, list[str]] = {
    'a clause needs its number and a quoted title, as in: clause 七 "降低物流成本" { … }': [
        "clause 七 { }",
        "section 二 { }",
    ],
    "an input is declared as `input NAME: TYPE`, for example `input 员工人数: 人 optional`": [
        "input 员工人数 人",
    ],
    "items of a list in braces are separated by commas": [
        "enum 类型 { 甲 乙 }",
        "table 标准 by 地点 { 省内: 2000 元/次 省外: 4000 元/次 }",
        'clause 一 "t" { rule r { amount tiers x highest { 达到 1 元: 1 元 达到 2 元: 2 元 } } }',
        'clause 一 "t" { rule r { when any_of { "a": x 达到 1 元 "b": y 达到 2 元 } } }',
    ],
    "a boundary word after a name needs the number first, as in `员工人数 50 人 以上`": [
        'clause 一 "t" { rule r { when 员工人数 以上 } }',
    ],
    "a `rule` belongs inside a `clause` or a `section`": [
        "rule r { }",
    ],
}

_WORDS = {
    "NAME": "a name",
    "STRING": 'a quoted string ("…")',
    "NUMBER": "a number",
    "INT": "a whole number",
    "DATE": "a date (YYYY-MM-DD)",
    "CMP_OP": "a comparison (>= > <= < == !=)",
    "ADD_OP": "+ or -",
    "MUL_OP": "×",
    "PERCENT": "%",
    "$END": "the end of the file",
}


def _terminal_words(names: Iterable[str]) -> list[str]:
    patterns = {t.name: t.pattern for t in _lark().terminals}
    words: set[str] = set()
    for name in names:
        if name in _WORDS:
            words.add(_WORDS[name])
        elif name in patterns and patterns[name].type == "str":
            words.add(f"`{patterns[name].value}`")
        else:
            words.add(name.lower())
    return sorted(words)


def _expected_text(names: Iterable[str]) -> str:
    words = _terminal_words(names)
    if not words:
        return ""
    if len(words) > 10:
        # A long list helps nobody: the symbols and a few keywords say enough.
        def keyword(word: str) -> bool:
            return word.startswith("`") and word[1:-1].replace("_", "").isalpha()

        shown = sorted(words, key=lambda w: (keyword(w), w))[:6]
        return f"one of {len(words)} things here, such as " + ", ".join(shown)
    if len(words) == 1:
        return words[0]
    return "one of " + ", ".join(words)


def _token_text(token: Token) -> str:
    if token.type == "$END":
        return "the end of the file"
    return f"`{token.value}`"


def _diagnose(exc: UnexpectedInput, text: str, filename: str) -> Diagnostic:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    line = getattr(exc, "line", 0) or 0
    column = getattr(exc, "column", 0) or 0
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        char = text[pos] if pos < len(text) else ""
        hint = _char_hint(char)
        return Diagnostic(
            Span(filename, line, column, line, column + 1),
            f"unexpected character `{char}`" + (f": {hint}" if hint else ""),
            _expected_text(exc.allowed) if exc.allowed else "",
        )
    if isinstance(exc, UnexpectedEOF):
        lines = text.splitlines() or [""]
        return Diagnostic(
            Span(filename, len(lines), len(lines[-1]) + 1),
            'the file ends in the middle of a declaration (is a `}` or a `"` missing?)',
            _expected_text(exc.expected),
        )
    assert isinstance(exc, UnexpectedToken)
    token = exc.token
    try:
        label = exc.match_examples(_lark().parse, _EXAMPLES, use_accepts=True)
    except TypeError:  # Lark 1.3 formats a parser state with %d in one path of match_examples
        label = None
    hint = label or _glued_word_hint(text, line, column)
    if token.type == "$END":
        message = "the file ends before the declaration is complete (is a `}` missing?)"
    else:
        message = f"unexpected {_token_text(token)}" + (f": {hint}" if hint else "")
    end_column = (token.end_column or column + 1) if token.type != "$END" else column + 1
    return Diagnostic(
        Span(filename, line, column, token.end_line or line, end_column),
        message,
        _expected_text(exc.accepts or exc.expected),
    )


_BOUNDARY_WORDS = (
    "以上",
    "以下",
    "以内",
    "以外",
    "不少于",
    "不低于",
    "不超过",
    "超过",
    "不满",
    "达到",
)


def _glued_word_hint(text: str, line: int, column: int) -> str:
    """`50人以上` lexes as 50 and one name `人以上`: say so instead of a bare 'unexpected'."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    words = lines[line - 1][: column - 1].split()
    for word in reversed(words[-2:]):
        for boundary in _BOUNDARY_WORDS:
            if boundary in word and word != boundary:
                return (
                    f"`{word}` is read as one word; write the boundary word `{boundary}` apart, "
                    f"as in `50 人 {boundary}`"
                )
    return ""


def _char_hint(char: str) -> str:
    fullwidth = {
        "，": ",",
        "：": ":",
        "（": "(",
        "）": ")",
        "｛": "{",
        "｝": "}",
        "“": '"',
        "”": '"',
    }
    if char in fullwidth:
        ascii_char = fullwidth[char]
        return f"use the ASCII `{ascii_char}` in policy syntax (Chinese punctuation is for strings)"
    if char in "、；;":
        return "separate list items with `,`"
    return ""
