"""A 重点任务分工方案 restated (the ninth newcomer's 2027年优化营商环境 plan): `policyc new` reads
each task's 牵头/责任/配合单位 and 完成时限 in any layout; a quote the source holds twice is placed
in the order the policy restates the document; a target not met before its `by` day is in
progress, after it overdue; a policy without validity dates is out of force before its issue
date; an unknown measure in a target is reported once; the form shows a documentary reading as
text. Expected values are worked by hand from the texts below."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError, Severity
from policyc.compiler.pipeline import CompiledPolicy, check_policy, compile_policy
from policyc.compiler.skeleton import skeleton
from policyc.compiler.skeleton_deadlines import deadline_day
from policyc.duties import progress_text
from policyc.report import to_text
from policyc.runtime.quantity import Quantity, declared_measures
from tests.conftest import REPO

UNITS = {
    "市发改委": "市发改委",
    "市财政局": "市财政局",
    "各区政府": "各区政府",
    "市税务局": "市税务局",
    "青禾市人民政府办公室": "市政府办",
}

# ---- 1. `policyc new`: the assignment of a task, in the layouts 分工方案 use -------------------

TASK = "1.压缩企业开办时间。企业开办时间压缩至1个工作日以内。"
LAYOUTS = {
    # brackets, ；between fields, 完成时限 last (the newcomer's: 责任单位 was lost before it)
    "brackets-semicolons": (
        TASK
        + "（牵头单位：市发改委；责任单位：市财政局、市税务局，各区政府；完成时限：2027年6月底前）",
        ["市发改委"],
        ["市财政局", "市税务局", "各区政府"],
        [],
        "2027-06-30",
    ),
    # the same fields in another order, 完成时限 first
    "deadline-first": (
        TASK + "（完成时限：2027年6月底前；责任单位：各区政府；牵头单位：市发改委）",
        ["市发改委"],
        ["各区政府"],
        [],
        "2027-06-30",
    ),
    # no brackets, ，between fields, a full stop at the end
    "no-brackets-commas": (
        TASK + "牵头单位：市发改委，责任单位：市财政局、各区政府，完成时限：2027年底前。",
        ["市发改委"],
        ["市财政局", "各区政府"],
        [],
        "2027-12-31",
    ),
    # ASCII brackets and colons, 配合单位 as `cooperates`
    "ascii-with-cooperating": (
        TASK + "(牵头单位:市发改委;配合单位:市财政局、市税务局;完成时限:2027年9月30日前)",
        ["市发改委"],
        [],
        ["市财政局", "市税务局"],
        "2027-09-30",
    ),
    # 牵头部门 / 责任部门 / 完成时间 for the same fields
    "departments": (
        TASK + "（牵头部门：市税务局；责任部门：市财政局；完成时间：2027年上半年）",
        ["市税务局"],
        ["市财政局"],
        [],
        "2027-06-30",
    ),
}


def _made(line: str) -> str:
    lines = ["青政办发〔2027〕2号", "测试方案", "各区人民政府：", "一、重点任务", line]
    lines += ["青禾市人民政府办公室", "2027年1月15日"]
    return skeleton(lines, 1, "notice.txt", UNITS.get, "units.policy")


def _field(made: str, keyword: str) -> list[str]:
    for line in made.splitlines():
        words = line.split(None, 1)
        if words and words[0] == keyword:
            return [name.strip() for name in words[1].split(",")]
    return []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_new_reads_every_field_of_an_assignment(layout: str) -> None:
    line, leads, responsible, cooperates, day = LAYOUTS[layout]
    made = _made(line)
    assert _field(made, "lead") == leads
    assert _field(made, "responsible") == responsible
    assert _field(made, "cooperates") == cooperates
    assert f"`by {day}`" in made
    assert "not in the registry" not in made  # every unit read, none cut short


def test_a_deadline_without_a_day_is_a_todo_for_a_note() -> None:
    made = _made(TASK + "（牵头单位：市发改委；责任单位：各区政府；完成时限：持续推进）")
    assert _field(made, "responsible") == ["各区政府"]
    assert "完成时限 持续推进 names no day" in made and "`by " not in made
    # a standing one is written as the `by` it is (tests/test_recurring_deadlines.py)
    made = _made(TASK + "（牵头单位：市发改委；责任单位：各区政府；完成时限：长期坚持）")
    assert "`by 长期`" in made


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2027年6月底前", "2027-06-30"),  # 月底 includes the month's last day
        ("2027年2月底前", "2027-02-28"),
        ("2028年2月底前", "2028-02-29"),  # a leap year's February
        ("2027年6月", "2027-06-30"),
        ("2027年6月15日前", "2027-06-15"),
        ("2027年12月31日", "2027-12-31"),
        ("2027年底前", "2027-12-31"),
        ("2027年上半年", "2027-06-30"),
        ("2027年下半年", "2027-12-31"),
        ("2027年第一季度", "2027-03-31"),
        ("2027年三季度末", "2027-09-30"),
        ("2027年6月前", ""),  # before June, or by its end? not guessed
        ("2027年2月30日前", ""),  # no such day
        ("每季度", ""),
        ("长期坚持", ""),
        ("持续推进", ""),
    ],
)
def test_the_last_day_a_deadline_allows(written: str, day: str) -> None:
    assert deadline_day(written) == day


# ---- a small plan: two tasks with the same 完成时限 ---------------------------------------------

SOURCE = """\
青禾市人民政府办公室关于印发测试分工方案的通知
青政办发〔2027〕2号
各区人民政府：
一、重点任务
1.压缩企业开办时间。企业开办时间压缩至1个工作日以内。（牵头单位：市发改委；完成时限：2027年6月底前）
2.落实减税降费政策。全年新增减税降费10亿元以上。（牵头单位：市税务局；完成时限：2027年6月底前）
青禾市人民政府办公室
2027年1月15日
"""

REGISTRY = """\
unit 市政府办 "青禾市人民政府办公室" alias 青禾市人民政府办公室
unit 市发改委 "青禾市发展和改革委员会"
unit 市税务局 "国家税务总局青禾市税务局"
"""

HEAD = """\
policy "青政办发〔2027〕2号" {
    title "青禾市人民政府办公室关于印发测试分工方案的通知"
    issuer 市政府办
    issued 2027-01-15
    source "notice.txt" lines 1 to 8
    units from "units.policy"
}

