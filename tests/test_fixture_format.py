"""Fixtures kept as `policyc fmt` writes them, so that `fmt --check` on them passes as it does on
the shipped policies: tests/fixtures/talent-housing (a newcomer's restatement, s4) was kept as
written until tidy9 formatted it — no test reads its lines by number (the four that read it, by
rule name and output, pass on the formatted text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.compiler.fmt import format_text

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("path", [FIXTURES / "talent-housing" / "policies" / "rc-2026-7.policy"])
def test_the_fixture_is_formatted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text, str(path)) == text
