"""Households (a group of members in roles) and periods (inputs per month or year), issue 12.

tests/fixtures/county-household/ restates a fictional county notice (城乡低保 by household
per-capita income, 育儿补贴 per child under 18, 高龄津贴 per member aged 80, 取暖补贴 by a year's
income); its cases sit on both sides of every edge and are worked out by hand from its text.
Smaller policies below pin each construct's edges and the messages for what `check` and the case
reader refuse.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from policyc.cases import load_case
from policyc.compiler.errors import InputError, PolicyError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.people import divide_rounded, first_day, shift_period
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory
from tests.people_helpers import run_case

FIXTURE = Path(__file__).parent / "fixtures" / "county-household"
POLICY = FIXTURE / "county-household.policy"

GROUP = """
group 家庭 {
    role 申请人 one
    role 配偶 at_most 1
    role 子女 many
}
input 出生日期: date per member
input 月收入: 元 per member per 月 flow
input 住房面积: 平方米 per 月 optional "住房面积(存量)"
input 工资: 元 per 月 flow optional
"""


def policyc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args], capture_output=True, text=True, check=False
    )


def refused(policy: CompiledPolicy, folder: Path, text: str) -> str:
    path = folder / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_case(path, policy.checked)
    return str(caught.value)


def check_error(policies: PolicyFactory, rules: str, declarations: str = GROUP) -> str:
    with pytest.raises(PolicyError) as caught:
        policies.compile(rules, declarations)
    return str(caught.value)


# ---- the worked fixture ----------------------------------------------------------------------


def test_the_fixture_cases_pass_policyc_test() -> None:
    done = policyc("test", str(POLICY), str(FIXTURE / "cases"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "8 passed, 0 failed" in done.stdout


def test_per_capita_income_is_rounded_as_declared_then_compared(tmp_path: Path) -> None:
    policy = compile_policy(POLICY)
    members = """members:
  甲: {{role: 申请人, inputs: {{出生日期: 1980-05-01, 月收入: {income}}}}}
  乙: {{role: 配偶, inputs: {{出生日期: 1980-05-01, 月收入: 0}}}}
  丙: {{role: 子女, inputs: {{出生日期: 2015-05-01, 月收入: 0}}}}
"""
    # 2399.98 / 3 = 799.9933… → 799.99 (below 800): (800 − 799.99) × 3 = 0.03
    low = run_case(policy, tmp_path, "period: 2026-03\n" + members.format(income="2399.98"))
    assert low["低保金"].status == "applies"
    assert low["低保金"].amount == Quantity.of("0.03", "元")
    assert low["家庭月人均收入"].value == Quantity.of("799.99", "元/人")
    # 2399.985 / 3 = 799.995 exactly → 四舍五入 800.00: not below the standard
    edge = run_case(policy, tmp_path, "period: 2026-03\n" + members.format(income="2399.985"))
    assert edge["家庭月人均收入"].value == Quantity.of("800", "元/人")
    assert edge["低保金"].status == "not_applicable"


def test_each_member_rule_pays_per_member_and_reports_each(tmp_path: Path) -> None:
    policy = compile_policy(POLICY)
    out = run_case(
        policy,
        tmp_path,
        """period: 2026-03
members:
  母亲: {role: 申请人, inputs: {出生日期: 1980-05-01, 月收入: 5000}}
  老大: {role: 子女, inputs: {出生日期: 2010-01-01}}
  老二: {role: 子女, inputs: {出生日期: 2012-01-01}}
  老三: {role: 子女, inputs: {出生日期: 2008-03-01}}
""",
    )
    rule = out["育儿补贴"]
    assert rule.amount == Quantity.of(400, "元")  # two children under 18, 200元 each
    assert [(m.member, m.status) for m in rule.members] == [
        ("老大", "applies"),
        ("老二", "applies"),
        ("老三", "not_applicable"),  # 满18周岁 on 2026-03-01, the period's first day
    ]


def test_a_member_without_an_input_leaves_the_rule_undetermined_naming_them(
    tmp_path: Path,
) -> None:
    policy = compile_policy(POLICY)
    out = run_case(
        policy,
        tmp_path,
        """period: 2026-03
members:
  母亲: {role: 申请人, inputs: {出生日期: 1980-05-01, 月收入: 5000}}
  老大: {role: 子女, inputs: {出生日期: 2010-01-01}}
  老二: {role: 子女}
