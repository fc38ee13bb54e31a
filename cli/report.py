"""`policyc run` output: the stable JSON document, and the text a case worker reads.

JSON schema (version 2; fields are only ever added, but for version 2's lean results):

    {"policyc": 2, "policy": str, "title": str, "issuers": [str], "case": str|null,
     "on": "YYYY-MM-DD", "in_force": bool, "valid_from": str|null, "valid_until": str|null,
     "provisional": bool,
     "readings": {reading: option},
     "results": [{"rule", "clause", "clause_title", "owner_kind", "heading", "status", "reason",
                  "amount": Money|null, "uncapped": Money|null, "capped": bool,
                  "missing": [str], "unspecified": str, "grants": str, "beneficiary": str,
                  "kind": str, "responsible": [str], "quotes": [str], "quote_of": str,
                  "line": int, "readings": [str], "flow": str,
                  "trace": [{"text": str, "line": int}]}],
     "totals": {measure: Money},
     "totals_by_kind": {"paid"|"waived"|"payable"|"lent": {measure: Money}},
     "totals_by_beneficiary": [{"flow", "beneficiary", "words", "totals": {measure: Money},
                                "range"?: {measure: {"low": Money, "high": Money}}}],
     "still_needed": [{"name", "description", "measure", "rules": [str]}
                      | {"any_of": [{"name", …}, {"name", …}]}]}
    A policy with periods or a group adds "period": str and "period_in_force": "in_force" |
    "partly_in_force" | "not_in_force" before "totals" (cli/people_report.py): `in_force` judges
    the date `on`, `period_in_force` every day of the period, as the text header does.
    `quote_of` is "" when `quotes` are the rule's or target's own, "owner" when they are its
    section's, clause's or task's (it quotes none itself).
    Each result also has "unrounded": Money|null, "rounding": str|null and "shared_cap" (see
    `_after_caps_json`), issue 12.
    Money = {"value": "1198000", "unit": "元", "text": "1,198,000元（119.8万元）"}: `value` is a
    number counted in `unit` (`Quantity.of(value, unit)` reads it back); a decided value is in
    the measure its text shows (`{"value": "1500", "unit": "元/月", "text": "1500元/月"}`).
    A rule whose amount is a range (`amount range`: a fine set within it) has "amount": null
    and, after its other fields, "range": {"low": Money, "high": Money}; a flow where such a
    rule applies is also in "totals_range_by_kind": {flow: {measure: {"low", "high"}}} (its
    exact amounts plus each range's ends; cli/report_ranges.py), after "totals_by_kind"; and
    each `totals_by_beneficiary` item of such a flow has "range": that party's ends (the one
    who pays a fine: 违法行为人应缴), its "totals" the exact amounts alone ({} for a range alone).
    A rule that a `choose highest of …` weighed adds, after its other fields, "choice": {"kept",
    "paid", "among", "quote", "before", "text"} (cli/choice_report.py): a rule not kept applies
    with "amount": null and no "range", and no total adds it.
    A rule paid `each` member whose members' total a cap for the whole case cut (`cap 800 元
    per 户`: 600元 + 500元 → 800元) adds, after "members", "members_split": {"by": "household",
    "members_total": Money, "text": str} (cli/people_report.py `household_json`): each
    member's "amount" is that member's own standard, not a share of the rule's "amount", which
    the document leaves to the household to split.
    A target not met or not reported that has a `by` day adds, after its other fields,
    "due": "in_progress" (on or before that day) | "overdue" (after it) and "deadline":
    "YYYY-MM-DD"; a recurring one (`by 每季度`, `by 每月 25 日`, `by 每月底`) the current
    period's day and "recurs": "quarterly" | "monthly"; a deadline 遇节假日顺延 moved from a rest
    day adds, after "deadline" (the working day), "postponed": {"from": "YYYY-MM-DD", "reason":
    "2023年11月25日为星期六，顺延至11月27日"}; a standing one (`by 长期`) "due":
    "standing", "recurs": "standing" and no "deadline"; a 顺延 deadline whose day the official
    calendar of working days does not know "due": "unknown", no "deadline", and "refused": why
    (the day and the days the calendar knows) — that target alone is refused; a rule, decision
    or target whose condition, amount or value needs such a day (`date_plus(d, N 工作日)`) is
    "status": "undetermined" with "missing": [], "amount": null and "refused": why — that rule
    alone is refused, no total adds it. The document then ends with "refused": [{"rule",
    "line", "reason"}, …] (absent when nothing is refused; `run` then exits 1, not 0);
    "valid_from" is the issue date for a policy that writes no `valid from`.
    A rule with an applicant's deadline (`apply 申请日期 by …`) that applies or is undetermined
    adds "apply_by": {"deadline", "postponed" (when 顺延 moved it), "applied", "in_time"}
    (cli/applying.py); a late application is "not_applicable", its reason naming both days.

Version 2: a result the case rules out (status `not_applicable` or `not_in_force`) is lean,
only {"rule", "clause", "heading", "kind", "flow", "role", "status", "reason"} (then "members",
"periods", "trace" when present): its rule's other fields are the same for every case, given
once per policy by `report_json.rule_fields` (`GET /v1/policies/{id}/rules`). Every other
result carries them all, as in version 1.

`heading` is the clause's (or task's) label and title as the document writes them
(`（二）外籍专家生活补助`, `第三条 医疗救助`: compiler/part_places.py), "" for a rule of the
policy itself. `status` is one of applies, not_applicable, undetermined, unspecified, not_in_force,
already_received. `trace` is present (possibly empty) only with --explain. `flow` says where a
rule's amount goes: `paid` to the applicant, `waived` (a charge the applicant no longer owes),
`payable` by the applicant, or `lent` (a loan the applicant may take and repays, `kind 贷款`/`借款`:
可贷额度) ("" for a rule without an amount). `totals_by_kind` adds the amounts
of the rules that apply per flow and currency, never across flows; `totals` is its `paid` part
(what the applicant receives). `totals_by_beneficiary` splits each flow by party where its rules
name several, or where a payable flow's rules name who pays (`report_totals.totals_by_beneficiary`;
`beneficiary` "" for the applicant, `words` as the text names the total: 支付给外籍高层次专家,
违法行为人应缴). A decided value (`role` decision) is `decided`, `undetermined`, or
`not_in_force` with no value on a day the policy is not in force. `still_needed` (issue 15) is
every input the case does not give that could change an undetermined result, each once, in order
of first need, with the results it could change (`policyc.needs`); it is over all results,
whatever `--only` shows. Two inputs either of which suffices (`if given(A) then … else … B …`,
`… A … or … B …`) are one item `{"any_of": [item, item]}` where the first stands.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from policyc.choice_report import choice_lines
from policyc.compiler.errors_base import InputError, did_you_mean
from policyc.compiler.i18n import _
from policyc.compiler.run_view import RunView, as_view, from_issue, period_text

# What every command prints through (output.py) and the JSON writer (report_json.py), named here
# too for the importers of policyc.report.
from policyc.output import PrintableStream as PrintableStream
from policyc.output import json_text as json_text
from policyc.output import printable_output as printable_output
from policyc.people_report import (
    decided_text,
    evaluated_period,
    explained_steps,
    member_lines,
    partly_in_force,
    period_in_force,
    period_label,
    period_lines,
    total_text,
    value_period_label,
)
from policyc.report_json import SCHEMA_VERSION as SCHEMA_VERSION
from policyc.report_json import answer_bytes as answer_bytes
from policyc.report_json import in_force
from policyc.report_json import to_json as to_json
from policyc.report_ranges import ends_words, range_text, ranges_by_party
from policyc.report_totals import FLOW_WORDS as FLOW_WORDS
from policyc.report_totals import flow_words, payer
from policyc.report_totals import money as money
from policyc.report_totals import plain_value as plain_value
from policyc.report_totals import totals as totals
from policyc.report_totals import totals_by_beneficiary as totals_by_beneficiary
from policyc.runtime.evaluation import RuleResult, show_value
from policyc.runtime.quantity import MeasureError, Quantity
from policyc.runtime.quantity_format import format_quantity
from policyc.runtime.results import RuleInfo
from policyc.runtime.shown_measures import ShownMeasures, measures_of
from policyc.runtime.validity_words import out_of_force_state

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

    from policyc.compiler.checker import CheckedPolicy
    from policyc.compiler.pipeline import CompiledPolicy

BENEFIT_KINDS = {"补贴", "奖励", "补助", "贴息", "减免", "资格", "优惠"}

# How a rule's party (`beneficiary`) is labelled, by where its amount goes: the one who pays a
# payable rule (收费标准, 罚款: docs/language.md) is no beneficiary — the totals name it so too
# (合计（户应缴）, `flow_words`); every other rule's party receives or is relieved.
PARTY_WORDS = {"payable": "应缴方", "lent": "借款方"}


def party_word(flow: str, unspecified: str = "") -> str:
    """The label of a rule's party for its `flow` (`RuleInfo.flow`, JSON `flow`): 应缴方 for
    `payable`, 借款方 for `lent` (a loan is repaid, not received), 适用对象 for a figure of a
    kind with no flow left `unspecified` (`kind 利率`: a rate is not received), else 受益. Used
    by `--explain`/`--all` and the web form's result alike."""
    if unspecified and not flow:
        return "适用对象"
    return PARTY_WORDS.get(flow, "受益")


