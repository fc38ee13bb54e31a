"""The helpers generated policy code may use, and the results it produces.

Generated modules import exactly the names in `__all__` (the compiler's template says so), much
as Jinja2's runtime declares what templates may call. Conditions follow three-valued logic: an
input the case does not give is *unknown*, never false and never a guess; a rule whose outcome
depends on an unknown input is *undetermined* and names the inputs it needs.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from policyc.runtime.dates import year_of_operation
from policyc.runtime.quantity import MeasureError, Quantity, format_quantity

__all__ = [
    "Ctx",
    "Missing",
    "NotApplicable",
    "Q",
    "RuleInfo",
    "add",
    "date",
    "mul",
    "sub",
]

Value = Any  # Quantity | bool | date | str | dict[str, Quantity]


class Missing(Exception):
    """An input the case does not give; carries its name."""

    def __init__(self, *names: str):
        super().__init__(", ".join(names))
        self.names = names


class EvaluationError(Exception):
    """A rule that could not be evaluated for this case; names the rule and its policy line."""

    def __init__(self, info: RuleInfo, cause: Exception):
        if isinstance(cause, decimal.Inexact):
            why = "the amount is not an exact decimal (is a yearly rate applied to months?)"
        else:
            why = str(cause)
        super().__init__(f"{info.line}: rule `{info.name}` could not be evaluated: {why}")
        self.info = info


class NotApplicable(Exception):
    """A rule's condition does not hold; carries the reason in the policy's words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def Q(number: str, measure: str) -> Quantity:
    return Quantity.of(number, measure)


@attrs.frozen
class RuleInfo:
    """What generated code knows of a rule besides its function (for reports and `--explain`)."""

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
    role: str = "rule"  # rule | target | decision
    target: str = ""  # a target's wording, e.g. 不少于30家（含本数）
    leads: tuple[str, ...] = ()
    cooperates: tuple[str, ...] = ()
    law: str = ""
    procedures: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (name, title, steps)
    refers: tuple[str, ...] = ()
    description: str = ""


@attrs.frozen
class Step:
    text: str
    line: int


@attrs.define
class RuleResult:
    info: RuleInfo
    # applies | not_applicable | undetermined | unspecified | not_in_force | already_received
    status: str
    reason: str = ""
    amount: Quantity | None = None
    uncapped: Quantity | None = None
    missing: tuple[str, ...] = ()
    steps: list[Step] = attrs.Factory(list)
    value: Any = None  # a decision's value, or the actual figure reported for a target


def show_value(value: Value) -> str:
    """A value as the trace and the text report write it."""
    return _show(value)


def _show(value: Value) -> str:
    if isinstance(value, Quantity):
        if not value.dims:  # plain ratios in these documents are percentages
            return f"{(value.value * 100).normalize():f}%"
        return format_quantity(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _keyed(op: Callable[[Any, Any], Any], a: Value, b: Value) -> Value:
    # Tables and tallies (dicts keyed by enum members) combine member by member; a missing
    # member of a tally is zero of it.
    if isinstance(a, dict) and isinstance(b, dict):
        keys = [k for k in a if k in b]
        return {k: op(a[k], b[k]) for k in keys}
    if isinstance(a, dict):
        return {k: op(v, b) for k, v in a.items()}
    if isinstance(b, dict):
        return {k: op(a, v) for k, v in b.items()}
    return op(a, b)


def add(a: Value, b: Value) -> Value:
    return _keyed(lambda x, y: x + y, a, b)


def sub(a: Value, b: Value) -> Value:
    return _keyed(lambda x, y: x - y, a, b)


def mul(a: Value, b: Value) -> Value:
    return _keyed(lambda x, y: x * y, a, b)


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "ge": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "le": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
}


