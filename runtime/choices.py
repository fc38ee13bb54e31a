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
    in a case of several periods is not weighed: its applying rules are undetermined, `kept` ""
    and `pending` empty (`_unsettled`)."""

    _fields = ("kept", "among", "quote", "before", "tie", "out", "pending")
    __slots__ = _fields
    kept: str
    among: tuple[str, ...]
    quote: str
    before: Ends | None
    tie: bool
    out: bool
    pending: tuple[str, ...]

    def __init__(
        self, kept: str, among: tuple[str, ...], quote: str, before: Ends | None,
        tie: bool = False, out: bool = False, pending: tuple[str, ...] = (),
    ):  # fmt: skip
        _set(self, "kept", kept)
        _set(self, "among", among)
        _set(self, "quote", quote)
        _set(self, "before", before)
        _set(self, "tie", tie)
        _set(self, "out", out)
        _set(self, "pending", pending)


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
    if any(_over_periods(results[i]) for _, i, _ in applying):
        _unsettled(results, [i for _, i, _ in applying], plan, explain)
        return
    best_position, best_index, best_ends = applying[0]
    for position, index, ends in applying[1:]:
        if _rank(ends) > _rank(best_ends):  # strictly: a tie keeps the first listed
            best_position, best_index, best_ends = position, index, ends
    open_ = [
        (position, index)
        for position, index in waiting
        if _could_be_kept(plan.fixed[position], position, best_ends, best_position)
    ]
    pending = tuple(plan.members[p] for p, _ in open_)
    among = tuple(plan.members[p] for p, _, _ in applying) + pending
    kept = "" if pending else plan.members[best_position]
    best = _rank(best_ends)
    tied = [i for _, i, ends in applying if i != best_index and _rank(ends) == best]
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


def _unsettled(
    results: list[RuleResult], indexes: list[int], plan: ChoicePlan, explain: bool
) -> None:
    """A choice among rules paid per period, in a case of several periods: the highest of each
    period is not weighed yet (language.md "One of several rules paid"), so nothing is paid
    rather than the sum of both or a guess."""
    reason = (
        "就高不重复: 本案跨多个期间，按期给予的规则尚不逐期就高；"
        "请逐期（如 period: 2026-06）提交案件"
    )
    among = tuple(results[i].info.name for i in indexes)
    for index in indexes:
        result = _own(results, index, explain)
        result.choice = Chosen("", among, plan.quote, _ends(result))
        result.status, result.reason, result.missing = "undetermined", reason, ()
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