""",
    )
    assert out["育儿补贴"].status == "undetermined"
    assert out["育儿补贴"].missing == ("老二.出生日期",)
    # the per-capita income needs every member's income for the month
    assert out["低保金"].missing == ("老大.月收入[2026-03]", "老二.月收入[2026-03]")


def test_json_gives_the_period_and_each_members_amount() -> None:
    done = policyc(
        "run", str(POLICY), "--case", str(FIXTURE / "cases" / "04-child-turns-18.yaml"),
        "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["period"] == "2026-03"
    rule = next(r for r in doc["results"] if r["rule"] == "育儿补贴")
    assert [(m["member"], m["status"]) for m in rule["members"]] == [
        ("大女儿", "not_applicable"),
        ("小儿子", "applies"),
    ]
    assert rule["members"][1]["amount"]["value"] == "200"


def test_run_period_overrides_the_case_and_moves_the_evaluation_date() -> None:
    case = str(FIXTURE / "cases" / "05-aged-80.yaml")
    # 张大娘 born 1946-03-02 is 满80周岁 on 2026-03-02: in April both are
    done = policyc("run", str(POLICY), "--case", case, "--period", "2026-04", "--format", "json")
    doc = json.loads(done.stdout)
    assert doc["period"] == "2026-04" and doc["on"] == "2026-04-01"
    rule = next(r for r in doc["results"] if r["rule"] == "高龄津贴")
    assert rule["amount"]["value"] == "200"
    bad = policyc("run", str(POLICY), "--case", case, "--period", "2026-13")
    assert bad.returncode == 2
    assert "--period 2026-13" in bad.stderr and "Traceback" not in bad.stderr


# ---- periods ---------------------------------------------------------------------------------


def test_periods_shift_and_start() -> None:
    assert shift_period("2017-01", -1) == "2016-12"
    assert shift_period("2017-03", -12) == "2016-03"
    assert shift_period("2017", -12) == "2016"
    assert first_day("2017") == date(2017, 1, 1)
    assert first_day("2017-02") == date(2017, 2, 1)


def test_last_month_january_and_year_total(policies: PolicyFactory, tmp_path: Path) -> None:
    policy = policies.compile(
        """
  rule 上月 { kind 补贴  when last_month(工资) 低于 1000 元  amount 1 元 }
  rule 一月 { kind 补贴  when january(住房面积) 超过 100 平方米  amount 2 元 }
  rule 全年 { kind 补贴  when year_total(工资) 不超过 12000 元  amount 3 元 }
  rule 去年 { kind 补贴  when last_year(工资) 低于 1000 元  amount 4 元 }
