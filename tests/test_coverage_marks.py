"""The coverage report's character marks (compiler/coverage.py `_Marks`): offsets counted along a
line give what a map of every (line, column) to its offset gives, white space of every kind."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policyc.compiler.coverage import _Marks

_TEXT = st.text(alphabet="甲乙丙，。 \t\u3000\u00a0\x1cab1", max_size=12)


def _index(numbered: list[tuple[int, str]]) -> dict[tuple[int, int], int]:
    """Every non-space character's (line, column) and its offset once white space is removed:
    the reference, character by character."""
    index: dict[tuple[int, int], int] = {}
    for number, line in numbered:
        for column, ch in enumerate(line, start=1):
            if not ch.isspace():
                index[(number, column)] = len(index)
    return index


@given(st.lists(_TEXT, min_size=1, max_size=4), st.data())
def test_offsets_agree_with_a_map_of_every_character(lines: list[str], data: st.DataObject) -> None:
    numbered = list(enumerate(lines, start=7))
    marks = _Marks(numbered)
    index = _index(numbered)
    assert marks.squeezed == "".join(ch for _, line in numbered for ch in line if not ch.isspace())
    line = data.draw(st.integers(5, 7 + len(lines)))
    column = data.draw(st.integers(-1, 14))
    own = dict(numbered).get(line, "")
    start = max(column - 1, 0)
    text = data.draw(st.sampled_from([own[start : start + 5], own[start:], "甲 乙", ""]))
    expected = [index.get((line, column + i)) for i in range(len(text))]
    assert marks._offsets(line, column, text) == expected


def test_a_sentence_is_covered_only_where_every_character_is_marked() -> None:
    marks = _Marks([(1, "第一条  支持 企业。"), (2, "　补贴 100 元")])
    marks.mark("支持企业", "quote")
    assert marks.covered_by(1, 6, "支持 企业。") == "quote"  # the 。 is punctuation, not content
    assert marks.covered_by(1, 1, "第一条  支持 企业。") == ""
    assert marks.covered_by(2, 2, "补贴 100 元") == ""
    marks.mark("补贴100元", "aside")
    assert marks.covered_by(2, 2, "补贴 100 元") == "aside"
    assert marks.covered_by(3, 1, "补贴") == ""  # outside the source lines
