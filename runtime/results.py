"""What evaluation produces and passes around: unknown values, a rule's metadata and its result.

Split from runtime/evaluation.py (which re-exports every name here): the values generated code
and reports share, with no evaluation logic. `FixedResult` is a result shared by many cases (the
fast path's prebuilt ones, runtime/fast.py), refusing any change.
"""

from __future__ import annotations

import decimal
from datetime import date

from policyc.compiler.i18n import _
from policyc.runtime.plain import Frozen, _set
from policyc.runtime.quantity import Quantity
from policyc.runtime.quantity_format import format_months_alike, format_quantity

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, TypeAlias

Value: TypeAlias = "Any"  # Quantity | bool | date | str | dict[str, Quantity]


class Unknown:
    """The value of anything that depends on inputs the case does not give; names them."""

    __slots__ = ("names",)

    def __init__(self, names: tuple[str, ...]):
        self.names = names

    def __bool__(self) -> bool:
        raise TypeError(_("an unknown value was used as a condition"))  # a code generator bug

    def __repr__(self) -> str:
        return f"Unknown({self.names!r})"


def chosen_index(values: Sequence[Any], lowest: bool) -> int:
    """Where the least (`lowest`) or greatest of two or more comparable values is: the first
    of equals, so a tie names the argument written first."""
    best = 0
    for index in range(1, len(values)):
        if (values[index] < values[best]) if lowest else (values[index] > values[best]):
            best = index
    return best


def unknown(*values: Any) -> Unknown | None:
    """The unknowns among `values` merged into one, or None when all are known."""
    found: Unknown | None = None
    for value in values:  # a loop, not a list: this runs for every operation of every rule
        if isinstance(value, Unknown):
            if found is None:
                found = value
            elif value.names != found.names:
                found = Unknown(tuple(dict.fromkeys(found.names + value.names)))
    return found


class EvaluationError(Exception):
    """A rule that could not be evaluated for this case; names the rule and its policy line."""

    def __init__(self, info: RuleInfo, cause: Exception):
        if isinstance(cause, decimal.Inexact):
            why = _("the amount is not an exact decimal (is a yearly rate applied to months?)")
        else:
            why = str(cause)
        super().__init__(
            _("{info_line}: rule `{info_name}` could not be evaluated: {why}").format(
                info_line=info.line,
                info_name=info.name,
                why=why,
            )
        )
        self.info = info


