"""Quantities written out (runtime/quantity.py holds the values): for people, with thousands
separators and the documents' glosses (`1,198,000元（119.8万元）`, `6个月`, `1年`), in a declared
measure (`20,000元/月`), and plain for JSON (`1198000元`), which `parse_quantity_text` reads back.
Never rounded: every digit the value has, and no more."""

from __future__ import annotations

import decimal
from decimal import Decimal

from policyc.runtime.quantity import _EXACT, CURRENCIES, Measure, Quantity, _unit_text

__all__ = ["format_months_alike", "format_quantity", "format_quantity_in", "plain_text"]


def _number(value: Decimal, group: bool = False) -> str:
    """Digits as needed and no more: no trailing zeros, no exponent, never rounded.

    With `group`, five or more integer digits get thousands separators (1000, 10,000).
    """
    with decimal.localcontext(_EXACT):
        value = value.normalize()
    if value.is_zero():
        value = Decimal(0)  # no "-0"
    return format(value, ",f" if group and value.copy_abs() >= 10000 else "f")


def format_quantity(q: Quantity) -> str:
    """For people: `1,198,000元（119.8万元）`, `0.2元/单`, `50人`, `6个月`, `1年`, `0.1`."""
    number = _number(q.value, group=True)
    if len(q.dims) == 1 and q.dims[0][1] == 1:
        base = q.dims[0][0]
        with decimal.localcontext(_EXACT):
            if base in CURRENCIES:
                # The 万 gloss only when it needs at most two decimals, as the documents write it.
                if q.value.copy_abs() >= 10000 and q.value % 100 == 0:
                    return f"{number}{base}（{_number(q.value / 10000)}万{base}）"
                return number + base
            if base == "平方米" and q.value.copy_abs() >= 10**4 and q.value % 100 == 0:
                # an area glossed as the documents write large ones: 20,000平方米（2公顷）
                big, size = ("平方公里", 10**6) if q.value.copy_abs() >= 10**6 else ("公顷", 10**4)
                return f"{number}平方米（{_number(q.value / size)}{big}）"
            if base == "月":
                if not q.is_zero() and q.value % 12 == 0:
                    return _number(q.value / 12, group=True) + "年"
                return number + "个月"
    return number + _unit_text(q.dims, stored=True)


def format_quantity_in(q: Quantity, measure: Measure | None) -> str:
    """For people, counted in the measure it was declared or given in: `20,000元/月` for an
    input of 元/月 (format_quantity says `240,000元/年`, the per-year value it is held as),
    `24个月` for an input of 月 (not `2年`), `10年` for one of 年, `3亩`. Money in 元 or 万元 keeps
    format_quantity's `元（万元）` form, as the documents write amounts; so does a value of other
    dimensions than `measure`'s, or one that is no exact number of it."""
    if measure is None or measure.dims != q.dims or not q.dims or measure.name.endswith("%"):
        return format_quantity(q)
    if len(q.dims) == 1 and q.dims[0][1] == 1 and q.dims[0][0] in CURRENCIES:
        return format_quantity(q)  # 元 and 万元 alike: `500,000元（50万元）`
    with decimal.localcontext(_EXACT):
        try:
            number = q.value / measure.factor
        except decimal.Inexact:
            return format_quantity(q)
    name = "个月" if measure.name == "月" else measure.name
    return _number(number, group=True) + name


def format_months_alike(a: Quantity, b: Quantity) -> tuple[str, str] | None:
    """Two durations compared, in one measure: both in 个月 unless both are whole years
    (`11个月 对 12个月`, not `11个月 对 1年`); None when they are not both durations."""
    months = (("月", 1),)
    if a.dims != months or b.dims != months:
        return None
    if all(not q.is_zero() and q.value % 12 == 0 for q in (a, b)):
        return format_quantity(a), format_quantity(b)
    return _number(a.value, group=True) + "个月", _number(b.value, group=True) + "个月"


def plain_text(q: Quantity) -> str:
    """For JSON: `1198000元`, `0.2元/单`, `6月`; parse_quantity_text reads it back."""
    return _number(q.value) + _unit_text(q.dims, stored=True)
