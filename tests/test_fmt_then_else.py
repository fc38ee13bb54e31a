"""`policyc fmt` puts an `if`'s `then` where its `else` goes (compiler/fmt.py `_wrap`): the
recheck newcomer saw `then` at 12 spaces and `else` at 8. Layouts written out by hand."""

from __future__ import annotations

from policyc.compiler.fmt import format_text
from policyc.compiler.parser import parse

LONG = "平台建设费用平台建设费用平台建设费用"


def formats(text: str) -> str:
    formatted = format_text(text)
    assert parse(formatted, "p.policy") == parse(text, "p.policy")
    assert format_text(formatted) == formatted
    return formatted


def test_a_first_if_broken_before_then_puts_then_and_else_in_one_column() -> None:
    text = (
        "define 补贴额 = if reading 平台补贴上限 is 同受上限 then min(100% of "
        f"{LONG}, 100 万元) else 100% of {LONG}\n"
    )
    assert formats(text).splitlines() == [
        "define 补贴额 = if reading 平台补贴上限 is 同受上限",
        f"    then min(100% of {LONG}, 100 万元)",
        f"    else 100% of {LONG}",
    ]


def test_an_else_if_broken_before_its_then_keeps_then_at_the_else_column() -> None:
    text = (
        "define 比例 = if 响应级别 is 未启动 then 0% else if 首要污染物 is 颗粒物 then (if reading "
        "二者比例之和 is 两项之和 then 减排比例 + 减排比例 else 减排比例) else 0%\n"
    )
    assert formats(text).splitlines() == [
        "define 比例 = if 响应级别 is 未启动 then 0%",
        "    else if 首要污染物 is 颗粒物",
        "    then (if reading 二者比例之和 is 两项之和 then 减排比例 + 减排比例 else 减排比例)",
        "    else 0%",
    ]


def test_an_if_inside_brackets_keeps_its_own_depth() -> None:
    # The `then`/`else` of an `if` in brackets belong to that `if`: its `else` goes one level
    # deeper than the outer `else` it is in, as before; its `then` stays on its line.
    inner = f"(if reading 档次 is 最高档 then min(100% of {LONG}, 100 万元) else 50% of {LONG})"
    text = f"define 额 = if reading 频次 is 每年 then 0 元 else {inner}\n"
    assert formats(text).splitlines() == [
        "define 额 = if reading 频次 is 每年 then 0 元",
        f"    else (if reading 档次 is 最高档 then min(100% of {LONG}, 100 万元)",
        f"        else 50% of {LONG})",
    ]
