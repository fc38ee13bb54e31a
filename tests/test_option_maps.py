"""The three maps from a reading's options (`valid by reading R { … }` in the header, a daily
cap's `by reading R { … }`, an each-limit's `ordered by reading R { … }`) are checked by one
method (CheckerBase.option_map) and every place a policy names a reading looks it up by one
(CheckerBase.reading): an unknown reading, an option the reading lacks, an option given twice
and an option left out are told in the same words, at the same place, whichever map it is
(tidy9, items 2 and 4). Before, the daily cap said `reading X has no option Y` where the others
said `Y is not an option of reading X`, and the header and the each-limit flagged both entries of
a duplicate where the daily cap flagged the second only."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import compile_policy
from tests.conftest import HEADER, PolicyFactory
from tests.test_daily_cap import CAP_LINE, _changed
from tests.test_each_limits import GROUP, READING, _rule

# ---- three maps, each written with options A, B of a reading, as text to vary ----------------

VALID = HEADER.replace(
    "    interpreted_by",
    "    valid by reading 起算 {\n"
    "        当日: from 2023-01-06 counting from_start_day,\n"
    "        次日: from 2023-01-06 counting from_next_day,\n"
    "    }\n    interpreted_by",
)
START = """reading 起算 {
    question "有效期自哪一日起算?"
    option 当日 "发布当日"
    option 次日 "发布次日"
    take 当日 because "文件写明自发布之日起"
}
"""
ORDER = "at_most 2 台 ordered by reading 先后 { 价高者先: 价格 descending, 申请顺序: as_listed }"


def _valid(folder: Path, old: str, new: str) -> str:
    policies = PolicyFactory(folder)
    return _errors(
        lambda: policies.write(policies.clause("", START), header=VALID.replace(old, new))
    )


def _cap(folder: Path, old: str, new: str) -> str:
    line = CAP_LINE.replace(old, new)
    return _errors(lambda: _changed(folder, CAP_LINE, line))


def _order(folder: Path, old: str, new: str) -> str:
    policies = PolicyFactory(folder)
    rule = _rule(ORDER.replace(old, new))
    return _errors(lambda: policies.write(policies.clause(rule, GROUP + READING)))


def _errors(write: Callable[[], Path]) -> str:
    with pytest.raises(PolicyError) as caught:
        compile_policy(write())
    return str(caught.value)


MAPS = {
    # map: (its policy compiled with one change, its first entry, its second entry, the
    # reading's name, the words before `reading`, the reading's options)
    "valid": (_valid, "当日: from", "次日: from", "起算", "valid by", ("当日", "次日")),
    "daily cap": (
        _cap,
        "满24小时: every",
        "自然日: calendar",
        "每日",
        "by",
        ("满24小时", "自然日"),
    ),
    "each limit": (
        _order,
        "价高者先: 价格",
        "申请顺序: as_listed",
        "先后",
        "ordered by",
        ("价高者先", "申请顺序"),
    ),
}


@pytest.mark.parametrize("kind", MAPS)
def test_an_option_the_reading_lacks(tmp_path: Path, kind: str) -> None:
    change, first, _second, reading, _keyword, options = MAPS[kind]
    text = change(tmp_path, first, first.replace(options[0], "抽签"))
    assert f"`抽签` is not an option of reading `{reading}`" in text, text
    assert f"expected {' / '.join(options)}" in text, text
    assert "has no option" not in text


@pytest.mark.parametrize("kind", MAPS)
def test_an_option_given_twice_is_flagged_once_at_its_second_entry(
    tmp_path: Path, kind: str
) -> None:
    change, _first, second, _reading, _keyword, options = MAPS[kind]
    text = change(tmp_path, second, second.replace(options[1], options[0]))
    flagged = re.findall(rf"^(.+):(\d+):(\d+): option `{options[0]}` is given twice", text, re.M)
    assert len(flagged) == 1, text
    path, line, column = flagged[0]
    lines = Path(path).read_text("utf-8").splitlines()
    at = sum(len(x) + 1 for x in lines[: int(line) - 1]) + int(column) - 1  # 1-based columns
    written = "\n".join(lines)
    entries = [m.start() for m in re.finditer(re.escape(f"{options[0]}:"), written)]
    assert entries[1:] == [at], text  # the second entry, not the first
    # … and the second option, now given none, is said missing
    assert f"says nothing of option(s) {options[1]}" in text


@pytest.mark.parametrize("kind", MAPS)
def test_an_option_left_out(tmp_path: Path, kind: str) -> None:
    change, _first, second, reading, keyword, options = MAPS[kind]
    # the second entry dropped: a line of its own in the header, else with the comma before it
    dropped = "        次日: from 2023-01-06 counting from_next_day,\n"
    text = change(tmp_path, dropped, "") if kind == "valid" else change(tmp_path, ", " + second, "")
    assert f"`{keyword} reading {reading}` says nothing of option(s) {options[1]}" in text, text


@pytest.mark.parametrize("kind", MAPS)
def test_an_unknown_reading(tmp_path: Path, kind: str) -> None:
    change, _first, _second, reading, keyword, _options = MAPS[kind]
    text = change(tmp_path, f"{keyword} reading {reading}", f"{keyword} reading 乱")
    assert "unknown reading `乱`" in text, text
    assert "expected a reading declared with `reading NAME { … }`" in text, text


def test_a_rule_naming_an_unknown_reading_is_told_the_same(policies: PolicyFactory) -> None:
    rule = "  rule r {\n    reading 乱\n    amount 1 元\n  }\n"
    text = _errors(lambda: policies.write(policies.clause(rule)))
    assert "unknown reading `乱`" in text, text
    assert "expected a reading declared with `reading NAME { … }`" in text, text


def test_a_reading_taking_an_option_it_lacks_is_told_the_same(policies: PolicyFactory) -> None:
    taken = START.replace("take 当日", "take 翌日")
    text = _errors(lambda: policies.write(policies.clause("", taken), header=VALID))
    assert "`翌日` is not an option of reading `起算`" in text, text
    assert "expected 当日 / 次日" in text, text
