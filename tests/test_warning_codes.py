"""Every warning code a check emits is registered in compiler/codes.py and documented in
docs/language.md §8's table (tidy10, item 2: `ambiguous-quote` was emitted unregistered, so
`# policyc: ignore[ambiguous-quote] …` was itself refused as naming an unknown code).

The emitters are found by reading the source, so that a new check cannot slip past: every call
of `warn`, `warning`, `_warning` or `Diagnostic` in compiler/ and cli/, its code a string literal
or a module constant (`NEGATIVE_AMOUNT = "negative-amount"`)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from policyc.compiler.check_base import CheckerBase
from policyc.compiler.codes import WARNING_CODES
from policyc.compiler.errors import Span
from policyc.compiler.ignores import find_ignores

REPO = Path(__file__).resolve().parent.parent
EMITTERS = {"warn", "warning", "_warning", "Diagnostic"}
CODE_SHAPE = re.compile(r"^[a-z]+(?:-[a-z]+)*$")


def _sources() -> list[Path]:
    return sorted(p for folder in ("compiler", "cli") for p in (REPO / folder).rglob("*.py"))


def _constants(trees: dict[Path, ast.Module]) -> dict[str, str]:
    """Module-level `NAME = "code-shaped"` constants of every module, by name."""
    found: dict[str, str] = {}
    for tree in trees.values():
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
                and CODE_SHAPE.match(node.value.value)
            ):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id.isupper():
                        found[target.id] = node.value.value
    return found


def emitted_codes() -> dict[str, list[str]]:
    """code → the places (file:line) that emit it."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in _sources()}
    constants = _constants(trees)
    found: dict[str, list[str]] = {}
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in EMITTERS:
                continue
            values = [*node.args, *(k.value for k in node.keywords if k.arg == "code")]
            for value in values:
                code = None
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    code = value.value if CODE_SHAPE.match(value.value) else None
                elif isinstance(value, ast.Name) and value.id in constants:
                    code = constants[value.id]
                if code:
                    place = f"{path.relative_to(REPO)}:{node.lineno}"
                    found.setdefault(code, []).append(place)
    return found


def test_the_scan_finds_the_emitters_of_every_kind():
    # One per way a code is passed: a keyword literal (received_text, coverage), a positional
    # literal (the lint families), a module constant (lint_amounts' NEGATIVE_AMOUNT), a
    # positional Diagnostic argument (ignores' bad-ignore): if the scan missed a kind, the test
    # below would pass over it.
    found = emitted_codes()
    for code in ("ambiguous-quote", "never-holds", "negative-amount", "bad-ignore", "todo"):
        assert code in found, code


def test_every_emitted_code_is_registered():
    unregistered = {
        code: places for code, places in emitted_codes().items() if code not in WARNING_CODES
    }
    assert unregistered == {}


def test_every_registered_code_is_emitted_somewhere():
    # A code no check emits is a dead entry (or the scan lost an emitter).
    assert sorted(set(WARNING_CODES) - set(emitted_codes())) == []


def test_every_registered_code_is_a_row_of_the_language_guides_table():
    guide = (REPO / "docs" / "language.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z-]+)` \|", guide, flags=re.MULTILINE))
    assert sorted(set(WARNING_CODES) - rows) == []


def test_an_ignore_may_name_ambiguous_quote():
    ignores = find_ignores('# policyc: ignore[ambiguous-quote] 原文两处相同\nquote "x"\n', "p")
    assert ignores.problems == []
    assert ignores.by_line == {2: frozenset({"ambiguous-quote"})}


def test_the_checker_refuses_an_unregistered_code():
    state = CheckerBase.__new__(CheckerBase)
    state.diagnostics = []
    span = Span("p", 1, 1)
    state.warn(span, "known", code="ambiguous-quote")
    assert [d.code for d in state.diagnostics] == ["ambiguous-quote"]
    with pytest.raises(AssertionError, match="no-such-code"):
        state.warn(span, "unknown", code="no-such-code")
    with pytest.raises(AssertionError):
        state.warn(span, "no code", code="")


def test_every_checker_warning_names_a_code():
    # A warning without a code could not be silenced by an ignore comment, nor read by a CI
    # script: each call of a checker's or lint family's `warn` passes one.
    missing = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if node.func.attr != "warn":
                continue
            literal = [
                a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if not literal and not any(k.arg == "code" for k in node.keywords):
                missing.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert missing == []
