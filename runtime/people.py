"""Households and periods at run time (issue 12): the case's members and its inputs per period.

A case is one group (家庭) of named members in roles, evaluated for one period: a month
(`2017-01`) or a year (`2017`). An input declared per period holds a value per period
(`{2017-01: 250 元, 2018-01: 251 元}`); `prepare` puts each input's value for the evaluated period
where the generated code reads plain inputs, and keeps the rest for `last_month`, `last_year`,
`january` and `year_total`. A value not given for the period it is read for is unknown, named
`工资[2017-01]`; a member's, `小明.出生日期`.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from datetime import date
from fractions import Fraction

from policyc.compiler.i18n import _
from policyc.runtime.plain import Frozen, Record, _set
from policyc.runtime.quantity import Quantity

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CaseInputs",
    "Member",
    "PeriodPlan",
    "divide_rounded",
    "first_day",
    "period_kind",
    "prepare",
    "shift_period",
]

_SPREAD = decimal.Context(prec=60, traps=[decimal.Inexact, decimal.InvalidOperation])


def period_kind(period: str) -> str:
    """ "month" for `2017-01`, "year" for `2017`; raises ValueError for anything else."""
    if len(period) == 4 and period.isdigit():
        return "year"
    digits = period[:4].isdigit() and period[5:].isdigit()
    if len(period) == 7 and period[4] == "-" and digits and 1 <= int(period[5:]) <= 12:
        return "month"
    raise ValueError(
        _("`{period}` is not a period: expected a month YYYY-MM or a year YYYY").format(
            period=period
        )
    )


def first_day(period: str) -> date:
    """The period's first day: 2017-01 → 2017-01-01, 2017 → 2017-01-01."""
    if period_kind(period) == "year":
        return date(int(period), 1, 1)
    return date(int(period[:4]), int(period[5:]), 1)


def within_period(day: date, period: str) -> bool:
    """Whether `day` lies in the month `YYYY-MM` or the year `YYYY` `period`."""
    return day.isoformat().startswith(period + "-")


