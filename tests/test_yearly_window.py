"""A window that comes back every year: "每年3月1日至4月30日受理" (session 7, lang3, item 4).

`within_each_year(申请日期, --03-01, --04-30)` holds when the date falls between the two days of
its own year, both included (至 includes its days); a window over the new year (11月1日至次年
2月28日) wraps. Days are ISO 8601's `--MM-DD`. Expected statuses are read from the window's words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from tests.conftest import PolicyFactory
from tests.people_helpers import run_case

DECLARATIONS = "input 申请日期: date optional\n"
RULES = (
    "  rule 春季 { when within_each_year(申请日期, --03-01, --04-30)  amount 5 元 }\n"
    "  rule 冬季 { when within_each_year(申请日期, --11-01, --02-28)  amount 5 元 }\n"
)


@pytest.mark.parametrize(
    ("day", "spring", "winter"),
    [
        ("2023-02-28", "not_applicable", "applies"),  # the day before 3月1日; 冬季's last day
        ("2023-03-01", "applies", "not_applicable"),  # 3月1日 itself (至 includes it)
        ("2024-04-30", "applies", "not_applicable"),  # 4月30日 itself, another year
        ("2023-05-01", "not_applicable", "not_applicable"),  # the day after
        ("2023-10-31", "not_applicable", "not_applicable"),  # the day before 冬季
        ("2023-11-01", "not_applicable", "applies"),  # 11月1日
        ("2024-01-15", "not_applicable", "applies"),  # inside, across the new year
        ("2024-02-29", "not_applicable", "not_applicable"),  # after 2月28日 in a leap year
    ],
)
def test_the_window_includes_its_days_every_year(
    policies: PolicyFactory, tmp_path: Path, day: str, spring: str, winter: str
) -> None:
    policy = policies.compile(RULES, DECLARATIONS)
    results = run_case(policy, tmp_path, f"on: 2023-06-01\ninputs: {{申请日期: {day}}}\n")
    assert (results["春季"].status, results["冬季"].status) == (spring, winter)


def test_without_the_date_the_rule_waits_and_explain_says_the_window(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(RULES, DECLARATIONS)
    results = run_case(policy, tmp_path, "on: 2023-06-01\n")
    assert results["春季"].status == "undetermined"
    assert results["春季"].missing == ("申请日期",)
    path = tmp_path / "case.yaml"
    path.write_text("on: 2023-06-01\ninputs: {申请日期: 2023-05-01}\n", encoding="utf-8")
    from policyc.cases import load_case

    case = load_case(path, policy.checked)
    assert case.on is not None
    traced = {r.info.name: r for r in policy.evaluate(case.inputs, case.on, explain=True)}
    assert traced["春季"].reason == "条件不成立: 申请日期在每年3月1日至4月30日之间（含首尾）"
    steps = [s.text for s in traced["春季"].steps]
    assert "申请日期在每年3月1日至4月30日之间（含首尾）: 2023-05-01 → 不成立" in steps
    fast = {r.info.name: r for r in policy.evaluate(case.inputs, case.on)}
    assert fast["春季"].status == traced["春季"].status == "not_applicable"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("within_each_year(申请日期, --02-30, --04-30)", "`--02-30` is not a day of the year"),
        ("within_each_year(申请日期, --13-01, --04-30)", "`--13-01` is not a day of the year"),
        (
            "within_each_year(申请日期, --03-01, 3 元)",
            "the window of `within_each_year` is written as days of the year",
        ),
        ("within_each_year(--03-01, --03-01, --04-30)", "names no one date"),
        ("within_each_year(申请日期, --03-01)", "`within_each_year` takes 3 argument(s), not 2"),
    ],
)
def test_a_window_that_does_not_check_names_the_place(
    policies: PolicyFactory, call: str, message: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        policies.compile(f"  rule r {{ when {call}  amount 5 元 }}\n", DECLARATIONS)
    assert message in str(caught.value)
    assert "p.policy:" in str(caught.value)


def test_a_window_is_in_the_batch_query(policies: PolicyFactory) -> None:
    pytest.importorskip("duckdb")
    from policyc.compiler.batch import generate_batch

    policy = policies.compile(RULES, DECLARATIONS)
    rules = {r.name: r for r in generate_batch(policy.checked, {}).rules}
    assert rules["春季"].fallback == ""  # compiler/calendar_sql.py: not case by case


def test_fmt_keeps_the_days_of_the_year(policies: PolicyFactory) -> None:
    from policyc.compiler.fmt import format_text

    text = policies.clause(RULES, DECLARATIONS)
    formatted = format_text(text)
    assert "when within_each_year(申请日期, --03-01, --04-30)" in formatted
    assert format_text(formatted) == formatted
