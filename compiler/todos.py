"""What a skeleton (`policyc new`) leaves to fill, as `check` warnings.

`policyc new` marks every place the drafter must fill or confirm with a comment
`# TODO(drafter): …` or `# TODO(registry): …`. Until they are gone the policy checks but is not
done, so each one is a warning (code `todo`) at its comment, saying what is left: an empty
skeleton never passes `check` silently, and `check --strict` refuses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from policyc.compiler.codes import WARNING_CODES
from policyc.compiler.comments import comments
from policyc.compiler.errors import Diagnostic, Severity, Span
from policyc.compiler.i18n import _
from policyc.compiler.nodes import Aside

_TODO = re.compile(r"TODO\((?P<who>[^)]*)\)\s*:?\s*(?P<what>.*)")


def todo_warnings(text: str, filename: str, asides: Iterable[Aside] = ()) -> list[Diagnostic]:
    """One warning per `TODO(…)` comment of the policy text, and per aside whose reason is
    still `TODO(…)` (the skeleton's `"TODO(drafter): 说明"`), in line order."""
    assert "todo" in WARNING_CODES
    found: list[Diagnostic] = []
    for aside in asides:
        match = _TODO.match(aside.why)
        if match is not None:
            found.append(
                Diagnostic(
                    aside.span,
                    _(
                        "left to fill ({who}): why this text states no rule ({what}); write it "
                        "in place of the TODO"
                    ).format(who=match["who"] or "TODO", what=match["what"].strip() or aside.why),
                    severity=Severity.WARNING,
                    code="todo",
                )
            )
    for comment in comments(text):
        match = _TODO.search(comment.text)
        if match is None:
            continue
        what = match["what"].strip().rstrip("。.") or _("(no detail given)")
        column = comment.column + match.start()
        found.append(
            Diagnostic(
                Span(filename, comment.line, column, comment.line, column + len(match[0])),
                _("left to fill ({who}): {what}; delete the comment when it is done").format(
                    who=match["who"] or "TODO", what=what
                ),
                severity=Severity.WARNING,
                code="todo",
            )
        )
    return sorted(found, key=lambda d: (d.span.line, d.span.column))
