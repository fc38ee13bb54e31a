"""What a case worker and the public read (polish5, the seventh newcomer's recheck, items 5–7):

1. a fee whose rule names `beneficiary 户` is owed by 户 — its amount `（户应缴）`, its total
   `合计（户应缴）` in the text, the JSON, the form and the batch summary — not folded into
   申请人; it is the applicant's only where the case is paid or relieved as 户 too;
2. money is written one way: the form's 合计（按类别） table as the totals (`151.8元`, not
   `151.80元`);
3. a case value in a measure the policy lacks (`44方`) is told what the field takes, not how to
   declare a measure in the policy (`check` keeps that hint for the drafter).

Figures worked by hand from the rules below: 44立方米 × 2.09元/立方米 = 91.96元 (水费),
44立方米 × 1.36元/立方米 = 59.84元 (污水处理费), together 151.80元, written 151.8元 as every
amount of the answer drops a trailing zero (114.96 + 59.84 = 174.8元 in the newcomer's bill).
A 低保 household is paid 50元 as 户 in the second policy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policyc.cli import main
from tests.conftest import QUOTE, PolicyFactory

FEES = f"""input 用水量: 立方米 "本期用水量"
input 低保家庭: bool default false "是否低保家庭"
clause 七 "水费" {{
  {QUOTE}
  responsible 市商务局
  rule 水费 {{
    kind 收费标准
    beneficiary 户
    amount 2.09 元/立方米 × 用水量
  }}
  rule 污水处理费 {{
    kind 收费标准
    beneficiary 户
    amount 1.36 元/立方米 × 用水量
  }}
}}
"""
SUBSIDY = """  rule 低保补助 {
    kind 补助
    beneficiary 户
    when 低保家庭
    amount 50 元
  }
}
"""


def run(
    capsys: pytest.CaptureFixture[str], policy: Path, inputs: dict[str, Any], *args: str
) -> str:
    case = policy.parent / "case.json"
    case.write_text(json.dumps({"on": "2023-06-01", "inputs": inputs}, ensure_ascii=False), "utf-8")
    code = main(["run", str(policy), "--case", str(case), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def totals(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("合计")]


# ---- 1. 户 pays as 户 --------------------------------------------------------------------------


def test_a_fee_of_the_household_is_owed_by_it_in_the_text(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    text = run(capsys, policies.write(FEES), {"用水量": "44"})
    lines = [line.strip() for line in text.splitlines()]
    assert "✔ 水费 — 适用: 91.96元（户应缴） · 责任单位: 市商务局" in lines
    assert "✔ 污水处理费 — 适用: 59.84元（户应缴） · 责任单位: 市商务局" in lines
    assert totals(text) == ["合计（户应缴）: 151.8元"]
    assert "申请人应缴" not in text


def test_a_fee_of_the_household_is_owed_by_it_in_the_json(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    document = json.loads(run(capsys, policies.write(FEES), {"用水量": "44"}, "--format", "json"))
    assert document["totals_by_beneficiary"] == [
        {
            "flow": "payable",
            "beneficiary": "户",
            "words": "户应缴",
            "totals": {"元": {"value": "151.8", "unit": "元", "text": "151.8元"}},
        }
    ]


def test_the_household_paid_as_户_owes_its_fees_as_the_applicant(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    # the case is paid 50元 as 户: 户 is this case's applicant, its fees 申请人应缴 in the totals
    policy = policies.write(FEES.removesuffix("}\n") + SUBSIDY)
    text = run(capsys, policy, {"用水量": "44", "低保家庭": True})
    assert totals(text) == ["合计（支付给申请人）: 50元", "合计（申请人应缴）: 151.8元"]
    # … and not when the subsidy does not apply (just the other side: 低保家庭 false)
    text = run(capsys, policy, {"用水量": "44", "低保家庭": False})
    assert totals(text) == ["合计（户应缴）: 151.8元"]


def test_the_batch_summary_names_the_household(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb", reason="the batch extra is not installed")
    policy = policies.write(FEES)
    cases = tmp_path / "cases.csv"
    # 44 + 10 = 54立方米: 54 × 2.09 = 112.86元 and 54 × 1.36 = 73.44元, 186.30元 owed by 户
    cases.write_text("on,用水量\n2023-06-01,44\n2023-06-01,10\n", "utf-8")
    assert main(["run", str(policy), "--cases", str(cases), "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["totals_by_beneficiary"] == [
        {"flow": "payable", "beneficiary": "户", "words": "户应缴", "totals": {"元": "186.3"}}
    ]
    assert main(["run", str(policy), "--cases", str(cases)]) == 0
    assert [x for x in capsys.readouterr().out.splitlines() if x.startswith("合计")] == [
        "合计（户应缴）: 186.3元"
    ]


# ---- 1 and 2 on the form ---------------------------------------------------------------------


def form_client(policy: Path) -> Any:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from starlette.testclient import TestClient

    from policyc.serve.app import create_app

    return TestClient(create_app([policy]))


def test_the_forms_totals_name_the_household_and_write_money_as_the_answer(
    policies: PolicyFactory,
) -> None:
    client = form_client(policies.write(FEES))
    answer = client.post("/policies/p", data={"case.on": "2023-06-01", "用水量": "44"})
    assert answer.status_code == 200, answer.text
    assert "<li>合计（户应缴）: <strong>151.8元</strong></li>" in answer.text
    assert "<tr><td>户应缴</td><td>收费标准</td><td>151.8元</td></tr>" in answer.text
    assert "151.80" not in answer.text
    assert "申请人应缴" not in answer.text


# ---- 3. a measure the policy lacks, in a case value ------------------------------------------

TAKES = "unknown measure `方`: give the value in 立方米, as in `12立方米`"


def test_a_case_file_in_an_unknown_measure_is_told_what_the_field_takes(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    policy = policies.write(FEES)
    case = policy.parent / "case.json"
    case.write_text(json.dumps({"on": "2023-06-01", "inputs": {"用水量": "44方"}}), "utf-8")
    assert main(["run", str(policy), "--case", str(case)]) != 0
    err = capsys.readouterr().err
    assert TAKES in err
    assert "measure 方" not in err
    # 44立方米 is taken (the other side)
    assert "合计（户应缴）: 151.8元" in run(capsys, policy, {"用水量": "44立方米"})


def test_the_form_and_the_api_tell_what_the_field_takes(policies: PolicyFactory) -> None:
    client = form_client(policies.write(FEES))
    page = client.post("/policies/p", data={"case.on": "2023-06-01", "用水量": "44方"})
    assert page.status_code == 422
    assert TAKES in page.text.replace("&#96;", "`").replace("&#x60;", "`")
    assert "measure 方" not in page.text
    api = client.post(
        "/v1/policies/p/evaluate", json={"on": "2023-06-01", "inputs": {"用水量": "44方"}}
    )
    assert api.status_code == 422
    assert TAKES in api.json()["problems"][0]["message"]
    assert "measure 方" not in api.text


def test_check_keeps_the_drafters_hint_for_a_measure_in_the_policy(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    policy = policies.write(FEES.replace("用水量: 立方米", "用水量: 方"))
    assert main(["check", str(policy)]) != 0
    out, err = capsys.readouterr()
    assert "`measure 方`" in out + err


# ---- the site's tier table: 单价 for a price per measure, 比例 for a percentage ----------------


def tier_table(policies: PolicyFactory, bands: str, measure: str = "立方米") -> str:
    """The rule page's 分段表: its caption, note and table."""
    from policyc.compiler.docs import render_docs

    rule = f"  rule 水费 {{\n    kind 收费标准\n    amount progressive 用水量 {{ {bands} }}\n  }}"
    policy = policies.compile(rule, f'input 用水量: {measure} "本期用水量（或所得）"\n')
    page = next(
        text for name, text in render_docs([policy.checked]).items() if "**分段表**" in text
    )
    start = page.index("**分段表**")
    return page[start : page.index("\n\n", page.index("| 段 |", start))]


