"""Lint: a `define` that nothing reads (`unused-define`).

A `define` names a condition or a value for rules to read; one that no rule, target, `decide`,
other `define`, cap, limit or table reads is dead text — usually a rule that was meant to test
it, or a name misspelt where it is read. The warning names it and its line. A `decide` is never
unused: `run` reports its value. A name counts as read wherever the policy mentions it outside
the define's own expression (the whole AST is walked, so no place a name can be read is missed:
a warning the drafter must silence would be worse than one missed).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.i18n import _
from policyc.compiler.lint_base import LintContext


def _names(value: Any) -> Iterator[str]:
    """Every name `value` mentions: a Ref's, a Name's, any text field of an expression node;
    a Define's own name is passed over (declaring a name does not read it)."""
    if isinstance(value, n.Define):
        yield from _names(value.expr)
        if value.period is not None:
            yield value.period.text
        return
    if isinstance(value, n.Name):
        yield value.text
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _names(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _names(item)
    elif attrs.has(type(value)):
        expression = isinstance(value, n.Expr)
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if expression and isinstance(item, str):
                yield item  # Ref.name, Index.key, a call's argument names …
            else:
                yield from _names(item)


class DefineChecks(LintContext):
    def check_unused_defines(self) -> None:
        defines = [d for d in self.file.all_defines() if not d.decided]
        if not defines:
            return
        read = set(_names(self.file))
        for define in defines:
            name = define.name.text
            if name in read:
                continue
            self.warn(
                "unused-define",
                define.name.span,
                _(
                    "`define {name}` (line {line}) is never read: no rule, target or other "
                    "value uses it"
                ).format(name=name, line=define.span.line),
            )
