"""The chart of a progressive scale (compiler/site/progressive_chart.py): the amount against the
base, one straight piece per band, for a scale written in numbers (a newcomer's electricity
notice, tests/fixtures/power/, 青发改价格〔2026〕16号, invented: "月用电量200度及以下部分，每度0.56元；
201至400度部分，每度0.61元；400度以上部分，每度0.86元").

Worked by hand: 200度 × 0.56元/度 = 112元; 400度: 112元 + 200度 × 0.61元/度 = 234元; the open top
band drawn to 1.25 × 400度 = 500度: 234元 + 100度 × 0.86元/度 = 320元. 技改 (language.md's 分段累进
example): 500万元 × 10% = 50万元; 2000万元: 50万元 + 1500万元 × 6% = 140万元; 2500万元: 140万元 +
500万元 × 3% = 155万元. Brackets by lower edge (超过 0 元: 3%, 超过 3000 元: 10%): 3000元 → 90元,
3750元 → 90元 + 750元 × 10% = 165元. A closed scale ends at its last edge.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from policyc.compiler import nodes as n
from policyc.compiler.docs import render_docs
from policyc.compiler.pipeline import check_policy
from policyc.compiler.site.progressive_chart import progressive_chart, progressive_curve
from policyc.worked_examples import worked_examples
from tests.conftest import PolicyFactory

POWER = Path(__file__).parent / "fixtures" / "power" / "power.policy"


def _scale(policies: PolicyFactory, bands: str, declarations: str) -> n.Progressive:
    path = policies.write(
        policies.clause(f"  rule r {{ amount progressive 基数 {{ {bands} }} }}", declarations)
    )
    checked = check_policy(path)
    (rule,) = [r for _, r in checked.file.all_rules()]
    assert isinstance(rule.amount, n.Progressive)
    return rule.amount


def _points(curve: object) -> list[tuple[str, str]]:
    return [(f"{x.normalize():f}", f"{y.normalize():f}") for x, y in curve.points]  # type: ignore[attr-defined]


def test_a_price_per_unit_scale() -> None:
    (rule,) = [r for _, r in check_policy(POWER).file.all_rules()]
    assert isinstance(rule.amount, n.Progressive)
    curve = progressive_curve(rule.amount)
    assert curve is not None
    assert (curve.x_measure, curve.y_measure) == ("度", "元")
    assert _points(curve) == [("0", "0"), ("200", "112"), ("400", "234"), ("500", "320")]
    assert curve.edges == ((Decimal(200), "200度"), (Decimal(400), "400度"))
    assert curve.rates == ("0.56元/度", "0.61元/度", "0.86元/度")


def test_a_percentage_scale(policies: PolicyFactory) -> None:
    scale = _scale(
        policies,
        "不超过 500 万元: 10%, 不超过 2000 万元: 6%, 超过 2000 万元: 3%",
        "input 基数: 元\n",
    )
    curve = progressive_curve(scale)
    assert curve is not None and curve.y_measure == "万元"
    assert _points(curve) == [("0", "0"), ("500", "50"), ("2000", "140"), ("2500", "155")]


def test_brackets_by_lower_edge(policies: PolicyFactory) -> None:
    scale = _scale(policies, "超过 0 元: 3%, 超过 3000 元: 10%", "input 基数: 元\n")
    curve = progressive_curve(scale)
    assert curve is not None
    assert _points(curve) == [("0", "0"), ("3000", "90"), ("3750", "165")]


def test_a_closed_scale_ends_at_its_last_edge(policies: PolicyFactory) -> None:
    scale = _scale(
        policies, "不超过 200 度: 0.5 元/度, 不超过 400 度: 0.6 元/度", "input 基数: 度\n"
    )
    curve = progressive_curve(scale)
    assert curve is not None
    assert _points(curve) == [("0", "0"), ("200", "100"), ("400", "220")]


def test_a_computed_edge_has_no_chart(policies: PolicyFactory) -> None:
    scale = _scale(
        policies,
        "不超过 第一档: 0.5 元/度, 超过 第一档: 0.6 元/度",
        'input 基数: 度\ninput 第一档: 度 "第一档的用量"\n',
    )
    assert progressive_curve(scale) is None
    assert progressive_chart(scale, "基数") is None


def test_the_site_draws_it_beside_the_price_table() -> None:
    pytest.importorskip("matplotlib")
    policy = check_policy(POWER)
    pages = render_docs([policy], examples=worked_examples([policy]))
    page = pages["docs/power.md"]
    assert "| 段 | 分界（边界） | 单价 |" in page and "各段的单价只适用于该段的用量" in page
    assert (
        "![分段图：金额随月用电量变化（各段斜率为该段的单价）](assets/charts/power-1.svg)" in page
    )
    svg = pages["docs/assets/charts/power-1.svg"]
    for text in ("0.56元/度", "0.86元/度", "112元", "234元", "200度", "400度", "月用电量（度）"):
        assert f">{text}<" in svg, text
    # the one who pays the charge (kind 收费标准, beneficiary 户) is 应缴方, as `run` says
    assert "- **应缴方**：户" in page and "适用对象" not in page
