"""The parser facade: text in, AST out, and Lark's exceptions turned into policyc diagnostics.

Nothing outside this module sees a Lark object. A syntax error becomes a `PolicyError` with
file:line:col, the source line and a caret, and what was expected in words.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from policyc.compiler import ast_marshal, cache
from policyc.compiler.errors import Diagnostic, PolicyError, Span
from policyc.compiler.i18n import _
from policyc.compiler.nodes import PolicyFile
from policyc.grammar import grammar_text

# Lark (and the tree builder that walks its trees) is imported where a file is actually parsed:
# a file whose AST is in the parse cache never needs it (a third of `policyc check`'s start).
if TYPE_CHECKING:
    from lark import Lark, Token, Tree
    from lark.exceptions import UnexpectedInput, UnexpectedToken

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
    """The parser (see `cached_lark`)."""
    return cached_lark()


@functools.cache
def cached_lark(keep_all_tokens: bool = False) -> Lark:
    """The parser, or with `keep_all_tokens` the formatter's (compiler/fmt.py), which keeps the
    tokens the AST builder drops. Building the LALR tables takes seconds, so they are kept,
    serialized by Lark as plain data (marshal, no pickle), in policyc's private cache, where
    each entry is authenticated before it is read (compiler/cache.py); never in a shared temp
    folder (Lark's own `cache=True` would unpickle a file from there). The post-lexer
    (compiler/glued.py) is no part of the tables: it is attached on every load."""
    from lark import Lark
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    options = LARK_OPTIONS | ({"keep_all_tokens": True} if keep_all_tokens else {})
    name = _tables_name(options)
    blob = cache.load_blob(name)
    if blob is not None:
        try:
            return _with_postlex(marshal.loads(blob))
        except (EOFError, ValueError, TypeError, KeyError, AttributeError, AssertionError):
            pass  # authentic but from a Lark that reads it differently: build afresh
    parser = Lark(grammar_text(), **options)
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    with contextlib.suppress(ValueError):  # a Lark whose tables hold more than plain data
        cache.store_blob(name, marshal.dumps({"data": data, "memo": memo}))
    return _with_postlex({"data": data, "memo": memo})


def _with_postlex(tables: dict[str, Any]) -> Lark:
    """The parser from its serialized tables, with the post-lexer that reads `50人以上` as
    `50 人 以上`."""
    from lark import Lark

    from policyc.compiler.glued import GluedBoundaries, boundary_types

    postlex = GluedBoundaries()
    parser = Lark.__new__(Lark)._load(tables, postlex=postlex)
    postlex.keyword_types = boundary_types(parser.terminals)
    return parser


def _tables_name(options: dict[str, Any]) -> str:
    """The cache entry of the tables: the grammar, the options, Lark's and Python's versions."""
    import lark

    digest = hashlib.sha256(grammar_text().encode())
    digest.update(f"{sorted(options.items())} lark {lark.__version__}".encode())
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
        message = _("expressions are nested more than {MAX_DEPTH} deep").format(MAX_DEPTH=MAX_DEPTH)
        raise PolicyError([Diagnostic(span, message, _("a simpler expression"))], {filename: text})
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
    _('a clause needs its number and a quoted title, as in: clause 七 "降低物流成本" { … }'): [
        "clause 七 { }",
        "section 二 { }",
    ],
    _("an input is declared as `input NAME: TYPE`, for example `input 员工人数: 人 optional`"): [
        "input 员工人数 人",
    ],
    _("items of a list in braces are separated by commas"): [
        "enum 类型 { 甲 乙 }",
        "table 标准 by 地点 { 省内: 2000 元/次 省外: 4000 元/次 }",
        'clause 一 "t" { rule r { amount tiers x highest { 达到 1 元: 1 元 达到 2 元: 2 元 } } }',
        'clause 一 "t" { rule r { when any_of { "a": x 达到 1 元 "b": y 达到 2 元 } } }',
    ],
    _("a boundary word after a name needs the number first, as in `员工人数 50 人 以上`"): [
        'clause 一 "t" { rule r { when 员工人数 以上 } }',
    ],
    _("one boundary word to a number: `不少于 50 人` or `50 人 以上`, not both"): [
        'clause 一 "t" { rule r { when x 不少于 50 人 以上 } }',
        'clause 一 "t" { rule r { when x 不少于 50 以上 } }',
        'clause 一 "t" { quote "q" rule r { when x 不少于 50 人 以上 } }',
        'clause 一 "t" { quote "q" responsible u rule r { when x 不少于 50 人 以上 } }',
    ],
    _('a choice names its rules, then quotes its sentence: choose highest of A, B quote "…"'): [
        "choose highest of a, b",
        'clause 一 "t" { choose highest of a, b }',
        'section 一 "t" { choose highest of a, b }',
    ],
}

_WORDS = {
    "NAME": _("a name"),
    "STRING": _('a quoted string ("…")'),
    "NUMBER": _("a number"),
    "INT": _("a whole number"),
    "DATE": _("a date (YYYY-MM-DD)"),
    "CMP_OP": _("a comparison (>= > <= < == !=)"),
    "ADD_OP": _("+ or -"),
    "MUL_OP": "×",
    "PERCENT": "%",
    "$END": _("the end of the file"),
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


def _expected_text(names: Iterable[str], hinted: bool = False) -> str:
    """What the grammar allows at the place, for the `expected` line; "" where the message
    already carries a hint (`hinted`) and the list would be long: the hint says what to write,
    and "one of 31 things here" would only bury it."""
    words = _terminal_words(names)
    if not words or (hinted and len(words) > 10):
        return ""
    if len(words) > 10:
        # A long list helps nobody: the symbols and a few keywords say enough.
        def keyword(word: str) -> bool:
            return word.startswith("`") and word[1:-1].replace("_", "").isalpha()

        shown = sorted(words, key=lambda w: (keyword(w), w))[:6]
        return _("one of {len_words} things here, such as ").format(
            len_words=len(words),
        ) + ", ".join(shown)
    if len(words) == 1:
        return words[0]
    return _("one of ") + ", ".join(words)


def _measure_fraction(source_line: str) -> str:
    """Why `measure 分钟 = 1/60 小时` is refused and how minutes are written (language.md
    "Minutes and other sizes no decimal holds")."""
    words = source_line.split()
    name = words[1] if len(words) > 1 else "分钟"
    return _(
        "a measure's size is an exact decimal multiple of a known measure, and a fraction such "
        "as 1/60 is no decimal: declare `measure {name}` as a measure of its own and count whole "
        "hours with a step of 60 {name}, as in `divide(2 元 × round(停放时长, 60 {name}, up), "
        "60 {name}, 元, down)`"
    ).format(name=name)


def _token_text(token: Token) -> str:
    if token.type == "$END":
        return _("the end of the file")
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
            _("unexpected character `{char}`").format(char=char) + (f": {hint}" if hint else ""),
            _expected_text(exc.allowed, hinted=bool(hint)) if exc.allowed else "",
        )
    if isinstance(exc, UnexpectedEOF):
        lines = text.splitlines() or [""]
        return Diagnostic(
            Span(filename, len(lines), len(lines[-1]) + 1),
            _('the file ends in the middle of a declaration (is a `}` or a `"` missing?)'),
            _expected_text(exc.expected),
        )
    assert isinstance(exc, UnexpectedToken)
    token = exc.token
    unknown_bound = _unknown_bound(exc)  # `不大于`: before the examples, which may match it too
    if unknown_bound is not None:
        return unknown_bound.at(filename, token, line, column)
    try:
        label = exc.match_examples(_lark().parse, _EXAMPLES, use_accepts=True)
    except TypeError:  # Lark 1.3 formats a parser state with %d in one path of match_examples
        label = None
    glued = None if label else _glued_word(text, line, column)
    if glued is not None and token.type != "$END":
        # The word is the mistake, not the token after it (often on the next line).
        word, boundary, word_line, word_column = glued
        # The drafter's own number and measure, up to the boundary word (`5人以上的` → `5人以上`).
        at = word.find(boundary)
        meant = word[: at + len(boundary)] if at > 0 and word[0].isdigit() else f"50人{boundary}"
        return Diagnostic(
            Span(filename, word_line, word_column, word_line, word_column + len(word)),
            _(
                "`{word}` is not a number, a measure and a boundary word written together: "
                "write them as in `{meant}`, with nothing run on after the boundary word"
            ).format(word=word, meant=meant),
            _("a number, a measure and a boundary word (`50人以上` or `50 人 以上`)"),
        )
    says_what_to_write = False  # a hint that says what to write stands without the list
    if token.type == "$END":
        message = _("the file ends before the declaration is complete (is a `}` missing?)")
    else:
        source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        if token.value == "/" and source_line.lstrip().startswith("measure "):
            label = _measure_fraction(source_line)  # `measure 分钟 = 1/60 小时`
            says_what_to_write = True
        elif not label and token.value == "/":  # `a / b`: `/` only joins measures (元/人)
            label = _divide_hint()
            says_what_to_write = True
        elif not label and token.value in ("define", "decide") and _in_rule(exc):
            label = _(
                "a `{word}` goes at the top level or in a section, clause or task (beside the "
                "sentence it restates), not inside a rule"
            ).format(word=token.value)
            says_what_to_write = True
        elif not label and token.value in _PART_ITEMS and _at_top_level(exc):
            label = _(
                "a `{word}` goes inside the section, clause or task whose sentence it restates "
                '(`clause 三 "…" {{ … }}`), not at the top level'
            ).format(word=token.value)
            if token.value == "quote":  # source text that states no rule is marked, not quoted
                label += _('; a sentence that states no rule is an `aside "text" "why"`')
            says_what_to_write = True
        elif not label and token.value == "shared_cap":  # in a clause or a rule
            label = _(
                "a `shared_cap` goes at the top level or in a section, not in a clause or a "
                "rule: write it in the section holding the article that states it, with that "
                "sentence as its `quote` and the rules or clauses it covers after `over`"
            )
            says_what_to_write = True
        message = _("unexpected {token_text_token}").format(
            token_text_token=_token_text(token),
        ) + (f": {label}" if label else "")
    end_column = (token.end_column or column + 1) if token.type != "$END" else column + 1
    return Diagnostic(
        Span(filename, line, column, token.end_line or line, end_column),
        message,
        "" if says_what_to_write else _expected_text(exc.accepts or exc.expected, bool(label)),
    )


# What only a section, clause or task holds (grammar/policy.lark `_clause_item`,
# `_section_item`): written at the top level, the parser's list of what it expected there names
# twenty other forms and never where the word belongs.
_PART_ITEMS = frozenset(
    ("rule", "quote", "note", "responsible", "lead", "fund", "target", "refers", "cooperates")
)


def _at_top_level(exc: UnexpectedToken) -> bool:
    """Whether the parser stood between top-level declarations (`section` was one thing it could
    read: nothing but the top level holds a section)."""
    patterns = {t.name: t.pattern for t in _lark().terminals}
    names = exc.accepts or exc.expected
    return any(getattr(patterns.get(name), "value", None) == "section" for name in names)


def _in_rule(exc: UnexpectedToken) -> bool:
    """Whether the parser stood among a rule's items (`when` was one thing it could read)."""
    patterns = {t.name: t.pattern for t in _lark().terminals}
    names = exc.accepts or exc.expected
    return any(getattr(patterns.get(name), "value", None) == "when" for name in names)


class _UnknownBound:
    """A word where a boundary word may stand that reads as one the grammar does not know
    (`不大于`, `末满`): the message names the nearest known word (compiler/bounds.py)."""

    def __init__(self, word: str, nearest: str):
        self.word, self.nearest = word, nearest

    def at(self, filename: str, token: Token, line: int, column: int) -> Diagnostic:
        """The diagnostic at the word (`token` where the parser stopped, at line:column)."""
        from policyc.compiler.bounds import BOUND_BY_WORD

        bound = BOUND_BY_WORD[self.nearest]
        includes = _("includes the number") if bound.includes else _("excludes the number")
        return Diagnostic(
            Span(filename, line, column, line, column + len(self.word)),
            _(
                "`{word}` is not a boundary word policyc knows: did you mean `{nearest}` "
                "({includes})?"
            ).format(word=self.word, nearest=self.nearest, includes=includes),
            _("a boundary word: {words}").format(words=_bound_words()),
        )


def _unknown_bound(exc: UnexpectedToken) -> _UnknownBound | None:
    """The unknown boundary word `exc` stopped at, when a boundary word was accepted there."""
    from policyc.compiler.bounds import ALL_WORDS, looks_like_bound, nearest_word

    token = exc.token
    if token.type != "NAME":
        return None
    # Lark's `accepts` leaves the boundary words out (they are names too); `expected` keeps them.
    accepted = set(_terminal_words([*(exc.accepts or ()), *exc.expected]))
    if not any(f"`{word}`" in accepted for word in ALL_WORDS):
        return None
    word = re.split(r"\d", str(token.value), maxsplit=1)[0]  # `不大于5` lexes as one name
    if not looks_like_bound(word):
        return None
    return _UnknownBound(word, nearest_word(word))


def _bound_words() -> str:
    """Every boundary word, those that include the number first: `不少于, …; 超过, …`."""
    from policyc.compiler.bounds import BOUNDS

    including = ", ".join(b.word for b in BOUNDS if b.includes)
    excluding = ", ".join(b.word for b in BOUNDS if not b.includes)
    return _("{including} (include the number); {excluding} (exclude it)").format(
        including=including, excluding=excluding
    )


def _glued_word(text: str, line: int, column: int) -> tuple[str, str, int, int] | None:
    """The word just before line:column (across lines and comments) that holds a boundary word
    inside it — `50人以上的` lexes as 50 and the measure `人以上的`, and the parser fails only at
    the token after it —, as (word, boundary word, line, column); None when there is none."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    seen = 0
    for number in range(line, 0, -1):
        row = _code(lines[number - 1])
        if number == line:
            row = row[: column - 1]
        words = [(m.group(), m.start() + 1) for m in re.finditer(r"\S+", row)]
        for word, at in reversed(words):
            for boundary in _suffix_bounds():  # a word before the number (不少于50人) lexes apart
                if boundary in word[1:]:
                    return word, boundary, number, at
            seen += 1
            if seen == 2:
                return None
    return None


def _suffix_bounds() -> tuple[str, ...]:
    from policyc.compiler.glued import SUFFIX_BOUNDS  # imports Lark: only for an error

    return tuple(SUFFIX_BOUNDS)


def _code(row: str) -> str:
    """A line without its comment (a `#` outside a string)."""
    quoted = False
    for at, char in enumerate(row):
        if char == '"' and (at == 0 or row[at - 1] != "\\"):
            quoted = not quoted
        elif char == "#" and not quoted:
            return row[:at]
    return row


def _divide_hint() -> str:
    """How a division is written: `/` and `÷` (as `run` and the site print it) are refused."""
    return _(
        "to divide, write `divide(A, B, 分, half_up)`: a division declares how its "
        "result is rounded (`/` only joins measures, as in 元/人)"
    )


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
        return _(
            "use the ASCII `{ascii_char}` in policy syntax (Chinese punctuation is for strings)"
        ).format(ascii_char=ascii_char)
    if char in "、；;":
        return _("separate list items with `,`")
    if char in "÷／":  # the sign `run` and the site print for `divide`, or a full-width slash
        return _divide_hint()
    return ""
