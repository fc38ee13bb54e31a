"""`policyc test`: run example cases and compare each rule's result with what the case expects.

A case's `expect:` maps rule names to a status (`电商物流补贴: applies`) or to a mapping with
`status`, `amount` and `uncapped` (amounts as text with a measure, `"100万元"`); a `decide`d
or `define`d value to `{status: decided, value: 副指挥长}` (a member, a quantity such as `20%`,
true/false; a define is evaluated for the case by `define_results`).
A rule evaluated per member (`each 子女`, or a value decided per member) may also expect each
member's result: `育儿补贴: {amount: 400元, members: {大女儿: {status: applies, amount: 200元},
小儿子: not_applicable}}`; members it does not name are not compared. `paid: true|false` says
whether the rule's amount counts in the case's total: a rule a `choose highest of` passes over
applies but is not paid (`{status: applies, paid: false}`); one undetermined is not paid.
Rules a case does not mention are not compared. An expectation the reader does not understand
(an unknown rule, field or status word) makes the case file an error (exit status 2), never a
silent pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import attrs

from policyc.cases import Expectation, Node, load_case
from policyc.cases import _expectation as read_expectation
from policyc.choice_report import choice_words
from policyc.compiler.errors import InputError, did_you_mean
from policyc.compiler.i18n import CHINESE, _, language, ngettext
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.problems import Problem, ProblemsError, problems_of
from policyc.runtime.evaluation import RuleResult, show_value
from policyc.runtime.people_ops import MemberResult
from policyc.runtime.quantity import Dims, Measure, MeasureError, Quantity, dims_text
from policyc.runtime.quantity_format import format_quantity
from policyc.runtime.quantity_reading import parse_quantity_text
from policyc.runtime.shown_measures import ShownMeasures, measure_of, measures_of, show_named

CASE_SUFFIXES = (".yaml", ".yml", ".json")


def case_files(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in CASE_SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise InputError(_("{path}: no such file or folder").format(path=path))
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
            out.write(_("ok   {outcome_path}\n").format(outcome_path=outcome.path))
        elif outcome.result == "fail":
            out.write(_("FAIL {outcome_path}\n").format(outcome_path=outcome.path))
            out.writelines(f"     {difference}\n" for difference in outcome.differences)
        else:
            out.write(_("ERROR {outcome_path}\n").format(outcome_path=outcome.path))
            for problem in outcome.problems:
                out.writelines(f"      {line}\n" for line in str(problem).splitlines())
    summary = _("{policy_path}: {counts_ok} passed, {counts_fail} failed").format(
        policy_path=policy_path,
        counts_ok=counts["ok"],
        counts_fail=counts["fail"],
    )
    if counts["error"]:
        summary += ngettext(
            ", {counts_error} case file in error", ", {counts_error} case files in error",
            counts["error"],
        ).format(counts_error=counts["error"])  # fmt: skip
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
    from policyc.runtime.quantity import declared_measures

    with declared_measures(policy.checked.measures):  # `expect: value: 44方` in its own measure
        return _check_case(policy, path)


def _check_case(policy: CompiledPolicy, path: Path) -> list[str]:
    case = load_case(path, policy.checked)
    if not case.expect:
        raise InputError(_("{path}: the case has no `expect:` to compare with").format(path=path))
    if case.on is None:
        raise InputError(_("{path}: the case has no `on:` date").format(path=path))
    results = {
        r.info.name: r for r in policy.evaluate(case.inputs, case.on, case.readings, case.received)
    }
    measures = measures_of(policy.view)
    defines = [name for name in case.expect if name not in results]
    if defines:
        results.update(define_results(policy, case.inputs, case.on, case.readings, defines))
    problems: list[str] = []
    errors: list[Problem] = []
    names = [m.name for m in getattr(case.inputs, "members", ())]
    dims = dict(policy.checked.people.rule_dims)
    for rule, want in case.expect.items():
        if rule not in results:  # load_case admits only the policy's rules; each has a result
            problems.append(_("{rule}: no result for this rule").format(rule=rule))
            continue
        want = in_rule_measure(want, dims.get(rule), f"expect.{rule}", errors)
        problems.extend(f"{rule}: {p}" for p in compare(results[rule], want, measures, policy))
        if want.members is not None:
            found = member_differences(results[rule], want.members, names, errors, dims.get(rule))
            problems.extend(f"{rule}: {p}" for p in found)
    if errors:
        raise ProblemsError(errors)
    return problems


def define_results(
    policy: CompiledPolicy,
    inputs: Mapping[str, Any],
    on: date,
    readings: Mapping[str, str],
    names: Sequence[str],
) -> dict[str, RuleResult]:
    """Each `define` of `names` evaluated for one case, as a decided value's result: status
    `decided` with its value, `undetermined` with the inputs it still needs, `not_in_force`.
    A define is silent in `run` (it states no outcome: language.md §4), so a drafter tests one
    here without turning it into a `decide` that `run` would announce even where no rule it
    serves applies. Raises KeyError for a name that is no define (load_case admits only them)."""
    from policyc.runtime.evaluation import Ctx, RuleInfo

    view = policy.view
    chosen = {**policy.namespace["READINGS"], **readings}
    valid_from, valid_until = view.validity_under(chosen)
    if view.people.by_period:
        inputs = policy._prepared(inputs, on)  # as `evaluate` prepares them
    ctx = Ctx(inputs, on, chosen, valid_from, valid_until)
    functions = policy.namespace["DEFINES"]  # each define's function by its name
    found: dict[str, RuleResult] = {}
    for name in names:
        info = RuleInfo(
            -1, name, "policy", "", "", "", "", (), (), 0, (), "", "", False, "", False, False,
            role="decision",
        )  # fmt: skip
        found[name] = ctx.run_decision(info, functions[name])
    return found


def in_rule_measure(
    want: Expectation, dims: Dims | None, field: str, errors: list[Problem]
) -> Expectation:
    """`want` with its amounts read as the case's inputs are read: a bare number (`1260`) in the
    rule's measure (1260元); an amount in another measure (`1260亩` for a rule paid in 元) is
    a case-file problem naming the measure to write, appended to `errors`. `dims` is the rule's
    amount's dimensions (None: not known, the amounts are left as written)."""
    if dims is None or not dims:
        return want
    amounts: dict[str, Quantity | None] = {}
    for key, expected in want.amounts.items():
        if expected is not None and not expected.dims:
            # in the measure the dimensions are named by (1260元; 100元/月 a month, not a year)
            expected = _in_named_measure(expected.value, dims)
        elif expected is not None and expected.dims != dims:
            errors.append(
                want.places.get(key, want.where).problem(
                    _(
                        "`{key}`: the rule's amount is in {measure}, got {shown}: write the "
                        "amount in {measure}, as `{example}`"
                    ).format(
                        key=key,
                        measure=dims_text(dims),
                        shown=format_quantity(expected),
                        example=f"{_number_text(expected)}{dims_text(dims)}",
                    ),
                    f"{field}.{key}",
                )
            )
        amounts[key] = expected
    return Expectation(
        want.status,
        amounts,
        want.where,
        want.value,
        want.members,
        want.places,
        want.paid,
        want.due,
    )


