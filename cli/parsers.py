"""Every `policyc` command's argparse parser: its options and help texts (arguments.py reads a
plain `run` line without one, and imports this module for any other line).

`parse_with_argparse(argv)` returns the namespace (`command` names the command); options may come
before, between or after a command's paths. Raises UsageError, carrying the command's usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from policyc.arguments import UsageError
from policyc.compiler.i18n import _, install_argparse


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message, self.format_usage())

    def parse_known_intermixed_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        # argparse keeps the usage it shows in errors by cutting len("usage: ") characters off
        # the formatted usage; in Chinese (用法: ) that would cut the program's name.
        if self.usage is None:
            prefix = self.format_usage().split(" ", 1)[0] + " "
            self.usage = self.format_usage()[len(prefix) :]
        return super().parse_known_intermixed_args(args, namespace)


def _version() -> str:
    from importlib import metadata  # here: reading the installed metadata costs every start

    try:
        return f"policyc {metadata.version('policyc')}"
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return _("policyc (not installed: version unknown)")


class _VersionAction(argparse.Action):
    """`--version`, looked up only when asked for."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object):
        super().__init__(
            option_strings, dest, nargs=0, help=_("show program's version number and exit")
        )

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        sys.stdout.write(_version() + "\n")
        parser.exit()


def _check(sub: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    check = sub.add_parser("check", help=_("parse and check policy files or folders"))
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.add_argument("--strict", action="store_true", help=_("treat warnings as errors"))
    check.add_argument(
        "--coverage",
        action="store_true",
        help=_("list every sentence of the source text no quote or aside covers"),
    )
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=_("json: every error and warning as one JSON document on stdout (codes, ranges)"),
    )
    return check


