"""`policyc run`'s plain command lines are read without building a parser (arguments.plain_run):
the namespace must be the one argparse gives the same words, and anything else goes to argparse."""

from __future__ import annotations

import itertools
import random

import pytest

from policyc.arguments import UsageError, parse_arguments, plain_run
from policyc.parsers import _build_parsers


def by_argparse(words: list[str]) -> object:
    _parser, commands = _build_parsers("run")
    try:
        args = commands["run"].parse_intermixed_args(words)
    except UsageError as exc:
        return ("usage error", str(exc))
    args.command = "run"
    return args


OPTIONS: list[list[str]] = [
    ["--on", "2023-12-31"],
    ["--period", "2026-04"],
    ["--format", "json"],
    ["--format", "text"],
    ["--explain"],
    ["--all"],
    ["--only", "适用,待定"],
    ["--reading", "甲=乙"],
    ["--reading", "丙=丁"],
    ["--root", "some/dir"],
    ["--progress"],
    ["--members", "m.csv"],
    ["--out", "o.csv"],
    ["-o", "o.csv"],
]


_SAME = {"-o": "--out"}  # one option's two spellings


def command_lines() -> list[list[str]]:
    """Plain lines: the policy, --case or --cases, up to three options, in shuffled orders."""
    lines = []
    chooser = random.Random(16)
    for given in (["--case", "c.yaml"], ["--cases", "c.csv"]):
        for count in range(4):
            for chosen in itertools.combinations(OPTIONS, count):
                flags = [_SAME.get(o[0], o[0]) for o in chosen if o[0] != "--reading"]
                if len(set(flags)) < len(flags):
                    continue  # an option twice: argparse's last-wins is left to argparse
                words = [["p.policy"], given, *chosen]
                for _ in range(2):
                    chooser.shuffle(words)
                    lines.append([w for part in words for w in part])
    return lines


def test_plain_lines_read_as_argparse_reads_them() -> None:
    lines = command_lines()
    assert len(lines) > 1000
    for words in lines:
        plain = plain_run(words)
        assert plain is not None, words
        assert plain == by_argparse(words), words


@pytest.mark.parametrize(
    "words",
    [
        [],  # no policy, no case
        ["p.policy"],  # no --case
        ["p.policy", "--case", "c.yaml", "--cases", "c.csv"],  # both
        ["p.policy", "q.policy", "--case", "c.yaml"],  # two policies
        ["p.policy", "--case"],  # a value missing
        ["p.policy", "--case", "--all"],
        ["p.policy", "--case", "c.yaml", "--on", "-1"],  # a value that reads as an option
        ["p.policy", "--case=c.yaml"],
        ["p.policy", "--cas", "c.yaml"],  # an abbreviation
        ["p.policy", "--case", "c.yaml", "--format", "yaml"],
        ["p.policy", "--case", "c.yaml", "--case", "d.yaml"],
        ["p.policy", "--case", "c.yaml", "--all", "--all"],
        ["p.policy", "--case", "c.yaml", "--help"],
        ["p.policy", "--case", "c.yaml", "-h"],
        ["p.policy", "--case", "c.yaml", "--"],
        ["", "--case", "c.yaml"],
        ["-", "--case", "c.yaml"],
        ["p.policy", "--case", "c.yaml", "--bogus"],
    ],
)
def test_anything_else_is_left_to_argparse(words: list[str]) -> None:
    assert plain_run(words) is None


def test_parse_arguments_takes_the_plain_way_and_falls_back(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = parse_arguments(["run", "p.policy", "--case", "c.yaml", "--format", "json"])
    assert args == by_argparse(["p.policy", "--case", "c.yaml", "--format", "json"])
    with pytest.raises(UsageError):
        parse_arguments(["run", "p.policy", "--case", "c.yaml", "--format", "yaml"])
