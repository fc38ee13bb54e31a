"""Deadlines a 分工方案 writes that recur or stand — 完成时限：每季度, 每月25日前, 每月底前,
长期坚持 — as `by 每季度`, `by 每月 25 日`, `by 每月底`, `by 长期` (遇节假日顺延: in
tests/test_deadline_postponed.py); `define`/`decide` inside a task; a `define` nothing reads warned of.
Every expected day is worked by hand from the calendar: a quarter ends 3月31日, 6月30日, 9月30日,
12月31日; February has 28 days in 2027 and 29 in 2028 (divisible by 4, not a century)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.lint import lint
from policyc.compiler.pipeline import CompiledPolicy, check_policy, compile_policy
from policyc.compiler.skeleton import skeleton
from policyc.compiler.skeleton_deadlines import recurring_by, sentence_deadlines
from policyc.duties import progress_text
from policyc.runtime.deadlines import day_in_view, due_on
from policyc.runtime.quantity import Quantity
from policyc.runtime.results import RuleResult

SOURCE = """\
青禾市人民政府办公室关于印发测试分工方案的通知
青政办发〔2027〕2号
一、重点任务
1.开展营商环境监测评价。每季度开展一次营商环境监测评价并通报结果。（牵头单位：市发改委；完成时限：每季度）
2.清理拖欠企业账款。拖欠中小企业账款做到应清尽清。（牵头单位：市财政局；完成时限：长期坚持）
二、工作要求
各牵头单位于每月25日前将任务进展情况报送市发改委，遇节假日顺延。
各牵头单位于每月底前更新工作台账。
青禾市人民政府办公室
2027年1月15日
"""

REGISTRY = """\
unit 市政府办 "青禾市人民政府办公室" alias 青禾市人民政府办公室
unit 市发改委 "青禾市发展和改革委员会"
unit 市财政局 "青禾市财政局"
"""

HEAD = """\
policy "青政办发〔2027〕2号" {
    title "青禾市人民政府办公室关于印发测试分工方案的通知"
    issuer 市政府办
    issued 2027-01-15
    source "notice.txt" lines 1 to 10
    units from "units.policy"
}

