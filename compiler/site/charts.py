"""Charts of tier tables (the award against the amount reached) and of time-phased schedules (what
each year gives), drawn at build time as SVG with matplotlib — the `docs` extra.

Byte for byte reproducible: no date in the metadata, a fixed salt for the ids matplotlib hashes,
text kept as SVG text (`svg.fonttype: none`, the reader's browser draws the Chinese) so no font
file of the build machine is embedded. Without matplotlib the site is written without charts
(`available()` is False and the command says so in one line); the tables carry every figure
either way. Coordinates are drawing positions: the exact amounts are the tables' and the tick
labels', written from the policy's own numbers, never from a float.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.render import render
from policyc.runtime.quantity import MeasureError, Quantity

INCLUDES = {"ge": True, "gt": False}  # the boundary words a rising tier table may use
# Typed Any: matplotlib types rc_context as a dict of its literal keys.
RC: Any = {
    "svg.hashsalt": "policyc",
    "svg.fonttype": "none",
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
METADATA = {"Date": None, "Creator": "policyc docs"}
LINE = "#c62828"  # the site's primary red
SIZE = (5.6, 2.8)  # inches; the image scales to the page width
# A vertical axis label runs along the axes' height, about 12 characters of 9 pt Chinese; a
# longer one (占养老保险个人缴费 + 失业保险个人缴费的比例) ran past the drawing's top. It is
# written as the chart's title instead, across the width, wrapped at TITLE_WIDTH characters.
SHORT_LABEL = 8
TITLE_WIDTH = 30


def available() -> bool:
    """Whether matplotlib can be imported (the `docs` extra)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


@attrs.frozen
class Step:
    at: Decimal  # the threshold, in the chart's measure of the subject
    label: str  # as the policy writes it: 5000万元
    includes: bool  # 达到/以上 include the number; 超过 does not
    level: Decimal  # the award from this threshold on, in the chart's measure of the award


def _quantity(expr: n.Expr) -> Quantity | None:
    if not isinstance(expr, n.QuantityLit) or not expr.measure:
        return None
    try:
        return Quantity.of(expr.number, expr.measure)
    except (MeasureError, ValueError, ArithmeticError):
        return None


def tier_steps(tiers: n.Tiers) -> tuple[str, str, list[Step]] | None:
    """The steps of a rising tier table with constant amounts, for someone with no earlier tier
    reached: (subject measure, award measure, steps); None for a table a chart cannot show
    (a formula as an amount, a falling or mixed boundary, different measures)."""
    if not tiers.rows:
        return None
    first = tiers.rows[0]
    if not isinstance(first.threshold.value, n.QuantityLit) or not isinstance(
        first.amount, n.QuantityLit
    ):
        return None
    x_measure, y_measure = first.threshold.value.measure, first.amount.measure
    steps: list[Step] = []
    level = Decimal(0)
    for row in tiers.rows:
        threshold, amount = _quantity(row.threshold.value), _quantity(row.amount)
        if threshold is None or amount is None or row.threshold.op not in INCLUDES:
            return None
        try:
            at, award = threshold.to(x_measure), amount.to(y_measure)
        except (MeasureError, ValueError, ArithmeticError):
            return None
        if steps and at <= steps[-1].at:
            return None
        level = level + award if tiers.mode in ("each", "each_new") else award
        written = row.threshold.value
        assert isinstance(written, n.QuantityLit)  # _quantity gave a quantity for it
        label = f"{written.number}{written.measure}"
        steps.append(Step(at, label, INCLUDES[row.threshold.op], level))
    return x_measure, y_measure, steps


def _label_axis(axes: Any, label: str, short: str) -> None:
    """`label` on the vertical axis when it fits there, else as the title (wrapped) with `short`
    on the axis."""
    if len(label) <= SHORT_LABEL:
        axes.set_ylabel(label)
        return
    lines = [label[i : i + TITLE_WIDTH] for i in range(0, len(label), TITLE_WIDTH)]
    axes.set_title("\n".join(lines), loc="left", fontsize=9)
    axes.set_ylabel(short)


def _svg(figure: object) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata=METADATA, bbox_inches="tight")  # type: ignore[attr-defined]
    return buffer.getvalue()


