"""What `run` says of households and periods (issue 12): the period evaluated, and each
member's outcome under a rule paid `each` member of a role.

JSON: the document gains `"period": "2017-01"` (the case's period, else the month of its
evaluation date) for a policy with a group or inputs per period, and beside it
`"period_in_force": "in_force" | "partly_in_force" | "not_in_force"` (the period's days against
the validity, as the text header judges it; `in_force` judges the evaluation date only); a
rule paid each member gains `"members": [{"member", "role", "status", "reason", "amount":
Money|null, "uncapped": Money|null, "missing": [str], "value"}]`, its `amount` being their sum
(a value decided per member: each member's `value`); a rule whose amount is a month's, in a
year's case, gains `"periods": [{"period": "2017-01", "status", "amount": Money|null}, …]`, its
amount their sum.
A rule with `amount … per` gains `"amount_per": "month" | "year"` and `"in_totals": bool`: a
yearly rule in a month's case is evaluated for the month's year (`periods` names it) and its
amount is the year's, shown `（每年：2026年的金额，不计入本期合计）` and left out of the totals,
which add a month's amounts only; a monthly rule in a year's case adds up its twelve months.
A decision with `decide … per` gains `"value_per": "month" | "year"`; decided over other periods
than the case's (a `per 月` decision in a year's case) it has `"value": null` and `"periods":
[{"period", "status": "decided" | "undetermined" | "not_in_force", "value"}, …]`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal

from policyc.runtime.evaluation import RuleResult, show_value
from policyc.runtime.quantity import MeasureError, Quantity
from policyc.runtime.quantity_format import format_quantity
from policyc.runtime.results import Step
from policyc.runtime.shown_measures import ShownMeasures, show_named

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

    from policyc.compiler.checker import CheckedPolicy
    from policyc.compiler.run_view import RunView

_WORDS = {
    "applies": "适用",
    "not_applicable": "不适用",
    "undetermined": "无法判定",
    "decided": "判定",
    "not_in_force": "不在有效期",
    "passed_over": "就高不计",  # a period another rule of its `choose highest of` pays
}


def evaluated_period(
    policy: CheckedPolicy | RunView, given: Mapping[str, Any] | None, on: date
) -> str | None:
    """The period a case of `policy` is evaluated for, or None for a policy without periods
    or groups."""
    people = policy.people
    if not people.by_period:
        return None
    period = getattr(given, "period", None)
    return period if period is not None else f"{on.year:04d}-{on.month:02d}"


def partly_in_force(
    policy: CheckedPolicy | RunView, period: str | None, readings: Mapping[str, str]
) -> bool:
    """Whether some day of `period` (a month or a year) lies in the policy's validity: a year's
    case evaluated on 01-01 of a policy taking effect on 04-01 pays its in-force months."""
    return period_in_force(policy, period, readings) not in (None, "not_in_force")


def period_in_force(
    policy: CheckedPolicy | RunView, period: str | None, readings: Mapping[str, str]
) -> str | None:
    """The period's own standing against the policy's validity (under `readings`):
    "in_force" when every day of `period` (a month or a year) lies in it, "partly_in_force" when
    some do, "not_in_force" when none does; None without a period (a policy without periods or
    groups). The JSON's `period_in_force`, beside `in_force` (the evaluation date's)."""
    if period is None:
        return None
    from policyc.runtime.people import first_day, shift_period

    start = first_day(period)
    months = 12 if len(period) == 4 else 1
    end = first_day(shift_period(f"{start.year:04d}-{start.month:02d}", months)) - timedelta(1)
    valid_from, valid_until = policy.validity_under(dict(readings))
    starts_in_time = valid_from is None or valid_from <= end
    if not (starts_in_time and (valid_until is None or valid_until >= start)):
        return "not_in_force"
    from_start = valid_from is None or valid_from <= start
    to_end = valid_until is None or valid_until >= end
    return "in_force" if from_start and to_end else "partly_in_force"


def period_lines(
    policy: CheckedPolicy | RunView, given: Mapping[str, Any] | None, on: date
) -> list[str]:
    """`["评估期间 2026"]` for a policy with periods or a group (the line `run` prints under the
    document's title, in the answer and in the full listing), else []."""
    period = evaluated_period(policy, given, on)
    return [] if period is None else [f"评估期间 {period}"]


def members_json(r: RuleResult, money: Any, value_json: Any) -> list[dict[str, Any]] | None:
    if r.members is None:
        return None
    return [
        {
            "member": m.member,
            "role": m.role,
            "status": m.status,
            "reason": m.reason,
            "amount": money(m.amount),
            "uncapped": money(m.uncapped),
            "missing": list(m.missing),
            "value": value_json(m.value),
        }
        for m in r.members
    ]


def periods_json(r: RuleResult, money: Any, value_json: Any = None) -> list[dict[str, Any]] | None:
    """A month's amount in a year's case (or a year's in a month's): each period's outcome,
    `{"period", "status", "amount": Money|null}`; a value decided per period (`decide … per
    月`): `{"period", "status", "value"}`."""
    if r.periods is None:
        return None
    if r.info.role == "decision" and value_json is not None:
        return [
            {"period": period, "status": status, "value": value_json(value)}
            for period, status, value in r.periods
        ]
    return [
        {"period": period, "status": status, "amount": money(amount)}
        for period, status, amount in r.periods
    ]


def value_period_label(r: RuleResult) -> str:
    """`（每月）` / `（每年）` after a decision declaring `decide … per 月` / `per 年`, else ""."""
    return {"month": "（每月）", "year": "（每年）"}.get(r.info.period, "")


def decided_text(r: RuleResult, measures: ShownMeasures | None = None) -> str:
    """A decision's value as `run` shows it: `1500元/人`, and decided per period (a `per 月`
    decision in a year's case) each month's, equal neighbours joined: `2026-01至2026-03
    900元/人；2026-04至2026-12 1000元/人` (`value_period_label` says the period). `measures`
    (runtime/shown_measures.py): a quantity in the measure its inputs have (`800元/月`, not
    `9600元/年`)."""

    def show(value: Any) -> str:
        if measures and isinstance(value, Quantity) and value.dims:
            return show_named(measures, r.info.name, value)
        return show_value(value)

    if r.periods is None:
        return show(r.value)
    runs: list[list[Any]] = []  # [first, last, shown]
    for period, status, value in r.periods:
        shown = show(value) if status == "decided" else _WORDS.get(status, status)
        if runs and runs[-1][2] == shown:
            runs[-1][1] = period
        else:
            runs.append([period, period, shown])
    parts = (f"{a}至{b} {shown}" if a != b else f"{a} {shown}" for a, b, shown in runs)
    return "；".join(parts)


def part_word(status: str) -> str:
    """How a member's or a period's status is written (`适用`, `就高不计` for a period another
    rule of a `choose highest of` pays), the status itself when it has no word."""
    return _WORDS.get(status, status)


def household_split(r: RuleResult) -> Quantity | None:
    """The members' own amounts added up, when a cap for the whole case (`cap 800 元 per 户`
    on an `each` rule, runtime/people_ops.py `_case_capped`) paid less than that sum; else None.

    "分别享受补贴，每户每月合计不超过800元" gives each member his own amount (600元, 500元) and
    caps the household's total (1100元 → 800元), and says nothing of how the 800元 is shared:
    the members' amounts are what each would receive alone, and what each receives of the
    capped total is the household's to settle. The outputs say so (`household_words`) rather
    than show 600元 and 500元 as paid, or work out a split the text does not give. So does a
    shared cap `order as_listed` that cut such a rule; one `order proportional` (按比例核减)
    shares the cut among the members as its document says (runtime/amounts.py), their
    amounts add up to the rule's: None."""
    if not r.members or r.amount is None:
        return None
    paid = [m.amount for m in r.members if m.status == "applies" and m.amount is not None]
    if not paid:
        return None
    whole = paid[0]
    for amount in paid[1:]:
        whole = whole + amount
    return whole if r.amount < whole else None


def household_words(r: RuleResult) -> str | None:
    """`各成员合计 1100元，本项按 800元 发放；文件未规定 800元 在各成员间如何分配，由本户分配，
    上列各成员金额为各自标准、不是各自实得` under the members of a rule `household_split`
    finds capped as a whole; None otherwise."""
    whole = household_split(r)
    if whole is None or r.amount is None:
        return None
    paid = _money(r.amount)
    return (
        f"各成员合计 {_money(whole)}，本项按 {paid} 发放；文件未规定 {paid} 在各成员间如何分配，"
        "由本户分配，上列各成员金额为各自标准、不是各自实得"
    )


def household_json(r: RuleResult, money: Any) -> dict[str, Any]:
    """`{"members_split": {"by": "household", "members_total": Money, "text": str}}` for a rule
    whose members' total a cap for the whole case cut (`household_split`): the members'
    `amount`s are each one's own standard, `members_total` their sum, the rule's `amount` what
    the household is paid, and how it is shared the text does not say; {} otherwise."""
    whole = household_split(r)
    if whole is None:
        return {}
    split = {"by": "household", "members_total": money(whole), "text": household_words(r)}
    return {"members_split": split}


def member_lines(r: RuleResult) -> list[str]:
    """One line per member: `· 李小明（子女）: 适用 200元`; under members whose total a cap for
    the whole case cut, what the household is paid and that the text does not split it
    (`household_words`)."""
    lines = []
    for period, status, amount in r.periods or ():
        shown = f" {show_value(amount)}" if amount is not None else ""
        lines.append(f"      · {period}: {_WORDS.get(status, status)}{shown}")
    for m in r.members or ():
        text = f"      · {m.member}（{m.role}）: {_WORDS.get(m.status, m.status)}"
        if m.amount is not None:
            text += f" {_money(m.amount)}{_before(r, m)}"
        if m.value is not None:
            text += f" {show_value(m.value)}"
        if m.reason:
            text += f" — {m.reason}"
        lines.append(text)
    words = household_words(r)
    if words is not None:
        lines.append(f"      {words}")
    return lines


def group_lines(policy: CheckedPolicy | RunView, given: Mapping[str, Any] | None) -> list[str]:
    """`["家庭成员 3 人: 王芳（申请人）、李强（配偶）、李小明（子女）"]` for a case of a policy
    with a group (the answer's line under the header), else []; a group of things (neither a
    家庭 nor a 户) counts its members in its `counted` measure (`购置机具 2 台: 拖拉机（机具）、…`,
    `供养亲属 3 人: …`), in 人 when it does not say, as `count(…)` does."""
    group = policy.people.group
    members = getattr(given, "members", ())
    if not group or not members:
        return []
    named = "、".join(f"{m.name}（{m.role}）" for m in members)
    if "家" in group or "户" in group:  # a household's members are people
        return [f"{group}成员 {len(members)} 人: {named}"]
    # `group 供养亲属 counted 人`, `group 购置机具 counted 台`; a group that does not say is
    # counted in 人, as `count(…)` counts it (warned at check: group-uncounted)
    return [f"{group} {len(members)} {policy.people.counted}: {named}"]


def member_brief(r: RuleResult) -> list[str]:
    """The answer's one line of a rule paid `each` member: each member, role and outcome, without
    the reasons (`--all` gives them): `各成员: 张大爷（申请人） 100元；张大娘（配偶） 不适用`;
    when a cap for the whole case cut their total, `各成员（各自标准）: …` and the household's
    line (`household_words`)."""
    if not r.members:
        return []
    parts = []
    for m in r.members:
        shown = ""
        if m.status == "applies" and m.amount is not None:
            shown = _money(m.amount) + _before(r, m)
        parts.append(f"{m.member}（{m.role}） {shown or _WORDS.get(m.status, m.status)}")
    words = household_words(r)
    if words is None:
        return ["      各成员: " + "；".join(parts)]
    return ["      各成员（各自标准）: " + "；".join(parts), f"      {words}"]


def _before(r: RuleResult, m: Any) -> str:
    """What a member asked before a cap cut its amount: `（核减前 2800元）` where a cap shared
    by several rules cut the rule (runtime/amounts.py shares the cut among its members),
    `（封顶前 …）` where the member's own cap did; "" where nothing was cut."""
    if m.uncapped is None or m.amount is None or m.uncapped == m.amount:
        return ""
    cut_by_share = r.shared is not None and r.shared.after != r.shared.before
    return f"（{'核减前' if cut_by_share else '封顶前'} {_money(m.uncapped)}）"


def _money(q: Quantity) -> str:
    return format_quantity(q)


def in_totals(r: RuleResult) -> bool:
    """Whether the rule's amount counts in the evaluated period's own total: not a year's
    amount (`per 年`) in a month's case, which has a total of its own (`total_period`)."""
    return not (r.info.period == "year" and r.periods is not None)


# One rule for every total (docs/language.md §5 "Periods"): amounts of different periods are
# never added. A rule without `per` is paid once; a `per 月` amount in a month's case is a
# month's; a `per 月` rule in a year's case adds its twelve months, and a `per 年` amount is a
# year's (in a month's case too: the year's amount, never added to the month's money).
TOTAL_SUFFIX = {"once": "", "month": "/月", "year": "/年"}
TOTAL_WORDS = {"once": "一次性", "month": "每月", "year": "每年"}


def total_period(r: RuleResult) -> str:
    """ "once", "month" or "year": the period the amount of `r` is for, which its total is
    kept by."""
    if r.info.period == "month":
        return "month" if r.periods is None else "year"
    return "year" if r.info.period == "year" else "once"


def total_key(unit: str, period: str) -> str:
    """The key a total is kept and written under: the amount's measure (`元`), with the
    period of a recurring amount after it (`元/月`, `元/年`) — `period` "once", "month" or
    "year" (`total_period`)."""
    return unit + TOTAL_SUFFIX[period]


def key_period(key: str) -> str:
    """`total_key`'s period back from a key: "month" for `元/月`, "year" for `元/年`, else
    "once"."""
    for period, suffix in TOTAL_SUFFIX.items():
        if suffix and key.endswith(suffix):
            return period
    return "once"


def money_text(value: Decimal, unit: str) -> str:
    """A sum kept as a number and its measure (`unit` as JSON's Money names it: `元`, `美元`),
    written as every amount of every answer is (runtime `format_quantity`): `1000元`,
    `174.8元`, `1,198,000元（119.8万元）` — the one formatting of money for `run`'s text, the
    batch summary and the web form."""
    try:
        return format_quantity(Quantity.of(value, unit))
    except MeasureError:  # a measure only the policy declares: the number as the answer writes it
        return format_quantity(Quantity(value)) + unit


def key_total_text(key: str, value: Decimal, keys: Iterable[str]) -> str:
    """`total_text` of a total kept as a number under `key` (`元`, `元/月`): `每月 2800元`."""
    base = key.removesuffix(TOTAL_SUFFIX[key_period(key)])
    return total_text(key, money_text(value, base), keys)


def total_text(key: str, text: str, keys: Iterable[str]) -> str:
    """A total's words in a 合计 line among the totals `keys` of one flow and party:
    `每月 2,800元` for a recurring one, `一次性 75,600元` for a one-time one beside a
    recurring one, the amount's `text` alone when every total is one-time."""
    period = key_period(key)
    if period == "once" and all(key_period(k) == "once" for k in keys):
        return text
    return f"{TOTAL_WORDS[period]} {text}"


def period_label(r: RuleResult) -> str:
    """What period a rule's amount is for, after the amount: `（每月）`, `（每年）`,
    `（每月，2026年各月合计）` for a month's amount in a year's case, and
    `（每年：2026年的金额，不计入本期合计）` for a year's amount in a month's case; "" for a
    rule without `per`."""
    if r.amount is None:
        return ""
    return period_words(r.info.period, None if r.periods is None else [p[0] for p in r.periods])


def period_words(period: str, periods: list[str] | None) -> str:
    """`period_label` from a rule's `per` ("month", "year" or "") and the periods its amount
    is given by (None when it is the evaluated period's alone): the words after an amount, in
    `run`'s answer and on the web form's result page (from JSON `amount_per` and `periods`)."""
    if period not in ("month", "year"):
        return ""
    if periods is None:
        return "（每月）" if period == "month" else "（每年）"
    if period == "month":
        year = periods[0][:4] if periods else ""
        return f"（每月，{year}年各月合计）"
    year = periods[0] if periods else ""
    return f"（每年：{year}年的金额，不计入本期合计）"


def period_json(r: RuleResult) -> dict[str, Any]:
    """`{"amount_per": "month" | "year", "in_totals": bool}` for a rule with `amount … per`;
    `{"value_per": "month" | "year"}` for a decision with `decide … per`."""
    if r.info.period not in ("month", "year"):
        return {}
    if r.info.role == "decision":
        return {"value_per": r.info.period}
    return {"amount_per": r.info.period, "in_totals": in_totals(r)}


def explained_steps(steps: Sequence[Step]) -> list[Step]:
    """The steps `--explain` prints: all but the member headings that carry nothing
    (`bare_headings`). The steps themselves are left as they are (cli/member_why.py reads the
    members from them)."""
    bare = bare_headings([(step.text, step.line) for step in steps])
    return [step for at, step in enumerate(steps) if at not in bare]


def bare_headings(steps: Sequence[tuple[str, int]]) -> frozenset[int]:
    """The indexes in `steps` (text, line) of a member's heading (`成员 王芳（申请人）`, written
    before each member's own steps by runtime/people_ops.py) that no step of that member's
    follows — the next is the next member's heading or the summary `… = 是（计入: …）` at its
    line, or nothing: a line that says nothing the summary does not."""
    bare = set()
    for at, (text, line) in enumerate(steps):
        if not (text.startswith("成员 ") and text.endswith("）")):
            continue
        if at + 1 == len(steps):
            bare.add(at)
            continue
        after, after_line = steps[at + 1]
        if after_line == line and (after.startswith("成员 ") or "（计入: " in after):
            bare.add(at)
    return frozenset(bare)
