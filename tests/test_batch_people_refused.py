"""Households and periods through `run --cases` (issue 12): what the batch refuses, naming the
file, the row and the column, with the case file's own message for the case file's mistakes;
and a policy with inputs per period but no group, its values a column per period.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from policyc.batch_people import PeopleBatch
from policyc.batch_progress import Progress
from policyc.cases import load_case
from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.problems import ProblemsError
from tests.conftest import PolicyFactory

FIXTURE = Path(__file__).parent / "fixtures" / "county-household"
POLICY = FIXTURE / "county-household.policy"
CASES = "id,period\n户1,2026-03\n户2,2026-03\n"
MEMBERS = "case,member,role,出生日期,月收入\n"
APPLICANT = "户1,王芳,申请人,1980-05-01,0\n户2,李明,申请人,1980-05-01,0\n"


def policyc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def county() -> CompiledPolicy:
    return compile_policy(POLICY)


def problems(policy: CompiledPolicy, folder: Path, cases: str, members: str | None) -> list[str]:
    """The problems the batch finds, each as `FILE: row …, column …: message`."""
    (folder / "cases.csv").write_text(cases, encoding="utf-8")
    given = None
    if members is not None:
        given = folder / "members.csv"
        given.write_text(members, encoding="utf-8")
    with (
        PeopleBatch(policy, {}, Progress(False)) as batch,
        pytest.raises(InputError) as caught,
    ):
        batch.load_people(folder / "cases.csv", None, given)
    found = getattr(caught.value, "problems", None)
    if found is None:
        return [str(caught.value).replace(f"{folder}/", "")]
    return [str(p).replace(f"{folder}/", "") for p in found]


def case_file_message(policy: CompiledPolicy, folder: Path, text: str) -> str:
    """The message `run --case` gives for the same mistake in a case file (its one problem)."""
    path = folder / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_case(path, policy.checked)
    (problem,) = caught.value.problems
    return str(problem.message)


def test_the_one_line_refusal_is_gone_for_households_and_periods(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    (tmp_path / "cases.csv").write_text(CASES, encoding="utf-8")
    (tmp_path / "members.csv").write_text(MEMBERS + APPLICANT, encoding="utf-8")
    done = policyc(
        "run", str(POLICY), "--cases", str(tmp_path / "cases.csv"),
        "--members", str(tmp_path / "members.csv"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "2 cases" in done.stdout and "run each case with --case" not in done.stderr
    periodic = policies.write(
        policies.clause(
            "  rule 补助 { kind 补贴  when 工资 低于 1000 元  amount 1 元 }",
            "input 工资: 元 per 月 flow\n",
        )
    )
    (tmp_path / "wages.csv").write_text("period,工资\n2024-03,999\n", encoding="utf-8")
    done = policyc("run", str(periodic), "--cases", str(tmp_path / "wages.csv"))
    assert done.returncode == 0, done.stderr
    assert "1 case" in done.stdout


def test_a_household_policy_without_its_members_file_is_refused_in_one_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "cases.csv").write_text(CASES, encoding="utf-8")
    done = policyc("run", str(POLICY), "--cases", str(tmp_path / "cases.csv"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "households (家庭): give their members with --members FILE" in done.stderr
    assert "Traceback" not in done.stderr


def test_members_of_no_case_twice_in_a_case_or_over_a_roles_bound_are_refused(
    county: CompiledPolicy, tmp_path: Path
) -> None:
    members = (
        MEMBERS + APPLICANT + "户9,张三,子女,2010-01-01,0\n"  # row 3: no such case
        "户1,李强,配偶,1979-02-01,0\n户1,李四,配偶,1979-02-01,0\n"  # rows 4, 5: two 配偶
        "户2,小明,子女,2010-01-01,0\n户2,小明,子女,2010-01-01,0\n"  # row 7: 小明 again
    )
    found = problems(county, tmp_path, CASES, members)
    assert found == [
        "members.csv: row 3, column `case`: `户9`: no case has this id",
        "members.csv: row 7, column `member`: `小明` is already a member of case `户2`, on row 6",
        "members.csv: rows 1, 4, 5, column `role`: 2 members are 配偶; 家庭 allows at most 1",
    ]


def test_a_case_without_its_one_member_is_refused_at_its_id(
    county: CompiledPolicy, tmp_path: Path
) -> None:
    members = MEMBERS + "户1,王芳,申请人,1980-05-01,0\n户2,小明,子女,2010-01-01,0\n"
    found = problems(county, tmp_path, CASES + "户3,2026-03\n", members)
    assert found == [
        "members.csv: row 2, column `role`: 家庭 needs a member who is 申请人",
        "cases.csv: row 3, column `id`: 家庭 needs a member who is 申请人",
    ]


@pytest.mark.parametrize(
    ("cell", "yaml_member"),
    [
        ("李强,父亲,1979-02-01,0", "李强: {role: 父亲, inputs: {出生日期: 1979-02-01, 月收入: 0}}"),
        (
            "李强,配偶,1979-02-01,abc",
            "李强: {role: 配偶, inputs: {出生日期: 1979-02-01, 月收入: abc}}",
        ),
        ("李强,配偶,1979-02-30,0", "李强: {role: 配偶, inputs: {出生日期: 1979-02-30, 月收入: 0}}"),
        (
            "李强,配偶,1979-02-01,-5",
            "李强: {role: 配偶, inputs: {出生日期: 1979-02-01, 月收入: -5}}",
        ),
    ],
)
def test_a_members_mistake_has_the_case_files_message_at_its_row_and_column(
    county: CompiledPolicy, tmp_path: Path, cell: str, yaml_member: str
) -> None:
    found = problems(county, tmp_path, CASES, MEMBERS + APPLICANT + f"户1,{cell}\n")
    (problem,) = found
    message = case_file_message(
        county,
        tmp_path,
        "period: 2026-03\nmembers:\n  王芳: {role: 申请人, inputs: {月收入: 0}}\n"
        f"  {yaml_member}\n",
    )
    column = "role" if "父亲" in cell else "出生日期" if "02-30" in cell else "月收入"
    assert problem == f"members.csv: row 3, column `{column}`: {message}"


def test_columns_for_no_input_or_of_the_wrong_side_are_refused(
    county: CompiledPolicy, tmp_path: Path
) -> None:
    members = "case,member,role,出生日期[2026-03],月收入[2026-13],月收人\n户1,王芳,申请人,,,\n"
    found = problems(county, tmp_path, "id,period,月收入\n户1,2026-03,5\n", members)
    assert found == [
        "cases.csv: column `月收入`: input `月收入` is per member: give it in the members file",
    ]
    found = problems(county, tmp_path, CASES, members)
    assert found == [
        "members.csv: column `出生日期[2026-03]`: input `出生日期` has one value, not one per "
        "period",
        "members.csv: column `月收入[2026-13]`: `2026-13` is not a period: expected a month "
        "YYYY-MM or a year YYYY",
        "members.csv: column `月收人`: no input has this name; did you mean `月收入`?",
    ]


# ---- a policy with inputs per period and no group ---------------------------------------------

RULES = """
  rule 上月 { kind 补贴  when last_month(工资) 低于 1000 元  amount 1 元 }
  rule 全年 { kind 补贴  when year_total(工资) 不超过 12000 元  amount 3 元 }