def _number_text(q: Quantity) -> str:
    return format(q.value.normalize(), "f")


def member_differences(
    result: RuleResult,
    node: Node,
    names: Sequence[str],
    errors: list[Problem],
    dims: Dims | None = None,
) -> list[str]:
    """`expect: RULE: {members: {NAME: EXPECTATION, …}}` against the rule's result for each
    member (`RuleResult.members`): an EXPECTATION is written as for a rule (a status word, or
    `{status, amount, uncapped, value}`). A name that is not a member of the case (with a
    did-you-mean), a member the rule is not evaluated for, or a rule not paid per member is a
    case-file problem, appended to `errors`; the differences are returned one line each."""
    rule = result.info.name
    field = f"expect.{rule}.members"
    if result.members is None:
        errors.append(
            node.where.problem(
                _(
                    "`{rule}` is not evaluated per member (no `each` in the rule, nor a value "
                    "decided per member): expect its result for the household instead"
                ).format(rule=rule),
                field,
            )
        )
        return []
    if not isinstance(node.value, dict):
        errors.append(
            node.where.problem(
                _("`members` maps each member's name to what the rule gives for them"), field
            )
        )
        return []
    by_member = {m.member: m for m in result.members}
    differences: list[str] = []
    for name, want in node.value.items():
        place = f"{field}.{name}"
        if name not in by_member:
            if name in names:
                message = _(
                    "`{name}` is a member of the case, but `{rule}` is evaluated for {who}"
                ).format(name=name, rule=rule, who="、".join(by_member) or _("(none)"))
            else:
                message = _("`{name}` is not a member of this case{hint}").format(
                    name=name, hint=did_you_mean(name, names)
                )
            errors.append(want.where.problem(message, place))
            continue
        entries = {"status": want} if isinstance(want.value, str) else want.value
        if not isinstance(entries, dict) or "members" in entries:
            errors.append(
                want.where.problem(
                    _(
                        "a member's expectation is a status or a mapping with status, amount, "
                        "uncapped, value"
                    ),
                    place,
                )
            )
            continue
        before = len(errors)
        expectation = read_expectation(entries, want.where, place, errors)
        if expectation is not None:
            expectation = in_rule_measure(expectation, dims, place, errors)
        if expectation is None or len(errors) > before:
            continue
        differences.extend(f"{name}: {p}" for p in compare(by_member[name], expectation))
    return differences


