"""Diagnostics: every problem policyc reports names a place in a file and says what was expected."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import Enum

import attrs


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
    span: Span
    message: str
    expected: str = ""
    severity: Severity = Severity.ERROR

    def render(self, source: str | None = None) -> str:
        """`file:line:col: message`, the source line with a caret under the column, the hint."""
        where = f"{self.span.file}:{self.span.line}:{self.span.column}"
        label = "" if self.severity is Severity.ERROR else "warning: "
        lines = [printable(f"{where}: {label}{self.message}")]
        if source is not None:
            lines.extend(_excerpt(source, self.span))
        if self.expected:
            lines.append(printable(f"  expected {self.expected}"))
        return "\n".join(lines)


def _display_width(text: str) -> int:
    # CJK characters take two columns in a terminal; the caret must sit under the right one.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _line(source: str, number: int) -> str | None:
    # Lines as the parser counts them: ended by a line feed only (str.splitlines would also end
    # one at U+2028, U+0085 or a form feed, and show the wrong line).
    start = 0
    for _ in range(number - 1):
        start = source.find("\n", start) + 1
        if start == 0:
            return None
    end = source.find("\n", start)
    line = source[start:] if end < 0 else source[start:end]
    if end < 0 and not line:
        return None
    return line.removesuffix("\r")


def _excerpt(source: str, span: Span) -> list[str]:
    raw = _line(source, span.line) if span.line >= 1 else None
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


class PolicyError(Exception):
    """One or more diagnostics that stop the pipeline; carries the sources to render them."""

    def __init__(self, diagnostics: list[Diagnostic], sources: dict[str, str] | None = None):
        self.diagnostics = diagnostics
        self.sources = sources or {}
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(d.render(self.sources.get(d.span.file)) for d in self.diagnostics)


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
    return f"; did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""
