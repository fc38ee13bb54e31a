"""`decide … per 月` (issue 12's remainder): a decision declares its period as a rule does. A
newcomer's year's case summed the months' incomes and showed the year's sum as a 月人均收入; now
the value is decided month by month and shown with its period in text, JSON, --explain and the
site; `check` checks the period as a rule's and warns of a decision reading a monthly input
without one (`periodless-decide`). The policy is tests/fixtures/medical-aid/ (家庭月人均收入 is
`per 月`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.fmt import format_text
from policyc.compiler.pipeline import compile_policy
from tests.conftest import PolicyFactory

POLICY = Path(__file__).parent / "fixtures" / "medical-aid" / "policies" / "ma-2026-8.policy"

# 王芳 earns 1,800元 a month in January to March and 2,000元 from April; 李小明 earns nothing. Two
# people: 1800 / 2 = 900元/人 for 2026-01 … 2026-03, 2000 / 2 = 1000元/人 for 2026-04 … 2026-12.
MONTHS = ", ".join(
    f"2026-{m:02d}: {1800 if m <= 3 else 2000}" for m in range(1, 13)
)  # fmt: skip
YEAR_CASE = f"""period: 2026
inputs: {{类别: 低保对象}}
members:
  王芳: {{role: 申请人, inputs: {{出生日期: 1980-05-01, 月收入: {{{MONTHS}}}}}}}
  李小明: {{role: 子女, inputs: {{出生日期: 2012-06-15, 月收入: 0}}}}
"""
MONTH_CASE = """period: 2026-03
inputs: {类别: 低保对象}
members:
  王芳: {role: 申请人, inputs: {出生日期: 1980-05-01, 月收入: 1800}}
  李小明: {role: 子女, inputs: {出生日期: 2012-06-15, 月收入: 0}}
