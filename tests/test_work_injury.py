"""The 工伤保险条例 restatement of a newcomer (tests/fixtures/work-injury): what it found wrong,
worked by hand from the regulation's figures (第三十五条, 第六十四条)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from policyc.compiler import nodes as n
from policyc.compiler.errors import PolicyError
from policyc.compiler.lint import lint
from policyc.compiler.pipeline import check_policy
from policyc.compiler.render import render
from tests.conftest import PolicyFactory

FIXTURE = Path(__file__).parent / "fixtures" / "work-injury"
POLICY = FIXTURE / "gsbx-2010.policy"
CASES = FIXTURE / "examples" / "gsbx-2010"


def policyc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, "LANGUAGE": "en"},
    )


def totals_line(case: str) -> str:
    done = policyc("run", str(POLICY), "--case", str(CASES / case))
    assert done.returncode == 0, done.stderr
    return next(line.strip() for line in done.stdout.splitlines() if "合计" in line)


def test_a_one_time_and_a_monthly_amount_are_never_one_total() -> None:
    # case 04: 本人工资 3,600元 (60% of 6,000); 一次性 21 × 3,600 = 75,600元; 伤残津贴 75% × 3,600
    # = 2,700元 below the minimum wage 2,800元 → 2,800元 a month. Not 78,400元.
    line = totals_line("04-grade4-below-floor-minimum-wage.yaml")
    assert line == "合计（支付给申请人）: 一次性 75,600元（7.56万元）；每月 2800元"
    # case 01: 一次性 27 × 5,000 = 135,000元; each month 90% × 5,000 = 4,500元 + 50% × 6,000 =
    # 3,000元 = 7,500元. Not 142,500元.
    line = totals_line("01-grade1-nursing.yaml")
    assert line == "合计（支付给申请人）: 一次性 135,000元（13.5万元）；每月 7500元"


def test_the_json_totals_are_kept_by_measure_and_period() -> None:
    done = policyc(
        "run", str(POLICY), "--case", str(CASES / "01-grade1-nursing.yaml"), "--format", "json"
    )
    doc = json.loads(done.stdout)
    assert doc["policyc"] == 3
    expected = {
        "元": {"value": "135000", "unit": "元", "text": "一次性 135,000元（13.5万元）"},
        "元/月": {"value": "7500", "unit": "元/月", "text": "每月 7500元"},
    }
    assert doc["totals"] == expected
    assert doc["totals_by_kind"] == {"paid": expected}
    (item,) = doc["totals_by_beneficiary"]
    assert item["totals"] == expected


def test_a_one_time_total_alone_keeps_its_plain_words() -> None:
    # case 08: 八级, 本人工资 8,000元: 11 × 8,000 = 88,000元, one-time only
    done = policyc("run", str(POLICY), "--case", str(CASES / "08-grade-8.yaml"), "--format", "json")
    doc = json.loads(done.stdout)
    assert doc["totals"] == {"元": {"value": "88000", "unit": "元", "text": "88,000元（8.8万元）"}}


def test_the_batch_summary_totals_each_period_apart(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    (tmp_path / "cases.csv").write_text(
        "id,on,伤残等级,平均月缴费工资,职工月平均工资,最低工资标准,生活护理\n"
        "01,2025-06-30,一级,5000,6000,2000,生活完全不能自理\n"
        "04,2025-06-30,四级,3599.99,6000,2800,\n",
        encoding="utf-8",
    )
    (tmp_path / "members.csv").write_text("case,member,role\n01,甲,其他亲属\n", encoding="utf-8")
    args = ("run", str(POLICY), "--cases", "cases.csv", "--members", "members.csv")
    done = policyc(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # one-time: 135,000 + 75,600 = 210,600元; each month: 4,500 + 3,000 + 2,800 = 10,300元
    assert (
        "合计（支付给申请人）: 一次性 210,600元（21.06万元）；每月 10,300元（1.03万元）"
        in done.stdout
    )
    summary = json.loads(policyc(*args, "--format", "json", cwd=tmp_path).stdout)
    assert summary["totals"] == {"元": "210600", "元/月": "10300"}
    # a decided 元/月 value is held per year (43200 and 60000 元/年) and shown, as the answer shows
    # it, in 元/月 when every value divides exactly (tidy12): 3,600 and 5,000元 a month
    (decision,) = summary["decisions"]
    assert (decision["unit"], decision["values"]) == ("元/月", {"3600": 1, "5000": 1})


def expect_value(tmp_path: Path, value: str) -> subprocess.CompletedProcess[str]:
    """case 01 (平均月缴费工资 5,000元, within 60%–300% of 6,000元: 本人工资 5,000元 a month)
    expecting 本人工资 `value`."""
    case = (CASES / "01-grade1-nursing.yaml").read_text(encoding="utf-8")
    case = case.replace("value: 5000}", f"value: {value}}}")
    assert f"value: {value}}}" in case
    (tmp_path / "case.yaml").write_text(case, encoding="utf-8")
    return policyc("test", str(POLICY), str(tmp_path / "case.yaml"))


@pytest.mark.parametrize(
    ("value", "passes"),
    [
        ("5000", True),  # 元/月, the measure 平均月缴费工资 is declared in
        ("5000元/月", True),
        ("60000元/年", True),  # the same wage a year, its measure written
        ("60000", False),  # was read in the stored 元/年 and passed
        ("4999.99", False),
        ("5000.01", False),
    ],
)
def test_a_bare_expected_value_is_read_in_the_declared_measure(
    tmp_path: Path, value: str, passes: bool
) -> None:
    done = expect_value(tmp_path, value)
    assert (done.returncode == 0) is passes, done.stdout + done.stderr
    if not passes:  # (how the got value is shown is the display's: 5,000元 a month either way)
        assert f"本人工资: value: expected {value}, got " in done.stdout


def test_a_bare_value_is_refused_where_the_inputs_declare_two_measures(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    # 月工资 in 元/月 and 年奖金 in 元/年 share their dimensions, and 工资 reads both: a bare
    # 5000 could be either. (A value reading one of them is shown and read in its measure:
    # `decide 月薪 = 月工资` takes a bare 5000 as 5000元/月, test_shown_measures.)
    path = policies.write(
        policies.clause(
            "  rule 补贴 { amount 100 元 }\n",
            "input 月工资: 元/月\ninput 年奖金: 元/年\ndecide 工资 = max(月工资, 年奖金)\n",
        )
    )
    case = tmp_path / "case.yaml"
    case.write_text(
        "policy: 测试〔2023〕1号\non: 2024-01-01\ninputs: {月工资: 5000, 年奖金: 0}\n"
        "expect:\n  工资: {status: decided, value: 5000}\n",
        encoding="utf-8",
    )
    done = policyc("test", str(path), str(case))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "a bare 5000 is ambiguous for a value in 元/月" in done.stdout
    assert "declared in 元/年 / 元/月; write the measure, as `5000元/年`" in done.stdout
    case.write_text(case.read_text(encoding="utf-8").replace("value: 5000", "value: 5000元/月"))
    assert policyc("test", str(path), str(case)).returncode == 0


def share_warnings(policies: PolicyFactory, rules: str, declarations: str = "") -> list[str]:
    path = policies.write(policies.clause(rules, declarations))
    return [d.message for d in lint(check_policy(path)) if d.code == "share-over-whole"]


@pytest.mark.parametrize(
    ("rules", "declarations"),
    [
        # 第六十四条: 高于平均工资300%的, 按300%计算 — a bound compared with, then taken
        (
            "  rule 补贴 { amount 工资 × 1 月 }\n",
            "input 平均工资: 元/月\ninput 月工资: 元/月\n"
            "define 工资 = if 月工资 高于 300% of 平均工资 then 300% of 平均工资 else 月工资\n",
        ),
        # a threshold: 超过上年度平均工资150%的
        (
            "  rule 补贴 { when 月工资 超过 150% of 平均工资  amount 100 元 }\n",
            "input 平均工资: 元/月\ninput 月工资: 元/月\n",
        ),
        # a ceiling: 最高不超过投资额的120%
        ("  rule 补贴 { amount 10 万元  cap 120% of 投资额 }\n", "input 投资额: 元\n"),
    ],
)
def test_a_multiple_the_text_states_as_a_bound_is_no_share_over_the_whole(
    policies: PolicyFactory, rules: str, declarations: str
) -> None:
    assert share_warnings(policies, rules, declarations) == []


def test_a_paid_share_over_the_whole_still_warns(policies: PolicyFactory) -> None:
    # 按投资额的150%给予补贴 pays more than was spent: a slip for 15%; and 300% taken in a branch
    # that is not the bound compared with (else 300% of 平均工资, compared with 60%) still warns
    declarations = "input 投资额: 元\ninput 平均工资: 元/月\ninput 月工资: 元/月\n"
    rules = (
        "  rule 补贴 { amount 150% of 投资额 }\n"
        "  rule 津贴 { amount (if 月工资 低于 60% of 平均工资 then 60% of 平均工资"
        " else 300% of 平均工资) × 1 月 }\n"
    )
    found = share_warnings(policies, rules, declarations)
    assert len(found) == 2, found
    assert "150% of 投资额" in found[0] and "300% of 平均工资" in found[1]


def test_a_group_counted_in_people_is_counted_in_people_in_the_answer() -> None:
    # `group 供养亲属 counted 人`: 3 dependants are 3 人 (it printed 3 项 unless the name said 家/户)
    done = policyc("run", str(POLICY), "--case", str(CASES / "11-death-three-dependants-cap.yaml"))
    assert "供养亲属 3 人: 李妻（配偶）、李母（其他亲属）、李子（其他亲属）" in done.stdout
    # 丧葬 6 × 6,000 = 36,000 + 工亡 20 × 49,283 = 985,660 → 1,021,660元 once; 抚恤金 2,800 +
    # (2,800 + 2,100 = 4,900 capped to 7,000 − 2,800 = 4,200) = 7,000元 a month
    assert "合计（支付给近亲属）: 1,021,660元" in done.stdout
    assert "合计（支付给供养亲属）: 每月 7000元" in done.stdout


def test_an_uncounted_group_of_people_is_told_to_write_counted_people(
    policies: PolicyFactory,
) -> None:
    path = policies.write(
        policies.clause(
            "  rule 补贴 { each 配偶  amount 100 元 }\n",
            'group 供养亲属 { role 配偶 at_most 1 "配偶" }\n',
        )
    )
    (found,) = [d.message for d in check_policy(path).warnings if d.code == "group-uncounted"]
    assert "`group 供养亲属 counted 人 { … }` for people" in found


def test_explain_shows_no_rounding_step_that_changes_nothing() -> None:
    # `rounding to 分 half_up`; case 01's amounts are whole 元 (135,000, 4,500, 3,000): no step
    done = policyc("run", str(POLICY), "--case", str(CASES / "01-grade1-nursing.yaml"), "--explain")
    assert done.returncode == 0, done.stderr
    assert "舍入" not in done.stdout


PARTIAL = """enum 等级 { 一级, 二级, 三级 }
input 等级: 等级
input 工资: 元
table 津贴比例 by 等级 { 一级: 90%, 二级: 85% }
"""


def table_errors(policies: PolicyFactory, rules: str) -> list[str]:
    path = policies.write(policies.clause(rules, PARTIAL))
    try:
        check_policy(path)
    except PolicyError as exc:
        return [d.message for d in exc.diagnostics if d.severity.value == "error"]
    return []


@pytest.mark.parametrize(
    "rules",
    [
        "  rule 津贴 { when 等级 in {一级, 二级}  amount 津贴比例[等级] of 工资 }\n",
        "  rule 津贴 { when 等级 is 一级  amount 津贴比例[等级] of 工资 }\n",
        "  rule 津贴 { amount 津贴比例[二级] of 工资 }\n",
        "  rule 津贴 { amount (if 等级 in {一级, 二级} then 津贴比例[等级] else 0%) of 工资 }\n",
    ],
)
def test_a_table_may_leave_out_members_no_reading_reaches(
    policies: PolicyFactory, rules: str
) -> None:
    assert table_errors(policies, rules) == []


@pytest.mark.parametrize(
    ("rules", "members"),
    [
        ("  rule 津贴 { amount 津贴比例[等级] of 工资 }\n", "三级"),
        ("  rule 津贴 { when 等级 in {二级, 三级}  amount 津贴比例[等级] of 工资 }\n", "三级"),
        ("  rule 津贴 { amount 津贴比例[三级] of 工资 }\n", "三级"),
        # the `else` branch is not guarded by the `if`'s condition
        (
            "  rule 津贴 { amount (if 等级 is 一级 then 0% else 津贴比例[等级]) of 工资 }\n",
            "三级",
        ),
    ],
)
def test_a_reading_that_can_reach_a_missing_row_is_refused_naming_it(
    policies: PolicyFactory, rules: str, members: str
) -> None:
    (found,) = table_errors(policies, rules)
    assert found == (
        f"table `津贴比例` has no row for {members}, which rule `津贴` can read here: give those "
        "rows, or restrict the reading to the members that have one"
    )


def test_a_partial_table_is_read_for_its_members_and_never_for_the_others(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    rules = "  rule 津贴 { kind 补助  when 等级 in {一级, 二级}  amount 津贴比例[等级] of 工资 }\n"
    path = policies.write(policies.clause(rules, PARTIAL))
    for grade, status, amount in (("二级", "applies", "850"), ("三级", "not_applicable", None)):
        case = tmp_path / "case.yaml"
        case.write_text(
            f"policy: 测试〔2023〕1号\non: 2024-01-01\ninputs: {{等级: {grade}, 工资: 1000}}\n",
            encoding="utf-8",
        )
        done = policyc("run", str(path), "--case", str(case), "--format", "json")
        (result,) = [r for r in json.loads(done.stdout)["results"] if r["rule"] == "津贴"]
        assert result["status"] == status  # 85% × 1,000 = 850元; 三级 has no row and no 津贴
        assert (result.get("amount") or {}).get("value") == amount


def test_an_input_whose_absence_means_none_is_a_member_and_a_default() -> None:
    # 未评定的不填 / 未死亡的不填: `伤残等级 default 未评定`, `死亡 default 未死亡`. A worker in
    # 停工留薪期 before grading (case 14): 原工资福利 6,500元 a month, and no rule undetermined,
    # nothing asked about a death
    done = policyc(
        "run",
        str(POLICY),
        "--case",
        str(CASES / "14-leave-before-grading.yaml"),
        "--format",
        "json",
    )
    doc = json.loads(done.stdout)
    by_rule = {r["rule"]: r for r in doc["results"]}
    assert by_rule["停工留薪期工资福利"]["amount"]["value"] == "6500"
    assert [r["rule"] for r in doc["results"] if r["status"] == "undetermined"] == []
    assert doc["still_needed"] == []
    text = (FIXTURE / "gsbx-2010.policy").read_text(encoding="utf-8")
    assert "workaround: 未评定" not in text and "given(伤残等级)" not in text


def test_a_shared_cap_in_a_clause_says_where_it_goes(policies: PolicyFactory) -> None:
    cap = "  shared_cap 合计 { limit 15 万元 per 企业 per 年  over clause 七 }\n"
    path = policies.write(policies.clause("  rule 补贴 { amount 100 元 }\n" + cap))
    with pytest.raises(PolicyError) as caught:
        check_policy(path)
    (found,) = [d.message for d in caught.value.diagnostics]
    assert found.startswith("unexpected `shared_cap`: a `shared_cap` goes at the top level or ")
    assert "in a section, not in a clause or a rule" in found


def test_a_shared_cap_limit_the_case_gives_is_accepted(
    policies: PolicyFactory,
) -> None:
    # 第三十九条's limit is 生前工资 (元/月, one month's money per 月): the limit is accepted and
    # the only error left is the order this cap does not declare
    body = (
        policies.clause("  rule 补贴 { amount 100 元 }\n", "input 生前工资: 元/月\n")
        + "shared_cap 抚恤金 { limit 生前工资 per 户 per 月  over 补贴 }\n"
    )
    path = policies.write(body)
    with pytest.raises(PolicyError) as caught:
        check_policy(path)
    (found,) = [d.message for d in caught.value.diagnostics]
    assert "does not say in which order the cap is shared out" in found


RATE = """input 工资: 元/月
input 封顶: 元/月
"""
RATE_RULE = "  rule 津贴 { kind 补助  amount 50% of 工资 per 月  cap 封顶 per 月 }\n"


def test_a_monthly_figure_per_month_is_the_money_of_one_month(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    # 原工资福利待遇不变，按月支付: `amount X per 月` with X in 元/月 is X each month; the cap in
    # 元/月 likewise. 50% × 5,000 = 2,500元, capped at 2,000元; 50% × 3,000 = 1,500元 (under it)
    path = policies.write(policies.clause(RATE_RULE, RATE))
    for wage, amount, uncapped in (("5000", "2000", "2500"), ("3000", "1500", None)):
        case = tmp_path / "case.yaml"
        case.write_text(
            f"policy: 测试〔2023〕1号\non: 2024-01-01\ninputs: {{工资: {wage}, 封顶: 2000}}\n",
            encoding="utf-8",
        )
        done = policyc("run", str(path), "--case", str(case), "--format", "json")
        (result,) = [r for r in json.loads(done.stdout)["results"] if r["rule"] == "津贴"]
        assert result["amount"]["value"] == amount
        assert (result.get("uncapped") or {}).get("value") == uncapped
        assert result["amount_per"] == "month"


def test_a_monthly_figure_per_month_in_the_batch_and_on_the_site(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    path = policies.write(policies.clause(RATE_RULE, RATE))
    (tmp_path / "c.csv").write_text(
        "id,on,工资,封顶\na,2024-01-01,5000,2000\nb,2024-01-01,3000,2000\nc,2024-01-01,1000,2000\n",
        encoding="utf-8",
    )
    done = policyc("run", str(path), "--cases", str(tmp_path / "c.csv"))
    # 2,000 (capped) + 1,500 + 500 = 4,000元 a month
    assert "合计（支付给申请人）: 每月 4000元" in done.stdout, done.stdout + done.stderr
    checked = check_policy(path)
    (rule,) = [r for _owner, r in checked.file.all_rules()]
    assert isinstance(rule.amount, n.Arith) and rule.amount.implied  # 工资的50% × 1 月
    assert "1月" not in render(rule.amount) and "1 月" not in render(rule.amount)


def test_a_monthly_figure_without_per_names_the_form_to_write(policies: PolicyFactory) -> None:
    path = policies.write(policies.clause("  rule 津贴 { kind 补助  amount 50% of 工资 }\n", RATE))
    with pytest.raises(PolicyError) as caught:
        check_policy(path)
    (found,) = [d for d in caught.value.diagnostics if d.severity.value == "error"]
    assert found.message == "an amount must be money, not a quantity in 元/月"
    assert "`amount 50% of 工资 per 月` (the money of one month)" in found.expected


PROPORTIONAL = """input 甲: 元
input 乙: 元
"""
SHARED = 'shared_cap 抚恤金 { limit 7000 元 per 户  over 配偶, 亲属  order proportional because "按比例核减" }\n'


def shared_out(policies: PolicyFactory, tmp_path: Path, a: str, b: str) -> dict[str, Any]:
    rules = "  rule 配偶 { kind 补助  amount 甲 }\n  rule 亲属 { kind 补助  amount 乙 }\n"
    path = policies.write(policies.clause(rules, PROPORTIONAL) + SHARED)
    case = tmp_path / "case.yaml"
    case.write_text(
        f"policy: 测试〔2023〕1号\non: 2024-01-01\ninputs: {{甲: {a}, 乙: {b}}}\n", encoding="utf-8"
    )
    done = policyc("run", str(path), "--case", str(case), "--format", "json")
    assert done.returncode == 0, done.stderr
    return {r["rule"]: r for r in json.loads(done.stdout)["results"]}


def test_a_shared_cap_cut_in_proportion_adds_up_to_the_cap_exactly(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    # 2,800 + 4,900 = 7,700 over 7,000: 2,800 × 7,000 ÷ 7,700 = 2,545.4545… → 2,545.45;
    # 4,900 × 7,000 ÷ 7,700 = 4,454.5454… → 4,454.54; the 分 left (7,000 − 6,999.99) goes to
    # the larger remainder (0.54… over 0.45…): 4,454.55. 2,545.45 + 4,454.55 = 7,000.00
    results = shared_out(policies, tmp_path, "2800", "4900")
    assert results["配偶"]["amount"]["value"] == "2545.45"
    assert results["亲属"]["amount"]["value"] == "4454.55"
    share = results["亲属"]["shared_cap"]
    assert share["order"] == "proportional" and share["used_before"]["value"] == "7700"


def test_a_shared_cap_in_proportion_under_the_cap_pays_each_in_full(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    # 2,800 + 4,200 = 7,000: not over the cap (不应高于), each in full
    results = shared_out(policies, tmp_path, "2800", "4200")
    assert results["配偶"]["amount"]["value"] == "2800"
    assert results["亲属"]["amount"]["value"] == "4200"


def test_in_a_years_case_a_monthly_rule_adds_up_to_the_years_total(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    # a year's case: 月补 100元 × 12 months = 1,200元, the year's money (每年); 一次性 500元 apart
    rules = (
        "  rule 月补 { kind 补助  amount 100 元 per 月 }\n"
        "  rule 一次性 { kind 补助  amount 500 元 }\n"
    )
    path = policies.write(policies.clause(rules))
    case = tmp_path / "case.yaml"
    case.write_text("policy: 测试〔2023〕1号\nperiod: 2024\n", encoding="utf-8")
    done = policyc("run", str(path), "--case", str(case), "--all")
    assert "合计（支付给申请人）: 一次性 500元；每年 1200元" in done.stdout, done.stdout


def test_a_bare_value_of_dimensions_no_measure_names_is_read_as_held(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    # 2元 × 3人 = 6 元·人: no measure of the language is named 元·人; a bare 6 is that value
    path = policies.write(
        policies.clause(
            "  rule 补贴 { amount 100 元 }\n",
            "input 甲: 元\ninput 乙: 人\ndecide 积 = 甲 × 乙\n",
        )
    )
    case = tmp_path / "case.yaml"
    for value, passes in (("6", True), ("7", False)):
        case.write_text(
            "policy: 测试〔2023〕1号\non: 2024-01-01\ninputs: {甲: 2, 乙: 3}\n"
            f"expect:\n  积: {{status: decided, value: {value}}}\n",
            encoding="utf-8",
        )
        assert (policyc("test", str(path), str(case)).returncode == 0) is passes