def unspecified_lines(info: RuleInfo) -> list[str]:
    """What a rule whose amount the document leaves unspecified says instead: its text (the
    documents it refers to follow, `refers_lines`: 按《XX办法》规定的标准执行, the standard is that
    document's, named, never a figure made up here)."""
    return [f"      {unspecified_word(info.flow)}: {info.unspecified}"]


def refers_lines(info: RuleInfo) -> list[str]:
    """`      参见: 《XX市基本医疗保险办法》、天政发〔2023〕1号第七条`: the documents a rule or its
    part refers to (its own `refers`, then its clause's or task's and section's: codegen), under
    the rule whatever its status and amount — a reference the drafter wrote is never dropped
    (合规医疗费用's scope set by another document). None when it refers to none."""
    return [f"      参见: {'、'.join(info.refers)}"] if info.refers else []


def unspecified_word(flow: str) -> str:
    """What a rule's amount left unspecified is called: 金额未规定, or 数额未规定 for a kind with
    no flow (a rate, a standard: no sum of money)."""
    return "金额未规定" if flow else "数额未规定"


STATUS_WORDS = {
    "decided": "判定",
    "met": "达到目标",
    "not_met": "未达到目标",
    "not_reported": "未报告",
    "applies": "适用",
    "not_applicable": "不适用",
    "undetermined": "无法判定",
    "unspecified": "适用（金额未规定）",
    "not_in_force": "不在有效期",
    "already_received": "已领取",
}
# `--only` takes a status by its JSON name or by its Chinese word; these are other words a case
# worker uses for the same status.
STATUS_SYNONYMS = {
    "待定": "undetermined",
    "金额未规定": "unspecified",
    "不在有效期内": "not_in_force",
    "达到": "met",
    "未达到": "not_met",
}


