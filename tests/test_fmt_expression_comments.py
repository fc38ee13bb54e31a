"""`policyc fmt` keeps a comment inside an expression that spans lines (a `define` or `when`
with a `# …` between its parts) on the part it was written beside, and formats such a file the
same the second time (tidy10, item 7: checked, it already did; these tests hold it so). Each
expected layout is written by hand."""

from __future__ import annotations

import pytest

from policyc.compiler.fmt import format_text
from policyc.compiler.parser import parse

HEAD = 'input 甲: 元 "甲"\ninput 乙: 元 "乙"\n'

CASES = [
    # a comment line between the parts of a sum, and trailing comments on each part of an `and`
    (
        'define 合计 = 甲 +\n    # the second part\n    乙 "合计"\n',
        'define 合计 = 甲 +\n    # the second part\n    乙 "合计"\n',
    ),
    (
        'define 条件 = 甲 > 1 元 # on the first\n    and 乙 > 2 元 # on the second\n    "条件"\n',
        'define 条件 = 甲 > 1 元  # on the first\n    and 乙 > 2 元        # on the second\n    "条件"\n',
    ),
    # right after `=`, inside a call's arguments, inside brackets
    (
        'define 条 = # after equals\n    甲 > 1 元 "z"\n',
        'define 条 =  # after equals\n    甲 > 1 元 "z"\n',
    ),
    ('define 大 = max(甲, # first\n    乙) "x"\n', 'define 大 = max(甲,  # first\n    乙) "x"\n'),
    # rows of a tiers table and of an any_of list, before, beside and after them
    (
        "define 档 = tiers 甲 highest {\n    # first row\n    达到 1 元: 2 元, # row one\n"
        '    达到 5 元: 3 元\n    # last\n} "t"\n',
        "define 档 = tiers 甲 highest {\n    # first row\n    达到 1 元: 2 元,  # row one\n"
        '    达到 5 元: 3 元,\n    # last\n} "t"\n',
    ),
    (
        'define 选 = if 甲 > 1 元 # cond\n    then 1 元 # then part\n    else 2 元 "w"\n',
        'define 选 = if 甲 > 1 元  # cond\n    then 1 元             # then part\n    else 2 元 "w"\n',
    ),
    # a rule's `when` over two lines with a comment line between its parts
    (
        'clause 1 "一" {\n  rule 补贴 {\n    when 甲 > 1 元\n      # between the parts\n'
        "      and 乙 > 1 元\n    amount 10 元 # after\n  }\n}\n",
        'clause 1 "一" {\n    rule 补贴 {\n        when 甲 > 1 元\n            # between the parts\n'
        "            and 乙 > 1 元\n        amount 10 元  # after\n    }\n}\n",
    ),
]


@pytest.mark.parametrize(("written", "formatted"), CASES)
def test_a_comment_inside_an_expression_stays_where_it_was(written: str, formatted: str) -> None:
    out = format_text(HEAD + written)
    assert out == HEAD + formatted
    assert format_text(out) == out  # idempotent
    assert parse(out, "x.policy") == parse(HEAD + written, "x.policy")  # the same policy


def test_a_wrapped_long_condition_keeps_its_comment_on_its_part() -> None:
    parts = [f"{name} > {n} 元" for n in range(1, 5) for name in ("甲", "乙")]
    written = f'define 长 = {" and ".join(parts)} # on the last\n    and 甲 > 5 元 "长"\n'
    out = format_text(HEAD + written)
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines)
    assert [line for line in lines if "#" in line] == ["    and 乙 > 4 元  # on the last"]
    assert format_text(out) == out
