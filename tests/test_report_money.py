"""The JSON answer's Money (report_totals.money), whose texts are written once per value: each
call still gives its own dict, and values written alike give the same texts. Expected texts
worked by hand: 1,198,000 元 is 119.8万元; 1.50 元 is 1.5元."""

from __future__ import annotations

from decimal import Decimal

from policyc.report_totals import money
from policyc.runtime.quantity import Quantity


def yuan(text: str) -> Quantity:
    return Quantity.of(Decimal(text), "元")


def test_money_texts_whatever_the_exponent() -> None:
    for written in ("1198000", "1.198E+6", "1198000.00"):
        assert money(yuan(written)) == {
            "value": "1198000",
            "unit": "元",
            "text": "1,198,000元（119.8万元）",
        }
    assert (
        money(yuan("1.50")) == money(yuan("1.5")) == {"value": "1.5", "unit": "元", "text": "1.5元"}
    )
    assert money(None) is None


def test_each_call_gives_its_own_dict() -> None:
    first = money(yuan("600"))
    assert first is not None
    first["text"] = "changed"  # as _value_json sets a ratio's text
    assert money(yuan("600")) == {"value": "600", "unit": "元", "text": "600元"}
