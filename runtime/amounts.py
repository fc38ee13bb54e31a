"""What happens to each rule's amount after its own cap: rounding, then caps shared by rules.

Amounts are exact until the rounding (language.md "Rounding"): a rule's amount after its cap is
rounded to 分, 角 or 元 in the declared mode. Then each cap shared by several rules
("同一企业每年享受第一至四条的补贴合计不超过30万元") is shared out among its rules in the declared
order: each rule receives what it asks, up to what the earlier ones left of the cap. A case is one
beneficiary in one period, as for a rule's own `cap … per 企业 per 年`.

Between the two, of the rules of each `choose highest of …` only the highest is kept
(runtime/choices.py). All run on the results of one case (`apply_after_caps`), in the per-case
path and in the batch path's per-case fallback, so the two agree by construction.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from decimal import Decimal

from policyc.runtime.choices import ChoicePlan, apply_choices
from policyc.runtime.evaluation import RuleResult, Step, show_value
from policyc.runtime.plain import Frozen, _set
from policyc.runtime.quantity import Quantity
from policyc.runtime.results import Unknown

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "MODE_WORDS",
    "ROUNDING_MODES",
    "ROUNDING_UNITS",
    "Rounding",
    "Share",
    "SharedCapPlan",
    "apply_after_caps",
]

# The declared modes, by their English keyword and their Chinese name.
ROUNDING_MODES: dict[str, str] = {
    "half_up": decimal.ROUND_HALF_UP,  # 四舍五入: a half goes away from zero
    "四舍五入": decimal.ROUND_HALF_UP,
    "down": decimal.ROUND_DOWN,  # 舍去: toward zero
    "舍去": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,  # 进一: away from zero
    "进一": decimal.ROUND_UP,
    "half_even": decimal.ROUND_HALF_EVEN,  # 银行家舍入: a half goes to the even digit
    "银行家舍入": decimal.ROUND_HALF_EVEN,
}
CANONICAL_MODES = {
    decimal.ROUND_HALF_UP: "half_up",
    decimal.ROUND_DOWN: "down",
    decimal.ROUND_UP: "up",
    decimal.ROUND_HALF_EVEN: "half_even",
}
MODE_WORDS = {"half_up": "四舍五入", "down": "舍去", "up": "进一", "half_even": "银行家舍入"}
# Decimal places of 元 each unit keeps.
ROUNDING_UNITS = {"分": 2, "角": 1, "元": 0}


class Rounding(Frozen):
    """Round an amount (in 元, or 美元) to `places` decimals in `mode` (a key of MODE_WORDS)."""

    _fields = ("unit", "mode", "declared_by", "because", "line")
    __slots__ = _fields
    unit: str  # 分 | 角 | 元
    mode: str  # half_up | down | up | half_even
    # "rule" (the document says so for the rule: `round to`), "document" (the policy's default
    # that the document states: `rounding … quote "…"`) or "policy" (its default, a reading)
    declared_by: str
    because: str  # the reading's reason, or for "document" the document's sentence
    line: int  # the policy line that declares it (0: unknown), cited by --explain's step

    def __init__(self, unit: str, mode: str, declared_by: str, because: str = "", line: int = 0):
        _set(self, "unit", unit)
        _set(self, "mode", mode)
        _set(self, "declared_by", declared_by)
        _set(self, "because", because)
        _set(self, "line", line)

    @property
    def by_document(self) -> bool:
        """The document states this rounding (a rule's `round to`, or a quoted `rounding`)."""
        return self.declared_by in ("rule", "document")

    @property
    def places(self) -> int:
        return ROUNDING_UNITS[self.unit]

    @property
    def wording(self) -> str:
        """按四舍五入保留到分."""
        return f"按{MODE_WORDS[self.mode]}保留到{self.unit}"

    def apply(self, amount: Quantity) -> Quantity:
        exponent = Decimal(1).scaleb(-self.places)
        rounded = amount.value.quantize(exponent, rounding=ROUNDING_MODES[self.mode])
        return Quantity(rounded, amount.dims)


class SharedCapPlan(Frozen):
    """A cap shared by `members` (rule names, in the order the cap is shared out). `limit` is
    the amount the document states, or None where the case gives it (第三十九条: 生前工资): the
    generated module then computes it per case (`SHARED_LIMITS`) and `limit_text` is how the
    document names it."""

    _fields = ("name", "limit", "members", "order", "because", "line", "limit_text")
    __slots__ = _fields
    name: str
    limit: Quantity | None
    members: tuple[str, ...]
    order: str  # as_listed | proportional
    because: str
    line: int
    limit_text: str  # 生前工资; "" for a stated amount

    def __init__(
        self, name: str, limit: Quantity | None, members: tuple[str, ...], order: str,
        because: str, line: int, limit_text: str = "",
    ):  # fmt: skip
        _set(self, "name", name)
        _set(self, "limit", limit)
        _set(self, "members", members)
        _set(self, "order", order)
        _set(self, "because", because)
        _set(self, "line", line)
        _set(self, "limit_text", limit_text)


class Share(Frozen):
    """How a shared cap treated one rule: what it asked (`before`), what it received (`after`),
    and what the rules before it had used of the cap (`used_before`); under `order
    proportional` (`order`), `used_before` is what all its rules asked together."""

    _fields = (
        "cap", "limit", "before", "after", "used_before", "position", "order", "limit_text",
    )  # fmt: skip
    __slots__ = _fields
    cap: str
    limit: Quantity
    before: Quantity
    after: Quantity
    used_before: Quantity
    position: int  # 1 for the first rule served
    order: str  # as_listed, proportional
    limit_text: str  # what the case's limit is (生前工资); "" for a limit the document states

    def __init__(
        self, cap: str, limit: Quantity, before: Quantity, after: Quantity,
        used_before: Quantity, position: int, order: str = "as_listed", limit_text: str = "",
    ):  # fmt: skip
        _set(self, "cap", cap)
        _set(self, "limit", limit)
        _set(self, "before", before)
        _set(self, "after", after)
        _set(self, "used_before", used_before)
        _set(self, "position", position)
        _set(self, "order", order)
        _set(self, "limit_text", limit_text)


def apply_after_caps(
    results: list[RuleResult],
    roundings: Mapping[str, Rounding],
    shared_caps: Sequence[SharedCapPlan],
    explain: bool,
    choices: Sequence[ChoicePlan] = (),
    limits: Mapping[str, Any] | None = None,
) -> None:
    """Round each rule's amount, keep the highest rule of each choice (runtime/choices.py: it
    may put a copy of a result shared by cases in its place), then share out each shared cap, in
    place on `results`. `limits`: the case's limit of each cap whose limit the case gives (a
    Quantity, or an Unknown naming what it needs), by the cap's name."""
    by_name = {r.info.name: r for r in results if r.info.role == "rule"}
    for name, rounding in roundings.items():
        result = by_name.get(name)
        if result is not None and result.amount is not None:
            _round(result, rounding, explain)
    if choices:
        apply_choices(results, choices, explain)
        by_name = {r.info.name: r for r in results if r.info.role == "rule"}
    for plan in shared_caps:
        members = [by_name[m] for m in plan.members if m in by_name]
        limit = plan.limit if plan.limit is not None else (limits or {}).get(plan.name)
        if isinstance(limit, Quantity):
            if limit.value < 0:  # a case's limit below zero (生前工资 − 扣减) leaves nothing
                limit = limit - limit
            _share(plan, limit, members, explain)
        else:  # the case leaves the limit unknown: the capped rules are undetermined
            names = limit.names if isinstance(limit, Unknown) else ()
            _limit_unknown(plan, names, members)


def _limit_unknown(plan: SharedCapPlan, names: tuple[str, ...], members: list[RuleResult]) -> None:
    """A limit the case does not give (生前工资 needs 平均月缴费工资): every applying rule under
    it is undetermined, naming the inputs the limit needs; a rule that does not apply uses none
    of it, and an undetermined one stays so, needing the limit's inputs as well."""
    for result in members:
        if result.status not in ("applies", "undetermined"):
            continue
        needed = tuple(dict.fromkeys((*result.missing, *names)))
        if result.status == "applies":
            result.reason = (
                f"合计上限「{plan.name}」{plan.limit_text} 未定; 需要输入 {'、'.join(needed)}"
            )
            result.amount = None
        result.status, result.missing = "undetermined", needed


def _round(result: RuleResult, rounding: Rounding, explain: bool) -> None:
    assert result.amount is not None
    from policyc.runtime.people_ops import round_members  # each member's payment: people_ops

    rounded = round_members(result, rounding) or rounding.apply(result.amount)
    if rounded.value != result.amount.value:
        result.unrounded = result.amount
        result.amount = rounded
    # the trace says a rounding that changed the amount: 36,000元 → 36,000元 says nothing
    if explain and result.unrounded is not None:
        result.steps.append(
            Step(
                f"舍入: {show_value(result.unrounded or rounded)} {rounding.wording} → "
                f"{show_value(rounded)}",
                rounding.line or result.info.line,
            )
        )


def _share(plan: SharedCapPlan, limit: Quantity, members: list[RuleResult], explain: bool) -> None:
    """In order: each applying rule receives min(its amount, what is left of the cap `limit`).
    After a rule that is undetermined, what is left is unknown, so the later ones are
    undetermined. `order proportional`: `_share_proportionally`."""
    if plan.order == "proportional":
        _share_proportionally(plan, limit, members, explain)
        return
    used = limit - limit
    waiting: list[RuleResult] = []  # undetermined members: what they use is unknown
    position = 0
    for result in members:
        if result.status == "undetermined":
            waiting.append(result)
            continue
        if result.status != "applies" or result.amount is None:
            continue
        position += 1
        asked = result.amount
        if waiting:
            names = _wait_for(result, waiting)
            result.reason = (
                f"合计上限「{plan.name}」先分给 {'、'.join(w.info.name for w in waiting)}, "
                f"其金额未定{_what_decides(names, waiting)}"
            )
            result.shared = Share(
                plan.name, limit, asked, asked, used, position, plan.order, plan.limit_text
            )
            result.amount = None
            continue
        left = limit - used
        if left.value < 0:
            left = limit - limit
        given = asked if asked <= left else left
        result.shared = Share(
            plan.name, limit, asked, given, used, position, plan.order, plan.limit_text
        )
        result.amount = given
        used = used + given
        if explain:
            text = (
                f"合计上限「{plan.name}」{_limit_words(plan, limit)}: "
                f"此前已用 {show_value(used - given)}, "
                f"本项 {show_value(asked)} → {show_value(given)}"
            )
            result.steps.append(Step(text, plan.line))
        # `as_listed` ranks the rules, not one rule's members: a cut of an `each` rule is not
        # shared among them (the document does not say how), each keeps what it asked and the
        # answer says the rule's amount is theirs to share (cli/people_report.household_split)


_CENT = Decimal("0.01")


def _limit_words(plan: SharedCapPlan, limit: Quantity) -> str:
    """30万元, or where the case gives the limit its name and value: 生前工资 7,000元."""
    return f"{plan.limit_text} {show_value(limit)}" if plan.limit_text else show_value(limit)


def _wait_for(result: RuleResult, waiting: list[RuleResult]) -> tuple[str, ...]:
    """`result` undetermined while the shared cap's earlier rules `waiting` are: the inputs they
    wait for (its `missing`, returned). One refused by the official calendar of working days
    (`RuleResult.refused`: no input decides it) leaves this one refused alike, with its message:
    listed by `run`, which exits 1, never waiting for an input that would not settle it."""
    names = tuple(dict.fromkeys(m for w in waiting for m in w.missing))
    result.status, result.missing = "undetermined", names
    refused = next((w.refused for w in waiting if w.refused), "")
    if refused:
        result.refused = refused
    return names


def _what_decides(names: tuple[str, ...], waiting: list[RuleResult]) -> str:
    """The end of a reason saying what would settle the earlier rules: `; 需要输入 A、B`, and
    for those the calendar cannot answer `; 按时办结 按工作日计算无法判定`."""
    said = f"; 需要输入 {'、'.join(names)}" if names else ""
    refused = [w.info.name for w in waiting if w.refused]
    return said + (f"; {'、'.join(refused)} 按工作日计算无法判定" if refused else "")


def _share_proportionally(
    plan: SharedCapPlan, limit: Quantity, members: list[RuleResult], explain: bool
) -> None:
    """按比例核减: when the applying rules ask more than the cap together, each receives its
    amount × cap ÷ total, cut down to the 分; the 分 left over (fewer than the rules) go one
    each to the largest remainders, ties to the rule listed first — so the shares add up to
    the cap exactly. A total under the cap pays each in full. One rule undetermined leaves the
    total unknown: every other applying rule is then undetermined too."""
    applying = [r for r in members if r.status == "applies" and r.amount is not None]
    waiting = [r for r in members if r.status == "undetermined"]
    zero = limit - limit
    if waiting:
        for result in applying:
            assert result.amount is not None
            names = _wait_for(result, waiting)
            unknown = "、".join(w.info.name for w in waiting)
            result.reason = (
                f"合计上限「{plan.name}」按比例核减, 各项合计未定（{unknown} 的金额未定）"
                f"{_what_decides(names, waiting)}"
            )
            result.shared = Share(
                plan.name, limit, result.amount, result.amount, zero, 0, plan.order,
                plan.limit_text,
            )  # fmt: skip
            result.amount = None
        return
    total = zero
    for result in applying:
        assert result.amount is not None
        total = total + result.amount
    cut = total.value > limit.value
    asked_values = [r.amount.value for r in applying if r.amount is not None]
    shares = split_in_proportion(asked_values, limit.value) if cut else asked_values
    for position, (result, value) in enumerate(zip(applying, shares, strict=True), 1):
        asked = result.amount
        assert asked is not None
        given = Quantity(value, asked.dims)
        result.shared = Share(
            plan.name, limit, asked, given, total, position, plan.order, plan.limit_text
        )
        result.amount = given
        if explain:
            text = (
                f"合计上限「{plan.name}」{_limit_words(plan, limit)}: 各项合计 {show_value(total)}"
                + (
                    f", 按比例核减: 本项 {show_value(asked)} × {show_value(limit)} ÷ "
                    f"{show_value(total)} → {show_value(given)}"
                    if cut
                    else f", 未超过上限: 本项 {show_value(asked)}"
                )
            )
            result.steps.append(Step(text, plan.line))
        _members_share(result, given, explain, plan.line)  # after the rule's own step


def split_in_proportion(amounts: Sequence[Decimal], limit: Decimal) -> list[Decimal]:
    """`limit` shared out in proportion to `amounts` (元, each ≥ 0, their sum above `limit`):
    each amount × limit ÷ sum, cut down to the 分; the 分 left over (fewer than the amounts) go
    one each to the largest remainders, ties to the one listed first — so the shares add up to
    the limit cut down to the 分. 2,800元 and 4,900元 under 7,000元: 2,545.45元 and
    4,454.55元."""
    total = sum(amounts, Decimal(0))
    shares: list[Decimal] = []
    remainders: list[Decimal] = []
    for amount in amounts:
        with decimal.localcontext() as exact:
            exact.prec = 60  # amount × cap ÷ total, far past the 分 (never rounded up)
            share = amount * limit / total
        floor = share.quantize(_CENT, rounding=decimal.ROUND_DOWN)
        shares.append(floor)
        remainders.append(share - floor)
    left = int((limit - sum(shares, Decimal(0))) / _CENT)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-remainders[i], i))
    for i in by_remainder[:left]:
        shares[i] += _CENT
    return shares


