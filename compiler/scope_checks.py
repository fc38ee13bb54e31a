"""What may follow `per` in a rule's `cap` and `once` and in a shared cap's `limit`.

A case is one beneficiary (an enterprise, a person, a household, a project) in one period; the
rule's cap is applied once per case, and `once` pays once per case. The words after `per`
say which: a period (`per 年`, `per 月`) or what one case is. They never multiply the cap, so
a word that reads as if they did is refused rather than silently applied once:

- `per 台` (a count measure, not one of the subjects below) — "单台最高不超过15万元" caps each
  machine, and a case with two machines would get one cap. Per item is written with a group:
  the items are members of a role, and the rule is `each ROLE`, its cap applied per member.
- `per 人` where the rule's amount reads an input counted in 人 (the case counts several
  persons: `500 元/人 × 人数`).
- a role of the policy's group outside an `each` rule of that role.
- any other word (`per 乱七八糟`).

Accepted: 年/月 (year/month); 日 with `of INPUT by reading …` (compiler/daily_caps.py); one
of `SUBJECTS`; the group's name; the rule's own `beneficiary` label; in an `each ROLE` rule
the role, `members`/`成员` and any count measure (each member is one item) — except the words
for the whole case (`户`, `家庭`, the group's name, `企业` …: compiler/case_caps.py), whose cap
bounds the members' total once.

`check_scopes(checker)` reports through the checker's `error`; nothing raises.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.case_caps import check_case_cap
from policyc.compiler.daily_caps import DAY_WORDS, check_daily_cap, daily_of
from policyc.compiler.daily_caps import example as daily_example
from policyc.compiler.errors import Span
from policyc.compiler.group_checks import ALL_MEMBERS
from policyc.compiler.i18n import _
from policyc.compiler.subjects import SUBJECTS
from policyc.runtime.quantity import COUNTS

PERIODS = ("年", "月", "year", "month")


def check_scopes(checker: Any) -> None:
    """Every `cap … per`, `once per` and shared `limit … per` word of the policy."""
    for _owner, rule in checker.file.all_rules():
        if rule.cap is not None:
            _check_words(checker, rule, rule.cap.scopes, rule.cap.scope_spans, rule.cap.span)
            check_case_cap(checker, rule)  # `per 户` in an `each` rule: compiler/case_caps.py
            check_daily_cap(checker, rule)  # `per 日 of 停放时长 by reading …`
        if rule.once:  # `once per 人` beside a rate per 人 is the lint's (`once-per-counted`)
            _check_words(checker, rule, rule.once, rule.once_spans, rule.span, counted=False)
    for cap in checker.file.shared_caps:
        _check_words(checker, None, cap.scopes, cap.scope_spans, cap.span)


def _check_words(
    checker: Any,
    rule: n.Rule | None,
    words: Sequence[str],
    spans: Sequence[Span],
    at: Span,
    counted: bool = True,
) -> None:
    for i, word in enumerate(words):
        span = spans[i] if i < len(spans) else at
        message = _refusal(checker, rule if counted else None, word, rule)
        if message is not None:
            checker.error(span, message[0], message[1])


def _refusal(
    checker: Any, counted_in: n.Rule | None, word: str, rule: n.Rule | None
) -> tuple[str, str] | None:
    """(message, what is expected) for a scope word that is refused, else None; a count that is
    also a subject (人, 户) is refused where `counted_in` reads an input counted in it."""
    each = rule.each.text if rule is not None and rule.each is not None else None
    roles = checker.people.role_names()
    if word in PERIODS or (checker.people.group and word == checker.people.group):
        return None  # the group's own name is one case (an `each` rule: compiler/case_caps.py)
    if each is not None and (word == each or word in ALL_MEMBERS or word in COUNTS):
        return None
    expected = _expected(rule)
    if word in roles or word in ALL_MEMBERS:
        return (
            _(
                "`per {word}` names members of the group, but the rule is not paid each "
                "member: its cap would bound the whole case once"
            ).format(word=word),
            _("`each {word}` in the rule, so that its cap bounds each member").format(
                word=word if word in roles else "members"
            ),
        )
    if word in SUBJECTS or (rule is not None and word == rule.beneficiary):
        counted = _counted_input(checker, counted_in, word) if word in COUNTS else None
        if counted is None:
            return None
        return (
            _(
                "`per {word}`: the cap bounds the case once, but the case counts {word} "
                "(input `{input}`), so it is not one {word}: a cap per {word} caps each "
                "{word}"
            ).format(word=word, input=counted),
            _per_beneficiary(word, rule.beneficiary)
            if rule is not None and rule.beneficiary and rule.beneficiary != word
            else _per_item(word),
        )
    if word in COUNTS:
        return (
            _(
                "`per {word}`: a cap is applied once per case, and a case is not one {word}: "
                "a cap per {word} caps each {word}"
            ).format(word=word),
            _per_item(word),
        )
    a_cap = counted_in is not None or rule is None  # not `once per` (counted=False)
    if a_cap and word in DAY_WORDS:  # 每日最高20元: compiler/daily_caps.py
        if rule is not None and daily_of(rule) is not None:
            return None
        return (
            _(
                "`per {word}`: a day over a stay has two readings, every 24 hours "
                "(每满24小时为一日) or each calendar day the stay touches; the policy declares "
                "the reading it takes"
            ).format(word=word),
            _(
                "{example} beside `reading 每日 {{ … take 满24小时 … }}` (calendar_day needs the "
                "times of day, which policyc has not: it may be an option, not the one taken)"
            ).format(example=daily_example()),
        )
    if a_cap and word in ("周", "小时", "week", "hour"):
        return (
            _(
                "`per {word}`: a cap's period is 年 or 月 only; a cap per {word} has no reading "
                "yet (a case is not one {word})"
            ).format(word=word),
            _(
                "`cap 20 元` without `per`, each case being one {word}'s (a stay of several "
                "{word} given as one case for each)"
            ).format(word=word),
        )
    return (
        _(
            "`per {word}` is not a scope policyc knows: the words after `per` say the period "
            "and what one case is; the cap is applied once per case"
        ).format(word=word),
        expected,
    )


def _per_beneficiary(word: str, beneficiary: str) -> str:
    """A rule paying one beneficiary (a founder) whose amount counts other 人 (those it employs):
    the cap is per that beneficiary, not per member of a group."""
    return _(
        "`per {beneficiary}`, the rule's beneficiary, when one case pays one {beneficiary} (the "
        "{word} the case counts are others); or, to cap each {word}, a rule `each ROLE` whose "
        "members are the {word}"
    ).format(word=word, beneficiary=beneficiary)


def _per_item(word: str) -> str:
    return _(
        "a rule `each ROLE` whose members are the {word} (`group NAME {{ role ROLE many }}`, "
        "`input … per member`): its cap then bounds each {word}"
    ).format(word=word)


def _expected(rule: n.Rule | None) -> str:
    words = "、".join(SUBJECTS)
    if rule is not None and rule.beneficiary:
        return _(
            "a period (年, 月), the rule's beneficiary `{beneficiary}`, or one of {words}"
        ).format(beneficiary=rule.beneficiary, words=words)
    return _("a period (年, 月) or one of {words}").format(words=words)


def _counted_input(checker: Any, rule: n.Rule | None, word: str) -> str | None:
    """An input in the count `word` that the rule's amount or cap reads, if any."""
    if rule is None:
        return None
    for name in sorted(_read_names(checker, rule)):
        info = checker.inputs.get(name)
        measure = getattr(info, "measure", None)
        if measure is not None and measure.dims == ((word, 1),):
            return name
    return None


def _read_names(checker: Any, rule: n.Rule) -> set[str]:
    """What the rule's amount and cap read (through defines and decides). Its conditions are
    left out: `when 员工人数 50 人 以上` tests the enterprise of the one person the case is."""
    exprs: list[n.Expr] = []
    if isinstance(rule.amount, n.Expr):
        exprs.append(rule.amount)
    if rule.cap is not None:
        exprs.append(rule.cap.amount)
    seen: set[str] = set()
    todo = list(_refs(exprs))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        define = checker.defines.get(name)
        if define is not None:
            todo.extend(_refs([define.expr]))
    return seen


def _refs(exprs: Sequence[n.Expr]) -> Iterator[str]:
    for expr in exprs:
        for node in n.walk(expr):
            if isinstance(node, n.Ref):
                yield node.name
