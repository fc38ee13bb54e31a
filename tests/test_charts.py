"""The site's charts: a long axis label stays inside the drawing, and a tier table repeated under
several reading branches draws each distinct chart once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyc.compiler.site.policy_text import _each_chart_once
from policyc.compiler.site.views import Block

REPO = Path(__file__).parent.parent
CHARTS = REPO / "generated_docs" / "docs" / "assets" / "charts"
TEXT = re.compile(r'<text [^>]*transform="rotate\((-?[0-9]+) [^"]*"[^>]*>([^<]*)</text>')


def test_a_repeated_drawing_is_shown_once_and_named_after() -> None:
    blocks = [
        Block("table", "档次表", chart="assets/charts/p-1.svg", chart_alt="a"),
        Block("table", "档次表", chart="assets/charts/p-2.svg", chart_alt="b"),
        Block("list", "满足以下之一"),
        Block(
            "table", "档次表", notes=("*适用*：…",), chart="assets/charts/p-1.svg", chart_alt="a"
        ),
        Block("table", "档次表", chart="assets/charts/p-2.svg", chart_alt="b"),
    ]
    kept = _each_chart_once(blocks)
    assert [b.chart for b in kept] == ["assets/charts/p-1.svg", "assets/charts/p-2.svg", "", "", ""]
    assert kept[3].notes == ("*适用*：…", "图：与上文第1张表的图相同，不再重画。")
    assert kept[4].notes == ("图：与上文第2张表的图相同，不再重画。",)
    assert kept[2] == blocks[2]


def test_the_brand_sales_tiers_show_two_charts_for_four_tables() -> None:
    page = (REPO / "generated_docs" / "docs" / "tzf-2023-1.md").read_text(encoding="utf-8")
    shown = re.findall(r"\]\((assets/charts/[^)]+\.svg)\)\{: \.pc-chart \}", page)
    assert len(shown) == len(set(shown))  # no drawing twice on the page
    assert page.count("图：与上文第") == 2


@pytest.mark.parametrize("svg", sorted(CHARTS.glob("*.svg")), ids=lambda p: p.name)
def test_no_vertical_label_runs_past_the_axes(svg: Path) -> None:
    # A rotated label longer than SHORT_LABEL characters would run past the drawing's edge.
    for angle, text in TEXT.findall(svg.read_text(encoding="utf-8")):
        if angle == "-90":
            assert len(text) <= 8, text


def test_the_long_share_label_is_the_title() -> None:
    texts = dict(
        (text, angle)
        for angle, text in TEXT.findall((CHARTS / "tzf-2023-1-1.svg").read_text(encoding="utf-8"))
    )
    assert texts["占养老保险个人缴费 + 失业保险个人缴费的比例（%）"] == "-0"
    assert texts["比例（%）"] == "-90"
