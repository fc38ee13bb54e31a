"""The errors every command raises and the words of its messages, without attrs.

`policyc run` imports this module and not `compiler/errors.py` (whose Span and Diagnostic are
attrs classes, and which re-exports every name here): a cached run never builds a Diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum

from policyc.compiler.i18n import _, ngettext

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from policyc.compiler.errors import Diagnostic

# What a terminal would act on rather than show: C0 controls but the tab and the line feed (ESC
# starts the escape codes that recolour, retitle or rewrite the screen; CR returns over what was
# printed), DEL, the C1 controls (U+009B is a one-character CSI), the line and paragraph
# separators, and the bidirectional embeddings, overrides and isolates that reorder what is shown
# (a pattern compiled on use).
UNPRINTABLE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def printable(text: str) -> str:
    """`text` with every UNPRINTABLE character shown as its `\\uXXXX` escape: safe to print to a
    terminal, and inside a JSON string the same text. Every message policyc prints goes through
    this (Diagnostic.render, and the command line's stdout and stderr: policyc.report)."""
    # Every UNPRINTABLE character is a control, format or separator one, which isprintable()
    # refuses: text that passes it (line feeds and tabs aside) holds none.
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text
    found = re.compile(UNPRINTABLE)  # re keeps it: compiled once, when needed (issue 16)
    if found.search(text) is None:
        return text
    return found.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


# Like compilers, print a bounded number of problems: past this, one line says how many more.
MAX_SHOWN = 100


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
        from policyc.compiler.errors import render_all

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
