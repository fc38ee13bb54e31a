"""An applicant's deadline on a rule (`apply 申请日期 by …`) and the date bound words (不迟于 …).

Days worked out by hand from the Gregorian calendar and the State Council's notice of the 2026
节假日安排: 春节 2月15日至23日 rest, 2月14日 and 2月28日 (Saturdays) worked; 国庆
10月1日至7日 rest, 10月10日 (a Saturday) worked. 2026年1月10日 is a Saturday, 1月12日 a Monday.
- `by 每月 10 日 遇节假日顺延`, January: the 10th a Saturday → 1月12日; October: the 10th a 调休
  working Saturday → not moved.
- `by date_plus(事故发生日期, 30 日)`, 事故 2026-01-16: the day of the event not counted (民法典
  art. 201), the 30th day is 2月15日 (1月17日–31日 are 15 days, 2月1日–15日 15 more), inside 春节;
  顺延 → 2月24日, the Tuesday after 2月23日.
- The deadline is inclusive (前 and 以内 include the day, art. 1259): the day itself is in time,
  the day after is late.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.compiler.skeleton import skeleton
from policyc.compiler.skeleton_deadlines import (
    application_by,
    application_notes,
    sentence_deadlines,
)
from policyc.runtime.quantity import Quantity
from policyc.runtime.results import RuleResult
from tests.conftest import HEADER, QUOTE, PolicyFactory
from tests.test_fastpath import both

IN_FORCE = HEADER.replace("for 3 年", "for 5 年")  # in force 2023-01-06 to 2028-01-05
POLICY = """input 申请日期: date optional "申请人提出申请的日期"
input 事故发生日期: date optional
clause 七 "x" {
  QUOTE
  responsible 市商务局
  rule 月补顺延 {
    kind 补贴
    apply 申请日期 by 每月 10 日 遇节假日顺延
    amount 100 元
  }
  rule 月补 {
    kind 补贴
    apply 申请日期 by 每月 10 日
    amount 10 元
  }
  rule 事故补 {
    kind 补贴
    apply 申请日期 by date_plus(事故发生日期, 30 日) 遇节假日顺延
    amount 50 元
  }
  rule 事故补不顺延 {
    kind 补贴
    apply 申请日期 by date_plus(事故发生日期, 30 日)
    amount 5 元
  }
  rule 月底 {
    kind 补贴
    apply 申请日期 by 每月底
    amount 1 元
  }
}
""".replace("QUOTE", QUOTE)


@pytest.fixture
def plan(policies: PolicyFactory) -> CompiledPolicy:
    return compile_policy(policies.write(POLICY, header=IN_FORCE))


def _results(plan: CompiledPolicy, on: date, **days: str) -> dict[str, RuleResult]:
    inputs = {name: date.fromisoformat(day) for name, day in days.items()}
    results = {r.info.name: r for r in plan.evaluate(inputs, on, explain=True)}
    both(plan, inputs, on)  # the fast path leaves these rules to the traced one: the same answer
    return results


@pytest.mark.parametrize(
    ("applied", "moved_status", "plain_status"),
    [
        ("2026-01-10", "applies", "applies"),
        ("2026-01-12", "applies", "not_applicable"),  # the Monday 顺延 moves the Saturday to
        ("2026-01-13", "not_applicable", "not_applicable"),
    ],
)
def test_a_monthly_deadline_on_a_saturday_moves_to_the_monday(
    plan: CompiledPolicy, applied: str, moved_status: str, plain_status: str
) -> None:
    results = _results(plan, date(2026, 1, 20), 申请日期=applied)
    moved, plain = results["月补顺延"], results["月补"]
    assert (moved.status, plain.status) == (moved_status, plain_status)
    assert moved.applying.day == date(2026, 1, 12)
    assert moved.applying.nominal == date(2026, 1, 10)
    assert moved.applying.moved == "2026年1月10日为星期六，顺延至1月12日"
    assert plain.applying.day == date(2026, 1, 10)
    if moved_status == "not_applicable":
        assert moved.reason == (
            "申请日期2026年1月13日晚于申请截止2026年1月12日"
            "（2026年1月10日为星期六，顺延至1月12日），逾期申请"
        )


def test_a_saturday_made_a_working_day_does_not_move(plan: CompiledPolicy) -> None:
    # 2026年10月10日, a Saturday, is worked (国庆 调休): the 10th stays the deadline.
    on = date(2026, 10, 20)
    assert _results(plan, on, 申请日期="2026-10-10")["月补顺延"].status == "applies"
    late = _results(plan, on, 申请日期="2026-10-11")["月补顺延"]
    assert (late.status, late.applying.moved) == ("not_applicable", "")
    assert late.reason == "申请日期2026年10月11日晚于申请截止2026年10月10日，逾期申请"


@pytest.mark.parametrize(
    ("applied", "moved_status", "plain_status"),
    [
        ("2026-02-15", "applies", "applies"),  # the 30th day after the event
        ("2026-02-16", "applies", "not_applicable"),
        ("2026-02-24", "applies", "not_applicable"),  # 春节 over: the first working day
        ("2026-02-25", "not_applicable", "not_applicable"),
    ],
)
def test_thirty_days_from_the_event_count_from_the_next_day_and_move_over_the_spring_festival(
    plan: CompiledPolicy, applied: str, moved_status: str, plain_status: str
) -> None:
    results = _results(plan, date(2026, 3, 2), 申请日期=applied, 事故发生日期="2026-01-16")
    moved, plain = results["事故补"], results["事故补不顺延"]
    assert (moved.status, plain.status) == (moved_status, plain_status)
    assert (moved.applying.nominal, moved.applying.day) == (date(2026, 2, 15), date(2026, 2, 24))
    assert moved.applying.moved == "2026年2月15日为春节假期，顺延至2月24日"
    assert plain.applying.day == date(2026, 2, 15)


def test_a_month_end_in_a_leap_year(plan: CompiledPolicy) -> None:
    on = date(2024, 2, 5)
    assert _results(plan, on, 申请日期="2024-02-29")["月底"].status == "applies"
    assert _results(plan, on, 申请日期="2024-03-01")["月底"].status == "not_applicable"


def test_no_application_date_shows_the_deadline_and_judges_nothing(plan: CompiledPolicy) -> None:
    # on or before the deadline (1月10日, a Saturday, 顺延 to 1月12日; 事故 1月16日 + 30 日 =
    # 2月15日, in 春节, 顺延 to 2月24日) a case that has not applied yet can still apply in time
    for on in (date(2026, 1, 10), date(2026, 1, 12)):
        monthly = _results(plan, on)["月补顺延"]
        assert (monthly.status, monthly.amount) == ("applies", Quantity.of(100, "元"))
        assert (monthly.applying.day, monthly.applying.applied) == (date(2026, 1, 12), None)
        assert monthly.applying.in_time is None
    for on in (date(2026, 1, 20), date(2026, 2, 24)):
        event = _results(plan, on, 事故发生日期="2026-01-16")["事故补"]
        assert (event.status, event.applying.day) == ("applies", date(2026, 2, 24))


def test_no_application_date_after_the_deadline_asks_for_it(plan: CompiledPolicy) -> None:
    # the day after the deadline, whether the case applied in time is for its 申请日期 to say
    # (newcomer 17: a passed deadline was paid as if the case had applied in time)
    monthly = _results(plan, date(2026, 1, 13))["月补顺延"]
    assert (monthly.status, monthly.missing, monthly.amount) == (
        "undetermined",
        ("申请日期",),
        None,
    )
    event = _results(plan, date(2026, 2, 25), 事故发生日期="2026-01-16")["事故补"]
    assert (event.status, event.missing) == ("undetermined", ("申请日期",))
    # given, it decides: in time on the moved day, late the day after
    assert _results(plan, date(2026, 1, 13), 申请日期="2026-01-12")["月补顺延"].status == "applies"
    late = _results(plan, date(2026, 1, 13), 申请日期="2026-01-13")["月补顺延"]
    assert late.status == "not_applicable"


def test_an_application_whose_deadline_waits_on_the_event_is_undetermined(
    plan: CompiledPolicy,
) -> None:
    results = _results(plan, date(2026, 3, 2), 申请日期="2026-02-20")
    event = results["事故补"]
    assert (event.status, event.missing, event.amount) == ("undetermined", ("事故发生日期",), None)
    assert (event.applying.day, event.applying.waits) == (None, ("事故发生日期",))
    # without an application date there is nothing to judge: it applies, the deadline unknown
    alone = _results(plan, date(2026, 3, 2))["事故补"]
    assert (alone.status, alone.applying.waits) == ("applies", ("事故发生日期",))


def test_the_trace_says_the_application_was_in_time(plan: CompiledPolicy) -> None:
    results = _results(plan, date(2026, 1, 20), 申请日期="2026-01-12")
    steps = [s.text for s in results["月补顺延"].steps]
    assert "申请日期2026年1月12日不迟于申请截止2026年1月12日，按期申请" in steps


# ---- the official calendar's last day ---------------------------------------------------------

CALENDAR_POLICY = """input 申请日期: date optional
clause 七 "x" {
  QUOTE
  responsible 市商务局
  rule 已知 { kind 补贴 apply 申请日期 by 2026-12-28 遇节假日顺延 amount 1 元 }
  rule 未知 { kind 补贴 apply 申请日期 by 2026-12-31 遇节假日顺延 amount 2 元 }
  rule 基础补贴 { kind 补贴 amount 100 元 }
}
""".replace("QUOTE", QUOTE)


def test_a_day_the_calendar_does_not_know_refuses_that_rule_alone(
    policies: PolicyFactory,
) -> None:
    # chinese-calendar knows 2026 up to 12月28日 (a Monday, a working day): 12月31日 is unknown.
    # An application after it needs to know whether 顺延 moves it (on or before it: in time,
    # tests/test_deadline_unknown_open.py).
    plan = compile_policy(policies.write(CALENDAR_POLICY, header=IN_FORCE))
    results = _results(plan, date(2026, 12, 1), 申请日期="2027-01-01")
    assert results["已知"].status == "not_applicable"  # 12月28日 known, and passed
    refused = results["未知"]
    assert (refused.status, refused.amount, refused.missing) == ("undetermined", None, ())
    assert refused.reason == (
        "申请截止遇节假日顺延须知2026年12月31日是否为工作日，"
        "而工作日历只知2004年1月1日至2026年12月28日，本条无法判定"
    )
    assert refused.refused.startswith("2026-12-31: the calendar of working days knows")
    assert results["基础补贴"].amount == Quantity.of(100, "元")


# ---- check -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("apply 申请人类型 by 每月 10 日", "expected the date the case applied here"),
        ("apply 申请日期 by 30 日", "expected the last day to apply here"),
        ("apply 申请日期 by 每月 31 日", "每月 31 日: a day of each month is 1 to 28"),
    ],
)
def test_check_refuses_a_deadline_that_is_not_two_dates(
    policies: PolicyFactory, item: str, message: str
) -> None:
    declarations = "input 申请日期: date\nenum 类型 { 甲, 乙 }\ninput 申请人类型: 类型"
    with pytest.raises(PolicyError) as caught:
        policies.compile(f"rule r {{ kind 补贴 {item} amount 1 元 }}", declarations)
    assert any(message in d.message for d in caught.value.diagnostics), caught.value.diagnostics


# ---- 不迟于 and the other date bounds ---------------------------------------------------------


# word and whether 2026-03-30 / 03-31 / 04-01 satisfy `申请日期 WORD 2026-03-31` (the words'
# sense: 不迟于 "not later than" allows the day itself, as 不超过 allows the number; 之前/以前
# include it as the language reads 前 in a deadline and art. 1259 reads 以上/以下/以内).
DATE_WORDS = [
    ("不迟于", (True, True, False)),
    ("不晚于", (True, True, False)),
    ("迟于", (False, False, True)),
    ("晚于", (False, False, True)),
    ("不早于", (False, True, True)),
    ("早于", (True, False, False)),
]


@pytest.mark.parametrize(("word", "truth"), DATE_WORDS, ids=[w for w, _ in DATE_WORDS])
def test_a_date_bound_word_on_both_sides_of_its_day(
    policies: PolicyFactory, word: str, truth: tuple[bool, bool, bool]
) -> None:
    plan = compile_policy(
        policies.write(
            policies.clause(
                f"rule r {{ kind 补贴 when 申请日期 {word} 2026-03-31 amount 1 元 }}",
                "input 申请日期: date",
            ),
            header=IN_FORCE,
        )
    )
    for day, holds in zip((30, 31, 1), truth, strict=True):
        inputs = {"申请日期": date(2026, 3 if day > 1 else 4, day)}
        (result,) = plan.evaluate(inputs, date(2026, 4, 10))
        assert result.status == ("applies" if holds else "not_applicable"), (word, day)
        both(plan, inputs, date(2026, 4, 10))


@pytest.mark.parametrize("word", ["以前", "之前"])
def test_a_day_then_以前_includes_the_day(policies: PolicyFactory, word: str) -> None:
    plan = compile_policy(
        policies.write(
            policies.clause(
                f"rule r {{ kind 补贴 when 申请日期 2026-03-31 {word} amount 1 元 }}",
                "input 申请日期: date",
            ),
            header=IN_FORCE,
        )
    )
    statuses = [
        plan.evaluate({"申请日期": day}, date(2026, 4, 10))[0].status
        for day in (date(2026, 3, 31), date(2026, 4, 1))
    ]
    assert statuses == ["applies", "not_applicable"]


@pytest.mark.parametrize(
    ("written", "op"),
    [
        ("申请日期 不迟于2026-03-31", "le"),  # run together, as the document writes it
        ("申请日期 2026-03-31以前", "le"),
        ("申请日期 不晚于 on_date()", "le"),
        ("on_date() 迟于 申请日期", "gt"),
    ],
)
def test_a_date_bound_parses_glued_to_its_day_and_between_two_expressions(
    written: str, op: str
) -> None:
    from policyc.compiler import nodes as n
    from policyc.compiler.parser import parse

    parsed = parse(
        f'clause 1 "一" {{\n    rule r {{ when {written} amount 1 元 }}\n}}\n', "x.policy"
    )
    (when,) = parsed.clauses[0].rules[0].whens
    assert isinstance(when, n.Compare) and when.op == op


def test_a_date_bound_word_on_a_quantity_is_refused(policies: PolicyFactory) -> None:
    with pytest.raises(PolicyError) as caught:
        policies.compile("rule r { when 员工人数 不迟于 50 人 amount 1 元 }", "input 员工人数: 人")
    (problem,) = caught.value.diagnostics
    assert problem.message == "`不迟于` bounds a date, not a quantity in 人 and a quantity in 人"
    assert "不超过" in problem.expected


# ---- the answer and its JSON ------------------------------------------------------------------


def _policyc(folder: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *words],
        capture_output=True, text=True, cwd=folder, timeout=60, check=False,
    )  # fmt: skip


def test_run_shows_the_deadline_and_the_application(policies: PolicyFactory) -> None:
    path = policies.write(POLICY, header=IN_FORCE)
    (path.parent / "case.yaml").write_text(
        "on: 2026-03-02\ninputs:\n  申请日期: 2026-02-24\n  事故发生日期: 2026-01-16\n",
        encoding="utf-8",
    )
    done = _policyc(path.parent, "run", path.name, "--case", "case.yaml")
    assert done.returncode == 0, done.stderr
    assert (
        "  ✔ 事故补 — 适用: 50元 · 责任单位: 市商务局\n"
        "      申请截止: 2026-02-24（2026年2月15日为春节假期，顺延至2月24日）\n"
        "      申请日期: 2026-02-24，按期申请\n"
    ) in done.stdout
    assert "✘ 事故补不顺延 — 申请日期2026年2月24日晚于申请截止2026年2月15日" in done.stdout
    done = _policyc(path.parent, "run", path.name, "--case", "case.yaml", "--format", "json")
    results = {r["rule"]: r for r in json.loads(done.stdout)["results"]}
    assert results["事故补"]["apply_by"] == {
        "deadline": "2026-02-24",
        "postponed": {"from": "2026-02-15", "reason": "2026年2月15日为春节假期，顺延至2月24日"},
        "applied": "2026-02-24",
        "in_time": True,
    }
    assert results["月底"]["apply_by"] == {
        "deadline": "2026-03-31",
        "applied": "2026-02-24",
        "in_time": True,
    }


# ---- policyc new -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "apply"),
    [
        (
            "申请人应于每月10日前提出申请，遇节假日顺延。",
            "apply 申请日期 by 每月 10 日 遇节假日顺延",
        ),
        ("申请人应于每月底前提出申请。", "apply 申请日期 by 每月底"),
        ("请于2026年3月31日前向乡镇人民政府申请。", "apply 申请日期 by 2026-03-31"),
        ("申请人不迟于2026年3月31日提出申请。", "apply 申请日期 by 2026-03-31"),
        (
            "自事故发生之日起30日内向县残联申请补贴。",
            "apply 申请日期 by date_plus(事故发生日期, 30 日)",
        ),
        ("自受理之日起5个工作日内申请复核。", "apply 申请日期 by date_plus(受理日期, 5 工作日)"),
        ("每月31日前提出申请。", ""),  # not every month has the day: not guessed
        ("2026年2月30日前申请。", ""),  # no such day
        ("各牵头单位于每月25日前将任务进展情况报送市发改委。", ""),  # a duty's, not an application
        # a filing (申报, 报送, 提交) by the applicant is an application; by a unit, a duty
        ("申请人每月15日前申报，遇节假日顺延。", "apply 申请日期 by 每月 15 日 遇节假日顺延"),
        ("申请单位应于每月底前报送用工花名册。", "apply 申请日期 by 每月底"),
        ("申请人于2026年3月31日前提交材料。", "apply 申请日期 by 2026-03-31"),
        (
            "申请人应当自核发之日起30日内申报。",
            "apply 申请日期 by date_plus(核发日期, 30 日)",
        ),
        ("各乡镇人民政府每月15日前申报资金需求。", ""),
        ("各乡镇人民政府于2026年3月31日前提交工作总结。", ""),
    ],
)
def test_new_reads_an_applicant_s_deadline(sentence: str, apply: str) -> None:
    assert application_by(sentence) == apply


def test_new_tells_an_applicant_s_filing_from_a_unit_s() -> None:
    """申请人…申报 is the applicant's deadline (an `apply`, no target's `by`); the same day and
    verb for 各乡镇人民政府 is a unit's duty, whose target counts it `by 每月 15 日`."""
    filing = "申请人每月15日前申报，遇节假日顺延。"
    assert sentence_deadlines([filing]) == []
    (note,) = application_notes([filing])
    assert "`apply 申请日期 by 每月 15 日 遇节假日顺延`" in note
    duty = "各乡镇人民政府每月15日前申报资金需求，遇节假日顺延。"
    assert application_notes([duty]) == []
    (proposed,) = sentence_deadlines([duty])
    assert "by 每月 15 日 遇节假日顺延" in proposed


