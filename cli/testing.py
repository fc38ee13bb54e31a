"""`policyc test`: run example cases and compare each rule's result with what the case expects.

A case's `expect:` maps rule names to a status (`电商物流补贴: applies`) or to a mapping with
`status`, `amount` and `uncapped` (amounts as text with a measure, `"100万元"`); a `decide`d
value to `{status: decided, value: 副指挥长}` (a member, a quantity such as `20%`, true/false).
Rules a case does not mention are not compared. An expectation the reader does not understand
(an unknown rule, field or status word) makes the case file an error (exit status 2), never a
silent pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from policyc.cases import Expectation, load_case
from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.problems import Problem, problems_of
from policyc.runtime.evaluation import RuleResult, show_value
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


@attrs.frozen
class CaseOutcome:
    """One case file tested: `ok`, `fail` (its results differ from its `expect:`: the
    differences, one line each) or `error` (not a valid case: the problems)."""

    path: Path
    result: str
    differences: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "result": self.result,
            "differences": list(self.differences),
            "errors": [p.to_json() for p in self.problems],
        }


def case_outcomes(policy: CompiledPolicy, files: Sequence[Path]) -> Iterator[CaseOutcome]:
    """Each case file's outcome, in order, as it is tested."""
    for path in files:
        try:
            differences = check_case(policy, path)
        except InputError as exc:
            yield CaseOutcome(path, "error", problems=tuple(problems_of(exc, [str(path)])))
            continue
        yield CaseOutcome(path, "fail" if differences else "ok", tuple(differences))


def run_case_tests(policy_path: Path, paths: Sequence[Path], out: TextIO) -> tuple[int, int]:
    """Run every case; print one line per case and its differences or its case-file problems.

    Returns (failures, errors): a failure is a case whose results differ from its `expect:`; an
    error is a case file that cannot be read as a case (an unknown rule, field or status word, a
    duplicate key …), reported and counted apart, never taken for a pass or a failure.
    """
    policy = compile_policy(policy_path)
    files = case_files(paths)
    counts = {"ok": 0, "fail": 0, "error": 0}
    for outcome in case_outcomes(policy, files):
        counts[outcome.result] += 1
        if outcome.result == "ok":
            out.write(f"ok   {outcome.path}\n")
        elif outcome.result == "fail":
            out.write(f"FAIL {outcome.path}\n")
            out.writelines(f"     {difference}\n" for difference in outcome.differences)
        else:
            out.write(f"ERROR {outcome.path}\n")
            for problem in outcome.problems:
                out.writelines(f"      {line}\n" for line in str(problem).splitlines())
    summary = f"{policy_path}: {counts['ok']} passed, {counts['fail']} failed"
    if counts["error"]:
        summary += f", {counts['error']} case files in error"
    out.write(summary + "\n")
    return counts["fail"], counts["error"]


def case_tests_json(policy_path: Path, paths: Sequence[Path]) -> dict[str, Any]:
    """`policyc test --format json` for one policy:
    {"policy": path, "passed": int, "failed": int, "errors": int,
     "cases": [{"file", "result": "ok"|"fail"|"error", "differences": [str],
                "errors": [Problem]}]} (Problem: the error schema of `policyc.problems`)."""
    policy = compile_policy(policy_path)
    outcomes = list(case_outcomes(policy, case_files(paths)))
    return {
        "policy": str(policy_path),
        "passed": sum(o.result == "ok" for o in outcomes),
        "failed": sum(o.result == "fail" for o in outcomes),
        "errors": sum(o.result == "error" for o in outcomes),
        "cases": [o.to_json() for o in outcomes],
    }


def check_case(policy: CompiledPolicy, path: Path) -> list[str]:
    """The differences between a case's results and its `expect:`, one line each.

    Raises InputError (a `ProblemsError`) when the file is not a valid case for `policy`.
    """
    case = load_case(path, policy.checked)
    if not case.expect:
        raise InputError(f"{path}: the case has no `expect:` to compare with")
    if case.on is None:
        raise InputError(f"{path}: the case has no `on:` date")
    results = {
        r.info.name: r for r in policy.evaluate(case.inputs, case.on, case.readings, case.received)
    }
    problems: list[str] = []
    for rule, want in case.expect.items():
        if rule not in results:  # load_case admits only the policy's rules; each has a result
            problems.append(f"{rule}: no result for this rule")
            continue
        problems.extend(f"{rule}: {p}" for p in compare(results[rule], want))
    return problems


def compare(result: RuleResult, want: Expectation) -> list[str]:
    """What differs between a rule's result and what the case expects of it."""
    problems: list[str] = []
    if want.status is not None and want.status != result.status:
        why = f" ({result.reason})" if result.reason else ""
        problems.append(f"status: expected {want.status}, got {result.status}{why}")
    for key, expected in want.amounts.items():
        actual: Quantity | None = getattr(result, key)
        if expected != actual:
            shown = format_quantity(actual) if actual is not None else "none"
            wanted = format_quantity(expected) if expected is not None else "none"
            problems.append(f"{key}: expected {wanted}, got {shown}")
    if want.value is not None:
        problems.extend(_value_differs(result, want.value.value))
    return problems


def _value_differs(result: RuleResult, wanted: Any) -> list[str]:
    """A decided value against the one a case expects: an enum member or a date by its text, a
    quantity exactly (`20%` is 0.2), a yes/no as itself."""
    actual = result.value
    if result.status != "decided":
        return [f"value: expected {wanted}, got no decided value ({result.status})"]
    if isinstance(actual, Quantity):
        try:
            same = parse_quantity_text(str(wanted), None) == actual
        except MeasureError as exc:
            return [f"value: expected a quantity such as 20%, got {wanted!r} ({exc})"]
    elif isinstance(actual, bool) or isinstance(wanted, bool):
        same = actual is wanted
    else:
        same = str(wanted) == show_value(actual)
    return [] if same else [f"value: expected {wanted}, got {show_value(actual)}"]
