"""A case that is not UTF-8 is refused in one wording, naming the file and the offset of the
first bad byte from the file's start, whether `run` reads it from a file, the form has it
uploaded or a batch reads it from JSON Lines (case_files.utf8_text / not_utf8; tidy9, item 8).

By hand: `好` is 3 bytes in UTF-8, so in `on: 好\xff` the bad byte is at offset 4 + 3 = 7. A
line `{"申请人类型": "物流企业"}` is 8 ASCII bytes and 9 characters of 3 bytes, 36 bytes with its
newline; 1820 of them are 65,520 bytes, and in the next line `{"申请人类型": "` (2 + 15 + 4 = 21
bytes: its 型 straddles the 64 KiB the reader scans at a time) the bad byte is at 65,541. A
batch's text stream counted it from its own buffer (`byte 1049` for 42,007)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.cli import main

REPO = Path(__file__).resolve().parent.parent
TEXTILE = REPO / "policies" / "tzf-2023-1.policy"
RAW = "on: 好".encode() + b"\xff\n"
LINE = '{"申请人类型": "物流企业"}\n'.encode()
JSONL = LINE * 1820 + '{"申请人类型": "'.encode() + b'\xff"}\n'


def test_run_names_the_file_and_the_bad_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "bad.yaml"
    case.write_bytes(RAW)
    code = main(["run", str(TEXTILE), "--case", str(case)])
    err = capsys.readouterr().err
    assert code != 0
    assert f"{case}: not UTF-8 text (bad byte at offset 7)" in err
    assert "Traceback" not in err


def test_the_form_upload_says_the_same() -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from starlette.testclient import TestClient

    from policyc.serve.app import create_app

    client = TestClient(create_app([TEXTILE]))
    page = client.post("/policies/tzf-2023-1/upload", files={"case": ("bad.yaml", RAW)})
    assert page.status_code == 422
    assert "bad.yaml: not UTF-8 text (bad byte at offset 7)" in page.text


def test_a_batch_of_json_lines_names_the_offset_from_the_files_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("duckdb")
    cases = tmp_path / "cases.jsonl"
    cases.write_bytes(JSONL)
    code = main(["run", str(TEXTILE), "--cases", str(cases), "--on", "2024-01-01"])
    err = capsys.readouterr().err
    assert code != 0
    assert f"{cases}: not UTF-8 text (bad byte at offset 65541)" in err, err


def test_a_household_table_of_json_lines_says_the_same(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    from policyc.batch_tables import read_table
    from policyc.compiler.errors import InputError

    cases = tmp_path / "cases.jsonl"
    cases.write_bytes(JSONL)
    with pytest.raises(InputError) as caught:
        read_table(cases, duckdb.connect())
    assert str(caught.value) == f"{cases}: not UTF-8 text (bad byte at offset 65541)"


def test_a_policy_file_is_told_in_the_same_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `policy ` is 7 bytes; 斤 (e6 96 a4) cut after two bytes: the bad bytes start at 7
    path = tmp_path / "p.policy"
    path.write_bytes(b"policy \xe6\x96")
    assert main(["check", str(path)]) != 0
    assert f"{path}: not UTF-8 text (bad byte at offset 7)" in capsys.readouterr().err