def status_words() -> dict[str, str]:
    """Every word `--only` accepts (English, Chinese, synonyms) -> its status."""
    words = {status: status for status in STATUS_WORDS}
    words |= {word: status for status, word in STATUS_WORDS.items()}
    return words | STATUS_SYNONYMS


def parse_statuses(text: str, option: str = "--only") -> set[str]:
    """The statuses a comma-separated list names (`适用,undetermined`; `，` and `、` separate
    too). Raises InputError naming each unknown word and every accepted one."""
    words = status_words()
    given = [w.strip() for w in text.replace("，", ",").replace("、", ",").split(",")]
    given = [w for w in given if w]
    unknown = [w for w in given if w not in words and w.lower() not in words]
    if unknown or not given:
        accepted = "; ".join(
            f"{status} ({'、'.join(w for w, s in words.items() if s == status and w != status)})"
            for status in STATUS_WORDS
        )
        what = (
            _("unknown status {join_unknown}").format(
                join_unknown=", ".join(unknown),
            )
            if unknown
            else _("no status given")
        )
        if len(unknown) == 1:
            what += did_you_mean(unknown[0], words)
        raise InputError(
            _("{option} {text}: {what}; statuses are {accepted}").format(
                option=option,
                text=text,
                what=what,
                accepted=accepted,
            )
        )
    chosen = {words.get(w, words.get(w.lower(), "")) for w in given}
    if STATUS_WORDS["applies"] in given:
        # The text marks a rule whose amount the document leaves open `✔ 适用` too.
        chosen.add("unspecified")
    return chosen


