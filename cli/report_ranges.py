"""Amounts given as a range (`amount range LOW to HIGH`: 处1倍以上3倍以下罚款) in `run`'s answers.

A rule whose amount is a range applies with `amount` null and `range` (low, high)
(runtime `Ctx.amount_range`). JSON gives such a rule, and it alone, `"range": {"low": Money,
"high": Money}` after its other fields (as `members` and `periods` are given only to the rules
that have them) and, for each flow where some range applies, `"totals_range_by_kind":
{flow: {currency: {"low": Money, "high": Money}}}`: the exact amounts of that flow's rules that
apply plus each range's low end, and plus each high end. `totals_by_kind` keeps the exact
amounts alone, as before; a consumer reads the range totals where they are given. The text
answer says `: 20,000元（2万元）至60,000元（6万元）（在幅度内决定）` beside the rule and, for such a
flow, `合计（申请人应缴）: 40,000元（4万元）至80,000元（8万元）`. Where the totals name a party
(`totals_by_beneficiary`: the one who pays a fine, 违法行为人应缴), the ends are that party's
too: `合计（违法行为人应缴）: 15,000元至20,000元` in the text and, in JSON, `"range": {currency:
{"low": Money, "high": Money}}` on that party's `totals_by_beneficiary` item (`ranges_by_party`).
"""

from __future__ import annotations

from collections.abc import Iterable

from policyc.runtime.evaluation import RuleResult
from policyc.runtime.quantity import Quantity, dims_text
from policyc.runtime.quantity_format import format_quantity

Ends = tuple[Quantity, Quantity]


def range_text(r: RuleResult) -> str:
    """`: 20,000元（2万元）至60,000元（6万元）（在幅度内决定）`, `: 800元` where both ends are
    800元, "" for a rule without a range."""
    if r.range is None:
        return ""
    low, high = r.range
    if low == high:  # the ends meet (a low end raised to the high, 从轻 at the low end): one amount
        return f": {format_quantity(low)}"
    return f": {format_quantity(low)}至{format_quantity(high)}（在幅度内决定）"


def ends_by_unit(results: list[RuleResult], flow: str) -> dict[str, Ends]:
    """currency → (low, high) over the rules of `flow` that apply: an exact amount counts at
    both ends, a range at each of its own."""
    from policyc.people_report import in_totals

    out: dict[str, Ends] = {}
    for r in results:
        if r.status != "applies" or r.info.flow != flow or not in_totals(r):
            continue
        ends = r.range if r.range is not None else (r.amount, r.amount)
        low, high = ends
        if low is None or high is None:
            continue
        unit = dims_text(low.dims)
        if unit in out:
            low, high = out[unit][0] + low, out[unit][1] + high
        out[unit] = (low, high)
    return out


def ranged_flows(results: list[RuleResult]) -> list[str]:
    """The flows in which some rule that applies has a range, in `FLOW_WORDS` order."""
    from policyc.report_totals import FLOW_WORDS

    found = {r.info.flow for r in results if r.status == "applies" and r.range is not None}
    return [flow for flow in FLOW_WORDS if flow in found]


def ranges_by_party(results: list[RuleResult]) -> dict[tuple[str, str], dict[str, Ends]]:
    """(flow, party) → currency → (low, high), for each party of `totals_by_beneficiary` in a
    flow where some range applies (`ranged_flows`): the ends over that party's rules alone
    (all the flow's rules where the flow names one party). Parties as `totals_by_beneficiary`
    names them ("" the applicant)."""
    from policyc.report_totals import party_of, totals_by_beneficiary

    ranged = ranged_flows(results)
    if not ranged:
        return {}
    party = party_of(results)
    out: dict[tuple[str, str], dict[str, Ends]] = {}
    for flow, by_who in totals_by_beneficiary(results).items():
        if flow not in ranged:
            continue
        for who in by_who:
            theirs = results if len(by_who) == 1 else [r for r in results if party(r) == who]
            out[(flow, who)] = ends_by_unit(theirs, flow)
    return out


def ends_json(ends: dict[str, Ends]) -> dict[str, dict[str, object]]:
    """currency → {"low": Money, "high": Money}."""
    from policyc.report_totals import money

    return {unit: {"low": money(low), "high": money(high)} for unit, (low, high) in ends.items()}


def ends_words(ends: Iterable[tuple[str, str]]) -> str:
    """`40,000元（4万元）至80,000元（8万元）；100美元`: each currency's (low, high) as written,
    one amount where both ends are the same (the range totals' words, in `run` and on the web
    form's result)."""
    return "；".join(low if low == high else f"{low}至{high}" for low, high in ends)


def range_json(r: RuleResult) -> dict[str, object] | None:
    from policyc.report_totals import money

    if r.range is None:
        return None
    return {"low": money(r.range[0]), "high": money(r.range[1])}


def totals_range_json(results: list[RuleResult]) -> dict[str, dict[str, dict[str, object]]]:
    """`totals_range_by_kind` (see the module's docstring); {} when no range applies."""
    from policyc.report_totals import money

    return {
        flow: {
            unit: {"low": money(low), "high": money(high)}
            for unit, (low, high) in ends_by_unit(results, flow).items()
        }
        for flow in ranged_flows(results)
    }