"""


def run(tmp_path: Path, case: str, *args: str) -> str:
    path = tmp_path / "case.yaml"
    path.write_text(case, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(POLICY), "--case", str(path), *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def decision(tmp_path: Path, case: str) -> dict[str, object]:
    document = json.loads(run(tmp_path, case, "--format", "json"))
    [found] = [r for r in document["results"] if r["rule"] == "家庭月人均收入"]
    return dict(found)


def test_a_years_case_decides_a_monthly_value_month_by_month(tmp_path: Path) -> None:
    answer = run(tmp_path, YEAR_CASE).splitlines()
    assert (
        "  家庭月人均收入（每月）: 2026-01至2026-03 900元/人；2026-04至2026-12 1000元/人" in answer
    )
    found = decision(tmp_path, YEAR_CASE)
    assert found["status"] == "decided" and found["value"] is None
    assert found["value_per"] == "month"
    periods = found["periods"]
    assert isinstance(periods, list) and len(periods) == 12
    assert [p["period"] for p in periods] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert {p["status"] for p in periods} == {"decided"}
    assert [p["value"]["value"] for p in periods] == ["900"] * 3 + ["1000"] * 9


def test_the_full_listing_and_the_trace_name_each_month(tmp_path: Path) -> None:
    listing = run(tmp_path, YEAR_CASE, "--all").splitlines()
    assert "  ▶ 家庭月人均收入 — 判定（每月）" in listing
    assert "      · 2026-03: 判定 900元/人" in listing
    assert "      · 2026-04: 判定 1000元/人" in listing
    trace = run(tmp_path, YEAR_CASE, "--explain")
    assert "· 期间 2026-04  [ma-2026-8.policy 第23行]" in trace
    assert "家庭成员月收入之和 = 2000元（计入: 王芳 2000元、李小明 0元）" in trace


def test_a_months_case_shows_the_months_value_with_its_period(tmp_path: Path) -> None:
    assert "  家庭月人均收入（每月）: 900元/人" in run(tmp_path, MONTH_CASE).splitlines()
    found = decision(tmp_path, MONTH_CASE)
    assert found["value"] == {"value": "900", "unit": "元/人", "text": "900元/人"}
    assert found["value_per"] == "month" and "periods" not in found


def test_months_outside_the_validity_are_said_so(tmp_path: Path) -> None:
    # valid until 2028-12-31: no month of 2029 is in force.
    case = "period: 2029\ninputs: {类别: 低保对象}\nmembers:\n  甲: {role: 申请人, inputs: {月收入: 0}}\n"
    found = decision(tmp_path, case)
    assert {p["status"] for p in found["periods"]} == {"not_in_force"}  # type: ignore[union-attr]
    assert "  ▶ 家庭月人均收入 — 判定（每月）" in run(tmp_path, case, "--all").splitlines()


def test_a_month_left_out_leaves_the_decision_undetermined_naming_it(tmp_path: Path) -> None:
    case = YEAR_CASE.replace(", 2026-05: 2000", "")
    found = decision(tmp_path, case)
    assert found["status"] == "undetermined"
    assert found["missing"] == ["王芳.月收入[2026-05]"]
    statuses = [p["status"] for p in found["periods"]]  # type: ignore[union-attr]
    assert statuses == ["decided"] * 4 + ["undetermined"] + ["decided"] * 7


def test_the_site_says_the_values_period() -> None:
    from policyc.compiler.site.assemble import render_docs

    page = render_docs([compile_policy(POLICY).checked])["docs/ma-2026-8.md"]
    assert "**期间**：每月的值；按年计算的案例逐月判定" in page


GROUP = """
group 家庭 {
    role 申请人 one
}
input 月收入: 元 per member per 月 flow
input 年租金: 元 per 年
input 年补贴: 元 per 年 flow
"""


def warnings_of(policies: PolicyFactory, declarations: str) -> str:
    """What `policyc check` prints of the policy (its ignore comments applied)."""
    rules = "  rule 甲 { kind 补贴  when 人均 低于 1000 元/人  amount 1 元 per 月 }\n"
    path = policies.write(policies.clause(rules, GROUP + declarations))
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "check", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_check_warns_of_a_decision_reading_a_monthly_input_without_a_period(
    policies: PolicyFactory,
) -> None:
    plain = 'decide 人均 = divide(sum(月收入), count(members), 分, half_up) "人均"\n'
    printed = warnings_of(policies, plain)
    assert (
        "warning[periodless-decide]: decision `人均` reads `月收入`, an input per 月, but declares "
        "no period: in a year's case it decides on the year's total; write `decide … per 月` if "
        "the value is a month's"
    ) in printed
    monthly = plain.replace(' "人均"', ' per 月 "人均"')
    assert "periodless-decide" not in warnings_of(policies, monthly)
    silenced = "# policyc: ignore[periodless-decide] 按案例期间判定\n" + plain
    assert "periodless-decide" not in warnings_of(policies, silenced)


def test_check_refuses_a_period_that_is_none_and_a_month_from_a_yearly_stock(
    policies: PolicyFactory,
) -> None:
    rules = "  rule 甲 { kind 补贴  when 人均 低于 1000 元/人  amount 1 元 per 月 }\n"
    with pytest.raises(PolicyError) as caught:
        policies.compile(
            rules, GROUP + "decide 人均 = divide(sum(月收入), count(members), 分, half_up) per 周\n"
        )
    assert "`per 周` is not a period" in str(caught.value)
    with pytest.raises(PolicyError) as caught:
        policies.compile(rules, GROUP + "decide 人均 = divide(年租金, 1 人, 分, half_up) per 月\n")
    assert "a monthly value cannot be taken from `年租金`" in str(caught.value)
    # A yearly flow spreads over its months: allowed.
    policies.compile(rules, GROUP + "decide 人均 = divide(年补贴, 1 人, 分, half_up) per 月\n")


def test_a_rules_per_takes_the_same_check_as_a_decisions(policies: PolicyFactory) -> None:
    """One function checks both (group_checks.check_per): the word, and a month from a year."""
    with pytest.raises(PolicyError) as caught:
        policies.compile("  rule 甲 { kind 补贴  amount 1 元 per 周 }\n", GROUP)
    assert "`per 周` is not a period" in str(caught.value)
    with pytest.raises(PolicyError) as caught:
        policies.compile("  rule 甲 { kind 补贴  amount 10% of 年租金 per 月 }\n", GROUP)
    assert "a monthly amount cannot be taken from `年租金`" in str(caught.value)
    # the yearly flow 年补贴 spreads over its months, for a rule as for a decision
    policies.compile("  rule 甲 { kind 补贴  amount 10% of 年补贴 per 月 }\n", GROUP)


def test_fmt_keeps_the_period_and_is_stable() -> None:
    messy = 'decide   人均=divide(sum(月收入),count(members),分,half_up)   per   月   "人均"\n'
    once = format_text(messy)
    assert once == 'decide 人均 = divide(sum(月收入), count(members), 分, half_up) per 月 "人均"\n'
    assert format_text(once) == once
    assert POLICY.read_text(encoding="utf-8") == format_text(POLICY.read_text(encoding="utf-8"))
