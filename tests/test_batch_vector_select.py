"""The numpy engine's branch-free choices (compiler/batch_vector.select, keep_where; the rules'
statuses; an enum's dictionary mapped to member codes), worked by hand, and enum columns whose
row groups hold different dictionaries (results identical to the DuckDB query's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
np = pytest.importorskip("numpy")
pytest.importorskip("duckdb")

from policyc.batch_arrow import _lookup  # noqa: E402
from policyc.batch_vector import VectorBatch  # noqa: E402
from policyc.compiler.batch_vector import LIMIT, keep_where, select  # noqa: E402
from policyc.compiler.batch_vector_rules import _statuses  # noqa: E402
from policyc.compiler.pipeline import compile_policy  # noqa: E402
from tests.test_batch_vector import ON, RULES, agree, rules_columns, summary_json  # noqa: E402

LOWEST = -(2**63)


def test_select_integers_at_the_ends_of_int64() -> None:
    # a − b wraps for the first and last rows (5 − (−2^63), −2^63 − LIMIT): still exact.
    cond = np.array([True, False, True, False])
    a = np.array([5, 6, LIMIT, LOWEST], dtype=np.int64)
    b = np.array([LOWEST, 7, 0, LIMIT], dtype=np.int64)
    assert select(cond, a, b).tolist() == [5, 7, LIMIT, LIMIT]
    assert select(~cond, a, b).tolist() == [LOWEST, 6, 0, LOWEST]


def test_select_conditions_codes_and_constants() -> None:
    cond = np.array([True, False, True])
    assert select(cond, np.array([False, False, True]), np.array([True, True, False])).tolist() == [
        False,
        True,
        True,
    ]
    codes = select(cond, np.int16(2), np.array([0, 1, 1], dtype=np.int16))
    assert codes.tolist() == [2, 1, 2] and codes.dtype == np.int16
    assert select(np.bool_(True), np.int64(3), np.int64(4)) == 3  # a 0-d condition: np.where
    paid = keep_where(cond, np.array([10, 20, -30], dtype=np.int64))
    assert paid.tolist() == [10, 0, -30] and paid.dtype == np.int64


def test_statuses_first_step_wins() -> None:
    one = np.array([True, False, False, True, False])
    two = np.array([False, True, False, True, False])
    three = np.array([False, False, True, True, True])
    # Steps in order: (one → 1), (two → 1, joined with the first), (three → 3); else 0.
    assert _statuses([(one, 1), (two, 1), (three, 3)], 0, 5).tolist() == [1, 1, 3, 1, 3]
    # The later step of another code does not override an earlier one, and back again.
    assert _statuses([(three, 3), (one, 1)], 0, 5).tolist() == [1, 0, 3, 3, 3]
    assert _statuses([(np.bool_(False), 4), (np.bool_(True), 2)], 0, 3).tolist() == [2, 2, 2]
    assert _statuses([], 5, 2).tolist() == [5, 5]


def test_dictionary_lookup_by_comparison_and_by_take() -> None:
    indices = np.array([1, 0, 1, 2, 0], dtype=np.int32)
    table = np.array([0, 3, 1], dtype=np.int16)
    assert _lookup(table, indices).tolist() == [3, 0, 3, 1, 0]
    wide = np.arange(12, dtype=np.int16)[::-1].copy()  # more than 8 texts: np.take
    assert _lookup(wide, np.array([0, 11, 5], dtype=np.int32)).tolist() == [11, 0, 6]


# ---- enum columns whose row groups differ in dictionary ----------------------------------------


def write_groups(path: Path, groups: list[dict[str, Any]]) -> Path:
    tables = [pa.table(g) for g in groups]
    with pq.ParquetWriter(path, tables[0].schema) as writer:
        for table in tables:
            writer.write_table(table)
    return path


def group(kinds: list[str], seed: int) -> dict[str, Any]:
    columns = {k: v.slice(0, len(kinds)) for k, v in rules_columns(seed, len(kinds)).items()}
    columns["企业类型"] = pa.array(kinds, pa.string())
    return columns


def test_groups_with_their_own_dictionaries_agree_with_duckdb(tmp_path: Path) -> None:
    """First group: 其他企业 first in its dictionary; second: 电商企业 alone; third: 电商企业 first.
    The codes must follow each group's dictionary, not the first one's."""
    rules = compile_policy(RULES)
    path = write_groups(
        tmp_path / "cases.parquet",
        [
            group(["其他企业", "电商企业", "其他企业"], 21),
            group(["电商企业", "电商企业"], 22),
            group(["电商企业", "其他企业", "其他企业", "电商企业"], 23),
        ],
    )
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    rows = agree(rules, path)
    # 物流补贴 applies only to 电商企业: the 其他企业 rows (0-based 0, 2, 6, 7) never apply.
    statuses = [row["物流补贴"][0] for _, row in rows]
    for at in (0, 2, 6, 7):
        assert statuses[at] == "not_applicable", at


def test_a_text_outside_the_enum_in_a_later_group_goes_to_duckdb(tmp_path: Path) -> None:
    rules = compile_policy(RULES)
    path = write_groups(
        tmp_path / "cases.parquet",
        [group(["其他企业", "电商企业"], 24), group(["电商企业", "未知企业"], 25)],
    )
    assert VectorBatch(rules).prepare(path, ON) != ""
    with pytest.raises(Exception, match="未知企业"):
        summary_json(RULES, path)
