"""The run path's hand-written value classes (runtime/plain.py) behave as the attrs classes they
replace did, and `days_in_month` (runtime/dates.py, in place of `calendar`) counts February right."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from policyc.cases import Case
from policyc.problems import Problem
from policyc.runtime.amounts import Rounding
from policyc.runtime.dates import days_in_month
from policyc.runtime.people import Member
from policyc.runtime.quantity import Quantity


def test_equal_fields_are_equal_and_hash_alike() -> None:
    assert Rounding("分", "half_up", "rule") == Rounding("分", "half_up", "rule", "")
    assert hash(Rounding("分", "half_up", "rule")) == hash(Rounding("分", "half_up", "rule"))
    assert Rounding("分", "half_up", "rule") != Rounding("角", "half_up", "rule")
    assert Quantity(Decimal("1.0"), (("元", 1),)) == Quantity(Decimal(1), (("元", 1),))
    assert Quantity(Decimal(1), (("元", 1),)) != Quantity(Decimal(1), (("人", 1),))


def test_another_class_with_the_same_fields_is_not_equal() -> None:
    assert Problem("x") != ("x",)
    assert Problem("x").__eq__(("x",)) is NotImplemented


def test_a_frozen_value_cannot_change() -> None:
    rounding = Rounding("分", "half_up", "rule")
    with pytest.raises(AttributeError):
        rounding.unit = "元"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del rounding.mode


def test_a_record_can_change_and_is_not_hashable() -> None:
    member = Member("李小明", "子女", {})
    member.values["年龄"] = 3
    assert member.series == {} and member.values == {"年龄": 3}
    with pytest.raises(TypeError):
        hash(member)


def test_pickle_and_evolve_keep_every_field() -> None:
    case = Case("c.yaml", "天政发〔2023〕1号", None, {"a": 1}, ("r",), {}, {})
    assert pickle.loads(pickle.dumps(case)) == case
    later = case.evolve(inputs={"a": 2})
    assert later.inputs == {"a": 2} and later.path == "c.yaml" and case.inputs == {"a": 1}
    with pytest.raises(TypeError):
        case.evolve(nothing=1)
    assert repr(Problem("m", line=3)).startswith("Problem(message='m', file=None, line=3,")


def test_a_quantity_refuses_a_float() -> None:
    with pytest.raises(TypeError):
        Quantity(0.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("year", "month", "days"),
    [
        (2023, 2, 28),  # not divisible by 4
        (2024, 2, 29),  # divisible by 4
        (1900, 2, 28),  # a century not divisible by 400
        (2000, 2, 29),  # a century divisible by 400
        (2023, 1, 31),
        (2023, 4, 30),
        (2023, 12, 31),
    ],
)
def test_days_in_month(year: int, month: int, days: int) -> None:
    assert days_in_month(year, month) == days
