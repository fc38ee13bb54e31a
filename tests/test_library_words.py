"""Messages that used to pass a library's English through (Python's date, the JSON decoder) are
in the user's language and say what to write."""

from __future__ import annotations

import pytest

from policyc.compiler.i18n import json_reason, use_language
from policyc.runtime.dates import parse_iso_date


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2010-02-30", "2010-02 has 28 days"),
        ("2024-02-30", "2024-02 has 29 days"),  # a leap year
        ("2026-04-31", "2026-04 has 30 days"),
        ("2026-13-01", "there is no month 13"),
        ("2026-00-10", "there is no month 0"),
        ("0000-01-01", "the years start at 0001"),
    ],
)
def test_a_date_the_calendar_lacks_says_why_in_its_own_words(text: str, why: str):
    with pytest.raises(ValueError) as raised:
        parse_iso_date(text)
    assert str(raised.value) == f"`{text}` is not a real date: {why}"
    assert "out of range" not in str(raised.value)


def test_the_edges_of_a_month_are_dates():
    assert str(parse_iso_date("2024-02-29")) == "2024-02-29"
    assert str(parse_iso_date("2026-04-30")) == "2026-04-30"


def test_the_json_decoders_words_are_translated():
    assert json_reason("Expecting ',' delimiter") == "a comma was expected here, between two items"
    with use_language("zh_CN"):
        assert json_reason("Expecting ',' delimiter") == "此处应为逗号，用来分隔两项"
        with pytest.raises(ValueError) as raised:
            parse_iso_date("2010-02-30")
        assert "只有 28 天" in str(raised.value)
    assert json_reason("something new") == "something new"  # unknown: as it is
