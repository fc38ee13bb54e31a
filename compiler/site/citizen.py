"""A clause read by a citizen: who receives, how much, a worked example, which unit to ask.

"受益对象" (for a rule with an amount; "应缴方" for a charge or a fine, as `run` says;
"适用对象" without an amount) is the rule's `beneficiary`, who receives: the language
declares no applicant, and a beneficiary need not be the one who applies (企业 applies for
its 外籍高层次专家's 生活补助), so the site never calls it 谁可以申请.

The facts come from the rule itself (its beneficiary, conditions, amount and cap) and from the
shipped example cases evaluated by the command line (`policyc.worked_examples`), so the example's
figures are the evaluation's — the same `policyc test` checks — never copied from a comment.
The drafter's details (policy-file lines, readings, inputs) are folded below it on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.checked import amount_flow
from policyc.compiler.render import range_words, render_apply_by
from policyc.compiler.site.layout import cap_words
from policyc.compiler.site.markdown import md
from policyc.compiler.site.people_view import amount_words, example_note
from policyc.compiler.site.views import Fact, WorkedExample

# What a citizen reads of an amount by the way its money goes (compiler/checked.py
# `amount_flow`): how much, and the word before a worked example's amount. A charge or a fine
# is owed, not received (a newcomer's 罚款 read "能得多少 … → 得 100,000元").
_AMOUNT_WORDS = {
    "paid": ("能得多少", "得"),
    "waived": ("减免多少", "减免"),
    "payable": ("应缴多少", "应缴"),
    "lent": ("可贷多少", "可贷"),  # a loan is repaid: 可贷, never 得
    # A kind with no flow (`kind 利率`: a rate, a standard) is neither received nor owed: its
    # figure, never 能得多少 … 得 (a rate left to another document read as money received).
    "": ("数额", "为"),
}
# What the page calls the rule's party (`beneficiary`) by the flow, as `run` labels it: the
# one who owes a charge or a fine, who borrows a loan, whom a flowless figure applies to.
_PARTY_WORDS = {"paid": "受益对象", "waived": "受益对象", "payable": "应缴方", "lent": "借款方"}


def figure_word(kind: str) -> str:
    """What a rule's amount is called: 金额 for money that goes one way (paid, waived, payable,
    lent), 数额 for a kind with no flow (`kind 利率`: a rate is no sum of money)."""
    return "数额" if amount_flow(kind) == "" else "金额"


def example_text(
    example: WorkedExample, inputs: Sequence[str], per: str = "", verb: str = "得"
) -> str:
    """`年发货量 600万单，口罩发货量 1万单 → 得 100万元（封顶前 119万元）`, with the date and
    the case file; only the inputs the rule reads (all the case gives when it reads none). A
    household case names each member, role and the member inputs the rule reads:
    `类别 低保对象；王芳（申请人）：自付费用 2,500元；李小明（子女）：自付费用 300元（评估期间
    2026-03）→ …`. `per` (`（本例各位子女合计，每月）`: `people_view.example_note`) follows
    the amount; `verb` is what the amount is to the case (得, 减免, 应缴: `_AMOUNT_WORDS`)."""
    given = dict(example.inputs)
    shown = [(name, given[name]) for name in inputs if name in given]
    members = [_member_text(name, role, values, inputs) for name, role, values in example.members]
    if not shown and not any(values for _, _, values in example.members if values):
        shown = list(example.inputs)
    parts = ["，".join(f"{md(name)} {md(value)}" for name, value in shown), *members]
    values = "；".join(part for part in parts if part)
    readings = "".join(f"；按读法“{md(r)}”取“{md(o)}”" for r, o in example.readings)
    result = f"{verb} **{md(example.amount)}**"
    result += per
    if example.uncapped:
        result += f"（封顶前 {md(example.uncapped)}）"
    case = md(example.case)
    when = f"评估期间 {example.period}" if example.period else f"评估日 {example.on}"
    return f"{values}{readings}（{when}）→ {result}。来自示例案例 `{case}`"


def _member_text(
    name: str, role: str, values: Sequence[tuple[str, str]], inputs: Sequence[str]
) -> str:
    """`王芳（申请人）：月收入 1,800元，自付费用 2,500元`: the member inputs the rule reads."""
    given = dict(values)
    read = "，".join(f"{md(k)} {md(given[k])}" for k in inputs if k in given)
    who = f"{md(name)}（{md(role)}）"
    return f"{who}：{read}" if read else who


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
    flow = amount_flow(rule.kind or "")
    how_much, verb = _AMOUNT_WORDS.get(flow, _AMOUNT_WORDS[""])
    if rule.beneficiary:  # the one who owes a charge or a fine is not its beneficiary
        label = _PARTY_WORDS.get(flow, "适用对象") if pays else "适用对象"
        facts.append(Fact(label, md(rule.beneficiary)))
    if len(rule.whens) == 1:
        facts.append(Fact("条件", expr(rule.whens[0])))
    elif rule.whens:
        facts.append(Fact("条件", "须全部满足", tuple(expr(w) for w in rule.whens)))
    if rule.apply_by is not None:  # 每月10日前申请（含当日，遇节假日顺延）
        facts.append(Fact("申请期限", md(render_apply_by(rule.apply_by))))
    if isinstance(rule.amount, n.Unspecified):
        facts.append(Fact(how_much, f"文件未写明{figure_word(rule.kind or '')}，请向下列单位咨询"))
    elif isinstance(rule.amount, (n.Tiers, n.Schedule)) or _holds_table(rule.amount):
        facts.append(Fact(how_much, "按下表（及图）计算" + _cap(rule, expr)))
    elif rule.amount_range is not None:  # 处1倍以上3倍以下罚款: 套取金额的1倍至3倍
        facts.append(Fact(how_much, range_words(rule.amount_range, expr) + "，在此幅度内决定"))
    elif (
        isinstance(rule.amount, n.If)
        and not isinstance(rule.amount.cond, n.ReadingIs)
        and not amount_words(rule)
    ):
        # An amount that chooses by the case's inputs: one sentence a case (`若案例给出了A则…
        # 否则…` read as a formula by a newcomer), the cap after them. A choice by a reading
        # stays one line: the reading, not the case, decides it.
        cases = _cases(rule.amount, expr)
        facts.append(Fact(how_much, "按案例的情况计算" + _cap(rule, expr), cases))
    elif rule.amount is not None:
        per = amount_words(rule)  # 每位子女每月 (households and periods)
        shown = f"{per} {expr(rule.amount)}" if per else expr(rule.amount)
        limit = rule.each_limit  # `each 机具 at_most 2 台 …`: 至多 2台
        most = f"，至多 {limit.most.number}{limit.most.measure}" if limit is not None else ""
        facts.append(Fact(how_much, shown + _cap(rule, expr) + most))
    if rule.once is not None:
        facts.append(Fact("次数", "一次性给予"))
    for example in examples:
        if rule.each is not None and rule.each.text not in ("members", "成员"):
            # A rule paid each 子女 names the children only.
            children = tuple(m for m in example.members if m[1] == rule.each.text)
            example = attrs.evolve(example, members=children)
        facts.append(Fact("算例", example_text(example, inputs, example_note(rule), verb)))
    if units:
        facts.append(Fact("向谁咨询", "、".join(units)))
    return tuple(facts)


def _cases(amount: n.If, expr: Callable[[n.Expr], str]) -> tuple[str, ...]:
    """An `if … then … else …` amount as one sentence a case, in the order it chooses:
    `填写了承包耕地公顷数的：…`, then `未填写承包耕地公顷数的：…` for `given(X)`, else
    `若条件成立：…`, and `其他情况：…` (an `else if` chain read link by link)."""
    sentences: list[str] = []
    node: n.Expr = amount
    while isinstance(node, n.If):
        cond = node.cond
        if isinstance(cond, n.Call) and cond.func == "given" and len(cond.args) == 1:
            name = expr(cond.args[0])
            sentences.append(f"填写了{name}的：{expr(node.then)}")
            if not isinstance(node.otherwise, n.If):
                sentences.append(f"未填写{name}的：{expr(node.otherwise)}")
                return tuple(sentences)
        else:
            sentences.append(f"若{expr(cond)}：{expr(node.then)}")
        node = node.otherwise
    sentences.append(f"其他情况：{expr(node)}")
    return tuple(sentences)


def _holds_table(amount: n.Expr | n.Unspecified | None) -> bool:
    if not isinstance(amount, n.Expr):
        return False
    return any(isinstance(node, (n.Tiers, n.Schedule)) for node in n.walk(amount))


def _cap(rule: n.Rule, expr: Callable[[n.Expr], str]) -> str:
    if rule.cap is None:
        return ""
    return f"，{cap_words(rule.cap, expr(rule.cap.amount))}"
