"""One of several rules paid, the highest (`choose highest of A, B, C quote "…"`).

"同一事项符合多项奖励的，按最高一项奖励，不重复奖励" /
"违法行为同时符合两个以上情节档次的，按较重的档次处罚": of the rules listed that apply, only
the one with the largest amount is paid; the others apply but are not paid (their amount and
range are cleared, what they would have paid is kept in `Chosen.before`). Ranked by the high
end, then the low end (an exact amount is both ends); a tie keeps the first listed. It runs
after each rule's rounding and before caps shared by several rules (runtime/amounts.py
`apply_after_caps`), on the results of one case, in the traced, fast and batch fallback paths
alike.

Three-valued: a listed rule still undetermined could be the one kept unless its amount is known
without the case (`ChoicePlan.fixed`: a literal amount or range, after its rounding) and it
ranks below the best applying one (or equal and listed after it). While one could be kept, every
applying rule of the choice is undetermined too, naming the inputs the undetermined ones need.
"""

from __future__ import annotations

from collections.abc import Sequence

from policyc.runtime.plain import Frozen, _set
from policyc.runtime.quantity import Quantity
from policyc.runtime.results import FixedResult, RuleResult, Step, show_value

__all__ = ["ChoicePlan", "Chosen", "apply_choices", "ends_text"]

Ends = tuple[Quantity, Quantity]  # (low, high); an exact amount is (amount, amount)


class ChoicePlan(Frozen):
    """A checked `choose highest of …`: its rules in the order listed, the sentence it restates,
    the line that declares it, and each rule's amount known without the case (low, high) or None
    where the case decides it."""

    _fields = ("members", "quote", "line", "fixed")
    __slots__ = _fields
    members: tuple[str, ...]
    quote: str
    line: int
    fixed: tuple[Ends | None, ...]  # parallel to `members`

    def __init__(
        self, members: tuple[str, ...], quote: str, line: int, fixed: tuple[Ends | None, ...]
    ):
        _set(self, "members", members)
        _set(self, "quote", quote)
        _set(self, "line", line)
        _set(self, "fixed", fixed)


class Chosen(Frozen):
    """How a choice treated one of its rules.

    `kept`: the rule paid ("" while that is undetermined); `among`: the listed rules that apply,
    then those undetermined that could be kept (`pending`); `quote`: the sentence; `before`: this
    rule's amount before the choice (low, high; None for an undetermined rule); `tie`: the kept
    rule was kept as the first listed of equal amounts (this one's, or for the kept one
    another's); `out`: this rule is not paid whatever the inputs still missing say (it applies
    below a higher one, or it is undetermined and can only be lower); `pending`: the undetermined
    rules that could be kept, which the kept one waits on. A choice among rules paid per period
    in a case of several periods is weighed period by period (`_highest_each_period`); one the
    case cannot settle so has its applying rules undetermined, `kept` "" and `pending` empty
    (`_unsettled`); one whose highest rule differs between periods has `kept` "" and
    `by_period` (first period, last period, the rule paid) for each run of periods one rule
    pays (`_split_by_period`), else ()."""

    _fields = ("kept", "among", "quote", "before", "tie", "out", "pending", "by_period")
    __slots__ = _fields
    kept: str
    among: tuple[str, ...]
    quote: str
    before: Ends | None
    tie: bool
    out: bool
    pending: tuple[str, ...]
    by_period: tuple[tuple[str, str, str], ...]

    def __init__(
        self, kept: str, among: tuple[str, ...], quote: str, before: Ends | None,
        tie: bool = False, out: bool = False, pending: tuple[str, ...] = (),
        by_period: tuple[tuple[str, str, str], ...] = (),
    ):  # fmt: skip
        _set(self, "kept", kept)
        _set(self, "among", among)
        _set(self, "quote", quote)
        _set(self, "before", before)
        _set(self, "tie", tie)
        _set(self, "out", out)
        _set(self, "pending", pending)
        _set(self, "by_period", by_period)


def ends_text(ends: Ends) -> str:
    """`800元` or `800元至1500元`, as the answer writes an amount or a range."""
    low, high = ends
    if low == high:
        return show_value(low)
    return f"{show_value(low)}至{show_value(high)}"


