"""The amounts and totals of the JSON answer (cli/report_json.py writes the document): Money
as the answer writes an amount, written once per value; the totals of the rules that apply, per
flow (paid, waived, payable, lent), measure and period, and per party; who a total is for or who
pays it (`receiver`, `payer`, `party_of`) and how the answers name it (`flow_words`). The text
answer, the web form and the batch summary read the parties and words from here too."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from policyc.compiler.subjects import SUBJECTS
from policyc.people_report import TOTAL_SUFFIX, key_period, total_key, total_period, total_text
from policyc.report_ranges import ends_json, ranges_by_party
from policyc.runtime.evaluation import RuleResult
from policyc.runtime.quantity import Measure, MeasureError, Quantity, dims_text, stored_dims_text
from policyc.runtime.quantity_format import format_quantity, plain_text

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

# How a total of each flow (compiler/checked.py FLOW_OF_KIND) is named, in this order.
FLOW_WORDS = {"paid": "支付给申请人", "waived": "减免", "payable": "申请人应缴", "lent": "可贷额度"}


def money(q: Quantity | None) -> dict[str, str] | None:
    """Money = {"value": "1198000", "unit": "元", "text": "1,198,000元（119.8万元）"}, a fresh
    dict; its texts written once per value as written (`str` of the Decimal: 1.0 and 1.00 are
    equal quantities, not the same text), dimensions and percent mark, at most _MONEY_ENTRIES
    kept."""
    if q is None:
        return None
    key = (str(q.value), q.dims, q.percent)  # a plain 6 and 600% are equal, not the same text
    texts = _MONEY.get(key)
    if texts is None:
        if len(_MONEY) >= _MONEY_ENTRIES:
            _MONEY.clear()
        texts = _MONEY[key] = (*value_unit(q), format_quantity(q))
    return {"value": texts[0], "unit": texts[1], "text": texts[2]}


MoneyKey = tuple[str, tuple[tuple[str, int], ...], bool]
_MONEY: dict[MoneyKey, tuple[str, str, str]] = {}
_MONEY_ENTRIES = 4096  # amounts recur: a fixed subsidy, a cap, the totals of a few of them


def money_key(q: Quantity | None) -> MoneyKey | None:
    """What `money` writes of a quantity: its value as written, dimensions and percent mark."""
    return None if q is None else (str(q.value), q.dims, q.percent)


def plain_value(q: Quantity) -> str:
    """Money's `value` of `q`: the number, in Money's `unit` (`value_unit`)."""
    return value_unit(q)[0]


def value_unit(q: Quantity, measure: Measure | None = None) -> tuple[str, str]:
    """Money's (`value`, `unit`): a number and the measure it counts, always read back as `q` by
    `Quantity.of(value, unit)` (a 元/月 value gave `"18000元/年"` in `元/月`). In `measure` (the
    one the value is shown in: runtime/shown_measures.py) when given and `q` is an exact number
    of it; else in its base measure (`dims_text`: 1500, 元/月); else in the one it is held in
    (10, 元/年: 10/12 元 a month is no exact decimal)."""
    if not q.dims:
        return plain_text(q), ""
    # a Measure as it is (a policy's own measure is known only while its policy is read)
    for unit in (measure, dims_text(q.dims)):
        if unit is None or (isinstance(unit, Measure) and unit.name.endswith("%")):
            continue
        try:
            number = q.to(unit)
        except MeasureError:
            continue
        return plain_text(Quantity(number)), unit if isinstance(unit, str) else unit.name
    stored = stored_dims_text(q.dims)
    return plain_text(q).removesuffix(stored), stored


def totals(results: list[RuleResult]) -> dict[str, dict[str, Quantity]]:
    """The amounts of the rules that apply, added per flow (paid, waived, payable: see
    `RuleInfo.flow`), per currency and per period (people_report `total_key`: `元` one-time,
    `元/月` a month's, `元/年` a year's — never added together); only flows and keys that
    occur, in that order."""
    sums: dict[str, dict[str, Quantity]] = {flow: {} for flow in FLOW_WORDS}
    for r in results:
        if r.status == "applies" and r.amount is not None and r.info.flow in sums:
            by_unit = sums[r.info.flow]
            # kept by measure and period: a monthly amount is never added to a one-time one
            unit = total_key(dims_text(r.amount.dims), total_period(r))
            by_unit[unit] = by_unit[unit] + r.amount if unit in by_unit else r.amount
    order = list(TOTAL_SUFFIX)  # one-time first, then a month's, then a year's
    return {
        flow: dict(sorted(by_unit.items(), key=lambda item: order.index(key_period(item[0]))))
        for flow, by_unit in sums.items()
        if by_unit
    }


def totals_by_beneficiary(results: list[RuleResult]) -> dict[str, dict[str, dict[str, Any]]]:
    """flow → party → measure → Quantity: `totals` per flow, and within a flow per party (the
    rules' `beneficiary`, each as its rules write it, in the order of their first rule; "" for
    the applicant's: the rules naming none or naming a word for what one case is,
    `receiver`) when its counted rules name more than one, else under "" alone — except a
    payable flow, whose parties are each named as the rules write them (`payer`: 户, 企业,
    违法行为人) unless the rule names none, names 申请人, or names a party the case is paid or
    relieved as (the 入驻企业 whose subsidy applies pays the dormitory's rent: 申请人应缴) — the
    case's applicant by declaration. The language declares no applicant (docs/language.md),
    so a total is never said to be the applicant's when the rules name another party. A rule
    whose amount is a range (cli/report_ranges.py) names its party as any other does; its
    flow and party are given, with only the exact amounts (none: {}), and the answer reads
    the range's ends there."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    sums = totals(results)
    added = [  # the results `totals` adds, and those with a range (each result's test made once)
        r
        for r in results
        if r.status == "applies"
        and (r.amount is not None or r.range is not None)
        and r.info.flow in FLOW_WORDS
    ]
    party = party_of(added)
    for flow in FLOW_WORDS:
        counted = [r for r in added if r.info.flow == flow]
        if not counted:
            continue
        named = list(dict.fromkeys(party(r) for r in counted))
        if len(named) < 2:
            out[flow] = {named[0] if flow == "payable" else "": sums.get(flow, {})}
            continue
        out[flow] = {
            who: totals([r for r in counted if party(r) == who]).get(flow, {}) for who in named
        }
    return out


def party_of(results: list[RuleResult]) -> Callable[[RuleResult], str]:
    """The party a result's amount is totalled under among `results` (those that apply): its
    `receiver` for what is paid or waived, its `payer` for what is payable, a party the case
    is paid or relieved as in `results` being the applicant ("")."""
    served = {
        r.info.beneficiary
        for r in results
        if r.status == "applies"
        and (r.amount is not None or r.range is not None)
        and r.info.flow in ("paid", "waived")
    }

    def party(result: RuleResult) -> str:
        if result.info.flow == "payable":
            return payer(result.info.beneficiary, served)
        return receiver(result)

    return party


def receiver(result: RuleResult) -> str:
    """Who a rule's amount goes to, for the totals of what is paid or waived: "" for the
    applicant — a rule naming no beneficiary, or naming one of the words for what one case is
    (企业, 企业或组织, 个人, 户 …: compiler/subjects.py), which are the applicant whatever the
    rule calls it. (Who pays a payable rule: `payer`.)"""
    who = result.info.beneficiary
    return "" if who in SUBJECTS else who


def payer(beneficiary: str, served: Collection[str] = ()) -> str:
    """Who pays a payable rule (收费标准, 罚款 …) naming `beneficiary`, as its amount and the
    totals name it: the label as written (户, 企业, 违法行为人), or "" for the applicant — a rule
    naming none or 申请人, or a party in `served` (those the case is paid or relieved as, as
    their rules write them)."""
    return "" if beneficiary in ("", "申请人") or beneficiary in served else beneficiary


def flow_words(flow: str, who: str) -> str:
    """How a total of `flow` for party `who` ("" the applicant) is named: 支付给申请人,
    支付给外籍高层次专家, 减免, 减免（企业）, 申请人应缴, 违法行为人应缴, 可贷额度,
    可贷额度（借款人）."""
    words = FLOW_WORDS[flow]
    if not who:
        return words
    if flow in ("waived", "lent"):
        return f"{words}（{who}）"
    return words.replace("申请人", who)


def beneficiary_json(results: list[RuleResult]) -> list[dict[str, Any]]:
    """`totals_by_beneficiary` as the JSON writes it: one item a flow and party, in order,
    `{"flow", "beneficiary", "words", "totals": {measure: Money}}` (`beneficiary` "" for the
    applicant, `words` as the text answer names the total); in a flow where some range
    applies, the item also has `"range": {measure: {"low": Money, "high": Money}}`, that
    party's ends (cli/report_ranges.py `ranges_by_party`), and `totals` may be {} (a range
    alone)."""
    ranges = ranges_by_party(results)
    items = []
    for flow, by_who in totals_by_beneficiary(results).items():
        for who, by_unit in by_who.items():
            ends = ranges.get((flow, who))
            if not by_unit and not ends:
                continue
            item: dict[str, Any] = {
                "flow": flow,
                "beneficiary": who,
                "words": flow_words(flow, who),
                "totals": totals_money(by_unit),
            }
            if ends:
                item["range"] = ends_json(ends)
            items.append(item)
    return items


def totals_money(by_key: Mapping[str, Quantity]) -> dict[str, dict[str, str]]:
    """The totals of one flow (or party), key → Money as the JSON writes them: a one-time
    total as any amount (`{"value": "75600", "unit": "元", "text": "75,600元"}`); a
    recurring one with its key as unit and its period in the text (`{"value": "2800",
    "unit": "元/月", "text": "每月 2,800元"}`), the one-time one then `一次性 75,600元`
    (people_report `total_text`)."""
    out: dict[str, dict[str, str]] = {}
    for key, q in by_key.items():
        written = money(q)
        assert written is not None
        if key_period(key) != "once" or len(by_key) > 1:
            written = written | {"unit": key, "text": total_text(key, written["text"], by_key)}
        out[key] = written
    return out
