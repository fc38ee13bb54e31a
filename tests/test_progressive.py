"""Progressive scales (分段累进): each band's rate applies to the part of the base inside it.

The expected amounts are worked out by hand from the bands, band by band, in the comments.
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
from tests.conftest import FIXTURES, PolicyFactory

COUNTY = FIXTURES / "county-scales" / "county-scales.policy"
ON = date(2023, 6, 30)
DECLS = "input 所得: 元 optional\n"


@pytest.fixture(scope="module")
def county() -> CompiledPolicy:
    return compile_policy(COUNTY)


def result(policy: CompiledPolicy, name: str, on: date, explain: bool = False, **given: Any):  # type: ignore[no-untyped-def]
    return {r.info.name: r for r in policy.evaluate(given, on, explain=explain)}[name]


def yuan(text: str) -> Quantity:
    return Quantity.of(text, "元")


def scale(policies: PolicyFactory, rows: str) -> CompiledPolicy:
    return policies.compile(f"  rule 税 {{ amount progressive 所得 {{ {rows} }} }}", DECLS)


# 不超过500万元 10%, 超过500万元至2000万元 6%, 超过2000万元 3%; cap 150万元 per project.
@pytest.mark.parametrize(
    ("investment", "paid", "uncapped"),
    [
        ("0", "0", None),
        ("4999999.99", "499999.999", None),  # rounded to 分: 500000.00
        ("5000000", "500000", None),  # the edge: all of it at 10%
        ("5000000.01", "500000.0006", None),  # 0.01 above: 0.01 × 6%
        ("20000000", "1400000", None),  # 50万 + 1500万 × 6% = 140万
        ("20000001", "1400000.03", None),  # + 1元 × 3%
        ("23333300", "1499999", None),  # 140万 + 3333300 × 3% = 99999
        ("23333333.33", "1499999.9999", None),  # rounds to 150万 exactly
        ("23333333.34", "1500000", "1500000.0002"),  # just over the cap: capped
        ("30000000", "1500000", "1700000"),  # 50万 + 90万 + 30万 = 170万, capped at 150万
    ],
)
def test_the_county_scale_band_by_band(
    county: CompiledPolicy, investment: str, paid: str, uncapped: str | None
) -> None:
    r = result(county, "技改补贴", date(2025, 5, 1), 设备投资额=yuan(investment))
    assert r.status == "applies"
    exact = r.unrounded if r.unrounded is not None else r.amount
    assert exact.value == Decimal(paid)
    assert r.amount.value == Decimal(paid).quantize(Decimal("0.01"))
    assert (r.uncapped.value if r.uncapped else None) == (Decimal(uncapped) if uncapped else None)


def test_the_amount_is_the_same_on_either_side_of_an_edge_s_word(
    policies: PolicyFactory,
) -> None:
    # 不超过 3000 / 超过 3000, 不满 3000 / 达到 3000, 以下 / 以上: the edge falls in another band
    # in each, the amount is 3000 × 3% = 90 in every one: the part beyond the edge is zero.
    for rows in (
        "不超过 3000 元: 3%, 超过 3000 元: 10%",
        "不满 3000 元: 3%, 达到 3000 元: 10%",
        "3000 元 以下: 3%, 3000 元 以上: 10%",
    ):
        policy = scale(policies, rows)
        assert result(policy, "税", ON, 所得=yuan("3000")).amount.value == Decimal("90")
        # 3000.01: 90 + 0.01 × 10% = 90.001
        assert result(policy, "税", ON, 所得=yuan("3000.01")).amount.value == Decimal("90.001")
        # 2999.99 × 3% = 89.9997
        assert result(policy, "税", ON, 所得=yuan("2999.99")).amount.value == Decimal("89.9997")


@pytest.mark.parametrize(
    ("rows", "band"),
    [
        ("不超过 3000 元: 3%, 超过 3000 元: 10%", 1),  # 不超过 includes the edge
        ("不满 3000 元: 3%, 达到 3000 元: 10%", 2),  # 不满 leaves it to the band above
        ("3000 元 以下: 3%, 3000 元 以上: 10%", 1),  # both include it: the band named first
        ("超过 0 元: 3%, 超过 3000 元: 10%", 1),  # lower edges: 超过 leaves it below
        ("超过 0 元: 3%, 3000 元 以上: 10%", 2),  # 以上 takes it into the upper band
    ],
)
def test_which_band_holds_a_base_on_the_edge(policies: PolicyFactory, rows: str, band: int) -> None:
    r = result(scale(policies, rows), "税", ON, explain=True, 所得=yuan("3000"))
    trace = " ".join(step.text for step in r.steps)
    assert f"（落在第{band}段）" in trace


def test_the_income_tax_shape_of_bands(policies: PolicyFactory) -> None:
    # 个人所得税 综合所得 (annual) as bands: 3% to 36000, 10% to 144000, 20% above (truncated).
    policy = scale(policies, "不超过 36000 元: 3%, 不超过 144000 元: 10%, 超过 144000 元: 20%")
    # 36000 × 3% = 1080; 108000 × 10% = 10800; 56000 × 20% = 11200 → 23080
    assert result(policy, "税", ON, 所得=yuan("200000")).amount.value == Decimal("23080")
    # the quick-deduction form agrees: 200000 × 20% − 16920 = 23080
    assert Decimal("200000") * Decimal("0.2") - Decimal("16920") == Decimal("23080")


def test_a_base_beyond_a_closed_scale_is_not_applicable(policies: PolicyFactory) -> None:
    # The text gives bands up to 2000 only: a base above is not given a rate.
    policy = scale(policies, "不超过 1000 元: 10%, 不超过 2000 元: 5%")
    assert result(policy, "税", ON, 所得=yuan("2000")).amount.value == Decimal("150")
    above = result(policy, "税", ON, 所得=yuan("2000.01"))
    assert above.status == "not_applicable"
    assert "超出分段表" in above.reason and "至2000元（含）" in above.reason
    exclusive = scale(policies, "不超过 1000 元: 10%, 不满 2000 元: 5%")
    assert result(exclusive, "税", ON, 所得=yuan("1999.99")).status == "applies"
    assert result(exclusive, "税", ON, 所得=yuan("2000")).status == "not_applicable"


def test_a_base_below_the_first_lower_edge_is_not_applicable(policies: PolicyFactory) -> None:
    # 起征点: only the part over 5000 is charged.
    policy = scale(policies, "超过 5000 元: 3%, 超过 8000 元: 10%")
    below = result(policy, "税", ON, 所得=yuan("5000"))
    assert below.status == "not_applicable" and "未达到第一段" in below.reason
    # 0.01 × 3% = 0.0003
    assert result(policy, "税", ON, 所得=yuan("5000.01")).amount.value == Decimal("0.0003")
    # 3000 × 3% + 2000 × 10% = 290
    assert result(policy, "税", ON, 所得=yuan("10000")).amount.value == Decimal("290")


def test_a_negative_base_is_not_applicable(policies: PolicyFactory) -> None:
    decls = DECLS + "input 扣除: 元 optional\n"
    rule = (
        "  # policyc: ignore[negative-amount] 测试负基数\n"
        "  rule 税 { amount progressive 所得 - 扣除 { 不超过 3000 元: 3%, 超过 3000 元: 10% } }"
    )
    policy = policies.compile(rule, decls)
    r = result(policy, "税", ON, 所得=yuan("100"), 扣除=yuan("200"))
    assert r.status == "not_applicable" and "分段基数为负" in r.reason


def test_an_unknown_base_leaves_the_rule_undetermined(policies: PolicyFactory) -> None:
    r = result(scale(policies, "不超过 3000 元: 3%, 超过 3000 元: 10%"), "税", ON)
    assert r.status == "undetermined" and r.missing == ("所得",)


def test_the_scale_is_rounded_by_the_declared_rounding(policies: PolicyFactory) -> None:
    rule = "  rule 税 { amount progressive 所得 { 不超过 3000 元: 3%, 超过 3000 元: 10% } }"
    policy = policies.compile(rule, 'rounding to 分 half_up because "测试"\n' + DECLS)
    # 3000 × 3% + 0.05 × 10% = 90.005 → 90.01 (四舍五入)
    r = result(policy, "税", ON, 所得=yuan("3000.05"))
    assert r.amount.value == Decimal("90.01") and r.unrounded.value == Decimal("90.005")


def test_the_trace_names_each_band_s_part(county: CompiledPolicy) -> None:
    r = result(county, "技改补贴", date(2025, 5, 1), explain=True, 设备投资额=yuan("6000000"))
    trace = "\n".join(step.text for step in r.steps)
    assert "分段累进 设备投资额" in trace
    assert "不超过5,000,000元（500万元）的部分 5,000,000元（500万元） × 10%" in trace
    assert "1,000,000元（100万元） × 6% = 60,000元（6万元）" in trace
    assert "（落在第2段）" in trace


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("超过 3000 元: 10%, 不超过 5000 元: 3%", "names every band by its lower edge"),
        ("不超过 3000 元: 3%, 超过 3000 元: 10%, 超过 5000 元: 20%", "only the last row"),
        ("不超过 3000 元: 3%, 不超过 1000 元: 10%", "bands must ascend"),
        ("超过 0 元: 3%, 超过 0 元: 10%", "bands must ascend"),
        ("不超过 3000 元: 3%, 超过 4000 元: 10%", "starts where the band before it ends"),
        ("不满 3000 元: 3%, 超过 3000 元: 10%", "falls in no band"),
        ("== 3000 元: 3%", "does not bound a band"),
        ("不超过 3000 元: 3%, 超过 3000 元: 10 元", "the bands' rates must share one measure"),
        ("不超过 3000 人: 3%", "a band's edge and the base are"),
        ("不超过 3000 元: 是", "a band's rate is a quantity"),
    ],
)
def test_bad_scales_are_located_errors(policies: PolicyFactory, rows: str, message: str) -> None:
    with pytest.raises(PolicyError) as info:
        scale(policies, rows.replace("是", "true"))
    text = str(info.value)
    assert message in text
    assert ":" in text.splitlines()[0]  # file:line:col


def test_a_scale_of_a_date_is_an_error(policies: PolicyFactory) -> None:
    rule = "  rule 税 { amount progressive 开业日期 { 不超过 3000 元: 3% } }"
    with pytest.raises(PolicyError, match="a progressive scale applies to a quantity"):
        policies.compile(rule, "input 开业日期: date optional\n")


def test_the_docs_show_the_bands(tmp_path: Path) -> None:
    from policyc.compiler.docs import render_docs

    files = render_docs([compile_policy(COUNTY).checked])
    page = files["docs/county-scales.md"]
    assert "**分段表**（按设备投资额分段累进）" in page
    assert "| 2 | 不超过2000万元（含本数） | 6% |" in page
    assert "两段用语都包含时归入前一段" in page


def test_run_json_and_fmt_keep_the_scale(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        "policy: 县政发〔2025〕3号\non: 2025-05-01\ninputs:\n  设备投资额: 2500万元\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(COUNTY), "--case", str(case),
         "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    rules = {r["rule"]: r for r in json.loads(out.stdout)["results"]}
    # 50万 + 90万 + 500万 × 3% = 155万 → capped at 150万
    assert rules["技改补贴"]["amount"]["value"] == "1500000"
    assert rules["技改补贴"]["uncapped"]["value"] == "1550000"
    fmt = subprocess.run(
        [sys.executable, "-m", "policyc", "fmt", "--check", str(COUNTY)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


SHAPES = {
    "上限": "不超过 3000 元: 3%, 不超过 12000 元: 10%, 超过 12000 元: 20%",
    "不满": "不满 3000 元: 3%, 达到 3000 元: 10%",
    "封闭": "不超过 1000 元: 10%, 不满 2000 元: 5%",
    "下限": "超过 5000 元: 3%, 3000 万元 以上: 10%",
}
EDGES = ["0", "0.01", "999.99", "1000", "1999.99", "2000", "2999.99", "3000", "3000.01",
         "5000", "5000.01", "12000", "12000.01", "29999999.99", "30000000", "30000000.01"]  # fmt: skip


def test_batch_matches_per_case_on_every_shape(policies: PolicyFactory, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    from tests.test_batch import assert_same, batch_results, expected, write_csv

    rules = "\n".join(
        f"  rule {name} {{ amount progressive 所得 {{ {rows} }} }}" for name, rows in SHAPES.items()
    )
    policy = policies.compile(rules, 'rounding to 分 half_even because "测试"\n' + DECLS)
    rows = [{"on": "2023-06-30", "所得": edge} for edge in EDGES]
    rows += [{"on": "2023-06-30", "所得": ""}]
    rows += [{"on": "2023-06-30", "所得": f"{i * 1234.567:.2f}"} for i in range(60)]
    path = tmp_path / "cases.csv"
    write_csv(path, rows)
    want = expected(policy, rows, {})
    assert_same(want, batch_results(policy, path, {}), rows)
    statuses = {s for case in want for s, _, _ in case.values()}
    assert statuses == {"applies", "not_applicable", "undetermined"}


def test_batch_matches_per_case_when_the_edges_are_inputs(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    # Edges known only per case cannot be checked to ascend: whatever they are, both paths
    # give the same status and amount (a base no band holds is not applicable in both).
    pytest.importorskip("duckdb")
    from tests.test_batch import assert_same, batch_results, expected, write_csv

    decls = DECLS + "input 甲: 元 optional\ninput 乙: 元 optional\n"
    rules = (
        "  rule 上限 { amount progressive 所得 { 不超过 甲: 3%, 不满 乙: 5%, 达到 乙: 9% } }\n"
        "  rule 封闭 { amount progressive 所得 { 不超过 甲: 3%, 不超过 乙: 5% } }\n"
        "  rule 下限 { amount progressive 所得 { 超过 甲: 3%, >= 乙: 5% } }"
    )
    policy = policies.compile(rules, decls)
    values = ["0", "1000", "1000.01", "2000", "2999.99", "3000", ""]
    rows = [
        {"on": "2023-06-30", "所得": a, "甲": b, "乙": c}
        for a in values
        for b in values[1:5]
        for c in values[1:]
    ]
    path = tmp_path / "cases.csv"
    write_csv(path, rows)
    want = expected(policy, rows, {})
    assert_same(want, batch_results(policy, path, {}), rows)
    statuses = {s for case in want for s, _, _ in case.values()}
    assert statuses == {"applies", "not_applicable", "undetermined"}
