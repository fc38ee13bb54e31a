"""A yes/no target (`target NAME done [by …]`): a duty with no figure ("各区于2027年3月31日前
完成结算系统改造"), met when the case reports NAME true.

Statuses worked out from the rule: `by 2027-03-31` is inclusive, so on 2027-03-31 a target not
done is still in progress and on 2027-04-01 overdue; reported true it is met on either day;
not reported it is `not_reported`, with the same due. No 顺延 is written: no calendar is read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import CompiledPolicy, check_policy, compile_policy
from policyc.runtime.results import RuleResult
from tests.conftest import HEADER, QUOTE, PolicyFactory

IN_FORCE = HEADER.replace("for 3 年", "for 5 年")  # in force 2023-01-06 to 2028-01-05
TARGET = 'target 系统改造 done by 2027-03-31 "各区完成结算系统改造"'
POLICY = f"""clause 七 "x" {{
    {QUOTE}
    responsible 市商务局
    {TARGET}
    target 平台上线 done
}}
"""


@pytest.fixture
def plan(policies: PolicyFactory) -> CompiledPolicy:
    return compile_policy(policies.write(POLICY, header=IN_FORCE))


def _target(plan: CompiledPolicy, on: date, **reported: bool) -> dict[str, RuleResult]:
    results = plan.evaluate(dict(reported), on)
    return {r.info.name: r for r in results if r.info.role == "target"}


@pytest.mark.parametrize(
    ("on", "reported", "status", "due"),
    [
        (date(2027, 3, 31), {"系统改造": True}, "met", ""),
        (date(2027, 3, 31), {"系统改造": False}, "not_met", "in_progress"),  # the day itself
        (date(2027, 4, 1), {"系统改造": False}, "not_met", "overdue"),
        (date(2027, 4, 1), {"系统改造": True}, "met", ""),
        (date(2027, 3, 31), {}, "not_reported", "in_progress"),
        (date(2027, 4, 1), {}, "not_reported", "overdue"),
    ],
)
def test_a_done_target_is_met_only_when_reported_true_and_falls_due_after_its_day(
    plan: CompiledPolicy, on: date, reported: dict[str, bool], status: str, due: str
) -> None:
    result = _target(plan, on, **reported)["系统改造"]
    assert (result.status, result.due) == (status, due)
    assert result.info.target == "完成，期限2027年3月31日"


def test_a_done_target_without_by_is_never_due(plan: CompiledPolicy) -> None:
    results = _target(plan, date(2027, 4, 1), 平台上线=False)
    assert (results["平台上线"].status, results["平台上线"].due) == ("not_met", "")
    assert results["平台上线"].info.target == "完成"
    assert _target(plan, date(2027, 4, 1), 平台上线=True)["平台上线"].status == "met"


def test_check_declares_a_yes_no_input_and_refuses_a_name_taken(policies: PolicyFactory) -> None:
    checked = check_policy(policies.write(POLICY, header=IN_FORCE))
    info = checked.inputs["系统改造"]
    assert (info.type.kind, info.measure) == ("bool", None)
    assert info.decl.type.kind == "target"  # a unit's figure, not the applicant's input
    with pytest.raises(PolicyError) as caught:
        policies.compile(TARGET, "input 系统改造: bool")
    # the message names the first declaration and why a target's name is taken (refers16)
    said = [d.message for d in caught.value.diagnostics]
    assert any(
        m.startswith("`系统改造` is already declared (first at ") and "a target's name" in m
        for m in said
    ), said


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("系统改造 done 100 %", "unexpected `100`"),  # a yes/no has no figure
        ("系统改造 done within 1 %", "unexpected `within`"),
    ],
)
def test_a_done_target_takes_no_figure(policies: PolicyFactory, spec: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        policies.compile(f"target {spec}")
    assert [d.message for d in caught.value.diagnostics] == [message]


@pytest.mark.parametrize(
    ("sentence", "warned"),
    [("各区完成平台建设。", False), ("各区推进平台建设。", True)],  # 完成: the target's word
)
def test_lint_takes_完成_as_a_done_target_s_figure(
    policies: PolicyFactory, sentence: str, warned: bool
) -> None:
    from policyc.compiler.lint import lint

    (policies.folder / "source.txt").write_text(f"第一行\n{sentence}\n第三行\n", encoding="utf-8")
    body = f'clause 七 "x" {{\n    quote "{sentence}"\n    target 平台上线 done\n}}\n'
    found = lint(check_policy(policies.write(body, header=IN_FORCE)))
    codes = [d.code for d in found if d.code == "target-without-quote"]
    assert codes == (["target-without-quote"] if warned else [])


def _policyc(folder: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *words],
        capture_output=True, text=True, cwd=folder, timeout=60, check=False,
    )  # fmt: skip


def test_run_and_its_json_say_done_or_not(policies: PolicyFactory) -> None:
    path = policies.write(POLICY, header=IN_FORCE)
    (path.parent / "late.yaml").write_text(
        "on: 2027-04-01\ninputs:\n  系统改造: 否\n  平台上线: true\n", encoding="utf-8"
    )
    done = _policyc(path.parent, "run", path.name, "--case", "late.yaml")
    assert done.returncode == 0, done.stderr
    assert (
        "✘ 系统改造 — 逾期未达到目标（目标：完成，期限2027年3月31日，实际：未完成）" in done.stdout
    )
    assert "✔ 平台上线 — 达到目标（目标：完成，实际：已完成）" in done.stdout
    done = _policyc(path.parent, "run", path.name, "--case", "late.yaml", "--format", "json")
    results = {r["rule"]: r for r in json.loads(done.stdout)["results"]}
    late = results["系统改造"]
    assert (late["status"], late["value"], late["due"], late["deadline"]) == (
        "not_met", False, "overdue", "2027-03-31"
    )  # fmt: skip
    assert (results["平台上线"]["status"], results["平台上线"]["value"]) == ("met", True)


def test_a_figure_reported_for_a_done_target_is_refused_with_its_place(
    policies: PolicyFactory,
) -> None:
    path = policies.write(POLICY, header=IN_FORCE)
    (path.parent / "case.yaml").write_text(
        "on: 2027-04-01\ninputs:\n  系统改造: 100\n", encoding="utf-8"
    )
    done = _policyc(path.parent, "run", path.name, "--case", "case.yaml")
    assert done.returncode == 2
    assert "case.yaml:3:3: input `系统改造`: expected 是 or 否" in done.stderr
    assert "Traceback" not in done.stderr


def test_fmt_keeps_the_done_form(policies: PolicyFactory) -> None:
    path = policies.write(POLICY, header=IN_FORCE)
    done = _policyc(path.parent, "fmt", "--check", path.name)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_batch_counts_done_not_done_and_unreported_with_their_dues(
    policies: PolicyFactory,
) -> None:
    pytest.importorskip("duckdb", reason="the batch extra is not installed")
    path = policies.write(POLICY, header=IN_FORCE)
    (path.parent / "cases.csv").write_text("系统改造\ntrue\nfalse\n\n", encoding="utf-8")
    done = _policyc(
        path.parent, "run", path.name, "--cases", "cases.csv", "--on", "2027-04-01",
        "--out", "out.csv",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = (path.parent / "out.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    columns = [header.index(c) for c in ("系统改造.status", "系统改造.due", "系统改造.deadline")]
    picked = [[row.split(",")[i] for i in columns] for row in rows[1:]]
    assert picked == [
        ["met", "", ""],
        ["not_met", "overdue", "2027-03-31"],
        ["not_reported", "overdue", "2027-03-31"],
    ]


def test_the_site_words_the_target_as_完成(policies: PolicyFactory) -> None:
    from policyc.compiler.docs import render_docs

    pages = render_docs([check_policy(policies.write(POLICY, header=IN_FORCE))])
    page = next(text for text in pages.values() if "| 系统改造 |" in text)
    assert "| 系统改造 | 完成，期限2027年3月31日 | 各区完成结算系统改造 |" in page
    assert "| 平台上线 | 完成 |" in page


def test_the_web_form_says_done_or_not_as_run_does(plan: CompiledPolicy) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from policyc.report_json import to_json
    from policyc.serve.web import _TEMPLATES, _result_view

    inputs = {"系统改造": False, "平台上线": True}
    on = date(2027, 4, 1)
    results = plan.evaluate(inputs, on, explain=True)
    view = _result_view(plan, to_json(plan, results, on, {}, None, True, given=inputs))
    item = _TEMPLATES.get_template("_result.html.j2").module.result_item  # type: ignore[attr-defined]
    shown = {r["rule"]: str(item(r)) for r in view["targets"]}
    assert "目标：完成，期限2027年3月31日；实际 <strong>未完成</strong>" in shown["系统改造"]
    assert "逾期未达到目标" in shown["系统改造"]
    assert "目标：完成；实际 <strong>已完成</strong>" in shown["平台上线"]


def _parquet(folder: Path, reported: list[bool | None]) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"平台上线": pa.array(reported, pa.bool_())}), folder / "cases.parquet")


NO_BY = f"""clause 七 "x" {{
    {QUOTE}
    responsible 市商务局
    target 平台上线 done
}}
"""


def test_the_numpy_engine_counts_a_done_target(policies: PolicyFactory) -> None:
    # true, false, missing, true, false: 2 met, 2 not met, 1 not reported
    pytest.importorskip("duckdb", reason="the batch extra is not installed")
    path = policies.write(NO_BY, header=IN_FORCE)
    _parquet(path.parent, [True, False, None, True, False])
    done = _policyc(path.parent, "run", path.name, "--cases", "cases.parquet", "--on", "2027-04-01")
    assert done.returncode == 0, done.stderr
    assert "evaluated by the numpy engine" in done.stdout
    assert "targets: 2 met, 2 not met, 1 not reported (1 targets × 5 cases)" in done.stdout


def test_a_parquet_file_of_yes_no_columns_alone_loads(policies: PolicyFactory) -> None:
    # --out takes the DuckDB engine, whose loader reads no statistic of a stored bool column
    pytest.importorskip("duckdb", reason="the batch extra is not installed")
    path = policies.write(NO_BY, header=IN_FORCE)
    _parquet(path.parent, [True, None])
    done = _policyc(
        path.parent, "run", path.name, "--cases", "cases.parquet", "--on", "2027-04-01",
        "--out", "out.csv",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = (path.parent / "out.csv").read_text(encoding="utf-8").splitlines()
    assert [row.split(",")[-1] for row in rows] == ["平台上线.status", "met", "not_reported"]