""",
        GROUP + "input 其他: 元 optional\n",
    )
    head = "members:\n  甲: {role: 申请人}\n"
    out = run_case(
        policy,
        tmp_path,
        "period: 2025-03\n" + head + "inputs:\n  工资: {2025-02: 999.99, 2025-03: 5000, "
        "2024-03: 1000, 2024: 12000}\n  住房面积: {2025-01: 100.01}\n",
    )
    assert out["上月"].status == "applies"  # 999.99 低于 1000
    assert out["一月"].status == "applies"  # 100.01 超过 100
    assert out["去年"].status == "not_applicable"  # 1000 is not 低于 1000
    # 2025's months are not all given: undetermined, naming each missing month
    assert out["全年"].status == "undetermined"
    assert "工资[2025-01]" in out["全年"].missing and "工资[2025-12]" in out["全年"].missing
    # a year's value of a monthly flow is spread evenly: 12000 / 12 = 1000 each month
    year = run_case(policy, tmp_path, "period: 2024\n" + head + "inputs:\n  工资: {2024: 12000}\n")
    assert year["全年"].status == "applies"  # 12000 不超过 12000
    over = run_case(
        policy, tmp_path, "period: 2024\n" + head + "inputs:\n  工资: {2024: 12000.12}\n"
    )
    assert over["全年"].status == "not_applicable"


def test_a_value_for_another_period_is_not_the_evaluated_periods(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(
        "  rule 工资补贴 { kind 补贴  when 工资 低于 1000 元  amount 1 元 }\n", GROUP
    )
    out = run_case(
        policy,
        tmp_path,
        "period: 2025-03\nmembers:\n  甲: {role: 申请人}\ninputs:\n  工资: {2025-02: 1}\n",
    )
    assert out["工资补贴"].status == "undetermined"
    assert out["工资补贴"].missing == ("工资[2025-03]",)


def test_a_year_of_a_flow_that_does_not_divide_by_twelve_is_refused(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(
        "  rule 全年 { kind 补贴  when year_total(工资) > 0 元  amount 1 元 }\n", GROUP
    )
    message = refused(
        policy,
        tmp_path,
        "period: 2017\nmembers:\n  甲: {role: 申请人}\ninputs:\n  工资: {2017: 100}\n",
    )
    assert "case.yaml:5:8: input `工资` for 2017" in message and "12 months" in message


def test_check_refuses_conversions_the_document_does_not_allow(policies: PolicyFactory) -> None:
    stock = check_error(
        policies, "  rule 甲 { kind 补贴  when year_total(住房面积) > 0 平方米  amount 1 元 }\n"
    )
    assert "`住房面积` is not a flow" in stock
    not_periodic = check_error(
        policies,
        "  rule 甲 { kind 补贴  when last_month(其他) > 0 元  amount 1 元 }\n",
        GROUP + "input 其他: 元\n",
    )
    assert "`其他` is not one" in not_periodic
    flow_without_period = check_error(
        policies, "  rule 甲 { kind 补贴  amount 1 元 }\n", "input 甲乙: 元 flow\n"
    )
    assert "is a `flow` but has no period" in flow_without_period


# ---- households ------------------------------------------------------------------------------


def test_counts_sums_and_any_over_members(policies: PolicyFactory, tmp_path: Path) -> None:
    policy = policies.compile(
        """
  rule 多子女 { kind 补贴  when count(子女 where years_between(出生日期, on_date()) 不满 18 年) >= 2 人  amount 1 元 }
  rule 有高龄 { kind 补贴  when any(members where years_between(出生日期, on_date()) 满 80 年)  amount 2 元 }
  rule 收入 { kind 补贴  when sum(月收入 over 子女) 不超过 100 元  amount 3 元 }
  rule 最高 { kind 补贴  amount max(月收入 where years_between(出生日期, on_date()) 满 18 年) }
""",
        GROUP,
    )
    out = run_case(
        policy,
        tmp_path,
        """period: 2025-03
members:
  祖母: {role: 申请人, inputs: {出生日期: 1945-03-01, 月收入: 300}}
  甲: {role: 子女, inputs: {出生日期: 2009-01-01, 月收入: 60}}
  乙: {role: 子女, inputs: {出生日期: 2007-03-02, 月收入: 40}}
""",
    )
    assert out["多子女"].status == "applies"  # 乙 is 17 until 2025-03-02
    assert out["有高龄"].status == "applies"  # 祖母 is 满80 on 2025-03-01
    assert out["收入"].status == "applies"  # 60 + 40 = 100, 不超过 includes it
    assert out["最高"].amount == Quantity.of(300, "元")
    later = run_case(
        policy,
        tmp_path,
        """period: 2025-02
members:
  祖母: {role: 申请人, inputs: {出生日期: 1945-03-01, 月收入: 300}}
  甲: {role: 子女, inputs: {出生日期: 2009-01-01, 月收入: 60.01}}
  乙: {role: 子女, inputs: {出生日期: 2007-03-02, 月收入: 40}}
