"""`policyc fmt` wraps a statement wider than WIDTH (100 display columns, a Chinese character
two) before its operators, and only there (compiler/fmt.py): the weakest operators least deep
in parentheses first (`else`, then `or`, `and`, then `+ -`), the later pieces one level deeper.

The newcomer's 天政办发〔2026〕7号 wrote a define and a decide on several lines; fmt joined each
into one line of some 180 columns. The layouts below are written out by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from policyc.compiler.fmt import WIDTH, display_width, format_text
from policyc.compiler.parser import parse

NEWCOMER = """\
define 年龄符合 = (reading 年龄上限 is 含35周岁 and years_between(出生日期, on_date()) 不超过 35 年)
    or (reading 年龄上限 is 不含35周岁 and years_between(出生日期, on_date()) 不满 35 年) "年满35周岁以下"
decide 档次 = if 申请人类型 is 企业 then 无
    else if 学历 is 博士研究生 then 博士
    else if 学历 is 硕士研究生 then 硕士
    else 本科 "安居补贴档次"
"""


def formats(text: str) -> str:
    formatted = format_text(text)
    assert parse(formatted, "p.policy") == parse(text, "p.policy")
    assert format_text(formatted) == formatted  # fmt twice = fmt once
    return formatted


def test_a_long_define_breaks_at_its_or_then_inside_the_parentheses() -> None:
    # Joined, the define is 203 columns. Its only operator outside parentheses is `or`: the
    # first piece is exactly 100 columns and stays; the second, 106 with its description,
    # breaks before its `and`, one level deeper again.
    formatted = formats(NEWCOMER).splitlines()
    assert formatted[:3] == [
        "define 年龄符合 = (reading 年龄上限 is 含35周岁 and years_between(出生日期, on_date()) 不超过 35 年)",
        "    or (reading 年龄上限 is 不含35周岁",
        '        and years_between(出生日期, on_date()) 不满 35 年) "年满35周岁以下"',
    ]  # fmt: skip
    assert display_width(formatted[0]) == WIDTH


def test_a_long_if_chain_breaks_before_each_else() -> None:
    # joined: 142 columns; the `else`s are its weakest operators
    assert formats(NEWCOMER).splitlines()[3:] == [
        "decide 档次 = if 申请人类型 is 企业 then 无",
        "    else if 学历 is 博士研究生 then 博士",
        "    else if 学历 is 硕士研究生 then 硕士",
        '    else 本科 "安居补贴档次"',
    ]


def test_a_statement_that_fits_is_one_line() -> None:
    text = "define 甲 = 乙\n    or 丙\n"
    assert formats(text) == "define 甲 = 乙 or 丙\n"


def test_a_break_inside_parentheses_only_when_the_outer_ones_are_not_enough() -> None:
    inner = " and ".join(f"条件{i}" for i in range(1, 20))  # 19 条件 joined by and: 158 columns
    formatted = formats(f"define 甲 = 乙 or ({inner})\n").splitlines()
    assert formatted[0] == "define 甲 = 乙"
    assert formatted[1].startswith("    or (条件1")
    assert all(line.startswith("        and 条件") for line in formatted[2:])
    assert all(display_width(line) <= WIDTH for line in formatted)


def test_comments_are_kept_and_a_trailing_one_ends_the_last_piece() -> None:
    long = " or ".join(f"情形{i}" for i in range(1, 16))
    text = f"# 前注释\ndefine 甲 = {long}  # 末注释\n"
    formatted = formats(text).splitlines()
    assert formatted[0] == "# 前注释"
    assert formatted[1] == "define 甲 = 情形1"
    assert formatted[-1] == "    or 情形15  # 末注释"
    assert len(formatted) == 1 + 15


def test_a_long_quote_is_never_broken() -> None:
    quote = "对" + "服装电商企业按实际发货量每单补贴" * 8 + "。"
    text = f'clause 一 "t" {{\n    quote "{quote}"\n}}\n'
    assert formats(text) == text


def test_arithmetic_breaks_before_plus_and_minus_not_inside_a_product() -> None:
    text = (
        "define 金额 = 500 元/人 × 满6个月不满1年的推荐人数 + 1000 元/人 × 满1年的推荐人数"
        " + 300 元/人 × 其他推荐人数\n"
    )
    assert formats(text).splitlines() == [
        "define 金额 = 500 元/人 × 满6个月不满1年的推荐人数",
        "    + 1000 元/人 × 满1年的推荐人数",
        "    + 300 元/人 × 其他推荐人数",
    ]


SHARED_CAP = """\
shared_cap 第三四条合计 {
    quote "同一企业每年享受本办法第三条、第四条补贴合计不超过15万元。"
    limit 15 万元 per 企业 per 年
    over clause 三, clause 四
    order as_listed because "文件未规定合计超限时先扣哪一项, 按条款顺序读"
}
"""


def test_a_shared_cap_is_a_block_one_statement_a_line() -> None:
    """The layout docs/language.md and the tutorial show; fmt made it one 190-column line."""
    assert format_text(SHARED_CAP) == SHARED_CAP
    flat = " ".join(line.strip() for line in SHARED_CAP.splitlines()) + "\n"
    assert format_text(flat) == SHARED_CAP


def test_a_diff_of_a_file_without_a_final_newline_ends_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.policy"
    path.write_text("enum  甲 { a, b }", encoding="utf-8")  # no final newline
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "fmt", "--diff", str(path)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("+enum 甲 { a, b }\n")
    assert "-enum  甲 { a, b }\n\\ No newline at end of file\n" in done.stdout


def test_a_product_of_brackets_breaks_before_its_times_not_inside_them() -> None:
    # newcomer-s10b: `(if … else 60 万元) × (if … else 100%)` broke inside both brackets. Joined
    # it is some 126 columns; its only operator outside brackets is the `×`, after a `)`.
    text = (
        "decide 最高贷款额度 = (if 缴存方式 is 双方缴存 then 80 万元 else 60 万元)"
        ' × (if 多子女家庭 then 120% else 100%) "第四条（一）"\n'
    )
    assert formats(text).splitlines() == [
        "decide 最高贷款额度 = (if 缴存方式 is 双方缴存 then 80 万元 else 60 万元)",
        '    × (if 多子女家庭 then 120% else 100%) "第四条（一）"',
    ]
    # A bracket times a name: the `×` after `)` is the break, the `-` inside stays.
    text = "decide 还款能力额度 = max((计算用月缴存基数 × 50% - 现有月还款额) × 贷款期限, 0 元)"
    text = text.replace("计算用", "计算用的借款人及配偶") + ' "第四条（三）"\n'
    assert formats(text).splitlines() == [
        "decide 还款能力额度 = max((计算用的借款人及配偶月缴存基数 × 50% - 现有月还款额)",
        '    × 贷款期限, 0 元) "第四条（三）"',
    ]


def test_a_short_factor_stays_with_the_bracket_it_multiplies() -> None:
    # `15 ×` is no break: the bracket breaks at its own `else`, as before `×` had a rank.
    text = (
        "decide 余额额度 = 15 × (if 缴存方式 is 双方缴存 then 借款人账户余额 + 配偶账户余额"
        ' else 借款人账户余额) "第四条（二）"\n'
    )
    assert formats(text).splitlines() == [
        "decide 余额额度 = 15 × (if 缴存方式 is 双方缴存 then 借款人账户余额 + 配偶账户余额",
        '    else 借款人账户余额) "第四条（二）"',
    ]


def test_an_operator_inside_braces_is_deeper_than_one_outside() -> None:
    # The `+` inside `schedule { … }` is one level deeper than the two outside: only those
    # break (braces counted at depth 0 as the outer ones, it broke inside the schedule too).
    text = (
        "define 宿舍补贴总额 = 甲类宿舍补贴金额 + 乙类宿舍补贴金额 + schedule from 入驻日期"
        " { year 1 to 5: 200 元/月/间 × 宿舍间数 + 宿舍其他费用 }\n"
    )
    assert formats(text).splitlines() == [
        "define 宿舍补贴总额 = 甲类宿舍补贴金额",
        "    + 乙类宿舍补贴金额",
        "    + schedule from 入驻日期 { year 1 to 5: 200 元/月/间 × 宿舍间数 + 宿舍其他费用 }",
    ]
