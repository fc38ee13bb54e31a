"""cli/member_why.py's public docstrings say what each function takes and returns (tidy10,
item 4); the example in `member_whys`' runs, and the cases its docstring names hold."""

from __future__ import annotations

import doctest

import policyc.member_why as member_why
from policyc.member_why import member_whys

AGGREGATE = [
    ("成员 张大爷（老年人）", 9),
    ("成员 李大妈（老年人）", 9),
    ("有老年人（可发放） = 否（计入: 无）", 9),
]


def test_the_docstring_example_runs():
    assert doctest.testmod(member_why).failed == 0


def test_a_member_without_a_false_step_gets_the_condition_or_its_no_answers():
    noes = {"张大爷": ["本区户籍 否"]}
    lines = member_whys(AGGREGATE, lambda who, where: noes.get(who, []))
    assert lines == [
        "张大爷（老年人）: 本区户籍 否（可发放 不成立）",
        "李大妈（老年人）: 可发放 不成立",
    ]


def test_no_aggregate_or_nobody_left_out_gives_no_lines():
    assert member_whys([("年龄 满60周岁（含本数）: 61 对 60 → 成立", 5)]) == []
    counted = [*AGGREGATE[:2], ("有老年人（可发放） = 是（计入: 张大爷、李大妈 300元）", 9)]
    assert member_whys(counted) == []
