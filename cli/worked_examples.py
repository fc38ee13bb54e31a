"""The worked examples of the clause site: the shipped example cases, evaluated.

A policy's cases sit in `examples/<policy file stem>/` of its project (the folder above its
`policies/` folder). Each case that expects a rule to apply with an amount, and whose evaluation
gives exactly what it expects (what `policyc test` checks), becomes that rule's worked example:
the inputs it gives and the amount the evaluation computes (a range's two ends: 应缴 2,000元至
6,000元), a bare number in its `expect:` read in the rule's measure as `policyc test` reads it.
Of a rule's such cases the telling one is taken: the one whose evaluation shows the most of the
rule at work — the most steps in its trace (`run --explain`: each condition, amount, tier, cap
and rounding) —, the first by file name among equals; among the cases that take the policy's
declared readings when any does (one choosing another option shows what the policy does not
do by default), and of them those paying more than nothing when any does. The first case by
name was often the least telling: the drafter's edge cases come first (0.5 hours of parking
for 2元 where the rule is a daily cap).
A case file that is not a valid case,
lies outside the folder (a symbolic link) or disagrees with its `expect:` is passed over:
`policyc test` is where it is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from policyc.cases import load_case
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import compile_policy
from policyc.compiler.project import project_root
from policyc.compiler.site.views import WorkedExample
from policyc.runtime.evaluation import show_value
from policyc.runtime.quantity import Quantity
from policyc.runtime.quantity_format import format_quantity
from policyc.runtime.shown_measures import ShownMeasures, show_named, shown_measures
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
        measures = shown_measures(compiled.view)  # each input in its declared measure
        dims = dict(compiled.checked.people.rule_dims)
        candidates: dict[str, list[Candidate]] = {}
        for path in files:
            try:
                case = load_case(path, compiled.checked)
            except InputError:
                continue
            if case.on is None:
                continue
            results = compiled.evaluate(
                case.inputs, case.on, case.readings, case.received, explain=True
            )
            for result in results:
                name = result.info.name
                want = case.expect.get(name)
                if want is None or want.status != "applies":
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
                    pays = ends[-1].value > 0
                else:
                    assert amount is not None
                    amount_text = format_quantity(amount)
                    pays = amount.value > 0
                capped = result.uncapped is not None and result.uncapped != result.amount
                case_name = (
                    path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
                )
                example = WorkedExample(
                    rule=name,
                    case=case_name,
                    on=case.on.isoformat(),
                    inputs=tuple((k, _shown(measures, k, v)) for k, v in case.inputs.items()),
                    readings=tuple(sorted(case.readings.items())),
                    amount=amount_text,
                    uncapped=format_quantity(result.uncapped) if capped and result.uncapped else "",
                    members=_members(case.inputs, measures),
                    period=getattr(case.inputs, "period", None) or "",
                )
                candidates.setdefault(name, []).append(
                    Candidate(example, len(result.steps), pays, not case.readings)
                )
        chosen = {name: telling(cases) for name, cases in candidates.items()}
        order = {info.name: i for i, info in enumerate(compiled.rules)}
        found[policy.header.number] = tuple(sorted(chosen.values(), key=lambda e: order[e.rule]))
    return found


@attrs.frozen
class Candidate:
    """A case that may be a rule's worked example, with what `telling` ranks it by."""

    example: WorkedExample
    steps: int  # the steps of the rule's trace: how much of the rule the case shows
    pays: bool  # the amount (a range's upper end) is more than nothing
    declared: bool  # the case takes the policy's declared readings (no `readings:` of its own)


def telling(found: Sequence[Candidate]) -> WorkedExample:
    """Of a rule's worked cases (in file order), the one showing the most trace steps, the
    first among equals; among those taking the declared readings when any does, and of them
    those paying more than nothing when any does (see the module docstring). `found` is not
    empty."""
    declared = [c for c in found if c.declared] or list(found)
    paying = [c for c in declared if c.pays] or declared
    return max(paying, key=lambda c: c.steps).example  # max keeps the first of equals


def _shown(measures: ShownMeasures, name: str, value: Any) -> str:
    """An input's value as the worked example writes it: in the measure it was declared in
    (`借款人月缴存基数 20,000元/月`, `连续足额缴存月数 24个月`), not the one it is held in."""
    if isinstance(value, Quantity) and value.dims:
        return show_named(measures, name, value)
    return show_value(value)


def _members(
    inputs: Any, measures: ShownMeasures
) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    """A household case's members as the worked example names them (`WorkedExample.members`):
    each one's inputs, values given per period written `2026-01: 1,800元、2026-02: …` (the
    value alone when only the evaluated period's is given)."""
    members = []
    period = getattr(inputs, "period", None)
    for member in getattr(inputs, "members", ()):
        values = [(k, _shown(measures, k, v)) for k, v in member.inputs.items()]
        for name, series in member.series.items():
            if list(series) == [period]:
                values.append((name, _shown(measures, name, series[period])))
            else:
                written = (f"{p}: {_shown(measures, name, v)}" for p, v in sorted(series.items()))
                values.append((name, "、".join(written)))
        members.append((member.name, member.role, tuple(values)))
    return tuple(members)