def _run(sub: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    # The paths are words (str), as `plain_run` reads them without importing pathlib (issue 16).
    run = sub.add_parser("run", help=_("evaluate a case against a policy"))
    run.add_argument("policy", type=str, metavar="POLICY")
    given = run.add_mutually_exclusive_group(required=True)
    given.add_argument(
        "--case", type=str, metavar="CASE", help=_("a case file (.yaml, .yml or .json)")
    )
    given.add_argument(
        "--cases",
        type=str,
        metavar="FILE",
        help=_(
            "many cases: .csv, .jsonl or .parquet, one a row; values as in a case file (a CSV "
            "cell as if written unquoted); a daily series is a JSON list, or in a CSV cell its "
            "values separated by ';' (152;201;188)"
        ),
    )
    run.add_argument(
        "--members",
        type=str,
        metavar="FILE",
        help=_(
            "with --cases, for a policy with a group: the members, one a row (columns case, "
            "member, role and the members' inputs)"
        ),
    )
    run.add_argument(
        "-o",
        "--out",
        type=str,
        metavar="FILE",
        help=_("with --cases: per-case results (.csv, .parquet, .jsonl)"),
    )
    run.add_argument(
        "--progress",
        action="store_true",
        default=None,
        help=_("with --cases: a progress bar off a terminal too"),
    )
    run.add_argument(
        "--on", metavar="DATE", help=_("evaluation date (YYYY-MM-DD); default: the case's `on`")
    )
    run.add_argument(
        "--period",
        metavar="PERIOD",
        help=_("the month (YYYY-MM) or year (YYYY) to evaluate; default: the case's `period`"),
    )
    run.add_argument("--format", choices=("text", "json"), default="text")
    run.add_argument("--explain", action="store_true", help=_("show the steps behind each result"))
    run.add_argument(
        "--only",
        metavar="STATUS[,STATUS]",
        help=_(
            "list only results with these statuses, in English or Chinese (applies,decided; "
            "适用,待定); totals are unchanged"
        ),
    )
    run.add_argument(
        "--all",
        action="store_true",
        help=_(
            "list every rule (the default answers first: what applies, what is still needed, "
            "a count of the rest)"
        ),
    )
    run.add_argument(
        "--reading",
        action="append",
        default=[],
        metavar="NAME=OPTION",
        help=_("take another option of a declared reading for this run"),
    )
    return run


def _test(sub: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    test = sub.add_parser("test", help=_("run example cases against their expected results"))
    test.add_argument(
        "policy",
        type=Path,
        nargs="?",
        metavar="POLICY",
        help=_("default: the policy each case names"),
    )
    test.add_argument(
        "cases",
        type=Path,
        nargs="*",
        metavar="CASE",
        help=_("case files or folders (default: examples/<policy name>/)"),
    )
    test.add_argument("--format", choices=("text", "json"), default="text")
    return test


def _docs(sub: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    docs = sub.add_parser("docs", help=_("write the clause docs (Markdown and mkdocs.yml)"))
    docs.add_argument("paths", nargs="*", type=Path, default=[Path("policies")], metavar="PATH")
    docs.add_argument("-o", "--out", type=Path, default=Path("generated_docs"), metavar="DIR")
    docs.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help=_("site.toml: the site's name, publisher, reference dates (default: the policies')"),
    )
    return docs


def _fmt(sub: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    fmt = sub.add_parser("fmt", help=_("lay policy files out in the one canonical layout"))
    fmt.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=_("default: stdin"))
    fmt_mode = fmt.add_mutually_exclusive_group()
    fmt_mode.add_argument("-w", "--write", action="store_true", help=_("rewrite the files"))
    fmt_mode.add_argument("--check", action="store_true", help=_("exit 1 if a file would change"))
    fmt_mode.add_argument("--diff", action="store_true", help=_("print what would change"))
    return fmt


def _new(sub: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    new = sub.add_parser("new", help=_("a skeleton policy from the received text"))
    new.add_argument("source", type=Path, metavar="SOURCE", help=_("the received text"))
    new.add_argument("--lines", required=True, metavar="A-B", help=_("the document's lines"))
    new.add_argument("-o", "--out", type=Path, metavar="FILE", help=_("default: stdout"))
    new.add_argument("--units", type=Path, metavar="REGISTRY", help=_("the unit registry"))
    return new


def _lsp(sub: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    lsp = sub.add_parser("lsp", help=_("a language server on stdin/stdout (pip install '.[lsp]')"))
    return lsp


def _duties(sub: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    duties = sub.add_parser(
        "duties", help=_("what a unit leads, is responsible for or cooperates on")
    )
    duties.add_argument("unit", metavar="UNIT", help=_("a unit's name or alias"))
    duties.add_argument("paths", nargs="*", type=Path, default=[Path("policies")], metavar="PATH")
    duties.add_argument("--format", choices=("text", "json"), default="text")
    return duties


def _schema(sub: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    schema = sub.add_parser("schema", help=_("print the JSON Schema of a policy's case files"))
    schema.add_argument("policy", type=Path, metavar="POLICY")
    return schema


def _rules(sub: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    rules = sub.add_parser(
        "rules", help=_("list a policy's rules: clause, heading, kind, source sentences")
    )
    rules.add_argument("policy", type=Path, metavar="POLICY")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    return rules


def _serve(sub: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    serve = sub.add_parser("serve", help=_("serve the policies: a JSON API and a form per policy"))
    serve.add_argument("paths", nargs="*", type=Path, default=[Path("policies")], metavar="PATH")
    serve.add_argument("--host", default="127.0.0.1", help=_("address to bind (default 127.0.0.1)"))
    serve.add_argument("--port", type=int, default=8000, help=_("port to bind (default 8000)"))
    serve.add_argument("--workers", type=int, default=1, help=_("worker processes (default 1)"))
    return serve


# The commands that read a policy's files, each taking `--root DIR` (README "The command line"):
# fmt and lsp read no file a policy names; serve's workers load the policies afresh.
ROOT_COMMANDS = ("check", "run", "test", "docs", "duties", "schema", "new", "rules")

_COMMANDS: dict[str, Callable[[argparse._SubParsersAction[_Parser]], argparse.ArgumentParser]] = {
    "check": _check,
    "run": _run,
    "test": _test,
    "docs": _docs,
    "fmt": _fmt,
    "new": _new,
    "lsp": _lsp,
    "duties": _duties,
    "schema": _schema,
    "rules": _rules,
    "serve": _serve,
}


def _build_parsers(
    only: str | None = None,
) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The `policyc` parser and each command's own parser; with `only` (a command), only that
    command's: a command line names one command, and building every parser cost each start
    more than a cached `run` evaluates (issue 16)."""
    install_argparse()  # argparse's own words (usage:, error:) in policyc's language
    parser = _Parser(prog="policyc", description=_("Check, evaluate and publish policy files."))
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands = {
        name: build(sub) for name, build in _COMMANDS.items() if only is None or name == only
    }
    for name in ROOT_COMMANDS:
        if name not in commands:
            continue
        commands[name].add_argument(
            "--root",
            type=str if name == "run" else Path,  # `run`'s paths stay str (arguments.py)
            metavar="DIR",
            help=_(
                "the project the policies' `source` and `units from` files must lie in "
                "(default: the folder above their policies/ folder, else each policy's folder)"
            ),
        )
    return parser, commands


def parse_with_argparse(argv: Sequence[str]) -> argparse.Namespace:
    """The command line as argparse reads it; options may sit anywhere among a command's paths.

    argparse's intermixed parsing does not reach through subparsers, so the command word picks
    its subparser, which then parses the rest intermixed. Raises UsageError.
    """
    parser, commands = _build_parsers(argv[0] if argv and argv[0] in _COMMANDS else None)
    if not argv or argv[0] not in commands:
        return parser.parse_args(argv)  # --help, --version, or argparse's message for the rest
    args = commands[argv[0]].parse_intermixed_args(argv[1:])
    args.command = argv[0]
    return args
