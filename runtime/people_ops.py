"""What generated code calls for households and periods (through `Ctx`): expressions over the
members of the case's group, inputs of other periods, exact division, a rule's amount read by
another, and rules paid to each member of a role.

Three-valued as the rest of the runtime: a member's input the case leaves out is unknown, named
`小明.出生日期`; a period's value it leaves out, `工资[2016-12]`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from policyc.runtime.each_limits import apply_limit
from policyc.runtime.people import (
    _ABSENT,
    CaseInputs,
    Member,
    divide_rounded,
    first_day,
    period_kind,
    prepare,
    shift_period,
    value_for,
    within_period,
)
from policyc.runtime.plain import Frozen, Record, _set
from policyc.runtime.quantity import Quantity, parse_measure

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from datetime import date
    from typing import Any

    from policyc.runtime.evaluation import Ctx, RuleResult

PERSON = parse_measure("人").dims
_ROLE_WORDS = {"": "家庭成员", "members": "家庭成员", "成员": "家庭成员"}


class MemberResult(Frozen):
    """One member's outcome under a rule paid `each` member of a role."""

    _fields = ("member", "role", "status", "reason", "amount", "uncapped", "missing", "value")
    __slots__ = _fields
    member: str
    role: str
    status: str  # applies | not_applicable | undetermined
    reason: str
    amount: Quantity | None
    uncapped: Quantity | None
    missing: tuple[str, ...]
    value: Any  # a decided value per member

    def __init__(
        self, member: str, role: str, status: str, reason: str = "",
        amount: Quantity | None = None, uncapped: Quantity | None = None,
        missing: tuple[str, ...] = (), value: Any = None,
    ):  # fmt: skip
        _set(self, "member", member)
        _set(self, "role", role)
        _set(self, "status", status)
        _set(self, "reason", reason)
        _set(self, "amount", amount)
        _set(self, "uncapped", uncapped)
        _set(self, "missing", missing)
        _set(self, "value", value)


def _unknown(*values: Any) -> Any:
    from policyc.runtime.evaluation import unknown

    return unknown(*values)


def absent(ctx: Ctx, name: str) -> Any:
    """The unknown standing for an input the case does not give, named as a case worker
    would look for it: the member's (`小明.出生日期`), the period's (`工资[2017-01]`)."""
    from policyc.runtime.evaluation import Unknown

    inputs = ctx.inputs
    plan = inputs.plan if isinstance(inputs, CaseInputs) else None
    member = ctx.member
    if plan is not None:
        assert isinstance(inputs, CaseInputs)
        if member is not None and name in plan.member_inputs:
            value = member.values.get(name, _ABSENT)
            if value is not _ABSENT:
                return value
            where = f"[{inputs.period}]" if name in plan.periods else ""
            return Unknown((f"{member.name}.{name}{where}",))
        if name in plan.periods:
            return Unknown((f"{name}[{inputs.period}]",))
    return Unknown((name,))


def members_of(ctx: Ctx, role: str) -> tuple[Any, ...]:
    members = getattr(ctx.inputs, "members", ())
    if role in ("", "members", "成员"):
        return tuple(members)
    return tuple(m for m in members if m.role == role)


def aggregate(
    ctx: Ctx,
    func: str,
    role: str,
    subject: Callable[[], Any] | None,
    where: Callable[[], Any] | None,
    zero: Quantity | None,
    text: str,
    line: int,
) -> Any:
    """count / sum / min / max / any / all over the members of `role` ("" for every member)
    that meet `where`; each member's inputs are in view while its parts are evaluated."""
    from policyc.runtime.evaluation import NotApplicable, Unknown, _show

    chosen: list[tuple[Any, Any]] = []  # (member, its value or None)
    missing: Unknown | None = None
    saw_false = saw_true = False
    saved = ctx.member
    try:
        for member in members_of(ctx, role):
            ctx.member = member
            if ctx.explain:  # the member's own steps follow, under its name
                ctx.step(f"成员 {member.name}（{member.role}）", line)
            holds: Any = True if where is None else where()
            if isinstance(holds, Unknown):
                missing = _unknown(missing, holds)
                continue
            if not holds:
                saw_false = True
                continue
            saw_true = True
            value = subject() if subject is not None else None
            if isinstance(value, Unknown):
                missing = _unknown(missing, value)
                continue
            chosen.append((member, value))
    finally:
        ctx.member = saved
    if func == "any":
        result: Any = True if saw_true else (missing if missing is not None else False)
    elif func == "all":
        result = False if saw_false else (missing if missing is not None else True)
    elif missing is not None:
        result = missing
    elif func == "count":
        # in the group's measure (`group 购置机具 counted 台`), given as `zero`
        result = Quantity(Decimal(len(chosen)), zero.dims if zero is not None else PERSON)
    elif func == "sum":
        total = zero
        for _, value in chosen:
            total = value if total is None else total + value
        result = total
    else:
        if not chosen:
            raise NotApplicable(f"{text}: 没有符合条件的{_ROLE_WORDS.get(role, role)}")
        pick = min if func == "min" else max
        result = pick(value for _, value in chosen)
    if ctx.explain:
        names = "、".join(f"{m.name}（{m.role}）" for m, _ in chosen) or "无"
        if subject is not None and not isinstance(result, Unknown):
            names = "、".join(f"{m.name} {_show(v)}" for m, v in chosen) or "无"
        shown = "待定" if isinstance(result, Unknown) else _show(result)
        ctx.step(f"{text} = {shown}（计入: {names}）", line)
    return result


