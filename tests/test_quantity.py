"""Exact quantities and measures (language.md §3 "Measures")."""

import decimal
from decimal import Decimal

import pytest

from policyc.runtime.quantity import (
    Measure,
    MeasureError,
    Quantity,
    dims_text,
    parse_measure,
    same_dims,
)
from policyc.runtime.quantity_format import format_months_alike, format_quantity, plain_text
from policyc.runtime.quantity_reading import parse_quantity_text

YUAN = parse_measure("元")
DAN = parse_measure("单")


def q(number: str, measure: str) -> Quantity:
    return Quantity.of(number, measure)


# ---- measures ----


def test_parse_measure_scales_and_compounds() -> None:
    assert parse_measure("万元") == Measure("万元", (("元", 1),), Decimal(10000))
    assert parse_measure("亿元").factor == Decimal(10) ** 8
    assert parse_measure("年") == Measure("年", (("月", 1),), Decimal(12))
    assert parse_measure("日").dims == (("小时", 1),)
    assert parse_measure("日").factor == 24
    assert parse_measure("万元/人") == Measure("万元/人", (("人", -1), ("元", 1)), Decimal(10000))
    assert parse_measure("元/月/间").dims == (("元", 1), ("月", -1), ("间", -1))
    assert parse_measure("万单/月").dims == (("单", 1), ("月", -1))
    assert parse_measure("万人次").dims == (("人次", 1),)


@pytest.mark.parametrize("text", ["", "1", "  "])
def test_plain_number_measure(text: str) -> None:
    m = parse_measure(text)
    assert (m.dims, m.factor) == ((), Decimal(1))


def test_percent_is_dimensionless_hundredth() -> None:
    assert parse_measure("%").dims == ()
    assert parse_measure("%").factor == Decimal("0.01")


def test_base_name_is_never_split() -> None:
    # 人次 is a count of its own, not 人 times 次; 平方公里 is not 平方 + 公里 but an area, a
    # million 平方米 (1 平方公里 = 100 公顷).
    assert parse_measure("人次").dims == (("人次", 1),)
    assert parse_measure("平方公里").dims == (("平方米", 1),)
    assert parse_measure("平方公里").factor == Decimal(10**6)


def test_parse_measure_is_cached() -> None:
    assert parse_measure("万元/人") is parse_measure("万元/人")


@pytest.mark.parametrize("text", ["斤", "元/", "万", "万%", "元/斤"])
def test_unknown_measure_is_named(text: str) -> None:
    with pytest.raises(MeasureError, match="measure"):
        parse_measure(text)


def test_unknown_measure_with_boundary_word_hints_at_spaces() -> None:
    with pytest.raises(MeasureError, match=r"unknown measure `人以上`.*spaces.*`人 以上`"):
        parse_measure("人以上")
    with pytest.raises(MeasureError, match=r"`以下单`.*`以下 单`"):
        parse_measure("以下单")


# ---- arithmetic ----


def test_yi_wan_yuan_are_one_value() -> None:
    assert q("1", "亿元") == q("10000", "万元") == q("100000000", "元")
    assert hash(q("1", "亿元")) == hash(q("100000000", "元"))
    assert q("1", "亿元").to("万元") == 10000


def test_rate_times_count_is_exact_money() -> None:
    amount = q("0.2", "元/单") * q("5990000", "单")
    assert amount == q("1198000", "元")
    assert amount.dims == (("元", 1),)


def test_per_person_times_people() -> None:
    assert q("500", "元/人") * q("3", "人") == q("1500", "元")
    assert q("1", "万元/人") * q("3", "人") == q("30000", "元")


def test_per_year_and_per_month_rates() -> None:
    # 元/年 is stored per 年 so that it stays exact; it still equals 元/月 × 12.
    assert q("2400", "元/年") == q("200", "元/月")
    assert q("500", "元/年") * q("6", "月") == q("250", "元")
    assert q("200", "元/月/间") * q("3", "月") * q("2", "间") == q("1200", "元")
    assert q("1600", "元/年") * q("1", "年") == q("1600", "元")
    assert q("3", "万单/月") * q("1", "年") == q("360000", "单")


