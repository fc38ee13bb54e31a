"""An expression's Chinese words (compiler/render.py) read one way only: an operand that binds
less tightly than its place needs is bracketed. Each expected text is written by hand from the
expression, as a reader should read it."""

from __future__ import annotations

import pytest

from policyc.compiler import nodes as n
from policyc.compiler.parser import parse
from policyc.compiler.render import render


def _amount(expr: str) -> n.Expr:
    parsed = parse(f'clause 1 "一" {{\n    rule r {{ amount {expr} }}\n}}\n', "x.policy")
    amount = parsed.clauses[0].rules[0].amount
    assert isinstance(amount, n.Expr)
    return amount


def _when(cond: str) -> n.Expr:
    parsed = parse(f'clause 1 "一" {{\n    rule r {{ when {cond} amount 1 元 }}\n}}\n', "x.policy")
    (when,) = parsed.clauses[0].rules[0].whens
    return when


AMOUNTS = [
    # jyknry.policy:143 — 1000 × max(N − 3, 0), never 1000 × N − max(3, 0).
    (
        "5000 元 + 1000 元/人 × max(计入带动人数 - 3 人, 0 人)",
        "5000元 + 1000元/人 × ((计入带动人数 − 3人)与0人中较大者)",
    ),
    ("max(a, b)", "a与b中较大者"),
    ("min(a + b, 3 元)", "(a + b)与3元中较小者"),
    ("min(a, b × 2)", "a与(b × 2)中较小者"),
    ("max(a, b) - 3 元", "(a与b中较大者) − 3元"),
    ("3 元 - min(a, b)", "3元 − (a与b中较小者)"),
    ("a + b - c", "a + b − c"),
    ("a - (b + c)", "a − (b + c)"),
    ("a - (b - c)", "a − (b − c)"),
    ("a + (b - c)", "a + b − c"),  # the same value either way: no brackets needed
    ("(a + b) × 2", "(a + b) × 2"),
    ("2 × (a - b)", "2 × (a − b)"),
    ("divide(a + b, 3, 分, half_up)", "(a + b) ÷ 3（四舍五入到分）"),
    ("2 × divide(a, 3, 分, half_up)", "2 × (a ÷ 3（四舍五入到分）)"),
    ("divide(max(a, b), 3, 分, down)", "(a与b中较大者) ÷ 3（舍去到分）"),
    ("a + divide(b, 3, 分, half_up)", "a + b ÷ 3（四舍五入到分）"),
    ("20% of (a + b)", "(a + b)的20%"),
    ("20% of max(a, b)", "(a与b中较大者)的20%"),
    ("20% of a + b", "a的20% + b"),
    ("round(a + b, 1 元, half_up)", "(a + b)按1元四舍五入取整"),
    ("c + round(a, 1 元, down)", "c + (a按1元舍去取整)"),
    ("100 元 + (if 是 then 1 元 else 2 元)", "100元 + (若是则1元，否则2元)"),
    ("(if 是 then 1 元 else 2 元) × 3", "(若是则1元，否则2元) × 3"),
    ("if 甲 then 1 元 else if 乙 then 2 元 else 3 元", "若甲则1元，否则若乙则2元，否则3元"),
    (
        "if 甲 then (if 乙 then 1 元 else 2 元) else 3 元",
        "若甲则(若乙则1元，否则2元)，否则3元",
    ),
    ("if 甲 or 乙 then 1 元 else 2 元", "若(甲，或乙)则1元，否则2元"),
    ("if 甲 then a - b else max(a, b)", "若甲则a − b，否则a与b中较大者"),
    ("max(if 甲 then a else b, c)", "(若甲则a，否则b)与c中较大者"),
    ("highest(a + b)", "(a + b)的最高值"),
]


@pytest.mark.parametrize(("expr", "words"), AMOUNTS)
def test_an_amount_reads_one_way(expr: str, words: str) -> None:
    assert render(_amount(expr)) == words


CONDITIONS = [
    ("(甲 or 乙) and 丙", "(甲，或乙)，且丙"),
    ("甲 and (乙 or 丙)", "甲，且(乙，或丙)"),
    ("甲 and 乙 or 丙", "(甲，且乙)，或丙"),
    ("甲 or 乙 and 丙", "甲，或(乙，且丙)"),
    ("甲 and 乙 and 丙", "甲，且乙，且丙"),
    ("甲 or 乙 or 丙", "甲，或乙，或丙"),
    ("max(a, b) >= 3 元", "(a与b中较大者) ≥ 3元（含本数）"),
    ("a + b >= 3 元", "a + b ≥ 3元（含本数）"),
    ("max(a - b, 0 元) 超过 3 元", "((a − b)与0元中较大者) 超过3元（不含本数）"),
    ("not (甲 or 乙)", "并非「甲，或乙」"),
]


@pytest.mark.parametrize(("cond", "words"), CONDITIONS)
def test_a_condition_reads_one_way(cond: str, words: str) -> None:
    assert render(_when(cond)) == words
