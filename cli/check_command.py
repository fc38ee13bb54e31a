"""`policyc check`: every file parsed and checked, its diagnostics printed (or kept for the JSON
document), the folder's own warnings, and `refers` resolved among the files.

Also the pieces other commands share: `policy_files` (the .policy files under the paths given)
and `report_problems` (an error as text on stderr or as the JSON error document).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import (
    MAX_SHOWN,
    Diagnostic,
    InputError,
    PolicyError,
    Severity,
    not_shown,
)
from policyc.compiler.i18n import _
from policyc.compiler.pipeline import check_policy, check_references, read_source
from policyc.problems import Problem, error_document, from_diagnostic
from policyc.report import json_text

EXIT_OK, EXIT_ERROR = 0, 2

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


def policy_files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.policy"))
        elif path.exists():
            yield path
        else:
            raise InputError(_("{path}: no such file or folder").format(path=path))


class DiagnosticPrinter:
    """Where `check` sends every diagnostic: each source read and line-indexed once, at most
    MAX_SHOWN errors and warnings printed (the rest counted, as compilers do), or, with
    `--format json`, every one kept as a Problem for the JSON document."""

    def __init__(self, json_output: bool, limit: int = MAX_SHOWN):
        self.json_output = json_output
        self.limit = limit
        self.problems: list[Problem] = []
        self.sources: dict[str, str | None] = {}
        self.shown = 0
        self.hidden: Counter[Severity] = Counter()

    def source(self, file: str) -> str | None:
        if file not in self.sources:
            try:
                self.sources[file] = read_source(Path(file))
            except InputError:
                self.sources[file] = None
        return self.sources[file]

    def emit(self, diagnostic: Diagnostic, source: str | None = None, listed: bool = False) -> None:
        """Print one diagnostic; `listed` ones (the `--coverage` listing asked for) are never
        capped. `source` is the text of the diagnostic's file when the caller has it."""
        if self.json_output:
            self.problems.append(from_diagnostic(diagnostic))
            return
        if not listed and self.shown >= self.limit:
            self.hidden[diagnostic.severity] += 1
            return
        self.shown += 0 if listed else 1
        text = source if source is not None else self.source(diagnostic.span.file)
        sys.stderr.write(diagnostic.render(text) + "\n")

    def close(self) -> None:
        more = not_shown(self.hidden[Severity.ERROR], self.hidden[Severity.WARNING])
        if more:
            sys.stderr.write(more + "\n")


def cmd_check(args: argparse.Namespace) -> int:
    from policyc.compiler.checker import check
    from policyc.compiler.coverage import coverage
    from policyc.compiler.ignores import apply_ignores
    from policyc.compiler.lint import lint
    from policyc.compiler.lint_units import lint_folder
    from policyc.compiler.parser import parse
    from policyc.compiler.received_text import load_registry
    from policyc.compiler.registry import Registry

    files = list(policy_files(args.paths))
    if not files:
        raise InputError(
            _("no .policy files under {join_map_str_args_paths}").format(
                join_map_str_args_paths=", ".join(map(str, args.paths)),
            )
        )
    printer = DiagnosticPrinter(args.format == "json")
    summaries: list[dict[str, object]] = []

    def ok(path: Path, line: str, summary: dict[str, object]) -> None:
        summaries.append({"file": str(path), **summary})
        if not printer.json_output:
            print(_("{path}: ok ({line})").format(path=path, line=line))

    failed = False
    checked_all = []
    for path in files:
        stage = "syntax"
        try:
            text = read_source(path)
            parsed = parse(text, str(path))
            stage = "check"
            if parsed.header is None and parsed.units and not (parsed.sections or parsed.clauses):
                problems: list[Diagnostic] = []
                load_registry(path, problems, Registry())
                if problems:
                    raise PolicyError(problems, {str(path): text})
                ok(
                    path,
                    _("unit registry, {len_parsed_units} units").format(
                        len_parsed_units=len(parsed.units),
                    ),
                    {"units": len(parsed.units)},
                )
                continue
            checked = check(parsed, text)
        except PolicyError as exc:
            failed = True
            for diagnostic in exc.diagnostics:  # an error's code is its stage
                staged = attrs.evolve(diagnostic, code=diagnostic.code or stage)
                printer.emit(staged, exc.sources.get(diagnostic.span.file))
            continue
        found = [w for w in (*checked.warnings, *lint(checked)) if w.severity is Severity.WARNING]
        warnings = apply_ignores(found, {str(path): text})
        for warning in warnings:
            printer.emit(warning, checked.text if warning.span.file == checked.file.path else None)
        if warnings and args.strict:
            failed = True
            continue
        checked_all.append(checked)
        rules = sum(1 for _ in checked.file.all_rules())
        clauses = sum(1 for _ in checked.file.all_clauses())
        covered = coverage(checked)
        if args.coverage:
            for sentence in covered.diagnostics():
                printer.emit(sentence, listed=True)
        ok(
            path,
            _(
                "{checked_header_number}: {clauses} clauses, {rules} rules, "
                "source coverage {covered_percent:.1f}%"
            ).format(
                checked_header_number=checked.header.number,
                clauses=clauses,
                rules=rules,
                covered_percent=covered.percent,
            ),
            {
                "policy": checked.header.number,
                "clauses": clauses,
                "rules": rules,
                "coverage": round(covered.percent, 1),
            },
        )
    if any(p.is_dir() for p in args.paths):
        folder_warnings = lint_folder(checked_all)
        texts = {w.span.file: read_source(Path(w.span.file)) for w in folder_warnings}
        for warning in apply_ignores(folder_warnings, texts):
            printer.emit(warning, texts.get(warning.span.file))
            failed = failed or args.strict
    if checked_all and not failed:
        failed = _check_references(checked_all, printer)
    printer.close()
    if printer.json_output:
        if failed:
            doc = {**error_document(printer.problems), "files": summaries}
            sys.stdout.write(json_text(doc))
        else:
            listed = [p.to_json() for p in printer.problems]
            doc = {"policyc": 1, "ok": True, "files": summaries, "warnings": listed}
            sys.stdout.write(json_text(doc))
    return EXIT_ERROR if failed else EXIT_OK


def _check_references(checked: list[CheckedPolicy], printer: DiagnosticPrinter) -> bool:
    """Resolve `refers` among the files checked, loading sibling policies for the rest."""
    loaded = {c.header.number: c for c in checked}
    wanted = {r.document for c in checked for _, r in c.references} - set(loaded)
    folders = {Path(c.file.path).parent for c in checked}
    for folder in sorted(folders) if wanted else []:
        for path in sorted(folder.glob("*.policy")):
            try:
                sibling = check_policy(path)
            except (PolicyError, InputError):
                continue  # a registry, or a policy with its own errors: reported when checked
            loaded.setdefault(sibling.header.number, sibling)
    problems = check_references(list(loaded.values()))
    mine = {c.file.path for c in checked}
    problems = [p for p in problems if p.span.file in mine]
    texts = {c.file.path: c.text for c in checked}
    for problem in problems:
        printer.emit(problem, texts.get(problem.span.file))
    return bool(problems)
