"""What a newcomer met writing case files: a key written twice hid the file's other problems;
YAML 1.1 reads `on`, `yes`, `no`, `off` as booleans. Every problem of a file is reported at
once, and `on:` is the key the docs say."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.cases import load_case
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.pipeline import check_policy
from policyc.problems import ProblemsError

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def mini() -> CheckedPolicy:
    return check_policy(MINI / "mini.policy")


def problems_of(tmp_path: Path, policy: CheckedPolicy, text: str, name: str) -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as info:
        load_case(path, policy)
    return [f"{p.line}:{p.column} {p.message}" for p in info.value.problems]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "twice.yaml",
            "on: 2023-06-31\ninputs:\n  申请人类型: 物流企业\n  年发货量: 5\n  年发货量: 6\n"
            "  年发货数量: 7\nexpect:\n  不存在: {status: applies}\n",
        ),
        (
            "twice.json",
            '{"on": "2023-06-31",\n "inputs": {"申请人类型": "物流企业",\n  "年发货量": 5,'
            ' "年发货量": 6,\n  "年发货数量": 7},\n "expect": {"不存在": {"status": "applies"}}}',
        ),
    ],
)
def test_a_key_written_twice_is_one_problem_among_all_of_them(
    tmp_path: Path, mini: CheckedPolicy, name: str, text: str
):
    problems = problems_of(tmp_path, mini, text, name)
    assert len(problems) == 4, problems
    assert "`年发货量` is written twice" in problems[0]
    rest = " | ".join(problems[1:])
    assert "2023-06-31" in rest  # the date that does not exist
    assert "unknown input `年发货数量`" in rest
    assert "`不存在`" in rest


def test_the_first_value_of_a_key_written_twice_is_the_one_checked(
    tmp_path: Path, mini: CheckedPolicy
):
    """The second `年发货量` is the problem; the first is still checked like any value."""
    text = "inputs:\n  申请人类型: 物流企业\n  年发货量: 五\n  年发货量: 6\n"
    problems = problems_of(tmp_path, mini, text, "first.yaml")
    assert [p.split(" ", 1)[0] for p in problems] == ["4:3", "3:3"]
    assert "`年发货量` is written twice, first at 3:3" in problems[0]
    assert "input `年发货量`" in problems[1]


def test_a_clean_file_with_a_key_written_twice_still_says_so(tmp_path: Path, mini: CheckedPolicy):
    text = "inputs:\n  申请人类型: 物流企业\n  申请人类型: 物流企业\n"
    problems = problems_of(tmp_path, mini, text, "clean.yaml")
    assert problems == [
        "3:3 `申请人类型` is written twice, first at 2:3 and again here; keep one "
        "(a case must not say two things about one field)"
    ]
