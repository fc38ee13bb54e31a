"""`policyc test`: a case file it refuses is named with the place of its problem,
`path:line:col` (tidy10, item 8), whatever the kind of problem — in the text listing and in
`--format json` alike. Checked: cli/testing.py already did for every kind below (the reader,
the values and `expect:` all place their problems); these tests hold it so."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.testing import case_outcomes, run_case_tests

REPO = Path(__file__).resolve().parent.parent
POLICY = REPO / "policies" / "tzf-2023-1.policy"
HEAD = "on: 2023-12-31\ninputs:\n  申请人类型: 服装电商企业\n"

# (file name, text, the line and column of its problem), each counted by hand in the text
REFUSED = [
    ("yaml.yaml", HEAD + "  年发货量: [oops\nexpect:\n  电商物流补贴: {status: applies}\n", 5, 7),
    ("json.json", '{"on": "2023-12-31", "inputs": {', 1, 33),
    ("value.yaml", HEAD + "  年发货量: 六百万\nexpect:\n  电商物流补贴: {status: applies}\n", 4, 3),
    ("amount.yaml", HEAD + "expect:\n  电商物流补贴: {status: applies, amount: 100万单}\n", 5, 29),
    ("status.yaml", HEAD + "expect:\n  电商物流补贴: {status: maybe}\n", 5, 12),
    ("field.yaml", HEAD + "expect:\n  电商物流补贴: {status: applies, bogus: 1}\n", 5, 29),
    ("rule.yaml", HEAD + "expect:\n  不存在的规则: {status: applies}\n", 5, 3),
    (
        "twice.yaml",
        "on: 2023-12-31\n" + HEAD + "expect:\n  电商物流补贴: {status: applies}\n",
        2,
        1,
    ),
    ("list.yaml", "- a\n- b\n", 1, 1),
]


@pytest.fixture(scope="module")
def textiles() -> CompiledPolicy:
    return compile_policy(POLICY)


@pytest.mark.parametrize(("name", "text", "line", "column"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_case_names_its_file_and_place(
    textiles: CompiledPolicy, tmp_path: Path, name: str, text: str, line: int, column: int
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (outcome,) = case_outcomes(textiles, [path])
    assert outcome.result == "error"
    first = outcome.problems[0].to_json()
    assert (first["file"], first["line"], first["column"]) == (str(path), line, column)
    out = io.StringIO()
    assert run_case_tests(POLICY, [path], out) == (0, 1)
    assert f"      {path}:{line}:{column}: " in out.getvalue()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (HEAD, "the case has no `expect:` to compare with"),
        (
            "inputs:\n  申请人类型: 服装电商企业\nexpect:\n  电商物流补贴: {status: applies}\n",
            "no `on:`",
        ),
    ],
)
def test_a_case_missing_a_whole_part_names_its_file(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    assert run_case_tests(POLICY, [path], out) == (0, 1)
    assert f"      {path}: " in out.getvalue() and says in out.getvalue()
