"""`policyc test`: run example cases and compare each rule's result with what the case expects.

A case's `expect:` maps rule names to a status (`电商物流补贴: applies`) or to a mapping with
`status`, `amount` and `uncapped` (amounts as text with a measure, `"100万元"`). Rules a case does
not mention are not compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from policyc.cases import load_case
from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.evaluation import RuleResult
from policyc.runtime.quantity import MeasureError, Quantity, format_quantity, parse_quantity_text

CASE_SUFFIXES = (".yaml", ".yml", ".json")


def case_files(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in CASE_SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


def run_case_tests(policy_path: Path, paths: Sequence[Path], out: TextIO) -> int:
    """Run every case; print one line per case and the differences; return the failures."""
    policy = compile_policy(policy_path)
    files = case_files(paths)
    failures = 0
    for path in files:
        problems = check_case(policy, path)
        if problems:
            failures += 1
            out.write(f"FAIL {path}\n")
            for problem in problems:
                out.write(f"     {problem}\n")
        else:
            out.write(f"ok   {path}\n")
    out.write(f"{policy_path}: {len(files) - failures} passed, {failures} failed\n")
    return failures


def check_case(policy: CompiledPolicy, path: Path) -> list[str]:
    case = load_case(path, policy.checked)
    if not case.expect:
        return [f"{path}: the case has no `expect:` to compare with"]
    if case.on is None:
        return [f"{path}: the case has no `on:` date"]
    results = {
        r.info.name: r for r in policy.evaluate(case.inputs, case.on, case.readings, case.received)
    }
    problems: list[str] = []
    for rule, want in case.expect.items():
        if rule not in results:
            problems.append(f"{rule}: not a rule of {policy.checked.header.number}")
            continue
        problems.extend(f"{rule}: {p}" for p in compare(results[rule], want))
    return problems


def compare(result: RuleResult, want: Any) -> list[str]:
    if isinstance(want, str):
        want = {"status": want}
    if not isinstance(want, dict):
        return [f"expected a status or a mapping, got {want!r}"]
    problems: list[str] = []
    if "status" in want and want["status"] != result.status:
        why = f" ({result.reason})" if result.reason else ""
        problems.append(f"status: expected {want['status']}, got {result.status}{why}")
    for key in ("amount", "uncapped"):
        if key not in want:
            continue
        actual: Quantity | None = getattr(result, key)
        expected = _quantity(want[key], actual)
        if expected is None and want[key] is not None:
            problems.append(f"{key}: cannot read expected {want[key]!r}")
        elif expected != actual:
            shown = format_quantity(actual) if actual is not None else "none"
            wanted = format_quantity(expected) if expected is not None else "none"
            problems.append(f"{key}: expected {wanted}, got {shown}")
    return problems


def _quantity(text: Any, like: Quantity | None) -> Quantity | None:
    if text is None:
        return None
    try:
        return parse_quantity_text(str(text), None)
    except MeasureError:
        return None
