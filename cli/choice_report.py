"""How a `choose highest of …` treated a result, as the answer, `--all`, JSON and the web form
say it (runtime/choices.py decides it).

One sentence (`choice_words`), the same everywhere:
- kept among several: `就高不重复: 同时适用 A、B，按金额最高的本项计`;
- not kept: `就高不重复: 只按金额最高的「B」计，本项 500元至800元 不计入` (a rule `amount … per 月`:
  `本项 60元（每月） 不计入`);
- undetermined (the highest applying, waiting on C):
  `就高不重复: 本项 800元至1500元，是否按本项计待 C 确定`; applying below it:
  `另有金额更高（或相同而列在前）的一项，本项 500元至800元 不计入（按哪一项计，待 C 确定）`;
- undetermined, and not paid whatever it turns out:
  `就高不重复: 已按「B」计，本项无论是否适用均不计入`
  (`另有金额更高（或相同而列在前）的一项，…` while B waits);
- on a tie, the first listed is kept: `与「A」金额相同，按所列第一项「A」计，本项 10万元 不计入`,
  and for A `同时适用 A、B，金额相同，按所列第一项即本项计`;
- kept alone (no other listed rule applies): nothing to say (None);
- rules paid per period in a case of several periods (`period: 2026` for `per 月` rules):
  weighed period by period; when one rule is the highest in every period, as above, its amount
  the periods' sum (`本项 720元（每月，2026年各月合计） 不计入`); when the highest differs between
  periods, each rule is paid the periods it is highest in:
  `就高不重复: 逐期按金额最高的一项计（2026-01 至 2026-05「A」；2026-06 至 2026-12「B」），本项只计
  2026-01 至 2026-05` (`本项各期均不计入` for a rule highest in none); while an undetermined
  rule could be some period's highest, not paid: the result's reason.

JSON (after a result's other fields, only for a rule a choice weighed):
    "choice": {"kept": str|null, "paid": bool, "among": [str], "quote": str,
               "before": {"low": Money, "high": Money}|null, "tie": bool, "out": bool,
               "pending": [str], "text": str|null}
`kept` is the rule paid (null while undetermined), `paid` whether this rule is it, `among` the
listed rules that apply (and, undetermined, those that could be kept), `before` this rule's
amount before the choice (an exact amount has equal ends), `tie` whether the rule kept was
kept as the first listed of equal amounts, `out` whether this rule is not paid whatever the
inputs still missing say, `pending` the undetermined rules that could still be kept (the kept
one waits on them), `text` the sentence above. When the highest rule differs between the
case's periods, `kept` is null and the object adds
"by_period": [{"from": period, "to": period, "kept": str}], the rule paid in each run of
periods; `paid` is then whether this rule is paid in some period.
"""

from __future__ import annotations

from collections.abc import Callable

from policyc.runtime.choices import ends_text
from policyc.runtime.evaluation import RuleResult

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["choice_json", "choice_lines", "choice_words"]

# After an amount of a rule `amount … per 月` (`per 年`), as cli/people_report.py's period_label.
_PER = {"month": "（每月）", "year": "（每年）"}

# A rule ranked above this one, the kept one not known yet (a tie goes to the first listed).
_ABOVE = "另有金额更高（或相同而列在前）的一项"


def choice_words(r: RuleResult) -> str | None:
    """The sentence for `r` (see the module), or None when there is nothing to say."""
    chosen = r.choice
    if chosen is None:
        return None
    name = r.info.name
    if chosen.by_period:  # the highest differs between the case's periods: each pays its own
        spans = "；".join(
            f"{_span(first, last)}「{kept}」" for first, last, kept in chosen.by_period
        )
        mine = [_span(first, last) for first, last, kept in chosen.by_period if kept == name]
        tail = f"本项只计 {'、'.join(mine)}" if mine else "本项各期均不计入"
        return f"就高不重复: 逐期按金额最高的一项计（{spans}），{tail}"
    before = "本项"
    if chosen.before is not None:  # a monthly amount says so, as the result's own does
        before = f"本项 {ends_text(chosen.before)}{_per(r)} "
    if r.status == "undetermined":
        if not chosen.out and not chosen.pending:  # per period, in a case of several periods
            return r.reason
        if not chosen.out:  # the highest applying rule, waiting on those that could be higher
            pending = "、".join(chosen.pending)
            return f"就高不重复: {before.rstrip()}，是否按本项计待 {pending} 确定"
        if chosen.kept:
            return f"就高不重复: 已按「{chosen.kept}」计，本项无论是否适用均不计入"
        return f"就高不重复: {_ABOVE}，本项无论是否适用均不计入"
    if chosen.kept == name:
        if len(chosen.among) < 2:
            return None
        applying = "、".join(chosen.among)
        if chosen.tie:
            return f"就高不重复: 同时适用 {applying}，金额相同，按所列第一项即本项计"
        return f"就高不重复: 同时适用 {applying}，按金额最高的本项计"
    if not chosen.kept:
        pending = "、".join(chosen.pending)
        return f"就高不重复: {_ABOVE}，{before}不计入（按哪一项计，待 {pending} 确定）"
    if chosen.tie:
        kept = f"「{chosen.kept}」"
        return f"就高不重复: 与{kept}金额相同，按所列第一项{kept}计，{before}不计入"
    return f"就高不重复: 只按金额最高的「{chosen.kept}」计，{before}不计入"


def _span(first: str, last: str) -> str:
    return first if first == last else f"{first} 至 {last}"


def _per(r: RuleResult) -> str:
    """The words after an amount of a rule `per 月` (`per 年`), as the result's own: `（每月）`,
    or, weighed over a year's case, `（每月，2026年各月合计）` (its `before` is the months' sum)."""
    periods = getattr(r, "periods", None)
    if periods is not None and len(periods) > 1:
        from policyc.people_report import period_words

        return period_words(r.info.period, [p[0] for p in periods])
    return _PER.get(r.info.period, "")


def choice_lines(r: RuleResult, cited: tuple[str, ...] = ()) -> list[str]:
    """The text report's lines under a result: the sentence, then the document's own unless it
    is among `cited`, the quotes the report gives the rule anyway (`--all`: a rule that has no
    quote of its own shows its section's, often the choice's)."""
    words = choice_words(r)
    if words is None:
        return []
    if r.choice.quote in cited:
        return [f"      {words}"]
    return [f"      {words}", f"        原文: {r.choice.quote}"]


def choice_json(r: RuleResult, money: Callable[[Any], Any]) -> dict[str, Any]:
    """The result's `"choice"` object (see the module); `money` writes a Quantity as Money."""
    chosen = r.choice
    before = None
    if chosen.before is not None:
        before = {"low": money(chosen.before[0]), "high": money(chosen.before[1])}
    return {
        "kept": chosen.kept or None,
        "paid": chosen.kept == r.info.name or any(k == r.info.name for *_, k in chosen.by_period),
        "among": list(chosen.among),
        "quote": chosen.quote,
        "before": before,
        "tie": chosen.tie,
        "out": chosen.out,
        "pending": list(chosen.pending),
        "text": choice_words(r),
    } | _by_period_json(chosen.by_period)


def _by_period_json(by_period: tuple[tuple[str, str, str], ...]) -> dict[str, Any]:
    """`{"by_period": [{"from": "2026-01", "to": "2026-05", "kept": str}, …]}` when the highest
    rule differs between the case's periods, else {}."""
    if not by_period:
        return {}
    runs = [{"from": first, "to": last, "kept": kept} for first, last, kept in by_period]
    return {"by_period": runs}
