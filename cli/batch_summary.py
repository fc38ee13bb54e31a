"""The summary of a batch run: per rule the cases in each status, totals, largest amounts and
caps hit, totals per kind (paid, waived, payable) and per year, set against the policy's funds;
as text and as JSON."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyc.batch_dues import DUES, due_aggregates
from policyc.batch_measures import decision_values, year_rows_table
from policyc.batch_read import INEXACT
from policyc.compiler.batch import (
    DECISION_STATUSES,
    ON,
    RULE_STATUSES,
    STATUSES,
    TARGET_STATUSES,
    ident,
)
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.i18n import _
from policyc.compiler.subjects import SUBJECTS
from policyc.people_report import TOTAL_SUFFIX, key_period, key_total_text, money_text, total_key
from policyc.report import FLOW_WORDS
from policyc.report_totals import flow_words, payer
from policyc.runtime.quantity import MeasureError, Quantity, dims_text, parse_measure
from policyc.runtime.quantity_format import format_quantity_in

if TYPE_CHECKING:
    from policyc.batch import Batch
    from policyc.compiler.batch import BatchRule
    from policyc.runtime.evaluation import RuleInfo


def summarise(batch: Batch, groups: list[tuple[Any, ...]] | None = None) -> dict[str, Any]:
    """Per rule: how many cases in each status, the total, the largest amounts, how many hit
    the cap; per target: how many cases meet it, miss it or do not report it; the totals by
    currency and by year of the evaluation date; the funds the policy declares. One pass over
    the results, grouped by year. `groups`: those aggregates already computed (the numpy
    engine, cli/batch_vector.py), one row per year as the query below gives them."""
    assert batch.program is not None
    aggregates: list[str] = []
    statuses = {"target": TARGET_STATUSES, "decision": DECISION_STATUSES}
    # A count per status the entry may have, not histogram(): DuckDB evaluates a histogram
    # through a materialised copy of every row it reads (here, every row of the results).
    codes = {
        rule.index: [STATUSES.index(x) for x in statuses.get(rule.role, RULE_STATUSES)]
        for rule in batch.program.rules
    }
    # Targets with a deadline: the cases not met or not reported per due (cli/batch_dues.py;
    # the DuckDB engine's alone, the numpy engine leaves them to it).
    dated = dict(getattr(batch, "dated", ()))
    # Rows evaluated for a year (households `period` YYYY): a monthly rule's amount there is the
    # year's sum of its months, totalled under 元/年 as `run` does (batch_measures)
    yearly = _year_rows(batch)
    for rule in batch.program.rules:
        i = rule.index
        aggregates += [f"count_if(s{i} = {code})" for code in codes[i]]
        if i in dated:
            aggregates += due_aggregates(i)
        if rule.role == "decision":
            aggregates.append(f"histogram(x{i})")
        if rule.unit:
            capped = f"count(u{i})" if rule.has_cap else "0"
            aggregates += [f"sum(a{i})", f"max(a{i}, 3)", capped]
            if yearly and batch.policy.rules[i].period == "month":
                aggregates.append(f"sum(a{i}) FILTER (WHERE {yearly})")
    if groups is None:
        groups = _aggregated(batch, aggregates)
        if groups is None:  # DuckDB could not evaluate exactly: every rule ran case by case
            return summarise(batch)
    items: list[dict[str, Any]] = []
    for rule in batch.program.rules:
        item: dict[str, Any] = {
            rule.role: rule.name,
            "per_case": rule.fallback,
            "counts": dict.fromkeys(statuses.get(rule.role, RULE_STATUSES), 0),
        }
        if rule.role == "rule":
            item["unit"] = rule.unit
        if rule.index in dated:  # not met or not reported: in progress, overdue, …
            item["due"] = dict.fromkeys(DUES, 0)
        if rule.role == "decision":
            item |= {"unit": rule.value_unit, "values": {}}
        if rule.unit:
            item |= {"total": Decimal(0), "largest": [], "capped": 0, "has_cap": rule.has_cap}
        items.append(item)
    by_year: dict[int, dict[str, Decimal]] = {}
    by_kind: dict[str, dict[str, Decimal]] = {}
    by_party: dict[str, dict[str, dict[str, Decimal]]] = {}  # flow → party → unit → total
    served: set[str] = set()  # the labels paid or relieved, as their rules write them
    for year, *values in groups:
        by_year.setdefault(int(year), {})
        at = 0
        for rule, item in zip(batch.program.rules, items, strict=True):
            for code in codes[rule.index]:
                item["counts"][STATUSES[code]] += values[at]
                at += 1
            if rule.index in dated:
                for due in DUES:
                    item["due"][due] += values[at]
                    at += 1
            if rule.role == "decision":
                for value, count in (values[at] or {}).items():
                    if value is not None:
                        item["values"][value] = item["values"].get(value, 0) + count
                at += 1
            if rule.unit:
                total, largest, capped = values[at : at + 3]
                at += 3
                item["total"] += Decimal(total or 0)
                item["largest"] = sorted(
                    [*item["largest"], *map(Decimal, largest or [])], reverse=True
                )[:3]
                item["capped"] += int(capped)
                # Only like with like: paid, waived and payable amounts are totalled apart;
                # `totals` and `by_year` are what is paid to the applicants.
                info = batch.policy.rules[rule.index]
                flow = info.flow
                # … and amounts of different periods apart, as `run`'s totals: by the rule's
                # `per` (元 one-time, 元/月, 元/年; people_report `total_key`)
                unit = total_key(rule.unit, info.period if info.period in TOTAL_SUFFIX else "once")
                sums = [(unit, total)]
                if yearly and info.period == "month":  # the year cases' sums apart, 元/年
                    of_years = Decimal(values[at] or 0)
                    at += 1
                    if total is not None:
                        month = Decimal(total) - of_years  # 0 from month cases: still said
                        sums = [(unit, month)] if month or not of_years else []
                        if of_years:
                            sums.append((total_key(rule.unit, "year"), of_years))
                for key, amount in sums:
                    if amount is None:
                        continue
                    kind = by_kind.setdefault(flow, {})
                    kind[key] = kind.get(key, Decimal(0)) + Decimal(amount)
                    # who pays a payable rule as written (户应缴), folded at the end
                    # (`_by_beneficiary`); who receives: "" for the applicant's words
                    who = info.beneficiary if flow == "payable" else _receiver_label(info)
                    party = by_party.setdefault(flow, {}).setdefault(who, {})
                    if flow in ("paid", "waived"):  # a loan's borrower is not paid
                        served.add(info.beneficiary)
                    party[key] = party.get(key, Decimal(0)) + Decimal(amount)
                    if flow == "paid":
                        totals = by_year.setdefault(int(year), {})
                        totals[key] = totals.get(key, Decimal(0)) + Decimal(amount)
    grand: dict[str, Decimal] = {}
    for totals in by_year.values():
        for unit, value in totals.items():
            grand[unit] = grand.get(unit, Decimal(0)) + value
    return {
        "policy": batch.checked.header.number,
        "cases": batch.count,
        "readings": batch.readings,
        "decisions": [
            _most_frequent_first(_shown_values(batch, rule, item))
            for rule, item in zip(batch.program.rules, items, strict=True)
            if "decision" in item
        ],
        "rules": [item for item in items if "rule" in item],
        "targets": [item for item in items if "target" in item],
        "totals": grand,
        "totals_by_kind": by_kind,
        "totals_by_beneficiary": _by_beneficiary(by_party, served),
        "by_year": by_year,
        "funds": _funds(batch.checked),
        "note": batch.fallback_note,
        # False for a policy none of whose rules grants a sum (a targets-only plan, duties).
        "has_amounts": any(rule.unit for rule in batch.program.rules),
    }


def _year_rows(batch: Batch) -> str:
    """The SQL condition of a results row evaluated for a year (`Batch.year_rows`, its table
    made here), or "" when there is none (the numpy engine has no such rows)."""
    rows: set[int] = getattr(batch, "year_rows", set)()
    return year_rows_table(batch.con, rows) if rows else ""  # the numpy engine has no `con`


def _aggregated(batch: Batch, aggregates: list[str]) -> list[tuple[Any, ...]] | None:
    """The aggregates over the results, one row per year of the evaluation date; None when
    DuckDB could not evaluate them exactly (every rule is then evaluated case by case)."""
    # Every case on one day (--on, no `on` column): its year is known, and the aggregates run
    # without grouping each row by it (a hash of every row: some 4% of the summary's time).
    one_year = batch.day.year if batch.day is not None and batch.count else None
    if one_year is not None:
        query = f"SELECT {one_year}, {', '.join(aggregates)} FROM {batch.results}"
    else:
        query = (
            f"SELECT year({ident(ON)}) AS y, {', '.join(aggregates)} FROM {batch.results} "
            "GROUP BY y ORDER BY y"
        )
    with batch.progress.track(batch.con, "summing"):
        try:
            return list(batch.con.execute(query).fetchall())
        except INEXACT as exc:  # the query ran only now
            batch.all_per_case(exc)
            return None


_PERIOD_ORDER = {period: at for at, period in enumerate(TOTAL_SUFFIX)}  # one-time first


def _receiver_label(info: RuleInfo) -> str:
    """Who a paid or waived rule's amount goes to (report_totals `receiver`): "" for the
    applicant's words."""
    return "" if info.beneficiary in SUBJECTS else info.beneficiary


