"""The helpers generated policy code may use, and the results it produces.

Generated modules import exactly the names in `__all__` (the compiler's template says so), much
as Jinja2's runtime declares what templates may call. Conditions follow three-valued logic: an
input the case does not give is *unknown* (an `Unknown` value naming it), never false and never
a guess. Every helper passes unknowns through; `and` is false as soon as one part is false and
`or` true as soon as one part is true, whatever the others; a rule whose outcome depends on an
unknown input is *undetermined* and names the inputs it needs.

This module holds the traced path (`Ctx`, one evaluation of one case with its trace). Split out
of it, and re-exported here for generated code and callers: the values and results
(runtime/results.py), the fast path's three-valued helpers (runtime/kleene.py), the arithmetic
generated code calls (`add`, `sub`, `mul`, `schedule_on`: runtime/ctx_amounts.py). The helpers
`Ctx` inherits by family: conditions (runtime/conditions.py), amounts (runtime/ctx_amounts.py),
ordered enums and series (runtime/ctx_series.py); evaluating a case on the fast path is
runtime/fast.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from policyc.runtime.calendar_terms import (
    calendar_months_between,
    date_plus,
    within_each_year,
    year_of,
)
from policyc.runtime.ctx_amounts import Amounts
from policyc.runtime.ctx_amounts import add as add
from policyc.runtime.ctx_amounts import mul as mul
from policyc.runtime.ctx_amounts import schedule_on as schedule_on
from policyc.runtime.ctx_amounts import sub as sub
from policyc.runtime.ctx_series import Series
from policyc.runtime.dates import DatesOutOfOrder, check_order, completed_months
from policyc.runtime.each_limits import EachLimit as EachLimit
from policyc.runtime.each_limits import LimitOverPeriods
from policyc.runtime.kleene import k_all, k_any, k_merge, k_not, known, missing_of
from policyc.runtime.quantity import MeasureError, Quantity, round_to_step
from policyc.runtime.quantity_format import format_quantity

# Re-exported (`X as X`): callers and runtime modules import these from here.
from policyc.runtime.results import _NO_STEPS as _NO_STEPS
from policyc.runtime.results import EvaluationError as EvaluationError
from policyc.runtime.results import FixedResult as FixedResult
from policyc.runtime.results import NotApplicable as NotApplicable
from policyc.runtime.results import Q as Q
from policyc.runtime.results import RuleInfo as RuleInfo
from policyc.runtime.results import RuleResult as RuleResult
from policyc.runtime.results import Step as Step
from policyc.runtime.results import Unknown as Unknown
from policyc.runtime.results import Value as Value
from policyc.runtime.results import _show as _show
from policyc.runtime.results import show_value as show_value
from policyc.runtime.results import unknown as unknown
from policyc.runtime.results import zero_of as zero_of
from policyc.runtime.shown_measures import ShownMeasures, show_named
from policyc.runtime.validity_words import out_of_force_reason
from policyc.runtime.workdays import CalendarUnknown

__all__ = [
    "PLAIN",
    "Ctx",
    "EachLimit",
    "NotApplicable",
    "Q",
    "RuleInfo",
    "Unknown",
    "add",
    "calendar_months_between",
    "date",
    "date_plus",
    "k_all",
    "k_any",
    "k_merge",
    "k_not",
    "known",
    "missing_of",
    "mul",
    "schedule_on",
    "sub",
    "within_each_year",
    "year_of",
    "zero_of",
]


_ABSENT = object()


class DayReadingRefused(ValueError):
    """A run chose a reading whose day is a calendar day (runtime/daily_caps.py): not evaluable
    without times of day."""


class Ctx(Amounts, Series):
    """One evaluation of one case: the inputs, the date, the readings, and the trace (its
    helpers by family: conditions, runtime/conditions.py; amounts, runtime/ctx_amounts.py;
    ordered enums and series, runtime/ctx_series.py)."""

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
        self.one_of_periods = False  # a period of a year's case (people_ops._period_ctx)
        self.valid_from = valid_from
        self.valid_until_date = valid_until
        self.explain = explain
        self.steps: list[Step] = []
        self._memo: dict[str, Value] = {}
        # Households and periods (runtime/people.py): the member in view, and what an `each`
        # rule found for each member of its role.
        self.member: Any = None
        self.each_outcomes: list[tuple[Any, Any]] | None = None
        self.range_outcome: tuple[Quantity, Quantity] | None = None  # `amount range`
        self.applying: Any = None  # the rule's applications.Applying, set by `apply_by`
        # The measure each named value is shown in (runtime/shown_measures.py), for the trace:
        # set by the caller that explains; none, values are shown as they are held.
        self.measures: ShownMeasures = {}

    def show_named(self, name: str, value: Value) -> str:
        """The value of input, define or decide `name` as the trace writes it: a quantity in
        the measure `name` is shown in (`借款人月缴存基数 = 20,000元/月`, not `240,000元/年`)."""
        if isinstance(value, Quantity) and value.dims:
            return show_named(self.measures, name, value)
        return _show(value)

    def use(
        self, name: str, function: Callable[[Ctx], Value], line: int, household: bool = False
    ) -> Value:
        """A `define` or `decide`, computed once per case (once per member where a member is in
        view: it may read the member's inputs; `household`, codegen.household_defines: it reads
        none, once per case all the same); later uses cite the value."""
        key = name if self.member is None or household else f"{name}\x00{self.member.name}"
        if key in self._memo:
            value = self._memo[key]
            if self.explain:  # cited once in a rule's steps, however often it is read
                text = f"{name} = {self.show_named(name, value)}"
                if not any(s.text == text and s.line == line for s in self.steps):
                    self.step(text, line)
            return value
        value = self._memo[key] = function(self)
        if self.explain and value is not None and not isinstance(value, (bool, Unknown)):
            # A named value (`define 计入带动人数 = …`) is shown where a rule first reads it;
            # a condition's own steps already say whether it holds.
            self.step(f"{name} = {self.show_named(name, value)}", line)
        return value

    def in_force(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_until_date is None or day <= self.valid_until_date

    def run_rule(
        self, info: RuleInfo, function: Callable[[Ctx], Any], received: frozenset[str]
    ) -> RuleResult:
        """Evaluate one rule: validity, `once`, conditions, amount and cap, in that order."""
        self.steps = [] if self.explain else _NO_STEPS
        result = RuleResult(info, "applies", steps=self.steps)
        day: date | None = self.on
        if info.valid_by:
            # Judged on the anchor date; when the case lacks it, the conditions may still show
            # the rule does not apply at all, which says more than "undetermined".
            day = self.inputs.get(info.valid_by)
        # A rule paid over other periods than the case's (a `per 月` rule in a year's case) is
        # judged period by period (people_ops.over_periods): the months in force pay.
        spans = bool(
            info.period and not info.valid_by and people_ops.other_periods(self, info.period)
        )
        if day is not None and not self.in_force(day) and not spans:
            result.status = "not_in_force"
            which = f"{info.valid_by} {day.isoformat()}" if info.valid_by else day.isoformat()
            result.reason = out_of_force_reason(which, day, self.valid_from, self.valid_until_date)
            return result
        if info.once and info.name in received:
            result.status, result.reason = "already_received", "一次性奖补, 案例记载已领取"
            return result
        self.each_outcomes = self.range_outcome = self.applying = None
        if info.period and people_ops.other_periods(self, info.period):
            # a month's amount in a year's case: each month evaluated, then added up
            try:
                outcome = people_ops.over_periods(self, info, function, result)
            except LimitOverPeriods as exc:  # `each … at_most`: refused, not kept month by month
                raise EvaluationError(info, exc) from None
            except CalendarUnknown as exc:
                return _calendar_refuses(result, exc)
            return _finish(result, outcome, day)
        try:
            outcome = function(self)  # a reason it does not apply, an Unknown, or the amounts
        except NotApplicable as exc:
            outcome = exc.reason
        except CalendarUnknown as exc:  # a day the official calendar lacks: this rule alone
            return _calendar_refuses(result, exc)
        except (ArithmeticError, MeasureError, DayReadingRefused, DatesOutOfOrder) as exc:
            # A value the checker could not foresee (an inexact product of measures): name the
            # rule and its policy line, not a line of generated Python.
            raise EvaluationError(info, exc) from None
        finished = _finish(result, outcome, day)
        finished.applying, self.applying = self.applying, None
        if self.each_outcomes is not None:
            finished.members = people_ops.member_results(self.each_outcomes)
            self.each_outcomes = None
        if self.range_outcome is not None:
            if finished.status == "applies":
                finished.range = self.range_outcome
            self.range_outcome = None
        return finished

    def apply_by(
        self, applied: str, day: Callable[[], Value] | None, code: str, line: int
    ) -> bool | str | Unknown | applications.DeadlineUnknown:
        """`apply 申请日期 by …` (runtime/applications.py): True when the case applied in time or
        gives no application date while the deadline is still to come (on or after `on`); an
        Unknown naming the application date when it gives none and the deadline has passed; the
        reason a late application does not apply; an Unknown naming the inputs the deadline
        waits on when the case applied. Keeps the deadline in view for the result
        (`self.applying`); DeadlineUnknown (顺延 past the calendar) returned, for
        `deadline_outcome` to raise once the conditions hold."""
        nominal = applications.month_day(code, self.on) if day is None else day()
        given = self.inputs.get(applied)
        applied_on = given if isinstance(given, date) else None  # a date input (checker)
        if isinstance(nominal, Unknown):
            self.applying = applications.Applying(None, None, "", applied_on, nominal.names)
            return nominal if applied_on is not None else True
        assert isinstance(nominal, date)  # the checker typed the day a date
        try:
            view = applications.deadline(code, nominal, applied_on)
        except applications.DeadlineUnknown as exc:
            # raised only once the rule's conditions hold (`deadline_outcome`): a failed
            # condition decides without the day the calendar lacks (review 17)
            return exc
        self.applying = view
        if applied_on is None and view.day is not None and view.day < self.on:
            # The deadline passed before the evaluation date: whether the case applied in time
            # is for its application date to say (newcomer 17: it was paid as if in time).
            return Unknown((applied,))
        if view.in_time is False:
            if self.explain:
                self.step(applications.late_words(view), line)
            return applications.late_words(view)
        if view.in_time and self.explain:
            self.step(applications.in_time_words(view), line)
        return True

    @staticmethod
    def deadline_outcome(
        on_time: str | Unknown | applications.DeadlineUnknown,
    ) -> str | Unknown:
        """What `apply_by` said, once the rule's conditions hold: a late application's reason,
        the inputs the deadline waits on, or DeadlineUnknown raised (the rule refused alone)."""
        if isinstance(on_time, applications.DeadlineUnknown):
            raise on_time
        return on_time

    def run_decision(self, info: RuleInfo, function: Callable[[Ctx], Value]) -> RuleResult:
        """A `decide`d value (a warning level, a unit), with the steps that decided it; on a
        day the policy is not in force, `not_in_force` with no value, as `run_rule` says it (a
        value decided by periods judges each period's day instead)."""
        self.steps = [] if self.explain else _NO_STEPS
        result = RuleResult(info, "decided", steps=self.steps)
        spans = bool(info.period and people_ops.other_periods(self, info.period))
        if not spans and not self.in_force(self.on):
            result.status = "not_in_force"
            result.reason = out_of_force_reason(
                self.on.isoformat(), self.on, self.valid_from, self.valid_until_date
            )
            return result
        try:
            if info.each:  # a value per member (年龄 of each): runtime/people_ops.py
                return people_ops.decide_each(self, info, function, result)
            if spans:
                # `decide … per 月` in a year's case: each month's value
                return people_ops.decide_over_periods(self, info, function, result)
        except CalendarUnknown as exc:
            return _calendar_refuses(result, exc)
        except DatesOutOfOrder as exc:
            raise EvaluationError(info, exc) from None
        try:
            value = self.use(info.name, function, info.line)
        except NotApplicable as exc:
            result.status, result.reason = "undetermined", exc.reason
            return result
        except CalendarUnknown as exc:
            return _calendar_refuses(result, exc)
        except DatesOutOfOrder as exc:
            raise EvaluationError(info, exc) from None
        if isinstance(value, Unknown):
            result.status, result.missing = "undetermined", value.names
            result.reason = "需要输入 " + "、".join(value.names)
        else:
            result.value = value
        return result

    def run_target(self, info: RuleInfo, function: Callable[[Ctx], bool]) -> RuleResult:
        """A target: met, not met, or not reported (the case gives no figure for it)."""
        self.steps = [] if self.explain else _NO_STEPS
        result = RuleResult(info, "met", steps=self.steps)
        result.value = self.inputs.get(info.name)
        try:
            outcome = function(self)
        except NotApplicable as exc:
            result.status, result.reason = "not_reported", exc.reason
            return result
        except (DatesOutOfOrder, CalendarUnknown) as exc:
            # A target compares its figure with a quantity, never a day (grammar `target_spec`):
            # only its deadline reads the calendar, refused there alone (`_judge_due`).
            raise EvaluationError(info, exc) from None
        if isinstance(outcome, Unknown):
            result.status, result.reason = "not_reported", f"案例未报告 {info.name} 的完成情况"
        elif not outcome:
            result.status = "not_met"
        if info.deadline and result.status != "met":
            _judge_due(result, self.on, info.deadline)
        return result

    def about(
        self, actual: Quantity, value: Quantity, tolerance: Quantity | None, text: str, line: int
    ) -> bool | Unknown:
        """左右: within the declared tolerance on either side (none declared: exactly)."""
        if (missing := unknown(actual, value, tolerance)) is not None:
            return missing
        margin = tolerance if tolerance is not None else value - value
        result = value - margin <= actual <= value + margin
        if self.explain:
            self.step(f"{text}: 实际 {_show(actual)} → {'达到' if result else '未达到'}", line)
        return result

    def require(
        self, conditions: tuple[tuple[Callable[[], bool | Unknown], str, int, str], ...]
    ) -> bool | str | Unknown:
        """All `when`s must hold: True; or the reason of the first false one (it decides even if
        another is unknown: each condition's `failed` words, compiler.render.failed); or the
        unknown inputs that leave the rule undetermined."""
        unknowns: list[Unknown] = []
        for condition, text, line, failed in conditions:
            holds = condition()
            if isinstance(holds, Unknown):
                unknowns.append(holds)
                if self.explain:
                    self.step(f"条件待定: {text}（需要输入 {'、'.join(holds.names)}）", line)
            elif not holds:
                if self.explain:
                    self.step(failed, line)
                return failed
            elif self.explain:
                self.step(f"条件成立: {text}", line)
        missing = unknown(*unknowns)
        return missing if missing is not None else True

    def amount(self, value: Quantity, text: str, names: tuple[str, ...], line: int) -> Quantity:
        if self.explain and not isinstance(value, Unknown):
            given = "，".join(
                f"{n} = {self.show_named(n, self.inputs[n])}" for n in names if n in self.inputs
            )
            where = f"（其中 {given}）" if given else ""
            formula = f"{text} = " if text else ""  # a written constant: its value once
            self.step(f"金额 = {formula}{_show(value)}{where}", line)
        return value

    def amount_range(self, low: Quantity, high: Quantity, text: str, line: int) -> Any:
        """`amount range LOW to HIGH` (处1倍以上3倍以下罚款): both ends kept for the result
        (`RuleResult.range`), the amount None: the deciding unit sets it within the range. A
        low end above the high one does not apply, saying so."""
        if (missing := unknown(low, high)) is not None:
            return missing
        if high < low:
            return f"金额幅度 {text} 的下限 {_show(low)} 高于上限 {_show(high)}"
        if self.explain:  # ends that meet are one amount (从轻 at the low end): 800元
            ends = _show(low) if low == high else f"{_show(low)}至{_show(high)}（在此幅度内决定）"
            self.step(f"金额幅度 = {text} = {ends}", line)
        self.range_outcome = (low, high)
        return None, None

    def capped(
        self, value: Quantity, cap: Quantity, line: int
    ) -> tuple[Quantity, Quantity | None] | Unknown:
        """The amount after the cap, and the amount before it when the cap bit."""
        if (missing := unknown(value, cap)) is not None:
            return missing
        if value > cap:
            if self.explain:
                self.step(f"封顶: {_show(value)} 超过上限 {_show(cap)}, 按 {_show(cap)} 计", line)
            return cap, value
        if self.explain:
            self.step(f"未超过上限 {_show(cap)}", line)
        return value, None

    def capped_daily(
        self,
        amount: Callable[[Ctx], Quantity],
        cap: Quantity,
        line: int,
        daily: tuple[str, str, tuple[tuple[str, str], ...]],
    ) -> tuple[Quantity, Quantity | None] | Unknown:
        """`cap … per 日 of INPUT by reading …`: each day's amount capped (daily_caps.py)."""
        from policyc.runtime import daily_caps  # only a policy with such a cap loads it

        return daily_caps.capped_daily(self, amount, cap, line, daily)

    # ---- values ----
    def get(self, name: str) -> Value:
        value = self.inputs.get(name, _ABSENT)
        if value is _ABSENT:
            return people_ops.absent(self, name)
        return value

    # ---- households and periods (runtime/people_ops.py) ----
    def aggregate(
        self,
        func: str,
        role: str,
        subject: Callable[[], Value] | None,
        where: Callable[[], Value] | None,
        zero: Quantity | None,
        text: str,
        line: int,
    ) -> Value:
        return people_ops.aggregate(self, func, role, subject, where, zero, text, line)

    def at_period(self, func: str, name: str, line: int) -> Value:
        return people_ops.at_period(self, func, name, line)

    def divide(self, a: Value, b: Value, places: int, mode: str, text: str, line: int) -> Value:
        return people_ops.divide(self, a, b, places, mode, text, line)

    def round_step(self, a: Value, step: Quantity, mode: str, text: str, line: int) -> Value:
        """`round(a, step, mode)`: a rounded to a whole number of steps (quantity.round_to_step),
        unknown while a is; the trace shows the value before and after."""
        if not isinstance(a, Quantity):
            return a
        result = round_to_step(a, step, mode)
        if self.explain:
            self.step(f"{text}: {_show(a)} → {_show(result)}", line)
        return result

    def amount_of(
        self,
        name: str,
        rules: Mapping[str, Callable[[Ctx], Any]],
        each: Mapping[str, Callable[[Ctx], Any]],
        zero: Quantity,
        line: int,
    ) -> Value:
        return people_ops.amount_of(self, name, rules, each, zero, line)

    def given(self, name: str) -> bool:
        return not isinstance(self.get(name), Unknown)

    def each_member(
        self,
        role: str,
        body: Callable[[Ctx], Any],
        line: int,
        limit: EachLimit | None = None,
        case_cap: tuple[Callable[[], Any], int] | None = None,
    ) -> Any:
        return people_ops.each_member(self, role, body, line, limit, case_cap)

    def index(self, keyed: Value, key: str | Unknown) -> Value:
        """A table's or tally's value at `key`: a member, or the member a case gives (unknown
        while it does not: `救助比例[类别]`)."""
        if isinstance(keyed, Unknown):
            return keyed
        return key if isinstance(key, Unknown) else keyed[key]

    def not_(self, value: bool | Unknown) -> bool | Unknown:
        return value if isinstance(value, Unknown) else not value

    def if_(
        self, cond: bool | Unknown, then: Callable[[], Value], otherwise: Callable[[], Value]
    ) -> Value:
        if isinstance(cond, Unknown):
            return cond
        return then() if cond else otherwise()

    def reading(self, name: str) -> str:
        return self.readings[name]

    def on_date(self) -> date:
        return self.on

    def valid_until(self) -> date:
        assert self.valid_until_date is not None  # the checker requires a validity period
        return self.valid_until_date

    # ---- progressive scales and values that change on dates (runtime/scales.py) ----
    def progressive(
        self,
        base: Quantity | Unknown,
        rows: tuple[tuple[str, Quantity, Quantity, str], ...],
        line: int,
        text: str,
    ) -> Quantity | Unknown:
        """分段累进: the sum over the bands of rate × the part of `base` inside the band."""
        return scales.progressive(self, base, rows, line, text)  # type: ignore[arg-type]

    def dated(
        self,
        on: date | Unknown | None,
        rows: tuple[tuple[date, Callable[[], Value], str], ...],
        line: int,
        text: str,
    ) -> Value:
        """The value in force on `on` (None: the evaluation date)."""
        return scales.dated(self, on, rows, line, text)  # type: ignore[arg-type]

    # ---- durations between dates (满N个月, 年满N周岁; 民法典 arts. 201–202) ----
    def months_between(
        self,
        start: date | Unknown,
        end: date | Unknown,
        missing_day: str,
        text: str,
        line: int,
        refuse: bool = True,
    ) -> Quantity | Unknown:
        """Completed months from `start` to `end`, in 月; `end` before `start` raises
        DatesOutOfOrder (the case is inconsistent) where `refuse` (neither is the evaluation
        day, runtime.dates.refuses_backwards), else counts 0."""
        months = _completed_months(start, end, missing_day, text, refuse)
        if isinstance(months, Unknown):
            return months
        if self.explain:
            self.step(f"{text}: {start} 至 {end} 满 {months} 个月", line)
        return Quantity.of(months, "月")

    def years_between(
        self,
        start: date | Unknown,
        end: date | Unknown,
        missing_day: str,
        text: str,
        line: int,
        refuse: bool = True,
    ) -> Quantity | Unknown:
        """Completed years from `start` to `end` (年满N周岁), in 年; `end` before `start`
        raises DatesOutOfOrder where `refuse`, as months_between."""
        months = _completed_months(start, end, missing_day, text, refuse)
        if isinstance(months, Unknown):
            return months
        years = months // 12
        if self.explain:
            self.step(f"{text}: {start} 至 {end} 满 {years} 年", line)
        return Quantity.of(years, "年")


def _completed_months(
    start: date | Unknown, end: date | Unknown, missing_day: str, text: str, refuse: bool
) -> int | Unknown:
    """Completed months from `start` to `end` (runtime.dates.completed_months), an unknown
    passed through; `end` before `start` raises DatesOutOfOrder where `refuse`."""
    if (missing := unknown(start, end)) is not None:
        return missing
    if refuse:
        check_order(start, end, text)  # type: ignore[arg-type]
    return completed_months(start, end, missing_day)  # type: ignore[arg-type]


PLAIN = Ctx({}, date.min, {}, None, None)
"""A context that records nothing, for the fast path's helpers that read no case state
(tiers, min/max, totals, series, durations)."""


def _finish(result: RuleResult, outcome: Any, day: date | None) -> RuleResult:
    """A rule's result from what its function returned: a reason it does not apply, an
    Unknown, or the amount and the amount before the cap (both None for a rule without an
    amount). `day` is the date validity was judged on (None: a `valid_by` input not given)."""
    info = result.info
    if outcome.__class__ is str:
        result.status, result.reason = "not_applicable", outcome
        return result
    if outcome.__class__ is Unknown:
        # The anchor date may also be read by the conditions: name each input once.
        names = outcome.names if day is not None else (info.valid_by, *outcome.names)
        names = tuple(dict.fromkeys(names))
        result.status, result.missing = "undetermined", names
        result.reason = "需要输入 " + "、".join(names)
        return result
    amount, uncapped = outcome
    if amount is not None and amount.value < 0:
        # Never paid, never totalled: a negative amount is a case the text does not foresee.
        result.status = "not_applicable"
        result.reason = f"计算所得金额为负（{format_quantity(amount)}），不予支付"
        return result
    if day is None:
        result.status, result.missing = "undetermined", (info.valid_by,)
        result.reason = f"需要输入 {info.valid_by}"
        return result
    if info.unspecified:
        result.status, result.reason = "unspecified", info.unspecified
    result.amount, result.uncapped = amount, uncapped
    return result


# At the end, once every name runtime/scales.py imports from here exists; reached only through the
# attribute (`scales.progressive`), so either module may be imported first.
from policyc.runtime import applications, deadlines, people_ops, scales  # noqa: E402

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any


def _calendar_refuses(result: RuleResult, exc: CalendarUnknown) -> RuleResult:
    """A rule's or decision's `result` refused because its condition, amount or value needs a
    day the official calendar of working days does not know (`date_plus(d, N 工作日)`):
    "undetermined" with no input missing, `refused` the message and the reason in the policy's
    words. This rule alone is refused, never the run: the caller answers every other rule, and
    `run` exits 1 with the JSON's "refused" list, as for a target whose deadline cannot be told
    (`_judge_due`). Its amount is never known, so never totalled."""
    result.status, result.missing, result.amount, result.uncapped = "undetermined", (), None, None
    result.value, result.due, result.refused = None, "", str(exc)
    what = (
        "申请截止遇节假日顺延" if isinstance(exc, applications.DeadlineUnknown) else "按工作日计算"
    )
    result.reason = deadlines.rule_unknown_words(exc.day, exc.first, exc.last, what)
    return result


def _judge_due(result: RuleResult, on: date, deadline: str) -> None:
    """A target not met (or not reported) by its deadline (runtime/deadlines.py: a `by` day, or
    the current period's day of a recurring one): on or before that day it is still in progress
    (尚未到期), after it overdue (逾期), a standing one (长期坚持) never overdue; the reason says
    which, with the day."""
    try:
        view = deadlines.in_view(deadline, on)
    except CalendarUnknown as exc:
        # 顺延 to a day the official calendar lacks: whether the day moves, and so whether the
        # target is overdue, cannot be told. The target alone is refused, never the whole run:
        # every other rule is still answered (cli.py's exit status and the JSON say so).
        result.due, result.refused = "unknown", str(exc)
        said = deadlines.unknown_words(exc.day, exc.first, exc.last)
        result.reason = f"{result.reason}（{said}）" if result.reason else said
        return
    if view is None:
        due = "standing"
    else:
        due = "in_progress" if on <= view.day else "overdue"
        result.deadline = view.day.isoformat()
        if view.moved:  # 遇节假日顺延 moved it: the day as written, and why
            result.postponed = (view.nominal.isoformat(), view.moved)
    result.due = due
    said = deadlines.due_words(deadline, due, view, result.status)
    result.reason = f"{result.reason}（{said}）" if result.reason else said
