"""`run --cases`: a case the per-case evaluation refuses is placed in both files — the cases
file and its row, and the policy file and the rule's line (tidy10, item 9): it read
`cases.csv: row 2: 96: rule …`, the 96 a line of no file named. And the note on rules evaluated
case by case names the engine that ran: DuckDB's note only where DuckDB ran (the numpy engine
evaluates every rule or steps aside, saying why)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")

import duckdb

from policyc.batch import Batch, run_batch
from policyc.batch_people import PeopleBatch
from policyc.batch_progress import Progress
from policyc.batch_read import BatchError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.evaluation import EvaluationError

ROOT = Path(__file__).resolve().parent.parent
TEXTILES = ROOT / "policies" / "tzf-2023-1.policy"
ON = date(2023, 12, 31)
COUNTY = ROOT / "tests" / "fixtures" / "county-household" / "county-household.policy"
ROWS = (
    "申请人类型,年发货量,口罩发货量,其他纺织品发货量\n"
    "服装电商企业,600万单,1万单,4万单\n"
    "服装电商企业,700万单,1万单,4万单\n"
)


def failing_on(monkeypatch: pytest.MonkeyPatch, calls: int, rule: str) -> None:
    """Make `CompiledPolicy.evaluate` raise, for rule `rule`, on its `calls`-th call (the Nth
    case evaluated)."""
    evaluate = CompiledPolicy.evaluate
    seen = [0]

    def refusing(self: CompiledPolicy, *args: Any, **kwargs: Any) -> Any:
        seen[0] += 1
        if seen[0] == calls:
            info = next(r for r in self.rules if r.name == rule)
            raise EvaluationError(info, ZeroDivisionError("division by zero"))
        return evaluate(self, *args, **kwargs)

    monkeypatch.setattr(CompiledPolicy, "evaluate", refusing)


def test_a_refused_row_names_the_cases_file_and_the_policy_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = compile_policy(TEXTILES)
    cases = tmp_path / "cases.csv"
    cases.write_text(ROWS, encoding="utf-8")
    failing_on(monkeypatch, 2, "电商物流补贴")
    line = next(r for r in policy.rules if r.name == "电商物流补贴").line
    with Batch(policy, vectorise=False) as batch, pytest.raises(BatchError) as caught:
        batch.load(cases, ON)
        batch.evaluate()
    (problem,) = caught.value.problems
    assert str(problem) == (
        f"{cases}: row 2: {TEXTILES}:{line}: rule `电商物流补贴` could not be evaluated: "
        "division by zero"
    )
    assert problem.to_json()["file"] == str(cases)


def test_a_refused_household_row_is_placed_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = compile_policy(COUNTY)
    cases, members = tmp_path / "cases.csv", tmp_path / "members.csv"
    cases.write_text("id,period\n户1,2026-03\n户2,2026-03\n", encoding="utf-8")
    members.write_text(
        "case,member,role,出生日期,月收入\n户1,王芳,申请人,1980-05-01,0\n"
        "户2,李明,申请人,1980-05-01,0\n",
        encoding="utf-8",
    )
    rule = next(r for r in policy.rules if r.role == "rule")
    failing_on(monkeypatch, 2, rule.name)
    with PeopleBatch(policy, {}, Progress(False), vectorise=False) as batch:
        batch.load_people(cases, None, members)
        with pytest.raises(BatchError) as caught:
            batch.evaluate()
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{cases}: row 2: {COUNTY}:{rule.line}: rule `{rule.name}` ")


def summary_of(policy: Path, cases: Path, fmt: str) -> str:
    out = io.StringIO()
    run_batch(policy, cases, None, "2023-12-31", [], fmt, progress=False, stdout=out)
    return out.getvalue()


def test_the_numpy_engine_never_says_duckdb_could_not(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    cases = tmp_path / "cases.parquet"
    pq.write_table(
        pa.table(
            {
                "申请人类型": ["服装电商企业", "服装电商企业"],
                "年发货量": ["600万单", "700万单"],
                "口罩发货量": ["1万单", "1万单"],
                "其他纺织品发货量": ["4万单", "4万单"],
            }
        ),
        cases,
    )
    summary = json.loads(summary_of(TEXTILES, cases, "json"))
    if summary["engine"] != "numpy":
        pytest.skip(f"the numpy engine stepped aside: {summary.get('engine_note')}")
    assert summary["note"] == ""
    assert all(not e["per_case"] for e in summary["rules"])
    text = summary_of(TEXTILES, cases, "text")
    assert "DuckDB" not in text
    assert "numpy engine" in text


def test_duckdbs_note_is_given_where_duckdb_ran(tmp_path: Path) -> None:
    policy = compile_policy(TEXTILES)
    cases = tmp_path / "cases.csv"
    cases.write_text(ROWS, encoding="utf-8")
    with Batch(policy) as batch:
        batch.load(cases, ON)
        batch.evaluate()
        batch.all_per_case(duckdb.OutOfRangeException("Overflow in DECIMAL addition"))
        summary = batch.summary()
    assert summary["note"] == "DuckDB could not evaluate exactly (Overflow in DECIMAL addition)"
    assert all(e["per_case"] == summary["note"] for e in summary["rules"])