MARKS = {
    "decided": "▶",
    "met": "✔",
    "not_met": "✘",
    "not_reported": "?",
    "applies": "✔",
    "unspecified": "✔",
    "not_applicable": "✘",
    "undetermined": "?",
    "not_in_force": "✘",
    "already_received": "–",
}


def to_text(
    policy: CompiledPolicy,
    results: list[RuleResult],
    on: date,
    readings: dict[str, str],
    explain: bool,
    totals_of: list[RuleResult] | None = None,
    given: Mapping[str, Any] | None = None,
    whys: Mapping[str, list[str]] | None = None,
) -> str:
    """`run --all` (`--explain`, `--only`): every rule under its part; `whys` (rule → which
    member failed which condition, member_why.explained_whys) under each rule's reason."""
    period = evaluated_period(policy.view, given, on)
    out = header_lines(policy, on, readings, readings, period)
    out[1:1] = period_lines(policy.view, given, on)  # 评估期间: people_report.py
    places = TracePlaces(policy.checked) if explain else None
    measures = measures_of(policy.view)  # a decided value in its inputs' measure (元/月)
    current = None
    for r in results:
        info = r.info
        owner = (info.owner_kind, info.owner_number)
        if owner != current:
            current = owner
            out.append("")
            out.append(owner_heading(policy.view, info))
            if info.leads:
                out.append(f"  牵头单位: {'、'.join(info.leads)}")
        out.extend(_rule_lines(r, places, (whys or {}).get(info.name, ()), measures))
    # The totals are over every rule, but a total under a listing with no amount in it (`--only
    # 不适用`) adds up nothing the reader sees: it is printed only when an amount is listed.
    if totals(results):
        out.append("")
        out.extend(total_lines(totals_of or results))
    return "\n".join(out) + "\n"


def total_lines(results: list[RuleResult]) -> list[str]:
    """`合计（支付给申请人）: 1,000元；20美元`, one line a flow (`FLOW_WORDS`), or one a
    beneficiary where the flow has several, or a payable flow whose rules name the one who
    pays (`totals_by_beneficiary`): `合计（支付给外籍高层次专家）: 20,000美元` and
    `合计（支付给申请人）: 509,000元`; `合计（违法行为人应缴）: 40,000元`. Amounts of different
    periods are never one sum: `合计（支付给申请人）: 一次性 75,600元；每月 2,800元`."""
    ranges = ranges_by_party(results)  # a flow holding an `amount range`: cli/report_ranges.py
    lines = []
    for flow, by_who in totals_by_beneficiary(results).items():
        for who, by_unit in by_who.items():
            ends = ranges.get((flow, who))
            if ends is None:
                amounts = "；".join(
                    total_text(key, format_quantity(q), by_unit) for key, q in by_unit.items()
                )
            else:
                amounts = ends_words(
                    (format_quantity(low), format_quantity(high)) for low, high in ends.values()
                )
            lines.append(f"合计（{flow_words(flow, who)}）: {amounts}")
    return lines