def at_period(ctx: Ctx, func: str, name: str, line: int) -> Any:
    """`last_month(X)`, `last_year(X)`, `january(X)`, `year_total(X)`: X for another period
    than the one evaluated (year_total: the sum of a monthly flow over the evaluated year)."""
    from policyc.runtime.evaluation import Unknown, _show

    inputs = ctx.inputs
    if not isinstance(inputs, CaseInputs) or inputs.plan is None or inputs.period is None:
        return Unknown((f"{name}[{func}]",))
    plan, period = inputs.plan, inputs.period
    member = ctx.member
    series = member.series if member is not None and name in plan.member_inputs else inputs.series
    values = series.get(name, {})
    kind, flow = plan.periods[name], name in plan.flows
    year = period[:4]
    if func == "year_total":
        target = year
        default = plan.defaults.get(name, _ABSENT)
        months = [value_for(name, values, kind, flow, f"{year}-{m:02d}") for m in range(1, 13)]
        months = [default if v is _ABSENT else v for v in months]
        gaps = [
            f"{year}-{m:02d}" for m, v in zip(range(1, 13), months, strict=True) if v is _ABSENT
        ]
        if gaps:
            who = f"{member.name}." if member is not None and name in plan.member_inputs else ""
            return Unknown(tuple(f"{who}{name}[{g}]" for g in gaps))
        found: Any = months[0]
        for value in months[1:]:
            found = found + value
    else:
        if func == "last_month":
            if period_kind(period) != "month":
                return Unknown((f"{name}[上月: 评估期间 {period} 不是月份]",))
            target = shift_period(period, -1)
        elif func == "last_year":
            target = shift_period(period, -12)
        else:  # january
            target = f"{year}-01"
        found = value_for(name, values, kind, flow, target)
        if found is _ABSENT:
            found = plan.defaults.get(name, _ABSENT)
        if found is _ABSENT:
            who = f"{member.name}." if member is not None and name in plan.member_inputs else ""
            return Unknown((f"{who}{name}[{target}]",))
    if ctx.explain:
        ctx.step(f"{name}（{target}）= {_show(found)}", line)
    return found


def divide(ctx: Ctx, a: Any, b: Any, places: int, mode: str, text: str, line: int) -> Any:
    """a ÷ b, exact until rounded as the policy declares; a zero divisor does not apply."""
    from policyc.runtime.evaluation import NotApplicable, _show

    missing = _unknown(a, b)
    if missing is not None:
        return missing
    if b.value == 0:
        raise NotApplicable(f"{text}: 除数为零")
    result = divide_rounded(a, b, places, mode)
    if ctx.explain:
        ctx.step(f"{text}: {_show(a)} ÷ {_show(b)} = {_show(result)}", line)
    return result


