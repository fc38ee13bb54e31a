"""`policyc new` reads the common wordings of an applicant's period from an event and of a duty's
inline day, and proposes nothing on their near misses.

Expected texts are the language's own forms written from the sentence: 出院 → the input
出院日期; 九十 → 90; 2027年3月底 → 2027-03-31 (March has 31 days); 2028年2月底 → 2028-02-29
(2028 is a leap year). The compile test counts by hand: 出院 2026-10-01, the day not counted
(民法典 art. 201): October 2–31 are 30 days, November 30 more, December 1–30 the last 30, so the
90th day is 2026-12-30 (a Wednesday; no 顺延 written, so no calendar is read).
"""

from __future__ import annotations

from datetime import date

import pytest

from policyc.compiler.skeleton import skeleton
from policyc.compiler.skeleton_dates import count_written
from policyc.compiler.skeleton_deadlines import application_by, sentence_deadlines
from tests.conftest import HEADER, PolicyFactory

# ---- an applicant's period from an event -------------------------------------------------------

PROPOSED = [
    # 应于 … 之日起, no 自 (the newcomer's 第八条)
    (
        "参保人员应于出院之日起90日内申请大病保险待遇，遇节假日顺延。",
        "apply 申请日期 by date_plus(出院日期, 90 日) 遇节假日顺延",
    ),
    (
        "参保人员自出院之日起90日内申请大病保险待遇。",
        "apply 申请日期 by date_plus(出院日期, 90 日)",
    ),
    ("参保人员从出院之日起30天以内申请。", "apply 申请日期 by date_plus(出院日期, 30 日)"),
    # … 后 N 日内
    ("参保人员应当在出院后90日内申请待遇。", "apply 申请日期 by date_plus(出院日期, 90 日)"),
    ("治疗结束，出院后30日内申请。", "apply 申请日期 by date_plus(出院日期, 30 日)"),
    # 收到 … 之日起: the receipt is the event, with or without a word before it
    (
        "申请人收到不予受理决定书之日起六十日内申请复议。",
        "apply 申请日期 by date_plus(收到不予受理决定书日期, 60 日)",
    ),
    (
        "申请人应当自收到通知之日起十五个工作日内申请。",
        "apply 申请日期 by date_plus(收到通知日期, 15 工作日)",
    ),
    # Chinese numerals
    ("参保人员应于出院之日起九十日内申请。", "apply 申请日期 by date_plus(出院日期, 90 日)"),
    ("自事故发生之日起一百八十日内申请。", "apply 申请日期 by date_plus(事故发生日期, 180 日)"),
    ("自出院之日起三个月内申请。", "apply 申请日期 by date_plus(出院日期, 3 月)"),
]

NOT_PROPOSED = [
    "自2026年1月1日起90日内申请。",  # a day, not an event: no input to count from
    "自受理之日起20个工作日内办结。",  # the office's time limit: no 申请 in the sentence
    "自出院之日起满90日后申请。",  # the earliest day to apply, not the last
    "出院前90日内申请。",  # before the event
    "自出院之日起90日以上申请。",  # no 内: not a period to apply within
    # no word introduces the event: the event would swallow the subject (参保人员出院日期)
    "参保人员出院后90日内申请。",
]


@pytest.mark.parametrize(("sentence", "apply"), PROPOSED, ids=[s for s, _ in PROPOSED])
def test_new_proposes_the_apply_of_a_period_from_an_event(sentence: str, apply: str) -> None:
    assert application_by(sentence) == apply


@pytest.mark.parametrize("sentence", NOT_PROPOSED)
def test_new_proposes_no_apply_on_a_near_miss(sentence: str) -> None:
    assert application_by(sentence) == ""


@pytest.mark.parametrize(
    ("written", "number"),
    [("90", 90), ("三", 3), ("十五", 15), ("九十", 90), ("一百", 100), ("一百零五", 105),
     ("一百八十", 180), ("二百", 200), ("两百四十", 240)],
)  # fmt: skip
def test_count_written_reads_hundreds(written: str, number: int) -> None:
    assert count_written(written) == number


