"""The day a period read for a case is judged on (runtime/people_ops.judged_on): the case's own
evaluation date when it falls in the period, else the period's first day.

A newcomer wrote 每人每年1.2万元 as `amount 安居补贴标准[档次] per 年` and a case on 2027-06-30
was paid the 不满3年 amount: the year was judged on 2027-01-01, half a year before the
anniversary the case's date had passed. Every figure below is worked by hand in the comments.
The test policy is valid from 2023-01-06 for 3 years (tests/conftest.py's header).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policyc.runtime.people_ops import judged_on
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory
from tests.people_helpers import run_case

DECLARED = "input 入职日期: date optional\n"
YEARLY = (
    "  rule 年度奖 { kind 补贴  when years_between(入职日期, on_date()) 满 3 年"
    "  amount 1200 元 per 年 }\n"
)
MONTHLY = (
    "  rule 月奖 { kind 补贴  when years_between(入职日期, on_date()) 满 3 年"
    "  amount 100 元 per 月 }\n"
)


def test_a_period_holding_the_evaluation_date_is_judged_on_it() -> None:
    assert judged_on(date(2027, 6, 30), "2027") == date(2027, 6, 30)
    assert judged_on(date(2027, 6, 30), "2027-06") == date(2027, 6, 30)
    assert judged_on(date(2027, 6, 30), "2027-07") == date(2027, 7, 1)
    assert judged_on(date(2027, 6, 30), "2026") == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("hired", "pays"),
    [
        # on 2025-06-30: 2022-06-30 → exactly 3 years, 满 includes the number
        ("2022-06-30", True),
        # 2022-07-01 → 2 years and 364 days: not 满 3 年
        ("2022-07-01", False),
        # 2022-05-01 → 3 years on 2025-05-01; judged on 2025-01-01 it would be 2 (the fault)
        ("2022-05-01", True),
    ],
)
def test_a_yearly_rule_in_a_months_case_is_judged_on_the_cases_date(
    policies: PolicyFactory, tmp_path: Path, hired: str, pays: bool
) -> None:
    policy = policies.compile(YEARLY, DECLARED)
    results = run_case(policy, tmp_path, f"on: 2025-06-30\ninputs:\n  入职日期: {hired}\n")
    rule = results["年度奖"]
    assert rule.status == ("applies" if pays else "not_applicable")
    if pays:
        assert rule.amount == Quantity.of(1200, "元")


def test_a_yearly_rule_in_the_first_year_of_validity_pays_on_a_date_in_force(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    # valid from 2023-01-06: on 2023-06-15 the year 2023 is judged on 2023-06-15, in force
    # (judged on 2023-01-01 it was "not in force" and paid nothing)
    policy = policies.compile("  rule 年度津贴 { kind 补贴  amount 1200 元 per 年 }\n")
    results = run_case(policy, tmp_path, "on: 2023-06-15\n")
    assert results["年度津贴"].status == "applies"
    assert results["年度津贴"].amount == Quantity.of(1200, "元")


def test_in_a_years_case_only_the_month_holding_the_date_is_judged_on_it(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(MONTHLY, DECLARED)
    case = "period: 2025\non: {on}\ninputs:\n  入职日期: 2022-06-15\n"
    # hired 2022-06-15, 3 years on 2025-06-15. Judged on each month's first day: January to
    # June are 2 years (June 1st is before the 15th), July to December 3 → 6 × 100 = 600元
    first = run_case(policy, tmp_path, case.format(on="2025-01-01"))
    assert first["月奖"].amount == Quantity.of(600, "元")
    # on 2025-06-30 June is judged on the 30th (3 years): July to December and June → 700元
    late = run_case(policy, tmp_path, case.format(on="2025-06-30"))
    assert late["月奖"].amount == Quantity.of(700, "元")
