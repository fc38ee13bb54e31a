"""How the numpy engine reads a Parquet file (cli/batch_arrow.py) and sums its results
(cli/batch_vector.py): the checks a column's values get in one pass, each thread's one open
file, a DECIMAL column read right or refused, and the three largest amounts, each worked by
hand.
"""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
np = pytest.importorskip("numpy")

import policyc.batch_vector as batch_vector  # noqa: E402
from policyc.batch_arrow import (  # noqa: E402
    _within,
    column_parts,
    joined_tables,
    open_arrow,
    read_table,
)
from policyc.batch_vector import VectorBatch, _largest, _three_largest  # noqa: E402
from policyc.compiler.batch_rules import APPLIES, NOT_APPLICABLE  # noqa: E402
from policyc.compiler.pipeline import CompiledPolicy, compile_policy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "benchmarks" / "rules.policy"
ON = date(2024, 6, 30)
TOP = 2**63 - 1


@pytest.fixture(scope="module")
def rules() -> CompiledPolicy:
    return compile_policy(RULES)


def columns(sales: Any, kind: Any = None, n: int = 4) -> dict[str, Any]:
    """A file of `n` rows of rules.policy's inputs: every one an 电商企业 shipping 10 单 (2元),
    staff 50 with 1 worker of 12 months (1000元), `sales` as 年销售收入 (of type `kind`)."""
    return {
        "企业类型": pa.array(["电商企业"] * n),
        "年发货量": pa.array([10] * n, pa.int64()),
        "年销售收入": pa.array(sales, kind or pa.decimal128(18, 2)),
        "用工人数": pa.array([50] * n, pa.int64()),
        "满12个月人数": pa.array([1] * n, pa.int64()),
    }


def run(policy: CompiledPolicy, path: Path) -> tuple[str, list[dict[str, Any]]]:
    batch = VectorBatch(policy, keep=True, threads=2)
    reason = batch.prepare(path, ON)
    return reason, [row for _, row in batch.rows()] if reason == "" else []


# ---- every value of a column within 0…top, in one pass ---------------------------------------


@pytest.mark.parametrize(
    ("values", "top", "within"),
    [
        ([0, 10], 10, True),  # the top itself is within
        ([0, 11], 10, False),  # one above it is not
        ([-1, 5], 10, False),  # below 0: read as uint64 it is 2^64 − 1
        ([-(2**63)], TOP, False),  # the lowest int64 is 2^63 as uint64, above the highest top
        ([TOP], TOP, True),
        ([], 0, True),
    ],
)
def test_within_holds_both_edges(values: list[int], top: int, within: bool) -> None:
    assert _within(np.array(values, dtype=np.int64), top) is within


# ---- the file opened once per reading thread -------------------------------------------------


def test_each_thread_opens_the_file_once(rules: CompiledPolicy, tmp_path: Path) -> None:
    path = tmp_path / "cases.parquet"
    pq.write_table(pa.table(columns([Decimal(1)] * 6, n=6)), path, row_group_size=2)
    file = open_arrow(path, rules.checked, ON)
    assert not isinstance(file, str), file
    assert file.groups == 3
    tables = [read_table(file, rules.checked, group) for group in range(3)]
    mine = file.handles.parquet
    others: list[Any] = []
    worker = threading.Thread(
        target=lambda: others.extend([read_table(file, rules.checked, 1), file.handles.parquet])
    )
    worker.start()
    worker.join()
    assert file.handles.parquet is mine  # the same handle for every group of this thread
    assert others[1] is not mine  # another thread's own
    assert others[0].equals(tables[1])
    assert [t.num_rows for t in tables] == [2, 2, 2]


def test_a_row_group_is_read_in_parts_of_about_equal_work(
    rules: CompiledPolicy, tmp_path: Path
) -> None:
    """年发货量 holds 1,000 different numbers (8,000 bytes in its dictionary); every other one
    value repeated, a few bytes in its dictionary: with two threads the first is a part alone,
    the others the second part; the parts read and joined are the row group."""
    path = tmp_path / "cases.parquet"
    table = columns([Decimal(1)] * 1000, n=1000)
    table["年发货量"] = pa.array(range(1000), pa.int64())
    pq.write_table(pa.table(table), path, row_group_size=500)
    file = open_arrow(path, rules.checked, ON)
    assert not isinstance(file, str), file
    assert column_parts(file, 1) == [None]
    parts = column_parts(file, 2)
    assert parts[0] == ["年发货量"]
    assert sorted(parts[1] or []) == sorted(set(file.names) - {"年发货量"})
    assert len(column_parts(file, 9)) == len(file.names)  # a part a column at most
    whole = read_table(file, rules.checked, 1)
    pieces = [read_table(file, rules.checked, 1, part) for part in parts]
    assert [p.column_names for p in pieces] == parts
    together = joined_tables(pieces)
    assert together.select(whole.column_names).equals(whole)


@pytest.mark.parametrize("split_rows", [1, 10**9], ids=["in-parts", "whole"])
def test_row_groups_read_in_parts_or_whole_give_one_answer(
    rules: CompiledPolicy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split_rows: int
) -> None:
    """Two threads, each row group read in two parts (SPLIT_ROWS 1) or whole: every row's
    results in file order, and the summary, as one thread reading whole groups gives them;
    row k (k = 0…59) ships 10 + k 单, paid 0.2元 each: row 7 (17 单) is paid 3.4元."""
    path = tmp_path / "cases.parquet"
    table = columns([Decimal(80_000_000)] * 60, n=60)
    table["年发货量"] = pa.array(range(10, 70), pa.int64())
    pq.write_table(pa.table(table), path, row_group_size=7)  # 9 groups, the last of 4 rows
    one = VectorBatch(rules, keep=True, threads=1)
    assert one.prepare(path, ON) == ""
    monkeypatch.setattr(batch_vector, "SPLIT_ROWS", split_rows)
    reads: list[list[str] | None] = []

    def counted(*args: Any) -> Any:
        reads.append(args[3])
        return read_table(*args)

    monkeypatch.setattr(batch_vector, "read_table", counted)
    two = VectorBatch(rules, keep=True, threads=2)
    assert two.prepare(path, ON) == ""
    assert len(reads) == (18 if split_rows == 1 else 9)  # 9 groups, in 2 parts or whole
    rows = list(two.rows())
    assert rows == list(one.rows())
    assert two.summary() == one.summary()
    assert rows[7] == (8, {**rows[7][1], "物流补贴": ("applies", Decimal("3.4"), None)})
    assert two.cpu["read"] > 0 and two.cpu["evaluate"] > 0