def test_result_that_would_round_raises() -> None:
    with pytest.raises(decimal.Inexact):
        _ = q("1", "元/年") * q("1", "月")  # 1/12 元 has no exact decimal


def test_add_and_subtract_same_dims() -> None:
    assert q("1", "万元") + q("500", "元") == q("10500", "元")
    assert q("1", "年") - q("1", "月") == q("11", "月")
    assert -q("5", "元") == q("-5", "元")
    assert (q("5", "元") - q("5", "元")).is_zero()


def test_yuan_and_dollar_do_not_mix() -> None:
    with pytest.raises(MeasureError, match="cannot add 元 and 美元: 美元 is another currency"):
        _ = q("1", "元") + q("1", "美元")
    with pytest.raises(MeasureError, match="another currency"):
        _ = q("1", "万美元") < q("1", "元")


def test_people_and_orders_do_not_mix() -> None:
    with pytest.raises(MeasureError, match="人 and 单 count different things"):
        _ = q("50", "人") - q("50", "单")
    with pytest.raises(MeasureError, match="cannot compare"):
        _ = q("50", "人") >= q("50", "单")


def test_money_and_rate_do_not_mix() -> None:
    with pytest.raises(MeasureError, match="元 and 元/人 have different dimensions"):
        _ = q("1", "元") + q("1", "元/人")


def test_year_converts_to_months() -> None:
    assert q("1", "年") == q("12", "月")
    assert q("3", "年").to("月") == 36
    assert q("18", "月").to("年") == Decimal("1.5")


def test_day_and_month_do_not_convert() -> None:
    with pytest.raises(MeasureError, match=r"calendar time .* clock time"):
        _ = q("30", "日") + q("1", "月")
    assert q("2", "日") == q("48", "小时") == q("2", "天")


def test_to_rejects_other_dims_and_inexact() -> None:
    with pytest.raises(MeasureError, match="cannot express 元 in 美元"):
        q("1", "元").to("美元")
    with pytest.raises(MeasureError, match="no exact number of 年"):
        q("1", "月").to("年")


def test_percentages() -> None:
    assert Quantity.ratio(10) == q("10", "%") == Quantity(Decimal("0.1"))
    assert q("1000000", "元") * Quantity.ratio("10") == q("100000", "元")
    assert q("1", "万元") * Quantity.ratio(100) == q("1", "万元")
    assert Quantity.ratio("1").to("%") == 1


def test_scaling_by_numbers() -> None:
    assert q("0.2", "元/单") * 5 == q("1", "元/单")
    assert Decimal("2.5") * q("2", "元") == q("5", "元")


def test_comparisons_and_min_max() -> None:
    small, large = q("99", "万元"), q("1", "亿元")
    assert small < large <= large
    assert large > small >= small
    assert min(large, small) is small
    assert max(small, large) is large
    assert q("1", "元") != q("1", "美元")  # equality across dims is False, not an error
    assert len({q("1", "万元"), q("10000", "元")}) == 1


def test_same_dims_and_dims_text() -> None:
    assert same_dims(q("1", "万元"), q("1", "元"))
    assert not same_dims(q("1", "元"), q("1", "元/人"))
    assert dims_text(parse_measure("元/单").dims) == "元/单"
    assert dims_text((q("1", "元") * q("1", "人")).dims) == "元·人"
    assert dims_text(parse_measure("元/年").dims) == "元/月"
    assert dims_text(()) == ""


def test_no_float_accepted() -> None:
    with pytest.raises(TypeError, match="float"):
        Quantity.of(0.1, "元")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        _ = q("1", "元") * 0.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        Quantity(0.5, ())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Quantity.of(True, "元")


def test_of_rejects_non_numbers() -> None:
    with pytest.raises(MeasureError, match="not a number"):
        Quantity.of("abc", "元")
    with pytest.raises(MeasureError, match="finite"):
        Quantity.of(Decimal("NaN"), "元")


# ---- formatting ----


