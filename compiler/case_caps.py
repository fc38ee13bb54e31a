"""A cap for the whole case on a rule paid `each` member: "分别享受补贴，每户每月合计不超过800元".

In an `each ROLE` rule the cap normally bounds each member (`cap 300 元 per 人`, `per ROLE`,
`per members`, a count such as `per 台`). When a word after `per` names the whole case instead —
the group's own name (`家庭`) or a word for one case that is not one person (`户`, `家庭`, `企业`,
`项目` …: `CASE_WORDS`) — the cap bounds the members' total once for the case: each member's
amount is worked out and shown uncapped, and the rule's amount is their sum capped
(600 元 + 500 元 = 1100 元 → 800 元; exactly 800 元 stays 800 元).

`case_cap(rule, group)` says which; the code generator passes such a cap to
`Ctx.each_member(…, case_cap=…)` (runtime/people_ops.each_member) instead of capping each
member. Plain data, no imports of the checker.
"""

from __future__ import annotations

from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.i18n import _
from policyc.compiler.subjects import SUBJECTS

# The words for one whole case that are not one person: a cap `per` one of them on an `each`
# rule bounds the members' total. 人, 个人 and 申请人 keep meaning each member.
CASE_WORDS: tuple[str, ...] = tuple(w for w in SUBJECTS if w not in ("人", "个人", "申请人"))


def case_cap(rule: n.Rule, group: str) -> bool:
    """Whether `rule` is paid `each` member and its cap names the whole case (`per 户`,
    `per 家庭`, `per GROUP`): then the cap bounds the members' total once, not each member."""
    if rule.each is None or rule.cap is None:
        return False
    each = rule.each.text
    return any(
        word != each and (word in CASE_WORDS or (group and word == group))
        for word in rule.cap.scopes
    )


def check_case_cap(checker: Any, rule: n.Rule) -> None:
    """A cap for the whole case is one amount for the case: it may not read a member's value
    (`cap 50% of 销售价格 per 户`: whose price?); reported through `checker.error`."""
    from policyc.compiler.group_checks import reads_a_member

    if not case_cap(rule, checker.people.group) or rule.cap is None:
        return
    if reads_a_member(checker, rule.cap.amount):
        checker.error(
            rule.cap.amount.span,
            _(
                "a cap `per {word}` bounds the members' total once for the case: it cannot read "
                "a value of each member"
            ).format(
                word=next(w for w in rule.cap.scopes if w not in ("年", "月", "year", "month"))
            ),
            _("an amount for the whole case, or a cap per member (`per 人`)"),
        )
