"""The eldercare fixture's cases as rows of a batch (`run --cases --members`): each household's
amount under its cap per 户, calendar months and the yearly window are those the case files
expect (worked by hand there) and those `run --case` gives."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from policyc.cases import load_case, plain_data, read_case_file
from policyc.compiler.pipeline import compile_policy
from tests.test_batch_people import batch_results, tables, write_csv

ELDER = Path(__file__).parent / "fixtures" / "eldercare"
# Every case but the one taking another reading (a batch takes one reading for every row).
CASES = [p for p in sorted((ELDER / "cases").glob("*.yaml")) if "reading" not in p.name]


def test_every_eldercare_case_in_one_batch_as_its_file_expects(tmp_path: Path) -> None:
    policy = compile_policy(ELDER / "eldercare.policy")
    case_rows, member_rows = tables([plain_data(read_case_file(path)) for path in CASES])
    cases = write_csv(tmp_path / "cases.csv", case_rows)
    members = write_csv(tmp_path / "members.csv", member_rows)
    rows, _ = batch_results(policy, cases, members)
    assert sorted(rows) == list(range(1, len(CASES) + 1))
    for number, path in enumerate(CASES, 1):
        case = load_case(path, policy.checked)
        for name, expectation in case.expect.items():
            status, amount, _uncapped = rows[number][name]
            assert status == expectation.status, (path.name, name)
            if "amount" in expectation.amounts:
                assert amount == expectation.amounts["amount"].value, (path.name, name)
        assert case.on is not None
        alone = {r.info.name: r for r in policy.evaluate(case.inputs, case.on, fast=False)}
        for name, (status, amount, uncapped) in rows[number].items():
            result = alone[name]
            assert status == result.status, (path.name, name)
            if result.info.role != "rule":
                continue
            want = [None if q is None else q.value for q in (result.amount, result.uncapped)]
            assert [amount, uncapped] == want, (path.name, name)
