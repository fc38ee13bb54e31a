"""A clause read by a citizen: who can apply, how much, a worked example, which unit to ask.

The facts come from the rule itself (its beneficiary, conditions, amount and cap) and from the
shipped example cases evaluated by the command line (`policyc.worked_examples`), so the example's
figures are the evaluation's — the same `policyc test` checks — never copied from a comment.
The drafter's details (policy-file lines, readings, inputs) are folded below it on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from policyc.compiler import nodes as n
from policyc.compiler.site.markdown import md
from policyc.compiler.site.people_view import amount_words, example_note
from policyc.compiler.site.views import Fact, WorkedExample


def example_text(example: WorkedExample, inputs: Sequence[str], per: str = "") -> str:
    """`年发货量 600万单，口罩发货量 1万单 → 得 100万元（封顶前 119万元）`, with the date and
    the case file; only the inputs the rule reads (all the case gives when it reads none).
    `per` (`（本例各位子女合计，每月）`: `people_view.example_note`) follows the amount."""
    given = dict(example.inputs)
    shown = [(name, given[name]) for name in inputs if name in given] or list(example.inputs)
    values = "，".join(f"{md(name)} {md(value)}" for name, value in shown)
    readings = "".join(f"；按读法“{md(r)}”取“{md(o)}”" for r, o in example.readings)
    result = f"得 **{md(example.amount)}**"
    result += per
    if example.uncapped:
        result += f"（封顶前 {md(example.uncapped)}）"
    case = md(example.case)
    return f"{values}{readings}（评估日 {example.on}）→ {result}。来自示例案例 `{case}`"


def citizen_facts(
    rule: n.Rule,
    expr: Callable[[n.Expr], str],
    units: Sequence[str],
    inputs: Sequence[str],
    examples: Sequence[WorkedExample],
) -> tuple[Fact, ...]:
    """The facts a citizen reads first. `expr` renders an expression as linked Markdown,
    `units` are the linked units to ask (already chosen: the rule's, else its clause's, else the
    interpreting unit), `inputs` the inputs the rule reads, in the policy's order."""
    facts: list[Fact] = []
    pays = rule.amount is not None
    if rule.beneficiary:
        facts.append(Fact("谁可以申请" if pays else "适用对象", md(rule.beneficiary)))
    if len(rule.whens) == 1:
        facts.append(Fact("条件", expr(rule.whens[0])))
    elif rule.whens:
        facts.append(Fact("条件", "须全部满足", tuple(expr(w) for w in rule.whens)))
    if isinstance(rule.amount, n.Unspecified):
        facts.append(Fact("能得多少", "文件未写明金额，请向下列单位咨询"))
    elif isinstance(rule.amount, (n.Tiers, n.Schedule)) or _holds_table(rule.amount):
        facts.append(Fact("能得多少", "按下表（及图）计算" + _cap(rule, expr)))
    elif rule.amount is not None:
        per = amount_words(rule)  # 每位子女每月 (households and periods)
        shown = f"{per} {expr(rule.amount)}" if per else expr(rule.amount)
        facts.append(Fact("能得多少", shown + _cap(rule, expr)))
    if rule.once is not None:
        facts.append(Fact("次数", "一次性给予"))
    for example in examples:
        facts.append(Fact("算例", example_text(example, inputs, example_note(rule))))
    if units:
        facts.append(Fact("向谁咨询", "、".join(units)))
    return tuple(facts)


def _holds_table(amount: n.Expr | n.Unspecified | None) -> bool:
    if not isinstance(amount, n.Expr):
        return False
    return any(isinstance(node, (n.Tiers, n.Schedule)) for node in n.walk(amount))


def _cap(rule: n.Rule, expr: Callable[[n.Expr], str]) -> str:
    if rule.cap is None:
        return ""
    scopes = "".join(f"每{s}" for s in rule.cap.scopes)
    return f"，{scopes}最高{expr(rule.cap.amount)}"
