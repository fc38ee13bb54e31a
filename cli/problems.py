"""Problems as data: the one shape every error policyc reports has, in text and in JSON.

A command given `--format json` prints an error as this document on stdout (exit status 2),
whatever went wrong — a case file, a policy that does not check, a bad argument:

    {"policyc": 1, "ok": false,
     "errors": [{"file": str|null, "line": int|null, "column": int|null, "field": str|null,
                 "message": str, "expected": str|null, "severity": "error"|"warning",
                 "end_line": int|null, "end_column": int|null, "code": str|null,
                 "hint": str|null}]}

`code` is a warning's stable code (compiler/codes.py, silenced by `# policyc: ignore[CODE] why`)
or the stage of a policy error (`syntax`, `check`); `hint` is `expected` under the name editors
use. `line` and `column` are 1-based (columns count characters); `field` is the dotted path of the
case-file field (`inputs.年发货量`, `expect.电商物流补贴.amount`) or the option (`--on`).
Fields are only ever added. In text the same problem reads `file:line:column: message`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence

from policyc.compiler.errors_base import InputError, PolicyError, Severity
from policyc.compiler.i18n import _
from policyc.output import json_text
from policyc.runtime.plain import Frozen, _set

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

    from policyc.compiler.errors import Diagnostic

ERROR_SCHEMA_VERSION = 1


class Problem(Frozen):
    """One problem at one place; every part but the message may be unknown (None)."""

    _fields = (
        "message", "file", "line", "column", "field", "expected", "severity", "end_line",
        "end_column", "code",
    )  # fmt: skip
    __slots__ = _fields

    message: str
    file: str | None
    line: int | None
    column: int | None
    field: str | None
    expected: str | None
    severity: str
    end_line: int | None
    end_column: int | None
    code: str | None

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        expected: str | None = None,
        severity: str = "error",
        end_line: int | None = None,
        end_column: int | None = None,
        code: str | None = None,
    ):
        _set(self, "message", message)
        _set(self, "file", file)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "field", field)
        _set(self, "expected", expected)
        _set(self, "severity", severity)
        _set(self, "end_line", end_line)
        _set(self, "end_column", end_column)
        _set(self, "code", code)

    def __str__(self) -> str:
        place = [str(p) for p in (self.file, self.line, self.column) if p is not None]
        text = f"{':'.join(place)}: {self.message}" if place else self.message
        expected = _("  expected {expected}").format(expected=self.expected)
        return text + ("\n" + expected if self.expected else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "expected": self.expected,
            "severity": self.severity,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "hint": self.expected,
        }


class ProblemsError(InputError):
    """Bad input with its problems as data; its text is one problem a line, as before."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def from_diagnostic(diagnostic: Diagnostic) -> Problem:
    span = diagnostic.span
    return Problem(
        diagnostic.message,
        span.file,
        span.line,
        span.column,
        expected=diagnostic.expected or None,
        severity="error" if diagnostic.severity is Severity.ERROR else "warning",
        end_line=span.end_line or None,
        end_column=span.end_column or None,
        code=diagnostic.code or ("check" if diagnostic.severity is Severity.ERROR else None),
    )


# `file:line:col: message` or `file: message`, the form every InputError message starts with.
# Compiled on first use (re keeps it): a run without a problem compiles nothing.
_PLACED = r"(?P<file>[^\n:]+?)(?::(?P<line>\d+):(?P<column>\d+))?: (?P<message>.*)"


def problems_of(exc: BaseException, files: Iterable[str] = ()) -> list[Problem]:
    """`exc` as problems. A plain InputError's leading place is taken as its file only when it
    is one of `files` (the paths the command was given), never guessed from the text."""
    if isinstance(exc, ProblemsError):
        return exc.problems
    if isinstance(exc, PolicyError):
        return [from_diagnostic(d) for d in exc.diagnostics]
    message = str(exc)
    match = re.fullmatch(_PLACED, message, re.S)
    if match and match["file"] in set(files):
        line, column = match["line"], match["column"]
        return [
            Problem(
                match["message"],
                match["file"],
                int(line) if line else None,
                int(column) if column else None,
            )
        ]
    if match and match["file"].startswith("--"):
        return [Problem(message, field=match["file"].split(" ", 1)[0])]
    return [Problem(message)]


def error_document(problems: Sequence[Problem]) -> dict[str, Any]:
    """The JSON error document (schema above)."""
    return {
        "policyc": ERROR_SCHEMA_VERSION,
        "ok": False,
        "errors": [p.to_json() for p in problems],
    }


def report_problems(
    problems: Sequence[Problem],
    json_errors: bool,
    exc: BaseException | None = None,
    text: str | None = None,
) -> None:
    """An error as the JSON error document on stdout, or as text on stderr."""
    if json_errors:
        sys.stdout.write(json_text(error_document(problems)))
        return
    if text is None:
        if isinstance(exc, PolicyError):
            text = exc.render()
        elif isinstance(exc, InputError):
            text = _("policyc: {exc}").format(exc=exc)
        else:
            text = "\n".join(str(p) for p in problems)
    sys.stderr.write(text + "\n")
