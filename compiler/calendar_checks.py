"""Calendar months and yearly windows: reading a month-day literal and typing the two functions.

- `calendar_months_between(START, END)`: the number of END's month counted from START's month,
  in 月 ("自审核通过的次月起发放，最长不超过36个月":
  `calendar_months_between(审核通过日期, on_date())` 满 1 月 and 不超过 36 月). Both arguments
  are dates. Unlike `months_between` (completed months, day by day), the day of the month does
  not matter: a monthly case judged on any day of its month gets the same answer.
- `within_each_year(DATE, FROM, TO)`: whether DATE lies in the yearly window FROM–TO, both ends
  included ("每年1月1日至3月31日"). FROM and TO are month-day literals (`1月1日`, `--01-01`,
  `2月底`); a window whose FROM comes after its TO crosses the new year (`11月1日, 2月底`).
  `2月29日` is allowed and means what comparing days by (month, day) gives: as TO, the end of
  February in every year; as FROM, 3月1日 in a common year.

`read_month_day(text, span)` reads a literal (raising BuildError for a day no year has, such as
`2月30日`); `type_calendar_call(checker, call)` types a call, reporting through `checker.error`;
`CALENDAR_FUNCS` names them. The runtime: runtime/calendar_terms.py.

- `year_of(DATE)`: the calendar year of DATE, a plain number ("同一自然年度").
- `date_plus(DATE, DURATION)`: the corresponding day DURATION on; DURATION is a whole number of
  年, 月 or 日 — written out (1 年, 6 月, 15 日: checked here) or an input or expression in one
  of those measures (贷款期限), whose value a case must give whole and not negative (refused
  where it is evaluated: runtime/calendar_terms.duration_parts). No fraction of a month, no
  negative: a day before a date is written with the comparison turned round. Or a whole number
  from 1 of 工作日 written out (`5 工作日`, "5个工作日内"), the policy's own measure, counted on
  the official calendar of working days (runtime/workdays.py): the N-th working day after DATE.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from policyc.compiler import nodes as n
from policyc.compiler.errors import Diagnostic, Span
from policyc.compiler.i18n import _
from policyc.runtime.calendar_terms import show_month_day
from policyc.runtime.quantity import parse_measure

if TYPE_CHECKING:
    from policyc.compiler.checker import Type

CALENDAR_FUNCS = ("calendar_months_between", "within_each_year", "year_of", "date_plus")
WORKING_DAY = "工作日"  # date_plus counts it on the official calendar (runtime/workdays.py)
_DURATION_DIMS = (parse_measure("月").dims, parse_measure("日").dims)
_ISO = re.compile(r"--(\d{2})-(\d{2})")
_CHINESE = re.compile(r"(\d{1,2})月(?:(\d{1,2})日|(底))")
_LONGEST = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 2月29日 exists in some years


def read_month_day(text: str, span: Span) -> tuple[int, int]:
    """(month, day) of `--01-01`, `1月1日`, or `2月底` (day 0: the month's last day)."""
    from policyc.compiler.build_base import BuildError

    iso = _ISO.fullmatch(text)
    if iso is not None:
        month, day, end = int(iso[1]), int(iso[2]), False
    else:
        chinese = _CHINESE.fullmatch(text)
        assert chinese is not None  # the grammar's MONTH_DAY
        end = chinese[3] is not None
        month, day = int(chinese[1]), (0 if end else int(chinese[2]))
    if not 1 <= month <= 12 or not (end or 1 <= day <= _LONGEST[month - 1]):
        raise BuildError(
            Diagnostic(
                span,
                _("`{text}` is not a day of the year").format(text=text),
                _("a month 1–12 and a day of that month: 1月1日, --03-31, 2月底"),
            )
        )
    return month, day


def type_calendar_call(checker: Any, expr: n.Call) -> Type:
    """The type of `calendar_months_between(…)` (a quantity in 月) or `within_each_year(…)` (a
    condition); UNKNOWN after an error, reported once."""
    from policyc.compiler.checker import BOOL, DATE, UNKNOWN, Type

    if expr.func in ("year_of", "date_plus"):
        return _type_date_call(checker, expr)
    if expr.func == "calendar_months_between":
        if len(expr.args) != 2:
            checker.error(
                expr.span,
                _("`{func}` takes 2 argument(s), not {count}").format(
                    func=expr.func, count=len(expr.args)
                ),
                _(
                    "calendar_months_between(start date, end date), e.g. "
                    "calendar_months_between(审核通过日期, on_date())"
                ),
            )
            return UNKNOWN
        for arg in expr.args:
            checker.expect(arg, DATE, _("a date"))
        return Type("quantity", parse_measure("月").dims)
    example = _(
        "within_each_year(DATE, FROM, TO), e.g. within_each_year(申请日期, 1月1日, 3月31日)"
    )
    if len(expr.args) != 3:
        checker.error(
            expr.span,
            _("`{func}` takes 3 argument(s), not {count}").format(
                func=expr.func, count=len(expr.args)
            ),
            example,
        )
        return UNKNOWN
    checker.expect(expr.args[0], DATE, _("a date"))
    for arg in expr.args[1:]:
        if not isinstance(arg, n.MonthDayLit):
            checker.error(
                arg.span,
                _("the window of `within_each_year` is written as days of the year"),
                _("a day of the year such as 1月1日, --03-31 or 2月底"),
            )
    return BOOL


def _type_date_call(checker: Any, expr: n.Call) -> Type:
    """`year_of(DATE)`: a plain number; `date_plus(DATE, DURATION)`: a date."""
    from policyc.compiler.checker import DATE, UNKNOWN, Type

    wanted = 1 if expr.func == "year_of" else 2
    example = (
        _("year_of(DATE), e.g. year_of(本次查处日期)")
        if expr.func == "year_of"
        else _("date_plus(DATE, DURATION), e.g. date_plus(前次查处日期, 1 年)")
    )
    if len(expr.args) != wanted:
        checker.error(
            expr.span,
            _("`{func}` takes {wanted} argument(s), not {count}").format(
                func=expr.func, wanted=wanted, count=len(expr.args)
            ),
            example,
        )
        return UNKNOWN
    checker.expect(expr.args[0], DATE, _("a date"))
    if expr.func == "year_of":
        return Type("quantity", ())
    duration = expr.args[1]
    if counts_working_days(duration):
        _check_working_days(checker, duration)
        return DATE
    if isinstance(duration, n.QuantityLit):  # written out: checked here, whole and not negative
        if whole_duration(duration) is None:
            checker.error(
                duration.span,
                _("the duration of `date_plus` is a whole number of 年, 月 or 日 written out"),
                _("a duration such as 1 年, 6 月 or 15 日"),
            )
        return DATE
    # An input or an expression (贷款期限 in 年): its measure is checked here; a case's value
    # that is not whole months (days) or is negative is refused where it is evaluated.
    got = checker.type_of(duration)
    if got is not UNKNOWN and (got.kind != "quantity" or got.dims not in _DURATION_DIMS):
        checker.error(
            duration.span,
            _("the duration of `date_plus` is in 年, 月 or 日, not {what}").format(
                what=got.describe()
            ),
            _("a duration such as 1 年, 6 月, 15 日 or an input in 月"),
        )
    return DATE


def counts_working_days(expr: n.Expr) -> bool:
    """Whether a `date_plus` duration is written in 工作日 (`5 工作日`)."""
    return isinstance(expr, n.QuantityLit) and expr.measure == WORKING_DAY


def working_days(expr: n.Expr) -> int | None:
    """N of a literal whole `N 工作日` with N ≥ 1, else None."""
    if not counts_working_days(expr):
        return None
    assert isinstance(expr, n.QuantityLit)
    try:
        number = Decimal(expr.number.replace(",", ""))
    except ArithmeticError:
        return None
    if number < 1 or number != number.to_integral_value():
        return None
    return int(number)


def _check_working_days(checker: Any, duration: n.Expr) -> None:
    """`date_plus(DATE, N 工作日)` counts N working days of the official calendar: 工作日 must be
    the policy's own measure (one declared `= 1 日` says every day counts, which the calendar
    would contradict), and N a whole number from 1."""
    typed = checker.type_of(duration)  # an undeclared 工作日 is reported there
    if typed.kind == "quantity" and typed.dims != ((WORKING_DAY, 1),):
        checker.error(
            duration.span,
            _(
                "`date_plus` in 工作日 counts working days on the official calendar: 工作日 is "
                "then a measure of its own, not a size of 日"
            ),
            _('`measure 工作日 "工作日"` (without `= 1 日`)'),
        )
    elif typed.kind == "quantity" and working_days(duration) is None:
        checker.error(
            duration.span,
            _("the working days of `date_plus` are a whole number of 工作日, 1 or more"),
            _("a count such as 5 工作日"),
        )


def refuses_backwards(expr: n.Call) -> bool:
    """Whether `months_between(a, b)`/`years_between(a, b)` refuses b before a: when both dates
    are the case's (前次查处日期 after 本次查处日期 is an inconsistent case). Against the
    evaluation day (`on_date()`) a later date is a period not begun — a member born after a
    month of the case — and counts 0 completed months, as before."""
    return not any(isinstance(a, n.Call) and a.func == "on_date" for a in expr.args)


def whole_duration(expr: n.Expr) -> tuple[int, int] | None:
    """(months, days) of a literal whole 年/月/日 duration (1 年 → (12, 0)), else None."""
    if not isinstance(expr, n.QuantityLit) or expr.measure not in ("年", "月", "日", "天"):
        return None
    try:
        number = Decimal(expr.number.replace(",", ""))
    except ArithmeticError:
        return None
    if number < 0 or number != number.to_integral_value():
        return None
    if expr.measure in ("日", "天"):
        return 0, int(number)
    return int(number) * (12 if expr.measure == "年" else 1), 0


def given_duration_step(policy: Any, expr: n.Expr) -> int | None:
    """For a `date_plus` duration the case gives (an input, a define, their sums): how many base
    units make one whole step — 1 for 年/月 (base 月), 24 for 日 (base 小时) — or None where its
    measure is not plain from the declarations. The batch engines add it by that step."""
    dims = _given_dims(policy, expr)
    if dims == _DURATION_DIMS[0]:
        return 1
    if dims == _DURATION_DIMS[1]:
        return 24
    return None


def _given_dims(policy: Any, expr: n.Expr) -> Any:
    if isinstance(expr, n.Ref):
        info = policy.inputs.get(expr.name)
        typed = info.type if info is not None else policy.define_types.get(expr.name)
        return typed.dims if typed is not None and typed.kind == "quantity" else None
    if isinstance(expr, n.QuantityLit):
        try:
            return parse_measure(expr.measure).dims
        except ValueError:
            return None
    if isinstance(expr, n.Arith) and expr.op in "+-":
        left = _given_dims(policy, expr.left)
        return left if left is not None and left == _given_dims(policy, expr.right) else None
    return None


def month_day_alone(checker: Any, expr: n.MonthDayLit) -> Type:
    """A month-day literal outside `within_each_year`: it names no one date."""
    from policyc.compiler.checker import UNKNOWN

    checker.error(
        expr.span,
        _(
            "a day of the year (`{day}`) names no one date: it stands only in within_each_year"
        ).format(day=show_month_day((expr.month, expr.day))),
        _("a date YYYY-MM-DD, or within_each_year(DATE, FROM, TO)"),
    )
    return UNKNOWN