def test_new_proposes_the_apply_and_no_target_by_for_an_application() -> None:
    sentence = "申请人应于每月10日前提出申请，遇节假日顺延。"
    assert sentence_deadlines([sentence]) == []  # not a target's `by 每月 10 日`
    (note,) = application_notes([sentence])
    assert note.startswith(
        "an applicant's deadline: the rule takes `apply 申请日期 by 每月 10 日 遇节假日顺延`"
    )
    source = "县残疾人补贴发放办法\n第一条 申请人应于每月10日前提出申请，遇节假日顺延。\n"
    made = skeleton(source.splitlines(), 1, "notice.txt", {}.get, "")
    assert "# TODO(drafter): an applicant's deadline: the rule takes `apply 申请日期 by" in made


# ---- the site and the web form -------------------------------------------------------------------


def test_the_site_says_the_deadline_to_the_citizen(policies: PolicyFactory) -> None:
    from policyc.compiler.docs import render_docs
    from policyc.compiler.pipeline import check_policy

    checked = check_policy(policies.write(POLICY, header=IN_FORCE))
    pages = render_docs([checked])
    page = next(text for name, text in pages.items() if "申请期限" in text)
    assert "- **申请期限**：每月10日前申请（含当日，遇节假日顺延）" in page
    assert "- **申请期限**：事故发生日期起30日的对应日前申请（含当日，遇节假日顺延）" in page


