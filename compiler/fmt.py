"""`policyc fmt`: one canonical layout for policy files, comments kept where they were.

The formatter works from the full parse tree (every token kept, so nothing but whitespace can
change) and the file's comments (compiler/comments.py). Its rules:

- blocks (`policy`, `section`, `clause`, `task`, `rule`, `reading`, `repair`, `procedure`,
  `group`, `shared_cap`, a target's quotes):
  the opening brace ends the header line, one statement per line indented 4 spaces deeper,
  the closing brace alone on its line; an empty block is `{ }`;
- brace lists (`enum`, `table`, `tiers`, `schedule`, `progressive`, `dated`, `any_of`,
  `all_of`, `in`, `valid by reading`,
  `ordered by reading`): written on one line (`{ a, b }`, and `in {a, b}`
  tight, like a set) unless the list ends with a comma or holds a comment, in which case
  each item sits on its own line, followed by a comma;
  the rows of an expanded `tiers`, `table` or `schedule` (`达到 5000 万元: 5 万元`) are
  aligned after their colon;
- one space between words; none before `,` `:` `)` `]` `%`, after `(` `[`, around the `/`
  of a measure, or between a function's name and its `(`;
- a statement wider than WIDTH columns (display width, as ruff measures the project's Python) is
  wrapped before its operators, never inside a token: a quote stays whole, as the gazette prints
  it. The break goes before every operator of the weakest kind (the `to` of `amount range A to
  B`, so its two ends go on two lines before either breaks inside; `else`, then `or`, `and`,
  then `+ -`, then a `×` after a bracket, and last `then`: `(if … then …` still too wide after
  its `else` went to the next line) among those least deep in brackets (`(`, `[` and `{` alike,
  so `(if … else …) × (if … else …)` breaks before its `×`, not inside a bracket, and an
  operator inside `schedule { … }` is deeper than one outside it); the pieces after the first
  are one level deeper (`choose highest of A, B` with its `quote "…"` on the next line, too wide
  together, breaks before the `quote`); a piece still too wide is wrapped again the same way
  inside it, except that an `if`'s `then` goes where its `else` goes (`then` and `else` start at
  one column). The input's own line breaks inside a statement are not kept (but a comment's), so
  the layout is a function of the tokens and formatting twice is formatting once;
- blank lines between statements are kept (at most one in a row), none after an opening
  brace or before a closing one;
- a comment alone on its line stays alone on its line, at the indentation of what follows;
  a comment after code stays after that code, two spaces after it; the comments of
  consecutive lines are aligned two columns after the widest code among those at most 80
  columns wide (display width: a Chinese character is two);
- a comment inside a statement ends its line there; the statement goes on one level deeper.

`format_text` is idempotent and faithful: the formatted text parses to an AST equal to the
original's (tests/test_fmt.py checks both on every shipped policy and a generated corpus).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import attrs
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput

from policyc.compiler.comments import Comment, comments
from policyc.compiler.errors import PolicyError

INDENT = "    "
WIDTH = 100  # a statement wider than this is wrapped at its operators (ruff's line length)
# Where a long statement may break, before these tokens; the weakest binding first.
# A `quote` inside a statement (`choose highest of … quote "…"`, `rounding … quote "…"`) is no
# operator: the only place such a statement breaks, before its sentence.
# `×` binds tighter than `+`, so it breaks after `+ -` do; before `then`, which only breaks an
# `if` still too wide after its `else` went to the next line. A `×` is a break only after a
# bracket (`(…) × (…)`, `(… - …) × 期限`): a short factor before it (`15 × (if …)`,
# `0.2 元/单 × (…)`) stays with what it multiplies, which breaks inside its brackets instead.
_BREAK_RANK = {
    "else": 0,
    "or": 1,
    "and": 2,
    "+": 3,
    "-": 3,
    "−": 3,
    "×": 4,
    "*": 4,
    "then": 5,
    "quote": 6,
}
_BREAK_AFTER_BRACKET_ONLY = frozenset({"×", "*"})
# `amount range A to B` breaks before its `to` first, weaker than any operator of its ends:
# the two ends go on two lines (`to B` one level deeper) before either is broken inside. Only
# the range's `to` is a break (`source … lines 42 to 108` never wraps there).
_RANGE_TO_RANK = -1

# Nodes whose braces hold statements, and the keywords that start a statement inside them
# besides a sub-tree (the fields of `reading` and `repair` are plain tokens in the grammar).
_BLOCKS: dict[str, frozenset[str]] = {
    "policy_block": frozenset(),
    "section": frozenset(),
    "clause": frozenset(),
    "task": frozenset(),
    "rule": frozenset(),
    "procedure_decl": frozenset(),
    "group_decl": frozenset(),
    "shared_cap_decl": frozenset(),
    "target_quotes": frozenset(),  # `target … {` its own `quote "…"` lines `}`
    "reading_decl": frozenset({"question", "take"}),
    "repair_decl": frozenset({"line", "received", "corrected", "because"}),
    "holidays_decl": frozenset({"complete"}),  # a year's 节假日安排 (compiler/holiday_notices.py)
}
# Nodes whose braces hold a comma-separated list.
_LISTS = frozenset(
    {
        "enum_decl",
        "table_decl",
        "tiers",
        "schedule",
        "progressive",
        "dated",
        "any_of",
        "all_of",
        "in_",
        "valid_reading",
        "order_reading",
    }
)
# List items with a `label: value` shape, aligned after the colon when the list is expanded.
_ROWS = frozenset({"table_row", "tier_row", "schedule_row", "band_row", "dated_row"})
# Trailing comments are aligned only after code at most this wide; after wider code (a long
# quote), the comment follows two spaces after it.
ALIGN_LIMIT = 80
_NO_SPACE_BEFORE = frozenset({",", ":", ")", "]", "/"})
_NO_SPACE_AFTER = frozenset({"(", "[", "/"})


def _lark() -> Lark:
    # The parser's own grammar, options and post-lexer (`50人以上` read as `50 人 以上`), keeping
    # the tokens the AST builder drops; its tables from policyc's private cache.
    from policyc.compiler.parser import cached_lark

    return cached_lark(keep_all_tokens=True)


def format_text(text: str, filename: str = "<text>") -> str:
    """The canonical layout of a policy file's text. Raises PolicyError on a syntax error."""
    from policyc.compiler.parser import parse

    parse(text, filename)  # a syntax error is reported exactly as `check` reports it
    try:
        tree = _lark().parse(text)
    except UnexpectedInput as exc:  # pragma: no cover - the same grammar accepted it above
        raise AssertionError(f"{filename}: {exc}") from None
    writer = _Writer(text)
    for item in tree.children:
        writer.start_statement()
        _Walker(writer).walk(item)
    return writer.finish()


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@attrs.define
class _Line:
    depth: int
    text: str = ""
    comment: str = ""
    # Where the line may break: (offset in text of the space before an operator, the depth
    # in parentheses there, the operator's _BREAK_RANK).
    breaks: list[tuple[int, int, int]] = attrs.Factory(list)

    def render(self) -> str:
        indent = INDENT * self.depth if (self.text or self.comment) else ""
        if self.text and self.comment:
            return f"{indent}{self.text}  {self.comment}"
        return f"{indent}{self.text or self.comment}"


