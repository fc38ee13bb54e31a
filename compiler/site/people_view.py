"""What the site shows of households and periods (issue 12): the group's roles, and beside each
input whether it is given per member, per month or per year, and whether its months add up."""

from __future__ import annotations

from collections.abc import Mapping

from policyc.compiler import nodes as n
from policyc.compiler.group_checks import People
from policyc.compiler.render import counted_word, render
from policyc.compiler.site.markdown import md
from policyc.compiler.site.views import GroupView
from policyc.runtime.each_limits import order_words
from policyc.runtime.quantity import COUNTS


def group_view(file: n.PolicyFile) -> GroupView | None:
    """The policy's group and its roles with how many members each may have, or None."""
    if not file.groups:
        return None
    group = file.groups[0]
    roles = []
    for role in group.roles:
        if role.most is None:
            count = "若干（可以没有）"
        elif role.least:
            count = "一人"
        else:
            count = f"至多 {role.most} 人"
        roles.append((md(role.name.text), count, md(role.description) or "—"))
    return GroupView(md(group.name.text), tuple(roles))


def people_words(people: People, name: str) -> str:
    """`，每位成员，按月（可逐月相加）` for 月收入: appended to the input's type."""
    words = []
    if name in people.member_inputs:
        words.append("每位成员")
    period = people.period_of.get(name)
    if period is not None:
        words.append("按月" if period == "month" else "按年")
        if name in people.flows:
            words.append("可逐月相加" if period == "month" else "可按月均分")
    return "，" + "，".join(words) if words else ""


def classifier(rule: n.Rule) -> str:
    """The measure word for one member of an `each` rule: 位 for people, or the count its cap is
    per (`cap 15 万元 per 台` over machines: 每台机具, not 每位机具)."""
    from policyc.compiler.case_caps import CASE_WORDS  # `per 户`: the household, not a member

    if counted_word() != "人":  # `group 购置机具 counted 台` (the site is built `counting` it)
        return counted_word()
    scopes = rule.cap.scopes if rule.cap is not None else ()
    return next((s for s in scopes if s in COUNTS and s != "人" and s not in CASE_WORDS), "位")


def example_note(rule: n.Rule) -> str:
    """After a worked example's amount: `（本例各位子女合计，每月）`, `（每年）`; "" for a rule paid
    once for the case and to no member in particular."""
    parts = []
    if rule.each is not None:
        role = rule.each.text
        who = "家庭成员" if role in ("members", "成员") else role
        parts.append(f"本例各{classifier(rule)}{who}合计")
    period = amount_words(n.Rule(rule.name, period=rule.period))
    if period:
        parts.append(period)
    return f"（{'，'.join(parts)}）" if parts else ""


def amount_words(rule: n.Rule) -> str:
    """Whom and which period a rule's amount is for, as a citizen reads it before the amount:
    `每位子女每月` (`each 子女`, `amount … per 月`), `每位家庭成员`, `每年`; "" for a rule paid
    once for the case."""
    words = ""
    if rule.each is not None:
        role = rule.each.text
        words += "每位家庭成员" if role in ("members", "成员") else f"每{classifier(rule)}{role}"
    period = rule.period.text if rule.period is not None else ""
    if period in ("月", "month"):
        words += "每月"
    elif period in ("年", "year"):
        words += "每年"
    return words


def limit_words(
    limit: n.EachLimit, readings: Mapping[str, n.ReadingDecl], dates: frozenset[str] = frozenset()
) -> str:
    """An `each … at_most …` as the site says it: `至多 2台（含已享受的本年已享受补贴台数）；
    符合条件的多于可享受的时，按读法「机具先后」（采用 价高者先）: 价高者先: 按销售价格从高到低；
    申请顺序: 按案例所列顺序，并列时按案例所列顺序`; an order by a date (a name in `dates`) reads
    `按出生日期从早到晚`."""
    most = f"{limit.most.number}{limit.most.measure}"
    text = f"至多 {most}"
    if limit.less is not None:
        text += f"（含已享受的{md(render(limit.less))}）"
    if limit.order is not None:
        order = "按" + _order_words(limit.order, dates)
    else:
        assert limit.reading is not None
        name = limit.reading.text
        decl = readings.get(name)
        taken = f"（采用 {md(decl.take.text)}）" if decl is not None else ""
        options = "；".join(
            f"{md(option.text)}: 按{_order_words(order, dates)}" for option, order in limit.options
        )
        order = f"按读法「{md(name)}」{taken}: {options}"
    return f"{text}；符合条件的多于可享受的时，{order}，并列时按案例所列顺序"


def _order_words(order: n.EachOrder, dates: frozenset[str]) -> str:
    if order.key is None:
        return "案例所列顺序"
    key = order.key.text
    return md(order_words(key, order.descending, key in dates))