class NotApplicable(Exception):
    """A rule's condition does not hold; carries the reason in the policy's words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def Q(number: str, measure: str | tuple[tuple[str, int], ...]) -> Quantity:
    """A literal of generated code: a number in a measure of the language, or (for a measure the
    policy declares) the stored value and its dimensions, so the module needs no declarations."""
    if isinstance(measure, tuple):
        return Quantity(decimal.Decimal(number), measure)
    return Quantity.of(number, measure)


def zero_of(dims: tuple[tuple[str, int], ...]) -> Quantity:
    """Zero in the given dims: what a sum over no members, or a rule that does not apply, is."""
    return Quantity(decimal.Decimal(0), dims)


class RuleInfo(Frozen):
    """What generated code knows of a rule besides its function (for reports and `--explain`)."""

    _fields = (
        "index",
        "name",
        "owner_kind",
        "owner_number",
        "owner_title",
        "kind",
        "beneficiary",
        "responsible",
        "quotes",
        "line",
        "readings",
        "unspecified",
        "grants",
        "once",
        "valid_by",
        "has_amount",
        "has_cap",
        "role",
        "target",
        "leads",
        "cooperates",
        "law",
        "procedures",
        "limits",
        "refers",
        "description",
        "flow",
        "each",
        "period",
        "deadline",
        "measure",
        "applying",
        "quote_of",
    )
    __slots__ = _fields
    index: int
    name: str
    owner_kind: str  # clause | task | section | policy
    owner_number: str
    owner_title: str
    kind: str
    beneficiary: str
    responsible: tuple[str, ...]
    quotes: tuple[str, ...]
    line: int
    readings: tuple[str, ...]
    unspecified: str
    grants: str
    once: bool
    valid_by: str
    has_amount: bool
    has_cap: bool
    role: str  # rule | target | decision
    target: str  # a target's wording, e.g. 不少于30家（含本数）
    leads: tuple[str, ...]
    cooperates: tuple[str, ...]
    law: str
    procedures: tuple[tuple[str, str, tuple[str, ...]], ...]  # (name, title, steps)
    limits: tuple[tuple[str, str, str], ...]  # (name, the limit as written, its text)
    refers: tuple[str, ...]
    description: str
    flow: str  # paid | waived | payable: which total the amount joins ("" for no amount)
    each: str  # a decided value per member of this role ("members": every member)
    period: str  # `amount … per 月`: "month" (or "year"), the period its amount is for
    # A target's `by` day, YYYY-MM-DD, or a recurring one's code (quarterly, monthly:25,
    # monthly:end, standing: runtime/deadlines.py); "" for a target without one
    deadline: str
    measure: str  # a target's measure as the policy writes it (`亿元`): its figures are shown in it
    # A rule's applicant deadline in words (每月10日前申请（含当日，遇节假日顺延）); "" for none
    applying: str
    # Whose sentences `quotes` are: "" its own (a rule's or target's `quote`), "owner" those of
    # its section, clause or task (it quotes none itself): the reports say which is cited
    quote_of: str

    def __init__(
        self,
        index: int,
        name: str,
        owner_kind: str,
        owner_number: str,
        owner_title: str,
        kind: str,
        beneficiary: str,
        responsible: tuple[str, ...],
        quotes: tuple[str, ...],
        line: int,
        readings: tuple[str, ...],
        unspecified: str,
        grants: str,
        once: bool,
        valid_by: str,
        has_amount: bool,
        has_cap: bool,
        role: str = "rule",
        target: str = "",
        leads: tuple[str, ...] = (),
        cooperates: tuple[str, ...] = (),
        law: str = "",
        procedures: tuple[tuple[str, str, tuple[str, ...]], ...] = (),
        limits: tuple[tuple[str, str, str], ...] = (),
        refers: tuple[str, ...] = (),
        description: str = "",
        flow: str = "",
        each: str = "",
        period: str = "",
        deadline: str = "",
        measure: str = "",
        applying: str = "",
        quote_of: str = "",
    ):  # fmt: skip
        _set(self, "index", index)
        _set(self, "name", name)
        _set(self, "owner_kind", owner_kind)
        _set(self, "owner_number", owner_number)
        _set(self, "owner_title", owner_title)
        _set(self, "kind", kind)
        _set(self, "beneficiary", beneficiary)
        _set(self, "responsible", responsible)
        _set(self, "quotes", quotes)
        _set(self, "line", line)
        _set(self, "readings", readings)
        _set(self, "unspecified", unspecified)
        _set(self, "grants", grants)
        _set(self, "once", once)
        _set(self, "valid_by", valid_by)
        _set(self, "has_amount", has_amount)
        _set(self, "has_cap", has_cap)
        _set(self, "role", role)
        _set(self, "target", target)
        _set(self, "leads", leads)
        _set(self, "cooperates", cooperates)
        _set(self, "law", law)
        _set(self, "procedures", procedures)
        _set(self, "limits", limits)
        _set(self, "refers", refers)
        _set(self, "description", description)
        _set(self, "flow", flow)
        _set(self, "each", each)
        _set(self, "period", period)
        _set(self, "deadline", deadline)
        _set(self, "measure", measure)
        _set(self, "applying", applying)
        _set(self, "quote_of", quote_of)


class Step(Frozen):
    """One line of a rule's trace (`--explain`): what was found, on which line of the policy."""

    _fields = ("text", "line")
    __slots__ = _fields
    text: str
    line: int

    def __init__(self, text: str, line: int):
        _set(self, "text", text)
        _set(self, "line", line)


_NO_STEPS: list[Step] = []  # shared while not explaining: nothing is ever appended to it


