"""Fixtures kept as `policyc fmt` writes them, so that `fmt --check` on them passes as it does on
the shipped policies: tests/fixtures/talent-housing (a newcomer's restatement, s4) was kept as
written until tidy9 formatted it — no test reads its lines by number (the four that read it, by
rule name and output, pass on the formatted text). Since tidy10 every fixture meant to be valid
is held so, the error fixtures of syntax/ and check/ excepted (their .err pins their places)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.compiler.fmt import format_text

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("path", [FIXTURES / "talent-housing" / "policies" / "rc-2026-7.policy"])
def test_the_fixture_is_formatted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text, str(path)) == text


# ---- every fixture meant to be valid (tidy10, item 10) --------------------------------------

# The deliberate exceptions, each a fixture that tests an error at a place its `.err` pins
# (line:col and the source line under a caret): formatting would move the place the test reads.
ERROR_FOLDERS = {
    "syntax": "policies that do not parse, on purpose (tests/test_diagnostics.py)",
    "check": "policies that parse but do not check, on purpose (tests/test_diagnostics.py)",
}


def _is_error_fixture(path: Path) -> bool:
    folder = path.relative_to(FIXTURES).parts[0]
    return folder in ERROR_FOLDERS and path.with_suffix(".err").exists()


def _is_fmt_input(path: Path) -> bool:
    """An input of fmt's golden tests (tests/fixtures/fmt/NAME.policy), laid out badly on
    purpose; its partner NAME.expected.policy, what fmt writes, is held here like any fixture."""
    return path.parent == FIXTURES / "fmt" and path.with_suffix(".expected.policy").exists()


ALL = sorted(FIXTURES.rglob("*.policy"))
VALID = [p for p in ALL if not _is_error_fixture(p) and not _is_fmt_input(p)]
ERRORS = [p for p in ALL if _is_error_fixture(p)]


@pytest.mark.parametrize("path", VALID, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_valid_fixture_is_as_fmt_writes_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text, str(path)) == text


@pytest.mark.parametrize("path", ERRORS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_each_exception_is_an_error_on_purpose(path: Path) -> None:
    # An exception must not hide a valid policy: each one is refused, parse or check.
    from policyc.compiler.errors import PolicyError
    from policyc.compiler.pipeline import check_policy

    with pytest.raises(PolicyError):
        check_policy(path)


def test_the_exceptions_are_few_and_named() -> None:
    assert len(VALID) > len(ERRORS) > 0
    assert {p.relative_to(FIXTURES).parts[0] for p in ERRORS} <= set(ERROR_FOLDERS)
