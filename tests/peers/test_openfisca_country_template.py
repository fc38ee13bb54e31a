"""OpenFisca's own country-template tests, run against policyc's restatement of its rules.

The tests are read from the installed `openfisca-country-template` (extra `peers`); without it
every test here fails saying which extra to install, never skips. `PASSING` lists the OpenFisca
tests the restatement passes today: each is a pytest test that must keep passing; the rest fail
for a stated reason, shown by `python -m tests.peers.run_openfisca_suite -v` (not collected here,
so that a language construct still missing does not turn the suite red). `test_pass_count` prints
the table by file and holds the count at least at today's figure.
"""

from __future__ import annotations

import datetime
import functools
from fractions import Fraction

import pytest

from policyc.cli import main
from tests.peers.openfisca import (
    EXPECTED_TESTS,
    RESTATEMENT,
    Outcome,
    PeerSuite,
    PeerTest,
    Translator,
    Unexpressible,
    amended_policy_text,
    exact_number,
    peer_tests,
    run_all,
    table,
    to_cent,
)

# OpenFisca tests the restatement passes, by file and position (file::n:name).
PASSING = (
    "age.yaml::1", "age.yaml::2", "age.yaml::3", "age.yaml::4",
    "basic_income.yaml::1", "basic_income.yaml::2", "basic_income.yaml::3",
    "basic_income.yaml::4", "basic_income.yaml::5", "basic_income.yaml::6",
    "housing_allowance.yaml::1", "housing_allowance.yaml::2",
    "income_tax.yaml::1",
    "meal_price.yaml::1",
    "reforms/add_dynamic_variable.yaml::1",
    "reforms/add_inline_parametric_reform.yaml::1",
    "reforms/add_new_tax.yaml::1", "reforms/add_new_tax.yaml::2",
    "reforms/modify_social_security_taxation.yaml::1",
    "reforms/modify_social_security_taxation.yaml::2",
    "reforms/modify_social_security_taxation.yaml::3",
    "social_security_contribution.yaml::1", "social_security_contribution.yaml::2",
    "social_security_contribution.yaml::3", "social_security_contribution.yaml::4",
    "social_security_contribution.yaml::5", "social_security_contribution.yaml::6",
    "swimming_pool_access.yaml::1",
)  # fmt: skip


@functools.cache
def _suite() -> PeerSuite:
    return PeerSuite()


@functools.cache
def _tests() -> dict[str, PeerTest]:
    return {t.id.split(":", 3)[0] + "::" + str(t.index + 1): t for t in peer_tests()}


@pytest.mark.parametrize("key", PASSING)
def test_openfisca_test_passes(key: str) -> None:
    test = _tests().get(key)
    assert test is not None, f"{key}: no such test in the installed package"
    outcome = _suite().run(test)
    assert outcome.passed, "\n".join(outcome.failures)


def test_pass_count(capsys: pytest.CaptureFixture[str]) -> None:
    outcomes: list[Outcome] = run_all()
    with capsys.disabled():
        print("\nOpenFisca country-template 8.2.0 tests passed by the policyc restatement:")
        print(table(outcomes))
    assert len(outcomes) == EXPECTED_TESTS
    passed = {o.test.file + "::" + str(o.test.index + 1) for o in outcomes if o.passed}
    assert set(PASSING) <= passed
    assert len(passed) >= len(PASSING)


def test_the_restatement_checks_strictly_and_is_canonical() -> None:
    assert main(["check", "--strict", str(RESTATEMENT)]) == 0
    assert main(["fmt", "--check", str(RESTATEMENT)]) == 0


# ---- the translator's own rules ------------------------------------------------------------


def test_expected_arithmetic_is_exact() -> None:
    assert exact_number("600 - 200 / 12") == Fraction(1750, 3)
    assert exact_number("100*0.1") == Fraction(10)
    assert to_cent(Fraction(1750, 3)) == to_cent(Fraction(58333, 100))
    assert str(to_cent(Fraction(1750, 3))) == "583.33"
    assert str(to_cent(Fraction(5, 1000))) == "0.01"  # half up: 0.005 -> 0.01
    assert str(to_cent(Fraction(4999, 1000000))) == "0.00"
    with pytest.raises(Unexpressible):
        exact_number("__import__('os')")


def _for_period(value: object) -> object:
    """A value as the case gives it: one value, or a map {period: value} of one period."""
    if isinstance(value, dict):
        (only,) = value.values()
        return only
    return value


def _translator() -> Translator:
    return Translator(_suite().policy)


