"""`policyc check`: every file parsed and checked, its diagnostics printed (or kept for the JSON
document), the folder's own warnings, and `refers` resolved among the files.

What one file gives (`FileResult`: its diagnostics as printed, its `ok` line and summary, and
its facts for the checks across files, compiler/check_facts.py) is plain data, kept in the
check's cache (compiler/check_cache.py) under the file's text, the options, the language and
policyc's code, and valid while every other file its check read is unchanged. A run over a
folder of unchanged files then reads each result and neither parses, checks, nor imports the
AST's classes; an edited file costs its own check. The output is printed from the results in
both cases, so that it is the same bytes cold or warm.

Also the pieces other commands share: `policy_files` (the .policy files under the paths given)
and the check's diagnostics (errors go through `problems.report_problems`).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyc.compiler import check_cache
from policyc.compiler.check_facts import Facts, folder_warnings, reference_problems
from policyc.compiler.errors import (
    MAX_SHOWN,
    Diagnostic,
    InputError,
    PolicyError,
    Severity,
    not_shown,
)
from policyc.compiler.i18n import _
from policyc.compiler.pipeline import read_source
from policyc.problems import Problem, error_document, from_diagnostic

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_ERROR = 0, 2

# What one file's check gives, as JSON data (the cache keeps it as it is):
#   {"shown": [Shown, ...],          # its diagnostics, in the order they are printed
#    "ok": [line, summary] | null,   # the `ok` line and the file's entry of the JSON "files"
#    "failed": bool,                  # an error (or, with --strict, a warning)
#    "kept": bool,                    # checked cleanly: part of the checks across files
#    "facts": Facts | null}           # checked at all (a sibling `refers` may name it)
#   Shown = {"severity": "error"|"warning", "listed": bool,
#            "text": str} (text output: the diagnostic rendered) or {…, "problem": {…}} (JSON)
FileResult = dict[str, Any]
_RESULT_FIELDS = {"shown", "ok", "failed", "kept", "facts"}

# The modules whose code shapes a result besides the compiler's (in the cache's key).
_CODE = (Path(__file__), Path(__file__).with_name("problems.py"))


def policy_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.policy"))
        elif path.exists():
            yield path
        else:
            raise InputError(_("{path}: no such file or folder").format(path=path))


class DiagnosticPrinter:
    """Where `check` sends every diagnostic: at most MAX_SHOWN errors and warnings printed (the
    rest counted, as compilers do), or, with `--format json`, every one kept as a Problem for
    the JSON document. A diagnostic is first made `shown` (rendered with its source line, or
    made a Problem), the form a file's result keeps, then `show`n."""

    def __init__(self, json_output: bool, limit: int = MAX_SHOWN):
        self.json_output = json_output
        self.limit = limit
        self.problems: list[Problem] = []
        self.sources: dict[str, str | None] = {}
        self.shown = 0
        self.hidden: Counter[Severity] = Counter()

    def emit(self, diagnostic: Diagnostic, source: str | None = None, listed: bool = False) -> None:
        """Print one diagnostic; `listed` ones (the `--coverage` listing asked for) are never
        capped. `source` is the text of the diagnostic's file when the caller has it."""
        self.show(shown(diagnostic, source, listed, self.json_output, self.sources))

    def show(self, item: dict[str, Any]) -> None:
        """Print (or keep) one diagnostic in the form `shown` gives."""
        if self.json_output:
            self.problems.append(Problem(**item["problem"]))
            return
        if not item["listed"] and self.shown >= self.limit:
            self.hidden[Severity(item["severity"])] += 1
            return
        self.shown += 0 if item["listed"] else 1
        sys.stderr.write(item["text"] + "\n")

    def close(self) -> None:
        more = not_shown(self.hidden[Severity.ERROR], self.hidden[Severity.WARNING])
        if more:
            sys.stderr.write(more + "\n")


def _source(sources: dict[str, str | None], file: str) -> str | None:
    """The text of `file` (None when it cannot be read), read once per `sources`."""
    if file not in sources:
        try:
            sources[file] = read_source(Path(file))
        except InputError:
            sources[file] = None
    return sources[file]


def shown(
    diagnostic: Diagnostic,
    source: str | None,
    listed: bool,
    json_output: bool,
    sources: dict[str, str | None],
) -> dict[str, Any]:
    """The diagnostic as printed: rendered under its source line (`source`, else its file read
    through `sources`), or, for JSON, as the fields of its Problem."""
    item: dict[str, Any] = {"severity": diagnostic.severity.value, "listed": listed}
    if json_output:
        problem = from_diagnostic(diagnostic)
        item["problem"] = {
            "message": problem.message,
            "file": problem.file,
            "line": problem.line,
            "column": problem.column,
            "field": problem.field,
            "expected": problem.expected,
            "severity": problem.severity,
            "end_line": problem.end_line,
            "end_column": problem.end_column,
            "code": problem.code,
        }
    else:
        text = source if source is not None else _source(sources, diagnostic.span.file)
        item["text"] = diagnostic.render(text)
    return item


