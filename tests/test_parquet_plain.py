"""cli/parquet_plain.py: plain integer column chunks read straight into int64, and the numpy
engine reading through it (results identical to the DuckDB query's, case by case).

Each file is written by pyarrow with the layout under test (PLAIN values, v1 or v2 data pages,
a codec, several pages a chunk, DECIMALs stored as INT64 or INT32 as DuckDB stores them); the
expected values are the ones written. Anything the module does not take (a dictionary page, an
empty value, a FIXED_LEN_BYTE_ARRAY decimal) must give None, so that pyarrow reads it.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
np = pytest.importorskip("numpy")
pytest.importorskip("duckdb")

from policyc.batch_arrow import open_arrow, read_table  # noqa: E402
from policyc.compiler.pipeline import compile_policy  # noqa: E402
from policyc.parquet_plain import read_plain  # noqa: E402
from tests.test_batch_vector import RULES, agree, rules_columns  # noqa: E402

VALUES = [0, 1, 7, 2**40 + 3, 2**62, 5_000_000, 123_456_789_012]


def plain_file(path: Path, table: Any, **options: Any) -> Path:
    settings: dict[str, Any] = {"use_dictionary": False, "store_decimal_as_integer": True}
    settings.update(options)
    pq.write_table(table, path, **settings)
    return path


def chunks(path: Path, name: str) -> list[Any]:
    """read_plain's answer for each row group of column `name`."""
    handle = pq.ParquetFile(path)
    meta = handle.metadata
    at = handle.schema_arrow.names.index(name)
    fd = os.open(path, os.O_RDONLY)
    try:
        return [
            read_plain(
                fd, meta.row_group(g).column(at), meta.schema.column(at), meta.row_group(g).num_rows
            )
            for g in range(meta.num_row_groups)
        ]
    finally:
        os.close(fd)


@pytest.mark.parametrize("codec", ["snappy", "zstd", "gzip", "none"])
@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_int64_values_as_written(tmp_path: Path, codec: str, version: str) -> None:
    table = pa.table({"x": pa.array(VALUES, pa.int64())})
    path = plain_file(tmp_path / "x.parquet", table, compression=codec, data_page_version=version)
    (got,) = chunks(path, "x")
    assert got is not None and got.dtype == np.int64
    assert got.tolist() == VALUES


def test_a_required_column_has_no_levels(tmp_path: Path) -> None:
    schema = pa.schema([pa.field("x", pa.int64(), nullable=False)])
    path = plain_file(tmp_path / "x.parquet", pa.table({"x": VALUES}, schema=schema))
    assert chunks(path, "x")[0].tolist() == VALUES


def test_int32_widened_and_decimals_as_their_units(tmp_path: Path) -> None:
    # 12345.67 in DECIMAL(18,2) is stored as the integer 1234567 (INT64); DECIMAL(9,2) as INT32.
    table = pa.table(
        {
            "i": pa.array([3, -4, 2**31 - 1], pa.int32()),
            "d": pa.array([Decimal("12345.67"), Decimal("0.01"), Decimal(0)], pa.decimal128(18, 2)),
            "s": pa.array([Decimal("1.5"), Decimal("0.25"), Decimal(9)], pa.decimal128(9, 2)),
        }
    )
    path = plain_file(tmp_path / "x.parquet", table)
    assert chunks(path, "i")[0].tolist() == [3, -4, 2**31 - 1]
    assert chunks(path, "i")[0].dtype == np.int64
    assert chunks(path, "d")[0].tolist() == [1234567, 1, 0]
    assert chunks(path, "s")[0].tolist() == [150, 25, 900]