""",
    )
    assert later["有高龄"].status == "not_applicable"  # 79 on 2025-02-01
    assert later["收入"].status == "not_applicable"  # 100.01


def test_the_case_reader_refuses_what_the_group_does_not_allow(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile("  rule 甲 { kind 补贴  each 子女  amount 1 元 }\n", GROUP)
    too_many = refused(
        policy,
        tmp_path,
        "members:\n  甲: {role: 申请人}\n  乙: {role: 配偶}\n  丙: {role: 配偶}\non: 2026-01-01\n",
    )
    assert "2 members are 配偶 (`乙` at line 3, `丙` at line 4); 家庭 allows at most 1" in too_many
    unknown_input = refused(
        policy,
        tmp_path,
        "members:\n  甲: {role: 申请人, inputs: {生日: 1980-01-01}}\non: 2026-01-01\n",
    )
    assert "member `甲`: unknown input `生日`" in unknown_input
    unknown_role = refused(policy, tmp_path, "members:\n  甲: {role: 家长}\non: 2026-01-01\n")
    assert "`家长` is not a role of 家庭" in unknown_role
    no_applicant = refused(policy, tmp_path, "members:\n  甲: {role: 子女}\non: 2026-01-01\n")
    assert "家庭 needs a member who is 申请人" in no_applicant
    household_level = refused(
        policy,
        tmp_path,
        "members:\n  甲: {role: 申请人}\ninputs:\n  出生日期: 1980-01-01\non: 2026-01-01\n",
    )
    assert "input `出生日期` is per member" in household_level
    bad_period = refused(policy, tmp_path, "period: 2026-1\nmembers:\n  甲: {role: 申请人}\n")
    assert "`2026-1` is not a period" in bad_period


def test_check_refuses_a_member_input_where_no_member_is_in_view(policies: PolicyFactory) -> None:
    message = check_error(
        policies,
        "  rule 甲 { kind 补贴  when years_between(出生日期, on_date()) 满 80 年  amount 1 元 }\n",
    )
    assert "`出生日期` is a value per member" in message
    unknown_role = check_error(
        policies, "  rule 甲 { kind 补贴  when count(孙子) > 0 人  amount 1 元 }\n"
    )
    assert "`孙子` is not a role of the group" in unknown_role
    no_rounding = check_error(
        policies, "  rule 甲 { kind 补贴  amount divide(sum(月收入), count(members)) × 1 人 }\n"
    )
    assert "`divide` must declare how its result is rounded" in no_rounding


# ---- division and a rule's amount read by another ---------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "mode", "expected"),
    [
        ("1000", "3", ROUND_HALF_UP, "333.33"),
        ("1000", "3", ROUND_UP, "333.34"),
        ("0.05", "2", ROUND_HALF_UP, "0.03"),  # 0.025 exactly: a half goes up
        ("0.05", "2", ROUND_HALF_EVEN, "0.02"),  # … or to the even 分
        ("0.05", "2", ROUND_DOWN, "0.02"),
        ("-0.05", "2", ROUND_DOWN, "-0.02"),  # toward zero
        ("-0.05", "2", ROUND_HALF_UP, "-0.03"),  # away from zero
    ],
)
def test_divide_is_exact_until_its_declared_rounding(
    a: str, b: str, mode: str, expected: str
) -> None:
    got = divide_rounded(Quantity.of(a, "元"), Quantity.of(b, "人"), 2, mode)
    assert got == Quantity.of(expected, "元/人")
    assert got.value == Decimal(expected)


def test_amount_of_chains_rules_and_check_refuses_a_cycle(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(
        """
  rule 基本 { kind 补贴  when 其他 > 0 元  amount 10% of 其他 }
  rule 加发 { kind 补贴  amount amount_of(基本) + 100 元 }
""",
        "input 其他: 元 optional\n",
    )

    def results(**given: Any) -> dict[str, Any]:
        inputs = {k: Quantity.of(v, "元") for k, v in given.items()}
        return {r.info.name: r for r in policy.evaluate(inputs, date(2023, 6, 1), fast=False)}

    assert results(其他="1000")["加发"].amount == Quantity.of(200, "元")
    assert results(其他="0")["加发"].amount == Quantity.of(100, "元")  # 基本 does not apply: 0
    assert results()["加发"].status == "undetermined"  # 基本 is undetermined
    message = check_error(
        policies,
        """
  rule 甲 { kind 补贴  amount amount_of(乙) + 1 元 }
  rule 乙 { kind 补贴  amount amount_of(甲) + 1 元 }
""",
        "",
    )
    assert "rules read each other's amounts in a cycle: 乙 → 甲 → 乙" in message


# ---- schema and batch ------------------------------------------------------------------------


def test_schema_gives_members_roles_and_values_per_period() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    done = policyc("schema", str(POLICY))
    schema = json.loads(done.stdout)
    member = schema["properties"]["members"]["additionalProperties"]
    assert member["properties"]["role"]["enum"] == ["申请人", "配偶", "子女", "其他成员"]
    assert set(member["properties"]["inputs"]["properties"]) == {"出生日期", "月收入"}
    assert schema["properties"]["inputs"]["properties"] == {}  # every input is a member's
    good = {
        "period": "2026-03",
        "members": {"甲": {"role": "申请人", "inputs": {"月收入": {"2026-03": 1, "2026": 12}}}},
    }
    jsonschema.validate(good, schema)
    for bad in (
        {"period": "2026-13"},
        {"members": {"甲": {"role": "家长"}}},
        {"members": {"甲": {"role": "申请人", "inputs": {"月收入": {"2026-3": 1}}}}},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def test_check_refuses_a_cycle_through_a_decided_value(policies: PolicyFactory) -> None:
    message = check_error(
        policies,
        "  rule 甲 { kind 补贴  when 合计 > 0 元  amount 1 元 }\n",
        "decide 合计 = amount_of(甲) + 1 元\n",
    )
    assert "cycle: 合计 → 甲 → 合计" in message


def test_given_lets_a_case_give_what_the_policy_would_compute(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(
        """
  rule 高龄 {
    kind 补贴
    each members
    when (if given(核定年龄) then 核定年龄 else years_between(出生日期, on_date())) 满 80 年
    amount 100 元
  }
