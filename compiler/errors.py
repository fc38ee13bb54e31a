"""Diagnostics: every problem policyc reports names a place in a file and says what was expected."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping

import attrs

# What `policyc run` needs of this module, in a module without attrs (issue 16), named here too.
from policyc.compiler.errors_base import MAX_SHOWN as MAX_SHOWN
from policyc.compiler.errors_base import UNPRINTABLE as UNPRINTABLE
from policyc.compiler.errors_base import InputError as InputError
from policyc.compiler.errors_base import PolicyError as PolicyError
from policyc.compiler.errors_base import Severity as Severity
from policyc.compiler.errors_base import close_matches as close_matches
from policyc.compiler.errors_base import did_you_mean as did_you_mean
from policyc.compiler.errors_base import not_shown as not_shown
from policyc.compiler.errors_base import printable as printable
from policyc.compiler.i18n import _


@attrs.frozen
class Span:
    """A place in a source file; 1-based line and column (columns count characters)."""

    file: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0


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
