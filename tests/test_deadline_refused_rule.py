"""A rule whose condition, amount or value counts working days past the official calendar refuses
that rule alone, not the run.

`chinese-calendar` knows 2004年1月1日 to 2026年12月28日 (runtime/workdays.py: the last year up to
12月28日 only). Days worked out by hand from the Gregorian calendar, 2026年12月21日 being a
Monday and no day from it to 12月28日 a holiday of the 2026 notice (its 元旦 is 2026年1月1日至3日):
- 受理 2026-12-21 (Mon, not counted): 22, 23, 24, 25 (Tue to Fri), 26/27 the weekend, 28 (Mon)
  — the fifth working day is 2026-12-28, the last day known;
- 受理 2026-12-22 (Tue): 23, 24, 25, 28 and then 2026-12-29, a day the calendar does not know.
The rule `按时办结` (1 元) is then refused — undetermined, no amount, the reason naming the day —
while `基础补贴` (100 元) is answered; the total is 100 元, never 101 元; `run` exits 1.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.quantity import Quantity
from policyc.runtime.results import RuleResult
from tests.conftest import HEADER, QUOTE, PolicyFactory

POLICY = """measure 工作日 "工作日"
input 受理日期: date
input 办结日期: date
clause 七 "x" {
  QUOTE
  responsible 市商务局
  rule 按时办结 {
    when 办结日期 <= date_plus(受理日期, 5 工作日)
    amount 1 元
  }
  rule 基础补贴 {
    amount 100 元
  }
  decide 办结时限 = date_plus(受理日期, 5 工作日)
}
""".replace("QUOTE", QUOTE)
ON = date(2026, 12, 1)
IN_FORCE = HEADER.replace("for 3 年", "for 5 年")  # in force on ON: 2023-01-06 to 2028-01-05
KNOWN = "2004年1月1日至2026年12月28日"
LAST_KNOWN = {"受理日期": "2026-12-21", "办结日期": "2026-12-28"}
FIRST_UNKNOWN = {"受理日期": "2026-12-22", "办结日期": "2026-12-29"}


@pytest.fixture
def plan(policies: PolicyFactory) -> CompiledPolicy:
    return compile_policy(policies.write(POLICY, header=IN_FORCE))


def _results(plan: CompiledPolicy, case: dict[str, str], explain: bool) -> dict[str, RuleResult]:
    inputs = {name: date.fromisoformat(day) for name, day in case.items()}
    return {r.info.name: r for r in plan.evaluate(inputs, ON, explain=explain)}


def _line(name: str, plan_path: Path) -> int:
    text = plan_path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(text, 1) if f" {name} " in line)


@pytest.mark.parametrize("explain", [False, True])  # the fast path and the traced one
def test_the_last_day_known_is_counted(plan: CompiledPolicy, explain: bool) -> None:
    results = _results(plan, LAST_KNOWN, explain)
    rule = results["按时办结"]
    assert (rule.status, rule.amount, rule.refused) == ("applies", Quantity.of("1", "元"), "")
    assert results["办结时限"].value == date(2026, 12, 28)


@pytest.mark.parametrize("explain", [False, True])
def test_the_first_day_unknown_refuses_that_rule_alone(plan: CompiledPolicy, explain: bool) -> None:
    results = _results(plan, FIRST_UNKNOWN, explain)
    rule = results["按时办结"]
    assert (rule.status, rule.amount, rule.missing) == ("undetermined", None, ())
    assert rule.reason == (
        f"按工作日计算须知2026年12月29日是否为工作日，而工作日历只知{KNOWN}，本条无法判定"
    )
    assert rule.refused.startswith(
        "2026-12-29: the calendar of working days knows the days from 2004-01-01 to 2026-12-28"
    )
    decided = results["办结时限"]  # a decided value needing the day: refused alike
    assert (decided.status, decided.value) == ("undetermined", None)
    assert decided.refused.startswith("2026-12-29: ")
    other = results["基础补贴"]  # every other rule answered
    assert (other.status, other.amount, other.refused) == ("applies", Quantity.of("100", "元"), "")


# ---- the command line, the JSON, the web service, the batch ----------------------------------


def _policyc(folder: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *words],
        capture_output=True, text=True, cwd=folder, timeout=60, check=False,
    )  # fmt: skip


def _case(folder: Path, case: dict[str, str]) -> str:
    lines = "".join(f"  {name}: {day}\n" for name, day in case.items())
    (folder / "case.yaml").write_text(f"on: {ON.isoformat()}\ninputs:\n{lines}", encoding="utf-8")
    return "case.yaml"


def test_run_answers_the_others_and_exits_1(policies: PolicyFactory) -> None:
    path = policies.write(POLICY, header=IN_FORCE)
    done = _policyc(path.parent, "run", path.name, "--case", _case(path.parent, FIRST_UNKNOWN))
    assert done.returncode == 1, done.stderr
    line = _line("按时办结", path)
    assert f"p.policy:{line}: `按时办结` cannot be evaluated, the others are: 2026-12-29: " in (
        done.stderr
    )
    assert "Traceback" not in done.stderr
    out = done.stdout
    assert (
        f"  ? 按时办结 — 无法判定: 按工作日计算须知2026年12月29日是否为工作日，而工作日历只知{KNOWN}"
        in out
    )
    assert "  ? 办结时限 — 无法判定: 按工作日计算须知2026年12月29日" in out
    assert "始终适用的 1 条" in out  # 基础补贴, reading no input: counted, in the total
    assert "合计（支付给申请人）: 100元\n" in out  # 1 元 of the refused rule never added
    assert "  合计不含无法判定的 按时办结（工作日历无法判断）" in out


def test_run_on_the_last_day_known_exits_0(policies: PolicyFactory) -> None:
    path = policies.write(POLICY, header=IN_FORCE)
    done = _policyc(path.parent, "run", path.name, "--case", _case(path.parent, LAST_KNOWN))
    assert done.returncode == 0, done.stderr
    assert "合计（支付给申请人）: 101元" in done.stdout
    assert "无法判定" not in done.stdout


def test_the_json_lists_the_refused_rule(policies: PolicyFactory) -> None:
    path = policies.write(POLICY, header=IN_FORCE)
    case = _case(path.parent, FIRST_UNKNOWN)
    done = _policyc(path.parent, "run", path.name, "--case", case, "--format", "json")
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    by_name = {r["rule"]: r for r in document["results"]}
    refused = by_name["按时办结"]
    assert (refused["status"], refused["amount"]) == ("undetermined", None)
    assert refused["refused"].startswith("2026-12-29: ")
    assert sorted((item["rule"], item["line"]) for item in document["refused"]) == [
        ("办结时限", _line("办结时限", path)),
        ("按时办结", _line("按时办结", path)),
    ]
    totals = json.dumps(document["totals"], ensure_ascii=False)
    assert '"100' in totals and "101" not in totals


def test_the_json_of_the_last_day_known_has_no_refused(policies: PolicyFactory) -> None:
    path = policies.write(POLICY, header=IN_FORCE)
    case = _case(path.parent, LAST_KNOWN)
    done = _policyc(path.parent, "run", path.name, "--case", case, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "refused" not in json.loads(done.stdout)


def test_the_web_service_answers_200_with_the_part_refused(plan: CompiledPolicy) -> None:
    # was a 422 for the whole case; now the answer, the rule listed under "refused"
    from policyc.serve.evaluate import evaluate_one

    raw = json.dumps({"inputs": FIRST_UNKNOWN}, ensure_ascii=False).encode()
    document = json.loads(evaluate_one(plan, raw, {"on": ON.isoformat()}, []))
    assert sorted(item["rule"] for item in document["refused"]) == ["办结时限", "按时办结"]
    status = {r["rule"]: r["status"] for r in document["results"]}
    assert (status["按时办结"], status["基础补贴"]) == ("undetermined", "applies")


def test_the_batch_gives_each_row_and_counts_the_rows_refused(policies: PolicyFactory) -> None:
    pytest.importorskip("duckdb")
    path = policies.write(POLICY, header=IN_FORCE)
    rows = [("a", LAST_KNOWN), ("b", FIRST_UNKNOWN), ("c", FIRST_UNKNOWN)]
    (path.parent / "cases.csv").write_text(
        "id,受理日期,办结日期\n"
        + "".join(f"{key},{case['受理日期']},{case['办结日期']}\n" for key, case in rows),
        encoding="utf-8",
    )
    words = ("run", path.name, "--cases", "cases.csv", "--on", ON.isoformat())
    done = _policyc(path.parent, *words, "--out", "out.csv")
    assert done.returncode == 1, done.stderr
    assert "按时办结: refused in 2 rows, a day the calendar of working days does not know" in (
        done.stdout
    )
    with (path.parent / "out.csv").open(encoding="utf-8", newline="") as handle:
        out = {row["id"]: row for row in csv.DictReader(handle)}
    assert [out[key]["按时办结.status"] for key in "abc"] == [
        "applies",
        "undetermined",
        "undetermined",
    ]
    assert [out[key]["基础补贴.status"] for key in "abc"] == ["applies"] * 3
    summary = json.loads(_policyc(path.parent, *words, "--format", "json").stdout)
    assert summary["refused"] == {"按时办结": 2, "办结时限": 2}


def test_a_batch_of_known_days_exits_0(policies: PolicyFactory) -> None:
    pytest.importorskip("duckdb")
    path = policies.write(POLICY, header=IN_FORCE)
    (path.parent / "known.csv").write_text(
        f"id,受理日期,办结日期\na,{LAST_KNOWN['受理日期']},{LAST_KNOWN['办结日期']}\n",
        encoding="utf-8",
    )
    words = ("run", path.name, "--cases", "known.csv", "--on", ON.isoformat())
    done = _policyc(path.parent, *words, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "refused" not in json.loads(done.stdout)


def test_the_results_waiting_for_an_input_leave_out_those_refused(policies: PolicyFactory) -> None:
    # 规模奖励 waits for 员工人数; 按时办结 and 办结时限, refused, wait for no input: 1, not 3
    more = POLICY.replace(
        "input 受理日期: date", "input 受理日期: date\ninput 员工人数: 人 optional"
    )
    more = more.replace(
        "  decide 办结时限",
        "  rule 规模奖励 {\n    when 员工人数 >= 10 人\n    amount 5 元\n  }\n  decide 办结时限",
    )
    path = policies.write(more, header=IN_FORCE)
    done = _policyc(path.parent, "run", path.name, "--case", _case(path.parent, FIRST_UNKNOWN))
    assert done.returncode == 1, done.stderr
    assert "还需要以下输入（1 项结果待定）" in done.stdout
    assert "员工人数" in done.stdout


SHARED = (
    POLICY
    + "shared_cap 两项合计 {\n    limit 50 元\n    over 按时办结, 基础补贴\n"
    + '    order as_listed because "按条款顺序"\n}\n'
)


@pytest.mark.parametrize("explain", [False, True])
def test_a_shared_cap_after_a_refused_rule_is_refused_too(
    policies: PolicyFactory, explain: bool
) -> None:
    # 基础补贴 is served after 按时办结: what is left of the 50 元 cannot be told either
    plan = compile_policy(policies.write(SHARED, header=IN_FORCE))
    later = _results(plan, FIRST_UNKNOWN, explain)["基础补贴"]
    assert (later.status, later.amount, later.missing) == ("undetermined", None, ())
    assert later.refused.startswith("2026-12-29: ")
    assert later.reason == (
        "合计上限「两项合计」先分给 按时办结, 其金额未定; 按时办结 按工作日计算无法判定"
    )
    # the last day known: 1 元, then 49 元 of what is left of the 50 元
    known = _results(plan, LAST_KNOWN, explain)
    assert known["按时办结"].amount == Quantity.of("1", "元")
    assert (known["基础补贴"].amount, known["基础补贴"].refused) == (Quantity.of("49", "元"), "")


def test_a_proportional_shared_cap_with_a_refused_rule_is_refused_too(
    policies: PolicyFactory,
) -> None:
    proportional = SHARED.replace('order as_listed because "按条款顺序"', "order proportional")
    plan = compile_policy(policies.write(proportional, header=IN_FORCE))
    other = _results(plan, FIRST_UNKNOWN, False)["基础补贴"]
    assert (other.status, other.amount, other.refused[:12]) == (
        "undetermined",
        None,
        "2026-12-29: ",
    )
    assert other.reason == (
        "合计上限「两项合计」按比例核减, 各项合计未定（按时办结 的金额未定）"
        "; 按时办结 按工作日计算无法判定"
    )
    # the last day known: 101 元 asked of 50 元, each amount × 50 ÷ 101 cut to the 分:
    # 1 × 50/101 = 0.49504… → 0.49 (remainder 0.00504…), 100 × 50/101 = 49.50495… → 49.50
    # (remainder 0.00495…); the 分 left (50 − 49.99 = 0.01) goes to the larger remainder: 0.50
    known = _results(plan, LAST_KNOWN, False)
    assert known["按时办结"].amount == Quantity.of("0.50", "元")
    assert known["基础补贴"].amount == Quantity.of("49.50", "元")