def _by_beneficiary(
    by_party: dict[str, dict[str, dict[str, Decimal]]],
    served: set[str],
) -> list[dict[str, Any]]:
    """The totals per flow and party, as `run`'s JSON writes them (report_totals
    `beneficiary_json`): `{"flow", "beneficiary", "words", "totals": {unit: total}}`, a party
    named where a paid or waived flow has several, and a payable flow's party as its rules
    write it unless it is the applicant (report_totals `payer`: none, 申请人, or a party
    `served`, paid or relieved in these cases); "" the applicant; flows in FLOW_WORDS's
    order, parties in the rules' order."""
    items = []
    for flow in FLOW_WORDS:
        parties = by_party.get(flow)
        if not parties:
            continue
        if flow == "payable":
            folded: dict[str, dict[str, Decimal]] = {}
            for label, totals in parties.items():
                into = folded.setdefault(payer(label, served), {})
                for unit, value in totals.items():
                    into[unit] = into.get(unit, Decimal(0)) + value
            parties = folded
        elif len(parties) == 1:
            parties = {"": next(iter(parties.values()))}
        for who, totals in parties.items():
            words = flow_words(flow, who)
            totals = dict(
                sorted(totals.items(), key=lambda item: _PERIOD_ORDER[key_period(item[0])])
            )
            items.append({"flow": flow, "beneficiary": who, "words": words, "totals": totals})
    return items