def header_lines(
    policy: CompiledPolicy,
    on: date,
    readings: dict[str, str],
    shown: dict[str, str],
    evaluated: str | None = None,
) -> list[str]:
    """The document, its issuers when several issued it jointly (联合发文, the lead issuer
    first), the evaluation date against the validity (under `readings`), and the readings in
    `shown`, each option by its label (`option_label`)."""
    view = policy.view
    header = view.header
    out: list[str] = [f"{header.number}  {header.title}"]
    if len(header.issuers) > 1:  # 联合发文: the case worker may ask any of them
        out.append("联合发文: " + issuers_text(header.issuers))
    valid_from, valid_until = view.validity_under(readings)
    if not valid_from and not valid_until:  # neither a validity nor an issue date written
        out.append(f"评估日 {on.isoformat()} · 有效期未规定")
    else:
        period = period_text(view, readings)
        issued = valid_from if from_issue(view) else None  # no `valid from`: its issue date
        if in_force(policy, on, readings):
            state = "在有效期内"
            if period_in_force(view, evaluated, readings) == "partly_in_force":
                state += f"；评估期间 {evaluated} 部分在有效期内：按月计的规则逐月判断"
        elif partly_in_force(view, evaluated, readings):
            state = f"该日不在有效期内，评估期间 {evaluated} 部分在有效期内：按月计的规则逐月判断"
        elif issued and on < issued:
            state = "不在有效期内：本政策在该日尚未发布"
        else:  # which of the two, from which day (runtime/validity_words.py)
            state = "不在有效期内：本政策在该日" + out_of_force_state(on, valid_from, valid_until)
        out.append(f"评估日 {on.isoformat()} · 有效期 {period} · {state}")
    if shown:
        labelled = (f"{k} = {option_label(view, k, v)}" for k, v in shown.items())
        out.append("读法: " + "；".join(labelled))
    return out


def issuers_text(issuers: Sequence[str]) -> str:
    """The issuers as a header shows them: `市民政局`, or for 联合发文 the lead issuer marked,
    `市民政局（牵头）、市财政局、市残联`; "" for none."""
    if len(issuers) < 2:
        return "".join(issuers)
    return "、".join([f"{issuers[0]}（牵头）", *issuers[1:]])


def option_label(policy: CheckedPolicy | RunView, reading: str, option: str) -> str:
    """How an option of a reading reads in output: its name when that is Chinese, else the
    policy's own description of it (`option from_start_day "自签发日2023-01-06起算,…"`)."""
    if any(_is_han(ch) for ch in option):
        return option
    decl = as_view(policy).readings.get(reading)
    for candidate in decl.options if decl is not None else ():
        if candidate.name == option and candidate.text:
            return candidate.text
    return option


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def owner_heading(view: RunView, info: RuleInfo) -> str:
    """The heading a rule's results stand under: its part's, in the document's own style
    (compiler/part_places.py: `（二）外籍专家生活补助`, `第三条 医疗救助`, `二、总则`), or 判定
    for the decided values."""
    if info.owner_kind == "policy":
        return "判定"
    return view.places.get(f"{info.owner_kind} {info.owner_number}", info.owner_number)


class TracePlaces:
    """Where `--explain` points: the policy file by name with its line (`[tzf-2023-1.policy
    第216行]`, never a bare 第216行 a reader takes for the received text's), and for an input a
    result waits for that no step of its trace reads, the line of the rule that uses it."""

    def __init__(self, checked: CheckedPolicy):
        self.file = os.path.basename(checked.file.path)
        self.lines = checked.text.split("\n")
        self.rules = {rule.name.text: rule.span for _, rule in checked.file.all_rules()}
        self.declared = {name: info.decl.span.line for name, info in checked.inputs.items()}

    def at(self, line: int) -> str:
        return f"[{self.file} 第{line}行]"

    def use_of(self, rule: str, name: str) -> int:
        """The first line of `rule` that names input `name`, else the input's declaration."""
        span = self.rules.get(rule)
        if span is not None:
            for number in range(span.line, (span.end_line or span.line) + 1):
                if name in self.lines[number - 1].split("#")[0]:
                    return number
        return self.declared.get(name, span.line if span is not None else 0)


# A target not met or not reported that has a `by` day (`RuleResult.due`): before it, still in
# progress; after it, overdue. Its mark and word in place of the status's.
DUE_WORDS = {
    ("not_met", "in_progress"): ("◔", "尚未达到目标（期限未到，进行中）"),
    ("not_met", "overdue"): ("✘", "逾期未达到目标"),
    ("not_reported", "in_progress"): ("?", "未报告（期限未到）"),
    ("not_reported", "overdue"): ("?", "逾期未报告"),
    ("not_met", "standing"): ("◔", "尚未达到目标（长期坚持，进行中）"),
    ("not_reported", "standing"): ("?", "未报告（长期坚持）"),
    # 顺延 to a day the official calendar does not know: in progress or overdue cannot be told
    ("not_met", "unknown"): ("!", "尚未达到目标（期限无法判断）"),
    ("not_reported", "unknown"): ("?", "未报告（期限无法判断）"),
}


