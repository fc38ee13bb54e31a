"""Dates in the numpy engine (batch_vector.py): a date is an int32 day number
(date.toordinal()), so a comparison of dates is one of integers.

`completed_months` counts as runtime.dates.completed_months (民法典 arts. 201–202): the
months between the two dates' months, less one when the last is not complete on the end day
(its corresponding day, or under `month_end` the month's last day when it has no such day,
comes after the end day), never below 0. On it: `months_between` and `years_between` (that
// 12, in months; an end before the start raises Unsupported, and the DuckDB path, then the
per-case path, judge the rows: the per-case path refuses such a case), and `schedule from
DATE {year A to B: …}` (runtime.dates.year_of_operation: completed months // 12 + 1 on the
evaluation date; before the anchor no year, NotApplicable).
`year_of(d)` is the calendar's year; `date_plus(d, DURATION)` (calendar_terms.date_plus)
moves whole months with the day kept, or the month's last day (under `next_day` the day after
it), then whole days, and turns (year, month, day) back into a day number (`day_numbers`).
tests/test_batch_vector_dates.py checks every function against the runtime's on both sides of
month ends and leap days.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from policyc.compiler import nodes as n
from policyc.compiler.batch_sql import Unsupported
from policyc.compiler.batch_vector import (
    Env,
    Mask,
    Val,
    Vec,
    VectorExpressions,
    both,
    either,
    rescale,
    select,
)
from policyc.compiler.calendar_checks import (
    counts_working_days,
    given_duration_step,
    refuses_backwards,
    whole_duration,
)
from policyc.compiler.i18n import _

__all__ = [
    "calendar",
    "completed_months",
    "date_plus_vec",
    "day_numbers",
    "duration_vec",
    "schedule_vec",
    "year_vec",
]

_EPOCH = date(1970, 1, 1).toordinal()
# The most months between two dates of years 1…9999: the bound of a duration.
_MONTHS = 12 * 10_000


_LENGTHS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def calendar(days: Any) -> tuple[Any, Any, Any, Any]:
    """(year, month, day, the month's last day) of each day number, as int64: the proleptic
    Gregorian calendar by integer arithmetic (eras of 400 years starting on 1 March)."""
    z = np.asarray(days, dtype=np.int64) - (_EPOCH - 719_468)  # days since 0000-03-01
    era = z // 146_097
    doe = z - era * 146_097  # day of the era, 0…146096
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)  # day of the year from 1 March
    mp = (5 * doy + 2) // 153  # month from March, 0…11
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last = _LENGTHS[month - 1] + ((month == 2) & leap)
    return year, month, day, last


def day_numbers(year: Any, month: Any, day: Any) -> Any:
    """The day numbers (date.toordinal()) of (year, month, day), as int64: `calendar` inverted."""
    y = np.asarray(year, dtype=np.int64) - (np.asarray(month) <= 2)
    era = y // 400
    yoe = y - era * 400  # year of the era, 0…399
    mp = (np.asarray(month, dtype=np.int64) + 9) % 12  # month from March, 0…11
    doy = (153 * mp + 2) // 5 + np.asarray(day, dtype=np.int64) - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe + (_EPOCH - 719_468)


def completed_months(start: Any, end: Any, missing_day: str = "month_end") -> Any:
    """runtime.dates.completed_months over day numbers (int64 months, 0 when end < start)."""
    ys, ms, ds, _ = calendar(start)
    ye, me, de, last = calendar(end)
    months = (ye - ys) * 12 + me - ms
    # The corresponding day in the end's month: the start's day, or under month_end the
    # month's last day when it has none (under next_day such a month completes the day
    # after, past the end day either way).
    due = np.minimum(ds, last) if missing_day == "month_end" else ds
    return np.maximum(months - (due > de), 0)


def duration_vec(gen: VectorExpressions, e: n.Call) -> Vec:
    """`months_between(a, b)` / `years_between(a, b)` in months (the base of 月 and 年)."""
    start, end = (gen.compile(x) for x in e.args)
    if start.kind != "date" or end.kind != "date":
        raise Unsupported(_("`{func}` of a {kind}").format(func=e.func, kind=start.kind))
    missing_day = gen.policy.conventions.get("missing_day", "month_end")
    years = e.func == "years_between"
    refuse = refuses_backwards(e)

    def run(env: Env) -> Val:
        a, b = start.run(env), end.run(env)
        known = both(a.known, b.known)
        backwards = np.asarray(b.v < a.v) if known is None else known & (b.v < a.v)
        if refuse and np.any(backwards):  # runtime.dates.check_order refuses the case
            raise Unsupported(_("a duration between dates whose end comes before its start"))
        months = completed_months(a.v, b.v, missing_day)
        if years:
            months = months // 12 * 12
        if known is not None:
            months = select(known, months, np.int64(0))
        return Val(months, known, either(a.na, b.na))

    return Vec("num", run, 0, _MONTHS, nonnegative=True)


def schedule_vec(gen: VectorExpressions, e: n.Schedule) -> Vec:
    """Ctx.schedule: the amount of the first row whose years hold the year of operation on the
    evaluation date, counted from the anchor; unknown where the anchor is (or the row's
    amount); NotApplicable where the anchor is known and no row holds the year (before the
    anchor there is none), or where the row taken raises it."""
    anchor = gen.compile(e.anchor)
    if anchor.kind != "date":
        raise Unsupported(_("`schedule` from a {kind}").format(kind=anchor.kind))
    on = gen.on_date()
    amounts = [gen.number(r.amount) for r in e.rows]
    scale = max(x.scale for x in amounts)
    amounts = [rescale(x, scale) for x in amounts]
    spans = [(r.first, r.last) for r in e.rows]

    def run(env: Env) -> Val:
        a, day = anchor.run(env), on.run(env)
        started = day.v >= a.v
        year = completed_months(a.v, day.v) // 12 + 1
        given = np.bool_(True) if a.known is None else a.known
        value: Any = np.int64(0)
        known: Any = np.bool_(False)
        na: Mask = a.na
        taken: Any = np.bool_(False)  # an earlier row holds the year
        for (first, last), amount in zip(spans, amounts, strict=True):
            holds = given & started & (year >= first) & (year <= last) & ~taken
            x = amount.run(env)
            value = select(holds, x.v, value)
            known = known | (holds if x.known is None else holds & x.known)
            if x.na is not None:
                na = either(na, holds & x.na)
            taken = taken | holds
        na = either(na, given & ~taken)
        value = select(known, value, np.int64(0))
        if np.ndim(known) == 0 and bool(known):
            known = None
        return Val(value, known, na)

    return Vec(
        "num",
        run,
        scale,
        max(x.bound for x in amounts),
        nonnegative=all(x.nonnegative for x in amounts),
    )


def year_vec(gen: VectorExpressions, e: n.Call) -> Vec:
    """`year_of(d)`: the year of each day, a plain number."""
    day = gen.compile(e.args[0])
    if day.kind != "date":
        raise Unsupported(_("`{func}` of a {kind}").format(func=e.func, kind=day.kind))

    def run(env: Env) -> Val:
        d = day.run(env)
        year = calendar(d.v)[0]
        if d.known is not None:
            year = select(d.known, year, np.int64(0))
        return Val(year, d.known, d.na)

    return Vec("num", run, 0, 10_000, nonnegative=True)


def date_plus_vec(gen: VectorExpressions, e: n.Call) -> Vec:
    """`date_plus(d, DURATION)`: runtime.calendar_terms.date_plus over day numbers. A duration
    the case gives (贷款期限) is added row by row by the same rule; a row whose duration is not
    whole months (days) or is negative — which the per-case path refuses naming it — leaves
    the file to the other engines (Unsupported), never a date made up."""
    day = gen.compile(e.args[0])
    if day.kind == "date" and counts_working_days(e.args[1]):  # a calendar no array holds
        raise Unsupported(
            _("`date_plus` in 工作日 counts on the official calendar of working days")
        )
    if day.kind != "date":
        raise Unsupported(_("`{func}` of a {kind}").format(func=e.func, kind=day.kind))
    next_day = gen.policy.conventions.get("missing_day", "month_end") == "next_day"
    parts = whole_duration(e.args[1])
    if parts is not None:
        months, days = parts
        return Vec("date", lambda env: _moved(day.run(env), months, days, next_day))
    per_unit = given_duration_step(gen.policy, e.args[1])
    if per_unit is None:
        raise Unsupported(_("`date_plus` of a duration that is not written out"))
    duration = gen.number(e.args[1])
    unit = 10**duration.scale * per_unit  # one whole month (day) in the vector's integers

    def run(env: Env) -> Val:
        d, x = day.run(env), duration.run(env)
        counts = np.asarray(x.v, dtype=np.int64)
        known = both(d.known, x.known)
        looked = counts if known is None else np.where(known, counts, 0)
        if np.any((looked < 0) | (looked % unit != 0)):
            raise Unsupported(_("a duration of `date_plus` that is not whole months or days"))
        whole = looked // unit
        months, days = (whole, 0) if per_unit == 1 else (0, whole)
        moved = _moved(Val(d.v, known, either(d.na, x.na)), months, days, next_day)
        return moved

    return Vec("date", run)


def _moved(d: Val, months: Any, days: Any, next_day: bool) -> Val:
    """Each day number of `d` moved on by `months` (under the missing-day convention) and
    `days`, each a number or a column; unknown rows stay 0."""
    moved = np.asarray(d.v, dtype=np.int64)
    if np.any(months):
        year, month, dd, _last = calendar(d.v)
        index = year * 12 + month - 1 + months
        new_year, new_month = index // 12, index % 12 + 1
        leap = (new_year % 4 == 0) & ((new_year % 100 != 0) | (new_year % 400 == 0))
        last = _LENGTHS[new_month - 1] + ((new_month == 2) & leap)
        moved = day_numbers(new_year, new_month, np.minimum(dd, last))
        if next_day:
            moved = moved + (dd > last)
    moved = moved + days
    if np.any(moved > date.max.toordinal()):
        raise Unsupported(_("a date past 9999-12-31"))
    if d.known is not None:
        moved = select(d.known, moved, np.int64(0))
    return Val(moved.astype(np.int32), d.known, d.na)