def test_a_tier_table_of_prices_per_measure_heads_单价(policies: PolicyFactory) -> None:
    bands = (
        "不超过 180 立方米: 3.45 元/立方米 - 1.36 元/立方米, "
        "超过 180 立方米: 4.83 元/立方米 - 1.36 元/立方米"
    )
    table = tier_table(policies, bands)
    assert "| 段 | 分界（边界） | 单价 |" in table, table
    assert "各段的单价只适用于该段的用量" in table
    assert "比例" not in table


def test_a_tier_table_of_percentages_keeps_比例(policies: PolicyFactory) -> None:
    table = tier_table(policies, "不超过 3000 元: 3%, 超过 3000 元: 10%", "元")
    assert "| 段 | 分界（边界） | 比例 |" in table, table
    assert "各段的比例只适用于落在该段内的部分" in table
    assert "单价" not in table


# ---- `rules` in the file's order; `check` of two files of one 文号 ---------------------------

ORDERED = """input 用水量: 立方米 "本期用水量"
decide 计费水量 = 用水量 - 免收水量 "扣除免收水量后的水量"
decide 免收水量 = 10 立方米 "免收的水量"
clause 七 "水费" {
  QUOTE
  responsible 市商务局
  rule 水费 {
    kind 收费标准
    amount 2.09 元/立方米 × 计费水量
  }
}
"""


def test_rules_lists_the_decisions_in_the_files_order(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    # 计费水量 (line 12) reads 免收水量 (line 13): evaluated after it, listed before it
    policy = policies.write(ORDERED.replace("QUOTE", QUOTE))
    assert main(["rules", str(policy)]) == 0
    listed = [line.strip() for line in capsys.readouterr().out.splitlines() if "行）" in line]
    assert [line.split("（")[0] for line in listed] == ["计费水量", "免收水量", "水费"]
    assert main(["rules", str(policy), "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)["rules"]
    assert [rule["rule"] for rule in rules] == ["计费水量", "免收水量", "水费"]


def test_check_says_ok_only_for_the_first_file_of_one_文号(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    policies.write(FEES, "a.policy")
    policies.write(FEES, "b.policy")
    assert main(["check", str(policies.folder)]) == 2
    out, err = capsys.readouterr()
    said = out + err
    assert "a.policy: ok (" in said
    assert "b.policy: ok" not in said
    assert "b.policy:" in said  # its error, at its 文号
