"""The `policyc` command: check, run, test, docs.

Exit status: 0 success; 1 `test` found a case whose result differs from what it expects;
2 any error — a policy that does not check, a bad case file, a bad argument. A problem is always
a message naming the place and what was expected, never a Python traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

from policyc.cases import load_case, reading_problem
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import Diagnostic, InputError, PolicyError, Severity
from policyc.compiler.pipeline import (
    CompiledPolicy,
    check_policy,
    check_references,
    compile_policy,
    read_source,
)
from policyc.diagnostics import DiagnosticSink
from policyc.extras import require
from policyc.report import STATUS_WORDS, json_text, to_json, to_text
from policyc.runtime.dates import parse_iso_date
from policyc.runtime.evaluation import EvaluationError

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"policyc: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="policyc", description="Check, evaluate and publish policy files.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="parse and check policy files or folders")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--coverage",
        action="store_true",
        help="list every sentence of the source text no quote or aside covers",
    )
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: every error and warning as one JSON document on stdout (codes, ranges)",
    )

    run = sub.add_parser("run", help="evaluate a case against a policy")
    run.add_argument("policy", type=Path, metavar="POLICY")
    given = run.add_mutually_exclusive_group(required=True)
    given.add_argument(
        "--case", type=Path, metavar="CASE", help="a case file (.yaml, .yml or .json)"
    )
    given.add_argument(
        "--cases", type=Path, metavar="FILE", help="many cases: .csv, .jsonl or .parquet, one a row"
    )
    run.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="with --cases: per-case results (.csv, .parquet, .jsonl)",
    )
    run.add_argument(
        "--progress",
        action="store_true",
        default=None,
        help="with --cases: a progress bar off a terminal too",
    )
    run.add_argument(
        "--on", metavar="DATE", help="evaluation date (YYYY-MM-DD); default: the case's `on`"
    )
    run.add_argument("--format", choices=("text", "json"), default="text")
    run.add_argument("--explain", action="store_true", help="show the steps behind each result")
    run.add_argument(
        "--only",
        metavar="STATUS[,STATUS]",
        help="list only results with these statuses (e.g. applies,decided); totals are unchanged",
    )
    run.add_argument(
        "--reading",
        action="append",
        default=[],
        metavar="NAME=OPTION",
        help="take another option of a declared reading for this run",
    )

    test = sub.add_parser("test", help="run example cases against their expected results")
    test.add_argument("policy", type=Path, nargs="?", metavar="POLICY")
    test.add_argument(
        "cases",
        type=Path,
        nargs="*",
        metavar="CASE",
        help="case files or folders (default: examples/<policy name>/)",
    )

    docs = sub.add_parser("docs", help="write the clause docs (Markdown and mkdocs.yml)")
    docs.add_argument("paths", nargs="*", type=Path, default=[Path("policies")], metavar="PATH")
    docs.add_argument("--out", type=Path, default=Path("generated_docs"), metavar="DIR")

    fmt = sub.add_parser("fmt", help="lay policy files out in the one canonical layout")
    fmt.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="default: stdin")
    fmt_mode = fmt.add_mutually_exclusive_group()
    fmt_mode.add_argument("-w", "--write", action="store_true", help="rewrite the files")
    fmt_mode.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    fmt_mode.add_argument("--diff", action="store_true", help="print what would change")

    new = sub.add_parser("new", help="a skeleton policy from the received text")
    new.add_argument("source", type=Path, metavar="SOURCE", help="the received text")
    new.add_argument("--lines", required=True, metavar="A-B", help="the document's lines")
    new.add_argument("-o", "--out", type=Path, metavar="FILE", help="default: stdout")
    new.add_argument("--units", type=Path, metavar="REGISTRY", help="the unit registry")

    sub.add_parser("lsp", help="a language server on stdin/stdout (pip install '.[lsp]')")

    duties = sub.add_parser("duties", help="what a unit leads, is responsible for or cooperates on")
    duties.add_argument("unit", metavar="UNIT", help="a unit's name or alias")
    duties.add_argument("paths", nargs="*", type=Path, default=[Path("policies")], metavar="PATH")
    duties.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        handler = {
            "check": cmd_check,
            "run": cmd_run,
            "test": cmd_test,
            "docs": cmd_docs,
            "duties": cmd_duties,
            "fmt": cmd_fmt,
            "lsp": cmd_lsp,
            "new": cmd_new,
        }
        return handler[args.command](args)
    except PolicyError as exc:
        sys.stderr.write(exc.render() + "\n")
        return EXIT_ERROR
    except InputError as exc:
        sys.stderr.write(f"policyc: {exc}\n")
        return EXIT_ERROR
    except EvaluationError as exc:
        policy = getattr(args, "policy", "policy")
        sys.stderr.write(f"{policy}:{exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("policyc: interrupted\n")
        return EXIT_ERROR
    except Exception as exc:
        if os.environ.get("POLICYC_DEBUG"):
            traceback.print_exc()
        sys.stderr.write(
            f"policyc: internal error: {type(exc).__name__}: {exc}\n"
            "(this is a bug in policyc; set POLICYC_DEBUG=1 to see where)\n"
        )
        return EXIT_ERROR


# ---- check -----------------------------------------------------------------------------------


def policy_files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.policy"))
        elif path.exists():
            yield path
        else:
            raise InputError(f"{path}: no such file or folder")


def cmd_check(args: argparse.Namespace) -> int:
    from policyc.compiler.checker import check, load_registry
    from policyc.compiler.coverage import coverage
    from policyc.compiler.ignores import apply_ignores
    from policyc.compiler.lint import lint, lint_folder
    from policyc.compiler.parser import parse
    from policyc.compiler.registry import Registry

    files = list(policy_files(args.paths))
    if not files:
        raise InputError(f"no .policy files under {', '.join(map(str, args.paths))}")
    sink = DiagnosticSink(args.format)
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
                sink.ok(path, f"{path}: ok (unit registry, {len(parsed.units)} units)")
                continue
            checked = check(parsed, text)
        except PolicyError as exc:
            failed = True
            sink.failed(path, exc, stage)
            continue
        found = [w for w in (*checked.warnings, *lint(checked)) if w.severity is Severity.WARNING]
        warnings = apply_ignores(found, {str(path): text})
        sink.report(warnings, {str(path): text})
        if warnings and args.strict:
            failed = True
            sink.not_ok(path)
            continue
        checked_all.append(checked)
        rules = sum(1 for _ in checked.file.all_rules())
        clauses = sum(1 for _ in checked.file.all_clauses())
        covered = coverage(checked)
        if args.coverage:
            source = Path(covered.source_path())
            sink.report(covered.diagnostics(), {str(source): read_source(source)})
        sink.ok(
            path,
            f"{path}: ok ({checked.header.number}: {clauses} clauses, {rules} rules, "
            f"source coverage {covered.percent:.1f}%)",
        )
    if any(p.is_dir() for p in args.paths):
        folder_warnings = lint_folder(checked_all)
        texts = {w.span.file: read_source(Path(w.span.file)) for w in folder_warnings}
        folder_warnings = apply_ignores(folder_warnings, texts)
        sink.report(folder_warnings, texts)
        failed = failed or (args.strict and bool(folder_warnings))
    if checked_all and not failed:
        failed = _check_references(checked_all, sink)
    sink.finish()
    return EXIT_ERROR if failed else EXIT_OK


def _check_references(checked: list[CheckedPolicy], sink: DiagnosticSink) -> bool:
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
    sink.report(problems, {c.file.path: c.text for c in checked})
    return bool(problems)


# ---- run -------------------------------------------------------------------------------------


def _readings(policy: CompiledPolicy, pairs: Sequence[str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for pair in pairs:
        name, sep, option = pair.partition("=")
        if not sep:
            raise InputError(f"--reading {pair}: expected NAME=OPTION")
        problem = reading_problem(policy.checked, name.strip(), option.strip())
        if problem:
            raise InputError(f"--reading {pair}: {problem}")
        if name.strip() not in policy.switchable_readings:
            sys.stderr.write(
                f"policyc: warning: --reading {pair}: no rule tests reading `{name.strip()}`; "
                "it records a choice written elsewhere in the policy file (change it there)\n"
            )
        chosen[name.strip()] = option.strip()
    return chosen


def cmd_run(args: argparse.Namespace) -> int:
    if args.cases is not None:
        if args.explain or args.only:
            raise InputError("--explain and --only apply to one --case, not to --cases")
        require("duckdb", "batch", "--cases")
        from policyc.batch import run_batch  # DuckDB is imported only for --cases

        return run_batch(
            args.policy,
            args.cases,
            args.out,
            args.on,
            args.reading,
            args.format,
            progress=args.progress,
        )
    if args.out is not None or args.progress:
        raise InputError("--out and --progress go with --cases")
    policy = compile_policy(args.policy)
    case = load_case(args.case, policy.checked)
    if args.on is not None:
        try:
            on = parse_iso_date(args.on)
        except ValueError as exc:
            raise InputError(f"--on {args.on}: {exc}") from None
    elif case.on is not None:
        on = case.on
    else:
        raise InputError(f"{args.case}: no evaluation date: give `on:` in the case or --on DATE")
    readings = dict(policy.namespace["READINGS"])
    readings.update(case.readings)
    readings.update(_readings(policy, args.reading))
    results = policy.evaluate(case.inputs, on, readings, case.received, args.explain)
    if args.only:
        wanted = {s.strip() for s in args.only.split(",") if s.strip()}
        unknown_statuses = wanted - set(STATUS_WORDS)
        if unknown_statuses:
            raise InputError(
                f"--only {args.only}: unknown status {', '.join(sorted(unknown_statuses))};"
                f" statuses are {', '.join(STATUS_WORDS)}"
            )
        shown = [r for r in results if r.status in wanted]
    else:
        shown = results
    if args.format == "json":
        doc = to_json(policy, shown, on, readings, str(args.case), args.explain, totals_of=results)
        sys.stdout.write(json_text(doc))
    else:
        sys.stdout.write(to_text(policy, shown, on, readings, args.explain, totals_of=results))
        if any(r.info.role == "target" for r in results):
            from policyc.duties import progress_text

            sys.stdout.write(progress_text(policy, results))
    return EXIT_OK


# ---- test ------------------------------------------------------------------------------------


def cmd_test(args: argparse.Namespace) -> int:
    from policyc.testing import run_case_tests

    if args.policy is None:
        pairs = [
            (p, [Path("examples") / p.stem])
            for p in sorted(Path("policies").glob("*.policy"))
            if (Path("examples") / p.stem).is_dir()
        ]
        if not pairs:
            raise InputError("no policies/<name>.policy with examples/<name>/ cases to test")
    else:
        pairs = [(args.policy, args.cases or [Path("examples") / args.policy.stem])]
    failures = 0
    for policy_path, case_paths in pairs:
        failures += run_case_tests(policy_path, case_paths, sys.stdout)
    return EXIT_FAILED if failures else EXIT_OK


# ---- docs ------------------------------------------------------------------------------------


def cmd_docs(args: argparse.Namespace) -> int:
    from policyc.compiler.docs import write_docs
    from policyc.compiler.parser import parse

    checked = []
    for path in policy_files(args.paths):
        if parse(read_source(path), str(path)).header is None:
            continue  # a unit registry: its units appear on the units page through the policies
        checked.append(check_policy(path))
    if not checked:
        raise InputError(f"no policies under {', '.join(map(str, args.paths))}")
    try:
        written = write_docs(checked, args.out)
    except OSError as exc:  # the writer leaves the previous docs untouched
        raise InputError(f"{args.out}: cannot write the docs ({exc.strerror or exc})") from None
    print(f"wrote {len(written)} files to {args.out}")
    return EXIT_OK


# ---- fmt -------------------------------------------------------------------------------------


def cmd_fmt(args: argparse.Namespace) -> int:
    from policyc.formatting import run_fmt

    mode = "write" if args.write else "check" if args.check else "diff" if args.diff else "print"
    return run_fmt(args.paths, mode)


def cmd_new(args: argparse.Namespace) -> int:
    from policyc.newpolicy import run_new

    return run_new(args.source, args.lines, args.out, args.units)


def cmd_lsp(args: argparse.Namespace) -> int:
    require("pygls", "lsp", "lsp")
    from policyc.lsp import run  # pygls is imported only for the language server

    return run()


# ---- duties ----------------------------------------------------------------------------------


def cmd_duties(args: argparse.Namespace) -> int:
    from policyc.duties import run_duties

    return run_duties(args.unit, args.paths, args.format, sys.stdout)


if __name__ == "__main__":
    raise SystemExit(main())
