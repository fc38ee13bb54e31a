"""The fuzz targets as plain functions of bytes, importable without atheris (so a finding can
be replayed with `python -m fuzz.replay TARGET FILE...`)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

EXPECTED: tuple[type[BaseException], ...] = ()  # filled by setup(): PolicyError, InputError


class Workspace:
    """A scratch folder laid out like the repo, so that both the shipped policies
    (`../sources/…`, `units.policy`) and the test fixtures (`source.txt`) find their files."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="policyc-fuzz-"))
        policies = self.root / "policies"
        (self.root / "sources").mkdir()
        policies.mkdir()
        for source in (REPO / "sources").glob("*.txt"):
            shutil.copy(source, self.root / "sources" / source.name)
        shutil.copy(REPO / "policies" / "units.policy", policies / "units.policy")
        shutil.copy(REPO / "tests" / "fixtures" / "check" / "source.txt", policies / "source.txt")
        self.policy_path = str(policies / "fuzz.policy")
        self.case_yaml = self.root / "case.yaml"
        self.case_json = self.root / "case.json"


_STATE: dict[str, Any] = {}


def setup() -> None:
    """Import policyc (after atheris has started instrumenting) and compile the policies the
    case target evaluates against."""
    global EXPECTED
    from policyc.compiler.errors import InputError, PolicyError
    from policyc.compiler.pipeline import compile_policy

    EXPECTED = (PolicyError, InputError)
    _STATE["ws"] = Workspace()
    shipped = [
        path
        for path in sorted((REPO / "policies").glob("*.policy"))
        if (REPO / "examples" / path.stem).is_dir()
    ]
    _STATE["policies"] = [
        compile_policy(path) for path in [*shipped, REPO / "tests/fixtures/mini/mini.policy"]
    ]


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None  # `read_source` refuses it with a message before the parser sees it


def fuzz_parse(data: bytes) -> None:
    from policyc.compiler.parser import parse

    text = _text(data)
    if text is None:
        return
    with contextlib.suppress(*EXPECTED):
        parse(text, _STATE["ws"].policy_path)


def fuzz_check(data: bytes) -> None:
    from policyc.compiler.checker import check
    from policyc.compiler.codegen import generate
    from policyc.compiler.coverage import coverage
    from policyc.compiler.lint import lint
    from policyc.compiler.lint_units import lint_folder
    from policyc.compiler.parser import parse

    text = _text(data)
    if text is None:
        return
    path = _STATE["ws"].policy_path
    try:
        checked = check(parse(text, path), text)
        lint(checked)
        lint_folder([checked])
        coverage(checked).summary()
        exec(compile(generate(checked), f"<policyc: {path}>", "exec"), {})
    except EXPECTED:
        pass


def fuzz_case(data: bytes) -> None:
    from policyc.cases import load_case
    from policyc.report import json_text, to_json, to_text

    ws: Workspace = _STATE["ws"]
    ws.case_yaml.write_bytes(data)
    ws.case_json.write_bytes(data)
    every, mini = _STATE["policies"], _STATE["policies"][-1:]
    for path, policies in ((ws.case_yaml, every), (ws.case_json, mini)):
        for policy in policies:
            try:
                case = load_case(path, policy.checked)
            except EXPECTED:
                continue
            on = case.on or date(2023, 12, 31)
            readings = dict(policy.namespace["READINGS"])
            readings.update(case.readings)
            try:
                results = policy.evaluate(case.inputs, on, readings, case.received, True)
                to_text(policy, results, on, readings, True)
                json_text(to_json(policy, results, on, readings, str(path), True))
            except EXPECTED:
                pass


TARGETS: dict[str, Callable[[bytes], None]] = {
    "parse": fuzz_parse,
    "check": fuzz_check,
    "case": fuzz_case,
}


def seeds(target: str) -> Iterator[Path]:
    """The repo's own inputs for a target: policies and fixtures, or example cases."""
    if target == "case":
        yield from sorted((REPO / "examples").rglob("*.yaml"))
        yield from sorted((REPO / "tests" / "fixtures").rglob("*.yaml"))
        return
    yield from sorted((REPO / "policies").glob("*.policy"))
    yield from sorted((REPO / "tests" / "fixtures").rglob("*.policy"))
