"""Lint: the value of an expression made of literals, and comparisons that may not be possible.

`fold(expr)` is a `Value` (a Quantity or a date) for literals and arithmetic, `min`, `max` and `of`
over them, else None (an unknown measure or a mismatch folds to None, never raises);
`less_than(a, b)` and `literal_holds(op, a, b)` are None where the two cannot be compared.
"""

from __future__ import annotations

from datetime import date
from typing import TypeAlias

from policyc.compiler import nodes as n
from policyc.compiler.render import render
from policyc.runtime.quantity import MeasureError, Quantity
from policyc.runtime.quantity_format import format_quantity

Value: TypeAlias = Quantity | date


def fold(expr: n.Expr) -> Value | None:
    """The value of an expression made of literals only, else None."""
    try:
        return _fold(expr)
    except (MeasureError, ArithmeticError, TypeError, ValueError):
        return None


def _fold(expr: n.Expr) -> Value | None:
    if isinstance(expr, n.QuantityLit):
        return Quantity.of(expr.number, expr.measure)
    if isinstance(expr, n.PercentLit):
        return Quantity.ratio(expr.number)
    if isinstance(expr, n.DateLit):
        return expr.value
    if isinstance(expr, n.Arith | n.Of):
        left, right = (
            (expr.left, expr.right) if isinstance(expr, n.Arith) else (expr.ratio, expr.base)
        )
        a, b = _fold(left), _fold(right)
        if not isinstance(a, Quantity) or not isinstance(b, Quantity):
            return None
        op = expr.op if isinstance(expr, n.Arith) else "×"
        return a + b if op == "+" else a - b if op == "-" else a * b
    if isinstance(expr, n.Call) and expr.func in ("min", "max") and len(expr.args) >= 2:
        folded = [_fold(arg) for arg in expr.args]
        known = [v for v in folded if isinstance(v, Quantity)]
        if len(known) == len(folded):
            return min(known) if expr.func == "min" else max(known)
    return None


def value_text(value: Value) -> str:
    """A value as messages show it: a date in ISO form, a quantity with its measure."""
    if isinstance(value, date):
        return value.isoformat()
    return format_quantity(value)


def is_negative(value: Value | None) -> bool:
    """Whether a folded value is a quantity below zero."""
    return isinstance(value, Quantity) and value.value < 0


def less_than(a: Value, b: Value) -> bool | None:
    """a < b, or None when they cannot be compared."""
    try:
        return bool(a < b)  # type: ignore[operator]
    except (MeasureError, TypeError):
        return None


def literal_holds(op: str, left: Value, right: Value) -> bool | None:
    """Whether `left OP right` holds (op: eq ne lt gt le ge), None when they cannot be compared."""
    try:
        if op == "eq":
            return left == right
        if op == "ne":
            return left != right
        less, greater = less_than(left, right), less_than(right, left)
    except (MeasureError, TypeError):
        return None
    if less is None or greater is None:
        return None
    return {"lt": less, "gt": greater, "le": not greater, "ge": not less}[op]


def includes_boundary(op: str) -> bool:
    """Whether a comparison includes its boundary value (达到, 以上, 以下: ge, le, eq)."""
    return op in ("ge", "le", "eq")


def bounds_of(expr: n.Expr) -> set[int]:
    """The ids of the `X% of Y` nodes in `expr` that are a bound set against `Y`, not a part of
    it: an operand of a comparison (`高于 300% of 职工月平均工资`), or a branch of an `if` that
    takes the bound its condition compares with (`if 工资 高于 300% of 平均工资 then 300% of
    平均工资`, 按300%计算). Such a figure is a multiple, which may pass 100% (lint
    `share-over-whole` leaves it alone, as it does every cap and limit)."""
    found: set[int] = set()
    for node in n.walk(expr):
        if isinstance(node, n.Compare):
            found.update(ofs_in(node.left) | ofs_in(node.right))
        elif isinstance(node, n.If):
            compared = {
                render(side)
                for c in n.walk(node.cond)
                if isinstance(c, n.Compare)
                for side in (c.left, c.right)
            }
            for branch in (node.then, node.otherwise):
                if render(branch) in compared:
                    found.update(ofs_in(branch))
    return found


def ofs_in(expr: n.Expr) -> set[int]:
    """The ids of every `X% of Y` node in `expr` (a cap's or a limit's: a ceiling throughout)."""
    return {id(node) for node in n.walk(expr) if isinstance(node, n.Of)}