aside "青政办发〔2027〕2号" "文号"
aside "青禾市人民政府办公室" "落款"
aside "2027年1月15日" "落款"
"""

TASKS = """\
section 一 "重点任务" {
    task 1 "开展营商环境监测评价" {
        quote "每季度开展一次营商环境监测评价并通报结果。"
        quote "（牵头单位：市发改委；完成时限：每季度）"
        lead 市发改委
        target 本季度监测评价 不少于 1 次 by 每季度 "每季度开展一次"
    }
    task 2 "清理拖欠企业账款" {
        quote "拖欠中小企业账款做到应清尽清。"
        quote "（牵头单位：市财政局；完成时限：长期坚持）"
        lead 市财政局
        target 账款清偿率 达到 100% by 长期 "应清尽清"
    }
}
"""

DEMANDS = """\
section 二 "工作要求" {
    quote "各牵头单位于每月25日前将任务进展情况报送市发改委，遇节假日顺延。"
    quote "各牵头单位于每月底前更新工作台账。"
    lead 市发改委
    target 本月进展报送 不少于 1 次 by 每月 25 日 "每月25日前报送"
    target 本月台账更新 不少于 1 次 by 每月底 "每月底前更新台账"
}
"""


def _write(folder: Path, body: str) -> Path:
    (folder / "notice.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "units.policy").write_text(REGISTRY, encoding="utf-8")
    path = folder / "plan.policy"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("recurring")
    _write(folder, TASKS + DEMANDS)
    return folder


@pytest.fixture(scope="module")
def plan(folder: Path) -> CompiledPolicy:
    return compile_policy(folder / "plan.policy")


def _result(policy: CompiledPolicy, name: str, figure: Quantity | None, on: date) -> RuleResult:
    inputs = {} if figure is None else {name: figure}
    return next(r for r in policy.evaluate(inputs, on) if r.info.name == name)


def _times(count: int) -> Quantity:
    return Quantity.of(str(count), "次")


# ---- the day in view ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "on", "day"),
    [
        ("quarterly", date(2027, 1, 1), date(2027, 3, 31)),
        ("quarterly", date(2027, 3, 31), date(2027, 3, 31)),  # the quarter's last day
        ("quarterly", date(2027, 4, 1), date(2027, 6, 30)),  # the next day: the next quarter
        ("quarterly", date(2027, 9, 30), date(2027, 9, 30)),
        ("quarterly", date(2027, 10, 1), date(2027, 12, 31)),
        ("monthly:25", date(2027, 4, 25), date(2027, 4, 25)),
        ("monthly:25", date(2027, 4, 26), date(2027, 4, 25)),  # still April's 25th
        ("monthly:end", date(2027, 2, 28), date(2027, 2, 28)),  # 2027: not a leap year
        ("monthly:end", date(2028, 2, 28), date(2028, 2, 29)),  # 2028: the 28th is not the end
        ("monthly:end", date(2028, 2, 29), date(2028, 2, 29)),
        ("monthly:end", date(2027, 4, 30), date(2027, 4, 30)),  # a 30-day month
        ("2027-06-30", date(2027, 7, 1), date(2027, 6, 30)),  # a `by DATE` as before
        ("standing", date(2099, 1, 1), None),
    ],
)
def test_the_deadline_in_view_on_a_day(code: str, on: date, day: date | None) -> None:
    assert day_in_view(code, on) == day


@pytest.mark.parametrize(
    ("code", "on", "due"),
    [
        ("monthly:25", date(2027, 4, 25), "in_progress"),  # 25日前 includes the 25th
        ("monthly:25", date(2027, 4, 26), "overdue"),
        ("monthly:25", date(2027, 5, 1), "in_progress"),  # May's period: due May 25th
        ("quarterly", date(2027, 3, 31), "in_progress"),
        ("quarterly", date(2027, 4, 1), "in_progress"),  # a new quarter, not Q1 overdue
        ("standing", date(2030, 12, 31), "standing"),
    ],
)
def test_in_progress_or_overdue_on_each_side_of_the_day(code: str, on: date, due: str) -> None:
    assert due_on(code, on)[0] == due


# ---- a compiled plan ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "figure", "on", "expected"),
    [
        # 每季度: 0次 < 1次 not met; in the quarter it is in progress up to its last day
        ("本季度监测评价", 0, date(2027, 3, 31), ("not_met", "in_progress", "2027-03-31")),
        ("本季度监测评价", 0, date(2027, 4, 1), ("not_met", "in_progress", "2027-06-30")),
        ("本季度监测评价", 1, date(2027, 4, 1), ("met", "", "")),  # 不少于 1 includes 1
        ("本季度监测评价", None, date(2027, 12, 31), ("not_reported", "in_progress", "2027-12-31")),
        # 每月25日前
        ("本月进展报送", 0, date(2027, 4, 25), ("not_met", "in_progress", "2027-04-25")),
        ("本月进展报送", 0, date(2027, 4, 26), ("not_met", "overdue", "2027-04-25")),
        ("本月进展报送", None, date(2027, 4, 26), ("not_reported", "overdue", "2027-04-25")),
        ("本月进展报送", 1, date(2027, 4, 26), ("met", "", "")),
        # 每月底前: February's last day, in a common and a leap year
        ("本月台账更新", 0, date(2027, 2, 28), ("not_met", "in_progress", "2027-02-28")),
        ("本月台账更新", 0, date(2028, 2, 28), ("not_met", "in_progress", "2028-02-29")),
        ("本月台账更新", 0, date(2028, 2, 29), ("not_met", "in_progress", "2028-02-29")),
    ],
)
def test_a_recurring_target_on_each_side_of_its_day(
    plan: CompiledPolicy,
    name: str,
    figure: int | None,
    on: date,
    expected: tuple[str, str, str],
) -> None:
    result = _result(plan, name, None if figure is None else _times(figure), on)
    assert (result.status, result.due, result.deadline) == expected


@pytest.mark.parametrize(
    ("figure", "expected"), [("99", ("not_met", "standing")), ("100", ("met", ""))]
)
def test_a_standing_target_is_never_overdue(
    plan: CompiledPolicy, figure: str, expected: tuple[str, str]
) -> None:
    rate = Quantity.of(figure, "%")
    for on in (date(2027, 1, 15), date(2035, 12, 31)):
        result = _result(plan, "账款清偿率", rate, on)
        assert (result.status, result.due, result.deadline) == (*expected, "")


def test_the_wording_says_the_recurring_deadline(plan: CompiledPolicy) -> None:
    wording = {i.name: i.target for i in plan.rules if i.role == "target"}
    assert wording == {
        "本季度监测评价": "不少于1次（含本数），期限每季度末",
        "账款清偿率": "达到100%（含本数），长期坚持",
        "本月进展报送": "不少于1次（含本数），期限每月25日",
        "本月台账更新": "不少于1次（含本数），期限每月底",
    }


def test_run_says_it_in_text_and_json(folder: Path) -> None:
    case = folder / "case.yaml"
    case.write_text(
        "policy: 青政办发〔2027〕2号\ninputs:\n  本季度监测评价: 0次\n  本月进展报送: 0次\n"
        '  账款清偿率: "99%"\n',
        encoding="utf-8",
    )

    def run(*more: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "policyc", "run", "plan.policy", "--case", "case.yaml",
             "--on", "2027-04-26", *more],
            capture_output=True, text=True, cwd=folder, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    text = run()
    assert "✘ 本月进展报送 — 逾期未达到目标" in text
    assert "◔ 本季度监测评价 — 尚未达到目标（期限未到，进行中）" in text
    assert "◔ 账款清偿率 — 尚未达到目标（长期坚持，进行中）" in text
    results = {r["rule"]: r for r in json.loads(run("--format", "json"))["results"]}
    monthly, quarterly, standing = (
        results[k] for k in ("本月进展报送", "本季度监测评价", "账款清偿率")
    )
    assert (monthly["due"], monthly["deadline"], monthly["recurs"]) == (
        "overdue", "2027-04-25", "monthly",
    )  # fmt: skip
    assert "本月期限2027年4月25日已过" in monthly["reason"]
    assert (quarterly["due"], quarterly["deadline"], quarterly["recurs"]) == (
        "in_progress", "2027-06-30", "quarterly",
    )  # fmt: skip
    assert (standing["due"], standing["recurs"]) == ("standing", "standing")
    assert "deadline" not in standing


def test_progress_counts_a_standing_target_apart(plan: CompiledPolicy) -> None:
    figures = {"本月进展报送": _times(0), "账款清偿率": Quantity.of("99", "%")}
    # 2027-04-26: 本月进展报送 overdue (市发改委), 账款清偿率 standing (市财政局)
    text = progress_text(plan, plan.evaluate(figures, date(2027, 4, 26)))
    assert "市财政局: 达到 0 · 未达到 1（其中逾期 0，期限未到 0，长期 1） · 未报告 0" in text
    assert "市发改委: 达到 0 · 未达到 1（其中逾期 1，期限未到 0） · 未报告 2" in text


# ---- what is refused ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("by 每月 29 日", "每月 29 日: a day of each month is 1 to 28"),  # no 29th in 2027's Feb
        ("by 每月 0 日", "每月 0 日: a day of each month is 1 to 28"),
    ],
)
def test_what_the_language_cannot_know_is_refused(tmp_path: Path, written: str, said: str) -> None:
    path = _write(tmp_path, TASKS + DEMANDS.replace("by 每月 25 日", written))
    with pytest.raises(PolicyError) as caught:
        check_policy(path)
    assert said in str(caught.value)


@pytest.mark.parametrize(
    ("written", "deadline"),
    [("by 每月 28 日", "monthly:28"), ("by 每月 1 日", "monthly:1"), ("by 每月25日", "monthly:25")],
)
def test_the_days_every_month_has_are_read(tmp_path: Path, written: str, deadline: str) -> None:
    path = _write(tmp_path, TASKS + DEMANDS.replace("by 每月 25 日", written))
    info = next(i for i in compile_policy(path).rules if i.name == "本月进展报送")
    assert info.deadline == deadline


# ---- `policyc new` writes the clause ------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "by"),
    [
        ("每季度", "每季度"),
        ("每季度末", "每季度"),
        ("每月25日前", "每月 25 日"),
        ("每月底前", "每月底"),
        ("每月末", "每月底"),
        ("长期坚持", "长期"),
        ("每月30日前", ""),  # not in every month: not guessed
        ("持续推进", ""),
        ("2027年6月底前", ""),  # a day: `deadline_day`'s
    ],
)
def test_new_reads_a_recurring_deadline(written: str, by: str) -> None:
    assert recurring_by(written) == by


def test_new_writes_the_by_a_task_s_targets_take() -> None:
    units = {"市发改委": "市发改委", "市财政局": "市财政局", "青禾市人民政府办公室": "市政府办"}
    made = skeleton(SOURCE.splitlines(), 1, "notice.txt", units.get, "units.policy")
    assert "完成时限 每季度: write each target of task 1 with `by 每季度`" in made
    assert "完成时限 长期坚持: write each target of task 2 with `by 长期`" in made


# ---- define and decide in a task; an unused define ----------------------------------------------

IN_TASK = TASKS.replace(
    '        target 本季度监测评价 不少于 1 次 by 每季度 "每季度开展一次"\n',
    '        target 本季度监测评价 不少于 1 次 by 每季度 "每季度开展一次"\n'
    '        define 本季度已评价 = 本季度监测评价 不少于 1 次 "本季度已开展评价"\n'
    '        decide 评价情况 = if 本季度已评价 then 已评价 else 未评价 "本季度评价情况"\n',
)
ENUM = "enum 评价状态 { 已评价, 未评价 }\n"


def test_a_define_and_decide_in_a_task_are_the_policy_s(tmp_path: Path) -> None:
    path = _write(tmp_path, ENUM + IN_TASK + DEMANDS)
    policy = compile_policy(path)
    decided = {
        r.info.name: r.value
        for r in policy.evaluate({"本季度监测评价": _times(1)}, date(2027, 4, 1))
        if r.info.role == "decision"
    }
    assert decided == {"评价情况": "已评价"}
    decided = {
        r.info.name: r.value
        for r in policy.evaluate({"本季度监测评价": _times(0)}, date(2027, 4, 1))
        if r.info.role == "decision"
    }
    assert decided == {"评价情况": "未评价"}
    assert not [d for d in lint(check_policy(path)) if d.code == "unused-define"]


def test_a_define_inside_a_rule_says_where_it_may_go(tmp_path: Path) -> None:
    body = DEMANDS.replace(
        "    lead 市发改委\n",
        "    lead 市发改委\n    rule 报送 { define 已报送 = 本月进展报送 不少于 1 次 }\n",
    )
    with pytest.raises(PolicyError) as caught:
        check_policy(_write(tmp_path, TASKS + body))
    assert "a `define` goes at the top level or in a section, clause or task" in str(caught.value)


def test_an_unused_define_is_warned_with_its_name_and_line(tmp_path: Path) -> None:
    unused = '        define 已清偿 = 账款清偿率 达到 100% "无人读取"\n'
    body = IN_TASK.replace("        lead 市财政局\n", "        lead 市财政局\n" + unused)
    path = _write(tmp_path, ENUM + body + DEMANDS)
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index(unused.rstrip("\n")) + 1
    warned = [d for d in lint(check_policy(path)) if d.code == "unused-define"]
    assert [(d.span.line, d.message) for d in warned] == [
        (
            line,
            f"`define 已清偿` (line {line}) is never read: no rule, target or other value uses it",
        )
    ]


# ---- one member name in two enums ---------------------------------------------------------------

SHARED = """\
enum 带班领导 { 王建国, 无 }
enum 值班员 { 李明, 无 }
input 上报领导: 带班领导 optional "上报的带班领导"
input 上报值班员: 值班员 optional "上报的值班员"
"""


def test_a_member_two_enums_share_is_read_beside_a_value_of_its_enum(tmp_path: Path) -> None:
    decide = (
        'decide 评价情况 = if 上报领导 is 无 and 上报值班员 is 无 then 未评价 else 已评价 "x"\n'
    )
    policy = compile_policy(_write(tmp_path, ENUM + SHARED + decide + TASKS + DEMANDS))

    def decided(leader: str, clerk: str) -> object:
        inputs = {"上报领导": leader, "上报值班员": clerk}
        return next(
            r.value for r in policy.evaluate(inputs, date(2027, 4, 1)) if r.info.name == "评价情况"
        )

    assert decided("无", "无") == "未评价"
    assert decided("王建国", "无") == "已评价"
    assert decided("无", "李明") == "已评价"


def test_a_shared_member_written_alone_is_refused_naming_both_ways_out(tmp_path: Path) -> None:
    decide = 'decide 当班 = if 上报领导 is 王建国 then 无 else 王建国 "x"\n'
    with pytest.raises(PolicyError) as caught:
        check_policy(_write(tmp_path, SHARED + decide + TASKS + DEMANDS))
    said = str(caught.value)
    assert "`无` is a member of both 带班领导 and 值班员" in said
    assert "(`上报领导 is 无`)" in said and "(`无带班领导`、`无值班员`)" in said


@pytest.mark.parametrize(
    ("sentence", "notes"),
    [
        (
            "各牵头单位于每月25日前将任务进展情况报送市发改委，遇节假日顺延。",
            [
                "每月25日前: a target counting it takes `by 每月 25 日 遇节假日顺延`"  # test_deadline_postponed.py
            ],
        ),
        (
            "各牵头单位于每月10日前报送台账。",
            ["每月10日前: a target counting it takes `by 每月 10 日`"],
        ),
        ("每月30日前报送。", ["每月30日前: not every month has that day; say it in a `note`"]),
        ("每季度开展一次营商环境监测评价。", []),  # no deadline word in the sentence
    ],
)
def test_new_notes_a_monthly_deadline_a_sentence_states(sentence: str, notes: list[str]) -> None:
    assert sentence_deadlines([sentence]) == notes