def compare(
    result: RuleResult | MemberResult,
    want: Expectation,
    measures: ShownMeasures | None = None,
    policy: CompiledPolicy | None = None,
) -> list[str]:
    """What differs between a rule's result (or one member's) and what the case expects;
    `measures` (runtime/shown_measures.py): the measure a decided quantity is counted and shown
    in (a bare `value: 20000` of a value in 元/月 is 20000元/月); where it names none, a bare
    figure is read in the measure `policy` declares for its dimensions (`bare_quantity`)."""
    problems: list[str] = []
    if want.status is not None and want.status != result.status:
        why = f" ({result.reason})" if result.reason else ""
        problems.append(
            _("status: expected {want_status}, got {result_status}{why}").format(
                want_status=report_word(want.status),
                result_status=report_word(result.status),
                why=why,
            )
            + _unspecified_note(want.status, result.status)
        )
    actual_due = getattr(result, "due", "")  # a member's result has no deadline
    if want.due is not None and want.due != actual_due:
        problems.append(
            _("due: expected {wanted}, got {shown}").format(
                wanted=want.due, shown=actual_due or _("no deadline in view")
            )
        )
    for key, expected in want.amounts.items():
        actual: Quantity | None = getattr(result, key, None)  # low/high: a rule's range only
        if expected != actual:
            shown = format_quantity(actual) if actual is not None else _("none")
            wanted = format_quantity(expected) if expected is not None else _("none")
            problems.append(
                _("{key}: expected {wanted}, got {shown}").format(
                    key=report_word(key),
                    wanted=wanted,
                    shown=shown,
                )
                + _uncapped_note(result, key, expected)
                + _range_note(result, key)
            )
    if want.paid is not None and want.paid != paid(result):
        words = choice_words(result) if isinstance(result, RuleResult) else None
        problems.append(
            _("paid: expected {wanted}, got {shown}{why}").format(
                wanted=_("yes") if want.paid else _("no"),
                shown=_("yes") if paid(result) else _("no"),
                why=f" ({words})" if words else "",
            )
        )
    if want.value is not None:
        problems.extend(_value_differs(result, want.value.value, measures or {}, policy))
    return problems


def paid(result: RuleResult | MemberResult) -> bool:
    """Whether the result's amount counts in the case's total: it applies, and no choice passed
    it over (`choose highest of`: only the rule kept is paid; an undetermined one is not)."""
    if result.status != "applies":
        return False
    if not isinstance(result, RuleResult) or result.choice is None:
        return True  # a member's share is paid where it applies: a choice weighs no member
    return bool(result.choice.kept == result.info.name)


def _unspecified_note(wanted: str, got: str) -> str:
    if wanted == "applies" and got == "unspecified":
        return _(
            ": the rule applies but its amount is unspecified (`amount unspecified`), "
            "write `status: unspecified`"
        )
    return ""


def _uncapped_note(result: RuleResult | MemberResult, key: str, expected: Quantity | None) -> str:
    """Why a rule has no amount before its cap: the cap did not reduce it."""
    if key != "uncapped" or expected is None or result.uncapped is not None:
        return ""
    if result.amount is None:
        return ""
    return _(
        " (the cap did not reduce the amount {amount}, so it has no amount before the "
        "cap: expect `amount` alone)"
    ).format(amount=format_quantity(result.amount))


def _range_note(result: RuleResult | MemberResult, key: str) -> str:
    """Why a rule has no `amount` (its amount is a range: expect its ends) or no `low`/`high`
    (its amount is exact: expect `amount`)."""
    span = getattr(result, "range", None)
    if key == "amount" and result.amount is None and span is not None:
        return _(
            " (the rule's amount is a range, {low} to {high}: expect its ends as `low` and `high`)"
        ).format(low=format_quantity(span[0]), high=format_quantity(span[1]))
    if key in ("low", "high") and span is None and result.amount is not None:
        return _(" (the rule's amount is exact, {amount}, not a range: expect `amount`)").format(
            amount=format_quantity(result.amount)
        )
    return ""


# The words `run`'s Chinese report uses for a status and an amount (cli/report.py), which `test`
# uses in Chinese; in English the JSON names (applies, not_applicable, amount …) are the words.
_AMOUNT_WORDS = {"amount": "金额", "uncapped": "封顶前金额", "low": "幅度下限", "high": "幅度上限"}


