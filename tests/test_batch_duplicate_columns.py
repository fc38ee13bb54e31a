"""A case file naming a column twice is refused naming the column (review 17): a Parquet file
with two `年发货量` columns was an internal error (pyarrow's schema.field raised KeyError), and a
CSV header's second `年发货量`, which DuckDB reads as `年发货量_1`, was called an unknown column."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

POLICY = REPO / "policies" / "tzf-2023-1.policy"
SAID = "column `年发货量` is given twice (the second read as `年发货量_1`)"


def _run(cases: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "policyc",
            "run",
            str(POLICY),
            "--cases",
            str(cases),
            "--on",
            "2023-06-01",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "LANGUAGE": "en"},
        timeout=120,
    )


def test_a_csv_header_naming_a_column_twice(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    cases = tmp_path / "cases.csv"
    cases.write_text("申请人类型,年发货量,年发货量\n服装电商企业,1000,2000\n", encoding="utf-8")
    done = _run(cases)
    assert done.returncode == 2 and SAID in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_parquet_file_naming_a_column_twice(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    cases = tmp_path / "cases.parquet"
    arrays = [pa.array(["服装电商企业"]), pa.array([1000]), pa.array([2000])]
    pq.write_table(
        pa.Table.from_arrays(arrays, names=["申请人类型", "年发货量", "年发货量"]), cases
    )
    done = _run(cases)
    assert done.returncode == 2 and SAID in done.stderr, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_a_column_ending_in_a_number_of_its_own_is_not_called_twice(tmp_path: Path) -> None:
    # `年发货量_2024` where no `年发货量` … is an unknown column as before, not a repeat: the name
    # before `_N` must be an input the policy knows
    pytest.importorskip("duckdb")
    cases = tmp_path / "cases.csv"
    cases.write_text("申请人类型,销量_1\n服装电商企业,1\n", encoding="utf-8")
    done = _run(cases)
    assert done.returncode == 2 and "unknown column `销量_1`" in done.stderr, done.stderr
