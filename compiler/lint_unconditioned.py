"""Lint: a rule that grants something to every case while its text states a condition
(`applies-to-every-case`).

"因病、因残等特殊情形的渐退期保障金额，由市民政局会同市财政局另行制定" restated as a rule with no
`when` and `amount unspecified` applies to every case: `check` said nothing and `run` counted it
among the rules "不随案情变化、始终适用" (newcomer report 15, item 5). A rule is warned about when

- it has no condition of its own: no `when`, no `reading`, no `valid_by`, no `follows`, and its
  amount, cap and limits read no input and test no reading (what `run` counts as standing:
  cli/answer.py `standing_rules`); an amount that reads an input (`0.2 元/单 × 发货量`) varies
  with the case and is left alone;
- it grants something: an amount (a number, `unspecified`, a range) or `grants` (a unit's duty
  without either is a standing duty, as the document means it);
- its source sentences (its own quotes, else its clause's) state a condition: a phrase of the
  kinds below, named in the warning (`因病、因残等特殊情形的`), or failing that a word that says
  there is one (条件, 情形, 对象), and the warning asks for "the condition the text gives".

A rule that is meant to hold for every case whose text reads as conditional (a standing
promise whose beneficiaries no case reports) silences it where it is written:
`# policyc: ignore[applies-to-every-case] reason`.
"""

from __future__ import annotations

import re
from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.i18n import _

_CLAUSE = r"[^，,。；;：:\s]"  # a character of one clause of a sentence: up to its punctuation

# Phrases that state who or what qualifies, tried in order; each match is the phrase named.
CONDITION_PHRASES = (
    re.compile(rf"对(?:于)?{_CLAUSE}{{2,40}}?的"),  # 对符合条件的家庭, 对在…有下列事迹之一的
    re.compile(rf"因{_CLAUSE}{{1,40}}?的"),  # 因病、因残等特殊情形的
    re.compile(rf"凡{_CLAUSE}{{1,40}}?的"),  # 凡在本市注册的企业
    re.compile(rf"符合{_CLAUSE}{{0,30}}?(?:条件|规定|标准|要求)的?"),  # 符合本细则规定条件的
    re.compile(rf"经{_CLAUSE}{{1,30}}?(?:认定|批准|审核|确认|评定)的?"),  # 经县级民政部门认定的
    re.compile(rf"(?:如果|如|若){_CLAUSE}{{2,40}}?[，,]"),  # 如申请人死亡，
    re.compile(rf"对(?:于)?{_CLAUSE}{{2,40}}?(?=[，,])"),  # 对服装电商企业,
    re.compile(rf"(?:^|(?<=[，,。；;：:\s])){_CLAUSE}{{2,40}}?的(?=[，,])"),  # 购置农业机械的，
)
# Words saying that a condition exists where no phrase above delimits it.
CONDITION_WORDS = re.compile(r"条件|情形|对象|下列")


def stated_condition(text: str) -> str | None:
    """The condition a source sentence states: the first phrase found (`因病、因残等特殊情形的`,
    `对服装电商企业`), "" when only a word says there is one (条件, 情形, 对象, 下列), None when
    it states none."""
    for pattern in CONDITION_PHRASES:
        found = pattern.search(text)
        if found:
            return found.group(0).rstrip("，,")
    return "" if CONDITION_WORDS.search(text) else None


def _has_condition(linter: Any, rule: n.Rule) -> bool:
    """Whether anything about the case decides whether `rule` applies, or how much."""
    if rule.whens or rule.readings or rule.valid_by is not None or rule.follows:
        return True
    if rule.apply_by is not None:  # the case's application date decides it (review 17)
        return True
    exprs = list(linter.rule_expressions(rule))
    if rule.amount_range is not None:
        exprs += [rule.amount_range.low, rule.amount_range.high]
    if any(isinstance(node, n.ReadingIs) for expr in exprs for node in n.walk(expr)):
        return True
    return bool(linter.policy.inputs_of(exprs))


def _grants(rule: n.Rule) -> bool:
    return rule.amount is not None or rule.amount_range is not None or bool(rule.grants)


def check_unconditioned(linter: Any) -> None:
    """Warn at each rule that grants something to every case while its text states a
    condition (see the module's docstring)."""
    for owner, rule in linter.file.all_rules():
        if not _grants(rule) or _has_condition(linter, rule):
            continue
        quotes = rule.quotes or getattr(owner, "quotes", ())
        conditions = [c for c in (stated_condition(q.text) for q in quotes) if c is not None]
        if not conditions:
            continue
        named = next((c for c in conditions if c), "")
        if named:
            message = _(
                "rule `{rule}` has no condition and reads no input, so it applies to every "
                "case, but its text states one: `{condition}`; add it as a `when`"
            ).format(rule=rule.name.text, condition=named)
        else:
            message = _(
                "rule `{rule}` has no condition and reads no input, so it applies to every "
                "case: add the condition the text gives"
            ).format(rule=rule.name.text)
        linter.warn("applies-to-every-case", rule.name.span, message)