class Ctx:
    """One evaluation of one case: the inputs, the date, the readings, and the trace."""

    def __init__(
        self,
        inputs: Mapping[str, Value],
        on: date,
        readings: Mapping[str, str],
        valid_from: date | None,
        valid_until: date | None,
        explain: bool = False,
    ):
        self.inputs = inputs
        self.on = on
        self.readings = readings
        self.valid_from = valid_from
        self.valid_until_date = valid_until
        self.explain = explain
        self.steps: list[Step] = []
        self._memo: dict[str, Value] = {}

    def use(self, name: str, function: Callable[[Ctx], Value], line: int = 0) -> Value:
        """A `define` or `decide`, computed once per case; later uses cite the value."""
        if name in self._memo:
            outcome = self._memo[name]
            if isinstance(outcome, Missing):
                raise outcome
            if self.explain:
                self.step(f"{name} = {_show(outcome)}", line)
            return outcome
        try:
            value = function(self)
        except Missing as exc:
            self._memo[name] = exc
            raise
        self._memo[name] = value
        return value

    def in_force(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_until_date is None or day <= self.valid_until_date

    def run_rule(
        self,
        info: RuleInfo,
        function: Callable[[Ctx], tuple[Quantity | None, Quantity | None]],
        received: frozenset[str],
    ) -> RuleResult:
        """Evaluate one rule: validity, `once`, conditions, amount and cap, in that order."""
        self.steps = []
        result = RuleResult(info, "applies", steps=self.steps)
        day: date | None = self.on
        if info.valid_by:
            # Judged on the anchor date; when the case lacks it, the conditions may still show
            # the rule does not apply at all, which says more than "undetermined".
            day = self.inputs.get(info.valid_by)
        if day is not None and not self.in_force(day):
            result.status = "not_in_force"
            which = f"{info.valid_by} {day.isoformat()}" if info.valid_by else day.isoformat()
            result.reason = f"政策在 {which} 不在有效期内"
            return result
        if info.once and info.name in received:
            result.status, result.reason = "already_received", "一次性奖补, 案例记载已领取"
            return result
        try:
            amount, uncapped = function(self)
        except NotApplicable as exc:
            result.status, result.reason = "not_applicable", exc.reason
            return result
        except (ArithmeticError, MeasureError) as exc:
            # A value the checker could not foresee (an inexact product of measures): name the
            # rule and its policy line, not a line of generated Python.
            raise EvaluationError(info, exc) from None
        except Missing as exc:
            names = exc.names if day is not None else (info.valid_by, *exc.names)
            result.status, result.missing = "undetermined", names
            result.reason = "需要输入 " + "、".join(names)
            return result
        if day is None:
            result.status, result.missing = "undetermined", (info.valid_by,)
            result.reason = f"需要输入 {info.valid_by}"
            return result
        if info.unspecified:
            result.status, result.reason = "unspecified", info.unspecified
        result.amount, result.uncapped = amount, uncapped
        return result

    def run_decision(self, info: RuleInfo, function: Callable[[Ctx], Value]) -> RuleResult:
        """A `decide`d value (a warning level, a unit), with the steps that decided it."""
        self.steps = []
        result = RuleResult(info, "decided", steps=self.steps)
        try:
            result.value = self.use(info.name, function)
        except Missing as exc:
            result.status, result.missing = "undetermined", exc.names
            result.reason = "需要输入 " + "、".join(exc.names)
        return result

    def run_target(self, info: RuleInfo, function: Callable[[Ctx], bool]) -> RuleResult:
        """A target: met, not met, or not reported (the case gives no figure for it)."""
        self.steps = []
        result = RuleResult(info, "met", steps=self.steps)
        result.value = self.inputs.get(info.name)
        try:
            if not function(self):
                result.status = "not_met"
        except Missing:
            result.status, result.reason = "not_reported", f"案例未报告 {info.name} 的完成情况"
        return result

    def about(
        self, actual: Quantity, value: Quantity, tolerance: Quantity | None, text: str, line: int
    ) -> bool:
        """左右: within the declared tolerance on either side (none declared: exactly)."""
        margin = tolerance if tolerance is not None else value - value
        result = value - margin <= actual <= value + margin
        if self.explain:
            self.step(f"{text}: 实际 {_show(actual)} → {'达到' if result else '未达到'}", line)
        return result

    # ---- ordered enums and series ----
    def cmp_ranked(
        self, op: str, left: str, right: str, order: tuple[str, ...], text: str, line: int
    ) -> bool:
        result = _OPS[op](order.index(left), order.index(right))
        if self.explain:
            self.step(f"{text}: {left} 对 {right} → {'成立' if result else '不成立'}", line)
        return result

    def max_ranked(self, a: str, b: str, order: tuple[str, ...]) -> str:
        return a if order.index(a) >= order.index(b) else b

    def min_ranked(self, a: str, b: str, order: tuple[str, ...]) -> str:
        return a if order.index(a) <= order.index(b) else b

    def cmp_series(
        self, op: str, series: tuple[Quantity, ...], value: Quantity, text: str, line: int
    ) -> tuple[bool, ...]:
        flags = tuple(_OPS[op](item, value) for item in series)
        if self.explain:
            marks = "".join("●" if f else "○" for f in flags)
            self.step(f"{text}: 逐日 {marks}", line)
        return flags

    def longest_run(self, flags: tuple[bool, ...]) -> Quantity:
        best = run = 0
        for flag in flags:
            run = run + 1 if flag else 0
            best = max(best, run)
        return Quantity.of(best, "日")

    def first(self, series: tuple[Quantity, ...]) -> Quantity:
        if not series:
            raise NotApplicable("序列为空")
        return series[0]

    def highest(self, series: tuple[Quantity, ...]) -> Quantity:
        if not series:
            raise NotApplicable("序列为空")
        return max(series, key=lambda q: q.value)

    def require(self, conditions: tuple[tuple[Callable[[], bool], str, int], ...]) -> None:
        """All `when`s must hold. A false one decides (with its text as the reason) even if
        another is unknown; otherwise unknown inputs make the rule undetermined."""
        missing: list[str] = []
        for condition, text, line in conditions:
            try:
                if not condition():
                    if self.explain:
                        self.step(f"条件不成立: {text}", line)
                    raise NotApplicable(f"条件不成立: {text}")
                if self.explain:
                    self.step(f"条件成立: {text}", line)
            except Missing as exc:
                missing.extend(name for name in exc.names if name not in missing)
        if missing:
            raise Missing(*missing)

    def amount(self, value: Quantity, text: str, names: tuple[str, ...], line: int) -> Quantity:
        if self.explain:
            given = "，".join(f"{n} = {_show(self.inputs[n])}" for n in names if n in self.inputs)
            where = f"（其中 {given}）" if given else ""
            self.step(f"金额 = {text} = {_show(value)}{where}", line)
        return value

    def capped(self, value: Quantity, cap: Quantity, line: int) -> tuple[Quantity, Quantity | None]:
        """The amount after the cap, and the amount before it when the cap bit."""
        if value > cap:
            if self.explain:
                self.step(f"封顶: {_show(value)} 超过上限 {_show(cap)}, 按 {_show(cap)} 计", line)
            return cap, value
        if self.explain:
            self.step(f"未超过上限 {_show(cap)}", line)
        return value, None

    # ---- values ----
    def get(self, name: str) -> Value:
        try:
            return self.inputs[name]
        except KeyError:
            raise Missing(name) from None

    def reading(self, name: str) -> str:
        return self.readings[name]

    def on_date(self) -> date:
        return self.on

    def valid_until(self) -> date:
        assert self.valid_until_date is not None  # the checker requires a validity period
        return self.valid_until_date

    def step(self, text: str, line: int) -> None:
        if self.explain:
            self.steps.append(Step(text, line))

    # ---- conditions (three-valued: True, False, or Missing raised) ----
    def cmp(self, op: str, left: Value, right: Value, text: str, line: int) -> bool:
        result = _OPS[op](left, right)
        if self.explain:
            verdict = "成立" if result else "不成立"
            self.step(f"{text}: {_show(left)} 对 {_show(right)} → {verdict}", line)
        return result

    def is_in(self, value: str, members: tuple[str, ...], text: str, line: int) -> bool:
        result = value in members
        if self.explain:
            self.step(f"{text}: {value} → {'成立' if result else '不成立'}", line)
        return result

    def all(self, parts: Iterable[Callable[[], bool]]) -> bool:
        """Kleene AND: any false part makes it false, even when another part is unknown."""
        missing: Missing | None = None
        for part in parts:
            try:
                if not part():
                    return False
            except Missing as exc:
                missing = missing or exc
        if missing is not None:
            raise missing
        return True

    def any(self, parts: Iterable[Callable[[], bool]]) -> bool:
        """Kleene OR: any true part makes it true, even when another part is unknown."""
        missing: Missing | None = None
        for part in parts:
            try:
                if part():
                    return True
            except Missing as exc:
                missing = missing or exc
        if missing is not None:
            raise missing
        return False

    def any_of(self, items: tuple[tuple[str, Callable[[], bool]], ...], line: int) -> bool:
        """A labelled any-of: evaluates every option so the trace shows which ones hold."""
        held: list[str] = []
        missing: Missing | None = None
        for label, cond in items:
            try:
                if cond():
                    held.append(label)
            except Missing as exc:
                missing = missing or exc
        if self.explain:
            self.step("满足以下之一: " + ("、".join(held) if held else "无一满足"), line)
        if held:
            return True
        if missing is not None:
            raise missing
        return False

    def all_of(self, items: tuple[tuple[str, Callable[[], bool]], ...], line: int) -> bool:
        return self.all(cond for _, cond in items)

    # ---- amounts ----
    def of(self, ratio: Quantity, base: Value) -> Value:
        return mul(base, ratio)

    def total(self, keyed: Value) -> Quantity:
        values = list(keyed.values())
        if not values:
            raise Missing("(empty tally)")
        result: Quantity = values[0]
        for value in values[1:]:
            result = result + value
        return result

    def minimum(self, a: Quantity, b: Quantity) -> Quantity:
        return a if a <= b else b

    def maximum(self, a: Quantity, b: Quantity) -> Quantity:
        return a if a >= b else b

    def tiers(
        self,
        value: Quantity,
        prior: Quantity | None,
        mode: str,
        rows: tuple[tuple[str, Quantity, Quantity, str], ...],
        line: int,
    ) -> Quantity:
        """Tiered amounts; rows are (op, threshold, amount, label) in ascending order."""

        def reached(v: Quantity | None) -> list[int]:
            if v is None:
                return []
            return [i for i, (op, threshold, _, _) in enumerate(rows) if _OPS[op](v, threshold)]

        now = reached(value)
        before = set(reached(prior))
        if mode == "highest":
            chosen = now[-1:]
        elif mode == "each":
            chosen = now
        elif mode == "highest_new":
            chosen = [i for i in now[-1:] if i not in before]
        else:  # each_new
            chosen = [i for i in now if i not in before]
        total = rows[0][2] - rows[0][2]
        for i in chosen:
            total = total + rows[i][2]
        if self.explain:
            labels = "、".join(rows[i][3] for i in chosen) or "无"
            prior_text = f"(此前最高 {_show(prior)})" if prior is not None else ""
            self.step(f"档次 {_show(value)}{prior_text}: 计入 {labels} → {_show(total)}", line)
        return total

    def schedule(
        self, anchor: date, rows: tuple[tuple[int, int, Callable[[], Value]], ...], line: int
    ) -> Value:
        year = year_of_operation(anchor, self.on)
        for first, last, amount in rows:
            if year is not None and first <= year <= last:
                self.step(
                    f"自 {anchor.isoformat()} 起第 {year} 年: 适用第 {first}–{last} 年的标准", line
                )
                return amount()
        where = "尚未开始" if year is None else f"已是第 {year} 年, 超出所列年度"
        self.step(f"自 {anchor.isoformat()} 起{where}", line)
        raise NotApplicable(f"自 {anchor.isoformat()} 起{where}")
