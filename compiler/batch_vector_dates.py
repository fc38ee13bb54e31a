"""Dates in the numpy engine (batch_vector.py): a date is an int32 day number
(date.toordinal()), so a comparison of dates is one of integers.

`completed_months` counts as runtime.dates.completed_months (民法典 arts. 201–202): the
months between the two dates' months, less one when the last is not complete on the end day
(its corresponding day, or under `month_end` the month's last day when it has no such day,
comes after the end day), never below 0. On it: `months_between` and `years_between` (that
// 12, in months), and `schedule from DATE {year A to B: …}` (runtime.dates.year_of_operation:
completed months // 12 + 1 on the evaluation date; before the anchor no year, NotApplicable).
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
from policyc.compiler.i18n import _

__all__ = ["calendar", "completed_months", "duration_vec", "schedule_vec"]

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

    def run(env: Env) -> Val:
        a, b = start.run(env), end.run(env)
        months = completed_months(a.v, b.v, missing_day)
        if years:
            months = months // 12 * 12
        known = both(a.known, b.known)
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
