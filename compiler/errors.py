"""Diagnostics: every problem policyc reports names a place in a file and says what was expected."""

from __future__ import annotations

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
    code: str = ""

    def render(self, source: str | None = None) -> str:
        """`file:line:col: message` (a warning: `warning[code]: message`), the source line with
        a caret under the column, the hint."""
        where = f"{self.span.file}:{self.span.line}:{self.span.column}"
        if self.severity is Severity.ERROR:
            label = ""
        else:
            label = f"warning[{self.code}]: " if self.code else "warning: "
        lines = [f"{where}: {label}{self.message}"]
        if source is not None:
            lines.extend(_excerpt(source, self.span))
        if self.expected:
            lines.append(f"  expected {self.expected}")
        return "\n".join(lines)


def _display_width(text: str) -> int:
    # CJK characters take two columns in a terminal; the caret must sit under the right one.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _excerpt(source: str, span: Span) -> list[str]:
    all_lines = source.splitlines()
    if not 1 <= span.line <= len(all_lines):
        return []
    text = all_lines[span.line - 1].expandtabs(4)
    prefix = f"{span.line:>5} | "
    before = text[: max(span.column - 1, 0)]
    width = 1
    if span.end_line == span.line and span.end_column > span.column:
        width = max(_display_width(text[span.column - 1 : span.end_column - 1]), 1)
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
