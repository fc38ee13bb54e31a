"""Lint: what every family of lint checks shares — the policy in view, the warnings found, the
words of a node as written, and the expressions there are to look at.

`warning(code, span, message)` makes a warning (its code must be registered in `codes.py`);
`ordered` sorts warnings in document order, dropping repeats. `LintContext` is the base of the
families (`lint_conditions`, `lint_amounts`, `lint_dates`, `lint_document`, `lint_units`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeAlias

from policyc.compiler import nodes as n
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.codes import WARNING_CODES
from policyc.compiler.errors import Diagnostic, Severity, Span

# A node as written, or a description of where a fact comes from.
Origin: TypeAlias = n.Expr | n.Threshold | str


def warning(code: str, span: Span, message: str) -> Diagnostic:
    assert code in WARNING_CODES, code  # a new check registers its code in codes.py
    return Diagnostic(span, message, severity=Severity.WARNING, code=code)


def ordered(found: Iterable[Diagnostic]) -> list[Diagnostic]:
    unique = {(d.span, d.message): d for d in found}
    return sorted(unique.values(), key=lambda d: (d.span.file, d.span.line, d.span.column))


class LintContext:
    def __init__(self, policy: CheckedPolicy):
        self.policy = policy
        self.file = policy.file
        self.lines = policy.text.splitlines()
        self.found: list[Diagnostic] = []
        self.header = policy.header
        self.never: set[str] = set()  # defines that can never hold

    def warn(self, code: str, span: Span, message: str) -> None:
        self.found.append(warning(code, span, message))

    def written(self, origin: Origin) -> str:
        """A node as the policy writes it (its first line, shortened), or a description."""
        if isinstance(origin, str):
            return origin
        span = origin.span
        if not 1 <= span.line <= len(self.lines):
            return "…"
        line = self.lines[span.line - 1]
        end = span.end_column - 1 if span.end_line == span.line else len(line)
        text = " ".join(line[span.column - 1 : end].split())
        return text if len(text) <= 60 else text[:59] + "…"

    def rule_expressions(self, rule: n.Rule) -> Iterator[n.Expr]:
        yield from rule.whens
        if isinstance(rule.amount, n.Expr):
            yield rule.amount
        if rule.cap is not None:
            yield rule.cap.amount
        for limit in rule.limits:
            yield limit.amount

    def all_expressions(self) -> Iterator[n.Expr]:
        for _owner, rule in self.file.all_rules():
            yield from self.rule_expressions(rule)
        for define in self.file.all_defines():
            yield define.expr
        for _owner, target in self.file.all_targets():
            yield target.value
            if target.tolerance is not None:
                yield target.tolerance