# ---- DECIMAL columns: read right, or refused -------------------------------------------------


def test_a_decimal_wider_than_64_bits_is_read_by_its_value(
    rules: CompiledPolicy, tmp_path: Path
) -> None:
    """DECIMAL(38, 2) holds 128-bit values: each is read from its low 64-bit word once its
    high word is checked 0. 5000万元 reaches the first tier (5万元), 1分 less reaches none."""
    path = tmp_path / "cases.parquet"
    sales = [Decimal("50000000.00"), Decimal("49999999.99"), None, Decimal("0.01")]
    pq.write_table(pa.table(columns(sales, pa.decimal128(38, 2))), path)
    reason, rows = run(rules, path)
    assert reason == ""
    assert rows[0]["规模奖励"] == ("applies", Decimal(50_000), None)
    assert [row["规模奖励"][0] for row in rows[1:]] == [
        "not_applicable",
        "undetermined",
        "not_applicable",
    ]
    assert rows[0]["物流补贴"] == ("applies", Decimal(2), None)  # 0.2元/单 × 10 单
    assert rows[0]["推荐补贴"] == ("applies", Decimal(1000), None)


@pytest.mark.parametrize(
    ("sales", "said"),
    [
        ([Decimal("-0.01"), Decimal(1), Decimal(1), Decimal(1)], "negative"),
        # 2^64 分 = 184467440737095516.16元: past 64 bits (its low word alone is 0.16元)
        ([Decimal(2**64) / 100, Decimal(1), Decimal(1), Decimal(1)], "64 bits"),
    ],
    ids=["negative", "past-64-bits"],
)
def test_a_decimal_below_0_or_past_64_bits_goes_to_duckdb(
    rules: CompiledPolicy, tmp_path: Path, sales: list[Decimal], said: str
) -> None:
    path = tmp_path / "cases.parquet"
    pq.write_table(pa.table(columns(sales, pa.decimal128(38, 2))), path)
    reason, _rows = run(rules, path)
    assert said in reason


@pytest.mark.parametrize("nulls", [False, True], ids=["no-nulls", "nulls"])
def test_a_file_with_and_without_empty_values(
    rules: CompiledPolicy, tmp_path: Path, nulls: bool
) -> None:
    """Optional inputs left empty are not given (the rule undetermined there); a default input
    left empty takes its default (以往最高年销售收入 0: the 8000万 tier is new, 8万元)."""
    path = tmp_path / "cases.parquet"
    table = columns([Decimal(80_000_000)] * 4)
    table["以往最高年销售收入"] = pa.array(
        [None, Decimal(0), None, Decimal(0)] if nulls else [Decimal(0)] * 4, pa.decimal128(18, 2)
    )
    table["年发货量"] = pa.array([10, None, 10, None] if nulls else [10] * 4, pa.int64())
    pq.write_table(pa.table(table), path, row_group_size=3)
    reason, rows = run(rules, path)
    assert reason == ""
    assert [row["规模奖励"] for row in rows] == [("applies", Decimal(80_000), None)] * 4
    logistics = [row["物流补贴"][0] for row in rows]
    assert logistics == (["applies", "undetermined"] * 2 if nulls else ["applies"] * 4)


# ---- the three largest amounts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "largest"),
    [
        ([5, 1, 5, 3, 5], [5, 5, 5]),  # three rows of the largest
        ([0] * 100 + [7, 3, 9], [9, 7, 3]),  # most of them 0, the largest in one third
        ([9, 9, 0, 0, 0, 0, 8, 1, 2], [9, 9, 8]),  # the largest twice, in one third
        ([4, 3, 2, 1], [4, 3, 2]),  # thirds of one row
        ([2, 2, 2, 2, 7, 2, 2, 2, 2], [7, 2, 2]),  # ties at the third largest
    ],
)
def test_three_largest_by_hand(values: list[int], largest: list[int]) -> None:
    assert _three_largest(np.array(values, dtype=np.int64)) == largest


def test_three_largest_agree_with_sorting() -> None:
    rng = np.random.default_rng(16)
    for size in (4, 5, 6, 7, 50, 1000):
        for high in (2, 10, 10**9):
            values = rng.integers(0, high, size).astype(np.int64)
            assert _three_largest(values) == sorted(values.tolist(), reverse=True)[:3]


def test_largest_takes_only_the_amounts_paid() -> None:
    """Where the rule does not apply the amount is 0: with fewer than three paid, only those
    (DuckDB's max(a, 3) over the rows it applies to)."""
    amounts = np.array([0, 0, 5, 0, 0, 0, 2], dtype=np.int64)
    status = np.array([NOT_APPLICABLE] * 7, dtype=np.uint8)
    status[[2, 6]] = APPLIES
    assert _largest(amounts, status) == [5, 2]
    status[3] = APPLIES  # paid 0: still one of the three largest paid
    assert _largest(amounts, status) == [5, 2, 0]
