"""Checks of progressive scales (分段累进) and values that change on dates (issue 12).

Each function takes the checker (compiler.checker._Checker), reports through it, and returns the
expression's type, as the checker's own typers do. The shapes a scale may take, and which band
holds a base exactly on an edge, are described in runtime/scales.py.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from policyc.compiler import nodes as n
from policyc.compiler.i18n import _
from policyc.compiler.render import render_threshold
from policyc.runtime.quantity import MeasureError, Quantity
from policyc.runtime.scales import LOWER_EDGE_OPS, UPPER_EDGE_OPS

if TYPE_CHECKING:
    from policyc.compiler.checker import Type

UPPER_WORDS = _("不超过, 以下, 以内, 及以下, 不满, 低于, 不足, 少于, <= or <")
LOWER_WORDS = _("超过, 以上, 及以上, 达到, 满, 不少于, 不低于, > or >=")


def type_progressive(checker: Any, expr: n.Progressive) -> Type:
    """`progressive BASE { EDGE: RATE, … }`: BASE a quantity; each edge of BASE's measure, in
    ascending order, in one of the two shapes; the rates of one measure. The type is BASE × rate
    (元 × 3% is 元)."""
    from policyc.compiler.checker import UNKNOWN, Type, constant, mul_dims

    base = checker.type_of(expr.base)
    if base is not UNKNOWN and base.kind != "quantity":
        checker.error(
            expr.base.span,
            _("a progressive scale applies to a quantity, not {base_describe}").format(
                base_describe=base.describe(),
            ),
            _("a quantity with a measure, e.g. 应纳税所得额"),
        )
        base = UNKNOWN
    _check_shape(checker, expr.bands)
    rate: Type | None = None
    previous: Quantity | None = None
    after_upper = False
    for band in expr.bands:
        edge = checker.type_of(band.threshold.value)
        if base is not UNKNOWN:
            checker.same(band.threshold.value, base, edge, "a band's edge and the base are")
        this = checker.type_of(band.rate)
        if this is not UNKNOWN and this.kind != "quantity":
            checker.error(
                band.rate.span,
                _("a band's rate is a quantity, not {this_describe}").format(
                    this_describe=this.describe(),
                ),
            )
            this = UNKNOWN
        if rate is not None and this != rate and UNKNOWN not in (this, rate):
            checker.error(band.rate.span, _("the bands' rates must share one measure"))
        rate = this if rate is None or rate is UNKNOWN else rate
        value = constant(band.threshold.value)
        if value is not None and previous is not None:
            _check_ascends(checker, band, value, previous, after_upper)
        after_upper = band.threshold.op in UPPER_EDGE_OPS
        if value is not None and value.value < 0:
            checker.error(band.threshold.span, _("a band's edge is not below zero"))
        previous = value
    if base is UNKNOWN or rate is None or rate is UNKNOWN:
        return UNKNOWN
    return Type("quantity", mul_dims(base.dims, rate.dims))


def _check_ascends(
    checker: Any, band: n.Band, value: Quantity, previous: Quantity, after_upper: bool
) -> None:
    try:
        ascends = value > previous
        same = value == previous
    except MeasureError:
        return
    # 超过 the upper edge just named: the open top band starts there.
    closing = after_upper and band.threshold.op in LOWER_EDGE_OPS and same
    if not ascends and not closing:
        checker.error(
            band.threshold.span,
            _("bands must ascend: this edge is not above the one before"),
        )


def _check_shape(checker: Any, bands: tuple[n.Band, ...]) -> None:
    """Upper edges then at most one open top band on the last edge, or lower edges only; and
    every edge between two bands in one of them (both words may include it, never exclude)."""
    from policyc.compiler.checker import constant

    ops = [band.threshold.op for band in bands]
    if any(op not in UPPER_EDGE_OPS | LOWER_EDGE_OPS for op in ops):
        for band in bands:
            if band.threshold.op not in UPPER_EDGE_OPS | LOWER_EDGE_OPS:
                checker.error(
                    band.threshold.span,
                    _("`{band_threshold_word}` does not bound a band").format(
                        band_threshold_word=band.threshold.word,
                    ),
                    _("a band's upper edge ({UPPER_WORDS}) or lower edge ({LOWER_WORDS})").format(
                        UPPER_WORDS=UPPER_WORDS,
                        LOWER_WORDS=LOWER_WORDS,
                    ),
                )
        return
    if ops[0] in LOWER_EDGE_OPS:  # lower edges throughout
        for band in bands[1:]:
            if band.threshold.op in UPPER_EDGE_OPS:
                checker.error(
                    band.threshold.span,
                    _(
                        "a scale whose first row names a lower edge names every band by its lower "
                        "edge; `{band_threshold_word}` names an upper one"
                    ).format(
                        band_threshold_word=band.threshold.word,
                    ),
                    _("a lower edge ({LOWER_WORDS})").format(LOWER_WORDS=LOWER_WORDS),
                )
        return
    for i, band in enumerate(bands):
        if band.threshold.op in UPPER_EDGE_OPS:
            continue
        if i != len(bands) - 1:
            checker.error(
                band.threshold.span,
                _(
                    "after bands named by their upper edges, only the last row may name the open "
                    "top band by its lower edge"
                ),
                _("an upper edge ({UPPER_WORDS})").format(UPPER_WORDS=UPPER_WORDS),
            )
            continue
        before = bands[i - 1]
        edge, previous = constant(band.threshold.value), constant(before.threshold.value)
        if edge is not None and previous is not None and edge != previous:
            checker.error(
                band.threshold.span,
                _(
                    "the open top band starts where the band before it ends: {value} then {value2}"
                ).format(
                    value=render_threshold(before.threshold),
                    value2=render_threshold(band.threshold),
                ),
                _("the same edge, e.g. 不超过 12000 元: 10%, 超过 12000 元: 20%"),
            )
        elif before.threshold.op == "lt" and band.threshold.op == "gt":
            checker.error(
                band.threshold.span,
                _(
                    "a base exactly on this edge falls in no band: "
                    "{value} and {value2} "
                    "both leave it out"
                ).format(
                    value=render_threshold(before.threshold),
                    value2=render_threshold(band.threshold),
                ),
                _("one side including it (不超过/以下 before, or 以上/达到 here)"),
            )


def type_dated(checker: Any, expr: n.Dated) -> Type:
    """`dated [on DATE] { from DATE: VALUE, … }`: starts strictly ascending, values of one type;
    the type is theirs."""
    from policyc.compiler.checker import DATE, UNKNOWN

    if expr.on is not None:
        checker.expect(expr.on, DATE, "a date (the day whose value is taken)")
    result: Type | None = None
    previous: date | None = None
    for row in expr.rows:
        if previous is not None and row.start <= previous:
            checker.error(
                row.span,
                _(
                    "the dates of a dated value must ascend: {row_start_isoformat} is not after "
                    "{previous_isoformat}"
                ).format(
                    row_start_isoformat=row.start.isoformat(),
                    previous_isoformat=previous.isoformat(),
                ),
                _("a date after {previous_isoformat}").format(
                    previous_isoformat=previous.isoformat(),
                ),
            )
        previous = row.start
        value = checker.type_of(row.value)
        if value is not UNKNOWN and value.kind == "bool":
            checker.error(
                row.value.span, _("a dated value is a value (an amount, a rate), not a condition")
            )
            value = UNKNOWN
        if result is not None and value != result and UNKNOWN not in (value, result):
            checker.error(
                row.value.span,
                _(
                    "every entry of a dated value has one measure: {value_describe} after "
                    "{result_describe}"
                ).format(
                    value_describe=value.describe(),
                    result_describe=result.describe(),
                ),
                result.describe(),
            )
        if result is None or result is UNKNOWN:
            result = value
    return result or UNKNOWN
