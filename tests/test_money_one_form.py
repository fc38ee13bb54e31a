"""One formatting of money for every output (site13, item 1): the batch summary wrote its sums
`1,000元` without the 万 gloss while `run` wrote `1000元` and `450,000元（45万元）`. Every text
output now writes a sum as runtime `format_quantity` does (cli/people_report.py `money_text`):
thousands grouped from 10,000 on, the 万元 gloss when it needs at most two decimals; JSON keeps
its exact `value`.

Figures by hand (a 补贴 of 3 × 津贴基数):
- 3 × 333.5 = 1000.5元: under 10,000, not grouped, no gloss;
- 3 × 4115 = 12,345元: grouped, no gloss (1.2345万 would need four decimals);
- 3 × 150,000 = 450,000元: grouped, glossed 45万元;
- the three cases together: 1000.5 + 12,345 + 450,000 = 463,345.5元 (no gloss: not whole 百元).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from policyc.cli import main
from policyc.people_report import key_total_text, money_text
from tests.conftest import QUOTE, PolicyFactory

POLICY = f"""input 津贴基数: 元 "津贴基数"
clause 七 "津贴" {{
  {QUOTE}
  responsible 市商务局
  rule 津贴 {{
    kind 补贴
    amount 3 × 津贴基数
  }}
}}
"""


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        ("1000", "元", "1000元"),  # under 10,000: no separator
        ("9999.99", "元", "9999.99元"),
        ("10000", "元", "10,000元（1万元）"),  # from 10,000 on: grouped, whole 百元: glossed
        ("12345", "元", "12,345元"),  # the gloss would need four decimals
        ("1198000", "元", "1,198,000元（119.8万元）"),
        ("0", "元", "0元"),
        ("20000", "美元", "20,000美元（2万美元）"),
    ],
)
def test_money_text_writes_a_sum_as_the_answer_does(value: str, unit: str, text: str) -> None:
    assert money_text(Decimal(value), unit) == text


def test_a_total_keeps_its_period_words() -> None:
    # a month's total beside a one-time one: 每月 …; alone among one-time totals: the sum alone
    assert key_total_text("元/月", Decimal("2800"), ["元", "元/月"]) == "每月 2800元"
    assert key_total_text("元", Decimal("75600"), ["元", "元/月"]) == "一次性 75,600元（7.56万元）"
    assert key_total_text("元", Decimal("75600"), ["元"]) == "75,600元（7.56万元）"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["run", *args]) == 0
    return capsys.readouterr().out


def _totals(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("合计")]


@pytest.mark.parametrize(
    ("base", "total"),
    [("333.5", "1000.5元"), ("4115", "12,345元"), ("150000", "450,000元（45万元）")],
)
def test_the_batch_summary_writes_the_sum_as_run_does(
    capsys: pytest.CaptureFixture[str],
    policies: PolicyFactory,
    tmp_path: Path,
    base: str,
    total: str,
) -> None:
    pytest.importorskip("duckdb", reason="the batch extra is not installed")
    policy = policies.write(POLICY)
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"on": "2023-06-01", "inputs": {"津贴基数": base}}), "utf-8")
    one = _totals(_run(capsys, str(policy), "--case", str(case)))
    cases = tmp_path / "cases.csv"
    cases.write_text(f"on,津贴基数\n2023-06-01,{base}\n", "utf-8")
    summary = _totals(_run(capsys, str(policy), "--cases", str(cases)))
    assert one == summary == [f"合计（支付给申请人）: {total}"]


def test_the_batch_summary_tables_and_json(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb", reason="the batch extra is not installed")
    policy = policies.write(POLICY)
    cases = tmp_path / "cases.csv"
    rows = "".join(f"2023-06-01,{b}\n" for b in ("333.5", "4115", "150000"))
    cases.write_text("on,津贴基数\n" + rows, "utf-8")
    text = _run(capsys, str(policy), "--cases", str(cases))
    assert _totals(text) == ["合计（支付给申请人）: 463,345.5元"]
    # the largest amounts in the rules table, each as the answer writes it
    assert "450,000元（45万元）, 12,345元, 1000.5元" in text
    summary = json.loads(_run(capsys, str(policy), "--cases", str(cases), "--format", "json"))
    assert summary["totals"] == {"元": "463345.5"}  # JSON stays machine-exact


DECIDING = """input 津贴基数: 元 "津贴基数"
decide 核定基数 = 3 × 津贴基数 "核定的基数"
"""


def test_the_batch_summary_writes_a_decided_sum_as_run_does(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb", reason="the batch extra is not installed")
    policy = policies.write(DECIDING)
    cases = tmp_path / "cases.csv"
    # 3 × 150,000 = 450,000元 (twice); 3 × 333.5 = 1000.5元 (once)
    cases.write_text("on,津贴基数\n2023-06-01,150000\n2023-06-01,150000\n2023-06-01,333.5\n")
    text = _run(capsys, str(policy), "--cases", str(cases))
    assert "450,000元（45万元） (2), 1000.5元 (1)" in text