def test_the_proposed_apply_compiles_and_counts_from_the_day_after(
    policies: PolicyFactory,
) -> None:
    apply = application_by("参保人员应于出院之日起九十日内申请大病保险待遇。")
    policy = policies.write(
        policies.clause(
            f"rule 大病保险待遇 {{ kind 补贴 {apply} amount 100 元 }}",
            "input 申请日期: date optional\ninput 出院日期: date optional",
        ),
        header=HEADER.replace("for 3 年", "for 5 年"),
    )
    from policyc.compiler.pipeline import compile_policy

    plan = compile_policy(policy)
    on = date(2027, 1, 10)
    statuses = {
        applied: plan.evaluate({"出院日期": date(2026, 10, 1), "申请日期": applied}, on)[0].status
        for applied in (date(2026, 12, 30), date(2026, 12, 31))
    }
    assert statuses == {date(2026, 12, 30): "applies", date(2026, 12, 31): "not_applicable"}


# ---- a duty's inline day, the `by` of the target it states -------------------------------------

BY = (
    "{written}: a target it states takes `by {day}` (the last day it allows; a duty with no "
    "figure: `target NAME done by {day}`; confirm)"
)
UNREAD = (
    "{written} is not read as one day (a month without 底: before it or by its end?; or a day "
    "the month lacks): say it in a `note`"
)


@pytest.mark.parametrize(
    ("sentence", "notes"),
    [
        (
            "各区医疗保障分局于2027年3月31日前完成大病保险“一站式”结算系统改造。",
            [BY.format(written="2027年3月31日前", day="2027-03-31")],
        ),
        (
            "各区医疗保障分局2027年3月底前完成系统改造。",
            [BY.format(written="2027年3月底前", day="2027-03-31")],
        ),
        (
            "2028年2月底前全面建成平台。",
            [BY.format(written="2028年2月底前", day="2028-02-29")],
        ),
        ("到2027年底前实现全覆盖。", [BY.format(written="2027年底前", day="2027-12-31")]),
        ("2027年第三季度前上线。", [BY.format(written="2027年第三季度前", day="2027-09-30")]),
        # near misses: a month without 底 (before it or by its end?), a day June lacks
        ("2027年3月前完成系统改造。", [UNREAD.format(written="2027年3月前")]),
        ("各区于2027年6月31日前完成。", [UNREAD.format(written="2027年6月31日前")]),
        # near misses: no verb of completion (a report is not a target), the part's label, an
        # applicant's day (an `apply`, not a `by`)
        ("各区于2027年3月31日前报送材料。", []),
        ("完成时限：2027年3月31日前。", []),
        ("请于2026年3月31日前完成申请。", []),
    ],
)
def test_new_reads_a_duty_s_inline_day(sentence: str, notes: list[str]) -> None:
    assert sentence_deadlines([sentence]) == notes


def test_the_skeleton_proposes_both_for_the_newcomer_s_sentences() -> None:
    source = (
        "XX市城乡居民大病保险实施细则\n"
        "第一条 参保人员应于出院之日起90日内申请大病保险待遇，遇节假日顺延。\n"
        "第二条 各区医疗保障分局于2027年3月31日前完成系统改造。\n"
    )
    made = skeleton(source.splitlines(), 1, "notice.txt", {}.get, "")
    first, second = made.split("\nclause 二 ")
    assert (
        "# TODO(drafter): an applicant's deadline: the rule takes "
        "`apply 申请日期 by date_plus(出院日期, 90 日) 遇节假日顺延`"
    ) in first
    assert "by 2027-03-31" not in first
    assert "# TODO(drafter): " + BY.format(written="2027年3月31日前", day="2027-03-31") in second
    assert "apply 申请日期" not in second
