"""The files policyc writes for the user take the mode the user expects (newcomer report 15,
item 2: `fmt -w` turned a 644 policy into 600, unreadable to the rest of a shared folder).

A file rewritten keeps its mode; a file created gets 0o666 less the umask, as `open(…, "w")`
gives (compiler/user_files.py). Each command runs under a chosen umask, and each expected mode
is worked out by hand from it: 0o666 & ~0o027 = 0o640, 0o666 & ~0o002 = 0o664, and a kept mode
is chosen to differ from what that umask would give, so that a test cannot pass by luck.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from policyc.compiler.user_files import replace_text, replacing
from tests.conftest import REPO

UNFORMATTED = (
    (REPO / "policies" / "tzbh-2023-1.policy")
    .read_text(encoding="utf-8")
    .replace("\n}", "\n\n\n}", 1)
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def policyc(*args: str, umask: int, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        capture_output=True, text=True, check=False, umask=umask, cwd=cwd,
    )  # fmt: skip


@pytest.fixture
def umask_027() -> Iterator[None]:
    previous = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(previous)


def test_fmt_w_keeps_a_644_policy_644_under_a_private_umask(tmp_path: Path) -> None:
    policy = tmp_path / "p.policy"
    policy.write_text(UNFORMATTED, encoding="utf-8")
    policy.chmod(0o644)
    done = policyc("fmt", "-w", str(policy), umask=0o077)  # would give 0o600
    assert done.returncode == 0, done.stderr
    assert policy.read_text(encoding="utf-8") != UNFORMATTED, "it was rewritten"
    assert mode(policy) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["p.policy"], "no temporary file left"


def test_fmt_w_keeps_a_mode_the_umask_would_not_give(tmp_path: Path) -> None:
    policy = tmp_path / "p.policy"
    policy.write_text(UNFORMATTED, encoding="utf-8")
    policy.chmod(0o604)  # under umask 0o022 a new file would be 0o644
    assert policyc("fmt", "-w", str(policy), umask=0o022).returncode == 0
    assert mode(policy) == 0o604


def test_fmt_w_writes_through_a_link_and_keeps_it_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.policy"
    real.write_text(UNFORMATTED, encoding="utf-8")
    real.chmod(0o664)
    link = tmp_path / "link.policy"
    link.symlink_to(real)
    assert policyc("fmt", "-w", str(link), umask=0o077).returncode == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") != UNFORMATTED
    assert mode(real) == 0o664


@pytest.mark.parametrize(("umask", "expected"), [(0o027, 0o640), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_the_umasks_default(tmp_path: Path, umask: int, expected: int) -> None:
    previous = os.umask(umask)
    try:
        replace_text(tmp_path / "new.txt", "内容\n")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "new.txt") == expected
    assert (tmp_path / "new.txt").read_text(encoding="utf-8") == "内容\n"


def test_a_file_replaced_by_another_writer_still_gets_the_mode(
    tmp_path: Path, umask_027: None
) -> None:
    """A writer that creates the temporary file afresh (DuckDB's COPY … TO may) with a mode of
    its own: the mode is set again before the rename."""
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o444)
    with replacing(target) as temporary:
        temporary.unlink()
        temporary.write_text("new\n", encoding="utf-8")
        temporary.chmod(0o600)
    assert target.read_text(encoding="utf-8") == "new\n"
    assert mode(target) == 0o444


def test_a_failed_write_leaves_the_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), replacing(target) as temporary:
        temporary.write_text("half", encoding="utf-8")
        raise RuntimeError
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_new_o_writes_the_skeleton_with_the_umasks_default(tmp_path: Path) -> None:
    source = tmp_path / "notice.txt"
    source.write_text("关于某事的通知\n一、全市各单位应当做好某事。\n", encoding="utf-8")
    out = tmp_path / "notice.policy"
    done = policyc("new", str(source), "--lines", "1-2", "-o", str(out), umask=0o027)
    assert done.returncode == 0, done.stderr
    assert mode(out) == 0o640


def test_docs_keeps_the_sites_modes_and_gives_new_files_the_umasks(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    policy = str(REPO / "policies" / "tzbh-2023-1.policy")
    assert policyc("docs", policy, "--out", str(out), umask=0o027).returncode == 0
    assert mode(out) == 0o750
    assert mode(out / "mkdocs.yml") == 0o640
    out.chmod(0o755)
    (out / "mkdocs.yml").chmod(0o644)
    (out / "docs" / "amounts.md").unlink()  # so that the next generation writes it anew
    assert policyc("docs", policy, "--out", str(out), umask=0o077).returncode == 0
    assert mode(out) == 0o755, "the folder a web server reads stays readable"
    assert mode(out / "mkdocs.yml") == 0o644
    assert mode(out / "docs") == 0o750, "a folder keeps its mode too"
    assert mode(out / "docs" / "index.md") == 0o640
    assert mode(out / "docs" / "amounts.md") == 0o600, "new: the umask's default"


@pytest.mark.parametrize("kept", [False, True])
def test_batch_out_and_its_members_file(tmp_path: Path, kept: bool) -> None:
    pytest.importorskip("duckdb")
    fixture = REPO / "tests" / "fixtures" / "county-household"
    (tmp_path / "cases.csv").write_text("id,period\n户1,2026-03\n", encoding="utf-8")
    (tmp_path / "members.csv").write_text(
        "case,member,role,出生日期,月收入\n户1,王芳,申请人,1980-05-01,0\n", encoding="utf-8"
    )
    out = tmp_path / "results.csv"
    members_out = tmp_path / "results.members.csv"
    if kept:
        for path in (out, members_out):
            path.write_text("old\n", encoding="utf-8")
            path.chmod(0o604)
    done = policyc(
        "run", str(fixture / "county-household.policy"),
        "--cases", str(tmp_path / "cases.csv"), "--members", str(tmp_path / "members.csv"),
        "--out", str(out), umask=0o027,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert members_out.exists(), sorted(p.name for p in tmp_path.iterdir())
    expected = 0o604 if kept else 0o640
    assert (mode(out), mode(members_out)) == (expected, expected)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary left"