class _Writer:
    """Lines of output, built token by token; the comments and blank lines of the original
    are placed from the positions of the tokens around them."""

    def __init__(self, text: str):
        self.source_lines = text.split("\n")
        self.comments: list[Comment] = comments(text)
        self.next_comment = 0
        self.lines: list[_Line] = []
        self.current: _Line | None = None
        self.depth = 0
        self.prev: Token | None = None
        self.prev_line: _Line | None = None
        self.statement_start = True  # the next token starts a statement
        self.just_opened = True  # no blank line yet: start of file or right after a brace
        self.tight = False  # no space before the next token
        self.parens = 0  # how deep in (, [ and { the next token is

    # ---- tokens ----
    def token(self, tok: Token, space: bool = True, rank: int | None = None) -> _Line:
        """Append a token; `space=False` glues it to the previous one; `rank`: the line may
        break before it, with that _BREAK_RANK (a token that is a break only where its node
        says, the `to` of `amount range`). Returns its line."""
        if tok.line is not None:
            self._gap(tok)
        if self.current is None:
            continuation = not self.statement_start
            self.current = _Line(self.depth + (1 if continuation else 0))
            self.lines.append(self.current)
            self.tight = True
        self.statement_start = False
        self.just_opened = False
        value = str(tok)
        glue = (
            self.tight
            or not space
            or value in _NO_SPACE_BEFORE
            or (tok.type == "PERCENT" and not (self.prev is not None and str(self.prev) == ":"))
            or (self.prev is not None and str(self.prev) in _NO_SPACE_AFTER)
        )
        if rank is None and value in _BREAK_RANK:
            after_bracket = self.current.text.endswith((")", "]"))
            if value not in _BREAK_AFTER_BRACKET_ONLY or after_bracket:
                rank = _BREAK_RANK[value]
        if rank is not None and self.current.text and not glue:
            self.current.breaks.append((len(self.current.text), self.parens, rank))
        self.current.text += value if glue or not self.current.text else " " + value
        # Braces count as brackets: an operator inside `schedule { … }` or `in {a, b}` is
        # deeper than one outside it (a block's own braces end their lines, so depth inside
        # a block only shifts every break of a statement alike).
        if value in ("(", "[", "{"):
            self.parens += 1
        elif value in (")", "]", "}"):
            self.parens -= 1
        self.tight = False
        if tok.line is not None:
            self.prev = tok
        self.prev_line = self.current
        return self.current

    def glue_next(self) -> None:
        self.tight = True

    def start_statement(self) -> None:
        self._end_line()
        self.statement_start = True

    def open(self) -> None:
        self.depth += 1
        self.start_statement()
        self.just_opened = True

    def close(self, brace: Token) -> None:
        """The closing brace of a block or an expanded list, on its own line."""
        self._comments_before(brace, blank_lines=False, blank_after=False)
        self.depth -= 1
        self.statement_start = True
        self.token(brace)

    # ---- comments and blank lines ----
    def _gap(self, tok: Token) -> None:
        if self.statement_start:
            self._comments_before(tok, blank_lines=not self.just_opened)
        elif self._has_comment_before(tok):
            self._attach_trailing(tok)
            self._end_line()
            for comment in self._take_comments_before(tok):
                self._comment_line(comment, self.depth + 1)

    def _has_comment_before(self, tok: Token) -> bool:
        return self.next_comment < len(self.comments) and _before(
            self.comments[self.next_comment], tok
        )

    def _take_comments_before(self, tok: Token | None) -> list[Comment]:
        taken: list[Comment] = []
        while self.next_comment < len(self.comments) and (
            tok is None or _before(self.comments[self.next_comment], tok)
        ):
            taken.append(self.comments[self.next_comment])
            self.next_comment += 1
        return taken

    def _attach_trailing(self, tok: Token | None) -> None:
        """A comment on the previous token's line, after it (and before `tok`), stays at the
        end of its line."""
        if self.prev is None or self.next_comment >= len(self.comments):
            return
        comment = self.comments[self.next_comment]
        if tok is not None and not _before(comment, tok):
            return
        if comment.line == self.prev.end_line and not comment.alone:
            assert self.prev_line is not None
            self.prev_line.comment = comment.text
            self.next_comment += 1
            if self.current is self.prev_line:
                self.current = None  # nothing may follow a comment on its line

    def _comments_before(
        self, tok: Token | None, blank_lines: bool, blank_after: bool = True
    ) -> None:
        """Own-line comments and blank lines between the previous token and `tok`; a blank
        line before the first comment only if `blank_lines`, after the last if `blank_after`."""
        self._attach_trailing(tok)
        self._end_line()
        first = (self.prev.end_line or 0) + 1 if self.prev is not None else 1
        last = tok.line - 1 if tok is not None and tok.line is not None else len(self.source_lines)
        pending = self._take_comments_before(tok)
        by_line = {c.line: c for c in pending}
        blank = False
        for number in range(first, last + 1):
            if number in by_line:
                if blank and blank_lines:
                    self.lines.append(_Line(self.depth))
                blank = False
                self._comment_line(by_line.pop(number), self.depth)
                blank_lines = True
            elif not self.source_lines[number - 1].strip():
                blank = True
        for comment in by_line.values():  # not alone on its line: cannot happen, kept anyway
            self._comment_line(comment, self.depth)
        if blank and blank_lines and blank_after:
            self.lines.append(_Line(self.depth))

    def _comment_line(self, comment: Comment, depth: int) -> None:
        self.lines.append(_Line(depth, comment=comment.text))
        self.current = None

    def _end_line(self) -> None:
        self.current = None

    def finish(self) -> str:
        self._comments_before(None, blank_lines=True, blank_after=False)
        self.lines = [piece for line in self.lines for piece in _wrap(line)]
        _align_trailing_comments(self.lines)
        while self.lines and not self.lines[-1].render():
            self.lines.pop()
        return "".join(line.render().rstrip() + "\n" for line in self.lines)