""",
        GROUP + "input 核定年龄: 年 per member optional\n",
    )
    out = run_case(
        policy,
        tmp_path,
        """on: 2025-03-01
members:
  甲: {role: 申请人, inputs: {核定年龄: 80}}
  乙: {role: 配偶, inputs: {出生日期: 1945-03-02}}
  丙: {role: 子女}
""",
    )
    statuses = [(m.member, m.status) for m in out["高龄"].members]
    # 甲's certified age counts; 乙 is 79 until 2025-03-02; 丙 gives neither: undetermined
    assert statuses == [("甲", "applies"), ("乙", "not_applicable"), ("丙", "undetermined")]
    assert out["高龄"].members[2].missing == ("丙.出生日期",)


def test_a_value_decided_per_member(policies: PolicyFactory, tmp_path: Path) -> None:
    policy = policies.compile(
        """
  rule 未成年 { kind 补贴  when count(members where 年龄 不满 18 年) >= 1 人  amount 1 元 }
  rule 高龄 { kind 补贴  each members  when 年龄 满 80 年  amount 100 元 }
""",
        GROUP + 'decide 年龄 = years_between(出生日期, on_date()) "成员的周岁"\n',
    )
    out = run_case(
        policy,
        tmp_path,
        """on: 2025-03-01
members:
  甲: {role: 申请人, inputs: {出生日期: 1945-03-01}}
  乙: {role: 子女, inputs: {出生日期: 2007-03-02}}
""",
    )
    ages = [(m.member, m.value) for m in out["年龄"].members]
    assert ages == [("甲", Quantity.of(80, "年")), ("乙", Quantity.of(17, "年"))]
    assert out["未成年"].status == "applies"
    assert out["高龄"].amount == Quantity.of(100, "元")
    message = check_error(
        policies,
        "  rule 甲 { kind 补贴  when 年龄 满 80 年  amount 1 元 }\n",
        GROUP + "decide 年龄 = years_between(出生日期, on_date())\n",
    )
    assert "`年龄` is a value per member" in message


def test_the_site_shows_the_roles_and_the_inputs_per_member_and_period() -> None:
    from policyc.compiler.site.assemble import render_docs

    page = render_docs([compile_policy(POLICY).checked])["docs/county-household.md"]
    assert "## 家庭成员 {#group}" in page
    assert "| 申请人 | 一人 | 提出申请的家庭成员 |" in page
    assert "| 配偶 | 至多 1 人 | — |" in page
    assert "| 子女 | 若干（可以没有） | — |" in page
    assert "| 月收入 | 数量（元），每位成员，按月，可逐月相加 | 按成员填写" in page
    assert "**按成员**：对每位子女分别判断、分别计发" in page


def test_the_language_guide_shows_a_fixture_case_as_it_is() -> None:
    guide = (Path(__file__).parent.parent / "docs" / "language.md").read_text(encoding="utf-8")
    shown = guide.split("# tests/fixtures/county-household/cases/04-child-turns-18.yaml\n")[1]
    block = "\n".join(line[2:] for line in shown.split("```")[0].splitlines()).strip()
    fixture = (FIXTURE / "cases" / "04-child-turns-18.yaml").read_text(encoding="utf-8")
    case_lines = [line for line in fixture.splitlines() if not line.startswith("#")]
    assert block == "\n".join(case_lines).strip()


def test_fast_and_traced_paths_agree_on_every_fixture_case() -> None:
    policy = compile_policy(POLICY)
    for path in sorted((FIXTURE / "cases").glob("*.yaml")):
        case = load_case(path, policy.checked)
        assert case.on is not None
        fast = policy.evaluate(case.inputs, case.on, fast=True)
        traced = policy.evaluate(case.inputs, case.on, fast=False)
        assert fast == traced, path.name


def test_a_year_reads_a_monthly_flow_as_the_sum_of_its_months(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(
        "  rule 年工资 { kind 补贴  when 工资 超过 1200 元  amount 1 元 }\n", GROUP
    )
    months = ", ".join(f"2024-{m:02d}: 100" for m in range(1, 13))
    head = "period: 2024\nmembers:\n  甲: {role: 申请人}\ninputs:\n"
    exactly = run_case(policy, tmp_path, head + f"  工资: {{{months}}}\n")
    assert exactly["年工资"].status == "not_applicable"  # 1200 is not 超过 1200
    more = run_case(
        policy, tmp_path, head + f"  工资: {{{months.replace(': 100', ': 100.01', 1)}}}\n"
    )
    assert more["年工资"].status == "applies"
    eleven = months.rsplit(",", 1)[0]
    missing = run_case(policy, tmp_path, head + f"  工资: {{{eleven}}}\n")
    assert missing["年工资"].missing == ("工资[2024]",)


def test_a_declared_default_fills_a_member_and_a_period_not_given(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(
        """
  rule 低收入 { kind 补贴  when sum(收入) 低于 1000 元  amount 1 元 }
  rule 一月面积 { kind 补贴  when january(面积) 超过 50 平方米  amount 2 元 }
  rule 上月收入 { kind 补贴  each members  when last_month(收入) 低于 1 元  amount 3 元 }
