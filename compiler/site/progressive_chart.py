"""The chart of a progressive scale (分段累进): the amount against the base, one straight piece
per band, its slope the band's rate (`0.56 元/度`, `10%`), drawn as SVG like the other charts
(compiler/site/charts.py: matplotlib, the `docs` extra, byte for byte reproducible).

Only a scale whose edges and rates are written as numbers is charted (`不超过 200 度: 0.56 元/度`);
one whose edges or rates are computed (`不超过 年第一阶梯基数: 3.45元/立方米 − 1.36元/立方米`) has
no fixed shape and gets its table alone. The figures at the edges are computed exactly with the
runtime's own bands (runtime/scales.py), the tick labels written from them, never from a float.
"""

from __future__ import annotations

import warnings
from decimal import Decimal

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.checked import constant
from policyc.compiler.render import render
from policyc.compiler.site.charts import LINE, RC, SIZE, _label_axis, _plain, _svg, available
from policyc.runtime.quantity import MeasureError, Quantity, parse_measure
from policyc.runtime.scales import Band, bands

OPEN_TOP = Decimal("1.25")  # an open top band is drawn to 1.25 × its lower edge


@attrs.frozen
class Curve:
    """The amount at each drawn point of the base, in the chart's measures."""

    x_measure: str  # the base's measure as the first edge writes it: 度
    y_measure: str  # the amount's: 元 (a percentage scale: the base's own, 万元)
    points: tuple[
        tuple[Decimal, Decimal], ...
    ]  # (base, amount) at 0 or the first edge, each edge, the end
    edges: tuple[tuple[Decimal, str], ...]  # each edge and its label as the policy writes it
    rates: tuple[str, ...]  # each band's rate as written: 0.56元/度, 10%


def progressive_curve(scale: n.Progressive) -> Curve | None:
    """The curve of a scale written in numbers, or None (module docstring)."""
    rows = []
    for band in scale.bands:
        edge, rate = band.threshold.value, band.rate
        if not isinstance(edge, n.QuantityLit) or not isinstance(
            rate, (n.QuantityLit, n.PercentLit)
        ):
            return None
        edge_q, rate_q = constant(edge), constant(rate)
        if edge_q is None or rate_q is None:
            return None
        rows.append((band.threshold.op, edge_q, rate_q, band.threshold.word))
    first = scale.bands[0].threshold.value
    assert isinstance(first, n.QuantityLit)
    x_measure = first.measure
    try:
        parsed = bands(tuple(rows), Quantity(Decimal(0), parse_measure(x_measure).dims))
        edges = sorted({q for _, q, _, _ in rows}, key=lambda q: q.value)
        top = edges[-1]
        end = top * Quantity(OPEN_TOP) if parsed[-1].upper is None else top
        start = parsed[0].lower
        y_measure = _amount_measure(scale, x_measure)
        xs = [start, *(e for e in edges if e.value > start.value), *([end] if end != top else [])]
        points = tuple((x.to(x_measure), _amount(parsed, x).to(y_measure)) for x in xs)
        labels = tuple((e.to(x_measure), _written(scale, e)) for e in edges)
    except (MeasureError, ValueError, ArithmeticError, IndexError):
        return None
    rates = tuple(render(b.rate) for b in scale.bands)  # 0.56元/度, 10%
    return Curve(x_measure, y_measure, points, labels, rates)


def _amount(parsed: list[Band], base: Quantity) -> Quantity:
    """Σ rate × the part of `base` in each band, as runtime/scales.progressive adds it."""
    total: Quantity | None = None
    for band in parsed:
        part = band.part(base) * band.rate
        total = part if total is None else total + part
    assert total is not None
    return total


def _amount_measure(scale: n.Progressive, x_measure: str) -> str:
    """元 for a price per measure (`0.56 元/度`: the part before `/`), the base's measure for a
    percentage or a plain ratio."""
    rate = scale.bands[0].rate
    if isinstance(rate, n.QuantityLit) and "/" in rate.measure:
        return rate.measure.split("/", 1)[0]
    return x_measure


def _written(scale: n.Progressive, edge: Quantity) -> str:
    for band in scale.bands:
        value = band.threshold.value
        if isinstance(value, n.QuantityLit) and constant(value) == edge:
            return render(value)
    return ""


def progressive_chart(scale: n.Progressive, base: str) -> str | None:
    """An SVG line chart of the amount against the base, each band's rate written on its piece,
    or None (a scale not written in numbers, or no matplotlib). `base` names the base."""
    curve = progressive_curve(scale)
    if curve is None or not available():
        return None
    import matplotlib
    from matplotlib.figure import Figure

    with warnings.catch_warnings(), matplotlib.rc_context(RC):
        # The Chinese labels have no glyphs in the layout font; the browser draws them.
        warnings.simplefilter("ignore")
        figure = Figure(figsize=SIZE)
        axes = figure.subplots()
        xs = [float(x) for x, _ in curve.points]
        ys = [float(y) for _, y in curve.points]
        axes.plot(xs, ys, color=LINE, linewidth=1.6)
        for i, rate in enumerate(curve.rates):
            if i + 1 < len(xs):  # each piece's rate at its middle
                middle = ((xs[i] + xs[i + 1]) / 2, (ys[i] + ys[i + 1]) / 2)
                axes.annotate(rate, middle, ha="right", va="bottom", fontsize=8)
        axes.set_xlim(xs[0], xs[-1])
        axes.set_ylim(0, max(ys) * 1.15 or 1)
        axes.set_xticks([float(x) for x, _ in curve.edges], labels=[t for _, t in curve.edges])
        at_edges = [(x, y) for x, y in curve.points if any(x == e for e, _ in curve.edges)]
        axes.set_yticks(
            [float(y) for _, y in at_edges],
            labels=[f"{_plain(y)}{curve.y_measure}" for _, y in at_edges],
        )
        axes.set_xlabel(f"{base}（{curve.x_measure}）")
        _label_axis(axes, f"金额（{curve.y_measure}）", curve.y_measure)
        axes.grid(axis="y", linewidth=0.4, alpha=0.5)
        return _svg(figure)
