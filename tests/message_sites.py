"""Where policyc's user-facing messages are written, found in the source by its syntax tree.

A message site is an argument that becomes what a user reads: the message of a diagnostic, a
problem or an error (`self.error(span, "…")`, `raise InputError(f"…")`, `Problem("…")`), an
argparse `help=`/`description=`, `parser.error("…")`, a line written to stderr. A literal there
that reads as English prose must be wrapped in `_()`; `tests/test_i18n.py` fails naming each
one that is not.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

# Callables whose every string argument is shown to the user (a warning's code, a field's path,
# a bare identifier are not prose and pass `needs_translation`).
MESSAGE_CALLS = frozenset(
    {
        "error",
        "warn",
        "_error",
        "_warn",
        "problem",
        "Problem",
        "Diagnostic",
        "InputError",
        "MissingExtra",
        "PolicyError",
        "EvaluationError",
        "MeasureError",
        "DocsError",
        "_FieldError",
        "RequestError",
        "PathRefused",
        "BatchError",
        "_BuildError",
        "BuildError",
        "ProblemsError",
        "UsageError",
        "_mismatch",
        "_BadString",
        "BadString",
        "ValueError",
    }
)
# Callables of argparse whose keyword arguments of these names are help texts.
HELP_CALLS = frozenset(
    {"add_argument", "add_parser", "ArgumentParser", "_Parser", "add_subparsers"}
)
HELP_KEYWORDS = frozenset({"help", "description", "epilog", "title"})
MESSAGE_KEYWORDS = frozenset({"message", "expected", "hint", "reason", "detail"})

_FIELD = re.compile(r"\{[^{}]*\}")
_CODE = re.compile(r"`[^`]*`")
_WORD = re.compile(r"[A-Za-z]{2,}")


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _is_stderr_write(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "write"
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "stderr"
    )


def _literals(node: ast.expr) -> Iterator[ast.expr]:
    """The string literals an argument is made of (through `+` and `… if … else …`)."""
    if isinstance(node, ast.Constant | ast.JoinedStr):
        yield node
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from _literals(node.left)
        yield from _literals(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)


def message_arguments(tree: ast.AST) -> Iterator[ast.expr]:
    """Every string literal passed at a message site in `tree`, in source order."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = _callee(node)
        if callee in MESSAGE_CALLS or _is_stderr_write(node):
            for arg in node.args:
                yield from _literals(arg)
            for keyword in node.keywords:
                if keyword.arg in MESSAGE_KEYWORDS:
                    yield from _literals(keyword.value)
        elif callee in HELP_CALLS:
            for keyword in node.keywords:
                if keyword.arg in HELP_KEYWORDS:
                    yield from _literals(keyword.value)


def prose(node: ast.expr) -> str:
    """The literal's own text (placeholders and `code` left out)."""
    if isinstance(node, ast.Constant):
        text = node.value if isinstance(node.value, str) else ""
    elif isinstance(node, ast.JoinedStr):
        text = " {} ".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    else:
        text = ""
    return _CODE.sub(" ", _FIELD.sub(" ", text))


def needs_translation(node: ast.expr) -> bool:
    """Whether a literal reads as English prose: two or more letters, and a space or a colon
    beside them (a warning's code `negative-amount`, a field `inputs.年发货量` or an identifier
    `from_start_day` are names, not prose)."""
    text = prose(node)
    return (
        _WORD.search(text) is not None
        and re.search(r"[A-Za-z]{2,}[^\s]*\s|\s[A-Za-z]{2,}", text) is not None
    )
