"""`tiers` in the numpy engine (compiler/batch_vector_tiers.py), worked by hand from the text of
tests/fixtures/vector (clause 三, each_new: 首次达到100万元、200万元的，分别奖励0.5万元、1.25万元；
以往已达到的，不再奖励; clause 二, each: 超过100万元的奖励1万元，超过500万元的再奖励2.5万元).

The amount of a tier reached before is taken as 0 from the row numbers, not selected from the
amounts: every row here is on one side of an edge or the other (达到 includes the edge, 超过
excludes it), with a prior below, at and above it, and a row group of one row and of several.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from policyc.batch_vector import VectorBatch  # noqa: E402
from policyc.compiler.pipeline import CompiledPolicy, compile_policy  # noqa: E402

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "vector" / "vector.policy"
ON = date(2024, 6, 30)

D = Decimal
# (收入, 以往收入, 首达奖励 as (status, amount in 元)), each_new worked from the text.
EACH_NEW = [
    (D("2500000"), D("1500000"), ("applies", D(12500))),  # 200万 first reached: 1.25万 only
    (D("2500000"), D("0"), ("applies", D(17500))),  # both first reached: 0.5万 + 1.25万
    (D("2000000"), D("1999999.99"), ("applies", D(12500))),  # 达到 includes the edge
    (D("1999999.99"), D("1000000"), ("not_applicable", None)),  # 100万 reached before
    (D("2500000"), D("2000000"), ("not_applicable", None)),  # both reached before
    (D("1000000"), D("3000000"), ("not_applicable", None)),  # a prior above the value
    (D("999999.99"), D("0"), ("not_applicable", None)),  # no tier reached
    (None, D("0"), ("undetermined", None)),  # no value given
]
# (收入, 销售奖励 as (status, amount)) with 新办 false, each worked from the text.
EACH = [
    (D("1000000"), ("not_applicable", None)),  # 超过 excludes the edge
    (D("1000000.01"), ("applies", D(10000))),
    (D("5000000"), ("applies", D(10000))),
    (D("5000000.01"), ("applies", D(35000))),  # 1万 + 2.5万
]


@pytest.fixture(scope="module")
def fixture() -> CompiledPolicy:
    return compile_policy(FIXTURE)


def run(
    policy: CompiledPolicy, path: Path, columns: dict[str, Any], group: int
) -> tuple[list[Any], dict[str, Any]]:
    """Each row's results and the summary's entry by rule."""
    pq.write_table(pa.table(columns), path, row_group_size=group)
    batch = VectorBatch(policy, keep=True, threads=2)
    assert batch.prepare(path, ON) == ""
    totals = {entry["rule"]: entry for entry in batch.summary()["rules"]}
    return [row for _, row in batch.rows()], totals


@pytest.mark.parametrize("group", [1, 3, 64])
def test_each_new_by_hand(fixture: CompiledPolicy, tmp_path: Path, group: int) -> None:
    money = pa.decimal128(18, 2)
    columns = {
        "收入": pa.array([v for v, _, _ in EACH_NEW], money),
        "以往收入": pa.array([p for _, p, _ in EACH_NEW], money),
    }
    got, totals = run(fixture, tmp_path / "cases.parquet", columns, group)
    for row, (_, _, (status, amount)) in zip(got, EACH_NEW, strict=True):
        assert row["首达奖励"][:2] == (status, amount)
    # The rows where nothing is new add nothing: 1.25万 + 1.75万 + 1.25万.
    assert totals["首达奖励"]["total"] == D(42500)


@pytest.mark.parametrize("group", [1, 64])
def test_each_by_hand(fixture: CompiledPolicy, tmp_path: Path, group: int) -> None:
    columns = {
        "收入": pa.array([v for v, _ in EACH], pa.decimal128(18, 2)),
        "新办": pa.array([False] * len(EACH), pa.bool_()),
    }
    got, totals = run(fixture, tmp_path / "cases.parquet", columns, group)
    for row, (_, (status, amount)) in zip(got, EACH, strict=True):
        assert row["销售奖励"][:2] == (status, amount)
    assert totals["销售奖励"]["total"] == D(55000)  # 1万 + 1万 + 3.5万