def target_words(r: RuleResult) -> str:
    """A target's wording beside its status, as the web form's 目标： line says it:
    `（目标：完成，期限2027年3月31日，实际：未完成）`, `（目标：达到1000个（含本数））` when no
    figure is reported — a colon, not a space, after each label."""
    actual = f"，实际：{actual_text(r)}" if r.value is not None else ""
    return f"（目标：{r.info.target}{actual}）"


def actual_text(r: RuleResult) -> str:
    """A target's reported figure in the measure the target is written in (9.99亿元 against
    `10 亿元 以上`, not 999,000,000元（99900万元）); as `show_value` writes it when the target
    names no measure or the figure is no exact number of it; a `done` target's yes/no as
    已完成 / 未完成."""
    value = r.value
    if isinstance(value, bool):  # only a `done` target's figure is a yes/no
        return done_words(value)
    if isinstance(value, Quantity):
        shown = in_measure(value, r.info.measure)
        if shown is not None:
            return shown
    return show_value(value)


def done_words(done: bool) -> str:
    """A `done` target's reported yes/no as run and the form say it: 已完成 / 未完成."""
    return "已完成" if done else "未完成"


def in_measure(value: Quantity, measure: str) -> str | None:
    """`value` written in `measure` (`9.99亿元`; thousands grouped from 10,000 on), None when
    `measure` is empty, the value a percentage, or no exact number of `measure`."""
    if not measure or value.percent:
        return None
    try:
        number = value.to(measure).normalize()
    except MeasureError:
        return None
    return format(number, ",f" if number.copy_abs() >= 10000 else "f") + measure


def quote_label(role: str, quote_of: str) -> str:
    """How a result's source sentence is introduced: `原文`, or for a target that quotes none
    of its own (`quote_of` "owner") the words saying that its section's or clause's first
    sentence stands in for it (it may state another target)."""
    if role == "target" and quote_of == "owner":
        return "原文（目标未引原文，此为所在条款首句）"
    return "原文"


def status_shown(r: RuleResult) -> tuple[str, str]:
    """(mark, word) of a result: its status's (`MARKS`, `STATUS_WORDS`), or for a target with a
    `by` day not met or not reported, `DUE_WORDS`' (◔ 尚未达到目标（期限未到，进行中）,
    ✘ 逾期未达到目标)."""
    due = DUE_WORDS.get((r.status, r.due)) if r.due else None
    return due if due is not None else (MARKS[r.status], STATUS_WORDS[r.status])