""",
        GROUP
        + "input 收入: 元 per member per 月 flow default 0 元\n"
        + "input 面积: 平方米 per 月 default 60 平方米\n",
    )
    head = "period: 2025-01\nmembers:\n  甲: {role: 申请人, inputs: {收入: {2025-01: 999.99}}}\n"
    out = run_case(policy, tmp_path, head + "  乙: {role: 子女}\n")
    assert out["低收入"].status == "applies"  # 乙's income defaults to 0: 999.99 in all
    assert out["一月面积"].status == "applies"  # 60 by default, 超过 50
    assert out["上月收入"].amount == Quantity.of(6, "元")  # December: 0 by default, for both
    given = run_case(
        policy, tmp_path, head + "  乙: {role: 子女, inputs: {收入: 0.01}}\ninputs:\n  面积: 50\n"
    )
    assert given["低收入"].status == "not_applicable"  # 1000.00 is not 低于 1000
    assert given["一月面积"].status == "not_applicable"  # a value given alone is January's


def test_a_monthly_amount_in_a_years_case_adds_up_its_months(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(
        """
  rule 生活补助 { kind 补助  when 工资 低于 1000 元  amount 100 元 per 月 }
  rule 年度奖励 { kind 补贴  when year_total(工资) 低于 12000 元  amount 500 元 per 年 }
