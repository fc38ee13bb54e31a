"""The `policyc` command line read into a namespace.

`parse_arguments(argv)` returns the namespace (`command` names the command); options may come
before, between or after a command's paths. A plain `run` line is read here, without argparse
(`plain_run`); any other line by the argparse parsers of parsers.py, which hold every command's
options and help texts. A bad argument raises `UsageError`, carrying the command's usage for the
message; `wants_json(argv)` reads `--format json` off the words for an error found before there
is a namespace.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from argparse import Namespace
else:

    class Namespace:
        """What `argparse.Namespace` is to its readers (attributes, equality with another
        namespace of the same attributes, its repr), without importing argparse on a plain
        `run` (issue 16): mypy reads it as argparse's own."""

        def __init__(self, **values: object):
            self.__dict__.update(values)

        def __eq__(self, other: object) -> bool:
            return vars(self) == vars(other) if hasattr(other, "__dict__") else NotImplemented

        def __contains__(self, key: str) -> bool:
            return key in self.__dict__

        def __repr__(self) -> str:
            shown = ", ".join(f"{name}={value!r}" for name, value in sorted(vars(self).items()))
            return f"Namespace({shown})"

        __hash__ = None


class UsageError(Exception):
    """A command line argparse refuses; carries the usage line of the (sub)command."""

    def __init__(self, message: str, usage: str):
        super().__init__(message)
        self.usage = usage


def parse_arguments(argv: Sequence[str]) -> Namespace:
    """The command line as a namespace; options may sit anywhere among a command's paths.
    Raises UsageError."""
    if argv and argv[0] == "run":
        plain = plain_run(argv[1:])
        if plain is not None:
            return plain
    from policyc.parsers import parse_with_argparse  # argparse, only for what plain_run leaves

    return parse_with_argparse(argv)


# `run`'s options as parsers.py's `_run` declares them, for `plain_run`: each option's destination
# and what it takes (a path, a word, one of some words, a flag, a word again each time). A path
# is kept as the word itself: a warm `run` imports no pathlib (issue 16), and parsers.py's `run`
# reads its paths as str too.
# tests/test_arguments_plain.py holds the two to the same namespace, option by option.
_RUN_VALUES = {
    "--case": ("case", str), "--cases": ("cases", str), "--members": ("members", str),
    "--out": ("out", str), "-o": ("out", str), "--root": ("root", str), "--on": ("on", str),
    "--period": ("period", str), "--only": ("only", str), "--format": ("format", str),
}  # fmt: skip
_RUN_FLAGS = {"--explain": "explain", "--all": "all", "--progress": "progress"}
_RUN_DEFAULTS = {
    "policy": None, "case": None, "cases": None, "members": None, "out": None, "progress": None,
    "on": None, "period": None, "format": "text", "explain": False, "only": None, "all": False,
    "reading": None, "root": None,
}  # fmt: skip


def plain_run(words: Sequence[str]) -> Namespace | None:
    """`run`'s namespace for a plain command line — one POLICY, --case or --cases, each option
    written out in full at most once (--reading any number of times), each value a word that
    does not start with `-` — without building a parser; None for anything else (a help,
    a mistake, `--format=json`, an abbreviation), which argparse then parses and words. The
    namespace is the one argparse gives the same words: building the parser, its help texts in
    the user's language and argparse's own took a warm `run` longer than evaluating the case."""
    found: dict[str, object] = {}
    readings: list[str] = []
    policy: str | None = None
    at = 0
    while at < len(words):
        word = words[at]
        if not word or word == "-":
            return None
        if word[0] != "-":
            if policy is not None:
                return None
            policy = word
        elif word in _RUN_FLAGS:
            if _RUN_FLAGS[word] in found:
                return None
            found[_RUN_FLAGS[word]] = True
        elif word in _RUN_VALUES or word == "--reading":
            at += 1
            if at == len(words) or not words[at] or words[at][0] == "-":
                return None
            if word == "--reading":
                readings.append(words[at])
            else:
                dest, kind = _RUN_VALUES[word]
                if dest in found:
                    return None
                found[dest] = kind(words[at])
        else:
            return None
        at += 1
    if policy is None or ("case" in found) == ("cases" in found):
        return None
    if found.get("format", "text") not in ("text", "json"):
        return None
    args = Namespace(**_RUN_DEFAULTS)
    for dest, value in found.items():
        setattr(args, dest, value)
    args.policy = policy
    args.reading = readings
    args.command = "run"
    return args


def wants_json(argv: Sequence[str]) -> bool:
    # Read off the words themselves, for an error found before the namespace exists.
    words = list(argv)
    return "--format=json" in words or any(
        word == "--format" and following == "json" for word, following in itertools.pairwise(words)
    )