def amount_of(
    ctx: Ctx,
    name: str,
    rules: Mapping[str, Callable[[Ctx], Any]],
    each: Mapping[str, Callable[[Ctx], Any]],
    zero: Quantity,
    line: int,
) -> Any:
    """Rule `name`'s amount after its own cap (before rounding and shared caps): zero when it
    does not apply, unknown while undetermined. Within a member's evaluation, a rule paid
    `each` member gives that member's amount.

    A rule with its own period (`amount … per 年`) read where another period is evaluated gives
    the amount its own result gives in this case: a yearly rule read in a month (a month's case,
    or a month of a year's) gives the year's amount, which a document spreading it by month
    divides itself (`divide(amount_of(住房税), 12, 分, half_up)`); a monthly rule read in a
    year gives the sum of the year's twelve months."""
    from policyc.runtime.evaluation import NotApplicable, Unknown, _show

    function = each.get(name) if ctx.member is not None else None
    whole = function is None
    if function is None:
        function = rules[name]
    plan = getattr(ctx.inputs, "plan", None)
    period = plan.rule_periods.get(name, "") if plan is not None else ""
    saved = ctx.each_outcomes
    try:
        if whole and period and other_periods(ctx, period):
            outcome = over_periods(ctx, _Reader(period, line), function, _Reader(period, line))
        else:
            outcome = function(ctx)
    except NotApplicable as exc:
        outcome = exc.reason
    finally:
        ctx.each_outcomes = saved
    if isinstance(outcome, Unknown):
        return outcome
    value = zero if isinstance(outcome, str) or outcome[0] is None else outcome[0]
    if ctx.explain:
        ctx.step(f"规则「{name}」的金额 = {_show(value)}", line)
    return value


class _Reader(Record):
    """What `over_periods` needs of a rule read by `amount_of` (its period, the reading line),
    and where it leaves the periods' outcomes (not reported: the reader's result is)."""

    _fields = ("period", "line", "periods")
    __slots__ = _fields
    period: str
    line: int
    periods: Any

    def __init__(self, period: str, line: int, periods: Any = None):
        self.period = period
        self.line = line
        self.periods = periods


def each_member(
    ctx: Ctx,
    role: str,
    body: Callable[[Ctx], Any],
    line: int,
    limit: Any = None,
    case_cap: tuple[Callable[[], Any], int] | None = None,
) -> Any:
    """A rule paid to each member of `role`: its conditions and amount evaluated per member;
    the rule's outcome is the sum of the amounts of those it applies to, undetermined while
    any member's is. `limit` (runtime/each_limits.py): at most so many of them are paid.
    `case_cap` (the cap's value, its line): a cap for the whole case (`cap 800 元 per 户`,
    compiler/case_caps.py) bounding that sum once; each member's amount stays as worked out."""
    from policyc.runtime.evaluation import NotApplicable

    outcomes: list[tuple[Any, Any]] = []
    saved = ctx.member
    try:
        for member in members_of(ctx, role):
            ctx.member = member
            if ctx.explain:
                ctx.step(f"成员 {member.name}（{member.role}）", line)
            try:
                outcome = body(ctx)
            except NotApplicable as exc:
                outcome = exc.reason
            outcomes.append((member, outcome))
    finally:
        ctx.member = saved
    ctx.each_outcomes = outcomes
    word = _ROLE_WORDS.get(role, role)
    if not outcomes:
        return f"案例中没有{word}"
    missing = _unknown(*(o for _, o in outcomes))
    if limit is not None and ctx.one_of_periods:
        from policyc.runtime.each_limits import LimitOverPeriods

        raise LimitOverPeriods(limit)
    if missing is None and limit is not None:
        missing = apply_limit(ctx, limit, outcomes, line)
    if missing is not None:
        return missing
    paid = [o for _, o in outcomes if not isinstance(o, str)]
    if not paid:
        first = next(o for _, o in outcomes if isinstance(o, str))
        return f"没有符合条件的{word}（{first}）"
    if case_cap is None:
        return _added(paid)
    return _case_capped(ctx, _added(paid), case_cap)


def _case_capped(ctx: Ctx, total: tuple[Any, Any], case_cap: tuple[Callable[[], Any], int]) -> Any:
    """The members' total under a cap for the whole case: (capped, the total) when it bit."""
    amount = total[0]
    if amount is None:  # an amount the text does not give: nothing to cap
        return total
    cap = case_cap[0]()
    if (missing := _unknown(cap)) is not None:
        return missing
    if ctx.explain:
        from policyc.runtime.results import _show

        ctx.step(f"各成员合计 {_show(amount)}, 上限按整个案例计", case_cap[1])
    return ctx.capped(amount, cap, case_cap[1])


def _added(paid: list[Any]) -> tuple[Any, Any]:
    """The (amount, uncapped) outcomes of the members or periods that pay, added up: the
    uncapped sum only where some cap bit (each part's own amount before its cap, else its
    amount); (None, None) for an amount the text does not give."""
    if paid[0][0] is None:
        return None, None
    amount = uncapped = None
    capped = False
    for value, before in paid:
        amount = value if amount is None else amount + value
        whole = before if before is not None else value
        capped = capped or before is not None
        uncapped = whole if uncapped is None else uncapped + whole
    return amount, (uncapped if capped else None)


