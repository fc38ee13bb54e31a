"""The shipped policies through the numpy engine (cli/batch_vector.py): their example cases
written as a `--cases` file holds them (every cell text, a per-row `on` column: the
benchmark's file, benchmarks/policies_batch.py), and random rows around every edge.

Each answer — every entry's status, amount and amount before the cap, and the summary — must be
the DuckDB path's, and the per-case runtime's (`policyc run`, case by case, under the same
readings). Edges worked by hand from the text: the validity window (tzf-2023-1 in force from
2023-03-31 to 2026-03-30, both days included), 2023年1月1日至3月31日 including both days
(tzbh-2023-5's 购房日期), a target's 左右 tolerance (tzbf-2023-1).
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
np = pytest.importorskip("numpy")

from policyc.batch import Batch  # noqa: E402
from policyc.batch_values import InputValue, OnValue  # noqa: E402
from policyc.batch_vector import VectorBatch  # noqa: E402
from policyc.compiler.pipeline import CompiledPolicy, compile_policy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import policies_batch  # noqa: E402

POLICIES = ROOT / "policies"
ON = date(2024, 6, 30)


def numpy_rows(policy: CompiledPolicy, path: Path, day: date | None) -> tuple[list[Any], Any]:
    batch = VectorBatch(policy, keep=True, threads=2)
    reason = batch.prepare(path, day)
    assert reason == "", reason  # the engine must run, not fall back
    return [r for _, r in batch.rows()], batch.summary()


def duckdb_rows(policy: CompiledPolicy, path: Path, day: date | None) -> tuple[list[Any], Any]:
    with Batch(policy) as batch:
        batch.load(path, day)
        batch.evaluate(keep=True)
        return [r for _, r in batch.rows()], batch.summary()


def scalar_rows(
    policy: CompiledPolicy, table: Any, day: date | None
) -> list[dict[str, tuple[str, Decimal | None, Decimal | None]]]:
    """Each row evaluated by the per-case runtime, its cells read as `policyc run` reads a
    case's values (the per-case reader), under the policy's default readings."""
    checked = policy.checked
    readings = dict(policy.namespace["READINGS"])
    out = []
    for row in table.to_pylist():
        inputs = {}
        on = day
        tallies: dict[str, dict[str, str]] = {}
        for name, cell in row.items():
            if cell is None:
                continue
            if name == "on":
                on = OnValue().read(cell) or day
                continue
            if name not in checked.inputs:  # a tally's NAME.MEMBER: read as a case's mapping
                whole, _, member = name.rpartition(".")
                tallies.setdefault(whole, {})[member] = cell
                continue
            value = InputValue(checked.inputs[name], checked).read(cell)
            if value is not None:
                inputs[name] = value
        for name, cells in tallies.items():
            inputs[name] = InputValue(checked.inputs[name], checked).read(cells)
        assert on is not None
        results = policy.evaluate(_typed(policy, inputs), on, readings)
        shown = {}
        for r in results:
            if r.info.role == "decision":
                text = _shown(r.value) if r.status == "decided" else None
                shown[r.info.name] = (r.status, text, None)
                continue
            if r.info.role not in ("rule", "target"):
                continue
            amount = r.amount.value if r.amount is not None and r.status == "applies" else None
            uncapped = r.uncapped.value if r.uncapped is not None and amount is not None else None
            shown[r.info.name] = (r.status, amount, uncapped)
        out.append(shown)
    return out


def _shown(value: Any) -> str:
    """A decided value as the results file writes it, worked from the runtime's value."""
    from policyc.runtime.quantity import Quantity

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Quantity):
        if value.percent:
            return format((value.value * 100).normalize(), "f") + "%"
        return format(value.value.normalize(), "f")
    return str(value)


def _typed(policy: CompiledPolicy, inputs: dict[str, Any]) -> dict[str, Any]:
    """The per-case reader's stored values as the runtime takes them (a quantity, a date …)."""
    from policyc.runtime.quantity import Quantity

    checked = policy.checked
    typed = {}
    for name, value in inputs.items():
        info = checked.inputs[name]
        if info.type.kind == "quantity" and isinstance(value, Decimal):
            typed[name] = Quantity(value, info.type.dims)
        else:
            typed[name] = value
    return typed


def all_agree(policy_path: Path, path: Path, day: date | None = None) -> list[Any]:
    policy = compile_policy(policy_path)
    rows, summary = numpy_rows(policy, path, day)
    sql_rows, sql_summary = duckdb_rows(policy, path, day)
    assert len(rows) == len(sql_rows)
    for k, (mine, theirs) in enumerate(zip(rows, sql_rows, strict=True)):
        assert mine == theirs, k
    assert summary == sql_summary
    # Without keeping the rows, the rows of several years are sorted by year: the same sums.
    alone = VectorBatch(policy, keep=False, threads=2)
    assert alone.prepare(path, day) == ""
    assert alone.summary() == sql_summary
    scalar = scalar_rows(policy, pq.read_table(path), day)
    for k, (mine, theirs) in enumerate(zip(rows, scalar, strict=True)):
        for name, (status, amount, uncapped) in mine.items():
            want = theirs[name]
            assert status == want[0], (k, name)
            assert amount == want[1], (k, name)
            assert uncapped == want[2], (k, name)
    return rows


def write_examples(policy: Path, out: Path, n: int) -> Path:
    policies_batch.write_cases(policy, n, out)
    return out


MOVED = ["tzbf-2023-1", "tzbh-2023-1", "tzbh-2023-5", "tzf-2023-1"]


@pytest.mark.parametrize("name", MOVED)
def test_examples_through_numpy_agree(name: str, tmp_path: Path) -> None:
    policy = POLICIES / f"{name}.policy"
    count = len(policies_batch.example_rows(policy))
    cases = write_examples(policy, tmp_path / "cases.parquet", count + 7)
    all_agree(policy, cases)
    all_agree(policy, cases, ON)  # an empty `on` would take --on's date