"""


def test_a_periodic_policy_takes_a_column_per_period(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(RULES, "input 工资: 元 per 月 flow optional\n")
    (tmp_path / "cases.csv").write_text(
        "id,period,工资,工资[2024-02],工资[2024-03],工资[2024]\n"
        "a,2024-03,,999.99,5000,\n"  # 999.99 低于 1000: 上月 applies; the year's months missing
        "b,2024-03,,1000,,\n"  # 1000 is not 低于 1000
        "c,2024,,,,12000\n"  # 12000 不超过 12000 (1000元 a month, spread evenly)
        "d,2024,,,,12000.12\n"  # 12000.12 is over (1000.01元 a month, exact)
        "e,2024-03,5000,,,\n",  # the evaluated month only: last month not given
        encoding="utf-8",
    )
    with PeopleBatch(policy, {}, Progress(False)) as batch:
        batch.load_people(tmp_path / "cases.csv", None, None)
        batch.evaluate()
        rows = dict(batch.rows())
        out = tmp_path / "out.csv"
        batch.write(out)
        assert batch.write_members(out) is None  # no rule is paid each member
    status = {row: {k: v[0] for k, v in entries.items()} for row, entries in rows.items()}
    assert status[1] == {"上月": "applies", "全年": "undetermined"}
    assert status[2]["上月"] == "not_applicable"
    assert status[3]["全年"] == "applies" and rows[3]["全年"][1] == 3
    assert status[4]["全年"] == "not_applicable"
    assert status[5]["上月"] == "undetermined"
    with out.open(encoding="utf-8") as handle:
        ids = [r["id"] for r in csv.DictReader(handle)]
    assert ids == ["a", "b", "c", "d", "e"]


def test_a_periodic_rows_mistakes_are_the_case_files(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(RULES, "input 工资: 元 per 月 flow optional\n")
    found = problems(
        policy,
        tmp_path,
        "period,on,工资,工资[2024]\n"
        "2024-03,2024-05-01,1,\n"  # on outside the period
        "2024,,,100\n"  # a year whose twelfth is not exact
        "2024-03,,1,\n2024-3,,,\n",  # both forms; a period that is not one
        None,
    )
    assert found == [
        "cases.csv: row 1, column `on`: `on: 2024-05-01` is outside `period: 2024-03`: give a "
        "date within the period",
        "cases.csv: row 2, column `工资[2024]`: input `工资` for 2024: the year's value is spread "
        "evenly over its 12 months, and its twelfth is not an exact amount; give the months "
        "instead",
        "cases.csv: row 4, column `period`: `2024-3` is not a period: expected a month YYYY-MM "
        "or a year YYYY",
    ]
    found = problems(policy, tmp_path, "period,工资,工资[2024-03]\n2024-03,1,1\n", None)
    assert found == [
        "cases.csv: row 1, column `工资`: input `工资` is given both in `工资` and by period: "
        "give one or the other"
    ]


def test_members_for_a_policy_without_a_group_are_refused(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(RULES, "input 工资: 元 per 月 flow optional\n")
    found = problems(policy, tmp_path, "period\n2024-03\n", "case,member,role\n")
    assert found == [
        "--members members.csv: this policy declares no group; its cases have no members"
    ]


def test_the_members_results_never_overwrite_an_input(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(CASES, encoding="utf-8")
    (tmp_path / "r.members.csv").write_text(MEMBERS + APPLICANT, encoding="utf-8")
    done = policyc(
        "run", str(POLICY), "--cases", str(tmp_path / "r.csv"),
        "--members", str(tmp_path / "r.members.csv"), "--out", str(tmp_path / "r.parquet"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr  # r.members.parquet is no input
    done = policyc(
        "run", str(POLICY), "--cases", str(tmp_path / "r.csv"),
        "--members", str(tmp_path / "r.members.csv"), "--out", str(tmp_path / "r.csv.csv"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (tmp_path / "cases.csv").write_text(CASES, encoding="utf-8")
    done = policyc(
        "run", str(POLICY), "--cases", str(tmp_path / "cases.csv"),
        "--members", str(tmp_path / "r.members.csv"), "--out", str(tmp_path / "r.csv"),
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "would write" in done.stderr and "r.members.csv over the input file" in done.stderr
    assert (tmp_path / "r.members.csv").read_text(encoding="utf-8") == MEMBERS + APPLICANT


def test_a_members_mistake_as_the_json_error_document(tmp_path: Path) -> None:
    (tmp_path / "cases.csv").write_text(CASES, encoding="utf-8")
    members = tmp_path / "members.csv"
    members.write_text(MEMBERS + APPLICANT + "户1,李强,父亲,1979-02-01,0\n", encoding="utf-8")
    done = policyc(
        "run", str(POLICY), "--cases", str(tmp_path / "cases.csv"), "--members", str(members),
        "--format", "json",
    )  # fmt: skip
    assert done.returncode == 2 and done.stderr == ""
    (error,) = json.loads(done.stdout)["errors"]
    assert error["file"] == str(members) and error["field"] == "role"
    assert error["message"] == "row 3, column `role`: member `李强`: `父亲` is not a role of 家庭"
