"""Checks of `choose highest of A, B, C quote "…"` (language.md "One of several rules paid: the
highest"): the rules exist, each is listed once and in one choice only, there are two or more,
each has one amount for the case the choice can rank (not `amount unspecified`, not paid each
member), and they are alike — one `kind`, one period (all `amount … per 月`, all `per 年`, or
all paid once), one measure, all exact amounts or all ranges — so that "the highest" means one
thing. The beneficiary word is not compared: a rule not paid `each` member is paid to the
case's own applicant, whatever the word (残疾人, 老年人).
What passes becomes a `ChoicePlan` (runtime/choices.py) with each rule's amount where it is
known without a case (a literal amount or range), which lets an undetermined rule be ruled out.
"""

from __future__ import annotations

from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.checked import constant
from policyc.compiler.errors import did_you_mean
from policyc.compiler.group_checks import PERIOD_WORDS
from policyc.compiler.i18n import _
from policyc.runtime.choices import ChoicePlan, Ends


def check_choices(checker: Any) -> tuple[ChoicePlan, ...]:
    """Every `choose` of the file, checked (errors through `checker.error`), as plans."""
    rules = {rule.name.text: rule for _, rule in checker.file.all_rules()}
    chosen_in: dict[str, int] = {}  # rule -> the line of the choice that lists it
    plans: list[ChoicePlan] = []
    for choice in checker.file.choices:
        checker.check_quote(choice.quote)
        members = _members(checker, choice, rules, chosen_in)
        if len(choice.members) < 2:
            checker.error(
                choice.span,
                _("a choice weighs two rules or more; this one lists {count}").format(
                    count=len(choice.members),
                ),
                _("`choose highest of RULE, RULE, …`"),
            )
            continue
        if len(members) == len(choice.members) and _alike(checker, members):
            fixed = tuple(_fixed(checker, rule) for _, rule in members)
            names = tuple(rule.name.text for _, rule in members)
            plans.append(ChoicePlan(names, choice.quote.text, choice.span.line, fixed))
    return tuple(plans)


def _members(
    checker: Any, choice: n.Choice, rules: dict[str, n.Rule], chosen_in: dict[str, int]
) -> list[tuple[n.Name, n.Rule]]:
    """The rules a choice lists that exist, have an amount it can rank and are in no other."""
    found: list[tuple[n.Name, n.Rule]] = []
    seen: set[str] = set()
    for name in choice.members:
        rule = rules.get(name.text)
        if rule is None:
            checker.error(
                name.span,
                _("unknown rule `{member_name}`{hint}").format(
                    member_name=name.text,
                    hint=did_you_mean(name.text, list(rules)),
                ),
            )
            continue
        if name.text in seen:
            checker.error(
                name.span,
                _("rule `{name}` is listed twice in this choice").format(name=name.text),
            )
            continue
        seen.add(name.text)
        if name.text in chosen_in:
            checker.error(
                name.span,
                _("rule `{name}` is already in the choice of line {line}").format(
                    name=name.text, line=chosen_in[name.text]
                ),
                _("one choice per rule"),
            )
            continue
        chosen_in[name.text] = choice.span.line
        if isinstance(rule.amount, n.Unspecified):
            checker.error(
                name.span,
                _(
                    "rule `{name}` has no amount the text states (`amount unspecified`): a "
                    "choice cannot tell whether it is the highest"
                ).format(name=name.text),
            )
            continue
        if rule.amount is None and rule.amount_range is None:
            checker.error(
                name.span,
                _("rule `{name}` has no amount: a choice keeps the rule with the largest").format(
                    name=name.text
                ),
            )
            continue
        if rule.each is not None:
            # What would be kept is unclear (each member's highest? the household's?), and the
            # members' own amounts would still be shown: refused, not guessed.
            checker.error(
                name.span,
                _(
                    "rule `{name}` is paid each member of `{role}`: a choice weighs one amount "
                    "for the case's own applicant"
                ).format(name=name.text, role=rule.each.text),
                _(
                    "rules paid once to the applicant, or all paid per one period "
                    "(`amount … per 月`)"
                ),
            )
            continue
        found.append((name, rule))
    return found


def _alike(checker: Any, members: list[tuple[n.Name, n.Rule]]) -> bool:
    """One kind, one period (all `per 月`, all `per 年` or none), one measure, all exact or all
    ranges (errors at each rule that differs from the first)."""
    first_name, first = members[0]
    ok = True

    def differs(name: n.Name, what: str, value: str, first_value: str) -> None:
        nonlocal ok
        ok = False
        checker.error(
            name.span,
            _(
                "rule `{name}`: its {what} is {value}, that of `{first}` {first_value}; the "
                "rules of a choice are alike, so that the highest means one thing"
            ).format(
                name=name.text,
                what=what,
                value=value,
                first=first_name.text,
                first_value=first_value,
            ),
        )

    for name, rule in members[1:]:
        if rule.kind != first.kind:
            differs(name, _("kind"), f"`{rule.kind}`", f"`{first.kind}`")
        # The beneficiary word is not compared: a rule not paid `each` member is paid to the
        # case's own applicant, whatever the word (残疾人, 老年人); the kind keeps paid apart
        # from payable (补贴 against 罚款).
        if _period(rule) != _period(first):
            ok = False
            checker.error(
                name.span,
                _(
                    "rule `{name}` is paid {how}, `{first}` {first_how}: an amount per period "
                    "and one paid once (or per another period) are neither higher nor lower "
                    "than each other"
                ).format(
                    name=name.text,
                    how=_paid_how(rule),
                    first=first_name.text,
                    first_how=_paid_how(first),
                ),
                _("every rule of a choice `per {period}`, or none").format(
                    period=(rule.period or first.period).text  # type: ignore[union-attr]
                ),
            )
        if (rule.amount_range is None) != (first.amount_range is None):
            differs(name, _("amount"), _shape(rule), _shape(first))
            continue
        own, theirs = checker.rule_types.get(name.text), checker.rule_types.get(first_name.text)
        if own is not None and theirs is not None and own != theirs:
            differs(name, _("amount"), own.describe(), theirs.describe())
    return ok


def _period(rule: n.Rule) -> str:
    """The period of `amount … per 月` as a word of one meaning (月 and month alike)."""
    if rule.period is None:
        return ""
    return PERIOD_WORDS.get(rule.period.text, rule.period.text)


def _paid_how(rule: n.Rule) -> str:
    if rule.period is None:
        return _("once")
    return _("per {period}").format(period=rule.period.text)


def _shape(rule: n.Rule) -> str:
    return _("a range") if rule.amount_range is not None else _("one amount")


def _fixed(checker: Any, rule: n.Rule) -> Ends | None:
    """The rule's amount whatever the case (low, high), as the choice ranks it (after its
    rounding), where it is written as literals with no cap; else None."""
    if rule.cap is not None:
        return None
    if rule.amount_range is not None:  # a range is not rounded (runtime/amounts.py)
        low, high = constant(rule.amount_range.low), constant(rule.amount_range.high)
        return (low, high) if low is not None and high is not None else None
    if not isinstance(rule.amount, n.Expr):
        return None
    amount = constant(rule.amount)
    if amount is None:
        return None
    rounding = checker.roundings.get(rule.name.text)
    if rounding is not None:
        amount = rounding.apply(amount)
    return amount, amount
