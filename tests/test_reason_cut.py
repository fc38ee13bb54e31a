"""`run`'s answer cuts a long reason only after a whole clause (cli/reason_cut.py): never inside a
bracket, a date or an amount (the 大病保险 newcomer's `…申请截止2026年8月31日（2026年8月30…`).

Each expected value is counted by hand from the reason written in the test.
"""

from __future__ import annotations

from policyc.answer import REASON_CHARS
from policyc.reason_cut import clause_ends, shortened

LATE = "申请日期2026年9月1日晚于申请截止2026年8月31日（2026年8月30日为星期日，顺延至8月31日），逾期申请"


def test_the_limit_is_forty_characters() -> None:
    assert REASON_CHARS == 40


def test_a_reason_at_the_limit_is_kept_and_one_over_it_is_cut_after_a_clause() -> None:
    # 20 + ，+ 19 = 40 characters: kept whole; one more (41) is cut after the first clause
    first, second = "甲" * 20, "乙" * 19
    assert shortened(f"{first}，{second}", 40) == f"{first}，{second}"
    assert shortened(f"{first}，{second}乙", 40) == f"{first}…"


def test_a_boundary_just_within_the_limit_is_taken_and_one_past_it_is_not() -> None:
    # the ，at index 39 ends 40 characters: the cut is the 39 before it and … (40 in all)
    assert shortened("甲" * 39 + "，" + "乙" * 5, 40) == "甲" * 39 + "…"
    # the ，at index 40 would leave 41: no clause fits, the reason is kept whole
    whole = "甲" * 40 + "，" + "乙" * 5
    assert shortened(whole, 40) == whole


def test_the_late_application_keeps_its_postponement() -> None:
    # 59 characters; its only ，outside the brackets comes after 54 of them (past 40): the
    # ，inside （…） is no boundary, so nothing is cut inside the date or the bracket
    assert len(LATE) == 59
    assert clause_ends(LATE) == [55]
    assert shortened(LATE, 40) == LATE
    # with room for its first clause, only 逾期申请 goes
    assert shortened(LATE, 55) == LATE[:54] + "…"
    assert shortened(LATE, 54) == LATE


def test_a_comma_inside_any_bracket_or_quotation_is_no_boundary() -> None:
    for opening, closing in ("（）", "()", "【】", "《》", "“”", "「」", "〔〕", '""'):
        text = f"甲{opening}乙，丙{closing}，丁"
        assert clause_ends(text) == [len(text) - 1], opening


def test_the_list_comma_the_colon_and_an_ascii_comma_are_no_boundary() -> None:
    # 一级、二级之一 is one list, 下列条件之一：① its substance, 3,000,000元 one amount
    assert clause_ends("一级、二级之一：①3,000,000元") == []


def test_a_semicolon_and_a_full_stop_are_boundaries() -> None:
    assert clause_ends("①甲；②乙。丙") == [3, 6]


def test_a_stray_closing_bracket_does_not_hide_later_boundaries() -> None:
    assert clause_ends("甲）乙，丙") == [4]


def test_a_date_range_condition_is_cut_between_its_halves_never_inside_a_date() -> None:
    # 53 characters: cut after the first half (31 characters before its ，), not at
    # "购房日期 ≤ 2023-0" as a cut at 39 characters was
    reason = "条件不成立: 购房日期 ≥ 2023-01-01（含本数），且购房日期 ≤ 2023-03-31（含本数）"
    assert len(reason) == 53
    assert shortened(reason, 40) == "条件不成立: 购房日期 ≥ 2023-01-01（含本数）…"


def test_a_reason_with_no_boundary_is_kept_whole() -> None:
    reason = "没有新达到的档次: 达到的 5000万元、8000万元 此前已达到（此前最高 90,000,000元（9000万元））"
    assert len(reason) > 40
    assert shortened(reason, 40) == reason