def decide_each(
    ctx: Ctx, info: Any, function: Callable[[Ctx], Any], result: RuleResult
) -> RuleResult:
    """A value decided per member (`decide 年龄 = years_between(出生日期, on_date())`): each
    member's value; undetermined, naming what is missing, while any member's is."""
    from policyc.runtime.evaluation import NotApplicable, Unknown

    found: list[MemberResult] = []
    missing: Any = None
    saved = ctx.member
    try:
        for member in members_of(ctx, info.each):
            ctx.member = member
            if ctx.explain:
                ctx.step(f"成员 {member.name}（{member.role}）", info.line)
            try:
                value = ctx.use(info.name, function, info.line)
            except NotApplicable as exc:
                found.append(MemberResult(member.name, member.role, "undetermined", exc.reason))
                continue
            if isinstance(value, Unknown):
                missing = _unknown(missing, value)
                reason = "需要输入 " + "、".join(value.names)
                found.append(
                    MemberResult(
                        member.name, member.role, "undetermined", reason, missing=value.names
                    )
                )
            else:
                found.append(MemberResult(member.name, member.role, "decided", value=value))
    finally:
        ctx.member = saved
    result.members = tuple(found)
    if missing is not None:
        result.status, result.missing = "undetermined", missing.names
        result.reason = "需要输入 " + "、".join(missing.names)
    elif any(m.status != "decided" for m in found):
        result.status = "undetermined"
        result.reason = next(m.reason for m in found if m.status != "decided")
    return result


def other_periods(ctx: Ctx, period: str) -> tuple[str, ...]:
    """The periods a rule whose amount is for `period` ("month" or "year") is evaluated for in
    this case: the twelve months of a year's case, the year of a month's case; () when the
    case's period is the rule's."""
    inputs = ctx.inputs
    if not isinstance(inputs, CaseInputs) or inputs.period is None:
        return ()
    case_period = inputs.period
    if period_kind(case_period) == period:
        return ()
    if period == "month":
        return tuple(f"{case_period}-{m:02d}" for m in range(1, 13))
    return (case_period[:4],)


def judged_on(on: date, period: str) -> date:
    """The day a period read for a case evaluated on `on` is judged on: `on` itself when it
    falls in the period (a yearly rule read in a month's case, or the month of a year's case
    that holds the evaluation date, is judged on the case's date, as a rule without a period
    is), else the period's first day."""
    return on if within_period(on, period) else first_day(period)


def _period_ctx(ctx: Ctx, period: str) -> Ctx:
    """A context for `period` of the case, evaluated on `judged_on`'s day (its steps the
    case's)."""
    from policyc.runtime.evaluation import Ctx

    inputs = ctx.inputs
    assert isinstance(inputs, CaseInputs) and inputs.plan is not None
    start = judged_on(ctx.on, period)
    again = CaseInputs(inputs)
    again.series, again.period = inputs.series, period
    again.members = tuple(Member(m.name, m.role, m.inputs, m.series) for m in inputs.members)
    sub = Ctx(
        prepare(again, start, inputs.plan),
        start,
        ctx.readings,
        ctx.valid_from,
        ctx.valid_until_date,
        ctx.explain,
    )
    sub.steps, sub.measures = ctx.steps, ctx.measures
    sub.one_of_periods = True  # a limit on members cannot be kept period by period
    return sub


def decide_over_periods(
    ctx: Ctx, info: Any, function: Callable[[Ctx], Any], result: RuleResult
) -> RuleResult:
    """A value decided for a month (`decide … per 月`) in a year's case, or for a year in a
    month's: decided for each period (`other_periods`) on `judged_on`'s day, a period outside
    the policy's validity on that day left out. `result.periods` holds (period, "decided" |
    "undetermined" |
    "not_in_force", value or None); the result has no value of its own (a month's 人均收入 has
    no sum over the year) and is undetermined, naming what is missing, while any period's is."""
    from policyc.runtime.evaluation import NotApplicable, Unknown

    shown: list[tuple[str, str, Any]] = []
    missing: Any = None
    reason = ""
    for period in other_periods(ctx, info.period):
        if not ctx.in_force(judged_on(ctx.on, period)):
            shown.append((period, "not_in_force", None))
            continue
        if ctx.explain:
            ctx.step(f"期间 {period}", info.line)
        try:
            value = _period_ctx(ctx, period).use(info.name, function, info.line)
        except NotApplicable as exc:
            shown.append((period, "undetermined", None))
            reason = reason or exc.reason
            continue
        if isinstance(value, Unknown):
            missing = _unknown(missing, value)
            shown.append((period, "undetermined", None))
        else:
            shown.append((period, "decided", value))
    result.periods = tuple(shown)
    if missing is not None:
        result.status, result.missing = "undetermined", missing.names
        result.reason = "需要输入 " + "、".join(missing.names)
    elif reason:
        result.status, result.reason = "undetermined", reason
    return result