def _shown_values(batch: Batch, rule: BatchRule, item: dict[str, Any]) -> dict[str, Any]:
    """A decision's item with its values in the measure the results file gives them
    (batch_measures: 1,500元/月, not 18,000元/年)."""
    unit, values = decision_values(batch.policy, rule, item["values"])
    return item | {"unit": unit, "values": values}


def _most_frequent_first(item: dict[str, Any]) -> dict[str, Any]:
    """A decision's values by how many cases came to each, most first (then by value)."""
    ranked = sorted(item["values"].items(), key=lambda pair: (-pair[1], pair[0]))
    return item | {"values": dict(ranked)}


def _funds(checked: CheckedPolicy) -> list[dict[str, Any]]:
    funds = []
    for clause in checked.file.all_clauses():
        for fund in clause.funds:
            amount = Quantity.of(fund.amount.number, fund.amount.measure)
            funds.append(
                {
                    "name": fund.name.text,
                    "clause": clause.ident,
                    "amount": amount.value,
                    "unit": dims_text(amount.dims),
                    "written": fund.amount.number + fund.amount.measure,
                    "per": list(fund.scopes),
                    "purpose": fund.purpose,
                }
            )
    return funds


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _share(part: Decimal, whole: Decimal) -> str:
    return f"{(part * 100 / whole):.1f}%" if whole else "–"


