"""What a newcomer's farm-subsidy notice could not say, or said wrong (session 5):

1. a cap's scope (`cap 15 万元 per 台`) is checked: a period, what one case is, or, in an `each`
   rule, a member; anything else is refused, and a cap per item is written with a group, the
   rule paid `each` member, its cap applied per member;
2. `expect:` reads its amounts as the inputs are read (a bare number in the rule's measure),
   and says why when a status or an amount before the cap differs in a way a drafter misreads;
3. 公顷 and 平方公里 are areas in 平方米; 亩 stays apart and says so; 畝/公頃 are suggested;
4. a failed `given(X)` reads `案例未给出X`;
5. a rounding the document states cites its sentence (`rounding … quote "…"`);
6. 罚款 (and 罚金, 滞纳金, 没收) is payable by the applicant, as 收费标准 is.

Expected figures are worked by hand from tests/fixtures/farm/source.txt (in each case file).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policyc.cli import main
from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import compile_policy
from policyc.runtime.quantity import MeasureError, parse_measure
from policyc.runtime.quantity_reading import parse_quantity_text, read_input_quantity
from tests.conftest import FIXTURES, PolicyFactory

FARM = FIXTURES / "farm"
POLICY = FARM / "farm.policy"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def check_error(policies: PolicyFactory, rules: str, declarations: str = "") -> str:
    with pytest.raises(PolicyError) as caught:
        policies.compile(rules, declarations)
    return str(caught.value)


def run_json(capsys: pytest.CaptureFixture[str], case: Path, *more: str) -> dict:  # type: ignore[type-arg]
    code, out, err = cli(capsys, "run", str(POLICY), "--case", str(case), "--format", "json", *more)
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def by_rule(document: dict) -> dict:  # type: ignore[type-arg]
    return {r["rule"]: r for r in document["results"]}


# ---- the fixture's cases, worked by hand ---------------------------------------------------


def test_the_farm_cases_pass(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = cli(capsys, "test", str(POLICY), str(FARM / "cases"))
    assert code == 0, out
    assert "14 passed, 0 failed" in out


def test_a_wrong_expectation_in_a_farm_case_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # One cap for the two machines (15万元) is the wrong answer the newcomer got: it must fail.
    text = (FARM / "cases" / "04-two-machines-each-capped.yaml").read_text(encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text(text.replace("amount: 30万元", "amount: 15万元"), encoding="utf-8")
    code, out, _err = cli(capsys, "test", str(POLICY), str(case))
    assert code == 1
    assert "amount: expected 150,000元（15万元）, got 300,000元（30万元）" in out


# ---- 1. a cap's scope ------------------------------------------------------------------------


def test_an_each_rule_caps_each_member(capsys: pytest.CaptureFixture[str]) -> None:
    # 两台各100万元: 各30万元, 单台最高15万元 → 15万元 + 15万元 = 30万元, not one cap of 15万元.
    result = by_rule(run_json(capsys, FARM / "cases" / "04-two-machines-each-capped.yaml"))
    machines = result["农机购置补贴"]
    assert machines["amount"]["value"] == "300000"
    assert machines["uncapped"]["value"] == "600000"
    members = {m["member"]: m for m in machines["members"]}
    for name in ("拖拉机", "收割机"):
        assert members[name]["amount"]["value"] == "150000"
        assert members[name]["uncapped"]["value"] == "300000"


def test_a_machine_on_the_cap_is_not_reduced_and_one_past_it_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 50万元 → 15万元 exactly (not capped); 500,001元 → 150,000.3元 → 15万元 (capped).
    result = by_rule(run_json(capsys, FARM / "cases" / "05-machine-exactly-on-the-cap.yaml"))
    members = {m["member"]: m for m in result["农机购置补贴"]["members"]}
    assert members["甲"]["amount"]["value"] == "150000"
    assert members["甲"]["uncapped"] is None
    assert members["乙"]["amount"]["value"] == "150000"
    assert members["乙"]["uncapped"]["value"] == "150000.3"


def test_a_group_of_things_is_counted_in_items_not_people(
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = FARM / "cases" / "04-two-machines-each-capped.yaml"
    code, out, _err = cli(capsys, "run", str(POLICY), "--case", str(case))
    assert code == 0
    assert "购置机具 2 台: 拖拉机（机具）、收割机（机具）" in out  # `group 购置机具 counted 台`
    assert "2 人" not in out


COUNTED = "input 台数: 台\ninput 总价: 元\n"


def test_a_cap_per_an_unknown_word_is_refused(policies: PolicyFactory) -> None:
    message = check_error(
        policies, "  rule r { amount 30% of 总价  cap 15 万元 per 乱七八糟 }\n", COUNTED
    )
    assert "`per 乱七八糟` is not a scope policyc knows" in message
    assert "the cap is applied once per case" in message
    assert "a period (年, 月) or one of 企业" in message


def test_a_cap_per_a_count_outside_an_each_rule_is_refused_pointing_to_each(
    policies: PolicyFactory,
) -> None:
    message = check_error(
        policies, "  rule r { amount 30% of 总价  cap 15 万元 per 台 }\n", COUNTED
    )
    assert "`per 台`: a cap is applied once per case, and a case is not one 台" in message
    assert "a cap per 台 caps each 台" in message
    assert "`each ROLE`" in message and "role ROLE many" in message
    # the caret is under the word
    assert "^^" in message.split("`per 台`")[1]


def test_a_cap_per_person_is_refused_when_the_case_counts_persons(
    policies: PolicyFactory,
) -> None:
    declarations = "input 人数: 人\n"
    message = check_error(
        policies, "  rule r { amount 500 元/人 × 人数  cap 1600 元 per 人 per 年 }\n", declarations
    )
    assert "the case counts 人 (input `人数`)" in message


@pytest.mark.parametrize(
    "scope",
    ["per 企业 per 年", "per 人 per 年", "per 项目", "per 户 per 月", "per 承包农户"],
)
def test_a_cap_per_a_period_or_what_one_case_is_checks(policies: PolicyFactory, scope: str) -> None:
    # 社会保险补贴 (最高每人每年1600元) is one person's case: `per 人` without a count of 人.
    rule = f"  rule r {{ beneficiary 承包农户  amount 30% of 总价  cap 15 万元 {scope} }}\n"
    policies.compile(rule, COUNTED)


GROUP = """group 购置机具 {
    role 机具 many
}
input 价格: 元 per member
"""


@pytest.mark.parametrize("scope", ["per 台", "per 机具", "per members", "per 台 per 年"])
def test_a_cap_per_item_or_member_checks_in_an_each_rule(
    policies: PolicyFactory, scope: str
) -> None:
    policies.compile(f"  rule r {{ each 机具  amount 30% of 价格  cap 15 万元 {scope} }}\n", GROUP)


def test_a_cap_per_role_outside_an_each_rule_is_refused(policies: PolicyFactory) -> None:
    message = check_error(
        policies, "  rule r { amount sum(价格 over 机具)  cap 15 万元 per 机具 }\n", GROUP
    )
    assert "`per 机具` names members of the group, but the rule is not paid each member" in message
    assert "`each 机具` in the rule" in message


def test_once_and_a_shared_limit_check_their_scopes_too(policies: PolicyFactory) -> None:
    message = check_error(policies, "  rule r { amount 5000 元  once per 乱七八糟 }\n")
    assert "`per 乱七八糟` is not a scope policyc knows" in message
    policies.compile("  rule r { amount 5000 元  once per 企业或组织 }\n")
    shared = (
        "shared_cap 合计 {\n    limit 30 万元 per 台 per 年\n    over r\n"
        '    order as_listed because "按顺序"\n}\n'
    )
    path = policies.write(policies.clause("  rule r { amount 5000 元 }\n") + shared)
    with pytest.raises(PolicyError) as caught:
        compile_policy(path)
    assert "`per 台`: a cap is applied once per case" in str(caught.value)


# ---- 2. expect reads values as inputs are read ------------------------------------------------


def _case(tmp_path: Path, inputs: str, expect: str, members: str = "") -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(
        f"policy: 县农发〔2026〕1号\non: 2026-03-20\ninputs: {inputs}\n{members}expect:\n{expect}",
        encoding="utf-8",
    )
    return path


def test_a_bare_expected_amount_is_read_in_the_rules_measure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 10.5亩 × 120元/亩 = 1260元: `amount: 1260` is 1260元, as `承包耕地面积: 10.5` is 10.5亩
    case = _case(tmp_path, "{承包耕地面积: 10.5}", "  地力补贴: {status: applies, amount: 1260}\n")
    code, out, _err = cli(capsys, "test", str(POLICY), str(case))
    assert code == 0, out
    wrong = _case(tmp_path, "{承包耕地面积: 10.5}", "  地力补贴: {amount: 1261}\n")
    code, out, _err = cli(capsys, "test", str(POLICY), str(wrong))
    assert code == 1
    assert "amount: expected 1261元, got 1260元" in out


def test_an_expected_amount_in_another_measure_is_a_case_file_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = _case(tmp_path, "{承包耕地面积: 10.5}", "  地力补贴: {amount: 1260亩}\n")
    code, out, _err = cli(capsys, "test", str(POLICY), str(case))
    assert code == 2
    assert "`amount`: the rule's amount is in 元, got 1260亩: write the amount in 元" in out
    assert "case.yaml:5:10: `amount`" in out  # at the field (column 10), not at the rule (3)


def test_a_member_expectation_reads_a_bare_amount_in_the_rules_measure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    members = "members:\n  甲: {role: 机具, inputs: {销售价格: 100000}}\n"
    expect = "  农机购置补贴: {members: {甲: {amount: 30000}}}\n"
    case = _case(tmp_path, "{本年已享受补贴台数: 0}", expect, members)
    code, out, _err = cli(capsys, "test", str(POLICY), str(case))
    assert code == 0, out


def test_applies_for_an_unspecified_amount_says_to_write_unspecified(
    policies: PolicyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    path = policies.write(
        policies.clause('  rule r { kind 奖励  amount unspecified "适当奖励" }\n')
    )
    case = policies.folder / "case.yaml"
    case.write_text("on: 2023-03-01\nexpect:\n  r: {status: applies}\n", encoding="utf-8")
    code, out, _err = cli(capsys, "test", str(path), str(case))
    assert code == 1
    assert "write `status: unspecified`" in out
    case.write_text("on: 2023-03-01\nexpect:\n  r: {status: unspecified}\n", encoding="utf-8")
    assert cli(capsys, "test", str(path), str(case))[0] == 0


def test_uncapped_on_the_exact_cap_says_the_cap_did_not_reduce_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 50万元 × 30% = 15万元: on the cap, not over it; there is no amount before the cap.
    members = "members:\n  甲: {role: 机具, inputs: {销售价格: 500000}}\n"
    expect = "  农机购置补贴: {members: {甲: {amount: 150000元, uncapped: 150000元}}}\n"
    case = _case(tmp_path, "{本年已享受补贴台数: 0}", expect, members)
    code, out, _err = cli(capsys, "test", str(POLICY), str(case))
    assert code == 1
    assert "the cap did not reduce the amount 150,000元（15万元）" in out


def test_a_comma_in_a_flow_mapping_hints_to_quote(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = _case(
        tmp_path, "{承包耕地面积: 10.5}", "  地力补贴: {status: applies, amount: 1,260元}\n"
    )
    code, out, _err = cli(capsys, "test", str(POLICY), str(case))
    assert code == 2
    assert "unknown field `260元`" in out
    assert 'quote a value that groups thousands, `amount: "1,260元"`' in out
    quoted = _case(tmp_path, "{承包耕地面积: 10.5}", '  地力补贴: {amount: "1,260元"}\n')
    assert cli(capsys, "test", str(POLICY), str(quoted))[0] == 0


def test_a_bare_decided_value_is_read_in_the_decisions_measure(
    policies: PolicyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    declarations = 'input 金额: 元 default 0 元\ndecide 下限 = 2 × 金额 "下限"\n'
    path = policies.write(policies.clause("  rule r { amount 5000 元 }\n", declarations))
    case = policies.folder / "case.yaml"
    case.write_text(
        "on: 2023-03-01\ninputs: {金额: 3}\nexpect:\n  下限: {status: decided, value: 6}\n",
        encoding="utf-8",
    )
    code, out, _err = cli(capsys, "test", str(path), str(case))
    assert code == 0, out
    case.write_text(
        "on: 2023-03-01\ninputs: {金额: 3}\nexpect:\n  下限: {status: decided, value: 7}\n",
        encoding="utf-8",
    )
    code, out, _err = cli(capsys, "test", str(path), str(case))
    assert code == 1
    assert "value: expected 7, got 6元" in out


# ---- 3. areas --------------------------------------------------------------------------------


def test_hectares_and_square_kilometres_are_exact_in_square_metres() -> None:
    square_metres = parse_measure("平方米")
    two = parse_quantity_text("2公顷", square_metres)
    assert two == parse_quantity_text("20000平方米", square_metres)
    # 1 平方公里 = 100 公顷 = 1,000,000 平方米
    assert parse_quantity_text("1平方公里", None) == parse_quantity_text("100公顷", None)
    assert parse_quantity_text("1平方公里", None) != parse_quantity_text("99.99公顷", None)


def test_a_hectare_rate_gives_the_documents_mu(capsys: pytest.CaptureFixture[str]) -> None:
    # 2公顷 × 15亩/公顷 = 30亩 × 120元/亩 = 3600元 (cases/03); a bare 2 is 2公顷 too
    result = by_rule(run_json(capsys, FARM / "cases" / "03-hectares.yaml"))
    assert result["地力补贴"]["amount"]["value"] == "3600"


def test_mu_is_not_converted_and_says_so() -> None:
    mu = parse_measure("亩")
    with pytest.raises(MeasureError) as caught:
        read_input_quantity("2公顷", mu, mu.dims)
    assert "亩 is not converted to 平方米 or 公顷" in str(caught.value)
    assert "give the value in 亩" in str(caught.value)


@pytest.mark.parametrize(("written", "meant"), [("30畝", "亩"), ("2公頃", "公顷")])
def test_traditional_area_characters_are_suggested(written: str, meant: str) -> None:
    with pytest.raises(MeasureError) as caught:
        parse_quantity_text(written, None)
    assert f"did you mean `{meant}`?" in str(caught.value)


# ---- 4. a failed given() reads as what the case lacks -----------------------------------------


def test_a_failed_given_reads_as_not_given(policies: PolicyFactory, tmp_path: Path) -> None:
    declarations = "input 价格: 元 optional\ninput 面积: 亩 optional\n"
    rules = (
        "  rule 有价格 { when given(价格)  amount 10% of 价格 }\n"
        "  rule 无价格 { when not given(价格)  amount 5 元 }\n"
        "  rule 其一 { when given(价格) or given(面积)  amount 5 元 }\n"
    )
    policy = policies.compile(rules, declarations)
    for fast in (True, False):
        results = {r.info.name: r for r in policy.evaluate({}, _date(), fast=fast)}
        assert results["有价格"].reason == "案例未给出价格"
        assert results["其一"].reason == "案例未给出价格、面积中的任何一项"
        given = {r.info.name: r for r in policy.evaluate(_inputs(), _date(), fast=fast)}
        assert given["无价格"].reason == "案例给出了价格"
        assert given["有价格"].status == "applies"


def test_explain_says_what_the_case_did_not_give(capsys: pytest.CaptureFixture[str]) -> None:
    case = FARM / "cases" / "04-two-machines-each-capped.yaml"
    code, out, _err = cli(capsys, "run", str(POLICY), "--case", str(case), "--explain")
    assert code == 0
    assert "· 案例未给出承包耕地面积、承包耕地公顷数中的任何一项" in out
    assert "填写了承包耕地面积，或" not in out


def _date():  # type: ignore[no-untyped-def]
    import datetime

    return datetime.date(2023, 3, 1)


def _inputs():  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from policyc.runtime.quantity import Quantity

    return {"价格": Quantity(Decimal(100), (("元", 1),))}


# ---- 5. a rounding the document states --------------------------------------------------------


def test_a_quoted_rounding_is_the_documents_and_explain_cites_its_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = FARM / "cases" / "01-area-half-rounds-up.yaml"
    result = by_rule(run_json(capsys, case))["地力补贴"]
    assert result["rounding"] == "按四舍五入保留到元（文件规定）"
    assert result["unrounded"]["value"] == "1480.5"
    code, out, _err = cli(capsys, "run", str(POLICY), "--case", str(case), "--explain")
    assert code == 0
    line = next(
        i
        for i, text in enumerate(POLICY.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("rounding ")
    )
    assert f"舍入: 1480.5元 按四舍五入保留到元 → 1481元  [farm.policy 第{line}行]" in out


def test_a_rounding_quote_not_in_the_source_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "farm"
    shutil.copytree(FARM, folder)
    policy = folder / "farm.policy"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("补贴金额按四舍五入计至元。", "补贴金额按四舍五入计至分。", 1))
    with pytest.raises(PolicyError) as caught:
        compile_policy(policy)
    assert "this quote is not in the source text" in str(caught.value)


def test_a_rounding_read_by_the_policy_stays_its_reading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "farm"
    shutil.copytree(FARM, folder)
    policy = folder / "farm.policy"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(
        text.replace('quote "补贴金额按四舍五入计至元。"', 'because "按四舍五入读"', 1)
    )
    code, out, _err = cli(
        capsys,
        "run",
        str(policy),
        "--case",
        str(folder / "cases" / "01-area-half-rounds-up.yaml"),
        "--format",
        "json",
    )
    assert code == 0
    assert by_rule(json.loads(out))["地力补贴"]["rounding"] == "按四舍五入保留到元（本政策的读法）"


# ---- 6. fines ------------------------------------------------------------------------------------


def test_a_fine_is_payable_by_the_applicant(capsys: pytest.CaptureFixture[str]) -> None:
    # 套取2万元: 责令退回 2万元 + 罚款 1倍至3倍 (2万元至6万元) = 违规套取者应缴 4万元至8万元;
    # nothing paid to the applicant (the ranges: tests/test_each_limits.py)
    document = run_json(capsys, FARM / "cases" / "06-fine.yaml")
    assert by_rule(document)["罚款"]["flow"] == "payable"
    totals = document["totals_by_kind"]
    assert list(totals) == ["payable"]
    assert totals["payable"]["元"]["value"] == "20000"  # the exact amounts alone
    ranged = document["totals_range_by_kind"]["payable"]["元"]
    assert (ranged["low"]["value"], ranged["high"]["value"]) == ("40000", "80000")


@pytest.mark.parametrize("kind", ["罚款", "罚金", "滞纳金", "没收"])
def test_fine_kinds_check_beside_an_amount(policies: PolicyFactory, kind: str) -> None:
    policies.compile(f"  rule r {{ kind {kind}  amount 100 元 }}\n")


def test_a_kind_that_says_no_flow_is_still_refused(policies: PolicyFactory) -> None:
    message = check_error(policies, "  rule r { kind 处罚  amount 100 元 }\n")
    assert "its kind `处罚` does not say whether it is paid" in message
    assert "罚款 (payable)" in message


# ---- 7. a date as case workers write it ------------------------------------------------------

WINDOW = "input 申请日期: date\n"
WINDOW_RULE = "  rule r { when 申请日期 >= 2023-03-01 and 申请日期 <= 2023-04-30  amount 5 元 }\n"


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("2023年3月1日", "applies"),  # the window's first day (>= includes it)
        ("2023年2月28日", "not_applicable"),  # the day before
        ("2023 年 04 月 30 日", "applies"),  # the last day, spaces and a leading zero
        ("2023年5月1日", "not_applicable"),  # the day after
    ],
)
def test_a_case_date_written_in_chinese_is_read(
    policies: PolicyFactory, capsys: pytest.CaptureFixture[str], written: str, status: str
) -> None:
    path = policies.write(policies.clause(WINDOW_RULE, WINDOW))
    case = policies.folder / "case.yaml"
    case.write_text(
        f"on: 2023年6月1日\ninputs: {{申请日期: {written}}}\nexpect:\n  r: {status}\n",
        encoding="utf-8",
    )
    code, out, _err = cli(capsys, "test", str(path), str(case))
    assert code == 0, out


def test_a_chinese_date_the_calendar_lacks_is_refused(
    policies: PolicyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    path = policies.write(policies.clause(WINDOW_RULE, WINDOW))
    case = policies.folder / "case.yaml"
    case.write_text("on: 2023-06-01\ninputs: {申请日期: 2023年2月29日}\n", encoding="utf-8")
    code, _out, err = cli(capsys, "run", str(path), "--case", str(case))
    assert code == 2
    assert "`2023年2月29日` is not a real date: 2023-02 has 28 days" in err
    case.write_text("on: 2023-06-01\ninputs: {申请日期: 2023年3月}\n", encoding="utf-8")
    code, _out, err = cli(capsys, "run", str(path), "--case", str(case))
    assert code == 2
    assert "as in 2023-01-06, or as in 2023年1月6日" in err


def test_a_batch_cell_date_written_in_chinese_is_read(
    policies: PolicyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("duckdb")
    path = policies.write(policies.clause(WINDOW_RULE, WINDOW))
    cases = policies.folder / "cases.csv"
    cases.write_text("id,申请日期\na,2023年3月1日\nb,2023年2月28日\n", encoding="utf-8")
    out = policies.folder / "out.csv"
    code, _out, err = cli(
        capsys, "run", str(path), "--cases", str(cases), "--on", "2023-06-01", "--out", str(out)
    )
    assert code == 0, err
    rows = out.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    status = header.index("r.status")
    assert [row.split(",")[status] for row in rows[1:]] == ["applies", "not_applicable"]


def test_the_site_says_each_machine_and_the_documents_rounding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = cli(capsys, "docs", str(POLICY), "--out", str(tmp_path / "site"))
    assert code == 0, err
    text = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.md"))
    assert "每台机具 销售价格的30%，每台最高15万元" in text
    assert "对每台机具分别判断、分别计发" in text
    assert "每位机具" not in text
    assert "舍入**：封顶后按四舍五入保留到元（文件规定：补贴金额按四舍五入计至元。）" in text
    assert "文件未规定" not in text.split("舍入**")[1][:40]


def test_a_count_of_persons_in_a_condition_leaves_a_cap_per_person(
    policies: PolicyFactory,
) -> None:
    # "对常年用工50人以上的企业,员工…按500元/人补贴,每人每年最高1600元": the case is one employee;
    # 员工人数 is the enterprise's, tested by a condition, not counted by the amount.
    declarations = "input 员工人数: 人\ninput 缴费: 元\n"
    policies.compile(
        "  rule r { when 员工人数 50 人 以上  amount 100% of 缴费  cap 1600 元 per 人 per 年 }\n",
        declarations,
    )
