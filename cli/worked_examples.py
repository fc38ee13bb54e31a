"""The worked examples of the clause site: the shipped example cases, evaluated.

A policy's cases sit in `examples/<policy file stem>/` of its project (the folder above its
`policies/` folder). Each case that expects a rule to apply with an amount, and whose evaluation
gives exactly what it expects (what `policyc test` checks), becomes that rule's worked example:
the inputs it gives and the amount the evaluation computes (a range's two ends: 应缴 2,000元至
6,000元), a bare number in its `expect:` read in the rule's measure as `policyc test` reads it.
The first such case by file name is taken for each rule. A case file that is not a valid case,
lies outside the folder (a symbolic link) or disagrees with its `expect:` is passed over:
`policyc test` is where it is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from policyc.cases import load_case
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import compile_policy
from policyc.compiler.project import project_root
from policyc.compiler.site.views import WorkedExample
from policyc.runtime.evaluation import show_value
from policyc.runtime.quantity import format_quantity
from policyc.testing import CASE_SUFFIXES, compare, in_rule_measure

EXAMPLES_DIR = "examples"


def example_cases(policy: CheckedPolicy) -> tuple[Path, list[Path]]:
    """The project folder and the policy's example case files in name order (none when it
    has no examples folder); files resolving outside that folder are left out."""
    path = Path(policy.file.path)
    root = project_root(path)
    folder = root / EXAMPLES_DIR / path.stem
    if not folder.is_dir() or folder.is_symlink():
        return root, []
    inside = folder.resolve()
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in CASE_SUFFIXES and p.is_file() and p.resolve().is_relative_to(inside)
    )
    return root, files


def worked_examples(policies: Sequence[CheckedPolicy]) -> dict[str, tuple[WorkedExample, ...]]:
    """Each policy's worked examples, by its 文号: at most one per rule."""
    found: dict[str, tuple[WorkedExample, ...]] = {}
    for policy in policies:
        root, files = example_cases(policy)
        if not files:
            continue
        compiled = compile_policy(Path(policy.file.path))
        dims = dict(compiled.checked.people.rule_dims)
        chosen: dict[str, WorkedExample] = {}
        for path in files:
            try:
                case = load_case(path, compiled.checked)
            except InputError:
                continue
            if case.on is None:
                continue
            results = compiled.evaluate(case.inputs, case.on, case.readings, case.received)
            for result in results:
                name = result.info.name
                want = case.expect.get(name)
                if name in chosen or want is None or want.status != "applies":
                    continue
                # a bare number read in the rule's measure, as `policyc test` reads it
                # (`罚款: {low: 2000, high: 6000}` in a household's case is 2000元 to 6000元)
                want = in_rule_measure(want, dims.get(name), f"expect.{name}", [])
                amount = result.amount
                ends = result.range  # `amount range`: 20,000元至60,000元
                if result.status != "applies" or (amount is None and ends is None):
                    continue
                if compare(result, want):
                    continue
                if ends is not None:
                    amount_text = "至".join(format_quantity(end) for end in ends)
                else:
                    assert amount is not None
                    amount_text = format_quantity(amount)
                capped = result.uncapped is not None and result.uncapped != result.amount
                chosen[name] = WorkedExample(
                    rule=name,
                    case=path.relative_to(root).as_posix()
                    if path.is_relative_to(root)
                    else path.name,
                    on=case.on.isoformat(),
                    inputs=tuple((k, show_value(v)) for k, v in case.inputs.items()),
                    readings=tuple(sorted(case.readings.items())),
                    amount=amount_text,
                    uncapped=format_quantity(result.uncapped) if capped and result.uncapped else "",
                    members=_members(case.inputs),
                    period=getattr(case.inputs, "period", None) or "",
                )
        order = {info.name: i for i, info in enumerate(compiled.rules)}
        found[policy.header.number] = tuple(sorted(chosen.values(), key=lambda e: order[e.rule]))
    return found


def _members(inputs: Any) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    """A household case's members as the worked example names them (`WorkedExample.members`):
    each one's inputs, values given per period written `2026-01: 1,800元、2026-02: …` (the
    value alone when only the evaluated period's is given)."""
    members = []
    period = getattr(inputs, "period", None)
    for member in getattr(inputs, "members", ()):
        values = [(k, show_value(v)) for k, v in member.inputs.items()]
        for name, series in member.series.items():
            if list(series) == [period]:
                values.append((name, show_value(series[period])))
            else:
                written = (f"{p}: {show_value(v)}" for p, v in sorted(series.items()))
                values.append((name, "、".join(written)))
        members.append((member.name, member.role, tuple(values)))
    return tuple(members)
