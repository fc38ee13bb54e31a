"""A case's `on:` lies within its `period:` (cli/cases.py): `on` chooses the values in force
for the period's claim, so a date in another period would apply another period's standard."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.cases import load_case
from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import check_policy

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "county-household"
CASE = FIXTURE / "cases" / "01-dibao-below.yaml"  # period: 2026-03


def with_on(tmp_path: Path, on: str) -> Path:
    text = CASE.read_text(encoding="utf-8").replace("period: 2026-03", f"period: 2026-03\non: {on}")
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("on", ["2026-03-01", "2026-03-15", "2026-03-31"])
def test_a_date_within_the_month_is_taken(tmp_path: Path, on: str) -> None:
    policy = check_policy(FIXTURE / "county-household.policy")
    assert load_case(with_on(tmp_path, on), policy).on.isoformat() == on  # type: ignore[union-attr]


@pytest.mark.parametrize("on", ["2026-02-28", "2026-04-01", "2026-07-15"])
def test_a_date_outside_the_month_is_refused_at_its_place(tmp_path: Path, on: str) -> None:
    policy = check_policy(FIXTURE / "county-household.policy")
    with pytest.raises(InputError) as caught:
        load_case(with_on(tmp_path, on), policy)
    message = str(caught.value)
    assert f"`on: {on}` is outside `period: 2026-03`" in message
    assert "case.yaml:3:" in message  # the `on:` line


@pytest.mark.parametrize(("on", "taken"), [("2026-03-31", True), ("2026-04-01", False)])
def test_the_command_lines_on_is_held_to_the_period_too(on: str, taken: bool) -> None:
    """`run --on` overrides the case's date: it is held to the case's `period:` as `on:` is
    (a newcomer's `--on 2026-09-01` on a 2026-06 case was evaluated with both shown)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(FIXTURE / "county-household.policy"),
         "--case", str(CASE), "--on", on],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert (done.returncode == 0) is taken, done.stderr
    if not taken:
        assert f"--on {on} is outside the case's `period: 2026-03`" in done.stderr