def _members_share(result: RuleResult, given: Quantity, explain: bool, line: int) -> None:
    """A rule paid `each` member whose total a shared cap `order proportional` (按比例核减) cut:
    each member receives a share of what the rule received, in proportion to what the member
    asked (`split_in_proportion`), and keeps what it asked as `uncapped` (李母 2,800元 →
    2,545.46元), as the document's proportion says. Under `order as_listed` nothing says how
    one rule's members share its cut, and none is worked out."""
    members = result.members
    if not members:
        return
    paying = [i for i, m in enumerate(members) if m.status == "applies" and m.amount is not None]
    asked = sum((members[i].amount.value for i in paying), Decimal(0))
    if not paying or asked <= given.value:
        return
    shares = split_in_proportion([members[i].amount.value for i in paying], given.value)
    cut = list(members)
    for i, share in zip(paying, shares, strict=True):
        m = members[i]
        before = m.uncapped if m.uncapped is not None else m.amount
        cut[i] = m.evolve(amount=Quantity(share, m.amount.dims), uncapped=before)
    result.members = tuple(cut)
    if explain:  # 各成员按比例分得 4454.55元: 李母 2800元 → 2545.46元，李子 2100元 → 1909.09元
        each = "，".join(
            f"{members[i].member} {show_value(members[i].amount)} → {show_value(cut[i].amount)}"
            for i in paying
        )
        result.steps.append(Step(f"各成员按比例分得 {show_value(given)}: {each}", line))