def tier_chart(tiers: n.Tiers, subject: str, award: str) -> str | None:
    """An SVG step chart of the award against the subject, or None (see `tier_steps`). The
    dots say which side of each boundary gets the tier: filled where the number is included."""
    found = tier_steps(tiers)
    if found is None or not available():
        return None
    x_measure, y_measure, steps = found
    import matplotlib
    from matplotlib.figure import Figure

    with warnings.catch_warnings(), matplotlib.rc_context(RC):
        # The Chinese labels have no glyphs in the layout font; the browser draws them.
        warnings.simplefilter("ignore")
        figure = Figure(figsize=SIZE)
        axes = figure.subplots()
        end = float(steps[-1].at) * 1.25
        xs, ys = [0.0], [0.0]
        previous = 0.0
        for step in steps:
            at, level = float(step.at), float(step.level)
            xs += [at, at]
            ys += [previous, level]
            closed, hollow = (level, previous) if step.includes else (previous, level)
            axes.plot([at], [closed], "o", color=LINE, markersize=5)
            axes.plot([at], [hollow], "o", color=LINE, markerfacecolor="white", markersize=5)
            previous = level
        xs.append(end)
        ys.append(previous)
        axes.plot(xs, ys, color=LINE, linewidth=1.6, zorder=1)
        axes.set_xlim(0, end)
        axes.set_ylim(0, float(steps[-1].level) * 1.2 or 1)
        axes.set_xticks([float(s.at) for s in steps], labels=[s.label for s in steps])
        axes.set_yticks(
            [float(s.level) for s in steps],
            labels=[f"{_plain(s.level)}{y_measure}" for s in steps],
        )
        axes.set_xlabel(f"{subject}（{x_measure}）")
        _label_axis(axes, award, y_measure)
        axes.grid(axis="y", linewidth=0.4, alpha=0.5)
        return _svg(figure)


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def schedule_bars(schedule: n.Schedule) -> tuple[str, str, list[tuple[int, Decimal]]] | None:
    """(what the bars measure, the unit written after each value, (year, value) per year)
    when every year's amount is a share of one base (`100% of 房租`) or a constant; else None."""
    bars: list[tuple[int, Decimal]] = []
    what = unit = ""
    for row in schedule.rows:
        amount = row.amount
        if isinstance(amount, n.Of) and isinstance(amount.ratio, n.PercentLit):
            label, written = f"占{render(amount.base)}的比例（%）", "%"
            value = Decimal(amount.ratio.number)
        elif isinstance(amount, n.QuantityLit) and amount.measure:
            label, written = f"金额（{amount.measure}）", amount.measure
            value = Decimal(amount.number)
        else:
            return None
        if what and label != what:
            return None
        what, unit = label, written
        bars += [(year, value) for year in range(row.first, row.last + 1)]
    return (what, unit, bars) if bars else None


def schedule_chart(schedule: n.Schedule, anchor: str) -> str | None:
    """An SVG bar chart of what each year of a schedule gives, or None (see `schedule_bars`).
    `anchor` names the date the years count from."""
    found = schedule_bars(schedule)
    if found is None or not available():
        return None
    what, unit, bars = found
    import matplotlib
    from matplotlib.figure import Figure

    with warnings.catch_warnings(), matplotlib.rc_context(RC):
        warnings.simplefilter("ignore")
        figure = Figure(figsize=(SIZE[0], SIZE[1] * 0.9))
        axes = figure.subplots()
        years = [year for year, _ in bars]
        values = [float(value) for _, value in bars]
        axes.bar(years, values, color=LINE, width=0.6)
        for year, value in bars:
            axes.annotate(
                _plain(value) + unit, (year, float(value)), ha="center", va="bottom", fontsize=8
            )
        axes.set_xticks(years, labels=[f"第{year}年" for year in years])
        axes.set_ylim(0, max(values) * 1.2 or 1)
        axes.set_xlabel(f"自{anchor}起的年度")
        _label_axis(axes, what, "比例（%）" if unit == "%" else f"金额（{unit}）")
        return _svg(figure)


def unique(charts: Sequence[str]) -> list[str]:
    """Charts in order, each drawn once."""
    return list(dict.fromkeys(charts))
