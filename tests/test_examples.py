"""The shipped example cases (examples/<policy>/*.yaml) as tests: each case's `expect:` was worked
out by hand from the document and the readings taken (the working is in the case's comment)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.testing import case_files, check_case

REPO = Path(__file__).parent.parent
PAIRS = [
    (policy, case)
    for policy in sorted((REPO / "policies").glob("*.policy"))
    if (REPO / "examples" / policy.stem).is_dir()
    for case in case_files([REPO / "examples" / policy.stem])
]
_compiled: dict[Path, CompiledPolicy] = {}


def compiled(path: Path) -> CompiledPolicy:
    if path not in _compiled:
        _compiled[path] = compile_policy(path)
    return _compiled[path]


@pytest.mark.parametrize(("policy", "case"), PAIRS, ids=[f"{p.stem}/{c.stem}" for p, c in PAIRS])
def test_example_case(policy: Path, case: Path):
    assert check_case(compiled(policy), case) == []


def test_every_clause_of_the_textile_policy_has_an_example():
    cases = {c.name for p, c in PAIRS if p.stem == "tzf-2023-1"}
    for number in range(1, 18):
        assert any(name.startswith(f"{number:02d}-") for name in cases), number
    assert any(name.startswith("s4-") for name in cases)