measure 工作日 "工作日: 法定工作日"

reading 月底前 documentary {
    question "“6月底前”是否含6月30日?"
    option 含月末日 "6月30日当天完成仍算按期"
    option 不含月末日 "须在6月29日前完成"
    take 含月末日 because "“底”指月末最后一天"
}

aside "青政办发〔2027〕2号" "文号"
aside "各区人民政府：" "主送机关"
aside "青禾市人民政府办公室" "落款"
aside "2027年1月15日" "落款"
"""

TASK_1 = """\
    task 1 "压缩企业开办时间" {
        quote "企业开办时间压缩至1个工作日以内。"
        quote "（牵头单位：市发改委；"
        quote "完成时限：2027年6月底前）"
        lead 市发改委
        target 企业开办时间 1 工作日 以内 by 2027-06-30 "企业开办时间压缩至1个工作日以内 (月底前)"
    }
"""

TASK_2 = """\
    task 2 "落实减税降费政策" {
        quote "全年新增减税降费10亿元以上。"
        quote "（牵头单位：市税务局；"
        quote "完成时限：2027年6月底前）"
        lead 市税务局
        target 新增减税降费 10 亿元 以上 by 2027-06-30 "全年新增减税降费10亿元以上 (月底前)"
    }
"""


def _plan(folder: Path, body: str, head: str = HEAD) -> Path:
    (folder / "notice.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "units.policy").write_text(REGISTRY, encoding="utf-8")
    path = folder / "plan.policy"
    path.write_text(head + body, encoding="utf-8")
    return path


IN_ORDER = 'section 一 "重点任务" {\n' + TASK_1 + TASK_2 + "}\n"


def _ambiguous(path: Path) -> list[int]:
    checked = check_policy(path)
    return [d.span.line for d in checked.warnings if d.code == "ambiguous-quote"]


# ---- 2. a repeated quote: placed in order ------------------------------------------------------


def test_a_repeated_quote_links_to_its_own_task_line(tmp_path: Path) -> None:
    checked = check_policy(_plan(tmp_path, IN_ORDER))
    section = checked.file.sections[0]
    lines = {task.number: [checked.quote_line(q) for q in task.quotes] for task in section.clauses}
    # task 1 is source line 5, task 2 line 6: each one's 完成时限 is on its own line
    assert lines == {"1": [5, 5, 5], "2": [6, 6, 6]}
    assert _ambiguous(tmp_path / "plan.policy") == []


def test_a_repeated_quote_the_quotes_around_do_not_place_is_warned(tmp_path: Path) -> None:
    # Task 1 opens with the 完成时限 that lines 5 and 6 both hold, right after the 落款 asides
    # (line 8): line 6 is nearer (2 lines) but line 5 (3 lines) is not twice as far, so the
    # quotes around it do not tell: placed at line 6, with a warning.
    task = TASK_1.replace(
        '        quote "企业开办时间压缩至1个工作日以内。"\n',
        '        quote "完成时限：2027年6月底前）"\n        quote "企业开办时间压缩至1个工作日以内。"\n',
    )
    body = 'section 一 "重点任务" {\n' + task + TASK_2 + "}\n"
    path = _plan(tmp_path, body)
    opening = (HEAD + body).splitlines().index('        quote "完成时限：2027年6月底前）"') + 1
    assert _ambiguous(path) == [opening]
    checked = check_policy(path)
    message = next(d.message for d in checked.warnings if d.code == "ambiguous-quote")
    assert "2 times (lines 5, 6)" in message and "placed at line 6" in message
    task_1 = checked.file.sections[0].clauses[0]
    assert [checked.quote_line(q) for q in task_1.quotes] == [6, 5, 5, 5]


def test_the_shipped_policies_link_quotes_where_their_comments_say() -> None:
    # The drafters noted `# 第N行` beside the asides whose text the source repeats (a title in
    # a table of contents, 天政办发〔2023〕2号's headings): each links to that line.
    noted = 0
    for path in sorted((REPO / "policies").glob("t*.policy")):
        checked = check_policy(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = re.match(r'\s*(?:aside|quote) "', line)
            said = re.search(r"#\s*第(\d+)行\s*$", line)
            if found and said:
                column = len(line) - len(line.lstrip()) + 1  # a quote's place is its keyword's
                assert checked.quote_places[(number, column)] == int(said[1]), line
                noted += 1
    assert noted >= 17


# ---- 3. a target before and after its `by` day -------------------------------------------------


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> CompiledPolicy:
    return compile_policy(_plan(tmp_path_factory.mktemp("plan"), IN_ORDER))


def _days(policy: CompiledPolicy, figure: str) -> Quantity:
    with declared_measures(policy.checked.measures):  # 工作日 is the policy's own measure
        return Quantity.of(figure, "工作日")


def _target(policy: CompiledPolicy, name: str, figure: str | None, on: date) -> tuple[str, str]:
    inputs = {} if figure is None else {name: _days(policy, figure)}
    result = next(r for r in policy.evaluate(inputs, on) if r.info.name == name)
    return result.status, result.due


@pytest.mark.parametrize(
    ("on", "figure", "expected"),
    [
        (date(2027, 6, 30), "1.5", ("not_met", "in_progress")),  # the `by` day itself: in time
        (date(2027, 7, 1), "1.5", ("not_met", "overdue")),  # the day after: overdue
        (date(2027, 7, 1), "1", ("met", "")),  # 以内 includes 1: met, whenever reported
        (date(2027, 6, 30), None, ("not_reported", "in_progress")),
        (date(2027, 7, 1), None, ("not_reported", "overdue")),
    ],
)
def test_a_target_is_in_progress_until_its_day_then_overdue(
    plan: CompiledPolicy, on: date, figure: str | None, expected: tuple[str, str]
) -> None:
    assert _target(plan, "企业开办时间", figure, on) == expected


def test_run_says_in_progress_or_overdue_in_text_and_json(tmp_path: Path) -> None:
    path = _plan(tmp_path, IN_ORDER)
    case = tmp_path / "case.yaml"
    case.write_text("policy: 青政办发〔2027〕2号\ninputs:\n  企业开办时间: 1.5工作日\n", "utf-8")

    def run(on: str, *more: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "policyc", "run", str(path), "--case", str(case), "--on", on,
             *more],
            capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "◔ 企业开办时间 — 尚未达到目标（期限未到，进行中）" in run("2027-06-30")
    assert "✘ 企业开办时间 — 逾期未达到目标" in run("2027-07-01")
    assert "逾期未达到目标" in run("2027-07-01", "--all")
    result = next(
        r for r in json.loads(run("2027-07-01", "--format", "json"))["results"]
        if r["rule"] == "企业开办时间"
    )  # fmt: skip
    assert (result["status"], result["due"], result["deadline"]) == (
        "not_met", "overdue", "2027-06-30",
    )  # fmt: skip
    assert "期限2027年6月30日已过" in result["reason"]


def test_progress_counts_split_overdue_from_in_progress(plan: CompiledPolicy) -> None:
    figures = {"企业开办时间": _days(plan, "1.5")}
    # 2027-07-01: 企业开办时间 not met past its day; 新增减税降费 not reported
    text = progress_text(plan, plan.evaluate(figures, date(2027, 7, 1)))
    assert "市发改委: 达到 0 · 未达到 1（其中逾期 1，期限未到 0） · 未报告 0" in text
    assert "市税务局: 达到 0 · 未达到 0 · 未报告 1" in text


# ---- 4. no validity dates: in force from the issue date ----------------------------------------


@pytest.mark.parametrize(
    ("on", "in_force"),
    [(date(2027, 1, 14), False), (date(2027, 1, 15), True), (date(2030, 1, 1), True)],
)
def test_a_policy_without_validity_starts_on_its_issue_date(
    plan: CompiledPolicy, on: date, in_force: bool
) -> None:
    from policyc.report_json import to_json

    results = plan.evaluate({}, on)
    document = to_json(plan, results, on, {}, None, False)
    assert document["in_force"] is in_force
    assert document["valid_from"] == "2027-01-15" and document["valid_until"] is None
    header = to_text(plan, results, on, {}, False).splitlines()[1]
    assert header.startswith(
        f"评估日 {on.isoformat()} · 有效期 自发布之日 2027-01-15 起，终止日未规定"
    )
    assert header.endswith("尚未发布" if not in_force else "在有效期内")


def test_the_shipped_plan_is_out_of_force_before_its_issue() -> None:
    # tzbf-2023-1 writes `issued 2023-01-09` and no validity.
    policy = compile_policy(REPO / "policies" / "tzbf-2023-1.policy")
    from policyc.report_json import in_force

    assert not in_force(policy, date(2022, 12, 1), {})
    assert not in_force(policy, date(2023, 1, 8), {})
    assert in_force(policy, date(2023, 1, 9), {})


# ---- 5. an unknown measure in a target: one error ----------------------------------------------


def test_an_unknown_measure_in_a_target_is_reported_once(tmp_path: Path) -> None:
    body = IN_ORDER.replace("10 亿元 以上", "10 亿块 以上")
    with pytest.raises(PolicyError) as raised:
        check_policy(_plan(tmp_path, body))
    errors = [d for d in raised.value.diagnostics if d.severity is Severity.ERROR]
    assert len(errors) == 1 and "亿块" in errors[0].message


# ---- 6. the form: a documentary reading as text; the validity as run says it -------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from tests.serve_helpers import running_server

    path = _plan(tmp_path_factory.mktemp("served"), IN_ORDER)
    with running_server(str(path)) as url:
        yield url


def test_the_form_offers_no_choice_of_a_documentary_reading(server: str) -> None:
    from tests.serve_helpers import request

    status, _, body = request(server, "GET", "/policies/plan")
    page = body.decode("utf-8")
    assert status == 200
    assert 'name="case.reading:月底前"' not in page  # nothing to choose
    assert "按政策文件取“含月末日”（文件已写定，不可另选）：“底”指月末最后一天" in page
    # the header: no validity dates, in force from the issue date, the end not set
    assert "有效期 自发布之日 2027-01-15 起，终止日未规定" in page  # as run's header (l. 355)
    assert "有效期 — 至" not in page


# ---- 7. figures in the target's measure; check counts targets and decided values ---------------


def test_a_figure_is_shown_in_the_measure_its_target_is_written_in(
    plan: CompiledPolicy, tmp_path: Path
) -> None:
    from policyc.serve.web import _in_target_measure

    # 9.99亿元 reported against `10 亿元 以上`: 9.99 < 10, not met, before 2027-06-30 in progress
    results = plan.evaluate({"新增减税降费": Quantity.of("9.99", "亿元")}, date(2027, 6, 30))
    text = to_text(plan, results, date(2027, 6, 30), {}, False)
    assert "◔ 新增减税降费 — 尚未达到目标（期限未到，进行中）" in text
    assert "实际：9.99亿元）" in text and "999,000,000元" not in text
    money = {"value": "999000000", "unit": "元", "text": "999,000,000元（99900万元）"}
    assert _in_target_measure(plan, money, "亿元")["text"] == "9.99亿元"
    assert _in_target_measure(plan, money, "")["text"] == money["text"]  # no measure: as it was


def test_check_counts_the_targets_of_a_plan(tmp_path: Path) -> None:
    path = _plan(tmp_path, IN_ORDER)
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "check", str(path), "--format", "json"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (summary,) = json.loads(done.stdout)["files"]
    # two tasks, no rules, two targets, no decide
    assert (summary["clauses"], summary["rules"], summary["targets"], summary["decisions"]) == (
        2, 0, 2, 0,
    )  # fmt: skip


def test_the_site_writes_the_validity_as_run_does() -> None:
    # 天政办发〔2023〕1号 writes no `valid from`: in force from its issue date, 2023-01-09, with no
    # last day — the site's 有效期 and run's header say it in the same words.
    from policyc.compiler.site.assemble import render_docs

    policy = check_policy(REPO / "policies" / "tzbf-2023-1.policy")
    pages = render_docs([policy])
    page = pages["docs/tzbf-2023-1.md"]  # the policy's page (not its gazette or source)
    assert "| 有效期 | 自发布之日 2023-01-09 起，终止日未规定 |" in page
    compiled = compile_policy(REPO / "policies" / "tzbf-2023-1.policy")
    header = to_text(compiled, [], date(2023, 3, 1), {}, False)
    assert "有效期 自发布之日 2023-01-09 起，终止日未规定 · 在有效期内" in header
