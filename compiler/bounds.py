"""The boundary words: one table of every word a condition may be written with, where it stands
and whether it includes the number it names.

民法典 art. 1259: “以上”“以下”“以内”“届满” include the number; “不满”“超过”“以外” do not. The other
words follow their plain sense: 不少于/不低于/不高于/不多于/不超过 include the number (“not
more than 5.5%” allows 5.5%), 低于/高于/少于/多于 and 未满/不足/未达到 exclude it.

`BOUNDS` is the table; the grammar (`prefix_bound` and `suffix_bound` in grammar/policy.lark)
lists the same words and tests/test_bounds.py holds the two equal. Everything else reads the
table: the builder's comparisons (compiler/build_exprs.py), the post-lexer that splits `50人以上`
(compiler/glued.py), the highlighters (cli/lexer.py, cli/textmate.py), the language server's
completion and the parser's did-you-mean for a word it does not know. This module imports
nothing heavy (the highlighter loads it without Lark).
"""

from __future__ import annotations

import difflib
from typing import NamedTuple


class Bound(NamedTuple):
    """A boundary word: `op` one of ge gt le lt (the case's value against the number), `place`
    "before" (不少于 50 人) or "after" (50 人以上) the number, `includes` whether the number
    itself satisfies it (民法典 art. 1259's 含本数)."""

    word: str
    op: str
    place: str
    dates_only: bool = False  # 不迟于, 之前: a day's bound, refused on a quantity (checker)

    @property
    def includes(self) -> bool:
        return self.op in ("ge", "le")


BOUNDS: tuple[Bound, ...] = (
    # Written before the number.
    Bound("不少于", "ge", "before"),
    Bound("不低于", "ge", "before"),
    Bound("届满", "ge", "before"),
    Bound("满", "ge", "before"),
    Bound("达到", "ge", "before"),
    Bound("不超过", "le", "before"),
    Bound("不高于", "le", "before"),
    Bound("不多于", "le", "before"),
    Bound("超过", "gt", "before"),
    Bound("高于", "gt", "before"),
    Bound("多于", "gt", "before"),
    Bound("不满", "lt", "before"),
    Bound("未满", "lt", "before"),
    Bound("不足", "lt", "before"),
    Bound("未达到", "lt", "before"),
    Bound("低于", "lt", "before"),
    Bound("少于", "lt", "before"),
    # A day's bounds (`申请日期 不迟于 2026-03-31`). 迟/晚 "later", 早 "earlier": 不迟于 X allows X
    # itself (not later than X, as 不超过 is not more than), 迟于 X does not; art. 1259 does not
    # list them, so their plain sense decides, as for 不高于.
    Bound("不迟于", "le", "before", True),
    Bound("不晚于", "le", "before", True),
    Bound("迟于", "gt", "before", True),
    Bound("晚于", "gt", "before", True),
    Bound("不早于", "ge", "before", True),
    Bound("早于", "lt", "before", True),
    # Written after the number, longest first (及以上 before 以上).
    Bound("及以上", "ge", "after"),
    Bound("及以下", "le", "after"),
    Bound("以上", "ge", "after"),
    Bound("以下", "le", "after"),
    Bound("以内", "le", "after"),
    Bound("以外", "gt", "after"),
    # 2026-03-31 以前 / 之前: by that day, inclusive, as the language reads 前 in a deadline
    # (`每月25日前` is `by 每月 25 日`) and as art. 1259 counts 以上/以下/以内 (以 includes).
    Bound("之前", "le", "after", True),
    Bound("以前", "le", "after", True),
)

BOUND_BY_WORD: dict[str, Bound] = {b.word: b for b in BOUNDS}
PREFIX_WORDS: tuple[str, ...] = tuple(b.word for b in BOUNDS if b.place == "before")
SUFFIX_WORDS: tuple[str, ...] = tuple(b.word for b in BOUNDS if b.place == "after")
ALL_WORDS: tuple[str, ...] = PREFIX_WORDS + SUFFIX_WORDS

# Words a drafter may reach for that policyc does not take, each with the word that says the same
# (the documents' own vocabulary); a near-miss not listed here gets the closest spelling.
SAME_AS: dict[str, str] = {
    "不大于": "不高于",
    "不小于": "不低于",
    "大于": "高于",
    "小于": "低于",
    "未超过": "不超过",
    "不到": "不足",
    "至少": "不少于",
    "最多": "不超过",
    "至多": "不超过",
    "以下含": "以下",
    "以上含": "以上",
    "末满": "未满",  # 末 for 未: the usual slip of the eye or of OCR
    "末达到": "未达到",
}


def nearest_word(word: str) -> str:
    """The known boundary word closest to `word` (a word the grammar does not know), or "" when
    none is close: `不大于` → `不高于`, `末满` → `未满`, `不少与` → `不少于`."""
    if word in SAME_AS:
        return SAME_AS[word]
    close = difflib.get_close_matches(word, ALL_WORDS, n=1, cutoff=0.6)
    return close[0] if close else ""


def looks_like_bound(word: str) -> bool:
    """Whether an unknown word reads as a boundary word (so a did-you-mean fits): it is one of
    `SAME_AS`, or close to a known word and no longer than the longest of them."""
    return bool(word) and len(word) <= 3 and bool(nearest_word(word))
