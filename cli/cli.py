"""The `policyc` command: check, run, test, docs, duties.

Exit status: 0 success; 1 `test` found a case whose result differs from what it expects, or
`run` answered all but a refused part (a target whose 顺延 deadline, or a rule whose
`date_plus(d, N 工作日)`, needs a day the official calendar of working days does not know);
2 any error — a policy that does not check, a bad case file, a bad argument. A problem is always
a message naming the place and what was expected, never a Python traceback; with `--format json`
it is the JSON error document of `policyc.problems` on stdout. Options may come before, between
or after the paths. Output into a pipe closed early (`policyc check … | head -1`) ends the
command quietly, with the status a process killed by SIGPIPE has (141).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

# What every command needs, and `run` on a cached policy: no parser, checker, Lark, jinja2 or
# attrs (issue 16). Each command imports the rest of what it uses when it runs.
from policyc.arguments import UsageError, parse_arguments, wants_json
from policyc.compiler.errors_base import (
    InputError,
    PolicyError,
)
from policyc.compiler.i18n import _
from policyc.compiler.pipeline import (
    CompiledPolicy,
    check_policy,
    compile_policy,
    read_source,
)
from policyc.compiler.project import confined_to
from policyc.extras import require
from policyc.output import json_text, printable_output
from policyc.problems import Problem, problems_of, report_problems
from policyc.runtime.evaluation import EvaluationError

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    import argparse
    from signal import SIGPIPE

    from policyc.runtime.results import RuleResult
else:
    from _signal import SIGPIPE  # signal's own, without building its enums (issue 16)


EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + SIGPIPE  # what a shell shows for a process SIGPIPE ended


def main(argv: Sequence[str] | None = None, *, program: bool = False) -> int:
    """Run the command `argv` (sys.argv's words when None); returns the exit status. `program`:
    called by `policyc.command`, which starts the program with the garbage collector off (this
    turns it back on for any command but a `run` of one case)."""
    # Everything printed, messages and usage included, goes through report.PrintableStream.
    with printable_output():
        return _main(argv, program)


def _main(argv: Sequence[str] | None, program: bool = False) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    json_errors = wants_json(words)
    try:
        try:
            args = parse_arguments(words)
            if program and not (args.command == "run" and args.cases is None):
                gc.enable()  # off while the program started (`policyc.command`)
            json_errors = getattr(args, "format", "text") == "json"
            handler = {
                "check": _cmd_check,
                "run": cmd_run,
                "test": cmd_test,
                "docs": cmd_docs,
                "duties": cmd_duties,
                "schema": cmd_schema,
                "rules": cmd_rules,
                "serve": cmd_serve,
                "fmt": cmd_fmt,
                "lsp": cmd_lsp,
                "new": cmd_new,
            }
            with confined_to(getattr(args, "root", None)):
                status: int = handler[args.command](args)
            sys.stdout.flush()  # a closed pipe shows here, inside the handling below
            return status
        except UsageError as exc:
            if json_errors:
                report_problems([Problem(f"{exc}", field="arguments")], json_errors)
            else:
                sys.stderr.write(exc.usage)
                sys.stderr.write(_("policyc: error: {exc}\n").format(exc=exc))
            return EXIT_ERROR
        except (PolicyError, InputError) as exc:
            report_problems(problems_of(exc, _paths_given(words)), json_errors, exc)
            return EXIT_ERROR
        except EvaluationError as exc:
            policy = str(getattr(args, "policy", "policy"))
            problem = Problem(str(exc).split(": ", 1)[-1], policy, exc.info.line)
            report_problems([problem], json_errors, text=f"{policy}:{exc}")
            return EXIT_ERROR
        except KeyboardInterrupt:
            sys.stderr.write(_("policyc: interrupted\n"))
            return EXIT_ERROR
        except BrokenPipeError:
            raise
        except Exception as exc:
            if os.environ.get("POLICYC_DEBUG"):
                import traceback

                traceback.print_exc()
            message = _("internal error: {type_exc____name}: {exc}").format(
                type_exc____name=type(exc).__name__,
                exc=exc,
            )
            if json_errors:
                report_problems([Problem(message)], json_errors)
            sys.stderr.write(
                _(
                    "policyc: {message}\n"
                    "(this is a bug in policyc; set POLICYC_DEBUG=1 to see where)\n"
                ).format(
                    message=message,
                )
            )
            return EXIT_ERROR
    except BrokenPipeError:
        return _reader_went_away()


def _reader_went_away() -> int:
    """The reader of our output closed it (`| head -1`): stop quietly, as SIGPIPE would.

    Python turns SIGPIPE into BrokenPipeError wherever the write happens; it is caught once,
    here. Standard output is pointed at /dev/null so the interpreter's final flush stays quiet.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


def _paths_given(words: Sequence[str]) -> list[str]:
    """The words of the command line that name files, for placing a plain InputError."""
    return [w for w in words if not w.startswith("-")]


def _cmd_check(args: argparse.Namespace) -> int:
    from policyc.check_command import cmd_check  # the check's own modules, when it runs

    return cmd_check(args)


# ---- run -------------------------------------------------------------------------------------


def _readings(policy: CompiledPolicy, pairs: Sequence[str]) -> dict[str, str]:
    from policyc.cases import reading_problem

    chosen: dict[str, str] = {}
    for pair in pairs:
        name, sep, option = pair.partition("=")
        if not sep:
            raise InputError(_("--reading {pair}: expected NAME=OPTION").format(pair=pair))
        problem = reading_problem(policy.view, name.strip(), option.strip())
        if problem:
            raise InputError(_("--reading {pair}: {problem}").format(pair=pair, problem=problem))
        if name.strip() not in policy.switchable_readings:
            sys.stderr.write(
                _(
                    "policyc: warning: --reading {pair}: no rule tests reading `{name_strip}`; "
                    "it records a choice written elsewhere in the policy file (change it there)\n"
                ).format(pair=pair, name_strip=name.strip())
            )
        chosen[name.strip()] = option.strip()
    return chosen


def cmd_run(args: argparse.Namespace) -> int:
    if args.cases is not None:
        if args.explain or args.only or args.all:
            raise InputError(_("--explain, --only and --all apply to one --case, not to --cases"))
        if args.period is not None:
            raise InputError(
                _("--period applies to one --case; a --cases file gives `on` or `period` per row")
            )
        require("duckdb", "batch", "--cases")
        from pathlib import Path  # `run`'s paths are words (arguments.py)

        from policyc.batch import run_batch  # DuckDB is imported only for --cases

        return run_batch(
            Path(args.policy),
            Path(args.cases),
            None if args.out is None else Path(args.out),
            args.on,
            args.reading,
            args.format,
            progress=args.progress,
            members_path=None if args.members is None else Path(args.members),
        )
    if args.out is not None or args.progress:
        raise InputError(_("--out and --progress go with --cases"))
    if args.members is not None:
        raise InputError(_("--members goes with --cases"))
    from policyc.case_people import with_period
    from policyc.cases import load_case
    from policyc.report import parse_statuses
    from policyc.runtime.dates import parse_iso_date
    from policyc.runtime.people import within_period

    policy = compile_policy(args.policy)
    case = load_case(args.case, policy.view, remember=True)
    if args.period is not None:
        case = with_period(case, args.period)  # households and periods: case_people.py
    if args.on is not None:
        try:
            on = parse_iso_date(args.on)
        except ValueError as exc:
            raise InputError(_("--on {args_on}: {exc}").format(args_on=args.on, exc=exc)) from None
        period = getattr(case.inputs, "period", None)
        if isinstance(period, str) and not within_period(on, period):
            # As a case's own `on:` is held to its `period:` (cases.py): another period's date
            # would apply that period's standard to this one's claim.
            raise InputError(
                _(
                    "--on {args_on} is outside the case's `period: {period}`: give a date "
                    "within the period (or --period)"
                ).format(args_on=args.on, period=period)
            )
    elif case.on is not None:
        on = case.on
    else:
        raise InputError(
            _("{args_case}: no evaluation date: give `on:` in the case or --on DATE").format(
                args_case=args.case,
            )
        )
    readings = dict(policy.namespace["READINGS"])
    readings.update(case.readings)
    readings.update(_readings(policy, args.reading))
    wanted = parse_statuses(args.only) if args.only is not None else None
    results = policy.evaluate(case.inputs, on, readings, case.received, args.explain)
    shown = results if wanted is None else [r for r in results if r.status in wanted]
    if args.format == "json":
        from policyc.report import to_json

        doc = to_json(
            policy,
            shown,
            on,
            readings,
            str(args.case),
            args.explain,
            totals_of=results,
            given=case.inputs,
        )
        sys.stdout.write(json_text(doc))
    elif not (args.all or args.explain or wanted is not None):
        from policyc.answer import answer_text
        from policyc.member_why import explained_whys

        whys = explained_whys(policy, results, case.inputs, on, readings, case.received)
        sys.stdout.write(answer_text(policy, results, on, readings, case.inputs, whys))
    else:
        from policyc.member_why import explained_whys
        from policyc.report import to_text

        # --explain shows each member's steps; --all and --only say who failed what in a line
        whys = {} if args.explain else explained_whys(policy, shown, case.inputs, on, readings)
        text = to_text(
            policy, shown, on, readings, args.explain, results, given=case.inputs, whys=whys
        )
        sys.stdout.write(text)
        if any(r.info.role == "target" for r in results):
            from policyc.duties import progress_text

            sys.stdout.write(progress_text(policy, results))
    return _refused_parts(args.policy, results)


def _refused_parts(policy: str, results: list[RuleResult]) -> int:
    """EXIT_FAILED, each refused part named on standard error, when a part of the answer was
    refused — a target whose 顺延 deadline, or a rule, decision or target whose condition,
    amount or value needs a day the official calendar does not know (`RuleResult.refused`;
    every other rule answered, the JSON lists it under "refused") — else EXIT_OK."""
    refused = [r for r in results if r.refused]
    for r in refused:
        if r.due:  # a target's deadline: the rest of the target is answered
            said = _(
                "{policy}:{line}: target `{name}`: in progress or overdue cannot be told: {why}\n"
            )
        else:  # its condition, amount or value: this one alone refused
            said = _("{policy}:{line}: `{name}` cannot be evaluated, the others are: {why}\n")
        sys.stderr.write(
            said.format(policy=policy, line=r.info.line, name=r.info.name, why=r.refused)
        )
    return EXIT_FAILED if refused else EXIT_OK


# ---- test ------------------------------------------------------------------------------------


def cmd_test(args: argparse.Namespace) -> int:
    from policyc.case_policy import test_pairs
    from policyc.testing import run_case_tests

    pairs = test_pairs(args.policy, args.cases)
    if args.format == "json":
        from policyc.testing import case_tests_json

        docs = [case_tests_json(policy_path, case_paths) for policy_path, case_paths in pairs]
        failures = sum(d["failed"] for d in docs)
        errors = sum(d["errors"] for d in docs)
        ok = not (failures or errors)
        sys.stdout.write(json_text({"policyc": 1, "ok": ok, "policies": docs}))
    else:
        failures = errors = 0
        for policy_path, case_paths in pairs:
            failed, in_error = run_case_tests(policy_path, case_paths, sys.stdout)
            failures, errors = failures + failed, errors + in_error
    # A case file in error outweighs a failure: its expectations were never compared.
    return EXIT_ERROR if errors else EXIT_FAILED if failures else EXIT_OK


# ---- docs ------------------------------------------------------------------------------------


def cmd_docs(args: argparse.Namespace) -> int:
    from policyc.compiler.docs import load_site_config, write_docs
    from policyc.compiler.parser import parse
    from policyc.compiler.site.charts import available as charts_available
    from policyc.worked_examples import worked_examples

    # The configuration is read first: a mistake in it is reported before any policy is checked.
    config = load_site_config(args.config) if args.config is not None else None
    from policyc.check_command import policy_files

    checked = []
    for path in policy_files(args.paths):
        if parse(read_source(path), str(path)).header is None:
            continue  # a unit registry: its units appear on the units page through the policies
        checked.append(check_policy(path))
    if not checked:
        raise InputError(
            _("no policies under {join_map_str_args_paths}").format(
                join_map_str_args_paths=", ".join(map(str, args.paths)),
            )
        )
    if not charts_available():
        print(
            _(
                "charts left out: they need matplotlib: pip install 'policyc[docs]' "
                "(in a checkout: pip install '.[docs]')"
            ),
            file=sys.stderr,
        )
    examples = worked_examples(checked)
    try:
        written = write_docs(checked, args.out, config, examples=examples)
    except OSError as exc:  # the writer leaves the previous docs untouched
        raise InputError(
            _("{args_out}: cannot write the docs ({exc_strerror_or_exc})").format(
                args_out=args.out,
                exc_strerror_or_exc=exc.strerror or exc,
            )
        ) from None
    print(
        _("wrote {len_written} files to {args_out}").format(
            len_written=len(written),
            args_out=args.out,
        )
    )
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


# ---- schema and serve ------------------------------------------------------------------------


def cmd_schema(args: argparse.Namespace) -> int:
    from policyc.schema import case_schema

    sys.stdout.write(json_text(case_schema(check_policy(args.policy))))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from policyc.rules_command import cmd_rules as run_rules

    return run_rules(args)


def cmd_serve(args: argparse.Namespace) -> int:
    for module in ("starlette", "uvicorn", "multipart", "orjson"):
        require(module, "serve", "serve")
    from policyc.serve.server import serve

    return serve(args.paths, args.host, args.port, args.workers)


if __name__ == "__main__":
    raise SystemExit(main())