def over_periods(ctx: Ctx, info: Any, function: Callable[[Ctx], Any], result: Any) -> Any:
    """A rule's outcome over other periods than the case's (`other_periods`): each judged on
    `judged_on`'s day, a period outside the policy's validity on that day paying nothing; the
    amounts added up, undetermined while any period's is. Each period's outcome is kept in
    `result.periods` as (period, status, amount)."""
    from policyc.runtime.evaluation import NotApplicable, Unknown

    inputs = ctx.inputs
    assert isinstance(inputs, CaseInputs) and inputs.plan is not None
    outcomes: list[tuple[str, Any]] = []
    for period in other_periods(ctx, info.period):
        start = judged_on(ctx.on, period)
        if not ctx.in_force(start):
            outcomes.append((period, f"{period} 不在有效期内"))
            continue
        sub = _period_ctx(ctx, period)
        if ctx.explain:
            ctx.step(f"期间 {period}", info.line)
        try:
            outcome = function(sub)
        except NotApplicable as exc:
            outcome = exc.reason
        rounding = inputs.plan.roundings.get(getattr(info, "name", ""))
        if rounding is not None and isinstance(outcome, tuple) and outcome[0] is not None:
            outcome = (_rounded_sum(rounding, outcome[0], sub.each_outcomes), outcome[1])
        outcomes.append((period, outcome))
    shown = []
    for period, outcome in outcomes:
        if isinstance(outcome, str):
            shown.append((period, "not_applicable", None))
        elif isinstance(outcome, Unknown):
            shown.append((period, "undetermined", None))
        else:
            shown.append((period, "applies", outcome[0]))
    result.periods = tuple(shown)
    missing = _unknown(*(o for _, o in outcomes))
    if missing is not None:
        return missing
    paid = [o for _, o in outcomes if not isinstance(o, str)]
    if not paid:
        return next((o for _, o in outcomes), "没有适用的期间")
    return _added(paid)


def _rounded_sum(rounding: Any, amount: Quantity, members: list[tuple[Any, Any]] | None) -> Any:
    """A period's payment rounded as paid: each member's amount rounded then added up (a rule
    paid `each` member), else the period's amount rounded."""
    if members is None:
        return rounding.apply(amount)
    paid = [o[0] for _, o in members if isinstance(o, tuple) and o[0] is not None]
    total = rounding.apply(paid[0]) if paid else amount
    for value in paid[1:]:
        total = total + rounding.apply(value)
    return total


def round_members(result: RuleResult, rounding: Any) -> Quantity | None:
    """A rule paid `each` member, rounded as paid: each member's amount rounded (kept in
    `result.members`), then added up; None for a rule without members' amounts (rounded as a
    whole by runtime/amounts.py). Called by `amounts._round`, which records the exact sum as
    `unrounded` when it differs."""
    if not result.members or not any(m.amount is not None for m in result.members):
        return None
    paid = [m.amount for m in result.members if m.status == "applies" and m.amount is not None]
    whole = paid[0] if paid else None
    for value in paid[1:]:
        whole = whole + value
    # A cap for the whole case (compiler/case_caps.py) that bit: the capped total rounded.
    case_capped = result.amount is not None and whole is not None and result.amount < whole
    rounded = tuple(
        m.evolve(amount=rounding.apply(m.amount)) if m.amount is not None else m
        for m in result.members
    )
    result.members = rounded
    if case_capped:
        assert result.amount is not None
        capped: Quantity = rounding.apply(result.amount)
        return capped
    total: Quantity | None = None
    for m in rounded:
        if m.status == "applies" and m.amount is not None:
            total = m.amount if total is None else total + m.amount
    return total


def member_results(outcomes: list[tuple[Any, Any]]) -> tuple[MemberResult, ...]:
    from policyc.runtime.evaluation import Unknown

    results = []
    for member, outcome in outcomes:
        if isinstance(outcome, str):
            results.append(MemberResult(member.name, member.role, "not_applicable", outcome))
        elif isinstance(outcome, Unknown):
            reason = "需要输入 " + "、".join(outcome.names)
            results.append(
                MemberResult(
                    member.name, member.role, "undetermined", reason, missing=outcome.names
                )
            )
        else:
            amount, before = outcome
            results.append(MemberResult(member.name, member.role, "applies", "", amount, before))
    return tuple(results)