def summary_text(summary: dict[str, Any], source: str, out: Path | None) -> str:
    lines = [
        _("{policy} · {cases} cases from {source}").format(
            policy=summary["policy"], cases=f"{summary['cases']:,}", source=source
        )
        + (_(" · results in {out}").format(out=out) if out else "")
    ]
    if summary["readings"]:
        lines.append("读法: " + "；".join(f"{k} = {v}" for k, v in summary["readings"].items()))
    entries = [*summary.get("decisions", []), *summary["rules"], *summary.get("targets", [])]
    per_case = [e for e in entries if e["per_case"]]
    if summary["note"]:
        lines.append(_("per case: every rule — {note}").format(note=summary["note"]))
    elif per_case:
        lines.append(
            _("per case (the query cannot express them): ")
            + "; ".join(
                f"{e.get('decision') or e.get('rule') or e.get('target')} ({e['per_case']})"
                for e in per_case
            )
        )
    elif summary.get("engine") == "numpy":
        lines.append(_("every rule evaluated by the numpy engine (exact 64-bit fixed point)"))
    else:
        lines.append(
            _("every rule and target evaluated by the batch query (DuckDB)")
            if summary.get("targets")
            else _("every rule evaluated by the batch query (DuckDB)")
        )
    if summary.get("engine_note"):
        lines.append(_("numpy engine not used: {reason}").format(reason=summary["engine_note"]))
    if summary.get("decisions"):
        lines += _decisions_table(summary["decisions"])
    if summary["rules"]:
        lines += _rules_table(summary["rules"])
    if summary.get("targets"):
        lines += _targets_table(summary["targets"], summary["cases"])
    lines += refused_lines(summary.get("refused", {}))
    lines.append("")
    if not any(r["unit"] for r in summary["rules"]):
        lines.append(
            _("No amounts: no rule of this policy grants a sum.")
            if summary["rules"]
            else _("No amounts: the policy sets targets only; it has no rules and grants no sums.")
        )
        return "\n".join(lines) + "\n"
    totals = summary["totals"]
    if not totals and not summary.get("totals_by_kind"):
        lines.append(_("合计: no amount in these cases (no rule with a sum applies)."))
    for item in summary["totals_by_beneficiary"]:
        keys = item["totals"]
        amounts = "；".join(key_total_text(key, value, keys) for key, value in keys.items())
        lines.append(f"合计（{item['words']}）: " + amounts)
    if summary["funds"]:
        lines.append(
            _(
                "Funds and budgets the policy declares. The policy does not say which subsidies "
                "each fund pays, so this sets the total of all amounts against each fund in turn; "
                "it is not an allocation."
            )
        )
        for fund in summary["funds"]:
            unit = fund["unit"]
            amount = fund["written"]
            if "年" in fund["per"]:
                years = summary["by_year"]
                parts = [
                    f"{y}: {money_text(t.get(unit, Decimal(0)), unit)} = "
                    f"{_share(t.get(unit, Decimal(0)), fund['amount'])}"
                    for y, t in years.items()
                ] or [_("no cases")]
                lines.append(
                    _(
                        "  {name} ({clause}) {amount} per year — total of each year's cases "
                        "against it: {parts}"
                    ).format(
                        name=fund["name"],
                        clause=fund["clause"],
                        amount=amount,
                        parts="; ".join(parts),
                    )
                )
            else:
                total = totals.get(unit, Decimal(0))
                lines.append(
                    _("  {name} ({clause}) {amount} — the total {total} is {share} of it").format(
                        name=fund["name"],
                        clause=fund["clause"],
                        amount=amount,
                        total=money_text(total, unit),
                        share=_share(total, fund["amount"]),
                    )
                )
    return "\n".join(lines) + "\n"


def _rules_table(rules: list[dict[str, Any]]) -> list[str]:
    head = [
        _("rule"),
        _("applies"),
        _("unspec."),
        _("n/a"),
        _("undet."),
        _("other"),
        _("total"),
        _("largest"),
        _("capped"),
    ]
    table = [head]
    for r in rules:
        c = r["counts"]
        other = c["not_in_force"] + c["already_received"]
        cells = [
            r["rule"] + (" *" if r["per_case"] else ""),
            f"{c['applies']:,}",
            f"{c['unspecified']:,}",
            f"{c['not_applicable']:,}",
            f"{c['undetermined']:,}",
            f"{other:,}",
        ]
        if r["unit"]:
            cells += [
                money_text(r["total"], r["unit"]),
                ", ".join(money_text(x, r["unit"]) for x in r["largest"]) or "–",
                f"{r['capped']:,}" if r["has_cap"] else "–",
            ]
        else:
            cells += ["–", "–", "–"]
        table.append(cells)
    lines = _aligned(table, numbers=range(1, 6))
    lines.append(_("(other = not in force or already received; * = evaluated case by case)"))
    return lines


def _decisions_table(decisions: list[dict[str, Any]]) -> list[str]:
    """Per decided value (承办单位, 预警级别 …), the cases it was decided for, left undetermined
    and evaluated on a day the policy is not in force (no value), and the values it came to,
    the most frequent first (at most five, then how many others)."""
    table = [[_("decision"), _("decided"), _("undet."), _("not in force"), _("values (cases)")]]
    for item in decisions:
        values = list(item["values"].items())
        unit = item["unit"]
        shown = ", ".join(f"{_decided_text(v, unit)} ({n:,})" for v, n in values[:5])
        if len(values) > 5:
            shown += _(", … {count} more").format(count=f"{len(values) - 5:,}")
        table.append(
            [
                item["decision"] + (" *" if item["per_case"] else ""),
                f"{item['counts']['decided']:,}",
                f"{item['counts']['undetermined']:,}",
                f"{item['counts'].get('not_in_force', 0):,}",
                shown or "–",
            ]
        )
    return [*_aligned(table, numbers=range(1, 4)), ""]


