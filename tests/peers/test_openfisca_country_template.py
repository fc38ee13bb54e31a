"""OpenFisca's own country-template tests, run against policyc's restatement of its rules.

The tests are read from the installed `openfisca-country-template` (extra `peers`) at collection
time: one pytest test per OpenFisca test, its id the file, its position and its name. Without the
package a single test fails saying which extra to install; nothing is skipped. A test the
restatement does not pass fails with the reason (`python -m tests.peers.run_openfisca_suite -v`
prints them all). `test_pass_count` prints the passes by file and asserts all 38.
"""

from __future__ import annotations

import datetime
import functools
import json
from fractions import Fraction

import pytest

from policyc.cli import main
from tests.peers.openfisca import (
    EXPECTED_TESTS,
    RESTATEMENT,
    Outcome,
    PeerMissing,
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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "peer_test" not in metafunc.fixturenames:
        return
    try:
        tests: list[PeerTest | PeerMissing] = list(peer_tests())
    except PeerMissing as exc:
        metafunc.parametrize("peer_test", [exc], ids=["peers-extra-missing"])
        return
    metafunc.parametrize("peer_test", tests, ids=[t.id for t in tests if isinstance(t, PeerTest)])


@functools.cache
def _suite() -> PeerSuite:
    return PeerSuite()


def test_openfisca_test_passes(peer_test: PeerTest | PeerMissing) -> None:
    if isinstance(peer_test, PeerMissing):
        pytest.fail(str(peer_test))
    outcome = _suite().run(peer_test)
    assert outcome.passed, "\n".join(outcome.failures)


def test_pass_count(capsys: pytest.CaptureFixture[str]) -> None:
    outcomes: list[Outcome] = run_all()
    with capsys.disabled():
        print("\nOpenFisca country-template 8.2.0 tests passed by the policyc restatement:")
        print(table(outcomes))
    assert len(outcomes) == EXPECTED_TESTS
    assert len({o.test.file for o in outcomes}) == 15
    failing = [o.test.id for o in outcomes if not o.passed]
    assert not failing


def test_the_restatement_checks_strictly_and_is_canonical() -> None:
    assert main(["check", "--strict", "--coverage", str(RESTATEMENT)]) == 0
    assert main(["fmt", "--check", str(RESTATEMENT)]) == 0


def test_our_own_example_cases_pass(capsys: pytest.CaptureFixture[str]) -> None:
    policy = RESTATEMENT / "country-template.policy"
    assert main(["test", str(policy), str(RESTATEMENT / "examples")]) == 0
    # 可支配收入, decided: 3000 + 1200 − 450 − 60 − 600 / 12 = 3640 (the case expects it too).
    case = RESTATEMENT / "examples" / "01-couple-with-a-child.yaml"
    capsys.readouterr()
    assert main(["run", str(policy), "--case", str(case)]) == 0
    assert "可支配收入（每月）: 3640元" in capsys.readouterr().out
    # Each member's pension on both sides of the retirement age (62 from 2017, 60.33 before).
    for name in ("08-pension-at-62.yaml", "09-pension-before-2017.yaml"):
        case = RESTATEMENT / "examples" / name
        assert main(["run", str(policy), "--case", str(case), "--format", "json"]) == 0
        results = json.loads(capsys.readouterr().out)["results"]
        (pension,) = [r for r in results if r["rule"] == "养老金"]
        paid = {m["member"]: m["amount"]["value"] for m in pension["members"]}
        assert paid == {"甲": "1", "乙": "0"}, name


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
    assert [c.case["period"] for c in checks] == ["2015-02", "2015-03"]


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
    assert first.case["members"]["本人"]["inputs"]["给定年龄"] == {"2016-12": 17}
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


def test_what_a_test_leaves_out_takes_the_declared_default() -> None:
    # A person given only a salary for 2016 (a year), evaluated for 2017-01: OpenFisca's default
    # salary 0 for 2017-01 and birth 1970-01-01; the year 2017 of a household given nothing: a
    # tenant in 0 m², who owes the minimum, 200. The translator writes none of these defaults:
    # the language takes each input's declared `default`.
    test = PeerTest(
        "x.yaml",
        0,
        "d",
        {
            "period": "2017-01",
            "input": {"household": {"adults": ["A"]}, "persons": {"A": {"salary": {2016: 0}}}},
            "output": {
                "persons": {"A": {"income_tax": 0, "age": 47}},
                "household": {"housing_tax": {2017: 200}},
            },
        },
    )
    checks = list(_translator().checks(test))
    given = checks[0].case["members"]["A"]["inputs"]
    assert given == {"工资": {"2016": 0}}
    assert checks[-1].case["inputs"] == {}
    assert _suite().run(test).passed


def test_a_parameter_override_amends_the_dated_value() -> None:
    text = _suite().policy_file.read_text(encoding="utf-8")
    amended = amended_policy_text(
        text, {"benefits": {"housing_allowance": {"values": {"2010-01-01": {"value": "0.1"}}}}}
    )
    assert 'from 2010-01-01: 10% "test override",' in amended
    assert "from 2010-01-01: 25%" not in amended
    with pytest.raises(Unexpressible):
        amended_policy_text(text, {"taxes": {"housing_tax": {"values": {"2010-01-01": 1}}}})


def test_a_missing_package_is_a_failure_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.peers import openfisca

    monkeypatch.setattr(openfisca, "DISTRIBUTION", "openfisca-country-template-absent")
    with pytest.raises(PeerMissing, match=r"pip install '\.\[peers\]'"):
        peer_tests()