def shift_period(period: str, months: int) -> str:
    """The month `months` after (before, when negative) a month; whole years for a year."""
    if period_kind(period) == "year":
        return f"{int(period) + months // 12:04d}"
    index = int(period[:4]) * 12 + int(period[5:]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def spread_over_months(value: Quantity) -> Quantity:
    """A flow's value for a year, as each month's twelfth; raises decimal.Inexact when the
    twelfth is not an exact decimal (the case must then give the months)."""
    return Quantity(_SPREAD.divide(value.value, 12), value.dims)


class PeriodPlan(Frozen):
    """What the policy declares of its periodic and per-member inputs (checker's People)."""

    _fields = ("periods", "flows", "member_inputs", "defaults", "rule_periods", "roundings")
    __slots__ = _fields
    periods: Mapping[str, str]  # input -> "month" | "year"
    flows: frozenset[str]
    member_inputs: frozenset[str]
    # An input's declared default: its value for a member that does not give it, and for a
    # period the case does not give (未申报的收入按0计).
    defaults: Mapping[str, Any]
    # Each rule's own period (`amount … per 月`: "month", "year"), for `amount_of`.
    rule_periods: Mapping[str, str]
    # Each rounded rule's Rounding (runtime/amounts.py): a rule paid per period rounds each
    # period's payment (each member's, for a rule paid `each` member), then adds them up.
    roundings: Mapping[str, Any]

    def __init__(
        self, periods: Mapping[str, str], flows: frozenset[str], member_inputs: frozenset[str],
        defaults: Mapping[str, Any] | None = None, rule_periods: Mapping[str, str] | None = None,
        roundings: Mapping[str, Any] | None = None,
    ):  # fmt: skip
        _set(self, "periods", periods)
        _set(self, "flows", flows)
        _set(self, "member_inputs", member_inputs)
        _set(self, "defaults", {} if defaults is None else defaults)
        _set(self, "rule_periods", {} if rule_periods is None else rule_periods)
        _set(self, "roundings", {} if roundings is None else roundings)


class Member(Record):
    """One member of the case's group: its name, its role, its inputs (values per period kept
    apart in `series`) and, once prepared, its values for the evaluated period."""

    _fields = ("name", "role", "inputs", "series", "values")
    __slots__ = _fields
    name: str
    role: str
    inputs: dict[str, Any]
    series: dict[str, dict[str, Any]]
    values: dict[str, Any]

    def __init__(
        self, name: str, role: str, inputs: dict[str, Any],
        series: dict[str, dict[str, Any]] | None = None, values: dict[str, Any] | None = None,
    ):  # fmt: skip
        self.name = name
        self.role = role
        self.inputs = inputs
        self.series = {} if series is None else series
        self.values = {} if values is None else values


class CaseInputs(dict[str, "Any"]):
    """A case's inputs (name → value for the evaluated period, as a plain case holds them), with
    the case's period, each periodic input's values by period, and the members of its group."""

    period: str | None = None
    series: dict[str, dict[str, Any]]
    members: tuple[Member, ...] = ()
    plan: PeriodPlan | None = None

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.series = {}


_ABSENT = object()


def value_for(name: str, series: Mapping[str, Any], kind: str, flow: bool, period: str) -> Any:
    """The value of a periodic input for `period` (a month or a year), or _ABSENT.

    A month reads its own entry, else its year's: a flow's year value spread evenly over its
    months (a yearly flow too: its monthly share), a stock's year value as it stands. A year
    reads its own entry; for a monthly flow with no year entry, the sum of its twelve months
    when all are given."""
    if period in series:
        return series[period]
    if period_kind(period) == "month":
        year = period[:4]
        if year in series:
            value = series[year]
            return spread_over_months(value) if flow else value
        return _ABSENT
    if kind == "month" and flow:
        months = [series.get(f"{period}-{m:02d}", _ABSENT) for m in range(1, 13)]
        if all(v is not _ABSENT for v in months):
            total = months[0]
            for v in months[1:]:
                total = total + v
            return total
    return _ABSENT


def prepare(inputs: Mapping[str, Any], on: date, plan: PeriodPlan) -> CaseInputs:
    """`inputs` with each periodic input's value for the evaluated period (the case's period,
    else the month of `on`), and each member's values likewise."""
    source = inputs if isinstance(inputs, CaseInputs) else None
    period = (source.period if source is not None else None) or f"{on.year:04d}-{on.month:02d}"
    prepared = CaseInputs(inputs)
    prepared.period = period
    prepared.plan = plan
    series = _with_scalars(source.series if source is not None else {}, inputs, plan, period)
    prepared.series = series
    for name, values in series.items():
        found = value_for(name, values, plan.periods[name], name in plan.flows, period)
        if found is _ABSENT:
            found = plan.defaults.get(name, _ABSENT)
        if found is _ABSENT:
            prepared.pop(name, None)
        else:
            prepared[name] = found
    members = source.members if source is not None else ()
    for member in members:
        member.series = _with_scalars(member.series, member.inputs, plan, period)
        member.values = {k: v for k, v in member.inputs.items() if k not in plan.periods}
        for name in plan.member_inputs:
            if name in member.values:
                continue  # given, and not per period
            by_period = member.series.get(name)
            found = _ABSENT
            if by_period is not None:
                found = value_for(name, by_period, plan.periods[name], name in plan.flows, period)
            if found is _ABSENT:
                found = plan.defaults.get(name, _ABSENT)
            if found is not _ABSENT:
                member.values[name] = found
    prepared.members = members
    return prepared


def _with_scalars(
    series: Mapping[str, dict[str, Any]], given: Mapping[str, Any], plan: PeriodPlan, period: str
) -> dict[str, dict[str, Any]]:
    """Each periodic input's values by period, a value given alone being the evaluated
    period's (so that `january(X)` finds it when the period is January)."""
    merged = {name: dict(values) for name, values in series.items()}
    for name, value in given.items():
        if name in plan.periods and name not in merged:
            merged[name] = {period: value}
    return merged


def divide_rounded(a: Quantity, b: Quantity, places: int, mode: str) -> Quantity:
    """a ÷ b, exact (a Fraction) until rounded to `places` decimals in `mode` (a decimal
    rounding constant); raises ZeroDivisionError when b is zero."""
    dims = dict(a.dims)
    for base, exp in b.dims:
        dims[base] = dims.get(base, 0) - exp
    exact = Fraction(a.value) / Fraction(b.value)
    negative = exact < 0
    scaled = abs(exact) * 10**places
    # Only the whole part and where the rest lies against one half decide any mode: write the
    # rest as .4, .5 or .6 and let Decimal round that, the sign put back first.
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    half = Fraction(rest, scaled.denominator) - Fraction(1, 2)
    tail = "" if rest == 0 else (".5" if half == 0 else (".4" if half < 0 else ".6"))
    digits = decimal.Decimal(f"{'-' if negative else ''}{whole}{tail}")
    rounded = digits.quantize(decimal.Decimal(1), rounding=mode).scaleb(-places)
    return Quantity(rounded, tuple(sorted((k, v) for k, v in dims.items() if v)))
