"""A number written without % is a number: `decide 周期数 = if … then 1 else 6` is shown as 6, not
600% (a newcomer's water bill: "689.76元 ÷ 600% = 114.96元"); a value written or computed as a
percentage keeps its sign (10%, 6 × 10% = 60%, 1 - 10% = 90%). Also: a value read twice in one
rule is cited once by --explain, and a progressive scale's rate per measure is a 单价.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date

import pytest

from policyc.compiler import nodes as n
from policyc.compiler.pipeline import CompiledPolicy
from policyc.runtime.evaluation import show_value
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory

ON = date(2023, 6, 30)
DECLS = """enum 周期 { 全年, 两个月 }
input 计费周期: 周期
input 年水费: 元 optional
input 优惠率: % optional
decide 周期数 = if 计费周期 is 全年 then 1 else 6 "年度基数分摊的期数"
decide 合计比例 = 周期数 × 10% "按期数计的比例"
decide 自付比例 = 1 - 优惠率 "扣除优惠后的比例"
"""
RULES = """  rule 本期水费 { amount divide(年水费, 周期数, 分, half_up) }
  rule 优惠 { amount 合计比例 of 年水费 × (1 - 自付比例) }
"""


@pytest.fixture
def policy(policies: PolicyFactory) -> CompiledPolicy:
    return policies.compile(RULES, DECLS)


def test_the_runtime_tells_a_percentage_from_a_number() -> None:
    assert show_value(Quantity.of(6, "")) == "6"
    assert show_value(Quantity.of(10, "%")) == "10%"
    assert show_value(Quantity.of(6, "") * Quantity.of(10, "%")) == "60%"
    assert show_value(Quantity.of(1, "") - Quantity.of(10, "%")) == "90%"
    assert show_value(Quantity.of(6, "") * Quantity.of(2, "")) == "12"
    # equal values whatever they are shown as: 10% is 0.1
    assert Quantity.of(10, "%") == Quantity.of("0.1", "")


def test_decided_values_are_shown_as_written(policy: CompiledPolicy) -> None:
    inputs = {
        "计费周期": "两个月",
        "年水费": Quantity.of("689.76", "元"),
        "优惠率": Quantity.ratio(10),
    }
    shown = {r.info.name: show_value(r.value) for r in policy.evaluate(inputs, ON) if r.value}
    # 6 × 10% = 60%; 1 - 10% = 90%
    assert shown == {"周期数": "6", "合计比例": "60%", "自付比例": "90%"}


def _run(policies: PolicyFactory, period: str, *extra: str) -> str:
    case = policies.folder / "case.yaml"
    case.write_text(
        f"on: 2023-06-30\ninputs:\n  计费周期: {period}\n  年水费: 689.76\n  优惠率: 10%\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(policies.folder / "p.policy"), "--case",
         str(case), *extra],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_explain_divides_by_six_not_six_hundred_percent(
    policies: PolicyFactory, policy: CompiledPolicy
) -> None:
    text = _run(policies, "两个月", "--explain")
    # 689.76 元 ÷ 6 = 114.96 元 exactly
    assert "689.76元 ÷ 6 = 114.96元" in text
    assert "周期数 — 判定: 6" in text
    assert "600%" not in text and "100%" not in text
    assert "合计比例 — 判定: 60%" in text
    # 周期数 is read twice by 优惠 (through 合计比例 and directly)? once by 本期水费: cited once
    # the decision's own step (its decide on line 14), then once in 合计比例's steps, once in
    # 本期水费's
    assert text.count("· 周期数 = 6  [p.policy 第14行]") == 3
    assert "第0行" not in text


def test_a_value_read_twice_in_a_rule_is_cited_once(policies: PolicyFactory) -> None:
    decls = 'input 用量: 吨\ndecide 基数 = 30 吨 "基数"\n'
    rule = "  rule 费 { amount progressive 用量 { 不超过 基数: 2 元/吨, 超过 基数: 3 元/吨 } }\n"
    policies.compile(rule, decls)
    case = policies.folder / "case.yaml"
    case.write_text("on: 2023-06-30\ninputs:\n  用量: 40\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(policies.folder / "p.policy"), "--case",
         str(case), "--explain"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    # 30 吨 × 2 + 10 吨 × 3 = 90 元; 基数 is read by both edges and cited once
    assert "90元" in out.stdout
    # the decision's own step, then once in 费's steps (not once per edge)
    assert out.stdout.count("· 基数 = 30吨") == 2


def test_the_batch_shows_a_number_and_a_percentage(
    policies: PolicyFactory, policy: CompiledPolicy
) -> None:
    pytest.importorskip("duckdb")
    import csv

    from policyc.batch import run_batch

    cases = policies.folder / "cases.csv"
    cases.write_text(
        "id,on,计费周期,年水费,优惠率\na,2023-06-30,两个月,689.76,10%\nb,2023-06-30,全年,100,20%\n",
        encoding="utf-8",
    )
    out = policies.folder / "out.csv"
    run_batch(policies.folder / "p.policy", cases, out, None, [], "json", stdout=io.StringIO())
    rows = {row["id"]: row for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert [rows[k]["周期数.value"] for k in "ab"] == ["6", "1"]
    assert [rows[k]["合计比例.value"] for k in "ab"] == ["60%", "10%"]  # 6 × 10%; 1 × 10%
    summary = io.StringIO()
    run_batch(policies.folder / "p.policy", cases, None, None, [], "json", stdout=summary)
    assert "600%" not in summary.getvalue()
    json.loads(summary.getvalue())


@pytest.mark.parametrize(
    ("rate", "word"),
    [
        (n.PercentLit("3"), "分段比例"),
        (n.QuantityLit("3.45", "元/吨"), "分段单价"),
        (n.Ref("标准"), "分段标准"),
    ],
)
def test_the_amounts_index_names_a_band_by_its_rate(rate: n.Expr, word: str) -> None:
    from policyc.compiler.site.policy_amounts import _band_word

    assert _band_word(rate) == word


BILL_DECLS = """enum 计费周期 { 全年, 两个月 }
input 周期: 计费周期 "本账单的计费周期"
input 用水量: 立方米 "本账单的用水量"
decide 周期数 = if 周期 is 全年 then 1 else 6 "一年的账单数"
decide 折年水量 = 用水量 × 周期数 "按年度计的用水量"
"""
BILL_RULE = """  rule 阶梯水费 {
    amount divide(progressive 折年水量 {
        不超过 180 立方米: 2.09 元/立方米,
        不超过 260 立方米: 3.47 元/立方米,
        超过 260 立方米: 8.99 元/立方米,
    }, 周期数, 分, half_up)
  }
"""


@pytest.mark.parametrize(
    ("period", "used", "bill"),
    [
        # 30 × 6 = 180 (不超过 180): 180 × 2.09 = 376.2 元 ÷ 6 = 62.70 元
        ("两个月", "30", "62.7"),
        # 31 × 6 = 186: 376.2 + 6 × 3.47 = 397.02 元 ÷ 6 = 66.17 元
        ("两个月", "31", "66.17"),
        # 44 × 6 = 264: 376.2 + 80 × 3.47 + 4 × 8.99 = 689.76 元 ÷ 6 = 114.96 元
        ("两个月", "44", "114.96"),
        # a year's bill of 264: 689.76 元 ÷ 1
        ("全年", "264", "689.76"),
    ],
)
def test_the_documented_two_month_bill(
    policies: PolicyFactory, period: str, used: str, bill: str
) -> None:
    policy = policies.compile(BILL_RULE, BILL_DECLS)
    inputs = {"周期": period, "用水量": Quantity.of(used, "立方米")}
    (result,) = [r for r in policy.evaluate(inputs, ON) if r.info.name == "阶梯水费"]
    assert result.amount == Quantity.of(bill, "元")
