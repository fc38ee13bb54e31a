"""A loan is neither paid nor waived nor payable (the newcomer13 report, finding 3): `kind 贷款`
(or 借款) makes its amount `lent` — 可贷额度, a sum the applicant may borrow and repays. It is
never added to 支付给申请人: the text answer has its own line `合计（可贷额度）`, the JSON its own
flow `lent` in `totals_by_kind` and `totals_by_beneficiary` (and nothing in `totals`, what is
paid), the batch summary and the form likewise, and the site says 可贷多少 … 可贷, never 得.

Figures by hand: a loan of 15 × 账户余额 (15 × 20,000元 = 300,000元) and a 补贴 of 1,000元
beside it; paid 1,000元, lent 300,000元, never 301,000元.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policyc.cli import main
from policyc.compiler.checked import amount_flow
from tests.conftest import QUOTE, PolicyFactory

LOAN = f"""input 账户余额: 元 "住房公积金账户余额"
input 首次购房: bool default false "是否首次购房"
clause 七 "贷款" {{
  {QUOTE}
  responsible 市商务局
  rule 公积金贷款 {{
    kind 贷款
    beneficiary 借款人
    amount 15 × 账户余额
  }}
  rule 购房补贴 {{
    kind 补贴
    when 首次购房
    amount 1000 元
  }}
}}
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


def test_the_loan_kinds_are_lent() -> None:
    assert amount_flow("贷款") == "lent"
    assert amount_flow("借款") == "lent"
    assert amount_flow("补贴") == "paid"  # and the others keep theirs
    assert amount_flow("罚款") == "payable"


