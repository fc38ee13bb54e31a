"""The case validation the web service runs for every request: its short ways give what the
general reading gives, value for value and message for message.

- a JSON number written out is read without reading its text again (case_values.read_quantity):
  the same Quantity (value, exponent and dimensions) as `read_input_quantity`, or, for a number
  it refuses, the same message;
- the service validates against the run's view of the policy, as `policyc run` does: the same
  case and the same problems as against the checked policy.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from policyc.case_values import FieldError, read_quantity
from policyc.cases import case_from_data
from policyc.compiler.errors import InputError
from policyc.percent_values import needs_sign
from policyc.runtime.quantity import MeasureError
from policyc.runtime.quantity_reading import read_input_quantity

REPO = Path(__file__).resolve().parent.parent
NUMBERS = [
    "0", "12", "12.50", "0.5", "100.0", "1234567", "2.25", "0.000001", "0.0000001", "1E+5",
    "-0", "-3", "-12.5", "9" * 30, "9" * 31, "0." + "1" * 30, "0." + "1" * 31,
]  # fmt: skip


@pytest.fixture(scope="module")
def policies() -> list[Any]:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from policyc.serve.catalog import load_catalog

    return list(load_catalog([REPO / "policies"]).policies.values())


def reference(info: Any, value: Decimal) -> tuple[str, Any]:
    """What the general reading makes of the number's text: ("ok", (value text, dims)) or
    ("refused", message)."""
    try:
        q = read_input_quantity(str(value), info.measure, info.type.dims)
    except MeasureError as exc:
        return ("refused", str(exc))
    return ("ok", (str(q.value), q.dims))


def short(info: Any, value: Decimal) -> tuple[str, Any]:
    try:
        q = read_quantity(info, value)
    except FieldError as exc:
        return ("refused", str(exc))
    return ("ok", (str(q.value), q.dims))


def test_a_json_number_reads_as_its_text_does(policies: list[Any]) -> None:
    measured = [
        info
        for policy in policies
        for info in policy.view.inputs.values()
        if info.type.kind not in ("bool", "date", "enum", "series", "keyed")
        and info.measure is not None
        and not needs_sign(info)  # a `%` input or a `%` target's figure: needs its sign
    ]
    factors = {str(info.measure.factor) for info in measured}
    assert "1" in factors and len(factors) > 1  # measures stored as they are, and scaled ones
    assert any(info.measure.whole for info in measured)  # counts: 0.5人 is refused
    for info in measured:
        for text in NUMBERS:
            assert short(info, Decimal(text)) == reference(info, Decimal(text)), (
                info.measure.name, text,
            )  # fmt: skip


def test_whole_counts_and_signs_are_refused_with_the_general_message(
    policies: list[Any],
) -> None:
    textile = next(p for p in policies if p.view.header.number.startswith("天政发"))
    people = textile.view.inputs["满1年人数"]
    assert short(people, Decimal("0.5"))[0] == "refused"
    assert short(people, Decimal("3")) == ("ok", ("3", people.measure.dims))
    assert "-3" in short(people, Decimal("-3"))[1]


BAD_CASES = [
    {"on": "2023-12-31", "inputs": {"申请人类型": "服装企业", "年发货量": "很多单"}},
    {"on": "2023-13-01", "inputs": {"年发货量": -5, "满1年人数": "0.5", "天门籍": "也许"}},
    {"inputs": {"申请人": "物流企业", "成立日期": "2023-02-30"}, "bogus": 1},
    {"on": "2023-12-31", "inputs": {"申请人类型": "物流企业", "口罩发货量": 10, "年发货量": 5}},
    {"on": "2023-12-31", "inputs": {}, "readings": {"nope": "x"}, "received": ["nope"]},
]


@pytest.mark.parametrize("data", BAD_CASES)
def test_the_view_finds_the_problems_the_checked_policy_finds(
    policies: list[Any], data: dict[str, Any]
) -> None:
    textile = next(p for p in policies if p.view.header.number.startswith("天政发"))
    found = []
    for against in (textile.checked, textile.view):
        with pytest.raises(InputError) as caught:
            case_from_data(data, against, "case")
        found.append(str(caught.value))
    assert found[0] == found[1] and found[0].count("case:") >= 1


def test_a_good_case_reads_alike_against_the_view(policies: list[Any]) -> None:
    textile = next(p for p in policies if p.view.header.number.startswith("天政发"))
    data = {"on": "2023-12-31", "inputs": {
        "申请人类型": "物流企业", "年发货量": Decimal("6000000"), "满1年人数": Decimal("12"),
        "年销售收入": "1.5万元", "天门籍": True, "成立日期": "2023-01-06",
    }}  # fmt: skip
    checked, view = (
        case_from_data(data, textile.checked, "case"),
        case_from_data(data, textile.view, "case"),
    )
    assert checked.inputs == view.inputs and list(checked.inputs) == list(view.inputs)
    assert str(view.inputs["年发货量"].value) == "6000000"


def test_a_date_read_again_is_the_same_and_a_bad_one_is_refused_each_time() -> None:
    from datetime import date

    from policyc.case_values import iso_date
    from policyc.runtime.dates import parse_iso_date

    assert iso_date("2023-01-06") == date(2023, 1, 6) == iso_date("2023-01-06")
    for bad in ("2023-02-29", "2023-13-01", "2023/01/06"):
        with pytest.raises(ValueError) as first:
            parse_iso_date(bad)
        for _ in range(2):
            with pytest.raises(ValueError) as again:
                iso_date(bad)
            assert str(again.value) == str(first.value)
    assert iso_date("2024-02-29") == date(2024, 2, 29)  # a leap day is a date
