"""`# policyc: ignore[CODE, …] reason`: a drafter's "I know" for a warning on one line.

The comment silences the warnings with those codes (compiler/codes.py) that start on its own
line, or, when it stands alone on its line, on the next line that is not blank or a comment.
A reason is required (the next reader must learn why the warning is wrong here), and the codes
must be known; an ignore without either silences nothing and is itself a `bad-ignore` warning.
Errors are never silenced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import attrs

from policyc.compiler.codes import WARNING_CODES
from policyc.compiler.comments import comments
from policyc.compiler.errors import Diagnostic, Severity, Span, did_you_mean

_IGNORE = re.compile(r"#\s*policyc\s*:\s*ignore\b(?P<rest>.*)$")
_CODES = re.compile(r"\[(?P<codes>[^\]]*)\]\s*(?P<reason>.*)$")


@attrs.frozen
class Ignores:
    """The ignores of one file: line → codes silenced there, and the malformed ones."""

    by_line: dict[int, frozenset[str]]
    problems: list[Diagnostic]

    def silences(self, diagnostic: Diagnostic) -> bool:
        return diagnostic.severity is Severity.WARNING and diagnostic.code in self.by_line.get(
            diagnostic.span.line, frozenset()
        )


def find_ignores(text: str, filename: str) -> Ignores:
    """The `policyc: ignore` comments of a file; `problems` are `bad-ignore` warnings."""
    lines = text.split("\n")
    by_line: dict[int, set[str]] = {}
    problems: list[Diagnostic] = []
    for comment in comments(text):
        match = _IGNORE.match(comment.text)
        if match is None:
            continue
        span = Span(filename, comment.line, comment.column, comment.line,
                    comment.column + len(comment.text))  # fmt: skip
        codes, problem = _parse(match["rest"])
        if problem:
            problems.append(Diagnostic(span, problem, _EXPECTED, Severity.WARNING, "bad-ignore"))
            continue
        target = _next_code_line(lines, comment.line) if comment.alone else comment.line
        by_line.setdefault(target, set()).update(codes)
    return Ignores({line: frozenset(codes) for line, codes in by_line.items()}, problems)


_EXPECTED = "`# policyc: ignore[CODE] reason`, e.g. `# policyc: ignore[mixed-boundaries] 原文如此`"


def _parse(rest: str) -> tuple[list[str], str]:
    """(codes, "") or ([], what is wrong)."""
    match = _CODES.match(rest.strip())
    if match is None:
        return [], "an ignore names the codes it silences in brackets"
    codes = [c.strip() for c in match["codes"].split(",") if c.strip()]
    if not codes:
        return [], "an ignore names at least one code"
    for code in codes:
        if code not in WARNING_CODES:
            return [], f"`{code}` is not a warning code{did_you_mean(code, WARNING_CODES)}"
    if not match["reason"].strip():
        return [], "an ignore gives its reason after the codes"
    return codes, ""


def _next_code_line(lines: list[str], line: int) -> int:
    for number in range(line + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return line


def apply_ignores(
    diagnostics: Iterable[Diagnostic],
    texts: Mapping[str, str],
    elsewhere: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """The diagnostics no ignore silences, then each file's `bad-ignore` warnings. `texts` maps
    a file name (as in the spans) to its text; a file missing from it has no ignores.
    `elsewhere`: files whose ignores silence too but whose `bad-ignore` warnings are their own
    check's (the `calendar from` file a policy reads: its warnings come with the policy's)."""
    found: dict[str, Ignores] = {}
    every = {**(elsewhere or {}), **texts}

    def ignores(filename: str) -> Ignores:
        if filename not in found:
            text = every.get(filename)
            found[filename] = find_ignores(text, filename) if text is not None else Ignores({}, [])
        return found[filename]

    kept = [d for d in diagnostics if not ignores(d.span.file).silences(d)]
    for filename in texts:
        kept += ignores(filename).problems
    return kept