def _wrap(line: _Line, deeper: int = 1) -> list[_Line]:
    """The line as it is if it fits in WIDTH (or cannot break), else broken before each of
    its weakest operators among the least deep in parentheses, the pieces after the first
    `deeper` levels deeper, each piece wrapped again (the first piece's own pieces one level
    deeper than the others, so that they read as inside it); the comment stays on the last
    piece."""
    if not line.breaks or display_width(INDENT * line.depth + line.text) <= WIDTH:
        return [line]
    least = min(depth for _, depth, _ in line.breaks)
    rank = min(r for _, depth, r in line.breaks if depth == least)
    cuts = [at for at, depth, r in line.breaks if depth == least and r == rank]
    pieces: list[_Line] = []
    for start, end in zip([0, *cuts], [*cuts, len(line.text)], strict=True):
        breaks = [(at - start, d, r) for at, d, r in line.breaks if start < at < end]
        text = line.text[start:end]
        lead = len(text) - len(text.lstrip(" "))
        breaks = [(at - lead, d, r) for at, d, r in breaks]
        depth = line.depth + (deeper if start else 0)
        pieces.append(_Line(depth, text[lead:], breaks=breaks))
    pieces[-1].comment = line.comment
    if rank == _BREAK_RANK["else"]:
        # An `if`'s `then` sits where its `else` does: the first piece (`if …` before its
        # `then`) and each `else if …` piece break before their own `then` (not one inside
        # brackets) at the `else`s' depth.
        own_then = (least, _BREAK_RANK["then"])
        first_deeper = deeper if _cut(pieces[0]) == own_then else deeper + 1
        rest = [_wrap(piece, 0 if _cut(piece) == own_then else 1) for piece in pieces[1:]]
    else:
        first_deeper = deeper + (1 if len(pieces) > 1 else 0)
        rest = [_wrap(piece) for piece in pieces[1:]]
    first = _wrap(pieces[0], first_deeper)
    return [*first, *(done for pieces_done in rest for done in pieces_done)]