def _decided_text(value: Any, unit: str) -> str:
    """A decided value as `run` writes a sum (`money_text`: 12,000元（1.2万元）); a value
    without a measure (承办单位, 预警级别, a ratio) as the batch gives it."""
    if not unit:
        return str(value)
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return f"{value}{unit}"
    try:  # in the column's measure (1,500元/月), as `run` shows a decided value
        measure = parse_measure(unit)
        return format_quantity_in(Quantity.of(number, unit), measure)
    except MeasureError:
        return money_text(number, unit)


def _targets_table(targets: list[dict[str, Any]], cases: int) -> list[str]:
    """Per target, the cases that meet it, miss it and do not report it; then the sums."""
    table = [[_("target"), _("met"), _("not met"), _("not reported")]]
    # Targets with a deadline: of those not met or not reported, how many are in progress,
    # overdue, standing (长期坚持) or cannot be told (顺延 past the calendar): cli/batch_dues.py
    words = {
        "in_progress": _("in progress"),
        "overdue": _("overdue"),
        "standing": _("standing"),
        "unknown": _("due cannot be told"),
    }
    dues: list[str] = []
    if any("due" in item for item in targets):  # standing and unknown only where counted
        dues = [
            d
            for d in words
            if d in ("in_progress", "overdue") or any(i.get("due", {}).get(d) for i in targets)
        ]
        table[0] += [words[d] for d in dues]
    sums = dict.fromkeys(TARGET_STATUSES, 0)
    for item in targets:
        c = item["counts"]
        due = item.get("due")
        table.append(
            [item["target"] + (" *" if item["per_case"] else "")]
            + [f"{c[s]:,}" for s in TARGET_STATUSES]
            + [f"{due[d]:,}" if due is not None else "" for d in dues]
        )
        for status in TARGET_STATUSES:
            sums[status] += c[status]
    lines = ["", *_aligned(table, numbers=range(1, 4 + len(dues)))]
    lines.append(
        _(
            "targets: {met} met, {not_met} not met, {not_reported} not reported "
            "({targets} targets × {cases} cases)"
        ).format(
            met=f"{sums['met']:,}",
            not_met=f"{sums['not_met']:,}",
            not_reported=f"{sums['not_reported']:,}",
            targets=f"{len(targets):,}",
            cases=f"{cases:,}",
        )
    )
    if dues:
        lines.append(
            _(
                "{words}: of the cases not met or not reported, by the deadline in view on "
                "each case's date (moved by 遇节假日顺延 where the policy says so)"
            ).format(words=" / ".join(words[d] for d in dues))
        )
    return lines


def _aligned(table: list[list[str]], numbers: range) -> list[str]:
    widths = [max(_width(row[k]) for row in table) for k in range(len(table[0]))]
    return [
        "  ".join(_pad(cell, widths[k], right=k in numbers) for k, cell in enumerate(row))
        for row in table
    ]


def summary_json(summary: dict[str, Any]) -> str:
    def default(value: Any) -> Any:
        if isinstance(value, Decimal):
            return format(value.normalize(), "f") if value else "0"
        raise TypeError(type(value).__name__)

    doc = dict(summary)
    doc["by_year"] = {str(k): v for k, v in summary["by_year"].items()}
    doc["funds_note"] = (
        "The policy does not say which subsidies each fund pays: the totals are set against each "
        "fund, not allocated to them."
    )
    return json.dumps(doc, ensure_ascii=False, indent=2, default=default) + "\n"


def refused_lines(refused: dict[str, int]) -> list[str]:
    """A line per rule refused in some rows (rule → rows): its condition, amount or value needs
    a day the official calendar of working days does not know, so those rows give it
    undetermined and no total adds it (the batch exits 1, as `run` does)."""
    return [
        _(
            "{name}: refused in {rows} rows, a day the calendar of working days does not know "
            "(undetermined there, in no total)"
        ).format(name=name, rows=rows)
        for name, rows in refused.items()
    ]
