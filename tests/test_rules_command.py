"""`policyc rules POLICY [--format json|text]`: the command line's counterpart of the service's
`GET /v1/policies/{id}/rules` (one function gives both: `rules_command.rules_document`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyc.cli import main
from tests.conftest import FIXTURES, REPO

TEXTILE = REPO / "policies" / "tzf-2023-1.policy"
NOISE = REPO / "policies" / "tzbh-2023-1.policy"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_the_document_the_service_answers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "rules", str(TEXTILE), "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["policyc"] == 3
    assert document["policy"] == "天政发〔2023〕1号"
    by_name = {rule["rule"]: rule for rule in document["rules"]}
    logistics = by_name["电商物流补贴"]
    assert logistics["kind"] == "补贴"
    assert logistics["clause"] == "七"
    assert any("每单补贴0.2元" in quote for quote in logistics["quotes"])
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from policyc.serve.app import create_app

    client = TestClient(create_app([TEXTILE]))
    served = client.get("/v1/policies/tzf-2023-1/rules").json()
    assert served == document


def test_text_lists_each_rule_under_its_heading_with_its_sentence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "rules", str(TEXTILE))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("天政发〔2023〕1号  ")
    at = lines.index(next(x for x in lines if x.startswith("  电商物流补贴（补贴，第 ")))
    # the heading above it is clause 七's, and its source sentence follows it
    heading = next(x for x in reversed(lines[:at]) if x and not x.startswith(" "))
    assert "七" in heading
    assert lines[at + 1].startswith("    「") and "每单补贴0.2元" in lines[at + 1]


def test_a_policy_without_amounts_lists_its_rules_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "rules", str(NOISE), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["policy"] == "天政办函〔2023〕1号"
    assert json.loads(out)["rules"]


def test_a_missing_or_broken_policy_is_a_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = cli(capsys, "rules", str(tmp_path / "none.policy"))
    assert code == 2
    assert "none.policy" in err and "Traceback" not in err
    broken = tmp_path / "broken.policy"
    broken.write_text((FIXTURES / "mini" / "units.policy").read_text(encoding="utf-8") + "rule {")
    code, _out, err = cli(capsys, "rules", str(broken))
    assert code == 2
    assert f"{broken}:" in err and "Traceback" not in err