""",
        GROUP,
    )
    wages = ", ".join(f"2024-{m:02d}: {999.99 if m <= 4 else 1000}" for m in range(1, 13))
    head = "members:\n  甲: {role: 申请人}\ninputs:\n"
    year = run_case(policy, tmp_path, "period: 2024\n" + head + f"  工资: {{{wages}}}\n")
    # four months below 1000 (低于 excludes 1000 itself): 4 × 100
    assert year["生活补助"].amount == Quantity.of(400, "元")
    assert [p for p, status, _ in year["生活补助"].periods if status == "applies"] == [
        "2024-01", "2024-02", "2024-03", "2024-04",
    ]  # fmt: skip
    assert year["年度奖励"].status == "applies"  # 11999.96 低于 12000
    # a month's case of a yearly rule evaluates the month's year
    month = run_case(policy, tmp_path, "period: 2024-06\n" + head + f"  工资: {{{wages}}}\n")
    assert month["生活补助"].status == "not_applicable"  # June: 1000
    assert month["年度奖励"].status == "applies"
    assert month["年度奖励"].periods == (("2024", "applies", Quantity.of(500, "元")),)


def test_a_monthly_amount_from_a_yearly_stock_is_refused_at_check(policies: PolicyFactory) -> None:
    message = check_error(
        policies,
        "  rule 甲 { kind 补贴  amount 10% of 年收入 per 月 }\n",
        GROUP + "input 年收入: 元 per 年\n",
    )
    assert "a monthly amount cannot be taken from `年收入`" in message
    policies.compile(
        "  rule 甲 { kind 补贴  amount 10% of 年收入 per 年 }\n",
        GROUP + "input 年收入: 元 per 年\n",
    )


def test_fmt_lays_out_the_group_one_role_a_line() -> None:
    from policyc.compiler.fmt import check_formatted

    text = POLICY.read_text(encoding="utf-8")
    assert "group 家庭 {\n    role 申请人 one" in text
    assert check_formatted(text, str(POLICY))


def test_a_members_given_value_wins_over_the_declared_default(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(
        "  rule 高龄 { kind 补贴  each members  when years_between(生日, on_date()) 满 80 年  amount 1 元 }\n",
        GROUP + "input 生日: date per member default 1900-01-01\n",
    )
    out = run_case(
        policy,
        tmp_path,
        "on: 2025-03-01\nmembers:\n  甲: {role: 申请人, inputs: {生日: 1980-02-15}}\n  乙: {role: 子女}\n",
    )
    assert [(m.member, m.status) for m in out["高龄"].members] == [
        ("甲", "not_applicable"),  # given: 45
        ("乙", "applies"),  # the default: born 1900
    ]


def test_the_answer_names_the_period_evaluated() -> None:
    case = str(FIXTURE / "cases" / "06-heating-year-36000.yaml")
    done = policyc("run", str(POLICY), "--case", case)
    assert done.stdout.splitlines()[1] == "评估期间 2026"
    assert "评估日 2026-01-01" in done.stdout


def test_a_yearly_flow_read_in_a_month_is_its_twelfth(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(
        "  rule 月补 { kind 补贴  when 年收入 低于 1000 元  amount 10% of 年收入 per 月 }\n",
        GROUP + "input 年收入: 元 per 年 flow\n",
    )
    head = "period: 2024-05\nmembers:\n  甲: {role: 申请人}\ninputs:\n"
    below = run_case(policy, tmp_path, head + "  年收入: {2024: 11999.88}\n")
    assert below["月补"].amount == Quantity.of("99.999", "元")  # 999.99 a month, 10%
    edge = run_case(policy, tmp_path, head + "  年收入: {2024: 12000}\n")
    assert edge["月补"].status == "not_applicable"  # 1000 a month is not 低于 1000


def test_the_answer_lists_the_members_and_each_members_outcome() -> None:
    # Born 2008-03-01, 大女儿 is 满18 on 2026-03-01 (未满18周岁 no longer holds); 小儿子, born a
    # day later, is 17: 育儿补贴 pays him alone, 200元 a month (第二条: 每人每月200元).
    case = str(FIXTURE / "cases" / "04-child-turns-18.yaml")
    lines = policyc("run", str(POLICY), "--case", case).stdout.splitlines()
    assert lines[3] == "家庭成员 3 人: 王芳（申请人）、大女儿（子女）、小儿子（子女）"
    paid = lines.index("  ✔ 育儿补贴 — 适用: 200元（每月） · 责任单位: 县民政局")
    assert lines[paid + 1] == "      各成员: 大女儿（子女） 不适用；小儿子（子女） 200元"


def test_the_answer_gives_a_value_decided_per_member_with_roles(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    path = policies.write(
        policies.clause(
            "  rule 高龄 { kind 补贴  each members  when 年龄 满 80 年  amount 100 元 }\n",
            GROUP + 'decide 年龄 = years_between(出生日期, on_date()) "成员的周岁"\n',
        )
    )
    # On 2025-03-01: 甲, born 1945-03-01, is 80 that day (满 includes it); 乙, born 2007-03-02,
    # is 17 (18 the next day).
    case = tmp_path / "case.yaml"
    case.write_text(
        "on: 2025-03-01\nmembers:\n"
        "  甲: {role: 申请人, inputs: {出生日期: 1945-03-01}}\n"
        "  乙: {role: 子女, inputs: {出生日期: 2007-03-02}}\n",
        encoding="utf-8",
    )
    lines = policyc("run", str(path), "--case", str(case)).stdout.splitlines()
    assert "家庭成员 2 人: 甲（申请人）、乙（子女）" in lines
    assert "  年龄: 甲（申请人） 80年、乙（子女） 17年" in lines
    assert "      各成员: 甲（申请人） 100元；乙（子女） 不适用" in lines