def test_the_text_answer_gives_the_loan_its_own_line(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    text = run(capsys, policies.write(LOAN), {"账户余额": "20000", "首次购房": True})
    lines = [line.strip() for line in text.splitlines()]
    assert "✔ 公积金贷款 — 适用: 300,000元（30万元）（可贷额度） · 责任单位: 市商务局" in lines
    assert totals(text) == ["合计（支付给申请人）: 1000元", "合计（可贷额度）: 300,000元（30万元）"]
    # the loan alone: no line of what is paid at all
    text = run(capsys, policies.write(LOAN), {"账户余额": "20000", "首次购房": False})
    assert totals(text) == ["合计（可贷额度）: 300,000元（30万元）"]
    assert "支付给申请人" not in text


def test_the_party_of_a_loan_borrows(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    text = run(capsys, policies.write(LOAN), {"账户余额": "20000"}, "--all")
    assert "借款方: 借款人" in text
    assert "受益: 借款人" not in text


def test_the_json_gives_the_loan_its_own_flow(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    inputs = {"账户余额": "20000", "首次购房": True}
    document = json.loads(run(capsys, policies.write(LOAN), inputs, "--format", "json"))
    flows = {r["rule"]: r["flow"] for r in document["results"]}
    assert flows == {"公积金贷款": "lent", "购房补贴": "paid"}
    paid = {"元": {"value": "1000", "unit": "元", "text": "1000元"}}
    lent = {"元": {"value": "300000", "unit": "元", "text": "300,000元（30万元）"}}
    assert document["totals"] == paid  # what is paid: never the loan
    assert document["totals_by_kind"] == {"paid": paid, "lent": lent}
    assert document["totals_by_beneficiary"] == [
        {"flow": "paid", "beneficiary": "", "words": "支付给申请人", "totals": paid},
        {"flow": "lent", "beneficiary": "", "words": "可贷额度", "totals": lent},
    ]


def test_the_batch_summary_keeps_the_loan_apart(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb", reason="the batch extra is not installed")
    policy = policies.write(LOAN)
    cases = tmp_path / "cases.csv"
    # 15 × (20,000 + 10,000) = 450,000元 lent; one 首次购房: 1,000元 paid
    cases.write_text(
        "on,账户余额,首次购房\n2023-06-01,20000,true\n2023-06-01,10000,false\n", "utf-8"
    )
    assert main(["run", str(policy), "--cases", str(cases), "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["totals"] == {"元": "1000"}
    assert summary["totals_by_kind"] == {"paid": {"元": "1000"}, "lent": {"元": "450000"}}
    assert main(["run", str(policy), "--cases", str(cases)]) == 0
    lines = [x for x in capsys.readouterr().out.splitlines() if x.startswith("合计")]
    # written as `run` writes every sum: 1000元 ungrouped, 450,000元 with its 万元 gloss
    assert lines == ["合计（支付给申请人）: 1000元", "合计（可贷额度）: 450,000元（45万元）"]


def test_the_form_says_可贷(policies: PolicyFactory) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from starlette.testclient import TestClient

    from policyc.serve.app import create_app

    client = TestClient(create_app([policies.write(LOAN)]))
    answer = client.post("/policies/p", data={"case.on": "2023-06-01", "账户余额": "20000"})
    assert answer.status_code == 200, answer.text
    assert "<li>合计（可贷额度）: <strong>300,000元（30万元）</strong></li>" in answer.text
    assert "支付给申请人" not in answer.text


def test_the_site_says_可贷_not_得(policies: PolicyFactory) -> None:
    from policyc.compiler.docs import render_docs
    from policyc.compiler.pipeline import check_policy
    from policyc.worked_examples import worked_examples

    path = policies.write(LOAN)
    examples = path.parent / "examples" / path.stem
    examples.mkdir(parents=True)
    (examples / "01.yaml").write_text(
        "policy: 测试〔2023〕1号\non: 2023-06-01\ninputs:\n  账户余额: 20000\n"
        "expect:\n  公积金贷款: {status: applies, amount: 300000元}\n",
        "utf-8",
    )
    policy = check_policy(path)
    pages = render_docs([policy], examples=worked_examples([policy]))
    page = next(text for name, text in pages.items() if name.startswith("docs/p"))
    card = page[
        page.index("#### 公积金贷款") if "#### 公积金贷款" in page else page.index("公积金贷款") :
    ]
    card = card[: card.index("购房补贴")]
    assert "**可贷多少**" in card and "**借款方**：借款人" in card
    assert "→ 可贷 **300,000元（30万元）**" in card
    assert "能得多少" not in card and "→ 得" not in card


RATE = f"""clause 七 "贴息" {{
  {QUOTE}
  responsible 市商务局
  rule 贴息利率 {{
    kind 利率
    beneficiary 二手车经销商
    amount unspecified "贴息利率按另行发布的办法执行"
  }}
  rule 车展补贴 {{
    kind 补贴
    beneficiary 车展组织者
    amount unspecified "按所销车辆台数给予相应补贴,标准未规定"
  }}
}}
"""


def test_the_site_never_says_a_rate_is_received(policies: PolicyFactory) -> None:
    """A kind with no flow (`kind 利率`) left to another document is a figure, not money the
    party receives: 数额 and 适用对象, never 能得多少 or 受益对象 (site13, item 3); a 补贴 left
    unspecified beside it keeps 能得多少 … 金额."""
    from policyc.compiler.docs import render_docs
    from policyc.compiler.pipeline import check_policy

    assert amount_flow("利率") == ""
    policy = check_policy(policies.write(RATE))
    page = next(text for name, text in render_docs([policy]).items() if name.startswith("docs/p"))
    rate = page[page.index("贴息利率") : page.index("车展补贴")]
    assert "**数额**：文件未写明数额，请向下列单位咨询" in rate
    assert "**适用对象**：二手车经销商" in rate
    assert "能得多少" not in rate and "受益对象" not in rate and "金额" not in rate
    grant = page[page.index("车展补贴") :]
    assert "**能得多少**：文件未写明金额，请向下列单位咨询" in grant
    assert "**受益对象**：车展组织者" in grant


FINE = f"""clause 七 "罚则" {{
  {QUOTE}
  responsible 市商务局
  rule 违规罚款 {{
    kind 罚款
    beneficiary 违法行为人
    amount unspecified "按有关法律法规处罚"
  }}
}}
"""


def test_run_labels_an_unspecified_figure_by_its_kind(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    """`run --all` as the site: a rate's party is 适用对象 and its figure 数额未规定; a 补贴's
    party 受益 and its amount 金额未规定; a 罚款 left unspecified is still owed (flow payable,
    应缴方), never 受益."""
    lines = [x.strip() for x in run(capsys, policies.write(RATE), {}, "--all").splitlines()]
    assert "数额未规定: 贴息利率按另行发布的办法执行" in lines
    assert "适用对象: 二手车经销商 · 责任单位: 市商务局" in lines
    assert "金额未规定: 按所销车辆台数给予相应补贴,标准未规定" in lines
    assert "受益: 车展组织者 · 责任单位: 市商务局" in lines
    fine = policies.write(FINE, name="fine.policy")
    assert "应缴方: 违法行为人 · 责任单位: 市商务局" in run(capsys, fine, {}, "--all")
    document = json.loads(run(capsys, fine, {}, "--format", "json"))
    assert [(r["rule"], r["flow"], r["status"]) for r in document["results"]] == [
        ("违规罚款", "payable", "unspecified")
    ]
    assert document["totals"] == {}  # an unspecified amount adds nothing


def test_the_form_labels_a_rate_as_run_does(policies: PolicyFactory) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from starlette.testclient import TestClient

    from policyc.serve.app import create_app

    client = TestClient(create_app([policies.write(RATE)]))
    answer = client.post("/policies/p", data={"case.on": "2023-06-01"})
    assert answer.status_code == 200, answer.text
    assert "<div>数额未规定：贴息利率按另行发布的办法执行</div>" in answer.text
    assert "<div>适用对象：二手车经销商</div>" in answer.text
    assert "<div>受益：车展组织者</div>" in answer.text