class RuleResult:
    """One rule's outcome for one case. A plain class whose unset fields read their class
    defaults: built for every rule of every case, it sets only what differs (a third of the
    cost of a class that sets every field)."""

    # applies | not_applicable | undetermined | unspecified | not_in_force | already_received
    status: str
    info: RuleInfo
    reason: str = ""
    amount: Quantity | None = None
    uncapped: Quantity | None = None
    missing: tuple[str, ...] = ()
    steps: list[Step] = _NO_STEPS  # the trace, with --explain
    value: Any = None  # a decision's value, or the actual figure reported for a target
    unrounded: Quantity | None = None  # the exact amount, when the declared rounding changed it
    shared: Any = None  # runtime.amounts.Share: how a cap shared with other rules treated it
    choice: Any = None  # runtime.choices.Chosen: how a `choose highest of …` treated it
    members: Any = None  # an `each` rule: a MemberResult per member of its role (runtime.people)
    periods: Any = None  # a monthly rule in a year's case: (month, status, amount) per month
    # `amount range LOW to HIGH` (a fine set within a range): (low, high), `amount` None
    range: tuple[Quantity, Quantity] | None = None
    # A target not met or not reported that has a `by` day: "in_progress" on or before that day
    # (尚未到期), "overdue" after it (逾期); "" otherwise (runtime/evaluation.py `run_target`).
    # "standing" for a 长期坚持 target (never overdue); "unknown" when the day in view cannot be
    # told (`refused` says why). runtime/deadlines.py.
    due: str = ""
    deadline: str = ""  # with `due`: the deadline in view, YYYY-MM-DD ("" for a standing one)
    # 遇节假日顺延 moved the deadline in view: (the day as written, YYYY-MM-DD, the words saying
    # so: 2023年11月25日为星期六，顺延至11月27日); None when not moved
    postponed: tuple[str, str] | None = None
    # Why the deadline in view cannot be told (`due` "unknown": 顺延 to a day the official calendar
    # of working days does not know, runtime/workdays.CalendarUnknown's message); "" otherwise.
    # The result is still given; `run` exits 1 and its JSON lists the rule under "refused".
    refused: str = ""
    # A rule's applicant deadline on the evaluation date (runtime/applications.py): an Applying
    # (the day, moved by 顺延, the application date and whether it was in time); None without one
    applying: Any = None

    _FIELDS = (
        "info", "status", "reason", "amount", "uncapped", "missing", "steps", "value",
        "unrounded", "shared", "members", "periods", "range", "due", "deadline",
        "postponed", "choice", "refused", "applying",
    )  # fmt: skip

    def __init__(
        self,
        info: RuleInfo,
        status: str,
        reason: str = "",
        *,
        missing: tuple[str, ...] = (),
        steps: list[Step] | None = None,
    ):
        self.info = info
        self.status = status
        if reason:
            self.reason = reason
        if missing:
            self.missing = missing
        if steps is not None:
            self.steps = steps

    @property
    def low(self) -> Quantity | None:
        """The low end of an `amount range` (what `expect: {low: …}` compares)."""
        return self.range[0] if self.range is not None else None

    @property
    def high(self) -> Quantity | None:
        """The high end of an `amount range`."""
        return self.range[1] if self.range is not None else None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RuleResult):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable, as attrs.define made it

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._FIELDS)
        return f"RuleResult({shown})"


class FixedResult(RuleResult):
    """A result built once and handed to every case that reaches it (a rule whose first condition
    fails for the case's type, runtime/fast.py): equal to the RuleResult with the same fields,
    and immutable — setting a field raises AttributeError, so no report can change another
    case's answer through it."""

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a shared result is immutable (tried to set {name})")


def fixed_result(
    info: RuleInfo, status: str, reason: str = "", missing: tuple[str, ...] = ()
) -> FixedResult:
    """An immutable result with these fields (the others at their defaults)."""
    result = FixedResult.__new__(FixedResult)
    fields = result.__dict__
    fields["info"], fields["status"] = info, status
    if reason:
        fields["reason"] = reason
    if missing:
        fields["missing"] = missing
    return result


def show_value(value: Value) -> str:
    """A value as the trace and the text report write it."""
    return _show(value)


def show_pair(left: Value, right: Value) -> tuple[str, str]:
    """Two values compared, as the trace writes them: durations in one measure."""
    if isinstance(left, Quantity) and isinstance(right, Quantity):
        alike = format_months_alike(left, right)
        if alike is not None:
            return alike
    return _show(left), _show(right)


def _show(value: Value) -> str:
    if isinstance(value, Quantity):
        if not value.dims and value.percent:  # written or computed as a percentage
            return f"{(value.value * 100).normalize():f}%"
        return format_quantity(value)  # a plain number as itself: 6
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)
