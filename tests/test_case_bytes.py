"""A case that is not UTF-8 is refused in one wording, naming the file and the offset of the
first bad byte, whether `run` reads it from a file or the form has it uploaded
(case_files.utf8_text; tidy9, item 8). `好` is 3 bytes in UTF-8: in `on: 好\xff`, the bad byte
is at offset 4 + 3 = 7."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.cli import main

REPO = Path(__file__).resolve().parent.parent
TEXTILE = REPO / "policies" / "tzf-2023-1.policy"
RAW = "on: 好".encode() + b"\xff\n"


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
