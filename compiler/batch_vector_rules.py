"""The numpy engine's entries: each rule's status, amount after the cap and amount before it
(where the cap bit), as batch_rules.RulePlanner.rule writes them in SQL, in Ctx.run_rule's
order: validity (the evaluation date, one for every case or each row's, or the rule's
`valid_by` date), the `when`s, the amount, the cap, a negative amount, then the rounding; each
target's (met, not met, not reported) and each decision's (decided with its value,
undetermined, not in force), as RulePlanner.target and .decision do.

`vector_program` compiles a policy for the columns a file gives, or raises Unsupported with
the reason (a shared cap, an amount per member or period, any expression batch_vector.py does
not hold, a value that may pass 64 bits): the caller then runs the SQL path. `once` decides
nothing here: a file the engine reads has no `received` column. The statuses are the SQL
path's codes (batch_rules: APPLIES … HOLDS).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import numpy as np

from policyc.compiler import nodes as n
from policyc.compiler.batch import BatchRule, _indexed_entries, _rule_info, decision_kind
from policyc.compiler.batch_rules import (
    APPLIES,
    DECIDED,
    MET,
    NOT_APPLICABLE,
    NOT_IN_FORCE,
    NOT_MET,
    NOT_REPORTED,
    UNDETERMINED,
    UNSPECIFIED,
    RulePlanner,
)
from policyc.compiler.batch_sql import Unsupported
from policyc.compiler.batch_vector import (
    _OPS,
    ON_KEY,
    Column,
    Env,
    Mask,
    Vec,
    VectorExpressions,
    checked_bound,
    either,
    keep_where,
    rescale,
)
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.i18n import _

__all__ = ["RuleResult", "VectorProgram", "VectorRule", "vector_program"]


@attrs.frozen
class RuleResult:
    """One rule over every case: `status` (uint8, the SQL path's codes), and for a rule with an
    amount, `amount` (int64 in units of 10^-scale, 0 where the rule does not apply), `capped`
    (where the cap bit) and `before` (the amount before the cap, where it is known)."""

    status: np.ndarray
    amount: np.ndarray | None = None
    capped: np.ndarray | None = None
    before: np.ndarray | None = None
    scale: int = 0
    bound: int = 0  # no amount is larger


@attrs.frozen
class VectorRule:
    info: BatchRule
    run: Callable[[Env, int], RuleResult]
    scale: int  # of its amounts (units of 10^-scale)
    # A decision: its value (RuleResult.amount, where DECIDED) as the query's text (x{i}).
    show: Callable[[Any], str] | None = None


@attrs.frozen
class VectorProgram:
    """The rules of a policy over arrays: run(env, count) gives each rule's RuleResult."""

    policy: str
    readings: dict[str, str]
    rules: tuple[VectorRule, ...]

    def run(self, env: Env, count: int) -> list[RuleResult]:
        return [rule.run(env, count) for rule in self.rules]


def vector_program(
    policy: CheckedPolicy,
    readings: Mapping[str, str],
    columns: Mapping[str, Column],
    day: date | None,
) -> VectorProgram:
    """The policy's rules and targets as numpy, over the file's `columns`, every case
    evaluated on `day` (None: each on its row's date, the env's ON_KEY). Raises Unsupported
    (the reason) for a policy the engine does not hold."""
    planner = RulePlanner(policy, readings, {}, "")
    gen = VectorExpressions(policy, readings, columns, day)
    rules: list[VectorRule] = []
    for index, define in enumerate(d for d in policy.defines.values() if d.decided):
        kind, unit = decision_kind(policy, define.name.text)
        info = BatchRule(
            index, define.name.text, "", False, False, False, "", "decision", kind, unit
        )
        try:
            rules.append(_decision(gen, policy, info, define, day))
        except Unsupported as exc:
            raise Unsupported(
                _("decision `{name}`: {reason}").format(name=define.name.text, reason=exc)
            ) from None
    for index, entry in _indexed_entries(policy):
        if isinstance(entry, n.Target):
            if entry.deadline is not None:
                # Each row's due and deadline in view are columns of the output and counts of
                # the summary, joined by evaluation date (cli/batch_dues.py): the DuckDB engine's.
                raise Unsupported(
                    _("target `{name}`: a deadline's due is counted by the DuckDB engine").format(
                        name=entry.name.text
                    )
                )
            info = BatchRule(index, entry.name.text, "", False, False, False, "", role="target")
            try:
                rules.append(VectorRule(info, _target(gen, entry), 0))
            except Unsupported as exc:
                raise Unsupported(
                    _("target `{name}`: {reason}").format(name=entry.name.text, reason=exc)
                ) from None
            continue
        info = _rule_info(planner, index, entry)
        try:
            run, scale = _rule(gen, policy, entry, day)
            rules.append(VectorRule(info, run, scale))
        except Unsupported as exc:
            raise Unsupported(
                _("rule `{name}`: {reason}").format(name=entry.name.text, reason=exc)
            ) from None
    return VectorProgram(policy.header.number, dict(readings), tuple(rules))


def _decision(
    gen: VectorExpressions,
    policy: CheckedPolicy,
    info: BatchRule,
    define: n.Define,
    day: date | None,
) -> VectorRule:
    """A `decide`d value as Ctx.run_decision gives it (batch_rules.RulePlanner.decision): not
    in force on a day outside the policy's validity, undetermined where NotApplicable is raised
    or the value is unknown, else decided, with its value."""
    if info.value_kind == "unsupported":
        raise Unsupported(_("a decided value of this kind"))
    if define.period is not None:
        raise Unsupported(_("a value per period"))
    value = gen.compile(define.expr)
    out_of_force = _in_force(gen, policy, day, None)

    def run(env: Env, count: int) -> RuleResult:
        out = out_of_force(env)
        if np.ndim(out) == 0 and out:
            return RuleResult(np.full(count, NOT_IN_FORCE, dtype=np.uint8))
        x = value.run(env)
        steps: list[tuple[Mask, int]] = []
        if np.ndim(out):
            steps.append((out, NOT_IN_FORCE))
        if x.na is not None:
            steps.append((x.na, UNDETERMINED))
        if x.known is not None:
            steps.append((~x.known, UNDETERMINED))
        status = _statuses(steps, DECIDED, count)
        return RuleResult(status, np.broadcast_to(x.v, (count,)), scale=value.scale)

    return VectorRule(info, run, value.scale, _shows(policy, info.value_kind, value))


def _shows(policy: CheckedPolicy, kind: str, value: Vec) -> Callable[[Any], str]:
    """A decided value as the query writes it (batch_rules.RulePlanner.decision's text)."""
    if kind == "enum":
        members = policy.enums[value.enum]
        return lambda code: members[int(code)]
    if kind == "bool":
        return lambda x: "true" if x else "false"
    if kind == "date":
        return lambda x: date.fromordinal(int(x)).isoformat()
    scale = value.scale
    if kind == "percent":
        return lambda x: format((Decimal(int(x)).scaleb(-scale) * 100).normalize(), "f") + "%"
    return lambda x: format(Decimal(int(x)).scaleb(-scale).normalize(), "f")


def _target(gen: VectorExpressions, target: n.Target) -> Callable[[Env, int], RuleResult]:
    """A target's status as Ctx.run_target decides it: not reported where NotApplicable is
    raised or a figure is unknown, else met when the figure is on the target's side of its
    bound (moved by the tolerance in the target's favour; `about`: within it), else not met;
    a `done` target met where its reported yes/no is true."""
    if target.done:
        return _done_target(gen.condition(n.Ref(target.name.text, target.span)))
    parts = [gen.number(n.Ref(target.name.text, target.span)), gen.number(target.value)]
    if target.tolerance is not None:
        parts.append(gen.number(target.tolerance))
    scale = max(p.scale for p in parts)
    parts = [rescale(p, scale) for p in parts]
    checked_bound(sum(p.bound for p in parts))
    op = target.op

    def run(env: Env, count: int) -> RuleResult:
        values = [p.run(env) for p in parts]
        actual, bound = values[0].v, values[1].v
        margin = values[2].v if len(values) > 2 else np.int64(0)
        if op == "about":
            met = (bound - margin <= actual) & (actual <= bound + margin)
        else:
            edge = bound - margin if op in ("ge", "gt") else bound + margin
            met = _OPS[op](actual, edge)
        na: Mask = None
        unknown: Mask = None
        for x in values:
            na = either(na, x.na)
            if x.known is not None:
                unknown = either(unknown, ~x.known)
        steps: list[tuple[Mask, int]] = []
        if na is not None:
            steps.append((na, NOT_REPORTED))
        if unknown is not None:
            steps.append((unknown, NOT_REPORTED))
        steps.append((np.broadcast_to(met, (count,)), MET))
        return RuleResult(_statuses(steps, NOT_MET, count))

    return run


def _in_force(
    gen: VectorExpressions, policy: CheckedPolicy, day: date | None, valid_by: Vec | None
) -> Callable[[Env], Mask]:
    """Where the rule is out of force (a bool mask; a constant for one evaluation date): its
    day (the evaluation date, or its `valid_by` date where that is known) before the policy's
    validity or after it."""
    valid_from, valid_until = policy.validity_under(gen.readings)
    if valid_by is None and day is not None:
        out = not (
            (valid_from is None or day >= valid_from)
            and (valid_until is None or day <= valid_until)
        )
        constant = np.bool_(out)
        return lambda env: constant
    start = None if valid_from is None else np.int32(valid_from.toordinal())
    end = None if valid_until is None else np.int32(valid_until.toordinal())

    def out_of_force(env: Env) -> Mask:
        dated = env[ON_KEY] if valid_by is None else valid_by.run(env)
        days = dated.v
        mask: Mask = np.bool_(False)
        if start is not None:
            mask = days < start
        if end is not None:
            mask = mask | (days > end)
        if dated.known is not None:  # an unknown date is not out of force
            mask = mask & dated.known
        return mask

    return out_of_force


def _rule(
    gen: VectorExpressions, policy: CheckedPolicy, rule: n.Rule, day: date | None
) -> tuple[Callable[[Env, int], RuleResult], int]:
    name = rule.name.text
    if rule.each is not None or rule.period is not None:
        raise Unsupported(_("an amount per member or per period"))
    # `once`: a file the engine reads has no `received` column (batch_arrow refuses it), so
    # no case has received any rule yet: `once` decides nothing (Ctx.run_rule).
    if any(name in plan.members for plan in policy.shared_caps):
        raise Unsupported(_("a shared cap"))
    if any(name in plan.members for plan in policy.choices):
        raise Unsupported(_("a choice of the highest among rules"))
    if rule.cap is not None and rule.cap.days is not None:  # compiler/daily_caps.py
        raise Unsupported(_("its cap is per day over a duration: each day evaluated apart"))
    if rule.apply_by is not None:  # runtime/applications.py: 顺延 reads the calendar
        raise Unsupported(_("it has an applicant's deadline (`apply … by`), judged per case"))
    valid_by = gen.compile(n.Ref(rule.valid_by.text, rule.valid_by.span)) if rule.valid_by else None
    if valid_by is not None and valid_by.kind != "date":
        raise Unsupported(_("`valid_by` a {kind}").format(kind=valid_by.kind))
    out_of_force = _in_force(gen, policy, day, valid_by)
    whens = [gen.condition(w) for w in rule.whens]
    amount: Vec | None = None
    cap: Vec | None = None
    if isinstance(rule.amount, n.Expr):
        amount = gen.number(rule.amount)
        if rule.cap is not None:
            cap = gen.number(rule.cap.amount)
            scale = max(amount.scale, cap.scale)
            amount, cap = rescale(amount, scale), rescale(cap, scale)
    elif rule.cap is not None:
        raise Unsupported(_("a cap without an amount"))
    rounding = policy.roundings.get(name)
    amount_nonnegative = amount is not None and amount.nonnegative
    final = UNSPECIFIED if isinstance(rule.amount, n.Unspecified) else APPLIES

    def run(env: Env, count: int) -> RuleResult:
        out = out_of_force(env)
        if np.ndim(out) == 0 and out:
            return RuleResult(np.full(count, NOT_IN_FORCE, dtype=np.uint8))
        # The SQL CASE's steps in order, each (where, status): the first that holds decides.
        # Ctx.require: a false `when` (or NotApplicable) decides; else an unknown one leaves
        # the rule undetermined.
        steps: list[tuple[Mask, int]] = []
        if np.ndim(out):
            steps.append((out, NOT_IN_FORCE))
        unknown: list[Mask] = []
        for when in whens:
            w = when.run(env)
            no = ~w.v if w.known is None else w.known & ~w.v
            steps.append((no if w.na is None else no | w.na, NOT_APPLICABLE))
            if w.known is not None:
                unknown.append(~w.known)
        steps += [(u, UNDETERMINED) for u in unknown]
        values = paid = limit = None
        if amount is not None:
            v = amount.run(env)
            values = np.broadcast_to(v.v, (count,))
            if v.na is not None:
                steps.append((v.na, NOT_APPLICABLE))
            if v.known is not None:
                steps.append((~v.known, UNDETERMINED))
            if cap is not None:
                c = cap.run(env)
                limit = c.v
                if c.na is not None:
                    steps.append((c.na if v.known is None else v.known & c.na, NOT_APPLICABLE))
                if c.known is not None:
                    steps.append((~c.known, UNDETERMINED))
            if not amount_nonnegative:
                steps.append((values < 0, NOT_APPLICABLE))  # Ctx.run_rule: never paid
        if valid_by is not None:
            dated = valid_by.run(env)
            if dated.known is not None:
                steps.append((~dated.known, UNDETERMINED))
        status = _statuses(steps, final, count)
        if values is None:
            return RuleResult(status)
        applies = status == APPLIES
        capped = None
        if limit is None:
            paid = keep_where(applies, values)
        else:
            capped = applies & (values > limit)
            paid = np.minimum(values, limit)  # where(values > limit, limit, values)
            np.multiply(paid, applies, out=paid)
        assert amount is not None
        if rounding is not None and rounding.places < amount.scale:
            paid = _round(paid, 10 ** (amount.scale - rounding.places), rounding.mode)
        return RuleResult(status, paid, capped, values, amount.scale, paid_bound)

    # No amount paid is larger than the amount's bound, the cap's, and the rounding's step.
    paid_bound = 0
    if amount is not None:
        paid_bound = max(amount.bound, cap.bound if cap is not None else 0)
        if rounding is not None and rounding.places < amount.scale:
            paid_bound = checked_bound(paid_bound + 10 ** (amount.scale - rounding.places))
    return run, amount.scale if amount is not None else 0


def _done_target(reported: Vec) -> Callable[[Env, int], RuleResult]:
    """A `done` target's status: not reported where the yes/no is missing, met where true."""

    def run(env: Env, count: int) -> RuleResult:
        done = reported.run(env)
        steps: list[tuple[Mask, int]] = []
        if done.na is not None:
            steps.append((done.na, NOT_REPORTED))
        if done.known is not None:
            steps.append((~done.known, NOT_REPORTED))
        steps.append((np.broadcast_to(done.v, (count,)), MET))
        return RuleResult(_statuses(steps, NOT_MET, count))

    return run


def _statuses(steps: list[tuple[Mask, int]], final: int, count: int) -> np.ndarray:
    """The status of each case (uint8): the code of the first step whose mask holds there,
    else `final`. Adjacent steps with one code are joined (one mask, or-ed); each step is then
    written from the last to the first, status += (code - status) × mask in uint8 (wrapping
    modulo 256, exact), without the branch per row np.putmask guesses wrong half the time."""
    joined: list[tuple[Mask, int]] = []
    for mask, code in steps:
        if joined and joined[-1][1] == code:
            joined[-1] = (joined[-1][0] | mask, code)
        else:
            joined.append((mask, code))
    status = np.full(count, final, dtype=np.uint8)
    for mask, code in reversed(joined):  # the earlier step written last, so it wins
        if np.ndim(mask) == 0:
            if mask:
                status[:] = code
            continue
        step = np.subtract(np.uint8(code), status, dtype=np.uint8)
        np.multiply(step, mask, out=step)
        np.add(status, step, out=status)
    return status


def _round(x: np.ndarray, unit: int, mode: str) -> np.ndarray:
    """runtime.amounts.Rounding.apply on int64 units: to a multiple of `unit`, a half away
    from zero (half_up) or to the even multiple (half_even), toward zero (down) or away (up)."""
    size = np.abs(x)
    whole, rest = np.divmod(size, unit)
    half = unit // 2
    if mode == "half_up":
        whole = whole + (rest >= half)
    elif mode == "half_even":
        whole = whole + ((rest > half) | ((rest == half) & (whole % 2 == 1)))
    elif mode == "up":
        whole = whole + (rest > 0)
    rounded: np.ndarray = np.sign(x) * whole * unit
    return rounded