@pytest.mark.parametrize(
    ("quantity", "shown"),
    [
        (q("1198000", "元"), "1,198,000元（119.8万元）"),
        (q("2", "亿元"), "200,000,000元（20000万元）"),
        (q("10050", "元"), "10,050元"),  # the gloss would need three decimals
        (q("1000.00", "元"), "1000元"),
        (q("1600", "元"), "1600元"),
        (q("300", "万美元"), "3,000,000美元（300万美元）"),
        (q("0.2", "元/单"), "0.2元/单"),
        (q("50", "人"), "50人"),
        (q("600", "万单"), "6,000,000单"),
        (q("6", "月"), "6个月"),
        (q("1", "年"), "1年"),
        (q("18", "月"), "18个月"),
        (q("48", "小时"), "48小时"),
        (q("200", "元/月/间"), "2400元/年/间"),
        (Quantity.ratio(10), "0.1"),
        (q("-5", "元") + q("5", "元"), "0元"),
        (q("0.125", "元"), "0.125元"),
    ],
)
def test_format_quantity(quantity: Quantity, shown: str) -> None:
    assert format_quantity(quantity) == shown


def test_plain_text_round_trips() -> None:
    for quantity, text in [
        (q("119.8", "万元"), "1198000元"),
        (q("0.2", "元/单"), "0.2元/单"),
        (q("6", "月"), "6月"),
        (q("1600", "元/年"), "1600元/年"),
        (Quantity.ratio(10), "0.1"),
    ]:
        assert plain_text(quantity) == text
        assert parse_quantity_text(text, None) == quantity


# ---- case-file text ----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("600万 单", q("6000000", "单")),
        ("600万单", q("6000000", "单")),
        ("600万", q("6000000", "单")),
        ("3万单/月", q("30000", "单/月")),
        ("500万元", q("5000000", "元")),
        ("1,000", q("1000", "单")),
        ("0.2", q("0.2", "单")),
        ("10%", Quantity.ratio(10)),
        (" 1600 元 ", q("1600", "元")),
        ("3 美元", q("3", "美元")),  # the caller checks the dimensions
        ("6个月", q("6", "月")),
    ],
)
def test_parse_quantity_text(text: str, expected: Quantity) -> None:
    assert parse_quantity_text(text, DAN) == expected


def test_parse_quantity_text_bare_number_without_default() -> None:
    assert parse_quantity_text("2", None) == Quantity(Decimal(2))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "does not start with a number"),
        ("NaN", "not a finite number"),
        ("inf", "not a finite number"),
        ("-Infinity", "not a finite number"),
        ("1e5", "without an exponent"),
        ("2.5E-3 元", "without an exponent"),
        ("1" * 31, "more than 30 integer digits"),
        ("1,00", "not a well-formed number"),
        ("5.", "not a well-formed number"),
        ("1 2 元", "not a well-formed number"),
        ("50人以上", "spaces"),
        ("5 斤", "unknown measure `斤`"),
    ],
)
def test_parse_quantity_text_rejects(text: str, message: str) -> None:
    with pytest.raises(MeasureError, match=message):
        parse_quantity_text(text, YUAN)


def test_thirty_digit_amount_in_yi_is_exact() -> None:
    big = parse_quantity_text("9" * 30 + " 亿元", None)
    assert big.to("亿元") == Decimal("9" * 30)


@pytest.mark.parametrize(
    ("left", "right", "shown"),
    [
        # a newcomer's trace read "11个月 对 1年" for 满 12 月: one measure for both sides
        (Quantity.of(11, "月"), Quantity.of(12, "月"), ("11个月", "12个月")),
        (Quantity.of(13, "月"), Quantity.of(12, "月"), ("13个月", "12个月")),
        (Quantity.of(0, "月"), Quantity.of(12, "月"), ("0个月", "12个月")),
        # whole years on both sides (满 3 年 by years_between) stay in years
        (Quantity.of(36, "月"), Quantity.of(24, "月"), ("3年", "2年")),
    ],
)
def test_two_durations_compared_are_shown_in_one_measure(
    left: Quantity, right: Quantity, shown: tuple[str, str]
) -> None:
    assert format_months_alike(left, right) == shown


def test_only_durations_are_shown_alike() -> None:
    assert format_months_alike(Quantity.of(12, "元"), Quantity.of(12, "月")) is None