def _ends(result: RuleResult) -> Ends | None:
    if result.range is not None:
        return result.range
    if result.amount is not None:
        return result.amount, result.amount
    return None


def _rank(ends: Ends) -> tuple[object, object]:
    """The heavier of two amounts: the higher high end, then the higher low end (the check
    makes every rule of a choice pay in one measure, all exact or all ranges)."""
    return ends[1].value, ends[0].value


def _own(results: list[RuleResult], index: int, explain: bool) -> RuleResult:
    """results[index], replaced by a copy of its own when it is shared by cases (fast path)."""
    result = results[index]
    if result.__class__ is FixedResult or explain:
        copy = RuleResult.__new__(RuleResult)
        copy.__dict__.update(result.__dict__)
        if explain:
            copy.steps = list(result.steps)
        results[index] = result = copy
    return result


def apply_choices(results: list[RuleResult], plans: Sequence[ChoicePlan], explain: bool) -> None:
    """Keep the highest applying rule of each choice, in place on `results` (see the module)."""
    if not plans:
        return
    where = {r.info.name: i for i, r in enumerate(results) if r.info.role == "rule"}
    for plan in plans:
        _choose(results, plan, where, explain)


def _choose(
    results: list[RuleResult], plan: ChoicePlan, where: dict[str, int], explain: bool
) -> None:
    applying: list[tuple[int, int, Ends]] = []  # (place in the list, result index, ends)
    waiting: list[tuple[int, int]] = []
    for position, name in enumerate(plan.members):
        index = where.get(name)
        if index is None:
            continue
        result = results[index]
        ends = _ends(result)
        if result.status == "applies" and ends is not None:
            applying.append((position, index, ends))
        elif result.status == "undetermined":
            waiting.append((position, index))
    if not applying:
        return  # nothing is paid yet: each undetermined rule says so itself
    each_period: tuple[int, bool] | None = None
    if any(_over_periods(results[i]) for _, i, _ in applying):
        kept_in, tie, reason, missing = _highest_each_period(results, applying, waiting, plan)
        if reason:
            _unsettled(results, [i for _, i, _ in applying], plan, explain, reason, missing)
            return
        if len(set(kept_in.values())) > 1:
            _split_by_period(results, applying, waiting, plan, kept_in, explain)
            return
        each_period = next(iter(kept_in.values())), tie
    best_position, best_index, best_ends = applying[0]
    for position, index, ends in applying[1:]:
        if _rank(ends) > _rank(best_ends):  # strictly: a tie keeps the first listed
            best_position, best_index, best_ends = position, index, ends
    if each_period is not None:  # the highest of every period, whatever the periods' sums
        best_position, best_index, best_ends = next(a for a in applying if a[0] == each_period[0])
    open_ = [
        (position, index)
        for position, index in waiting
        # over periods, `_highest_each_period` found none that could be kept in any period
        if each_period is None
        and _could_be_kept(plan.fixed[position], position, best_ends, best_position)
    ]
    pending = tuple(plan.members[p] for p, _ in open_)
    among = tuple(plan.members[p] for p, _, _ in applying) + pending
    kept = "" if pending else plan.members[best_position]
    best = _rank(best_ends)
    tied = [i for _, i, ends in applying if i != best_index and _rank(ends) == best]
    if each_period is not None:  # tied in some period, not by the sums
        tied = [i for _, i, _ in applying if i != best_index] if each_period[1] else []
    for _position, index, ends in applying:
        result = _own(results, index, explain)
        if index == best_index:
            result.choice = Chosen(kept, among, plan.quote, ends, bool(tied), False, pending)
            if pending:
                _wait(result, results, open_, plan, explain)
            elif explain and len(applying) > 1:
                text = f"就高不重复: 同时适用 {'、'.join(among)}, 按金额最高的本项给予"
                result.steps.append(Step(text, plan.line))
            continue
        # Below the best applying rule (or equal and listed after it): never paid, whichever
        # rule is kept in the end.
        result.choice = Chosen(kept, among, plan.quote, ends, index in tied, True, pending)
        result.amount = result.range = result.uncapped = result.unrounded = None
        if explain:
            higher = plan.members[best_position]
            text = (
                f"就高不重复: 「{higher}」金额更高（{ends_text(best_ends)}）, "
                f"本项 {ends_text(ends)} 不计入"
            )
            if each_period is not None:
                text = (
                    f"就高不重复: 逐期比较, 各期间金额最高的均为「{higher}」, "
                    f"本项各期合计 {ends_text(ends)} 不计入"
                )
            result.steps.append(Step(text, plan.line))
    for position, index in waiting:
        if (position, index) not in open_:  # whether or not it applies, it is not paid
            result = _own(results, index, explain)
            result.choice = Chosen(kept, among, plan.quote, None, False, True, pending)