def test_pages_and_row_groups(tmp_path: Path) -> None:
    """Three rows a page, seven rows a group: each group's pages joined, in order."""
    values = list(range(100, 120))
    table = pa.table({"x": pa.array(values, pa.int64())})
    path = plain_file(tmp_path / "x.parquet", table, row_group_size=7, max_rows_per_page=3)
    got = chunks(path, "x")
    assert [len(g) for g in got] == [7, 7, 6]
    assert np.concatenate(got).tolist() == values


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_what_pyarrow_reads_instead(tmp_path: Path, version: str) -> None:
    table = pa.table(
        {
            "empty": pa.array([1, None, 3], pa.int64()),  # an empty value
            "dictionary": pa.array([5, 5, 5], pa.int64()),  # a dictionary page
            "fixed": pa.array([Decimal(1)] * 3, pa.decimal128(18, 2)),  # FIXED_LEN_BYTE_ARRAY
            "double": pa.array([1.0, 2.0, 3.0]),
        }
    )
    path = tmp_path / "x.parquet"
    pq.write_table(table, path, use_dictionary=["dictionary"], data_page_version=version)
    for name in table.column_names:
        assert chunks(path, name) == [None], name


def test_a_cut_or_garbled_chunk_is_left_to_pyarrow(tmp_path: Path) -> None:
    path = plain_file(tmp_path / "x.parquet", pa.table({"x": pa.array(VALUES, pa.int64())}))
    meta = pq.ParquetFile(path).metadata
    chunk = meta.row_group(0).column(0)
    data = path.read_bytes()
    start = chunk.data_page_offset
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(data[: start + 10])  # the chunk's bytes end early
    garbled = tmp_path / "garbled.parquet"
    garbled.write_bytes(data[:start] + bytes([0xFF] * 40) + data[start + 40 :])
    # The page's compressed size (field 3, the third i32 of its header) rewritten as -1.
    assert data[start] == data[start + 2] == data[start + 4] == 0x15
    negative = tmp_path / "negative.parquet"
    negative.write_bytes(data[: start + 5] + bytes([0x01]) + data[start + 6 :])
    for broken in (cut, garbled, negative):
        fd = os.open(broken, os.O_RDONLY)
        try:
            assert read_plain(fd, chunk, meta.schema.column(0), len(VALUES)) is None
        finally:
            os.close(fd)


# ---- the numpy engine through it ----------------------------------------------------------------


@pytest.mark.parametrize("seed", [11, 12])
@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_rules_policy_from_plain_columns_agrees_with_duckdb(
    tmp_path: Path, seed: int, version: str
) -> None:
    """rules_columns leaves a tenth of each optional column empty: those chunks go to pyarrow;
    the required enum column, and columns without an empty value, go through parquet_plain."""
    rules = compile_policy(RULES)
    columns = rules_columns(seed, 500)
    columns["年发货量"] = pa.array(
        [
            int(x)
            for x in np.random.default_rng(seed).choice([4_999_999, 5_000_000, 5_000_001, 0], 500)
        ],
        pa.int64(),
    )
    columns["年销售收入"] = columns["年销售收入"].fill_null(Decimal("50000000"))
    path = plain_file(
        tmp_path / "cases.parquet",
        pa.table(columns),
        row_group_size=128,
        data_page_version=version,
    )
    file = open_arrow(path, rules.checked)
    assert not isinstance(file, str)
    raw = read_table(file, rules.checked, 0)
    assert {"年发货量", "年销售收入"} <= set(raw.plain)
    assert "口罩发货量" not in raw.plain  # an empty value in the group
    agree(rules, path)


def test_a_decimal_stored_as_int64_agrees_by_hand(tmp_path: Path) -> None:
    """年销售收入 at 4999万9999.99元 and 5000万元 (达到 includes it): 5万元 at the edge only."""
    rules = compile_policy(RULES)
    columns = {
        "企业类型": pa.array(["其他企业", "其他企业"]),
        "年发货量": pa.array([0, 0], pa.int64()),
        "年销售收入": pa.array([Decimal("49999999.99"), Decimal("50000000")], pa.decimal128(18, 2)),
    }
    path = plain_file(tmp_path / "cases.parquet", pa.table(columns))
    rows = agree(rules, path)
    assert rows[0][1]["规模奖励"][0] == "not_applicable"
    assert rows[1][1]["规模奖励"] == ("applies", Decimal(50_000), None)
