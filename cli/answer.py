"""`policyc run`'s default text: the answer first, details on request (issue 15).

Four blocks after the header:

1. 结论 — the answer: each decided value (承办单位: 各乡镇办场; on a day the policy is not in
   force, `✘ 承办单位 — 不在有效期: …` and no value), and each rule the case makes apply
   (what it grants, how much, who handles it, the procedure to follow), then the totals per
   kind. A rule that reads no input applies whatever the case says (a standing duty): it is
   counted, not listed.
2. 还需要 — one list of every input that could change an undetermined result, each once, with
   its description and how its value is written (`policyc.needs`: all layers at once); two
   inputs either of which suffices stand under `以下任一:`.
3. 为何不适用 — why each rule that does not apply fails, in `--all`'s words (its first
   condition that does not hold, 不在有效期内, 已领取), one line a reason: the rules failing for
   the same reason share it (`人才安居补贴、购房奖励 — 条件不成立: 是青年人才`), at most
   RULES_NAMED names and 等 N 条, a reason over REASON_CHARS characters cut after its last
   whole clause that fits, never inside a bracket or a date, or else kept whole (reason_cut).
   A rule whose first failed condition picks another member of an enum input
   (`申请人类型为企业` for a talent, `行为为无照经营` for a noise complaint) is for another kind
   of case: such rules are counted on one line an input (`另 3 条针对其他申请人类型: …`), not
   reasoned one by one; so is a rule whose condition joined by 且/或 failed only on tests of
   that input. A condition of several parts (且/或, or a named one) has the parts the case
   failed under it, the one it was settled on first (member_why.condition_whys):
   `残疾类别为智力残疾、精神残疾之一: 肢体残疾 → 不成立` before
   `残疾等级为一级、二级之一: 三级 → 不成立`. A rule over the members of a household that
   none of them meets stands alone, a line per member under it: which member failed which
   condition (`member_why.py`).
4. 单位目标 — the targets the case reports (met or not) and those whose 顺延 deadline cannot be
   told: a unit's duty, never the applicant's, so never under 结论.
5. One line counting what does not apply, the standing rules and the targets the case does not
   report (单位目标 … 由有关单位填报), never as something the applicant failed.

`run --all` (`report.to_text`) lists every rule as before; `--explain` and `--only` do too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from policyc.applying import applying_lines
from policyc.choice_report import choice_lines
from policyc.compiler.run_view import Lean
from policyc.member_why import JOINED
from policyc.needs import NeededInput, any_of_sets, inputs_read, still_needed
from policyc.people_report import (
    decided_text,
    evaluated_period,
    group_lines,
    member_brief,
    value_period_label,
)
from policyc.reason_cut import shortened
from policyc.report import (
    BENEFIT_KINDS,
    MARKS,
    STATUS_WORDS,
    amount_text,
    header_lines,
    refers_lines,
    shared_cap_lines,
    status_shown,
    target_words,
    total_lines,
    unspecified_lines,
)
from policyc.runtime.evaluation import RuleResult, show_value
from policyc.runtime.quantity import Quantity
from policyc.runtime.shown_measures import ShownMeasures, measures_of, show_named

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

    from policyc.compiler.pipeline import CompiledPolicy

RULES_NAMED = 3  # rules named beside a needed input or a reason before "等 N 条"
REASON_CHARS = 40  # a reason longer than this is cut after a whole clause, or kept (reason_cut)
NOT_APPLYING = ("not_applicable", "not_in_force", "already_received")


def standing_rules(policy: CompiledPolicy, readings: Mapping[str, str]) -> frozenset[str]:
    """The rules whose conditions, amount, cap and validity read no input: what they say holds
    whatever the case (the duties of a unit, a channel always open)."""
    standing = set()
    view = policy.view
    for rule in view.rules.values():
        exprs: list[Lean] = [*rule.whens, *rule.applying]  # an application date read
        if rule.amount is not None:
            exprs.append(rule.amount)
        if rule.cap is not None:
            exprs.append(rule.cap)
        if rule.valid_by is None and not inputs_read(view, exprs, readings):
            standing.add(rule.name)
    return frozenset(standing)


def answer_text(
    policy: CompiledPolicy,
    results: list[RuleResult],
    on: date,
    readings: dict[str, str],
    given: Mapping[str, Any],
    whys: Mapping[str, list[str]] | None = None,
) -> str:
    """The default text of `run` for one case (see the module's docstring); `whys`: rule →
    which member failed which condition (member_why.explained_whys), under 为何不适用."""
    standing = standing_rules(policy, readings)
    answer = [r for r in results if _answers(r, standing)]
    declared = dict(policy.namespace["READINGS"])
    relevant = {name for r in answer for name in r.info.readings}
    shown_readings = {
        name: option
        for name, option in readings.items()
        if name in relevant or declared.get(name) != option
    }
    period = evaluated_period(policy.view, given, on)
    out = header_lines(policy, on, readings, shown_readings, period)
    if period is not None:  # households and periods (people_report.py)
        out.insert(1, f"评估期间 {period}")
    out.extend(group_lines(policy.view, given))
    out.extend(("", "结论"))
    if not answer:  # a target reported is listed in its own block below, never under 结论
        out.append("  本案例没有适用的条款")
    measures = measures_of(policy.view)  # a value in its inputs' measure (元/月)
    for r in answer:
        out.extend(_answer_lines(r, measures))
    out.extend(f"  {line}" for line in total_lines(results))
    if refused := [r.info.name for r in results if r.refused and r.info.role == "rule"]:
        # its amount cannot be told: never added, and the totals say they are partial
        out.append(f"  合计不含无法判定的 {'、'.join(refused)}（工作日历无法判断）")
    needed = still_needed(policy.view, results, given, readings)
    if needed:
        waiting = sum(  # not one a choice has ruled out whatever it turns out (needs.py)
            1
            for r in results
            if r.status == "undetermined"
            and not r.refused  # no input decides it: the calendar lacks its day
            and (r.choice is None or not r.choice.out)
        )
        out.extend(("", f"还需要以下输入（{waiting} 项结果待定）"))
        fields = [(i.name, i.description, i.measure, i.rules) for i in needed]
        out.extend(needed_lines(needed, any_of_sets(policy.view, fields)))
    reasons = why_not_lines(results, _enum_inputs(policy), whys or {})
    if reasons:
        out.extend(("", "为何不适用", *reasons))
    # A target is a unit's duty, never the applicant's: those the case reports (or whose
    # deadline cannot be told) in their own block, the others counted on the last line.
    targets = [r for r in results if r.info.role == "target" and _target_shown(r)]
    if targets:
        out.extend(("", "单位目标（由有关单位填报，非申请人事项）"))
        for r in targets:
            out.extend(_answer_lines(r, measures))
    out.extend(("", _counts_line(results, standing)))
    return "\n".join(out) + "\n"


def _target_shown(r: RuleResult) -> bool:
    """A target the answer lists (in its own block): reported, or refused (its 顺延 day)."""
    return r.status in ("met", "not_met") or bool(r.refused)


def _answers(r: RuleResult, standing: frozenset[str]) -> bool:
    """Whether 结论 lists `r`: a decided value, a rule the case makes apply; never a target."""
    if r.info.role == "target":
        return False
    if r.status == "decided" or r.refused:
        return True
    if r.info.role == "decision":  # a value the policy does not decide on this day says so
        return r.status == "not_in_force"
    if r.status == "undetermined":  # a choice says why: ruled out whatever it turns out, or
        # not weighed (per period, in a case of several); others are asked for under 还需要
        return r.choice is not None and (r.choice.out or not r.missing)
    return r.status in ("applies", "unspecified") and r.info.name not in standing


def _shown(measures: ShownMeasures, name: str, value: Any) -> str:
    """A decided value in the measure its inputs have (`800元/月`), else as `show_value`."""
    if isinstance(value, Quantity) and value.dims:
        return show_named(measures, name, value)
    return show_value(value)


def _answer_lines(r: RuleResult, measures: ShownMeasures) -> list[str]:
    info = r.info
    if r.status == "decided":
        if r.members is not None:  # a value per member: people_report.py
            each = "、".join(
                f"{m.member}（{m.role}） {_shown(measures, info.name, m.value)}" for m in r.members
            )
            return [f"  {info.name}: {each}"]
        return [f"  {info.name}{value_period_label(r)}: {decided_text(r, measures)}"]
    if info.role == "decision" or (r.refused and not r.due):
        # no value: the policy is not in force on the day, or a day the calendar lacks (the
        # rule alone refused: `date_plus(d, N 工作日)`)
        return [f"  {MARKS[r.status]} {info.name} — {STATUS_WORDS[r.status]}: {r.reason}"]
    mark, word = status_shown(r)  # a target's due (尚未到期 / 逾期): cli/report.py
    head = f"  {mark} {info.name} — {word}"
    if info.role == "target":
        lines = [head + target_words(r)]
        if r.postponed:  # 遇节假日顺延 moved the day in view off a rest day: say to which, and why
            lines.append(f"      期限顺延: {r.postponed[1]}")
        if r.due == "unknown":  # 顺延 to a day the calendar lacks: this target alone refused
            said = r.reason.rpartition("（")[2].rstrip("）")  # not reported: after 案例未报告 …
            lines.append(f"      期限无法判断: {said}")
        return lines
    head += amount_text(r)
    if info.responsible:
        head += f" · 责任单位: {'、'.join(info.responsible)}"
    lines = [head, *member_brief(r), *choice_lines(r), *shared_cap_lines(r), *applying_lines(r)]
    if r.status == "unspecified":
        lines.extend(unspecified_lines(info))
    lines.extend(refers_lines(info))  # 参见《…》: a reference written, whatever the amount
    if info.grants:
        label = "可享受" if info.kind in BENEFIT_KINDS else "内容"
        lines.append(f"      {label}: {info.grants}")
    for name, title, steps in info.procedures:
        lines.append(f"      办理程序「{title or name}」: {' → '.join(steps)}")
    return lines


def needed_lines(
    needed: Iterable[NeededInput], any_of: Iterable[tuple[str, str]] = ()
) -> list[str]:
    """One line an input: name, how it is written, description, the results it could change;
    two inputs either of which suffices (`any_of`, needs.any_of_sets) under `  以下任一:`,
    indented, where the first of them stands."""
    needed = list(needed)
    pairs = {first: second for first, second in any_of}
    seconds = {second: first for first, second in pairs.items()}
    by_name = {item.name: item for item in needed}
    lines = []
    for item in needed:
        if item.name in seconds:
            continue
        if item.name in pairs:
            lines.append("  以下任一:")
            lines.extend("  " + line for line in needed_lines([item, by_name[pairs[item.name]]]))
            continue
        rules = "、".join(item.rules[:RULES_NAMED])
        if len(item.rules) > RULES_NAMED:
            rules += f" 等 {len(item.rules)} 项"
        about = f": {item.description}" if item.description else ""
        lines.append(f"  {item.name}（{item.measure}）{about} — 影响 {rules}")
    return lines


def _enum_inputs(policy: CompiledPolicy) -> dict[str, tuple[str, ...]]:
    """The inputs whose value is an enum member → the enum's members."""
    view = policy.view
    return {
        name: tuple(view.enums.get(i.type.enum, ()))
        for name, i in view.inputs.items()
        if i.type.kind == "enum"
    }


def picked_input(reason: str, selectors: Mapping[str, Iterable[str]]) -> str | None:
    """The enum input whose other member the case picked, when `reason` is a condition on that
    input alone: `条件不成立: 申请人类型为企业`, `条件不成立: 残疾等级为一级、二级之一` (as
    compiler/render.py writes `is` and `in`); None for any other reason — a condition of several
    parts (`残疾等级为一级、二级之一，或(…，且残疾类别为…)`) failed on a part that may be another
    input's, and is reasoned in full (member_why.condition_whys).

    >>> picked_input("条件不成立: 残疾等级为一级、二级之一", {"残疾等级": ("一级", "二级", "三级")})
    '残疾等级'
    >>> picked_input("条件不成立: 残疾等级为一级、二级之一，或残疾类别为智力残疾",
    ...     {"残疾等级": ("一级", "二级"), "残疾类别": ("智力残疾",)})
    """
    if not reason.startswith("条件不成立: "):
        return None
    condition = reason.removeprefix("条件不成立: ")
    for name, members in selectors.items():
        tested = condition.removeprefix(f"{name}为")
        if tested == condition:
            continue
        listed = tested.removesuffix("之一").split("、") if tested.endswith("之一") else [tested]
        if set(listed) <= set(members):
            return name
    return None


def _picked(
    reason: str, parts: Iterable[str], selectors: Mapping[str, Iterable[str]]
) -> str | None:
    """The enum input whose other member rules a rule out: its failed condition tests that
    input alone, or, when the rule's condition joins several parts by 且/或 (`parts`, the
    failed ones as member_why.condition_whys writes them, `违法行为为倾倒建筑垃圾: 占道经营 →
    不成立`), every part it failed does (`违法行为为倾倒建筑垃圾，且当事人类型为个人` for 占道经营:
    another 违法行为, whatever the 当事人类型); None otherwise. A named condition (a define:
    `符合贷款条件`) is not the choice of a kind of case: its failed parts are shown."""
    parts = list(parts)
    if not parts or not any(word in reason for word in JOINED):
        return picked_input(reason, selectors)
    picked = {picked_input("条件不成立: " + part.partition(": ")[0], selectors) for part in parts}
    return picked.pop() if len(picked) == 1 else None


def why_not_lines(
    results: Iterable[RuleResult],
    selectors: Mapping[str, Iterable[str]] | None = None,
    whys: Mapping[str, list[str]] | None = None,
) -> list[str]:
    """`  ✘ 人才安居补贴、购房奖励 — 条件不成立: 是青年人才`: the rules that do not apply, by
    reason (as `--all` words it), in the order of their first rule; then, for each of the
    `selectors` (enum inputs → their members), one line counting the rules whose failed
    condition, or every failed part of it, is a test of that input alone (`_picked`), failed
    on another of its members:
    `  另 3 条针对其他申请人类型: 外籍专家生活补助、稳岗返还、吸纳就业补贴` (… 等 past
    RULES_NAMED). A rule with `whys` (member_why.explained_whys: which member of an aggregate
    failed which condition, or the failed parts of a condition of several parts) has its
    lines under it
    (`      · 张大爷（老年人）: …`); rules ruled out alike, lines and all, share one."""
    whys = whys or {}
    # rules ruled out alike (the same reason, and the same lines under it) share one line
    by_reason: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
    other: dict[str, list[str]] = {}
    for r in results:
        if r.status not in NOT_APPLYING or r.info.role in ("decision", "target"):
            continue
        picked = _picked(r.reason, whys.get(r.info.name, ()), selectors or {})
        if picked is not None:
            other.setdefault(picked, []).append(r.info.name)
        else:
            under = tuple(whys.get(r.info.name, ()))
            by_reason.setdefault((r.status, r.reason, under), []).append(r.info.name)
    lines = []
    for (status, reason, under), names in by_reason.items():
        text = shortened(reason, REASON_CHARS)
        lines.append(f"  {MARKS[status]} {_named(names)} — {text or STATUS_WORDS[status]}")
        lines.extend(f"      · {why}" for why in under)
    for name, names in other.items():
        more = " 等" if len(names) > RULES_NAMED else ""
        lines.append(f"  另 {len(names)} 条针对其他{name}: {'、'.join(names[:RULES_NAMED])}{more}")
    return lines


def _named(names: list[str]) -> str:
    named = "、".join(names[:RULES_NAMED])
    return named + (f" 等 {len(names)} 条" if len(names) > RULES_NAMED else "")


def _counts_line(results: list[RuleResult], standing: frozenset[str]) -> str:
    parts = []
    not_applying = [r for r in results if r.status in NOT_APPLYING and r.info.role == "rule"]
    by_status = {s: sum(1 for r in not_applying if r.status == s) for s in NOT_APPLYING}
    detail = "、".join(
        f"{STATUS_WORDS[s]} {count}"
        for s, count in by_status.items()
        if s != "not_applicable" and count
    )
    if not_applying:
        parts.append(f"不适用 {len(not_applying)} 条" + (f"（其中 {detail}）" if detail else ""))
    always = sum(
        1 for r in results if r.info.name in standing and r.status in ("applies", "unspecified")
    )
    if always:
        parts.append(f"不随案情变化、始终适用的 {always} 条")
    unreported = sum(1 for r in results if r.status == "not_reported" and not r.refused)
    if unreported:
        parts.append(f"单位目标 {unreported} 项本案例未填报（由有关单位填报，非申请人事项）")
    return "；".join(parts) + "。逐条列出: --all" if parts else "逐条列出: --all"
