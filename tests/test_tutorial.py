"""docs/tutorial.md stays true: every `$ command` of its console blocks is run in a copy of its
project (docs/tutorial/qingshan/), and prints what the page shows; the tutorial's policy passes
`check --strict` and its cases, worked by hand in their comments, pass `policyc test`.

The page shows Chinese output (the case workers' language), so the commands run with
LANGUAGE=zh_CN, whatever the suite's own language.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent
PAGE = REPO / "docs" / "tutorial.md"
PROJECT = REPO / "docs" / "tutorial" / "qingshan"
POLICY = "policies/qs-2026-3.policy"


def _console_steps(page: str) -> list[tuple[str, str]]:
    """(command, expected output) for every `$ ` line of every ```console block, in order."""
    steps: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", page, re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command, output))
    return steps


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tutorial") / "qingshan"
    shutil.copytree(PROJECT, root)
    policy = (root / POLICY).read_text(encoding="utf-8")
    mistake = policy.replace("上年度末在职职工人数 50 人 以上", "上年度末在职职工人数 50 元 以上")
    assert mistake != policy, "the tutorial's mistake is made by this one change"
    (root / "policies" / "mistake.policy").write_text(mistake, encoding="utf-8")
    return root


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LANGUAGE="zh_CN", NO_COLOR="1")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


STEPS = _console_steps(PAGE.read_text(encoding="utf-8"))


def test_the_page_has_its_steps():
    commands = [command.split()[:2] for command, _ in STEPS]
    assert ["policyc", "new"] in commands and ["policyc", "run"] in commands
    assert ["policyc", "test"] in commands and ["policyc", "check"] in commands


@pytest.mark.parametrize(("command", "expected"), STEPS, ids=[c[:60] for c, _ in STEPS])
def test_each_command_prints_what_the_page_shows(project: Path, command: str, expected: str):
    done = _shell(command, project)
    printed = done.stdout + done.stderr
    assert "Traceback" not in printed
    assert printed == expected, f"`{command}` printed:\n{printed}"


def test_the_policy_checks_strictly_and_its_cases_pass(project: Path):
    checked = _shell(f"policyc check --strict {POLICY}", project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    cases = sorted((project / "examples" / "qs-2026-3").glob("*.yaml"))
    assert len(cases) == 4
    tested = _shell("policyc test " + " ".join(str(c) for c in cases), project)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    formatted = _shell(f"policyc fmt --check {POLICY}", project)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    mistake = _shell("policyc check policies/mistake.policy", project)
    assert mistake.returncode != 0


def test_the_cases_fail_when_an_edge_moves(project: Path, tmp_path: Path):
    """The hand-worked cases sit on both sides of 50人以上: reading it as 超过 fails one."""
    moved = tmp_path / "qingshan"
    shutil.copytree(project, moved)
    policy = moved / POLICY
    text = policy.read_text(encoding="utf-8")
    policy.write_text(
        text.replace("上年度末在职职工人数 50 人 以上", "上年度末在职职工人数 超过 50 人"),
        encoding="utf-8",
    )
    cases = sorted((moved / "examples" / "qs-2026-3").glob("*.yaml"))
    tested = _shell("policyc test " + " ".join(str(c) for c in cases), moved)
    assert tested.returncode != 0
    assert "04-fifty-staff.yaml" in tested.stdout + tested.stderr
