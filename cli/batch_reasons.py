"""The reason column of a batch's results file: per case and rule, why the rule gives no amount,
in the words `run`'s answer uses (cli/report.py STATUS_WORDS, `unspecified_word`), shortened to
the status where the query evaluated the rule: it keeps a row's status, not the condition that
failed or the inputs missing.

`{rule}.reason` is null where the rule applies with its amount (or applies granting no sum), and
otherwise one of: 不适用 (a condition does not hold; a rule the per-case path evaluated says
which, as `run` does: `不适用：申请日期2026年9月1日晚于申请截止2026年8月31日（…），逾期申请`),
待定：还需要输入 (an input the row leaves empty could change it), 无法判定：所需日期不在工作日历内
(a day the official calendar of working days does not know, refused as `run` refuses it),
金额未规定 / 数额未规定 (it applies, the document gives no amount), 不在有效期内, 已领取. A rule
evaluated case by case gives what `run` says of a `choose highest of …` that leaves its amount
out (`就高不重复: 只按金额最高的「…」计，本项 80元（每月） 不计入`: cli/choice_report.py), the
query never holding such a rule.
"""

from __future__ import annotations

from policyc.choice_report import choice_words
from policyc.compiler.batch import STATUSES, BatchRule, literal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from policyc.runtime.evaluation import RuleResult

__all__ = ["REASON_WORDS", "REFUSED_WORDS", "reason_sql", "result_reason"]

# Status → the reason a rule in that status gives no amount (None: it applies, nothing to say).
REASON_WORDS: dict[str, str | None] = {
    "applies": None,
    "unspecified": "金额未规定",
    "not_applicable": "不适用",
    "undetermined": "待定：还需要输入",
    "not_in_force": "不在有效期内",
    "already_received": "已领取",
}
# An undetermined rule the per-case path refused: its condition, amount or value needs a day
# the official calendar does not know (runtime/deadlines.py `rule_unknown_words`, shortened).
REFUSED_WORDS = "无法判定：所需日期不在工作日历内"
# A kind with no flow (`kind 利率`) left unspecified gives a figure, not a sum of money
# (cli/report.py `unspecified_word`).
UNSPECIFIED_FIGURE = "数额未规定"


def status_reason(status: str, flow: str) -> str | None:
    """The reason of a rule in `status` whose amount goes `flow` (compiler/checked.py
    `amount_flow`, "" for none); None where it applies."""
    if status == "unspecified" and not flow:
        return UNSPECIFIED_FIGURE
    return REASON_WORDS.get(status)


def result_reason(result: RuleResult) -> str | None:
    """The reason of one case's result evaluated case by case: refused (a day the calendar
    lacks), left out by a choice (`run`'s sentence), not applicable with `run`'s reason (a late
    application, the condition that failed: the per-case path has it, the query does not),
    else its status's (`status_reason`)."""
    if result.refused and not result.due:
        return REFUSED_WORDS
    if result.choice is not None and result.amount is None:
        said = choice_words(result)
        if said:
            return said
    if result.status == "not_applicable" and result.reason:
        return f"{REASON_WORDS['not_applicable']}：{result.reason}"
    return status_reason(result.status, result.info.flow)


def reason_sql(rule: BatchRule, flow: str, per_case: str | None) -> str:
    """The SQL of `rule`'s reason over the results row `r`: a CASE on its status column
    `r.s{index}`, NULL where it applies; `per_case` names the text column the per-case path
    wrote the reason in (`result_reason`, '' for none), None where the query evaluated it."""
    if per_case is not None:
        return f"NULLIF(r.{per_case}, '')"
    arms = [
        f"WHEN r.s{rule.index} = {STATUSES.index(status)} THEN {literal(words)}"
        for status in REASON_WORDS
        if (words := status_reason(status, flow)) is not None
    ]
    return f"CASE {' '.join(arms)} END"
