"""`policyc fmt` breaks a long `amount range A to B` before its `to` first (compiler/fmt.py): the
two ends on two lines, `to B` one level deeper, each end broken inside only if still too wide;
a range that fits is one line. Only the range's `to` is a break.

newcomer finding (session 11): a long range broke before the `+` of its ends, `to` in the middle
of a line. The golden layout tests/fixtures/fmt/amount-range.expected.policy is written by hand."""

from __future__ import annotations

from pathlib import Path

from policyc.compiler.fmt import WIDTH, display_width, format_text
from policyc.compiler.parser import parse

FIXTURES = Path(__file__).parent / "fixtures" / "fmt"


def test_a_long_range_breaks_before_its_to_as_the_golden_file_shows() -> None:
    text = (FIXTURES / "amount-range.policy").read_text(encoding="utf-8")
    golden = (FIXTURES / "amount-range.expected.policy").read_text(encoding="utf-8")
    formatted = format_text(text)
    assert formatted == golden
    assert format_text(golden) == golden  # fmt twice = fmt once
    assert parse(formatted, "p.policy") == parse(text, "p.policy")  # the same ranges
    assert all(display_width(line) <= WIDTH for line in formatted.splitlines()[1:])


def test_the_first_range_is_exactly_one_column_too_wide_for_one_line() -> None:
    # The threshold on both sides, at 8 spaces' depth: 8 + `amount range ` 13 + the first end 41
    # (its Chinese characters two columns each) = 62; ` to ` 4; the second end 35 (… + 50 元):
    # 101 columns, one too wide; with `5 元`, 100: it fits and stays on one line.
    head = "amount range 违法所得 × 1 + 没收财物价值 × 1 + 5000 元"
    wide = f"{head} to 违法所得 × 3 + 没收财物 × 3 + 50 元"
    narrow = wide.replace("50 元", "5 元")
    assert display_width(" " * 8 + wide) == WIDTH + 1
    rule = 'clause 一 "罚则" {{\n    quote "处1倍以上3倍以下罚款"\n    rule 罚款 {{\n        {}\n    }}\n}}\n'
    assert format_text(rule.format(wide)).splitlines()[3:5] == [
        f"        {head}",
        "            to 违法所得 × 3 + 没收财物 × 3 + 50 元",
    ]
    assert format_text(rule.format(narrow)).splitlines()[3] == f"        {narrow}"


def test_a_long_source_line_never_breaks_at_its_to() -> None:
    long_name = "来文/" + "很长的文件夹名称" * 6 + ".txt"
    text = f'policy "测〔2026〕1号" {{\n    source "{long_name}" lines 1 to 9\n}}\n'
    assert f'    source "{long_name}" lines 1 to 9\n' in format_text(text)