def cmd_check(args: argparse.Namespace) -> int:
    files = list(policy_files(args.paths))
    if not files:
        raise InputError(
            _("no .policy files under {join_map_str_args_paths}").format(
                join_map_str_args_paths=", ".join(map(str, args.paths)),
            )
        )
    printer = DiagnosticPrinter(args.format == "json")
    checker = FileChecker(args.strict, printer.json_output, args.coverage)
    summaries: list[dict[str, object]] = []
    failed = False
    checked_all: list[Facts] = []
    texts: dict[str, str] = {}
    numbers: set[str] = set()  # the 文号 of the files checked so far
    for path in files:
        text = read_source(path)
        result = checker.result(path, text)
        for item in result["shown"]:
            printer.show(item)
        failed = failed or result["failed"]
        facts = result["facts"] if result["kept"] else None
        if facts is not None and "number_span" in facts:
            if facts["number"] in numbers:  # the later of two files of one 文号: not ok, the
                result = {**result, "ok": None}  # error is `_check_numbers`'s, at its 文号
            numbers.add(facts["number"])
        if result["ok"] is not None:
            line, summary = result["ok"]
            summaries.append({"file": str(path), **summary})
            if not printer.json_output:
                print(_("{path}: ok ({line})").format(path=path, line=line))
        if result["kept"]:
            checked_all.append(result["facts"])
            texts[str(path)] = text
    if any(p.is_dir() for p in args.paths):
        found = folder_warnings(checked_all)
        if found:
            from policyc.compiler.ignores import apply_ignores

            folder_texts = {w.span.file: read_source(Path(w.span.file)) for w in found}
            for warning in apply_ignores(found, folder_texts):
                printer.emit(warning, folder_texts.get(warning.span.file))
                failed = failed or args.strict
    if len(checked_all) > 1:
        failed = _check_numbers(checked_all, texts, printer) or failed
    if checked_all and not failed:
        failed = _check_references(checked_all, texts, printer, checker)
    printer.close()
    if printer.json_output:
        from policyc.report import json_text

        if failed:
            doc = {**error_document(printer.problems), "files": summaries}
            sys.stdout.write(json_text(doc))
        else:
            listed = [p.to_json() for p in printer.problems]
            doc = {"policyc": 1, "ok": True, "files": summaries, "warnings": listed}
            sys.stdout.write(json_text(doc))
    return EXIT_ERROR if failed else EXIT_OK


def _check_numbers(checked: list[Facts], texts: dict[str, str], printer: DiagnosticPrinter) -> bool:
    """Two files of the check restating one 文号 (compiler/project.py): an error at the later."""
    from policyc.compiler.check_facts import span_of
    from policyc.compiler.project import same_number_errors

    numbered = [(c["number"], span_of(c["number_span"])) for c in checked if "number_span" in c]
    errors = same_number_errors(numbered)
    for error in errors:
        printer.emit(error, texts.get(error.span.file))
    return bool(errors)


def _check_references(
    checked: list[Facts],
    texts: dict[str, str],
    printer: DiagnosticPrinter,
    checker: FileChecker,
) -> bool:
    """Resolve `refers` among the files checked, loading sibling policies for the rest."""
    loaded = {c["number"]: c for c in checked}
    wanted = {document for c in checked for document, *_rest in c["refs"]} - set(loaded)
    folders = {Path(file).parent for file in texts}
    for folder in sorted(folders) if wanted else []:
        for path in sorted(folder.glob("*.policy")):
            try:
                sibling = checker.result(path, read_source(path))["facts"]
            except InputError:
                continue  # reported when checked
            if sibling is not None:  # not a registry, nor a policy with its own errors
                loaded.setdefault(sibling["number"], sibling)
    problems = reference_problems(list(loaded.values()))
    problems = [p for p in problems if p.span.file in texts]
    for problem in problems:
        printer.emit(problem, texts.get(problem.span.file))
    return bool(problems)