def _over_periods(result: RuleResult) -> bool:
    """Whether the rule was judged period by period in this case (`amount … per 月` in a year's
    case): its amount is the periods' sum, and which rule is the highest may change by month."""
    periods = getattr(result, "periods", None)
    return periods is not None and len(periods) > 1


def _highest_each_period(
    results: list[RuleResult],
    applying: list[tuple[int, int, Ends]],
    waiting: list[tuple[int, int]],
    plan: ChoicePlan,
) -> tuple[dict[str, int], bool, str, tuple[str, ...]]:
    """A choice among rules paid per period, in a case of several periods (a year's case of
    `per 月` rules): 就高不重复 is weighed period by period — each month the highest of the rules
    applying that month is paid (a tie: the first listed).

    Returns (period → the place in `plan.members` of the rule paid that period, in period
    order; whether a tie decided some period; "", ()). An undetermined rule of the choice is
    never paid when its amount is known without the case (`plan.fixed`, a period's) and ranks
    below the highest of every period the policy is in force; when one could be some period's
    highest, returns ({}, False, the reason, the inputs the undetermined rules need), and
    nothing is paid rather than a guess."""
    by_period: dict[str, list[tuple[int, Quantity]]] = {}
    in_force: set[str] = set()  # the periods in which the policy is in force
    for position, index, _ends in applying:  # in the order listed
        for period, status, amount in results[index].periods or ():
            if status != "not_in_force":
                in_force.add(period)
            if status == "applies" and amount is not None:
                by_period.setdefault(period, []).append((position, amount))
    kept: dict[str, tuple[int, Quantity]] = {}
    tie = False
    for period in sorted(by_period):
        amounts = by_period[period]
        best_position, best_amount = amounts[0]
        for position, amount in amounts[1:]:
            if amount.value > best_amount.value:  # strictly: a tie keeps the first listed
                best_position, best_amount = position, amount
        tie = tie or sum(1 for _, amount in amounts if amount.value == best_amount.value) > 1
        kept[period] = best_position, best_amount
    # An undetermined rule is never paid when, in every period, an applying one beats the most
    # it could pay a period (`plan.fixed`); else it could be that period's highest.
    open_ = [
        (position, index)
        for position, index in waiting
        if plan.fixed[position] is None
        or any(
            period not in kept
            or _could_be_kept(
                plan.fixed[position], position, (kept[period][1],) * 2, kept[period][0]
            )
            for period in in_force
        )
    ]
    if open_:
        names = "、".join(plan.members[position] for position, _ in open_)
        missing = tuple(dict.fromkeys(m for _, i in open_ for m in results[i].missing))
        needs = f"需要输入 {'、'.join(missing)}，或" if missing else "请"
        reason = (
            f"就高不重复: 本案跨多个期间，{names} 是否适用待定，某些期间其金额可能最高，"
            f"无法逐期就高；{needs}逐期（如 period: 2026-06）提交案件"
        )
        return {}, False, reason, missing
    return {period: position for period, (position, _) in kept.items()}, tie, "", ()


def _follows(before: str, period: str) -> bool:
    """Whether `period` is the one right after `before` (`2026-03` after `2026-02`, `2027` after
    `2026`): a run of periods paying one rule never spans a period none applied in (review 17:
    A, A, none, A read "2026-01 至 2026-04「A」")."""

    def number(text: str) -> int | None:
        year, _sep, month = text.partition("-")
        if not year.isdigit() or (month and not month.isdigit()):
            return None
        return int(year) * 12 + int(month) if month else int(year)

    first, second = number(before), number(period)
    return first is not None and second is not None and second - first == 1