def test_a_vector_is_one_case_per_position() -> None:
    test = PeerTest(
        "x.yaml",
        0,
        "v",
        {
            "period": "2017-01",
            "input": {"household_income": [0, 250, 3000]},
            "output": {"meal_price": [0, 1, 8]},
        },
    )
    checks = list(_translator().checks(test))
    assert [_for_period(c.case["inputs"]["给定家庭收入"]) for c in checks] == [0, 250, 3000]
    assert [c.expected for c in checks] == [0, 1, 8]
    assert _suite().run(test).passed
    wrong = PeerTest(
        "x.yaml",
        0,
        "v",
        {
            "period": "2017-01",
            "input": {"household_income": [0, 250, 3000]},
            "output": {"meal_price": [0, 1, 4]},
        },
    )
    outcome = _suite().run(wrong)
    assert not outcome.passed and "meal_price[2]" in outcome.failures[0]


def test_an_output_per_period_is_one_evaluation_per_period() -> None:
    test = PeerTest(
        "x.yaml",
        0,
        "p",
        {
            "period": "2016-01",
            "input": {"birth": datetime.date(1980, 2, 15)},
            "output": {"age": {"2015-02": 34, "2015-03": 35}},
        },
    )
    checks = list(_translator().checks(test))
    assert [c.case["on"] for c in checks] == ["2015-02-01", "2015-03-01"]


def test_a_reform_is_a_reading_and_an_unknown_one_fails() -> None:
    reform = "openfisca_country_template.reforms.modify_social_security_taxation.modify_social_security_taxation"
    test = PeerTest(
        "x.yaml",
        0,
        "r",
        {
            "period": "2017-01",
            "reforms": reform,
            "input": {"salary": 15000},
            "output": {"social_security_contribution": 1336},
        },
    )
    (check,) = _translator().checks(test)
    assert check.case["readings"] == {"社会保障缴费方案": "改革"}
    unknown = PeerTest(
        "x.yaml", 0, "r", {"period": "2017-01", "reforms": "x.y", "output": {"income_tax": 0}}
    )
    outcome = _suite().run(unknown)
    assert not outcome.passed and "reform x.y" in outcome.failures[0]


def test_a_computed_variable_given_directly_replaces_its_formula() -> None:
    # age 17 given for someone born in 1970 (55 in 2025): the given age decides, not the birth date.
    test = PeerTest(
        "x.yaml",
        0,
        "g",
        {
            "period": "2016-12",
            "input": {"age": 17, "birth": datetime.date(1970, 1, 1)},
            "output": {"basic_income": 0, "age": 17},
        },
    )
    (first, _second) = _translator().checks(test)
    assert first.case["inputs"]["年龄已给出"] is True and first.case["inputs"]["给定年龄"] == 17
    assert _suite().run(test).passed
    adult = PeerTest(
        "x.yaml",
        0,
        "g",
        {
            "period": "2016-12",
            "input": {"birth": datetime.date(1970, 1, 1)},
            "output": {"basic_income": 600, "age": 46},
        },
    )
    assert _suite().run(adult).passed
    not_computed = PeerTest(
        "x.yaml", 0, "g", {"period": "2016-12", "input": {"basic_income": 5}, "output": {"age": 46}}
    )
    assert "cannot be given" in _suite().run(not_computed).failures[0]


def test_eternity_and_unknown_variables_are_failures_with_the_reason() -> None:
    eternity = PeerTest("x.yaml", 0, "e", {"period": "ETERNITY", "output": {"income_tax": 0}})
    assert "ETERNITY" in _suite().run(eternity).failures[0]
    unknown = PeerTest("x.yaml", 0, "u", {"period": "2017-01", "output": {"total_taxes": 0}})
    assert "total_taxes" in _suite().run(unknown).failures[0]


def test_money_is_compared_to_the_cent_not_within_a_margin() -> None:
    # 15000 in 2017-01: 6000 × 2% + 6400 × 6% + 2600 × 12% = 816; 816.004 rounds to 816.00, 816.01 does not.
    base = {"period": "2017-01", "absolute_error_margin": 1, "input": {"salary": 15000}}
    assert (
        _suite()
        .run(
            PeerTest(
                "x.yaml", 0, "m", {**base, "output": {"social_security_contribution": "816.004"}}
            )
        )
        .passed
    )
    assert (
        not _suite()
        .run(
            PeerTest(
                "x.yaml", 0, "m", {**base, "output": {"social_security_contribution": "816.01"}}
            )
        )
        .passed
    )


def test_a_parameter_override_amends_the_dated_value() -> None:
    text = _suite().policy_file.read_text(encoding="utf-8")
    amended = amended_policy_text(
        text, {"benefits": {"housing_allowance": {"values": {"2010-01-01": {"value": "0.1"}}}}}
    )
    assert 'from 2010-01-01: 10% "test override",' in amended
    assert "from 2010-01-01: 25%" not in amended
    with pytest.raises(Unexpressible):
        amended_policy_text(text, {"taxes": {"housing_tax": {"values": {"2010-01-01": 1}}}})
