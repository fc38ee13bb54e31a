"""The comments of a policy file: the grammar drops them, the formatter and `ignore` need them.

A comment runs from `#` to the end of its line; a `#` inside a string is not one. Strings never
span lines (grammar/policy.lark), so one pass over each line finds them exactly.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Comment:
    """A comment: 1-based line and column of its `#`, its text from `#` on, and whether it is
    alone on its line (nothing but whitespace before it)."""

    line: int
    column: int
    text: str
    alone: bool


def comments(text: str) -> list[Comment]:
    """Every comment of `text`, in order. An unterminated string ends its line's scan (the
    parser reports it)."""
    found: list[Comment] = []
    for number, line in enumerate(text.split("\n"), start=1):
        column = _comment_start(line)
        if column is not None:
            text_of = line[column:].rstrip("\r")
            found.append(Comment(number, column + 1, text_of, not line[:column].strip()))
    return found


def _comment_start(line: str) -> int | None:
    hash_at = line.find("#")
    if hash_at < 0 or '"' not in line[:hash_at]:
        return None if hash_at < 0 else hash_at  # most lines: no scan character by character
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "#":
            return i
        if ch == '"':
            i += 1
            while i < len(line) and line[i] != '"':
                i += 2 if line[i] == "\\" else 1
            if i >= len(line):
                return None
        i += 1
    return None
