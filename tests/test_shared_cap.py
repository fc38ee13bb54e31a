"""A cap shared by several rules: 同一企业每年享受本措施第一至四条的补贴、奖励合计不超过30万元.

The fixture tests/fixtures/shared-cap/ restates a fictional four-clause document with such a cap.
The expected figures are worked out by hand from its text: 第一条 2000元/人, 第二条 10% of the
equipment cost up to 20万元, 第三条 10万元 on first reaching 5000万元, 第四条 50% of the booth fee;
shared out in the order of the clauses (the declared reading).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory

FIXTURE = Path(__file__).parent / "fixtures" / "shared-cap"
POLICY = FIXTURE / "shared-cap.policy"
ON = date(2024, 12, 31)
RULES = ("用工补贴", "设备补贴", "销售奖励", "展会补贴")


@pytest.fixture(scope="module")
def policy() -> CompiledPolicy:
    return compile_policy(POLICY)


def yuan(text: str) -> Quantity:
    return Quantity.of(text, "元")


def run(policy: CompiledPolicy, **given: Any) -> dict[str, Any]:
    # The policy's defaults, as the case loader fills them in
    defaults = {"新招用员工": 0, "年销售收入": "0", "以往最高年销售收入": "0", "展位费": "0"}
    inputs: dict[str, Any] = {}
    for name, value in (defaults | given).items():
        inputs[name] = Quantity.of(value, "人") if name == "新招用员工" else yuan(value)
    return {r.info.name: r for r in policy.evaluate(inputs, ON)}


def amounts(results: dict[str, Any]) -> list[Decimal | None]:
    return [results[name].amount.value if results[name].amount else None for name in RULES]


def test_37_wan_before_the_shared_cap_is_30_wan_after(policy: CompiledPolicy) -> None:
    out = run(policy, 新招用员工=25, 设备投资额="3000000", 年销售收入="60000000", 展位费="40000")
    # before: 25 × 2000 = 5万; 10% × 300万 = 30万 → own cap 20万; 10万; 50% × 4万 = 2万: 37万
    assert [out[n].shared.before.value for n in RULES] == [50000, 200000, 100000, 20000]
    # shared out in order: 5万 (used 5万), 20万 (used 25万), 5万 of 10万 (used 30万), 0 of 2万
    assert amounts(out) == [50000, 200000, 50000, 0]
    assert [out[n].shared.used_before.value for n in RULES] == [0, 50000, 250000, 300000]
    assert [out[n].shared.position for n in RULES] == [1, 2, 3, 4]
    assert out["设备补贴"].uncapped.value == 300000  # its own cap is still reported
    assert sum(a for a in amounts(out) if a is not None) == 300000


def test_under_the_cap_every_rule_is_paid_in_full(policy: CompiledPolicy) -> None:
    out = run(policy, 新招用员工=25, 设备投资额="0", 年销售收入="60000000", 展位费="40000")
    assert amounts(out) == [50000, 0, 100000, 20000]  # 17万 ≤ 30万
    assert all(out[n].shared.after == out[n].shared.before for n in RULES)


def test_exactly_the_cap_and_one_fen_over(policy: CompiledPolicy) -> None:
    # 10 × 2000 = 2万, 10% × 180万 = 18万, 10万: exactly 30万, all paid (不超过 includes 30万)
    exact = run(policy, 新招用员工=10, 设备投资额="1800000", 年销售收入="60000000")
    assert amounts(exact) == [20000, 180000, 100000, 0]
    # 0.02元 of booth fee asks 0.01元 more: the cap is used up, it receives 0
    over = run(policy, 新招用员工=10, 设备投资额="1800000", 年销售收入="60000000", 展位费="0.02")
    assert amounts(over) == [20000, 180000, 100000, 0]
    assert over["展会补贴"].shared.before.value == Decimal("0.01")
    # one 分 under the cap: 10% × 1799999.90 = 179999.99; the booth's 0.01元 fits exactly
    under = run(
        policy, 新招用员工=10, 设备投资额="1799999.90", 年销售收入="60000000", 展位费="0.02"
    )
    assert amounts(under) == [20000, Decimal("179999.99"), 100000, Decimal("0.01")]


def test_an_undetermined_rule_leaves_the_later_shares_undetermined(policy: CompiledPolicy) -> None:
    out = run(policy, 新招用员工=25, 年销售收入="60000000", 展位费="40000")  # no equipment cost
    assert out["用工补贴"].status == "applies" and out["用工补贴"].amount.value == 50000
    assert out["设备补贴"].status == "undetermined"
    for name in ("销售奖励", "展会补贴"):
        assert out[name].status == "undetermined"
        assert out[name].missing == ("设备投资额",)
        assert "先分给 设备补贴" in out[name].reason


def test_a_rule_that_does_not_apply_uses_none_of_the_cap(policy: CompiledPolicy) -> None:
    # 以往最高 already 6000万: 销售奖励 reaches no new row and does not apply, so 展会 gets
    # its 2万 after 25万
    out = run(
        policy,
        新招用员工=25,
        设备投资额="3000000",
        年销售收入="60000000",
        以往最高年销售收入="60000000",
        展位费="40000",
    )
    assert amounts(out) == [50000, 200000, None, 20000]
    assert out["销售奖励"].status == "not_applicable"


def test_run_prints_and_totals_the_shared_figures() -> None:
    case = FIXTURE / "over-the-cap.yaml"
    cmd = [sys.executable, "-m", "policyc", "run", str(POLICY), "--case", str(case)]
    text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    assert "合计（支付给申请人）: 300,000元（30万元）" in text
    assert (
        "合计上限「第一至四条合计」300,000元（30万元）（第3项）: 此前已用 250,000元（25万元），"
        "本项 100,000元（10万元） → 50,000元（5万元）"
    ) in text
    doc = json.loads(
        subprocess.run(
            [*cmd, "--format", "json"], capture_output=True, text=True, check=True
        ).stdout
    )
    assert doc["totals"]["元"]["value"] == "300000"
    shares = {r["rule"]: r["shared_cap"] for r in doc["results"]}
    assert shares["展会补贴"] == {
        "name": "第一至四条合计",
        "limit": {"value": "300000", "unit": "元", "text": "300,000元（30万元）"},
        "before": {"value": "20000", "unit": "元", "text": "20,000元（2万元）"},
        "after": {"value": "0", "unit": "元", "text": "0元"},
        "used_before": {"value": "300000", "unit": "元", "text": "300,000元（30万元）"},
        "position": 4,
        "order": "as_listed",
        "limit_named": None,  # the document states this limit
    }


def test_the_batch_path_runs_the_shared_rules_case_by_case(
    policy: CompiledPolicy, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    from policyc.compiler.batch import generate_batch
    from tests.test_batch import assert_same, expected, write_csv

    program = generate_batch(policy.checked, policy.namespace["READINGS"])
    reasons = {r.name: r.fallback for r in program.rules}
    assert all("shared out under the cap `第一至四条合计`" in reasons[n] for n in RULES)
    rows = [
        {"on": "2024-12-31", "新招用员工": "25", "设备投资额": "3000000", "年销售收入": "60000000",
         "展位费": "40000"},
        {"on": "2024-12-31", "新招用员工": "10", "设备投资额": "1800000", "年销售收入": "60000000",
         "展位费": "0.02"},
        {"on": "2024-12-31", "新招用员工": "25", "年销售收入": "60000000", "展位费": "40000"},
        {"on": "2027-01-01", "新招用员工": "25", "设备投资额": "3000000"},
    ]  # fmt: skip
    rows = [{"以往最高年销售收入": "0", "年销售收入": "0", "展位费": "0"} | row for row in rows]
    path = tmp_path / "cases.csv"
    write_csv(path, rows)
    want = expected(policy, rows, {})
    assert [want[0][n][1] for n in RULES] == [50000, 200000, 50000, 0]
    assert want[3]["用工补贴"][0] == "not_in_force"
    with_fallback = _batch(policy, path)
    assert_same(want, with_fallback, rows)


def _batch(policy: CompiledPolicy, path: Path) -> list[dict[str, Any]]:
    from policyc.batch import Batch

    with Batch(policy, {}) as batch:
        batch.load(path, None)
        batch.evaluate()
        return [results for _, results in batch.rows()]


def test_the_docs_show_the_shared_cap_and_the_rounding() -> None:
    from policyc.compiler.docs import render_docs
    from policyc.compiler.pipeline import check_policy

    files = render_docs([check_policy(POLICY)])
    page = next(text for name, text in files.items() if "测试" in text and name.endswith(".md")
                and "合计封顶" in text)  # fmt: skip
    assert "「第一至四条合计」：与设备补贴、销售奖励、展会补贴合计每企业每年最高30万元" in page
    assert "按所列顺序先到先得（文件未规定合计超限时先扣哪一项, 按条款顺序先到先得读）" in page
    assert "封顶后按四舍五入保留到分（文件未规定，本政策的读法" in page
    assert "2024-03-01 至 2026-12-31" in page
    assert (
        "| 合计封顶 | 第一至四条合计：“第五条 同一企业每年享受本措施第一至四条的补贴、奖励合计不超过30万元。”"
        "（用工补贴、设备补贴、销售奖励、展会补贴，按所列顺序先到先得） |"
    ) in page


SHARED = """
shared_cap 合计 {{
    limit {limit}
    over {over}
    {order}
}}
"""
TWO = '  rule 甲 { amount 1 元 }\n  rule 乙 { amount 2 元 }\n  rule 丙 { grants "入驻" }'


@pytest.mark.parametrize(
    ("limit", "over", "order", "message"),
    [
        ("3 元", "甲, 乙", "", "does not say in which order"),
        ("3 元", "甲, 乙", "order biggest_first", "unknown order `biggest_first`"),
        ("3 人", "甲, 乙", "order as_listed", "a shared cap is an amount of money"),
        ("3 元", "甲, 丁", "order as_listed", "unknown rule `丁`"),
        ("3 元", "甲, 丙", "order as_listed", "rule `丙` has no amount to cap"),
        ("3 元", "甲, 甲", "order as_listed", "rule `甲` is listed twice"),
        ("3 元", "clause 九", "order as_listed", "there is no clause 九"),
    ],
)
def test_bad_shared_caps(
    policies: PolicyFactory, limit: str, over: str, order: str, message: str
) -> None:
    body = policies.clause(TWO) + SHARED.format(limit=limit, over=over, order=order)
    with pytest.raises(PolicyError, match=message):
        compile_policy(policies.write(body))


def test_a_rule_under_two_shared_caps_is_an_error(policies: PolicyFactory) -> None:
    body = policies.clause(TWO) + SHARED.format(
        limit="3 元", over="甲, 乙", order="order as_listed"
    )
    body += SHARED.format(limit="2 元", over="乙", order="order as_listed").replace("合计", "另一")
    with pytest.raises(PolicyError, match="rule `乙` is under two shared caps"):
        compile_policy(policies.write(body))


def test_a_quote_of_a_shared_cap_must_be_in_the_source(policies: PolicyFactory) -> None:
    body = policies.clause(TWO) + SHARED.format(
        limit="3 元", over="甲, 乙", order='order as_listed\n    quote "不在来文中的句子"'
    )
    with pytest.raises(PolicyError, match="this quote is not in the source text"):
        compile_policy(policies.write(body))


def test_the_listed_order_decides_who_is_cut(policies: PolicyFactory) -> None:
    body = policies.clause(TWO) + SHARED.format(
        limit="2.5 元", over="乙, 甲", order="order as_listed"
    )
    out = {
        r.info.name: r for r in compile_policy(policies.write(body)).evaluate({}, date(2023, 6, 30))
    }
    assert (out["乙"].amount.value, out["甲"].amount.value) == (2, Decimal("0.5"))


def test_the_shared_cap_quote_counts_as_read() -> None:
    cmd = [sys.executable, "-m", "policyc", "check", "--strict", str(POLICY)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    assert "source coverage 100.0%" in out  # 第五条 is quoted by the shared cap alone


def test_policyc_test_checks_the_amounts_after_the_shared_cap() -> None:
    case = FIXTURE / "over-the-cap.yaml"  # expects 5万元 for 销售奖励, not the 10万元 it asks
    cmd = [sys.executable, "-m", "policyc", "test", str(POLICY), str(case)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 0 failed" in done.stdout


def test_a_limit_in_another_currency_is_an_error(policies: PolicyFactory) -> None:
    rules = "  rule 甲 { amount 1 美元 }\n  rule 乙 { amount 2 美元 }"
    body = policies.clause(rules) + SHARED.format(
        limit="3 元", over="甲, 乙", order="order as_listed"
    )
    with pytest.raises(PolicyError, match="rule `甲` pays a quantity in 美元"):
        compile_policy(policies.write(body))
    body = policies.clause(rules) + SHARED.format(
        limit="3 美元", over="甲, 乙", order="order as_listed"
    )
    out = {
        r.info.name: r for r in compile_policy(policies.write(body)).evaluate({}, date(2023, 6, 30))
    }
    assert (out["甲"].amount.value, out["乙"].amount.value) == (1, 2)


def test_amounts_are_rounded_before_they_are_shared(policy: CompiledPolicy) -> None:
    # 10% × 1799999.95 = 179999.995 → 四舍五入 to 分 180000.00; with 2万 + 10万 the cap is used
    # up exactly, so the booth's 0.01元 receives 0 (sharing the exact figure would leave 0.005元)
    out = run(policy, 新招用员工=10, 设备投资额="1799999.95", 年销售收入="60000000", 展位费="0.02")
    assert amounts(out) == [20000, 180000, 100000, 0]
    assert out["设备补贴"].unrounded.value == Decimal("179999.995")