def report_word(name: str) -> str:
    """A status or amount name (`not_applicable`, `uncapped`) as the report writes it in the
    language of the messages: 不适用 / 封顶前金额 in Chinese, itself in English."""
    if language() != CHINESE:
        return name
    from policyc.report import STATUS_WORDS

    return STATUS_WORDS.get(name) or _AMOUNT_WORDS.get(name, name)


def bare_quantity(policy: CompiledPolicy | None, value: Decimal, dims: Dims) -> Quantity | None:
    """A bare figure for a value of dimensions `dims`, read as a case's inputs are read, in their
    declared measure: the one measure the policy's inputs of these dimensions are declared in
    (`元/月`: 5000 is 5,000元 a month, not a year); without such an input, the measure the
    dimensions are named by (`元`, `元/月`), or the dimensions as held (a policy's own measure).
    None when the inputs declare several (`元/月` and `元/年`): a bare figure would be ambiguous,
    and the measure must be written."""
    declared = _declared_measures(policy, dims)
    if len(declared) > 1:
        return None
    if declared:
        return Quantity.of(value, next(iter(declared.values())))
    return _in_named_measure(value, dims)


def _in_named_measure(value: Decimal, dims: Dims) -> Quantity:
    """`value` in the measure `dims` are named by (100 for 元/月 is 100元 a month), or as held
    where no measure of the language has that name (`元·人`, a policy's own `方`)."""
    try:
        return Quantity.of(value, dims_text(dims))
    except MeasureError:
        return Quantity(value, dims)


def _declared_measures(policy: CompiledPolicy | None, dims: Dims) -> dict[str, Measure]:
    """The measures the policy's quantity inputs of dimensions `dims` are declared in, by name."""
    inputs = policy.checked.inputs.values() if policy is not None else ()
    return {
        info.measure.name: info.measure
        for info in sorted(inputs, key=lambda info: info.measure.name if info.measure else "")
        if info.type.kind == "quantity" and info.measure is not None and info.measure.dims == dims
    }


def _value_differs(
    result: RuleResult | MemberResult,
    wanted: Any,
    measures: ShownMeasures,
    policy: CompiledPolicy | None = None,
) -> list[str]:
    """A decided value against the one a case expects: an enum member or a date by its text, a
    quantity exactly (`20%` is 0.2; a bare number in the value's own measure, as an input's,
    else `bare_quantity`), a yes/no as itself or as a case file writes it (是/否)."""
    actual = result.value
    name = result.info.name if isinstance(result, RuleResult) else ""
    shown = (
        show_named(measures, name, actual)
        if isinstance(actual, Quantity) and actual.dims
        else show_value(actual)
    )
    if result.status != "decided":
        return [
            _("value: expected {wanted}, got no decided value ({status})").format(
                wanted=wanted, status=report_word(result.status)
            )
        ]
    if isinstance(actual, Quantity):
        try:
            parsed = parse_quantity_text(str(wanted), None)
            if not parsed.dims and actual.dims and not isinstance(wanted, bool):
                # a bare 0 for 0元, as inputs: counted in the value's own measure (元/月)
                measure = measure_of(measures, name, actual)
                if measure is not None:
                    parsed = Quantity.of(parsed.value, measure)
                else:
                    bare = bare_quantity(policy, parsed.value, actual.dims)
                    if bare is None:
                        return [
                            _(
                                "value: a bare {wanted} is ambiguous for a value in {measure}: "
                                "the policy's inputs of its dimensions are declared in "
                                "{declared}; write the measure, as `{wanted}{first}`"
                            ).format(
                                wanted=wanted,
                                measure=dims_text(actual.dims),
                                declared=" / ".join(_declared_measures(policy, actual.dims)),
                                first=next(iter(_declared_measures(policy, actual.dims))),
                            )
                        ]
                    parsed = bare  # a bare 0 for 0元, as inputs
            same = parsed == actual
        except MeasureError as exc:
            return [
                _("value: expected a quantity such as 20%, got {wanted!r} ({why})").format(
                    wanted=wanted, why=exc
                )
            ]
    elif isinstance(actual, bool) and wanted in ("是", "否"):  # as a case file writes a yes/no
        same = (wanted == "是") is actual
    elif isinstance(actual, bool) or isinstance(wanted, bool):
        same = actual is wanted
    else:
        same = str(wanted) == show_value(actual)
    if same:
        return []
    return [_("value: expected {wanted}, got {shown}").format(wanted=wanted, shown=shown)]
