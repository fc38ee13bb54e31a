"""`policyc test CASE…` without the policy: the policy is found from the case (its folder
under examples/<policy>/, or its `policy:` key), or the error says exactly what to write."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

CAPPED = "examples/tzf-2023-1/07-logistics-capped.yaml"


def policyc(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", "test", *args],
        capture_output=True, text=True, cwd=cwd, timeout=300, check=False,
    )  # fmt: skip


def test_a_case_under_examples_is_tested_against_its_policy():
    done = policyc(CAPPED)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"ok   {CAPPED}",
        "policies/tzf-2023-1.policy: 1 passed, 0 failed",
    ]


def test_a_case_deeper_under_examples_too():
    case = next((REPO / "examples" / "tzbh-2023-1").rglob("*/*.yaml"))
    relative = case.relative_to(REPO).as_posix()
    assert relative.count("/") >= 3  # below a subfolder of examples/tzbh-2023-1/
    done = policyc(relative)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "policies/tzbh-2023-1.policy: 1 passed, 0 failed"


def test_cases_of_two_policies_each_against_its_own():
    noise = next((REPO / "examples" / "tzbh-2023-1").glob("*.yaml")).relative_to(REPO).as_posix()
    done = policyc(CAPPED, noise)
    assert done.returncode == 0, done.stderr
    summaries = [line for line in done.stdout.splitlines() if line.startswith("policies/")]
    assert summaries == [
        "policies/tzf-2023-1.policy: 1 passed, 0 failed",
        "policies/tzbh-2023-1.policy: 1 passed, 0 failed",
    ]


def test_a_case_elsewhere_is_found_by_its_policy_key(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(REPO / "sources", project / "sources")
    (project / "policies").mkdir()
    for name in ("tzf-2023-1.policy", "tzbh-2023-1.policy", "units.policy"):
        shutil.copy(REPO / "policies" / name, project / "policies")
    (project / "cases").mkdir()
    shutil.copy(REPO / CAPPED, project / "cases" / "mine.yaml")
    done = policyc("cases/mine.yaml", cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "policies/tzf-2023-1.policy: 1 passed, 0 failed"


def test_a_case_naming_no_policy_says_what_to_write(tmp_path: Path):
    text = (REPO / CAPPED).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("policy:")]
    (tmp_path / "case.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = policyc(str(tmp_path / "case.yaml"))
    assert done.returncode == 2 and done.stdout == ""
    # the project taken (whatever lies above the temporary folder) and why, then the question
    assert f"{tmp_path / 'case.yaml'}: its project is " in done.stderr
    assert "; which policy is the case for? write `policyc test POLICY " in done.stderr
    assert "examples/<policy file name>/" in done.stderr and "`policy:` key" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_case_naming_an_unknown_policy_says_so(tmp_path: Path):
    text = (REPO / CAPPED).read_text(encoding="utf-8")
    (tmp_path / "case.yaml").write_text(
        text.replace("policy: 天政发〔2023〕1号", "policy: 无政发〔2023〕9号"), encoding="utf-8"
    )
    done = policyc(str(tmp_path / "case.yaml"))
    assert done.returncode == 2
    assert "; none is `policy: 无政发〔2023〕9号`; write `policyc test POLICY" in done.stderr


def test_a_missing_case_is_named():
    done = policyc("examples/tzf-2023-1/none.yaml")
    assert done.returncode == 2 and "none.yaml: no such file or folder" in done.stderr
