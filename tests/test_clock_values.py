"""Hours and minutes in a case's value (runtime/clock_values.py, quantity_reading.read_input_quantity):
a time of day `8时30分` / `8:30` for an input in 小时 is the hours since 0时, a duration
`8小时30分钟` is hours plus minutes, both exact (a minute is 1/60 小时: only a multiple of 3
minutes is a decimal); a classifier 个 before a measure is read as the measure (`1个工作日`),
and a 工作日 is never a 日. Every expected value is worked by hand: 30/60 = 0.5, 45/60 = 0.75,
6/60 = 0.1, 3/60 = 0.05; 20/60 = 1/3 is no decimal."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from policyc.runtime.clock_values import ClockError, clock_hours
from policyc.runtime.quantity import MeasureError, parse_measure
from policyc.runtime.quantity_reading import parse_quantity_text, read_input_quantity

HOURS = parse_measure("小时")
DAYS = parse_measure("日")
WORKING_DAY = (("工作日", "工作日", Fraction(1)),)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("8时30分", "8.5"),
        ("8点30分", "8.5"),
        ("8时半", "8.5"),
        ("8:30", "8.5"),
        ("08:45", "8.75"),
        ("8时", "8"),
        ("0:00", "0"),
        ("24:00", "24"),
        ("23时57分", "23.95"),
        ("8小时30分钟", "8.5"),
        ("8小时6分", "8.1"),
        ("30小时3分钟", "30.05"),
        ("1个小时30分钟", "1.5"),
    ],
)
def test_a_time_or_hours_and_minutes_is_read_in_hours(text: str, hours: str) -> None:
    assert clock_hours(text) == Decimal(hours)
    quantity = read_input_quantity(text, HOURS, HOURS.dims)
    assert quantity.to("小时") == Decimal(hours)


def test_a_time_of_day_for_an_input_in_days_is_the_same_hours() -> None:
    # 日 and 小时 are one dimension: 12:00 is 12小时 = 0.5日.
    assert read_input_quantity("12:00", DAYS, DAYS.dims).to("日") == Decimal("0.5")


@pytest.mark.parametrize("text", ["8.5小时", "8.5", "36", "1.5天", "8小时"])
def test_other_texts_are_left_to_the_quantity_reader(text: str) -> None:
    assert clock_hours(text) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("8时20分", "20分 is no exact number of 小时"),  # 1/3 小时
        ("8:01", "1分 is no exact number of 小时"),
        ("8小时10分钟", "10分 is no exact number of 小时"),
        ("25:00", "is no time of day"),
        ("24:30", "is no time of day"),
        ("8:75", "is no time of day"),
        ("8小时75分钟", "the minutes after 小时 are 0 to 59"),
    ],
)
def test_an_inexact_or_impossible_time_is_refused_naming_it(text: str, says: str) -> None:
    with pytest.raises(ClockError, match=says):
        clock_hours(text)
    with pytest.raises(MeasureError) as caught:
        read_input_quantity(text, HOURS, HOURS.dims)
    assert f"`{text}`" in str(caught.value) and says in str(caught.value)


def test_a_time_of_day_is_not_read_for_an_input_of_another_measure() -> None:
    money = parse_measure("元")
    with pytest.raises(MeasureError):
        read_input_quantity("8:30", money, money.dims)


def test_the_classifier_ge_before_a_measure_is_the_measure() -> None:
    working = parse_measure("工作日", WORKING_DAY)
    assert read_input_quantity("1个工作日", working, working.dims) == read_input_quantity(
        "1工作日", working, working.dims
    )
    assert read_input_quantity("3个工作日", working, working.dims).to(working) == 3
    people = parse_measure("人")
    assert read_input_quantity("2个人", people, people.dims).to("人") == 2
    # 个月 is a measure of its own (1个月 = 1月), 个 alone a count: neither is taken apart.
    assert parse_quantity_text("6个月", None).to("月") == 6
    assert parse_quantity_text("5个", None).to("个") == 5


def test_a_working_day_is_not_a_day() -> None:
    working = parse_measure("工作日", WORKING_DAY)
    with pytest.raises(MeasureError) as caught:
        read_input_quantity("3日", working, working.dims)
    assert "a 工作日 (working day) is not a 日" in str(caught.value)
    with pytest.raises(MeasureError) as caught:
        read_input_quantity("3个工作日", DAYS, DAYS.dims)  # 工作日 not declared: unknown
    assert "工作日" in str(caught.value)


def test_an_undeclared_working_day_says_how_to_declare_it() -> None:
    with pytest.raises(MeasureError) as caught:
        parse_measure("工作日", ())
    assert "a 工作日 (working day) is no built-in measure and no 日" in str(caught.value)
    assert '`measure 工作日 "…"`' in str(caught.value)
