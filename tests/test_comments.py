"""Finding a line's comment (compiler/comments.py): a `#` starts one unless it sits in a string."""

from __future__ import annotations

import pytest

from policyc.compiler.comments import Comment, comments


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("rule 甲 { }", []),
        ("# 整行注释", [Comment(1, 1, "# 整行注释", True)]),
        ("    # indented", [Comment(1, 5, "# indented", True)]),
        ('quote "无井号" # 说明', [Comment(1, 13, "# 说明", False)]),
        ('quote "第#1号" # 说明', [Comment(1, 14, "# 说明", False)]),
        ('quote "第#1号"', []),
        ('quote "a\\"#b" # c', [Comment(1, 15, "# c", False)]),
        ('note "未闭合 # 不是注释', []),
        ('x # "引号在注释里"', [Comment(1, 3, '# "引号在注释里"', False)]),
        ("x # c\r", [Comment(1, 3, "# c", False)]),
    ],
)
def test_a_hash_outside_strings_starts_the_comment(line: str, expected: list[Comment]) -> None:
    assert comments(line) == expected


def test_line_numbers_count_from_one() -> None:
    found = comments('a\n"#"\n  # three')
    assert found == [Comment(3, 3, "# three", True)]
