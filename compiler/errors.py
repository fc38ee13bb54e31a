"""Diagnostics: every problem policyc reports names a place in a file and says what was expected."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from enum import Enum

import attrs

from policyc.compiler.i18n import _, ngettext


@attrs.frozen
class Span:
    """A place in a source file; 1-based line and column (columns count characters)."""

    file: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0


# What a terminal would act on rather than show: C0 controls but the tab and the line feed (ESC
# starts the escape codes that recolour, retitle or rewrite the screen; CR returns over what was
# printed), DEL, the C1 controls (U+009B is a one-character CSI), the line and paragraph
# separators, and the bidirectional embeddings, overrides and isolates that reorder what is shown.
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every UNPRINTABLE character shown as its `\\uXXXX` escape: safe to print to a
    terminal, and inside a JSON string the same text. Every message policyc prints goes through
    this (Diagnostic.render, and the command line's stdout and stderr: policyc.report)."""
    if UNPRINTABLE.search(text) is None:
        return text
    return UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Diagnostic:
    """One problem at one place. `code` is a warning's stable name (compiler/codes.py), which
    `check --format json` prints and `# policyc: ignore[CODE] reason` silences; "" for errors
    the stage names instead."""

    span: Span
    message: str
    expected: str = ""
    severity: Severity = Severity.ERROR
    code: str = ""  # a stable name for a kind of warning (`negative-amount`), shown in brackets

    def render(self, source: str | None = None) -> str:
        """`file:line:col: message` (a warning: `warning[code]: message`), the source line with
        a caret under the column, the hint."""
        where = f"{self.span.file}:{self.span.line}:{self.span.column}"
        if self.severity is Severity.ERROR:
            label = ""
        else:
            label = _("warning[{code}]: ").format(code=self.code) if self.code else _("warning: ")
        lines = [printable(f"{where}: {label}{self.message}")]
        if source is not None:
            lines.extend(_excerpt(source, self.span))
        if self.expected:
            lines.append(printable(_("  expected {expected}").format(expected=self.expected)))
        return "\n".join(lines)


def _display_width(text: str) -> int:
    # CJK characters take two columns in a terminal; the caret must sit under the right one.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _LineIndex:
    """Where each line of one source starts, computed once, so that rendering N diagnostics costs
    O(source + N) instead of O(source × N). Lines end at `\n` only, as the parser counts them."""

    def __init__(self, source: str):
        self.source = source
        self.starts = [0]
        find = source.find
        at = find("\n")
        while at != -1:
            self.starts.append(at + 1)
            at = find("\n", at + 1)

    def line(self, number: int) -> str | None:
        """The text of 1-based line `number` without its line break, or None past the end."""
        if not 1 <= number <= len(self.starts):
            return None
        start = self.starts[number - 1]
        end = self.starts[number] - 1 if number < len(self.starts) else len(self.source)
        if number == len(self.starts) and start == end:
            return None  # the empty "line" after a final line break (or of an empty source)
        return self.source[start:end].removesuffix("\r")


_INDEX_CACHE: dict[int, _LineIndex] = {}
_INDEX_CACHE_SIZE = 8


def line_index(source: str) -> _LineIndex:
    """The line index of `source`, kept for the few sources most recently rendered."""
    index = _INDEX_CACHE.get(id(source))
    if index is None or index.source is not source:
        if len(_INDEX_CACHE) >= _INDEX_CACHE_SIZE:
            _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
        index = _INDEX_CACHE[id(source)] = _LineIndex(source)
    return index


def _excerpt(source: str, span: Span) -> list[str]:
    raw = line_index(source).line(span.line) if span.line >= 1 else None
    if raw is None:
        return []
    # Escaped before measuring: the caret sits under the character as the terminal shows it.
    text = printable(raw.expandtabs(4))
    prefix = f"{span.line:>5} | "
    before = printable(raw.expandtabs(4)[: max(span.column - 1, 0)])
    width = 1
    if span.end_line == span.line and span.end_column > span.column:
        marked = raw.expandtabs(4)[span.column - 1 : span.end_column - 1]
        width = max(_display_width(printable(marked)), 1)
    caret = " " * (len(prefix) - 2) + "| " + " " * _display_width(before) + "^" * min(width, 60)
    return [prefix + text, caret]


# Like compilers, print a bounded number of problems: past this, one line says how many more.
MAX_SHOWN = 100


def render_all(
    diagnostics: Iterable[Diagnostic],
    sources: Mapping[str, str | None] | Callable[[str], str | None],
    limit: int = MAX_SHOWN,
) -> str:
    """At most `limit` diagnostics rendered with their excerpts, then `… and N more errors`
    (or warnings); `sources` maps a file name to its text (None: no excerpt)."""
    source_of = sources if callable(sources) else sources.get
    shown: list[str] = []
    hidden_errors = hidden_warnings = 0
    for diagnostic in diagnostics:
        if len(shown) < limit:
            shown.append(diagnostic.render(source_of(diagnostic.span.file)))
        elif diagnostic.severity is Severity.ERROR:
            hidden_errors += 1
        else:
            hidden_warnings += 1
    more = not_shown(hidden_errors, hidden_warnings)
    if more:
        shown.append(more)
    return "\n".join(shown)


def not_shown(errors: int, warnings: int) -> str:
    """`… and 3 more errors and 1 more warning not shown`, or "" when nothing was left out."""
    more = []
    if errors:
        more.append(ngettext("{n} more error", "{n} more errors", errors).format(n=errors))
    if warnings:
        more.append(ngettext("{n} more warning", "{n} more warnings", warnings).format(n=warnings))
    if not more:
        return ""
    return _("… and {more} not shown").format(more=_(" and ").join(more))


class PolicyError(Exception):
    """One or more diagnostics that stop the pipeline; carries the sources to render them."""

    def __init__(self, diagnostics: list[Diagnostic], sources: dict[str, str] | None = None):
        self.diagnostics = diagnostics
        self.sources = sources or {}
        super().__init__()

    def __str__(self) -> str:  # rendered when shown, not when raised: raising stays cheap
        return self.render()

    def render(self, limit: int = MAX_SHOWN) -> str:
        """The first `limit` diagnostics with their excerpts, then how many more there are."""
        return render_all(self.diagnostics, self.sources, limit)


class InputError(Exception):
    """Bad input that is not a policy file: a case file, a CLI argument, a missing path."""


def close_matches(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Candidates that share most of their characters with `name` (Chinese names differ by a
    character or two, so character overlap works better than edit distance on pinyin)."""

    def score(candidate: str) -> float:
        return len(set(candidate) & set(name)) / max(len(set(candidate) | set(name)), 1)

    ranked = sorted(candidates, key=lambda c: (-score(c), c))
    return [c for c in ranked[:limit] if score(c) >= 0.4]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    close = close_matches(name, candidates)
    if not close:
        return ""
    return _("; did you mean {names}?").format(names=", ".join(f"`{c}`" for c in close))
