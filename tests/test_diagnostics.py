"""Golden diagnostics: each fixture under fixtures/syntax and fixtures/check is a policy with one
mistake, beside the exact message `policyc check` must print for it (`NAME.err`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policyc.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(
    p
    for folder in ("syntax", "check")
    for p in (FIXTURES / folder).glob("*.policy")
    if p.name != "units.policy"
)


@pytest.mark.parametrize("policy", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_check_prints_the_expected_diagnostic(policy: Path, capsys: pytest.CaptureFixture[str]):
    cwd = os.getcwd()
    os.chdir(policy.parent)  # messages name the file as given on the command line
    try:
        status = main(["check", policy.name])
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" not in err
    assert err == policy.with_suffix(".err").read_text(encoding="utf-8")


def test_every_fixture_has_its_expected_output():
    assert len(CASES) >= 20
    for policy in CASES:
        assert policy.with_suffix(".err").exists(), policy
