"""Signs: can an amount come out below zero?

Case inputs are never negative (the case loader refuses them) and literals carry no sign, so an
amount can go below zero only through a subtraction. A subtraction is safe when what it takes
away is a set of distinct declared parts of what it takes them from (`input 口罩发货量: 单 part of
年发货量`: the case loader refuses parts that add up to more than their whole), when a `max`
with something safe bounds it from below, or when a condition that must hold for the amount to
be paid says the one is not below the other (the rule's `when 家庭人均月收入 低于 低保标准` for
`低保标准 - 家庭人均月收入`; an `if` for its `then`). Anything else may be negative, and `lint`
says where.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.render import render

NEGATIVE_AMOUNT = "negative-amount"  # the lint's stable code


def may_go_negative(
    expr: n.Expr,
    policy: CheckedPolicy,
    fold: Callable[[n.Expr], Any],
    given: Iterable[n.Expr] = (),
) -> n.Arith | None:
    """The first subtraction (in reading order) that can make `expr` negative, or None when
    `expr` is never below zero for any case the loader accepts. `fold` gives the value of an
    expression of literals (None otherwise): their sign is known, and lint judges it apart.
    `given` are conditions that hold whenever the amount is paid (a rule's `when`s)."""
    return _Signs(policy, fold, given).unsafe(expr)


def part_to_declare(found: n.Arith, policy: CheckedPolicy) -> str:
    """What the drafter can declare for `A - B - …`, in the policy's own words: the first input
    taken away that is not yet a declared part of the input A (`B: … part of A`), or "" where A
    or what is taken away is not an input that could be one."""
    taken: list[n.Expr] = []
    base: n.Expr = found
    while isinstance(base, n.Arith) and base.op == "-":
        taken.insert(0, base.right)
        base = base.left
    part = ""
    if isinstance(base, n.Ref) and base.name in policy.inputs:
        parts = policy.parts.get(base.name, ())
        names = [t.name for t in taken if isinstance(t, n.Ref) and t.name in policy.inputs]
        # Not one of its parts already, nor a whole it is a part of (`口罩发货量 - 年发货量`).
        wholes = {w for w, ps in policy.parts.items() if base.name in ps}
        name = next((x for x in names if x not in parts and x not in wholes), "")
        part = f"{name}: … part of {base.name}" if name else ""
    return part


def _facts(conditions: Iterable[n.Expr]) -> set[tuple[str, str]]:
    """(larger, smaller) as written, for each comparison the conditions assert: `A 高于 B`,
    `B 低于 A`, `A >= B` each give (A, B)."""
    facts: set[tuple[str, str]] = set()
    for condition in conditions:
        if isinstance(condition, n.And):
            facts |= _facts((condition.left, condition.right))
        elif isinstance(condition, n.Compare) and condition.op in ("ge", "gt"):
            facts.add((render(condition.left), render(condition.right)))
        elif isinstance(condition, n.Compare) and condition.op in ("le", "lt"):
            facts.add((render(condition.right), render(condition.left)))
    return facts


class _Signs:
    def __init__(
        self, policy: CheckedPolicy, fold: Callable[[n.Expr], Any], given: Iterable[n.Expr] = ()
    ):
        self.policy = policy
        self.fold = fold
        self.seen: set[str] = set()
        self.facts = _facts(given)

    def unsafe(self, expr: n.Expr) -> n.Arith | None:
        if isinstance(expr, n.Arith) and expr.op == "-":
            return self.difference(expr)
        if isinstance(expr, n.If):
            # The `then` is paid only where the condition holds: what it says is known there.
            outer = self.facts
            self.facts = outer | _facts((expr.cond,))
            found = self.unsafe(expr.then)
            self.facts = outer
            return found or self.unsafe(expr.otherwise)
        if isinstance(expr, n.Call) and expr.func == "max":
            # max(a, b) is never below the larger of the two: one safe side is enough.
            sides = [self.unsafe(arg) for arg in expr.args]
            return None if None in sides else sides[0]
        if isinstance(expr, n.Ref) and expr.name in self.policy.defines:
            if expr.name in self.seen:
                return None
            self.seen.add(expr.name)
            return self.unsafe(self.policy.defines[expr.name].expr)
        if isinstance(expr, n.Tiers):
            children: list[n.Expr] = [row.amount for row in expr.rows]  # thresholds only compare
        elif isinstance(expr, n.Progressive):
            # A base below zero lies in no band (not applicable); edges only compare.
            children = [band.rate for band in expr.bands]
        elif isinstance(expr, n.Dated):
            children = [row.value for row in expr.rows]  # the day only chooses
        elif isinstance(expr, (n.Compare, n.Is, n.In, n.And, n.Or, n.Not, n.AnyOf, n.AllOf)):
            children = []  # conditions: their operands are compared, never paid
        else:
            children = list(expr.child_nodes())
        for child in children:
            found = self.unsafe(child)
            if found is not None:
                return found
        return None

    def difference(self, expr: n.Arith) -> n.Arith | None:
        if self.fold(expr) is not None:
            return None
        if (render(expr.left), render(expr.right)) in self.facts:
            return None  # a condition of the amount says the left is not below the right
        taken: list[n.Expr] = []
        base: n.Expr = expr
        while isinstance(base, n.Arith) and base.op == "-":
            taken.append(base.right)
            base = base.left
        found = self.unsafe(base)
        if found is not None:
            return found
        parts = self.policy.parts.get(base.name, ()) if isinstance(base, n.Ref) else ()
        whole = self.fold(base)
        for alternative in _alternatives([self.expanded(t) for t in taken]):
            if whole is not None and _within(alternative, whole, self.fold):
                continue  # `1 - (if 首套 then 20% else 30%)`: each way a literal share of a literal
            names = [t.name for t in alternative if isinstance(t, n.Ref)]
            if len(names) != len(alternative) or len(set(names)) != len(names):
                return expr
            if not set(names) <= set(parts):
                return expr
        return None

    def expanded(self, term: n.Expr, seen: frozenset[str] = frozenset()) -> n.Expr:
        """A term taken away with each define it names replaced by its expression (`首付款比例`
        → `if 所购住房套数 is 首套 then 20% else 30%`), so its alternatives are seen; a define
        met again inside itself is left as its name."""
        if isinstance(term, n.Ref) and term.name in self.policy.defines and term.name not in seen:
            return self.expanded(self.policy.defines[term.name].expr, seen | {term.name})
        if isinstance(term, n.If):
            then, otherwise = self.expanded(term.then, seen), self.expanded(term.otherwise, seen)
            return n.If(term.cond, then, otherwise, term.span)
        if isinstance(term, n.Arith) and term.op == "+":
            left, right = self.expanded(term.left, seen), self.expanded(term.right, seen)
            return n.Arith("+", left, right, term.span)
        return term


def _within(terms: list[n.Expr], whole: Any, fold: Callable[[n.Expr], Any]) -> bool:
    """Whether every term is a literal and together they are not more than the literal `whole`
    (a share taken from 1, an amount from a written amount)."""
    values = [fold(t) for t in terms]
    if any(v is None for v in values):
        return False
    try:
        return sum(values[1:], values[0]) <= whole if values else True
    except (ArithmeticError, TypeError, ValueError):  # measures that do not compare
        return False


def _alternatives(taken: list[n.Expr]) -> list[list[n.Expr]]:
    """The terms a subtraction takes away, once for each way its `if`s can go; a literal zero
    takes nothing away."""
    ways: list[list[n.Expr]] = [[]]
    for term in taken:
        ways = [way + tail for way in ways for tail in _terms(term)]
    return ways


def _terms(expr: n.Expr) -> list[list[n.Expr]]:
    if isinstance(expr, n.If):
        return _terms(expr.then) + _terms(expr.otherwise)
    if isinstance(expr, n.Arith) and expr.op == "+":
        return [a + b for a in _terms(expr.left) for b in _terms(expr.right)]
    if isinstance(expr, n.QuantityLit) and _is_zero(expr.number):
        return [[]]
    return [[expr]]


def _is_zero(number: str) -> bool:
    try:
        return Decimal(number) == 0
    except InvalidOperation:
        return False
