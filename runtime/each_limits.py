"""At most N members paid by a rule paid `each` member (compiler/each_limits.py checks it).

"同一农户每年享受补贴的机具不超过2台": of the members the rule applies to, at most N less those
already paid are paid, chosen in the declared order (a member's value, highest or lowest
first, ties in the case's listing order; or the case's listing order); the others do not
apply, their reason naming the limit. The order is read only when it chooses (more members
apply than remain to be paid, and some remain): a member lacking its value then leaves the rule
undetermined, never guessed.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR, Decimal

from policyc.runtime.quantity import Quantity
from policyc.runtime.quantity_format import format_quantity

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run`
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from policyc.runtime.evaluation import Ctx

# (key text, descending, the key's value for the member in view) per option of the reading
# ("" for a fixed order); key text "" is the case's listing order.
Order = tuple[str, bool, "Callable[[], Any] | None"]


class EachLimit:
    """A limit as the generated module states it: `most` (a count in the group's measure),
    `less` (what is already paid, read outside any member) and its text, the reading that
    chooses the order ("" for one order) and the orders by option."""

    __slots__ = ("less", "less_text", "most", "orders", "reading", "text")

    def __init__(
        self,
        most: Quantity,
        less: Callable[[], Any] | None,
        less_text: str,
        reading: str,
        orders: dict[str, Order],
        text: str,
    ):
        self.most, self.less, self.less_text = most, less, less_text
        self.reading, self.orders, self.text = reading, orders, text


class LimitOverPeriods(Exception):
    """A limit on the members paid, met while a rule paid per period is evaluated for each
    month of a year's case: the limit counts the members of one case, so month by month it
    would let other members in each month (at most 2 a year, 3 paid) — refused, not guessed."""

    def __init__(self, limit: EachLimit):
        from policyc.compiler.i18n import _

        super().__init__(
            _(
                "the limit {text} counts the members of one case; a rule paid per period is "
                "evaluated month by month in a year's case, where the limit cannot be kept: "
                "evaluate each month (period: YYYY-MM) with `less` saying who was paid before"
            ).format(text=f"「{limit.text}」")
        )


def order_words(key: str, descending: bool, dated: bool = False) -> str:
    """`销售价格从高到低`, `销售价格从低到高`, `案例所列顺序`: how the order reads; by a date
    (`dated`) `出生日期从早到晚` (ascending) or `出生日期从晚到早` (descending)."""
    if not key:
        return "案例所列顺序"
    if dated:
        return f"{key}{'从晚到早' if descending else '从早到晚'}"
    return f"{key}{'从高到低' if descending else '从低到高'}"


def apply_limit(ctx: Ctx, limit: EachLimit, outcomes: list[tuple[Any, Any]], line: int) -> Any:
    """`outcomes` (member, outcome) with the members past the limit turned into reasons, in
    place; an Unknown when what is already paid, or the order of the members that apply, is
    missing (those members then undetermined by it); None otherwise."""
    from policyc.runtime.evaluation import Unknown, unknown

    applying = [i for i, (_, outcome) in enumerate(outcomes) if isinstance(outcome, tuple)]
    already = limit.less() if limit.less is not None else limit.most - limit.most
    if isinstance(already, Unknown):
        return _undecided(outcomes, applying, already)
    room = limit.most - already
    slots = max(int(room.value.to_integral_value(rounding=ROUND_FLOOR)), 0)
    at_most = format_quantity(Quantity(Decimal(slots), limit.most.dims))
    before = f"{limit.less_text or '已享受'} {format_quantity(already)}"
    head = f"限额「{limit.text}」: {before}，本次至多 {at_most}"
    if len(applying) <= slots:
        if ctx.explain:
            ctx.step(f"{head}；符合条件 {len(applying)}，全部计发", line)
        return None
    option = ctx.reading(limit.reading) if limit.reading else ""
    key, descending, value_of = limit.orders[option]
    ranked = applying
    values: dict[int, Any] = {}
    if slots > 0 and value_of is not None:
        missing: Any = None
        saved = ctx.member
        try:
            for i in applying:
                ctx.member = outcomes[i][0]
                values[i] = value_of()
                if isinstance(values[i], Unknown):
                    missing = unknown(missing, values[i])
        finally:
            ctx.member = saved
        if missing is not None:
            return _undecided(outcomes, applying, missing)
        # sorted() is stable, also with reverse=True: ties keep the case's listing order
        ranked = sorted(applying, key=lambda i: values[i], reverse=descending)
    paid = set(ranked[:slots])
    words = order_words(key, descending, any(isinstance(v, date) for v in values.values()))
    for rank, i in enumerate(ranked, start=1):
        if i in paid:
            continue
        member, _outcome = outcomes[i]
        if slots == 0:
            reason = f"超出限额「{limit.text}」: {before}，本次不再计发"
        else:
            reason = f"超出限额「{limit.text}」: {before}，本次至多 {at_most}，按{words}排第 {rank}"
        outcomes[i] = (member, reason)
    if ctx.explain:
        shown = "、".join(
            f"{outcomes[i][0].name}" + (f" {_shown(values[i])}" if i in values else "")
            for i in ranked
        )
        chosen = "、".join(outcomes[i][0].name for i in ranked[:slots]) or "无"
        ctx.step(f"{head}；按{words}: {shown} → 计发 {chosen}", line)
    return None


def _undecided(outcomes: list[tuple[Any, Any]], applying: list[int], missing: Any) -> Any:
    """`missing`, each member the rule applies to left undetermined by it: which of them are
    paid is not known."""
    for i in applying:
        outcomes[i] = (outcomes[i][0], missing)
    return missing


def _shown(value: Any) -> str:
    if isinstance(value, Quantity):
        return format_quantity(value)
    if isinstance(value, Decimal):
        return str(value)
    return str(value)
