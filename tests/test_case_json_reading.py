"""The web service's fast JSON reading gives exactly what the locating case reader gives.

`read_json_data` reads a body with the C parser and falls back to the locating reader only
for a body with a problem to report; here both readers meet the same texts, valid and not.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyc.cases import MAX_DEPTH, plain_data, read_case_text, read_json_data
from policyc.compiler.errors import InputError


def located(text: str) -> Any:
    return plain_data(read_case_text(text, "case", as_json=True))


def fast(text: str) -> Any:
    return read_json_data(text, "case")


def outcome(read: Any, text: str) -> tuple[str, Any]:
    try:
        return "data", read(text)
    except InputError as exc:
        return "refused", str(exc)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.text(max_size=8),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_any_json_value_reads_the_same_both_ways(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, default=str)
    assert outcome(fast, text) == outcome(located, text)


@pytest.mark.parametrize(
    "text",
    [
        '{"on": "2023-12-31", "inputs": {"年发货量": 1000, "年发货量": 2000}}',  # twice
        '{"inputs": {"年发货量": NaN}}',
        '{"inputs": {"年发货量": -Infinity}}',
        '{"inputs": {"年发货量": 1e400}}',
        '{"inputs": ',
        "",
        "   ",
        "\ufeff{}",
        "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2),
        "[" * 100_000 + "]" * 100_000,
        '{"a": 1}  {"b": 2}',
        '{"a": 0.1, "b": 12345678901234567890.123}',
    ],
)
def test_a_body_with_a_problem_is_worded_as_the_case_reader_words_it(text: str) -> None:
    assert outcome(fast, text) == outcome(located, text)


def test_numbers_are_exact_decimals() -> None:
    data = read_json_data('{"x": 0.1, "y": 3}', "case")
    assert data == {"x": Decimal("0.1"), "y": Decimal(3)}
    assert all(type(v) is Decimal for v in data.values())


def test_a_key_written_twice_is_placed_by_line_and_column() -> None:
    with pytest.raises(InputError, match=r"case:3:3: .*`a` is written twice, first at 2:3"):
        read_json_data('{\n  "a": 1,\n  "a": 2\n}', "case")


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH, "data"),  # a value inside 32 lists: no deeper
        ("[" * (MAX_DEPTH + 1) + "1" + "]" * (MAX_DEPTH + 1), "refused"),  # inside 33: too deep
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "data"),  # the 33rd list holds nothing
        ('{"a": [' + ", ".join(["[]"] * 40) + "]}", "data"),  # 41 brackets, 2 deep
        ('{"a": "' + "[{" * 40 + '"}', "data"),  # brackets inside a string
        ('{"a": ' + '{"b": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 2), "refused"),
    ],
)
def test_nesting_is_measured_past_as_many_brackets_as_the_limit(text: str, read: str) -> None:
    # Within MAX_DEPTH brackets the nesting is not measured: past them, it is, as before.
    assert outcome(fast, text)[0] == read
    assert outcome(fast, text) == outcome(located, text)


def test_the_decoder_is_reused_and_reads_each_body_afresh() -> None:
    first = read_json_data('{"a": 1, "b": {"a": 2}}', "case")
    again = read_json_data('{"b": 3, "a": {"b": 4}}', "case")
    assert first == {"a": Decimal(1), "b": {"a": Decimal(2)}}
    assert again == {"b": Decimal(3), "a": {"b": Decimal(4)}}
    assert list(again) == ["b", "a"]  # the order written