def _rule_lines(
    r: RuleResult,
    places: TracePlaces | None,
    whys: Iterable[str] = (),
    measures: ShownMeasures | None = None,
) -> list[str]:
    info = r.info
    mark, word = status_shown(r)
    head = f"  {mark} {info.name} — {word}"
    if r.status == "decided" and r.periods is not None:  # `decide … per 月`: each month below
        head += value_period_label(r)
    elif r.status == "decided" and r.members is not None:  # each member's value below
        head = f"  {MARKS[r.status]} {info.name} — 按成员各自判定{value_period_label(r)}"
    elif r.status == "decided":
        head += f"{value_period_label(r)}: {decided_text(r, measures)}"
    if info.role == "target":
        head += target_words(r)
    head += amount_text(r)
    lines = [head]
    lines.extend(choice_lines(r, cited=tuple(info.quotes[:1])))  # 原文 once (below)
    lines.extend(shared_cap_lines(r))
    lines.extend(member_lines(r))
    if r.status == "unspecified":
        lines.extend(unspecified_lines(info))
        lines.extend(refers_lines(info))
    elif r.reason:
        lines.append(f"      原因: {r.reason}")
        lines.extend(f"        · {why}" for why in whys)
    if info.grants and r.status == "applies":
        label = "可享受" if info.kind in BENEFIT_KINDS else "内容"
        lines.append(f"      {label}: {info.grants}")
    who = []
    if info.beneficiary:
        who.append(f"{party_word(info.flow, info.unspecified)}: {info.beneficiary}")
    if info.responsible:
        who.append(f"责任单位: {'、'.join(info.responsible)}")
    if info.cooperates:
        who.append(f"配合单位: {'、'.join(info.cooperates)}")
    if who:
        lines.append("      " + " · ".join(who))
    if info.law:
        lines.append(f"      依据: {info.law}")
    if r.status != "unspecified":  # said under 金额未规定 above
        lines.extend(refers_lines(info))
    for name, amount, text in info.limits:
        lines.append(f"      限额「{name}」: {amount}" + (f"（{text}）" if text else ""))
    if r.status == "applies":
        for name, title, steps in info.procedures:
            lines.append(f"      办理程序「{title or name}」:")
            lines.extend(f"        {i}. {step}" for i, step in enumerate(steps, 1))
    if info.readings:
        lines.append(f"      依读法: {'、'.join(info.readings)}")
    for quote in info.quotes[:1]:
        lines.append(f"      {quote_label(info.role, info.quote_of)}: {quote}")
    if places is not None:
        for step in explained_steps(r.steps):
            lines.append(f"        · {step.text}  {places.at(step.line)}")
        # An input the result waits for that no step reads (the amount stops at it unread):
        # the line that uses it, so that every input the reason names is traced.
        unread: dict[int, list[str]] = {}
        for name in r.missing:
            if not any(name in step.text for step in r.steps):
                unread.setdefault(places.use_of(info.name, name), []).append(name)
        for line, names in unread.items():
            lines.append(
                f"        · 待定: 需要输入 {'、'.join(names)}（本例未给出）  {places.at(line)}"
            )
    return lines


def amount_text(r: RuleResult) -> str:
    """`: 100万元（已封顶，封顶前 …）（舍入前 …）（减免）`, or "" for a result without an amount."""
    if r.amount is None:
        if r.range is not None and r.info.flow in FLOW_WORDS:  # `amount range` (a fine)
            who = payer(r.info.beneficiary) if r.info.flow == "payable" else ""
            return range_text(r) + f"（{flow_words(r.info.flow, who)}）"
        return ""
    text = f": {format_quantity(r.amount)}" + period_label(r)
    if r.uncapped is not None:
        text += f"（已封顶，封顶前 {format_quantity(r.uncapped)}）"
    if r.unrounded is not None:
        text += f"（舍入前 {format_quantity(r.unrounded)}）"
    if r.info.flow in ("waived", "payable", "lent"):
        who = payer(r.info.beneficiary) if r.info.flow == "payable" else ""
        text += f"（{flow_words(r.info.flow, who)}）"
    return text


def shared_cap_lines(r: RuleResult) -> list[str]:
    """How a cap shared with other rules treated this one (issue 12)."""
    share = r.shared
    if share is None:
        return []
    if r.status == "undetermined":
        asked = format_quantity(share.before)
        return [f"      合计上限「{share.cap}」: 本项 {asked}，分得金额未定"]
    cut = "，未受限" if share.after == share.before else ""
    # a limit the case gives is named with its value: 生前工资 7000元
    named = f"{share.limit_text} " if share.limit_text else ""
    if share.order == "proportional":  # used_before: what all its rules asked together
        return [
            f"      合计上限「{share.cap}」{named}{format_quantity(share.limit)}（按比例核减）: "
            f"各项合计 {format_quantity(share.used_before)}，本项 {format_quantity(share.before)}"
            f" → {format_quantity(share.after)}{cut}"
        ]
    return [
        f"      合计上限「{share.cap}」{named}{format_quantity(share.limit)}"
        f"（第{share.position}项）: "
        f"此前已用 {format_quantity(share.used_before)}，本项 {format_quantity(share.before)}"
        f" → {format_quantity(share.after)}{cut}"
    ]
