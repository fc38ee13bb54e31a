"""`amount 原工资福利 per 月` where 原工资福利 is money per month (an input in 元/月).

"原工资福利待遇不变，由所在单位按月支付": the amount for a month is the monthly figure. An amount
is money (元), and 元/月 is a rate; the language reads `X per 月` with X in 元/月 (or 元/年, the
same dimensions) as what it says — the money of one period, `X × 1 月` — and a `cap` in the
same measure likewise. `check` records which rules say so (`implied`); after the rules are
checked, `rewrite` gives every engine (generated Python, the fast path, the batch SQL and
vector paths) that product, marked `implied` so that the site and `--explain` still write
`原工资福利` as the document does (compiler/render.py).
"""

from __future__ import annotations

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.checked import MONEY_DIMS, Type

_PER_MONTH = ("月", -1)  # 元/月 and 元/年 alike (runtime/quantity.py keeps both per 年)


def money_rate(t: Type) -> bool:
    """Whether `t` is money per calendar time (元/月, 元/年, 美元/月)."""
    if t.kind != "quantity" or _PER_MONTH not in t.dims:
        return False
    return tuple(d for d in t.dims if d != _PER_MONTH) in MONEY_DIMS


def per_period_type(t: Type) -> Type:
    """The money of one period of a money rate `t`: 元/月 → 元."""
    return Type("quantity", tuple(d for d in t.dims if d != _PER_MONTH), t.enum)


def implied(rule: n.Rule, t: Type) -> bool:
    """Whether an amount (or a cap) of type `t` in `rule` is a rate its `per 月`/`per 年` turns
    into the money of one period."""
    return rule.period is not None and money_rate(t)


def _one_period(expr: n.Expr, period: n.Name) -> n.Expr:
    return n.Arith("×", expr, n.QuantityLit("1", period.text, period.span), expr.span, implied=True)


def rewrite(file: n.PolicyFile, rules: dict[str, set[str]]) -> n.PolicyFile:
    """`file` with each rule in `rules` (name → {"amount", "cap"}) taking one period of its
    amount and/or cap (`X × 1 月`, marked implied); `file` itself when `rules` is empty."""
    if not rules:
        return file

    def fix(rule: n.Rule) -> n.Rule:
        parts = rules.get(rule.name.text)
        if not parts or rule.period is None:
            return rule
        amount, cap = rule.amount, rule.cap
        if "amount" in parts and isinstance(amount, n.Expr):
            amount = _one_period(amount, rule.period)
        if "cap" in parts and cap is not None:
            cap = attrs.evolve(cap, amount=_one_period(cap.amount, rule.period))
        return attrs.evolve(rule, amount=amount, cap=cap)

    def clause(c: n.Clause) -> n.Clause:
        return attrs.evolve(c, rules=tuple(map(fix, c.rules)))

    sections = tuple(
        attrs.evolve(s, rules=tuple(map(fix, s.rules)), clauses=tuple(map(clause, s.clauses)))
        for s in file.sections
    )
    return attrs.evolve(file, sections=sections, clauses=tuple(map(clause, file.clauses)))