def _split_by_period(
    results: list[RuleResult],
    applying: list[tuple[int, int, Ends]],
    waiting: list[tuple[int, int]],
    plan: ChoicePlan,
    kept: dict[str, int],
    explain: bool,
) -> None:
    """A choice whose highest rule differs between the periods of the case (`kept`: period →
    the place of the rule paid then): each applying rule is paid the periods it is the
    highest in, its other periods `passed_over` (in `result.periods`), its amount their sum
    (None when it is the highest in none); `Chosen.by_period` says which rule each run of
    periods pays. An undetermined rule (`waiting`) is never paid (`_highest_each_period` found
    it below every period's highest)."""
    runs: list[tuple[str, str, int]] = []  # (first period, last period, rule paid)
    for period, position in kept.items():
        if runs and runs[-1][2] == position and _follows(runs[-1][1], period):
            runs[-1] = (runs[-1][0], period, position)
        else:
            runs.append((period, period, position))
    by_period = tuple((first, last, plan.members[position]) for first, last, position in runs)
    among = tuple(plan.members[p] for p, _, _ in applying)
    for position, index, ends in applying:
        result = _own(results, index, explain)
        paid: Quantity | None = None
        periods = []
        for period, status, amount in result.periods:
            if status == "applies" and kept.get(period) != position:
                status = "passed_over"
            elif status == "applies" and amount is not None:
                paid = amount if paid is None else paid + amount
            periods.append((period, status, amount))
        result.periods = tuple(periods)
        result.amount, result.range, result.uncapped, result.unrounded = paid, None, None, None
        out = paid is None
        result.choice = Chosen("", among, plan.quote, ends, False, out, (), by_period)
        if explain:
            spans = "；".join(f"{_span(first, last)}「{name}」" for first, last, name in by_period)
            result.steps.append(Step(f"就高不重复: 逐期按金额最高的一项计（{spans}）", plan.line))
    for _position, index in waiting:
        result = _own(results, index, explain)
        result.choice = Chosen("", among, plan.quote, None, False, True, (), by_period)


def _span(first: str, last: str) -> str:
    """`2026-01 至 2026-05`, or `2026-06` for a run of one period."""
    return first if first == last else f"{first} 至 {last}"


def _unsettled(
    results: list[RuleResult],
    indexes: list[int],
    plan: ChoicePlan,
    explain: bool,
    reason: str,
    missing: tuple[str, ...],
) -> None:
    """A choice among rules paid per period, in a case of several periods, that the case
    cannot settle (`_highest_each_period`): nothing is paid rather than the sum of both or a
    guess, and each applying rule says why, waiting on `missing` (the inputs an undetermined
    rule of the choice needs)."""
    among = tuple(results[i].info.name for i in indexes)
    for index in indexes:
        result = _own(results, index, explain)
        result.choice = Chosen("", among, plan.quote, _ends(result))
        result.status, result.reason, result.missing = "undetermined", reason, missing
        result.amount = result.range = result.uncapped = result.unrounded = None
        if explain:
            result.steps.append(Step(reason, plan.line))


def _could_be_kept(fixed: Ends | None, position: int, best: Ends, best_position: int) -> bool:
    """Whether an undetermined rule, if it applied, would be kept over the best applying one."""
    if fixed is None:
        return True  # its amount depends on the case: it may be the highest
    if _rank(fixed) != _rank(best):
        return _rank(fixed) > _rank(best)
    return position < best_position  # a tie keeps the first listed


def _wait(
    result: RuleResult,
    results: list[RuleResult],
    open_: list[tuple[int, int]],
    plan: ChoicePlan,
    explain: bool,
) -> None:
    """The best applying rule, while undetermined rules could be kept: its payment waits on
    them, naming what they need."""
    names = "、".join(plan.members[p] for p, _ in open_)
    missing = tuple(dict.fromkeys(m for _, i in open_ for m in results[i].missing))
    needs = f"; 需要输入 {'、'.join(missing)}" if missing else ""
    reason = f"就高不重复: {names} 是否适用待定, 其金额可能更高{needs}"
    result.status, result.reason, result.missing = "undetermined", reason, missing
    result.amount = result.range = result.uncapped = result.unrounded = None
    if explain:
        result.steps.append(Step(reason, plan.line))
