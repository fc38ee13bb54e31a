"""A cases file whose shape is wrong is refused naming the row: a CSV row with a cell short or
over (DuckDB then guessed another dialect and another header, and the messages spoke of unknown
columns named after whole lines), and an `id` given to two rows (accepted silently, and the
results named two cases alike). A newcomer met both; the files are theirs, reduced."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("duckdb")

REPO = Path(__file__).resolve().parent.parent
POLICY = REPO / "policies" / "tzf-2023-1.policy"
HEADER = "id,on,申请人类型,年发货量\n"


def batch(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(POLICY), "--cases", str(path),
         "--out", str(tmp_path / "out.csv")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("last", "cells"),
    [("x2,2023-12-31,服装电商企业", 3), ("x2,2023-12-31,服装电商企业,100,7", 5)],
)
def test_a_row_with_a_cell_short_or_over_is_named(tmp_path: Path, last: str, cells: int) -> None:
    done = batch(tmp_path, HEADER + "x1,2023-12-31,服装电商企业,100\n" + last + "\n")
    assert done.returncode == 2
    assert f"row 2 has {cells} cells but the header has 4 columns" in done.stderr
    assert "unknown column" not in done.stderr
    assert not (tmp_path / "out.csv").exists()


def test_rows_of_the_headers_length_are_read(tmp_path: Path) -> None:
    done = batch(tmp_path, HEADER + "x1,2023-12-31,服装电商企业,100\nx2,2023-12-31,物流企业,\n")
    assert done.returncode == 0, done.stderr


def test_an_id_given_twice_is_refused_naming_both_rows(tmp_path: Path) -> None:
    rows = "x1,2023-12-31,服装电商企业,100\nx2,2023-12-31,物流企业,5\nx1,2023-12-31,物流企业,7\n"
    done = batch(tmp_path, HEADER + rows)
    assert done.returncode == 2
    assert "row 3, column `id`: `x1` is row 1's id too" in done.stderr
    assert not (tmp_path / "out.csv").exists()