def _cut(line: _Line) -> tuple[int, int] | None:
    """The bracket depth and rank of the operators `_wrap` would break `line` before; None if
    it stays whole."""
    if not line.breaks or display_width(INDENT * line.depth + line.text) <= WIDTH:
        return None
    least = min(depth for _, depth, _ in line.breaks)
    return least, min(r for _, depth, r in line.breaks if depth == least)


def _before(comment: Comment, tok: Token) -> bool:
    return (comment.line, comment.column) < (tok.line or 0, tok.column or 0)


def _align_trailing_comments(lines: Sequence[_Line]) -> None:
    """Consecutive lines with code and a comment get their comments in one column, two after
    the widest code of the run that is at most ALIGN_LIMIT wide."""
    run: list[_Line] = []
    for line in [*lines, _Line(0)]:
        if line.text and line.comment:
            run.append(line)
            continue
        widths = [display_width(INDENT * x.depth + x.text) for x in run]
        narrow = [w for w in widths if w <= ALIGN_LIMIT]
        if len(narrow) > 1:
            column = max(narrow)
            for x, width in zip(run, widths, strict=True):
                x.text += " " * max(column - width, 0)
        run = []


class _Walker:
    """Walks the parse tree in document order, telling the writer where lines break."""

    def __init__(self, writer: _Writer):
        self.w = writer

    def walk(self, node: Tree[Token] | Token | None) -> None:
        if node is None:
            return
        if isinstance(node, Token):
            self.w.token(node)
        elif node.data in _BLOCKS:
            self.block(node)
        elif node.data in _LISTS:
            self.brace_list(node)
        elif node.data == "amount_range":
            for child in node.children:
                is_to = isinstance(child, Token) and str(child) == "to"
                if is_to:
                    assert isinstance(child, Token)
                    self.w.token(child, rank=_RANGE_TO_RANK)
                else:
                    self.walk(child)
        elif node.data in ("call", "index", "aggregate_over", "aggregate_where"):
            name, *rest = node.children
            self.walk(name)
            self.w.glue_next()
            for child in rest:
                self.walk(child)
        else:
            for child in node.children:
                self.walk(child)

    def block(self, node: Tree[Token]) -> None:
        children = [c for c in node.children if c is not None]
        opening = _brace_index(children)
        for child in children[:opening]:
            self.walk(child)
        brace, items, closing = children[opening], children[opening + 1 : -1], children[-1]
        assert isinstance(brace, Token) and isinstance(closing, Token)
        self.w.token(brace)
        if not items and not _comments_inside(self.w, brace, closing):
            self.w.token(closing)
            return
        self.w.open()
        starts = _BLOCKS[node.data]
        for child in items:
            if isinstance(child, Tree) or str(child) in starts:
                self.w.start_statement()
            self.walk(child)
        self.w.close(closing)

    def brace_list(self, node: Tree[Token]) -> None:
        children = [c for c in node.children if c is not None]
        opening = _brace_index(children)
        for child in children[:opening]:
            self.walk(child)
        brace, closing = children[opening], children[-1]
        assert isinstance(brace, Token) and isinstance(closing, Token)
        inner = children[opening + 1 : -1]
        items = [c for c in inner if not (isinstance(c, Token) and str(c) == ",")]
        commas = [c for c in inner if isinstance(c, Token) and str(c) == ","]
        trailing = bool(inner) and isinstance(inner[-1], Token) and str(inner[-1]) == ","
        tight = node.data == "in_"
        self.w.token(brace)
        if not (trailing or _comments_inside(self.w, brace, closing)):
            if tight:
                self.w.glue_next()
            for i, item in enumerate(items):
                self.walk(item)
                if i < len(items) - 1:
                    self.w.token(commas[i])
            if tight:
                self.w.token(closing, space=False)
            else:
                self.w.token(closing)
            return
        self.w.open()
        rows: list[tuple[_Line, int]] = []
        for i, item in enumerate(items):
            self.w.start_statement()
            if isinstance(item, Tree) and item.data in _ROWS:
                mark = self.row(item)
                if mark is not None:
                    rows.append(mark)
            else:
                self.walk(item)
            comma = commas[i] if i < len(commas) else Token(",", ",")
            self.w.token(comma)
        self.w.close(closing)
        _align_rows(rows)

    def row(self, node: Tree[Token]) -> tuple[_Line, int] | None:
        """Walk a `label: value` row; where its colon ends on its line, to align the values."""
        mark = None
        for child in node.children:
            if isinstance(child, Token) and str(child) == ":" and mark is None:
                line = self.w.token(child)
                mark = (line, len(line.text))
            else:
                self.walk(child)
        return mark


def _brace_index(children: list[Tree[Token] | Token]) -> int:
    return next(i for i, c in enumerate(children) if isinstance(c, Token) and str(c) == "{")


def _comments_inside(writer: _Writer, opening: Token, closing: Token) -> bool:
    start = (opening.line or 0, opening.column or 0)
    end = (closing.line or 0, closing.column or 0)
    return any(start < (c.line, c.column) < end for c in writer.comments)


def _align_rows(rows: list[tuple[_Line, int]]) -> None:
    if len(rows) < 2 or len({line.depth for line, _ in rows}) > 1:
        return
    widths = [display_width(line.text[:at]) for line, at in rows]
    column = max(widths)
    for (line, at), width in zip(rows, widths, strict=True):
        line.text = line.text[:at] + " " * (column - width) + line.text[at:]


def check_formatted(text: str, filename: str) -> bool:
    """True when the text is already in the canonical layout. Raises PolicyError."""
    return format_text(text, filename) == text


__all__ = ["PolicyError", "check_formatted", "display_width", "format_text"]
