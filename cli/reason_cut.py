"""Shortening a reason for `run`'s answer (为何不适用) without cutting into what it says.

A reason is one sentence of clauses: `申请日期2026年9月1日晚于申请截止2026年8月31日（2026年8月30
日为星期日，顺延至8月31日），逾期申请`, `条件不成立: A，或(B，且C)`, `下列条件之一：①…；②…`. Cut
at a fixed number of characters it loses the half of a bracket, a date (`2023-0…`) or an amount
(`3,000,0…`) — the very fact a case worker reads it for. So a reason is only ever cut after a
whole clause: at a `，`, `；` or `。` outside every bracket and quotation mark, the last one
that leaves it within the limit; when no such place exists it is kept whole (a longer line is
better than a wrong one).
"""

from __future__ import annotations

# Clause boundaries: a comma, semicolon or full stop of the reason's own sentence. `、` is left
# out (it joins the members of one list: `一级、二级之一`), so is `：` (what follows it is the
# reason's substance: `下列条件之一：①…`), and the ASCII comma (inside an amount: `3,000,000元`).
BOUNDARIES = frozenset("，；。")
OPENING = {"（": "）", "(": ")", "【": "】", "[": "]", "《": "》", "“": "”", "‘": "’", "「": "」",
           "『": "』", "〔": "〕", "{": "}"}  # fmt: skip
CLOSING = frozenset(OPENING.values())
ELLIPSIS = "…"


def clause_ends(text: str) -> list[int]:
    """The indices just after each clause boundary of `text` that lies outside every bracket
    and quotation mark (`，` inside `（2026年8月30日为星期日，顺延至8月31日）` is not one). A
    closing mark without its opening one is ignored; an ASCII `"` opens and closes in turn."""
    ends = []
    depth = 0
    in_quote = False
    for index, char in enumerate(text):
        if char == '"':
            in_quote = not in_quote
        elif char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        elif char in BOUNDARIES and depth == 0 and not in_quote:
            ends.append(index + 1)
    return ends


def shortened(reason: str, limit: int) -> str:
    """`reason` when it is at most `limit` characters; else its clauses up to the last whole
    one that, with `…` in place of the boundary, stays within `limit` characters
    (`条件不成立: A，或(B，且C)` → `条件不成立: A…`); else, no clause boundary being near enough,
    the whole `reason`. The result never ends inside a bracket, a date or an amount."""
    if len(reason) <= limit:
        return reason
    fitting = [end for end in clause_ends(reason) if end <= limit]
    if not fitting:
        return reason
    head = reason[: fitting[-1] - 1].rstrip()
    return head + ELLIPSIS if head else reason
