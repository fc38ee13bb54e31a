"""Answers that say the right thing (the last newcomer's notes, polish3):

1. a decided value on a day the policy is not in force is `not_in_force`, with no value, in the
   text answer, `--explain`, the JSON, the web result page and the batch;
2. the totals per beneficiary are in the JSON (`totals_by_beneficiary`) and the batch summary;
3. a payable total names the one who pays (the rule's `beneficiary`: 违法行为人应缴);
4. two inputs either of which suffices are still needed as one "以下任一" set (`any_of`);
5. the site's 能得多少 of an amount that chooses by a given input is one sentence a case;
6. a `--cases` file's problems are listed by row, then column, bounded as before;

The test policy (tests/conftest.py HEADER) is valid from 2023-01-06 for 3 年, counted from the
start day with that day included: 2023-01-06 to 2026-01-05. The days on both sides of each edge
are 2023-01-05 | 2023-01-06 and 2026-01-05 | 2026-01-06. 罚款下限 is 1 × 套取金额, worked by hand:
套取金额 200元 → 200元.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policyc.cli import main
from tests.conftest import QUOTE, PolicyFactory

FINE = f"""input 套取金额: 元 default 0 元 "违规套取的资金"
decide 罚款下限 = 1 × 套取金额 "罚款不低于套取金额一倍"
clause 七 "降低物流成本" {{
  {QUOTE}
  responsible 市商务局
  rule 罚款 {{
    kind 罚款
    beneficiary 违法行为人
    when 套取金额 > 0 元
    amount 1 × 套取金额
  }}
}}
"""

OUT_OF_FORCE = ["2023-01-05", "2026-01-06"]  # the day before the first, the day after the last
# which side of the validity each lies on, from which day (the last day in force is 2026-01-05)
OUT_OF_FORCE_STATE = {
    "2023-01-05": "尚未施行（自2023年1月6日起施行）",
    "2026-01-06": "已失效（2026年1月6日起失效）",
}
IN_FORCE = ["2023-01-06", "2026-01-05"]  # the first and the last day in force


def run(
    capsys: pytest.CaptureFixture[str], policy: Path, on: str, inputs: dict[str, Any], *args: str
) -> str:
    case = policy.parent / "case.json"
    case.write_text(json.dumps({"on": on, "inputs": inputs}, ensure_ascii=False), "utf-8")
    code = main(["run", str(policy), "--case", str(case), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def run_json(
    capsys: pytest.CaptureFixture[str], policy: Path, on: str, inputs: dict[str, Any], *args: str
) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        run(capsys, policy, on, inputs, "--format", "json", *args)
    )
    return document


def by_name(document: dict[str, Any]) -> dict[str, Any]:
    return {r["rule"]: r for r in document["results"]}


# ---- 1. a decision on a day out of force --------------------------------------------------


@pytest.mark.parametrize("on", OUT_OF_FORCE)
def test_a_decision_out_of_force_has_no_value(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, on: str
) -> None:
    policy = policies.write(FINE)
    decision = by_name(run_json(capsys, policy, on, {"套取金额": "200"}))["罚款下限"]
    assert decision["status"] == "not_in_force"
    assert "value" not in decision  # JSON format 2: a result ruled out is written short
    assert decision["reason"] == f"政策在 {on} 不在有效期内：{OUT_OF_FORCE_STATE[on]}"


@pytest.mark.parametrize("on", IN_FORCE)
def test_a_decision_in_force_is_decided(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, on: str
) -> None:
    policy = policies.write(FINE)
    decision = by_name(run_json(capsys, policy, on, {"套取金额": "200"}))["罚款下限"]
    assert decision["status"] == "decided"
    assert decision["value"] == {"value": "200", "unit": "元", "text": "200元"}


@pytest.mark.parametrize("on", OUT_OF_FORCE)
def test_the_text_answer_says_the_decision_is_not_in_force(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, on: str
) -> None:
    policy = policies.write(FINE)
    lines = run(capsys, policy, on, {"套取金额": "200"}).splitlines()
    said = f"  ✘ 罚款下限 — 不在有效期: 政策在 {on} 不在有效期内：{OUT_OF_FORCE_STATE[on]}"
    assert said in lines
    assert not any(line.startswith("  罚款下限:") for line in lines)
    # the decision is not counted among the rules that do not apply
    assert lines[-1] == "不适用 1 条（其中 不在有效期 1）。逐条列出: --all"


@pytest.mark.parametrize("on", IN_FORCE)
def test_the_text_answer_gives_the_decided_value_in_force(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, on: str
) -> None:
    policy = policies.write(FINE)
    lines = run(capsys, policy, on, {"套取金额": "200"}).splitlines()
    assert "  罚款下限: 200元" in lines
    assert not any("不在有效期:" in line for line in lines)


@pytest.mark.parametrize("args", [("--explain",), ("--all",)])
def test_explain_and_all_say_not_in_force_without_a_value(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, args: tuple[str, ...]
) -> None:
    policy = policies.write(FINE)
    lines = run(capsys, policy, "2026-01-06", {"套取金额": "200"}, *args).splitlines()
    at = lines.index("  ✘ 罚款下限 — 不在有效期")
    assert (
        lines[at + 1] == "      原因: 政策在 2026-01-06 不在有效期内：已失效（2026年1月6日起失效）"
    )
    assert not any("200元" in line for line in lines)


def test_the_web_result_lists_a_decision_out_of_force_beside_the_decided_ones(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from policyc.compiler.pipeline import compile_policy
    from policyc.serve.web import _result_view

    policy = policies.write(FINE)
    for on, status in [("2026-01-05", "decided"), ("2026-01-06", "not_in_force")]:
        document = run_json(capsys, policy, on, {"套取金额": "200"})
        view = _result_view(compile_policy(policy), document)
        assert [(r["rule"], r["status"]) for r in view["decided"]] == [("罚款下限", status)]
        assert "罚款下限" not in [r["rule"] for r in view["others"]]


def test_the_batch_says_not_in_force_on_both_sides_of_the_validity(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb", reason="the batch extra is not installed")
    policy = policies.write(FINE)
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "on,套取金额\n2023-01-05,100\n2023-01-06,200\n2026-01-05,300\n2026-01-06,400\n", "utf-8"
    )
    out = tmp_path / "out.csv"
    code = main(["run", str(policy), "--cases", str(cases), "--out", str(out), "--format", "json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    rows = out.read_text("utf-8").splitlines()
    assert rows[0] == "row,罚款下限.status,罚款下限.value_元,罚款.status,罚款.reason,罚款.amount_元"
    assert rows[1:] == [
        "1,not_in_force,,not_in_force,不在有效期内,",
        "2,decided,200,applies,,200",
        "3,decided,300,applies,,300",
        "4,not_in_force,,not_in_force,不在有效期内,",
    ]
    (decision,) = summary["decisions"]
    assert decision["counts"] == {"decided": 2, "undetermined": 0, "not_in_force": 2}
    assert decision["values"] == {"200": 1, "300": 1}
    main(["run", str(policy), "--cases", str(cases)])
    text = capsys.readouterr().out.splitlines()
    assert text[2].split() == ["decision", "decided", "undet.", "not", "in", "force", "values", "(cases)"]  # fmt: skip
    assert text[3].split()[:4] == ["罚款下限", "2", "0", "2"]


# ---- 2 and 3. totals per beneficiary, and the one who pays ---------------------------------

MIXED = f"""input 套取金额: 元 default 0 元 "违规套取的资金"
input 专家人数: 人 default 0 人 "引进的外籍专家人数"
clause 七 "降低物流成本" {{
  {QUOTE}
  responsible 市商务局
  rule 物流补贴 {{
    kind 补贴
    beneficiary 企业
    amount 1000 元
  }}
  rule 专家补助 {{
    kind 补助
    beneficiary 外籍专家
    when 专家人数 > 0 人
    amount 100 美元
  }}
  rule 罚款 {{
    kind 罚款
    beneficiary 违法行为人
    when 套取金额 > 0 元
    amount 1 × 套取金额
  }}
  rule 手续费 {{
    kind 收费标准
    beneficiary 企业
    when 套取金额 > 0 元
    amount 10 元
  }}
}}
"""
TALENT = Path(__file__).parent / "fixtures" / "talent-housing" / "policies" / "rc-2026-7.policy"


def test_the_json_gives_the_totals_per_beneficiary(capsys: pytest.CaptureFixture[str]) -> None:
    # tests/test_beneficiary_totals.py works the enterprise out by hand: 2 × 1万美元 to the
    # experts; 500,000 + 3 × 3000 = 509,000元 to the enterprise; dollars never added to 元.
    enterprise = {
        "申请人类型": "企业", "参保企业": True, "上年度参保职工人数": 200, "上年度裁员人数": 11,
        "上年度失业保险缴费": "1000000.02", "引进外籍高层次专家人数": 2, "新招用青年人才人数": 3,
    }  # fmt: skip
    document = run_json(capsys, TALENT, "2026-06-30", enterprise)
    assert [(t["flow"], t["beneficiary"], t["words"]) for t in document["totals_by_beneficiary"]] == [
        ("paid", "外籍高层次专家", "支付给外籍高层次专家"),
        ("paid", "", "支付给申请人"),
    ]  # fmt: skip
    assert [t["totals"] for t in document["totals_by_beneficiary"]] == [
        {"美元": {"value": "20000", "unit": "美元", "text": "20,000美元（2万美元）"}},
        {"元": {"value": "509000", "unit": "元", "text": "509,000元（50.9万元）"}},
    ]


def test_a_fine_is_totalled_as_the_offenders(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    # 1 × 200元 payable by 违法行为人; 手续费 10元 payable by 企业, which the case is paid as
    # (物流补贴 to 企业): the applicant in the totals, the rule's own party on its line
    policy = policies.write(MIXED)
    lines = [x.strip() for x in run(capsys, policy, "2023-06-01", {"套取金额": "200"}).splitlines()]
    assert "✔ 罚款 — 适用: 200元（违法行为人应缴） · 责任单位: 市商务局" in lines
    assert "✔ 手续费 — 适用: 10元（企业应缴） · 责任单位: 市商务局" in lines
    assert [x for x in lines if x.startswith("合计")] == [
        "合计（支付给申请人）: 1000元",
        "合计（违法行为人应缴）: 200元",
        "合计（申请人应缴）: 10元",
    ]
    document = run_json(capsys, policy, "2023-06-01", {"套取金额": "200"})
    payable = [t for t in document["totals_by_beneficiary"] if t["flow"] == "payable"]
    assert [(t["beneficiary"], t["totals"]["元"]["value"]) for t in payable] == [
        ("违法行为人", "200"),
        ("", "10"),
    ]


def test_a_fine_alone_names_its_payer_as_the_rule_does_and_the_applicant_only_as_such(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    policy = policies.write(FINE)
    lines = [x.strip() for x in run(capsys, policy, "2023-06-01", {"套取金额": "200"}).splitlines()]
    assert [x for x in lines if x.startswith("合计")] == ["合计（违法行为人应缴）: 200元"]
    # 企业 is a word for what one case is, but nothing in this case is paid to 企业: the rule's
    # party, not 申请人 (polish5: 户应缴 was 申请人应缴)
    policy = policies.write(FINE.replace("beneficiary 违法行为人", "beneficiary 企业"))
    lines = [x.strip() for x in run(capsys, policy, "2023-06-01", {"套取金额": "200"}).splitlines()]
    assert [x for x in lines if x.startswith("合计")] == ["合计（企业应缴）: 200元"]
    policy = policies.write(FINE.replace("beneficiary 违法行为人", "beneficiary 申请人"))
    lines = [x.strip() for x in run(capsys, policy, "2023-06-01", {"套取金额": "200"}).splitlines()]
    assert [x for x in lines if x.startswith("合计")] == ["合计（申请人应缴）: 200元"]


def test_the_batch_summary_gives_the_totals_per_beneficiary(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb", reason="the batch extra is not installed")
    policy = policies.write(MIXED)
    cases = tmp_path / "cases.csv"
    # row 1: 1000元 to the enterprise, a 100元 fine and a 10元 charge; row 2: 1000元 and 100美元
    cases.write_text("on,套取金额,专家人数\n2023-06-01,100,0\n2023-06-01,0,2\n", "utf-8")
    assert main(["run", str(policy), "--cases", str(cases)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [x for x in lines if x.startswith("合计")] == [
        "合计（支付给申请人）: 2000元",  # as `run` writes it: grouped from 10,000 on
        "合计（支付给外籍专家）: 100美元",
        "合计（违法行为人应缴）: 100元",
        "合计（申请人应缴）: 10元",
    ]
    assert main(["run", str(policy), "--cases", str(cases), "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["totals_by_beneficiary"] == [
        {"flow": "paid", "beneficiary": "", "words": "支付给申请人", "totals": {"元": "2000"}},
        {"flow": "paid", "beneficiary": "外籍专家", "words": "支付给外籍专家", "totals": {"美元": "100"}},
        {"flow": "payable", "beneficiary": "违法行为人", "words": "违法行为人应缴", "totals": {"元": "100"}},
        {"flow": "payable", "beneficiary": "", "words": "申请人应缴", "totals": {"元": "10"}},
    ]  # fmt: skip


# ---- 6. batch problems by row, then column ---------------------------------------------------


def batch_problems(
    capsys: pytest.CaptureFixture[str], policy: Path, tmp_path: Path, rows: list[str]
) -> list[str]:
    pytest.importorskip("duckdb", reason="the batch extra is not installed")
    cases = tmp_path / "bad.csv"
    cases.write_text("on,套取金额,专家人数\n" + "\n".join(rows) + "\n", "utf-8")
    assert main(["run", str(policy), "--cases", str(cases)]) != 0
    err = capsys.readouterr().err
    return [line.removeprefix("policyc: ").removeprefix(f"{cases}: ") for line in err.splitlines()]


def test_batch_problems_are_listed_by_row_then_column(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.write(MIXED)
    rows = ["2023-06-01,100,x", "2023-06-01,y,2", "2023-06-01,w,z"]
    problems = batch_problems(capsys, policy, tmp_path, rows)
    assert [p.split(":")[0] for p in problems] == [
        "row 1, column `专家人数`",
        "row 2, column `套取金额`",
        "row 3, column `套取金额`",
        "row 3, column `专家人数`",
    ]


def test_batch_problems_show_the_first_rows_whatever_the_column(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, tmp_path: Path
) -> None:
    from policyc.batch_read import MAX_PROBLEMS

    policy = policies.write(MIXED)
    # rows 1..N: a bad 专家人数 (the later column); rows N+1..2N: a bad 套取金额 (the earlier)
    n = MAX_PROBLEMS
    rows = [f"2023-06-01,0,x{i}" for i in range(1, n + 1)]
    rows += [f"2023-06-01,y{i},0" for i in range(1, n + 1)]
    problems = batch_problems(capsys, policy, tmp_path, rows)
    shown = [p.split(":")[0] for p in problems[:n]]
    assert shown == [f"row {i}, column `专家人数`" for i in range(1, n + 1)]
    assert problems[n] == f"… and {n} more"
    assert len(problems) == n + 1


def test_a_charge_payable_by_the_party_the_case_is_paid_as_is_the_applicants(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    # 物流补贴 1000元 to 入驻企业, and a charge of 200元 payable by 入驻企业: one party, the
    # applicant (the dormitory rent of 天政发〔2023〕1号 第十七条); a fine by 违法行为人 is not.
    body = MIXED.replace("beneficiary 企业", "beneficiary 入驻企业")
    body = body.replace("beneficiary 违法行为人", "beneficiary 入驻企业")
    lines = [x.strip() for x in run(capsys, policies.write(body), "2023-06-01", {"套取金额": "200"}).splitlines()]  # fmt: skip
    assert [x for x in lines if x.startswith("合计")] == [
        "合计（支付给申请人）: 1000元",
        "合计（申请人应缴）: 210元",
    ]


# ---- 4. still needed: any of two inputs ---------------------------------------------------------

EITHER = f"""input 面积: 亩 optional "承包耕地面积（以亩计）"
input 公顷数: 公顷 optional "承包耕地面积（以公顷计）"
input 人数: 人 optional "常年用工人数"
input 岗位数: 个 optional "新增岗位数"
clause 七 "降低物流成本" {{
  {QUOTE}
  responsible 市商务局
  rule 地力补贴 {{
    kind 补贴
    beneficiary 农户
    amount if given(公顷数) then 120 元/亩 × 15 亩/公顷 × 公顷数 else 120 元/亩 × 面积
  }}
  rule 用工补贴 {{
    kind 补贴
    beneficiary 企业
    when 人数 > 10 人 or 岗位数 > 5 个
    amount 100 元
  }}
}}
"""


def needed_block(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("还需要以下输入"))
    end = lines.index("", start)
    return lines[start + 1 : end]


def test_either_input_of_a_given_else_amount_is_one_set(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    policy = policies.write(EITHER)
    text = run(capsys, policy, "2023-06-01", {"人数": "20"})
    assert needed_block(text) == [
        "  以下任一:",
        "    面积（亩）: 承包耕地面积（以亩计） — 影响 地力补贴",
        "    公顷数（公顷）: 承包耕地面积（以公顷计） — 影响 地力补贴",
    ]
    document = run_json(capsys, policy, "2023-06-01", {"人数": "20"})
    (item,) = document["still_needed"]
    assert [one["name"] for one in item["any_of"]] == ["面积", "公顷数"]
    assert item["any_of"][0]["rules"] == ["地力补贴"]


def test_either_input_of_an_or_is_one_set_and_a_plain_input_stays_plain(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    policy = policies.write(EITHER)
    text = run(capsys, policy, "2023-06-01", {"面积": "3"})
    # 地力补贴 is settled by 面积 (3亩 × 120元 = 360元); 用工补贴 waits for 人数 or 岗位数
    assert "  ✔ 地力补贴 — 适用: 360元 · 责任单位: 市商务局" in text.splitlines()
    assert needed_block(text) == [
        "  以下任一:",
        "    人数（人）: 常年用工人数 — 影响 用工补贴",
        "    岗位数（个）: 新增岗位数 — 影响 用工补贴",
    ]


def test_one_input_needed_alone_is_not_an_any_of_set(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    # the same two inputs, read together (`and`): both are needed, each on its own line
    policy = policies.write(EITHER.replace(" or 岗位数", " and 岗位数"))
    document = run_json(capsys, policy, "2023-06-01", {"面积": "3"})
    assert [item.get("name") for item in document["still_needed"]] == ["人数", "岗位数"]
    assert needed_block(run(capsys, policy, "2023-06-01", {"面积": "3"})) == [
        "  人数（人）: 常年用工人数 — 影响 用工补贴",
        "  岗位数（个）: 新增岗位数 — 影响 用工补贴",
    ]


# ---- 5. the site's 能得多少 of an amount choosing between inputs -------------------------------


def test_the_site_says_an_amount_choosing_by_a_given_input_case_by_case() -> None:
    from policyc.compiler.pipeline import compile_policy
    from policyc.compiler.site.assemble import render_docs

    farm = Path(__file__).parent / "fixtures" / "farm" / "farm.policy"
    page = render_docs([compile_policy(farm).checked])["docs/farm.md"].splitlines()
    at = page.index("- **能得多少**：按案例的情况计算")
    assert page[at + 1 : at + 3] == [
        "    1. 填写了承包耕地公顷数的：(120元/亩 × 15亩/公顷) × 承包耕地公顷数",
        "    2. 未填写承包耕地公顷数的：120元/亩 × 承包耕地面积",
    ]
    assert not any(line.startswith("- **能得多少**：若填写了") for line in page)


def test_the_site_keeps_an_amount_chosen_by_a_reading_on_one_line() -> None:
    from policyc.compiler.pipeline import compile_policy
    from policyc.compiler.site.assemble import render_docs

    textile = Path(__file__).parent.parent / "policies" / "tzf-2023-1.policy"
    page = render_docs([compile_policy(textile).checked])["docs/tzf-2023-1.md"]
    assert "- **能得多少**：若读法「推荐补贴关系」取「叠加」则500元/人 × 满6个月不满1年人数" in page
