"""The numpy engine's calendar (compiler/batch_vector_dates.py) against the runtime's
(runtime/dates.py), on both sides of month ends and leap days, and a few counts by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

np = pytest.importorskip("numpy")

from policyc.compiler.batch_vector_dates import calendar, completed_months  # noqa: E402
from policyc.runtime import dates  # noqa: E402


def days(values: list[date]) -> object:
    return np.array([d.toordinal() for d in values], dtype=np.int32)


def edge_days() -> list[date]:
    """Every month's first two and last two days, 2023–2025 (2024 a leap year), and
    2100-02-28/03-01 (no leap day) and 2000-02-29."""
    out = []
    for year in (2023, 2024, 2025):
        for month in range(1, 13):
            first = date(year, month, 1)
            last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            out += [first, first + timedelta(days=1), last - timedelta(days=1), last]
    out += [date(2100, 2, 28), date(2100, 3, 1), date(2000, 2, 29), date(2000, 3, 1)]
    return out


@pytest.mark.parametrize("missing_day", ["month_end", "next_day"])
def test_completed_months_are_the_runtime_s(missing_day: str) -> None:
    edges = edge_days()
    starts = [a for a in edges for _ in edges]
    ends = [b for _ in edges for b in edges]
    got = completed_months(days(starts), days(ends), missing_day)
    want = [dates.completed_months(a, b, missing_day) for a, b in zip(starts, ends, strict=True)]
    assert got.tolist() == want


def test_year_of_operation_is_the_runtime_s() -> None:
    edges = edge_days()
    anchors = [a for a in edges for _ in edges]
    ons = [b for _ in edges for b in edges]
    got = completed_months(days(anchors), days(ons)) // 12 + 1
    for k, (a, on) in enumerate(zip(anchors, ons, strict=True)):
        want = dates.year_of_operation(a, on)
        if want is not None:
            assert int(got[k]) == want, (a, on)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        # 民法典 art. 201: month N is complete on its corresponding day.
        (date(2023, 1, 6), date(2023, 7, 6), 6),
        (date(2023, 1, 6), date(2023, 7, 5), 5),
        # art. 202: 2023-01-31 + 1 month is 2023-02-28 (February has no 31st).
        (date(2023, 1, 31), date(2023, 2, 28), 1),
        (date(2023, 1, 31), date(2023, 2, 27), 0),
        # A leap day's year completes on 2025-02-28 (no 29th in 2025).
        (date(2024, 2, 29), date(2025, 2, 28), 12),
        (date(2024, 2, 29), date(2025, 2, 27), 11),
        (date(2024, 3, 1), date(2023, 3, 1), 0),  # the end before the start
    ],
)
def test_completed_months_by_hand(start: date, end: date, months: int) -> None:
    assert completed_months(days([start]), days([end])).tolist() == [months]


def test_calendar_is_python_s() -> None:
    """Year, month, day and the month's length of every day 1999-12-01 … 2101-03-31, and of
    0001-01-01 and 9999-12-31."""
    first, last = date(1999, 12, 1).toordinal(), date(2101, 3, 31).toordinal()
    ordinals = [*range(first, last + 1), 1, date(9999, 12, 31).toordinal()]
    year, month, day, length = calendar(np.array(ordinals, dtype=np.int32))
    for k, ordinal in enumerate(ordinals):
        d = date.fromordinal(ordinal)
        following = date(d.year + d.month // 12, d.month % 12 + 1, 1) if d.year < 9999 else None
        days_in = (following - date(d.year, d.month, 1)).days if following else 31
        got = (int(year[k]), int(month[k]), int(day[k]), int(length[k]))
        assert got == (d.year, d.month, d.day, days_in), d
