"""A CSV whose lines end both in CRLF and in LF (an Excel export with one line edited in another
editor) defeats DuckDB's dialect sniffing; the message says so, with the first LF-only line,
instead of DuckDB's "Error when sniffing file"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policyc.batch_read import why_unreadable

REPO = Path(__file__).resolve().parent.parent
POLICY = REPO / "policies" / "tzf-2023-1.policy"


@pytest.mark.parametrize(
    ("data", "line"),
    [(b"a,b\r\n1,2\r\n3,4\n5,6\r\n", 3), (b"a,b\n1,2\r\n", 1)],
)
def test_mixed_line_ends_are_named_with_the_first_lf_line(tmp_path: Path, data: bytes, line: int):
    path = tmp_path / "cases.csv"
    path.write_bytes(data)
    why = why_unreadable(path, RuntimeError("Error when sniffing file"))
    assert f"line {line} is the first that ends in LF alone" in why


@pytest.mark.parametrize("data", [b"a,b\r\n1,2\r\n", b"a,b\n1,2\n"])
def test_one_kind_of_line_end_keeps_duckdbs_words(tmp_path: Path, data: bytes):
    path = tmp_path / "cases.csv"
    path.write_bytes(data)
    assert why_unreadable(path, RuntimeError("Something else\nmore")) == "Something else"


def test_the_batch_says_it(tmp_path: Path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "申请人类型,年发货量\r\n服装电商企业,100\r\n物流企业,200\n服装电商企业,300\r\n".encode()
    )
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(POLICY), "--cases", str(path),
         "--on", "2023-12-31"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout
    assert "line 3 is the first that ends in LF alone" in done.stderr
    assert "Traceback" not in done.stderr
