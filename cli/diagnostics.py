"""Where `policyc check` sends what it finds: text for a person, or one JSON document.

Text (the default): each diagnostic rendered with its source line and caret on stderr, an `ok`
line per file on stdout. JSON (`--format json`): nothing on stderr; on stdout, at the end,

    {"files": [{"file": PATH, "ok": BOOL}, …],
     "diagnostics": [{"file", "line", "column", "end_line", "end_column", "code", "severity",
                      "message", "hint"}, …]}

with 1-based lines and columns (columns count characters; `end_*` are 0 when unknown), `code`
a warning's stable code (compiler/codes.py) or the stage of an error (`syntax`, `check`), and
`hint` what was expected ("" when nothing is said).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from policyc.compiler.errors import Diagnostic, PolicyError, Severity


def diagnostic_json(diagnostic: Diagnostic, stage: str = "check") -> dict[str, Any]:
    """One diagnostic as the JSON document's `diagnostics` list holds it."""
    span = diagnostic.span
    code = diagnostic.code or (stage if diagnostic.severity is Severity.ERROR else "")
    return {
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "code": code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "hint": diagnostic.expected,
    }


class DiagnosticSink:
    """Collects or prints a check's diagnostics and per-file outcomes (`fmt`: text or json)."""

    def __init__(self, fmt: str):
        self.json = fmt == "json"
        self.files: dict[str, bool] = {}
        self.diagnostics: list[dict[str, Any]] = []

    def report(self, diagnostics: Iterable[Diagnostic], texts: Mapping[str, str]) -> None:
        for diagnostic in diagnostics:
            if self.json:
                self.diagnostics.append(diagnostic_json(diagnostic))
            else:
                sys.stderr.write(diagnostic.render(texts.get(diagnostic.span.file)) + "\n")

    def failed(self, path: Path, error: PolicyError, stage: str) -> None:
        """A file that did not parse (`stage` "syntax") or check ("check")."""
        self.files[str(path)] = False
        if not self.json:
            sys.stderr.write(error.render() + "\n")
            return
        self.diagnostics += [diagnostic_json(d, stage) for d in error.diagnostics]

    def ok(self, path: Path, line: str) -> None:
        self.files[str(path)] = True
        if not self.json:
            print(line)

    def not_ok(self, path: Path) -> None:
        self.files[str(path)] = False

    def finish(self) -> None:
        if self.json:
            files = [{"file": f, "ok": ok} for f, ok in self.files.items()]
            document = {"files": files, "diagnostics": self.diagnostics}
            sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
