"""Number, measure and boundary word written together, read as the document writes them.

A document writes `50人以上`, `500万元及以上`, `200元/人以内`; the lexer's NAME (a run of word
characters) would take `人以上` as one measure. In a measure's place — the NAME right after a
number, or after a `/` inside a measure — a trailing boundary word is its own token, exactly
as if the drafter had typed a space: `50人以上` parses as `50 人 以上`.

Nothing else changes: a name elsewhere (`新签约亿元以上项目`, `满1年人数`) keeps its boundary
words, and a boundary word written before the number (`不少于50人`) needs no help, because
where a boundary word may come the parser does not accept a name (Lark's contextual lexer).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from lark import Token
from lark.lark import PostLex
from lark.lexer import TerminalDef

from policyc.compiler.bounds import PREFIX_WORDS, SUFFIX_WORDS
from policyc.compiler.i18n import _

# The words `suffix_bound` in grammar/policy.lark accepts, longest first (及以上 before 以上), and
# those of `prefix_bound`: compiler/bounds.py's table.
SUFFIX_BOUNDS: tuple[str, ...] = SUFFIX_WORDS
PREFIX_BOUNDS: tuple[str, ...] = PREFIX_WORDS
BOUNDARY_WORDS = PREFIX_BOUNDS + SUFFIX_BOUNDS


class GluedBoundaries(PostLex):
    """Lark's post-lexer that splits a trailing boundary word off a measure.

    `keyword_types` maps each boundary word to its terminal's name in the built parser; a word
    without a terminal is never split (a grammar without suffix bounds parses as before).
    """

    always_accept: Iterable[str] = ()

    def __init__(self, keyword_types: Mapping[str, str] | None = None):
        self.keyword_types: dict[str, str] = dict(keyword_types or {})

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        # "part": the next NAME is a measure's part (after a number, or after `/` in a measure);
        # "slash": a measure's part was just read, so a `/` continues the measure.
        state = ""
        for token in stream:
            if token.type == "NAME" and state == "part":
                pieces = self._split(token)
                yield from pieces
                state = "slash" if len(pieces) == 1 else ""  # after a boundary word, no `/`
                continue
            after_number = token.type == "NUMBER"
            state = "part" if after_number or (token.value == "/" and state == "slash") else ""
            yield token

    def _split(self, token: Token) -> list[Token]:
        """The measure and its boundary word, or the token alone when it ends with none."""
        text = str(token.value)
        word = next((w for w in SUFFIX_BOUNDS if text.endswith(w) and len(text) > len(w)), "")
        kind = self.keyword_types.get(word)
        if not word or kind is None or token.line != token.end_line:
            return [token]
        stem = text[: -len(word)]
        return [_piece(token, "NAME", stem, 0), _piece(token, kind, word, len(stem))]

    def __repr__(self) -> str:  # stable: the parser's cache key names its options
        return "GluedBoundaries()"


def _piece(token: Token, kind: str, value: str, offset: int) -> Token:
    """The part of `token` that starts `offset` characters into it."""
    start = (token.start_pos or 0) + offset
    column = (token.column or 1) + offset
    return Token(
        kind,
        value,
        start_pos=start,
        line=token.line,
        column=column,
        end_line=token.line,
        end_column=column + len(value),
        end_pos=start + len(value),
    )


def boundary_types(terminals: Iterable[TerminalDef]) -> dict[str, str]:
    """Each boundary word of SUFFIX_BOUNDS → the name of its terminal among `terminals`."""
    return {
        str(t.pattern.value): t.name
        for t in terminals
        if t.pattern.type == "str" and t.pattern.value in SUFFIX_BOUNDS
    }


def run_together(name: str, known: Iterable[str]) -> str:
    """`员工人数50人以上`, `员工人数不少于50人`: an unknown name that is a known one run into a
    number or a boundary word. The hint that says how to write it (`员工人数 50人以上`), or ""
    when `name` is no such thing."""
    names = set(known)
    for at in range(1, len(name)):
        rest = name[at:]
        if name[:at] in names and (rest[0].isdigit() or rest.startswith(BOUNDARY_WORDS)):
            return _(": a name and a condition written together; write `{written}`").format(
                written=f"{name[:at]} {rest}"
            )
    return ""
