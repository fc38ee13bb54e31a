"""The numpy engine's rules: each rule's status, amount after the cap and amount before it
(where the cap bit), as batch_rules.RulePlanner.rule writes them in SQL, in Ctx.run_rule's
order: validity, the `when`s, the amount, the cap, a negative amount, then the rounding.

`vector_program` compiles a policy for the columns a file gives, or raises Unsupported with
the reason (a decision, a target, `once`, `valid_by`, a shared cap, a period, any expression
batch_vector.py does not hold, a value that may pass 64 bits): the caller then runs the SQL
path. The statuses are the SQL path's codes (batch_rules: APPLIES … HOLDS).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal

import attrs
import numpy as np

from policyc.compiler import nodes as n
from policyc.compiler.batch import BatchRule, _indexed_entries, _rule_info
from policyc.compiler.batch_rules import (
    APPLIES,
    NOT_APPLICABLE,
    NOT_IN_FORCE,
    UNDETERMINED,
    UNSPECIFIED,
    RulePlanner,
)
from policyc.compiler.batch_sql import Unsupported
from policyc.compiler.batch_vector import (
    Column,
    Env,
    Mask,
    Vec,
    VectorExpressions,
    checked_bound,
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
    day: date,
) -> VectorProgram:
    """The policy's rules as numpy, over the file's `columns`, every case evaluated on `day`.
    Raises Unsupported (the reason) for a policy the engine does not hold."""
    if any(d.decided for d in policy.defines.values()):
        raise Unsupported(_("a decided value (decide)"))
    planner = RulePlanner(policy, readings, {}, "")
    gen = VectorExpressions(policy, readings, columns)
    rules: list[VectorRule] = []
    for index, entry in _indexed_entries(policy):
        if isinstance(entry, n.Target):
            raise Unsupported(_("target `{name}`").format(name=entry.name.text))
        info = _rule_info(planner, index, entry)
        try:
            run, scale = _rule(gen, policy, entry, day)
            rules.append(VectorRule(info, run, scale))
        except Unsupported as exc:
            raise Unsupported(
                _("rule `{name}`: {reason}").format(name=entry.name.text, reason=exc)
            ) from None
    return VectorProgram(policy.header.number, dict(readings), tuple(rules))


def _rule(
    gen: VectorExpressions, policy: CheckedPolicy, rule: n.Rule, day: date
) -> tuple[Callable[[Env, int], RuleResult], int]:
    name = rule.name.text
    if rule.each is not None or rule.period is not None:
        raise Unsupported(_("an amount per member or per period"))
    if rule.once is not None or rule.valid_by is not None:
        raise Unsupported(_("`once` or `valid_by`"))
    if any(name in plan.members for plan in policy.shared_caps):
        raise Unsupported(_("a shared cap"))
    if rule.cap is not None and rule.cap.days is not None:  # compiler/daily_caps.py
        raise Unsupported(_("its cap is per day over a duration: each day evaluated apart"))
    valid_from, valid_until = policy.validity_under(gen.readings)
    in_force = (valid_from is None or day >= valid_from) and (
        valid_until is None or day <= valid_until
    )
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
        if not in_force:
            return RuleResult(np.full(count, NOT_IN_FORCE, dtype=np.uint8))
        # The SQL CASE's steps in order, each (where, status): the first that holds decides.
        # Ctx.require: a false `when` (or NotApplicable) decides; else an unknown one leaves
        # the rule undetermined.
        steps: list[tuple[Mask, int]] = []
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


def units_decimal(units: int, scale: int) -> Decimal:
    """An int of units of 10^-scale as the exact Decimal."""
    return Decimal(units).scaleb(-scale)
