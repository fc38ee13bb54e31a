"""`valid from DATE until DATE`: 自2024年3月1日起施行,有效期至2026年12月31日 (至 includes the day)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.parser import parse
from policyc.compiler.pipeline import compile_policy
from tests.conftest import HEADER, PolicyFactory

UNTIL = HEADER.replace(
    "valid from 2023-01-06 for 3 年 provisional counting from_start_day",
    "valid from 2024-03-01 until 2026-12-31",
)
RULE = "  rule r { amount 1 元 }"


def status_on(policies: PolicyFactory, day: date, header: str = UNTIL) -> str:
    policy = compile_policy(policies.write(policies.clause(RULE), header=header))
    (result,) = policy.evaluate({}, day)
    return result.status


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (date(2024, 2, 29), "not_in_force"),  # the day before 施行
        (date(2024, 3, 1), "applies"),  # 自…起施行: the first day is in force
        (date(2026, 12, 31), "applies"),  # 有效期至2026年12月31日: the last day is in force
        (date(2027, 1, 1), "not_in_force"),  # the day after
    ],
)
def test_in_force_from_the_first_to_the_last_day_inclusive(
    policies: PolicyFactory, day: date, status: str
) -> None:
    assert status_on(policies, day) == status


def test_the_header_keeps_the_end_date_and_the_checker_ends_there(policies: PolicyFactory) -> None:
    policy = compile_policy(policies.write(policies.clause(RULE), header=UNTIL))
    assert policy.checked.header.valid_end == date(2026, 12, 31)
    assert policy.checked.valid_until == date(2026, 12, 31)
    # The end is the checked policy's and the run view's; the module carries none (nothing read it).
    assert "VALID_UNTIL" not in policy.namespace


def test_provisional_is_allowed_after_the_end_date(policies: PolicyFactory) -> None:
    header = UNTIL.replace("until 2026-12-31", "until 2026-12-31 provisional")
    policy = compile_policy(policies.write(policies.clause(RULE), header=header))
    assert policy.checked.header.provisional
    assert policy.checked.valid_until == date(2026, 12, 31)


def test_an_end_before_the_start_is_an_error(policies: PolicyFactory) -> None:
    header = UNTIL.replace("until 2026-12-31", "until 2024-02-29")
    with pytest.raises(PolicyError, match="ends \\(2024-02-29\\) before it begins"):
        compile_policy(policies.write(policies.clause(RULE), header=header))


def test_a_one_day_validity_is_in_force_on_that_day(policies: PolicyFactory) -> None:
    header = UNTIL.replace("until 2026-12-31", "until 2024-03-01")
    assert status_on(policies, date(2024, 3, 1), header) == "applies"
    assert status_on(policies, date(2024, 3, 2), header) == "not_in_force"


def test_an_impossible_end_date_names_it(policies: PolicyFactory) -> None:
    header = UNTIL.replace("until 2026-12-31", "until 2026-02-30")
    with pytest.raises(PolicyError, match="`2026-02-30` is not a calendar date"):
        compile_policy(policies.write(policies.clause(RULE), header=header))


def test_both_for_and_until_is_a_second_validity(policies: PolicyFactory) -> None:
    header = UNTIL.replace(
        "valid from 2024-03-01 until 2026-12-31",
        "valid from 2024-03-01 until 2026-12-31\n    valid from 2024-03-01 for 2 年",
    )
    with pytest.raises(PolicyError, match="`valid` is given twice"):
        parse(header + policies.clause(RULE), "p.policy")


def test_the_batch_path_ends_on_the_same_day(policies: PolicyFactory, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    from tests.test_batch import assert_same, batch_results, expected, write_csv

    policy = compile_policy(policies.write(policies.clause(RULE), header=UNTIL))
    rows = [{"on": d} for d in ("2024-02-29", "2024-03-01", "2026-12-31", "2027-01-01")]
    path = tmp_path / "cases.csv"
    write_csv(path, rows)
    want = expected(policy, rows, {})
    assert [case["r"][0] for case in want] == [
        "not_in_force", "applies", "applies", "not_in_force"
    ]  # fmt: skip
    assert_same(want, batch_results(policy, path, {}), rows)


def test_the_docs_and_the_report_show_the_end_date(policies: PolicyFactory) -> None:
    from policyc.report import to_text

    policy = compile_policy(policies.write(policies.clause(RULE), header=UNTIL))
    text = to_text(policy, policy.evaluate({}, date(2026, 12, 31)), date(2026, 12, 31), {}, False)
    assert "有效期 2024-03-01 至 2026-12-31 · 在有效期内" in text


def test_the_generated_module_carries_no_header_value_nothing_reads(
    policies: PolicyFactory,
) -> None:
    # The first day is the checked policy's (run_view.validity_under: a validity reading's option,
    # or the issue date); the 文号, the file and the last day likewise (the run view, the spans):
    # none was read from the module.
    policy = compile_policy(policies.write(policies.clause(RULE), header=UNTIL))
    for unread in ("VALID_FROM", "VALID_UNTIL", "POLICY", "SOURCE"):
        assert unread not in policy.namespace
        assert f"{unread} = " not in policy.python_source
