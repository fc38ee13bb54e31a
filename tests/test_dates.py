"""Calendar arithmetic after 民法典 arts. 201–202."""

from datetime import date

import pytest

from policyc.runtime.dates import (
    add_months,
    add_years,
    parse_iso_date,
    period_last_day,
    whole_months_between,
    year_of_operation,
)


def test_add_years_from_leap_day_lands_on_month_end() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2024, 2, 29), -1) == date(2023, 2, 28)


def test_add_months_month_end_and_year_wrap() -> None:
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 3, 31), 1) == date(2023, 4, 30)
    assert add_months(date(2023, 11, 15), 3) == date(2024, 2, 15)
    assert add_months(date(2023, 1, 15), -1) == date(2022, 12, 15)
    assert add_months(date(2023, 1, 15), 0) == date(2023, 1, 15)


def test_period_last_day_both_countings() -> None:
    start = date(2023, 1, 6)
    assert period_last_day(start, years=3) == date(2026, 1, 5)
    assert period_last_day(start, years=3, counting="from_start_day") == date(2026, 1, 5)
    assert period_last_day(start, years=3, counting="from_next_day") == date(2026, 1, 6)
    assert period_last_day(start, months=36) == period_last_day(start, years=3)


def test_period_last_day_month_end() -> None:
    jan31 = date(2023, 1, 31)
    assert period_last_day(jan31, months=1, counting="from_next_day") == date(2023, 2, 28)
    assert period_last_day(jan31, months=1) == date(2023, 2, 27)
    assert period_last_day(date(2023, 3, 1), months=1) == date(2023, 3, 31)


def test_period_last_day_rejects_unknown_counting() -> None:
    with pytest.raises(ValueError, match="unknown counting `from_today`"):
        period_last_day(date(2023, 1, 6), years=1, counting="from_today")


@pytest.mark.parametrize(
    ("on", "year"),
    [
        (date(2023, 1, 5), None),
        (date(2023, 1, 6), 1),
        (date(2024, 1, 5), 1),
        (date(2024, 1, 6), 2),
        (date(2025, 1, 5), 2),
        (date(2025, 1, 6), 3),
        (date(2028, 1, 5), 5),
        (date(2028, 1, 6), 6),
    ],
)
def test_year_of_operation_boundaries(on: date, year: int | None) -> None:
    assert year_of_operation(date(2023, 1, 6), on) == year


def test_year_of_operation_agrees_with_validity() -> None:
    # The last day of a 3-year from_start_day period is the last day of year 3.
    anchor = date(2023, 1, 6)
    last = period_last_day(anchor, years=3)
    assert year_of_operation(anchor, last) == 3
    assert year_of_operation(anchor, date(2026, 1, 6)) == 4


def test_year_of_operation_leap_day_anchor_follows_add_years() -> None:
    anchor = date(2024, 2, 29)
    assert year_of_operation(anchor, date(2025, 2, 27)) == 1
    assert year_of_operation(anchor, date(2025, 2, 28)) == 2
    assert year_of_operation(anchor, date(2028, 2, 28)) == 4
    assert year_of_operation(anchor, date(2028, 2, 29)) == 5


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2023, 1, 6), date(2023, 7, 5), 5),
        (date(2023, 1, 6), date(2023, 7, 6), 6),  # 满6个月 on the corresponding day
        (date(2023, 1, 31), date(2023, 2, 27), 0),
        (date(2023, 1, 31), date(2023, 2, 28), 1),  # art. 202: the month end is the day
        (date(2023, 1, 31), date(2023, 3, 30), 1),
        (date(2023, 1, 31), date(2023, 3, 31), 2),
        (date(2023, 2, 28), date(2023, 3, 27), 0),
        (date(2023, 2, 28), date(2023, 3, 28), 1),
        (date(2023, 1, 6), date(2024, 1, 6), 12),  # 满1年
        (date(2023, 1, 6), date(2023, 1, 6), 0),
        (date(2023, 1, 6), date(2022, 12, 1), 0),  # before the start: nothing completed
    ],
)
def test_whole_months_between(start: date, end: date, months: int) -> None:
    assert whole_months_between(start, end) == months


def test_parse_iso_date() -> None:
    assert parse_iso_date("2023-01-06") == date(2023, 1, 6)
    assert parse_iso_date(" 2024-02-29 ") == date(2024, 2, 29)


@pytest.mark.parametrize("text", ["2023-1-6", "20230106", "2023/01/06", "2023-01-06T00:00", ""])
def test_parse_iso_date_rejects_other_forms(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_iso_date(text)


@pytest.mark.parametrize("text", ["2023-02-29", "2023-13-01", "2023-04-31"])
def test_parse_iso_date_rejects_unreal_dates(text: str) -> None:
    with pytest.raises(ValueError, match="not a real date"):
        parse_iso_date(text)
