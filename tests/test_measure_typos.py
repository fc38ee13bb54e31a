"""A measure mistyped in a table row (`1.2 万圆` for `1.2 万元`, a newcomer's slip): reported once,
where it is written, with the measure meant, and no knock-on errors about the table's other rows
or the amount that reads it (they were: "the rows of a table must share one measure", "an
amount must be money, not a quantity in plain numbers", and the row's error again per reader)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import PolicyFactory

TABLE = """
enum 档次 {{ 甲, 乙 }}
input 档: 档次
table 标准 by 档次 {{ 甲: 1.2 {first}, 乙: 1.8 万元 }}
"""
RULES = "  rule 补贴 { kind 补贴  amount 标准[档] }\n  rule 另一 { kind 补贴  amount 标准[甲] }\n"


def check(policies: PolicyFactory, first: str) -> subprocess.CompletedProcess[str]:
    path = policies.write(policies.clause(RULES, TABLE.format(first=first)))
    return subprocess.run(
        [sys.executable, "-m", "policyc", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(("typed", "meant"), [("万圆", "万元"), ("块", "元"), ("美圆", "美元")])
def test_a_mistyped_measure_is_reported_once_with_the_one_meant(
    policies: PolicyFactory, typed: str, meant: str
) -> None:
    out = check(policies, typed)
    assert out.returncode != 0
    errors = [line for line in out.stderr.splitlines() if ": error" in line or "p.policy:" in line]
    assert len(errors) == 1, out.stderr
    assert f"unknown measure `{typed}`; did you mean `{meant}`?" in errors[0]
    assert "share one measure" not in out.stderr
    assert "plain number" not in out.stderr


def test_a_measure_with_no_likely_spelling_gets_no_guess(policies: PolicyFactory) -> None:
    out = check(policies, "万X")
    assert "unknown measure `万X`" in out.stderr
    assert "did you mean" not in out.stderr


def test_the_same_table_well_written_checks(policies: PolicyFactory) -> None:
    assert check(policies, "万元").returncode == 0
