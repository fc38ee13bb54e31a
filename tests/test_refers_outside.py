"""`refers outside "名称" ["文号"]`: an amount set by a document the project does not restate
(按《XX办法》规定的标准执行) stays `amount unspecified`, the document named beside it in `run`'s
answer and listing, its JSON and the site — never a figure made up; a `refers` to a document
of the project keeps its checks, and an `outside` one may not name such a document.

newcomer finding (session 11): `refers` could only point at a policy of the project. The
expected texts are read off tests/joint_helpers.py by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.parser import parse
from tests.joint_helpers import OUTSIDE_TITLE, body, header, project

CASE = "policy: 青民发〔2026〕3号\non: 2026-04-01\ninputs:\n  困难残疾人: true\n"
SHOWN = f"《{OUTSIDE_TITLE}》（鄂政发〔2016〕5号）"


def policyc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args], cwd=cwd, capture_output=True, text=True
    )


def _reference(refers: str) -> tuple[str, str, bool]:
    rule = next(r for _o, r in parse(header() + body(refers), "p.policy").all_rules())
    (reference,) = rule.refers
    return reference.title, reference.document, reference.outside


def test_the_name_and_the_optional_number_are_read() -> None:
    assert _reference(f'refers outside "{OUTSIDE_TITLE}" "鄂政发〔2016〕5号"') == (
        OUTSIDE_TITLE,
        "鄂政发〔2016〕5号",
        True,
    )
    # Without a 文号; the name as the text prints it, in 《》, is the same name.
    assert _reference(f'refers outside "《{OUTSIDE_TITLE}》"') == (OUTSIDE_TITLE, "", True)


def test_an_outside_reference_without_a_name_is_refused() -> None:
    with pytest.raises(PolicyError) as refused:
        parse(header() + body('refers outside ""'), "p.policy")
    (problem,) = refused.value.diagnostics
    assert problem.message == "`refers outside` names no document"
    assert problem.span.line == header().count("\n") + 12  # the rule's `refers` line


def test_check_passes_and_run_names_the_document_beside_the_unspecified_amount(
    tmp_path: Path,
) -> None:
    project(tmp_path)
    checked = policyc("check", "joint.policy", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    for args in ((), ("--all",)):  # the answer and the listing
        text = policyc("run", "joint.policy", "--case", "case.yaml", *args, cwd=tmp_path).stdout
        lines = text.splitlines()
        said = lines.index(f"      金额未规定: 按《{OUTSIDE_TITLE}》规定的标准执行")
        assert lines[said + 1] == f"      参见: {SHOWN}"
    as_json = policyc(
        "run", "joint.policy", "--case", "case.yaml", "--format", "json", cwd=tmp_path
    )
    (result,) = [r for r in json.loads(as_json.stdout)["results"] if r["rule"] == "生活补贴"]
    assert (result["status"], result["amount"]) == ("unspecified", None)
    assert result["refers"] == [SHOWN]


def test_without_a_number_the_document_is_named_alone(tmp_path: Path) -> None:
    project(tmp_path, header() + body(f'refers outside "{OUTSIDE_TITLE}"'))
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    text = policyc("run", "joint.policy", "--case", "case.yaml", cwd=tmp_path).stdout
    assert f"      参见: 《{OUTSIDE_TITLE}》\n" in text


def test_the_site_names_the_document_unlinked(tmp_path: Path) -> None:
    project(tmp_path)
    made = policyc("docs", "joint.policy", "--out", str(tmp_path / "site"), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    page = next((tmp_path / "site" / "docs").rglob("joint.md")).read_text(encoding="utf-8")
    assert f"**参见**：{SHOWN}（本站未收录）" in page


def test_an_outside_reference_to_a_loaded_policy_is_an_error(tmp_path: Path) -> None:
    # The project restates 青民发〔2026〕9号: a refers to it is checked as one of the project's.
    project(tmp_path, header() + body('refers outside "另一通知" "青民发〔2026〕9号"'))
    other = header(issuers="市民政局", number="青民发〔2026〕9号") + body()
    (tmp_path / "other.policy").write_text(other, encoding="utf-8")
    checked = policyc("check", ".", cwd=tmp_path)
    assert checked.returncode == 2  # errors (cli/check_command.py)
    line = header().count("\n") + 12
    assert (
        f"joint.policy:{line}:9: `青民发〔2026〕9号` is a loaded policy, not a document "
        "outside the project"
    ) in checked.stdout + checked.stderr


def test_a_reference_inside_the_project_keeps_its_checks(tmp_path: Path) -> None:
    project(tmp_path, header() + body('refers "青民发〔2026〕9号" clause 一'))
    checked = policyc("check", ".", cwd=tmp_path)
    assert checked.returncode == 2  # errors (cli/check_command.py)
    assert "`青民发〔2026〕9号` is not a loaded policy" in checked.stdout + checked.stderr


def test_new_marks_a_standard_set_by_another_document() -> None:
    from policyc.compiler.skeleton_render import outside_standards

    # The 文号 printed in brackets after the name is taken too; a 《》 not setting a standard
    # (印发《…》的通知) is no such sentence.
    assert outside_standards(
        ["一、护理补贴按《青山市护理补贴办法》（青政发〔2020〕2号）规定的标准执行。"]
    ) == [
        "the standard is set by 《青山市护理补贴办法》: unless the project restates it, write "
        '`amount unspecified "…"` and `refers outside "青山市护理补贴办法" "青政发〔2020〕2号"`, '
        "not a figure taken from it"
    ]
    assert len(outside_standards([f"按照《{OUTSIDE_TITLE}》有关规定执行。"])) == 1
    assert outside_standards(["现将《青山市护理补贴办法》印发给你们，请认真贯彻执行。"]) == []


def test_new_writes_the_mark_in_the_part_that_says_it(tmp_path: Path) -> None:
    project(tmp_path)
    made = policyc(
        "new", "notice.txt", "--lines", "1-7", "-o", "draft.policy", "--units", "units.policy",
        cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    draft = (tmp_path / "draft.policy").read_text(encoding="utf-8")
    section = draft[draft.index('section 一 ""') : draft.index('section 二 ""')]
    assert f'`refers outside "{OUTSIDE_TITLE}"`, not a figure taken from it' in section
    assert "refers outside" not in draft[draft.index('section 二 ""') :]


def test_a_section_and_a_clause_may_refer_outside_too() -> None:
    text = header() + (
        'section 一 "补贴" {\n    quote "一、困难残疾人生活补贴"\n'
        f'    refers outside "{OUTSIDE_TITLE}"\n'
        '    clause 一 "生活补贴" {\n        quote "按规定的标准执行"\n'
        '        refers outside "另一办法" "鄂政发〔2016〕5号"\n    }\n}\n'
    )
    section = parse(text, "p.policy").sections[0]
    (on_section,) = section.refers
    (on_clause,) = section.clauses[0].refers
    assert (on_section.title, on_section.document, on_section.outside) == (OUTSIDE_TITLE, "", True)
    assert (on_clause.title, on_clause.document) == ("另一办法", "鄂政发〔2016〕5号")


def test_the_web_form_names_the_document_beside_the_unspecified_amount(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from policyc.serve.app import create_app

    client = TestClient(create_app([project(tmp_path)]))
    answer = client.post("/policies/joint", data={"case.on": "2026-04-01", "困难残疾人": "true"})
    assert answer.status_code == 200, answer.text
    assert f"<div>参见：{SHOWN}</div>" in answer.text