class FileChecker:
    """Each file's result, from the check's cache when nothing it depends on has changed."""

    def __init__(self, strict: bool, json_output: bool, coverage: bool):
        self.strict = strict
        self.json_output = json_output
        self.coverage = coverage
        self.options = (f"strict={strict}", f"json={json_output}", f"coverage={coverage}")
        self.digests = check_cache.Digests()

    def result(self, path: Path, text: str) -> FileResult:
        """The result of checking `path`, whose text is `text`."""
        from policyc.compiler.files import recording_reads

        key = check_cache.result_key(path, text, self.options, _CODE)
        found = check_cache.load(key, self.digests)
        if isinstance(found, dict) and found.keys() == _RESULT_FIELDS:
            return found
        with recording_reads() as reads:
            result = self.check(path, text)
        check_cache.store(key, result, reads)
        return result

    def check(self, path: Path, text: str) -> FileResult:
        """`path` parsed and checked afresh: its result, as JSON data."""
        import attrs

        from policyc.compiler.check_facts import facts_of
        from policyc.compiler.checker import check
        from policyc.compiler.coverage import coverage
        from policyc.compiler.holiday_notices import notices_problems
        from policyc.compiler.ignores import apply_ignores
        from policyc.compiler.lint import lint
        from policyc.compiler.parser import parse
        from policyc.compiler.received_text import load_registry
        from policyc.compiler.registry import Registry

        items: list[dict[str, Any]] = []
        sources: dict[str, str | None] = {}

        def emit(diagnostic: Diagnostic, source: str | None = None, listed: bool = False) -> None:
            items.append(shown(diagnostic, source, listed, self.json_output, sources))

        def result(
            failed: bool, ok: list[Any] | None = None, facts: Facts | None = None
        ) -> FileResult:
            kept = ok is not None and facts is not None
            data = {"shown": items, "ok": ok, "failed": failed, "kept": kept, "facts": facts}
            # As the cache gives it back (lists for tuples): the same output cold or warm.
            done: FileResult = json.loads(json.dumps(data))
            return done

        stage = "syntax"
        try:
            parsed = parse(text, str(path))
            stage = "check"
            if parsed.header is None and parsed.units and not (parsed.sections or parsed.clauses):
                problems: list[Diagnostic] = []
                load_registry(path, problems, Registry())
                if problems:
                    raise PolicyError(problems, {str(path): text})
                line = _("unit registry, {len_parsed_units} units").format(
                    len_parsed_units=len(parsed.units),
                )
                return result(False, [line, {"units": len(parsed.units)}])
            if parsed.header is None and parsed.notices and not (parsed.sections or parsed.clauses):
                problems = notices_problems(parsed.notices, {str(path): text})
                if any(p.severity is Severity.ERROR for p in problems):
                    raise PolicyError(problems, {str(path): text})
                shown_warnings = apply_ignores(problems, {str(path): text})
                for warning in shown_warnings:
                    emit(warning, text)
                if shown_warnings and self.strict:
                    return result(True)
                line = _("holiday calendar of {years}").format(
                    years=", ".join(str(notice.year) for notice in parsed.notices),
                )
                return result(False, [line, {"years": len(parsed.notices)}])
            checked = check(parsed, text)
        except PolicyError as exc:
            for diagnostic in exc.diagnostics:  # an error's code is its stage
                staged = attrs.evolve(diagnostic, code=diagnostic.code or stage)
                emit(staged, exc.sources.get(diagnostic.span.file))
            return result(True)
        found = [w for w in (*checked.warnings, *lint(checked)) if w.severity is Severity.WARNING]
        warnings = apply_ignores(found, {str(path): text}, _other_texts(found, str(path)))
        for warning in warnings:
            emit(warning, checked.text if warning.span.file == checked.file.path else None)
        facts = facts_of(checked)
        if warnings and self.strict:
            return result(True, None, facts)
        rules = sum(1 for _ in checked.file.all_rules())
        clauses = checked.file.clause_count()
        covered = coverage(checked)
        if self.coverage:
            for sentence in covered.diagnostics():
                emit(sentence, listed=True)
        targets = sum(1 for _ in checked.file.all_targets())
        decisions = sum(1 for d in checked.file.all_defines() if d.decided)
        if targets or decisions:  # a work plan's targets, a roster's decided values count too
            counted = _(
                "{checked_header_number}: {clauses} clauses, {rules} rules, {targets} targets, "
                "{decisions} decided values, source coverage {covered_percent:.1f}%"
            )
        else:
            counted = _(
                "{checked_header_number}: {clauses} clauses, {rules} rules, "
                "source coverage {covered_percent:.1f}%"
            )
        line = counted.format(  # the shorter message leaves `targets` and `decisions` unused
            checked_header_number=checked.header.number,
            clauses=clauses,
            rules=rules,
            targets=targets,
            decisions=decisions,
            covered_percent=covered.percent,
        )
        summary = {
            "policy": checked.header.number,
            "clauses": clauses,
            "rules": rules,
            "targets": targets,
            "decisions": decisions,
            "coverage": round(covered.percent, 1),
        }
        return result(False, [line, summary], facts)


def _other_texts(warnings: Iterable[Diagnostic], own: str) -> dict[str, str]:
    """The text of each file other than the policy's own that a warning lies in (a `calendar
    from` file's notices), so that its ignore comments silence them there; unreadable: none."""
    from policyc.compiler.files import read_text

    texts: dict[str, str] = {}
    for name in {w.span.file for w in warnings if w.span.file and w.span.file != own}:
        try:
            texts[name] = read_text(Path(name))
        except (OSError, ValueError):  # read already by the check; gone since: no ignores
            continue
    return texts
