"""Checks of an amount given as a range: "处1倍以上3倍以下罚款".

    rule 罚款 {
        kind 罚款
        when 套取金额 > 0 元
        amount range 1 × 套取金额 to 3 × 套取金额
    }

The deciding unit sets the fine between the two ends (以上 and 以下 include both), so policyc
gives the range, never one figure: the run's result, the totals and the site carry both ends
(runtime `Ctx.amount_range`, cli/report_json.py). Only a rule payable by the applicant (a kind
whose flow is `payable`: 罚款, 罚金, 滞纳金, 没收, 收费标准) may have one; both ends are money
in one currency, the low end first (`3 × X to 1 × X` is refused where that shows without a
case); a range has no cap (the maximum a text states goes into the ends:
`amount range min(1 × 骗取金额, 5000 元) to min(3 × 骗取金额, 5000 元)`, exact and visible where
the range is read) and is not paid `each` member. The batch path evaluates such
a rule case by case (compiler/batch_rules.py).

`check_range` takes the checker (compiler.checker._Checker) and reports through it.
"""

from __future__ import annotations

from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.checked import FLOW_OF_KIND, MONEY_DIMS, UNKNOWN, amount_flow
from policyc.compiler.errors import Span
from policyc.compiler.i18n import _


def check_range(checker: Any, rule: n.Rule) -> None:
    """The ends of a rule's `amount range`, its kind, and what it cannot be combined with."""
    span = rule.amount_range.span if rule.amount_range is not None else None
    if rule.amount_range is None or span is None:
        return
    if amount_flow(rule.kind) != "payable":
        payable = "、".join(k for k, flow in FLOW_OF_KIND.items() if flow == "payable")
        checker.error(
            span,
            _(
                "`amount range` is an amount the applicant pays (a fine), but rule "
                "`{rule}` is of kind `{kind}`"
            ).format(rule=rule.name.text, kind=rule.kind or "-"),
            _("a kind payable by the applicant: {kinds}").format(kinds=payable),
        )
    if rule.cap is not None:
        checker.error(
            rule.cap.span,
            _(
                "a range rule cannot take a `cap`: a cap bounds one amount, and `amount range` "
                "gives two ends between which the deciding unit sets the amount; write the "
                "maximum the text states into the ends"
            ),
            _("`amount range min(LOW, {cap}) to min(HIGH, {cap})`").format(
                cap=_written(checker, rule.cap.amount.span)
            ),
        )
    if rule.each is not None:
        checker.error(
            span,
            _("`amount range` is one range for the case: a rule paid `each` member has none"),
        )
    ends = []
    for end in (rule.amount_range.low, rule.amount_range.high):
        got = checker.type_of(end)
        if got is not UNKNOWN and not (got.kind == "quantity" and got.dims in MONEY_DIMS):
            checker.error(
                end.span,
                _("an amount must be money, not {amount_type_describe}").format(
                    amount_type_describe=got.describe()
                ),
                _("a quantity in 元 or 美元"),
            )
        ends.append(got)
    low, high = ends
    if _reversed(rule.amount_range):
        checker.error(
            span,
            _(
                "the range's low end `{low}` is above its high end `{high}`: write the end the "
                "text says 以上 first, then the one it says 以下"
            ).format(
                low=_written(checker, rule.amount_range.low.span),
                high=_written(checker, rule.amount_range.high.span),
            ),
            _("`amount range {high} to {low}`").format(
                low=_written(checker, rule.amount_range.low.span),
                high=_written(checker, rule.amount_range.high.span),
            ),
        )
    if low is not UNKNOWN:  # `expect: {low: 20000}` reads a bare number in the rule's measure
        checker.rule_types[rule.name.text] = low
    if UNKNOWN not in (low, high) and low != high:
        checker.error(
            rule.amount_range.high.span,
            _("the range's ends differ: {low} to {high}").format(
                low=low.describe(), high=high.describe()
            ),
            _("both ends in one currency"),
        )


def _written(checker: Any, span: Span) -> str:
    """The text at `span` as the policy writes it (one line; `…` when it is not at hand)."""
    lines = checker.sources.get(span.file, "").splitlines()
    if span.line != span.end_line or not 0 < span.line <= len(lines):
        return "…"
    return lines[span.line - 1][span.column - 1 : span.end_column - 1] or "…"


def _reversed(bounds: n.AmountRange) -> bool:
    """Whether the ends are written high first where that shows without a case: two multiples
    of one value (`3 × 骗取金额 to 1 × 骗取金额`) or two amounts in one measure (`500 元 to
    200 元`)."""
    from decimal import Decimal

    from policyc.compiler.render import multiple_of

    low, high = multiple_of(bounds.low), multiple_of(bounds.high)
    if low is not None and high is not None and low[1] == high[1]:
        return Decimal(low[0]) > Decimal(high[0])
    a, b = bounds.low, bounds.high
    if isinstance(a, n.QuantityLit) and isinstance(b, n.QuantityLit) and a.measure == b.measure:
        return Decimal(a.number) > Decimal(b.number)
    return False
