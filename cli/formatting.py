"""`policyc fmt [PATH…] [-w | --check | --diff]`: the canonical layout (compiler/fmt.py).

Without a flag, the formatted text goes to stdout (with no PATH, stdin is formatted). `-w`
rewrites each file that changes, atomically (a temporary file beside it, then a rename), so an
interrupted run leaves every file either as it was or formatted. `--check` changes nothing and
exits 1 when a file would change, naming it; `--diff` prints a unified diff. A file that does
not parse is an error (exit 2) and is never rewritten.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from policyc.check_command import policy_files
from policyc.compiler.errors import InputError, PolicyError
from policyc.compiler.fmt import format_text
from policyc.compiler.i18n import _
from policyc.compiler.pipeline import read_source
from policyc.compiler.user_files import replace_text

EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2


def run_fmt(paths: Iterable[Path], mode: str, out: TextIO = sys.stdout) -> int:
    """`mode` is "print", "write", "check" or "diff"; returns the exit status."""
    files = list(policy_files(paths))
    if not files:
        text = sys.stdin.read()
        formatted = format_text(text, "<stdin>")
        _report(mode, "<stdin>", text, formatted, out)
        return EXIT_CHANGED if mode == "check" and formatted != text else EXIT_OK
    changed, failed = [], False
    for path in files:
        try:
            text = read_source(path)
            formatted = format_text(text, str(path))
        except PolicyError as exc:
            sys.stderr.write(exc.render() + "\n")
            failed = True
            continue
        if formatted != text:
            changed.append(path)
        if mode == "write" and formatted != text:
            _write_atomically(path, formatted)
            sys.stderr.write(_("reformatted {path}\n").format(path=path))
        else:
            _report(mode, str(path), text, formatted, out)
    if failed:
        return EXIT_ERROR
    if mode == "check" and changed:
        sys.stderr.write(
            _(
                "{len_changed} of {len_files} files would be reformatted "
                "(policyc fmt -w {join_map_str_changed})\n"
            ).format(
                len_changed=len(changed),
                len_files=len(files),
                join_map_str_changed=" ".join(map(str, changed)),
            )
        )
        return EXIT_CHANGED
    return EXIT_OK


def _report(mode: str, name: str, text: str, formatted: str, out: TextIO) -> None:
    if mode == "print":
        out.write(formatted)
    elif mode == "diff":
        for line in difflib.unified_diff(
            text.splitlines(keepends=True),
            formatted.splitlines(keepends=True),
            f"{name} (original)",
            f"{name} (formatted)",
        ):
            # A file without a final newline: said as diff says it, so that what is printed
            # next does not run on from its last line.
            out.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    elif mode == "check" and formatted != text:
        sys.stderr.write(_("would reformat {name}\n").format(name=name))


def _write_atomically(path: Path, text: str) -> None:
    try:
        replace_text(path, text)  # the file keeps its mode (newcomer report 15)
    except OSError as exc:
        raise InputError(
            _("{path}: cannot write ({exc_strerror_or_exc})").format(
                path=path,
                exc_strerror_or_exc=exc.strerror or exc,
            )
        ) from None
