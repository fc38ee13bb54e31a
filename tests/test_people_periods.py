"""Rules paid per period and per member read where another period is evaluated (issue 12
leftovers): a yearly rule in a month's case (its year's amount, labelled 每年, out of the
month's totals), `amount_of` of a rule with another period than the reader's, and the rounding
of a rule paid `each` member. Every expected figure is worked by hand in the comments."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory
from tests.people_helpers import run_case

GROUP = """
group 家庭 {
    role 申请人 one
    role 子女 many
}
input 月收入: 元 per member per 月 flow default 0 元
input 工资: 元 per 月 flow optional
"""

RULES = """
  rule 月补 { kind 补助  when 工资 低于 1000 元  amount 100 元 per 月 }
  rule 年度奖励 { kind 补贴  when year_total(工资) 低于 12000 元  amount 1200 元 per 年 }
  rule 月均奖励 { kind 补贴  amount divide(amount_of(年度奖励), 12, 分, half_up) per 月 }
  # policyc: ignore[periodless-rule] 测试: 合计按案件期间计算一次
  rule 补助合计 { kind 补助  amount amount_of(月补) }
"""

# 2024: 999.99元 in January to April, 1000元 in May to December.
# year_total = 4 × 999.99 + 8 × 1000 = 3,999.96 + 8,000 = 11,999.96元, 低于 12000 (excluded).
WAGES = ", ".join(f"2024-{m:02d}: {999.99 if m <= 4 else 1000}" for m in range(1, 13))
CASE = "members:\n  甲: {role: 申请人}\ninputs:\n  工资: {" + WAGES + "}\n"


def test_amount_of_a_monthly_rule_read_in_a_year_is_its_twelve_months(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(RULES, GROUP)
    year = run_case(policy, tmp_path, "period: 2024\n" + CASE)
    # 月补: January to April 低于 1000 → 4 × 100元; 补助合计 reads the same 400元, not the
    # year's wages (11,999.96元, not 低于 1000) evaluated once, which would give 0
    assert year["月补"].amount == Quantity.of(400, "元")
    assert year["补助合计"].amount == Quantity.of(400, "元")


def test_amount_of_a_yearly_rule_read_in_a_month_is_the_years_amount(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(RULES, GROUP)
    # each month reads the year's 1200元, divided by 12 as the rule writes: 100.00元
    month = run_case(policy, tmp_path, "period: 2024-06\n" + CASE)
    assert month["月均奖励"].amount == Quantity.of(100, "元")
    assert month["年度奖励"].amount == Quantity.of(1200, "元")
    assert month["补助合计"].amount == Quantity.of(0, "元")  # June: 1000元 is not 低于 1000
    # a year's case: twelve months of 100元
    year = run_case(policy, tmp_path, "period: 2024\n" + CASE)
    assert year["月均奖励"].amount == Quantity.of(1200, "元")


def test_one_cent_more_in_a_year_and_the_yearly_rule_pays_nothing_in_any_month(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(RULES, GROUP)
    # December 1000.04元: 3,999.96 + 7 × 1000 + 1000.04 = 12,000.00元, not 低于 12000
    wages = WAGES.replace("2024-12: 1000", "2024-12: 1000.04")
    text = "period: 2024-06\nmembers:\n  甲: {role: 申请人}\ninputs:\n  工资: {" + wages + "}\n"
    month = run_case(policy, tmp_path, text)
    assert month["年度奖励"].status == "not_applicable"
    assert month["月均奖励"].amount == Quantity.of(0, "元")


def policyc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args], capture_output=True, text=True, check=False
    )


def test_run_labels_a_yearly_amount_in_a_months_case_and_totals_each_period_apart(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    path = policies.write(policies.clause(RULES, GROUP))
    case = tmp_path / "case.yaml"
    case.write_text("period: 2024-03\n" + CASE, encoding="utf-8")
    text = policyc("run", str(path), "--case", str(case)).stdout
    assert "年度奖励 — 适用: 1200元（每年：2024年的金额，不计入本期合计）" in text
    assert "月补 — 适用: 100元（每月）" in text  # March: 999.99元
    # amounts of different periods are never added: 补助合计 (no `per`) is paid once, 100元;
    # the month's: 月补 100 + 月均奖励 100 = 200元; the year's: 年度奖励 1200元 — never 1500元
    assert "合计（支付给申请人）: 一次性 100元；每月 200元；每年 1200元" in text
    doc = json.loads(policyc("run", str(path), "--case", str(case), "--format", "json").stdout)
    by_name = {r["rule"]: r for r in doc["results"]}
    assert by_name["年度奖励"]["amount_per"] == "year"
    assert by_name["年度奖励"]["in_totals"] is False
    assert by_name["月补"]["amount_per"] == "month"
    assert by_name["月补"]["in_totals"] is True
    assert "amount_per" not in by_name["补助合计"]
    assert {key: m["value"] for key, m in doc["totals"].items()} == {
        "元": "100",
        "元/月": "200",
        "元/年": "1200",
    }
    assert doc["totals"]["元/月"] == {"value": "200", "unit": "元/月", "text": "每月 200元"}


EACH = "  rule 助学 { kind 补贴  each 子女  amount 10% of 月收入 per 月  round to 元 half_up }\n"


def family(period: str, income: str) -> str:
    return (
        f"period: {period}\nmembers:\n  父: {{role: 申请人}}\n"
        f"  A: {{role: 子女, inputs: {{月收入: {income}}}}}\n"
        f"  B: {{role: 子女, inputs: {{月收入: {income}}}}}\n"
    )


def test_a_rule_paid_each_member_rounds_each_members_amount_then_adds(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(EACH, GROUP)
    # 10% of 1005元 = 100.5元, 四舍五入到元 101元 for each child: 202元 (rounding the sum,
    # 201元, would give 201元)
    up = run_case(policy, tmp_path, family("2024-03", "1005"))["助学"]
    assert [m.amount for m in up.members] == [Quantity.of(101, "元")] * 2
    assert up.amount == Quantity.of(202, "元")
    assert up.unrounded == Quantity.of(201, "元")
    # 10% of 1004元 = 100.4元 → 100元 each: 200元 (the sum 200.8元 would round to 201元)
    down = run_case(policy, tmp_path, family("2024-03", "1004"))["助学"]
    assert down.amount == Quantity.of(200, "元")


def test_a_monthly_rule_paid_each_member_in_a_year_rounds_each_month_and_member(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(EACH, GROUP)
    # a year's 1005元 is 83.75元 a month; 10% = 8.375元 → 8元 a child a month:
    # 2 children × 12 months × 8元 = 192元 (the exact 201元 rounded once would be 201元)
    year = run_case(policy, tmp_path, family("2024", "1005"))["助学"]
    assert year.amount == Quantity.of(192, "元")
    assert year.periods[0] == ("2024-01", "applies", Quantity.of(16, "元"))
