"""What `run` says of households and periods (issue 12): the period evaluated, and each
member's outcome under a rule paid `each` member of a role.

JSON: the document gains `"period": "2017-01"` (the case's period, else the month of its
evaluation date) for a policy with a group or inputs per period; a rule paid each member gains
`"members": [{"member", "role", "status", "reason", "amount": Money|null, "uncapped":
Money|null, "missing": [str], "value"}]`, its `amount` being their sum (a value decided per
member: each member's `value`); a rule whose amount is a month's, in a year's case, gains
`"periods": [{"period": "2017-01", "status", "amount": Money|null}, …]`, its amount their sum.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from policyc.compiler.checker import CheckedPolicy
from policyc.runtime.evaluation import RuleResult, show_value
from policyc.runtime.quantity import Quantity, format_quantity

_WORDS = {
    "applies": "适用",
    "not_applicable": "不适用",
    "undetermined": "无法判定",
    "decided": "判定",
}


def evaluated_period(
    policy: CheckedPolicy, given: Mapping[str, Any] | None, on: date
) -> str | None:
    """The period a case of `policy` is evaluated for, or None for a policy without periods
    or groups."""
    people = policy.people
    if not (people.group or people.periods):
        return None
    period = getattr(given, "period", None)
    return period if period is not None else f"{on.year:04d}-{on.month:02d}"


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


def periods_json(r: RuleResult, money: Any) -> list[dict[str, Any]] | None:
    """A month's amount in a year's case (or a year's in a month's): each period's outcome."""
    if r.periods is None:
        return None
    return [
        {"period": period, "status": status, "amount": money(amount)}
        for period, status, amount in r.periods
    ]


def member_lines(r: RuleResult) -> list[str]:
    """One line per member: `· 李小明（子女）: 适用 200元`."""
    lines = []
    for period, status, amount in r.periods or ():
        shown = f" {_money(amount)}" if amount is not None else ""
        lines.append(f"      · {period}: {_WORDS.get(status, status)}{shown}")
    for m in r.members or ():
        text = f"      · {m.member}（{m.role}）: {_WORDS.get(m.status, m.status)}"
        if m.amount is not None:
            text += f" {_money(m.amount)}"
        if m.value is not None:
            text += f" {show_value(m.value)}"
        if m.reason:
            text += f" — {m.reason}"
        lines.append(text)
    return lines


def _money(q: Quantity) -> str:
    return format_quantity(q)
