"""What the case reader says of a household case's mistakes (issue 12 leftovers): each message
names the place it is about and what was expected, as `check` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.cases import load_case
from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import compile_policy

POLICY = Path(__file__).parent / "fixtures" / "county-household" / "county-household.policy"


def problems(tmp_path: Path, text: str) -> list[str]:
    """The case's problems, one line each: `LINE:COL: message`."""
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_case(path, compile_policy(POLICY).checked)
    return [
        line.split(f"{path}:", 1)[1].strip()
        for line in str(caught.value).splitlines()
        if f"{path}:" in line
    ]


APPLICANT = "members:\n  王芳: {role: 申请人, inputs: {出生日期: 1980-05-01, 月收入: 0}}\n"


def test_a_wrong_role_lists_the_declared_roles(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, APPLICANT + "  小明: {role: 儿子}\n")
    assert problem == (
        "3:8: member `小明`: `儿子` is not a role of 家庭 (the roles of 家庭: 申请人, 配偶, 子女, "
        "其他成员)"
    )


def test_a_misspelt_role_gets_a_did_you_mean(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, APPLICANT + "  小明: {role: 子女们}\n")
    assert "`子女们` is not a role of 家庭; did you mean `子女`?" in problem


def test_two_members_in_a_role_of_one_are_both_named_with_their_lines(tmp_path: Path) -> None:
    text = APPLICANT + "  老王: {role: 配偶}\n  小明: {role: 子女}\n  老李:\n    role: 配偶\n"
    (problem,) = problems(tmp_path, text)
    # placed at the member over the number (老李's role, line 6 column 5)
    assert problem == (
        "6:5: 2 members are 配偶 (`老王` at line 3, `老李` at line 6); 家庭 allows at most 1"
    )


def test_one_member_in_a_role_of_at_most_one_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(APPLICANT + "  老王: {role: 配偶}\nperiod: 2026-03\n", encoding="utf-8")
    load_case(path, compile_policy(POLICY).checked)


@pytest.mark.parametrize("period", ["2026-13", "2026/03", "2026-1", "26"])
def test_a_bad_period_points_at_its_value(tmp_path: Path, period: str) -> None:
    (problem,) = problems(tmp_path, f"period: {period}   # 评估期间\n" + APPLICANT)
    assert problem.startswith(f"1:9: `{period}` is not a period: expected a month YYYY-MM")


def test_a_bad_period_key_of_an_input_points_at_the_key(tmp_path: Path) -> None:
    text = "period: 2026-03\nmembers:\n  王芳:\n    role: 申请人\n    inputs:\n"
    text += "      出生日期: 1980-05-01\n      月收入: {2026-02: 0, 2026/03: 10}\n"
    (problem,) = problems(tmp_path, text)
    assert problem.startswith("7:25: input `月收入`: `2026/03` is not a period")


def test_a_member_input_given_for_the_household_says_where_it_belongs(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, APPLICANT + "inputs:\n  月收入: 100\n")
    assert problem.startswith("4:3: input `月收入` is per member: give it under `members:")


def test_a_household_input_given_for_a_member_says_where_it_belongs(tmp_path: Path) -> None:
    # the county fixture has no household input: the same policy with one (房租)
    source = POLICY.read_text(encoding="utf-8").replace(
        "input 出生日期", 'input 房租: 元 per 月 optional "家庭当月房租"\ninput 出生日期', 1
    )
    folder = tmp_path / "p"
    folder.mkdir()
    for name in ("source.txt", "units.policy"):
        (folder / name).write_text((POLICY.parent / name).read_text(encoding="utf-8"))
    (folder / "p.policy").write_text(source, encoding="utf-8")
    policy = compile_policy(folder / "p.policy")
    path = tmp_path / "case.yaml"
    path.write_text(
        "members:\n  王芳: {role: 申请人, inputs: {出生日期: 1980-05-01, 房租: 100}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_case(path, policy.checked)
    assert "member `王芳`: input `房租` is the household's: give it under `inputs:`" in str(
        caught.value
    )