def test_the_web_form_shows_the_deadline_and_the_application(plan: CompiledPolicy) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from policyc.report_json import to_json
    from policyc.serve.web import _TEMPLATES, _result_view

    inputs = {"申请日期": date(2026, 2, 24), "事故发生日期": date(2026, 1, 16)}
    on = date(2026, 3, 2)
    results = plan.evaluate(inputs, on, explain=True)
    view = _result_view(plan, to_json(plan, results, on, {}, None, True, given=inputs))
    [event] = [r for r in view["applies"] if r["rule"] == "事故补"]
    shown = str(_TEMPLATES.get_template("_result.html.j2").module.result_item(event))  # type: ignore[attr-defined]
    assert (
        '<div class="apply-by">申请截止：2026-02-24（2026年2月15日为春节假期，顺延至2月24日）'
        "；申请日期 2026-02-24，按期申请</div>"
    ) in shown


# ---- many cases ------------------------------------------------------------------------------------


def test_the_batch_judges_each_row_per_case(plan: CompiledPolicy, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from policyc.batch import Batch

    applied = ["2026-02-15", "2026-02-16", "2026-02-24", "2026-02-25"]
    path = tmp_path / "c.parquet"
    columns = {"申请日期": applied, "事故发生日期": ["2026-01-16"] * 4}
    pq.write_table(pa.table({k: pa.array(v) for k, v in columns.items()}), path)
    with Batch(plan) as batch:
        batch.load(path, date(2026, 3, 2))
        program = batch.evaluate(keep=True)
        rows = [row for _, row in batch.rows()]
    fallbacks = {rule.name: rule.fallback for rule in program.rules}
    assert "applicant's deadline" in fallbacks["事故补"]
    assert [row["事故补"][0] for row in rows] == ["applies"] * 3 + ["not_applicable"]
    assert [row["事故补不顺延"][0] for row in rows] == ["applies"] + ["not_applicable"] * 3


def test_the_numpy_engine_leaves_it_saying_why(plan: CompiledPolicy, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pytest.importorskip("numpy")
    from policyc.batch_vector import VectorBatch

    path = tmp_path / "c.parquet"
    columns = {"申请日期": ["2026-02-24"], "事故发生日期": ["2026-01-16"]}
    pq.write_table(pa.table({k: pa.array(v) for k, v in columns.items()}), path)
    reason = VectorBatch(plan, keep=True, threads=1).prepare(path, date(2026, 3, 2))
    assert "it has an applicant's deadline (`apply … by`), judged per case" in reason


# ---- the rule's conditions before its deadline (review 17) -------------------------------------

CONDITIONED = """input 申请日期: date optional
input 合格: bool optional "申请人是否符合条件"
clause 七 "x" {
  QUOTE
  responsible 市商务局
  rule 有条件 {
    kind 补贴
    when 合格
    apply 申请日期 by 2026-12-31 遇节假日顺延
    amount 3 元
  }
  rule 每月 {
    kind 补贴
    when 合格
    apply 申请日期 by 每月 10 日
    amount 4 元
  }
}
""".replace("QUOTE", QUOTE)


def _conditioned(
    plan: CompiledPolicy, on: date, inputs: dict[str, object]
) -> dict[str, RuleResult]:
    """The traced results (the fast path, which tests the conditions first, must agree: `both`)."""
    both(plan, inputs, on)
    return {r.info.name: r for r in plan.evaluate(inputs, on, explain=True)}


def test_a_failed_condition_decides_before_the_deadline(policies: PolicyFactory) -> None:
    plan = compile_policy(policies.write(CONDITIONED, header=IN_FORCE))
    # 12月31日 is past the calendar's last day (12月28日) and the case applied after it: only an
    # eligible case needs that day (refused alone); an ineligible one is not applicable by its
    # condition (the traced path refused it, the fast path did not: review 17)
    eligible = _conditioned(plan, date(2027, 1, 5), {"申请日期": date(2027, 1, 4), "合格": True})
    assert eligible["有条件"].status == "undetermined"
    assert eligible["有条件"].refused.startswith("2026-12-31: ")
    ineligible = _conditioned(plan, date(2027, 1, 5), {"申请日期": date(2027, 1, 4), "合格": False})
    assert (ineligible["有条件"].status, ineligible["有条件"].reason) == (
        "not_applicable",
        "条件不成立: 合格",
    )
    # ineligible and late (3月11日 after 3月10日): the condition is the reason, not the lateness
    late = _conditioned(plan, date(2026, 3, 20), {"申请日期": date(2026, 3, 11), "合格": False})
    assert (late["每月"].status, late["每月"].reason) == ("not_applicable", "条件不成立: 合格")
    # eligibility not given and late: lateness decides whatever 合格 is
    late_only = _conditioned(plan, date(2026, 3, 20), {"申请日期": date(2026, 3, 11)})
    assert late_only["每月"].status == "not_applicable"
    assert "逾期申请" in late_only["每月"].reason
    # eligible and in time (3月10日): it applies
    in_time = _conditioned(plan, date(2026, 3, 20), {"申请日期": date(2026, 3, 10), "合格": True})
    assert in_time["每月"].amount == Quantity.of(4, "元")


def test_the_web_form_judges_no_application_while_the_deadline_waits(plan: CompiledPolicy) -> None:
    # 申请日期 given, 事故发生日期 not: the deadline waits on it, so the application is neither in
    # time nor late (the page said 逾期申请 for an undetermined rule: review 17)
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from policyc.report_json import to_json
    from policyc.serve.web import _TEMPLATES, _result_view

    inputs = {"申请日期": date(2026, 2, 24)}
    on = date(2026, 3, 2)
    results = plan.evaluate(inputs, on, explain=True)
    view = _result_view(plan, to_json(plan, results, on, {}, None, True, given=inputs))
    [event] = [r for r in view["undetermined"] if r["rule"] == "事故补"]
    shown = str(_TEMPLATES.get_template("_result.html.j2").module.result_item(event))  # type: ignore[attr-defined]
    assert (
        '<div class="apply-by">申请截止：需要输入 事故发生日期；申请日期 2026-02-24</div>' in shown
    )
    assert "逾期申请" not in shown and "按期申请" not in shown
