"""Answers about a group's members that the sixth newcomer (an invented 养老服务补贴 notice) found
wrong or unclear, on tests/fixtures/eldercare-mini/:

1. still needed: an input each member gives, read by a rule's later layer (its amount's
   `where`), is asked of the members that lack it (`张大爷.审核通过日期`), once — not as a bare
   name nor again for the members that gave it;
2. a yes/no decided per member is JSON's true/false (it was the string "True"), `--explain`
   heads it "按成员各自判定" (it said "判定: None") with each member's steps under its name, and
   `expect:` reads 是/否 as a case file writes them;
3. `run --period` keeps the case's own `on:` when that day lies in the period;
4. `fmt` glues an aggregate's name to its parenthesis (`sum(… over …)`, `any(… where …)`);
5. `check` counts a notice's articles 一、二、 as its clauses when they hold no (一)(二).

Ages are worked by hand: 张大爷 born 1940-05-10 is 86 on 2027-04-30 (80 or more: 是), 李奶奶 born
1950-05-10 is 76 (否).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.cli import main
from policyc.compiler.fmt import format_text
from tests.conftest import FIXTURES

POLICY = FIXTURES / "eldercare-mini" / "eldercare-mini.policy"

CASE = """policy: 青河政办发〔2026〕7号
period: 2027-04
on: 2027-04-30
members:
  张大爷: {role: 老年人, inputs: {出生日期: 1940-05-10}}
  李奶奶: {role: 老年人, inputs: {出生日期: 1950-05-10, 审核通过日期: 2027-03-01}}
"""


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, *args: str) -> str:
    path = tmp_path / "case.yaml"
    path.write_text(case, encoding="utf-8")
    assert main(["run", str(POLICY), "--case", str(path), *args]) == 0
    return capsys.readouterr().out


def test_an_input_each_member_gives_is_asked_of_the_members_that_lack_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 高龄补贴's condition holds (张大爷 is 86); its amount sums over members where 可发放, which
    # reads 审核通过日期: 张大爷 gives none, 李奶奶 gives hers; both give 出生日期.
    answer = json.loads(run(tmp_path, capsys, CASE, "--format", "json"))
    assert [(n["name"], n["rules"]) for n in answer["still_needed"]] == [
        ("张大爷.审核通过日期", ["高龄补贴"])
    ]
    text = run(tmp_path, capsys, CASE)
    needed = text.split("还需要以下输入")[1].split("\n\n")[0]
    assert "张大爷.审核通过日期（日期）" in needed
    assert "\n  审核通过日期" not in needed and "出生日期" not in needed


def test_when_every_member_gives_it_nothing_is_still_needed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASE.replace(
        "{出生日期: 1940-05-10}", "{出生日期: 1940-05-10, 审核通过日期: 2027-05-01}"
    )
    answer = json.loads(run(tmp_path, capsys, case, "--format", "json"))
    assert answer["still_needed"] == []
    # 张大爷 is approved on 2027-05-01, after the evaluation date: not paid; 李奶奶 (76) is not
    # 80, so nobody is paid and the sum is 0元.
    rule = next(r for r in answer["results"] if r["rule"] == "高龄补贴")
    assert rule["status"] == "applies" and rule["amount"]["value"] == "0"


def test_a_yes_no_decided_per_member_is_true_or_false_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = json.loads(run(tmp_path, capsys, CASE, "--format", "json"))
    decided = next(r for r in answer["results"] if r["rule"] == "年满80周岁")
    assert [(m["member"], m["value"]) for m in decided["members"]] == [
        ("张大爷", True),
        ("李奶奶", False),
    ]


def test_explain_heads_a_value_per_member_and_names_each_members_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = run(tmp_path, capsys, CASE, "--explain")
    assert "  ▶ 年满80周岁 — 按成员各自判定\n" in text
    assert "None" not in text
    block = text.split("▶ 年满80周岁")[1].split("\n\n")[0]
    lines = block.splitlines()
    first = next(i for i, line in enumerate(lines) if "成员 张大爷（老年人）" in line)
    second = next(i for i, line in enumerate(lines) if "成员 李奶奶（老年人）" in line)
    assert first < second
    assert "1940-05-10" in "".join(lines[first:second])
    assert "1950-05-10" in "".join(lines[second:])


@pytest.mark.parametrize(
    ("wanted", "passes"),
    [("{张大爷: {value: 是}, 李奶奶: {value: 否}}", True), ("{李奶奶: {value: 是}}", False)],
)
def test_expect_reads_a_members_yes_no_as_a_case_file_writes_it(
    tmp_path: Path, wanted: str, passes: bool
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(CASE + f"expect:\n  年满80周岁: {{members: {wanted}}}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "test", str(POLICY), str(case)],
        capture_output=True,
        text=True,
        env={"LANGUAGE": "en", "PATH": "", "PYTHONIOENCODING": "utf-8"},
    )
    assert (done.returncode == 0) is passes, done.stdout + done.stderr
    if not passes:
        assert "expected 是, got 否" in done.stdout


@pytest.mark.parametrize(
    ("period", "on"),
    [("2027", "2027-04-30"), ("2027-04", "2027-04-30"), ("2027-05", "2027-05-01")],
)
def test_run_period_keeps_the_cases_own_date_when_it_lies_in_the_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], period: str, on: str
) -> None:
    answer = json.loads(run(tmp_path, capsys, CASE, "--period", period, "--format", "json"))
    assert (answer["period"], answer["on"]) == (period, on)


def test_fmt_glues_an_aggregates_name_to_its_parenthesis() -> None:
    text = "define 有高龄老人 = any (老年人 where 年满80周岁) and sum (1 人 over 老年人) >= 1 人\n"
    assert format_text(text) == (
        "define 有高龄老人 = any(老年人 where 年满80周岁) and sum(1 人 over 老年人) >= 1 人\n"
    )


def test_check_counts_articles_without_clauses_as_the_documents_clauses() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "check", str(POLICY)],
        capture_output=True,
        text=True,
        env={"LANGUAGE": "en", "PATH": "", "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 0, done.stderr
    assert "2 clauses, 1 rules" in done.stdout
