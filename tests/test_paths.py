"""A policy reads only files inside its project (compiler/project.py): `source "…"` and
`units from "…"` that are absolute, lead out with `..`, or go through a symbolic link that leads
out are refused at `check` — never read, never printed, never published."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from policyc.compiler.project import PathRefused, confined_to, named_file, project_root
from tests.test_hostile import MINI, policyc

SECRET = "policyc-test-secret-7d1e"  # put in the environment of every policyc started here


def project(tmp_path: Path) -> Path:
    """tmp/proj/policies/p.policy (the mini fixture), tmp/proj/policies/units.policy and
    tmp/proj/sources/source.txt; tmp/outside.txt beside the project holds the secret."""
    policies = tmp_path / "proj" / "policies"
    policies.mkdir(parents=True)
    (tmp_path / "proj" / "sources").mkdir()
    shutil.copy(MINI / "units.policy", policies / "units.policy")
    shutil.copy(MINI / "source.txt", tmp_path / "proj" / "sources" / "source.txt")
    text = (MINI / "mini.policy").read_text(encoding="utf-8")
    (policies / "p.policy").write_text(
        text.replace('"source.txt"', '"../sources/source.txt"'), encoding="utf-8"
    )
    (tmp_path / "outside.txt").write_text(f"{SECRET}\n第二行\n第三行\n", encoding="utf-8")
    return policies / "p.policy"


def point(policy: Path, field: str, target: str) -> None:
    text = policy.read_text(encoding="utf-8")
    old = '"../sources/source.txt"' if field == "source" else '"units.policy"'
    assert old in text
    policy.write_text(text.replace(old, f'"{target}"'), encoding="utf-8")


def with_secret(*args: str | Path, cwd: Path | None = None) -> tuple[int, str, str]:
    os.environ["POLICYC_TEST_SECRET"] = SECRET  # inherited by the subprocess
    try:
        done = policyc(*args, cwd=cwd)
    finally:
        del os.environ["POLICYC_TEST_SECRET"]
    assert SECRET not in done.out and SECRET not in done.err
    assert "root:x:" not in done.err and "root:x:" not in done.out  # /etc/passwd's first line
    return done.status, done.out, done.err


def test_the_project_layout_reads_its_shared_files(tmp_path: Path):
    policy = project(tmp_path)
    status, out, err = with_secret("check", "--coverage", policy)
    assert status == 0, err
    assert "ok" in out


HOSTILE = [
    ("source", "/proc/self/environ", "absolute path"),
    ("source", "/etc/passwd", "absolute path"),
    ("source", "../../etc/passwd", "outside the policy's project"),
    ("source", "../../outside.txt", "outside the policy's project"),
    ("source", "../" * 30 + "proc/self/environ", "outside the policy's project"),
    ("units from", "/etc/passwd", "absolute path"),
    ("units from", "../../outside.txt", "outside the policy's project"),
    ("units from", "../" * 30 + "etc/passwd", "outside the policy's project"),
]


COMMANDS = ["check", "check --coverage", "docs", "run", "duties"]
CASES = [(*hostile, "check --coverage") for hostile in HOSTILE] + [
    (*hostile, command) for hostile in (HOSTILE[0], HOSTILE[6]) for command in COMMANDS
]


@pytest.mark.parametrize(("field", "target", "why", "command"), CASES)
def test_a_file_outside_the_project_is_refused_unread(
    tmp_path: Path, field: str, target: str, why: str, command: str
):
    policy = project(tmp_path)
    point(policy, field, target)
    out = tmp_path / "site"
    args: list[str | Path] = {
        "check": ["check", policy],
        "check --coverage": ["check", "--coverage", policy],
        "docs": ["docs", policy, "--out", out],
        "run": ["run", policy, "--case", MINI / "case.yaml"],
        "duties": ["duties", "市商务局", policy],
    }[command]
    status, stdout, err = with_secret(*args)
    assert stdout == ""
    assert status == 2
    assert "Traceback" not in err and "internal error" not in err
    line = 7 if field == "source" else 8
    column = 12 if field == "source" else 16
    # The place (file:line:col, the line and a caret under the name) and what is allowed.
    assert f"p.policy:{line}:{column}: `{field}` names" in err
    assert why in err
    assert "a path relative to the policy file" in err
    assert f'"{target}"' in err and "^^^" in err
    assert not out.exists()


def test_a_symbolic_link_leading_out_is_refused(tmp_path: Path):
    policy = project(tmp_path)
    sources = policy.parent.parent / "sources"
    (sources / "link.txt").symlink_to(tmp_path / "outside.txt")
    (sources / "proc.txt").symlink_to("/proc/self/environ")
    for name in ("link.txt", "proc.txt"):
        point(policy, "source", f"../sources/{name}")
        status, _, err = with_secret("check", "--coverage", policy)
        assert status == 2
        assert "outside the policy's project" in err
        point_back = policy.read_text(encoding="utf-8").replace(name, "source.txt")
        policy.write_text(point_back, encoding="utf-8")


def test_a_symbolic_link_inside_the_project_is_followed(tmp_path: Path):
    policy = project(tmp_path)
    sources = policy.parent.parent / "sources"
    (sources / "link.txt").symlink_to(sources / "source.txt")
    point(policy, "source", "../sources/link.txt")
    status, _, err = with_secret("check", policy)
    assert status == 0, err


def test_root_widens_or_narrows_the_project(tmp_path: Path):
    # Outside any policies/ folder the project is the policy's own folder.
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    (tmp_path / "a" / "shared").mkdir()
    shutil.copy(MINI / "units.policy", folder / "units.policy")
    shutil.copy(MINI / "source.txt", tmp_path / "a" / "shared" / "source.txt")
    text = (MINI / "mini.policy").read_text(encoding="utf-8")
    policy = folder / "p.policy"
    policy.write_text(text.replace('"source.txt"', '"../shared/source.txt"'), encoding="utf-8")
    status, _, err = with_secret("check", policy)
    assert status == 2 and f"outside the policy's project `{folder.resolve()}`" in err
    status, _, err = with_secret("check", "--root", tmp_path / "a", policy)
    assert status == 0, err
    # A root that excludes the policy's own folder refuses even its neighbours.
    status, _, err = with_secret("check", "--root", tmp_path / "a" / "shared", policy)
    assert status == 2 and "outside the policy's project" in err


def test_root_that_is_not_a_folder(tmp_path: Path):
    done = policyc("check", "--root", tmp_path / "missing", MINI / "mini.policy")
    done.refused("--root", "not a folder")


def test_project_root_rules(tmp_path: Path):
    nested = tmp_path / "repo" / "policies" / "sub"
    nested.mkdir(parents=True)
    assert project_root(nested / "x.policy") == (tmp_path / "repo").resolve()
    assert project_root(tmp_path / "x.policy") == tmp_path.resolve()
    with confined_to(tmp_path):
        assert project_root(nested / "x.policy") == tmp_path.resolve()
    assert project_root(nested / "x.policy") == (tmp_path / "repo").resolve()
    # `..` that stays inside is fine; a NUL, a drive or a UNC path is not.
    assert (
        named_file(nested / "x.policy", "../../sources/s.txt", "source")
        == (tmp_path / "repo" / "sources" / "s.txt").resolve()
    )
    for bad in ("a\x00b", "C:\\Windows\\win.ini", "\\\\host\\share\\x", "C:x"):
        with pytest.raises(PathRefused):
            named_file(nested / "x.policy", bad, "source")


def test_the_shipped_policies_stay_inside_the_repository():
    policy = Path(__file__).parent.parent / "policies" / "tzf-2023-1.policy"
    assert "../sources/" in policy.read_text(encoding="utf-8")
    assert named_file(policy, "../sources/x.txt", "source").parent.name == "sources"


def test_an_entry_cached_under_a_wider_root_is_not_reused_under_a_narrower_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The cache skips the checker on a hit, so the project is part of the entry's key."""
    from policyc.compiler.errors import PolicyError
    from policyc.compiler.pipeline import compile_policy

    monkeypatch.delenv("POLICYC_NO_CACHE", raising=False)
    monkeypatch.setenv("POLICYC_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    (tmp_path / "a" / "shared").mkdir()
    shutil.copy(MINI / "units.policy", folder / "units.policy")
    shutil.copy(MINI / "source.txt", tmp_path / "a" / "shared" / "source.txt")
    text = (MINI / "mini.policy").read_text(encoding="utf-8")
    policy = folder / "p.policy"
    policy.write_text(text.replace('"source.txt"', '"../shared/source.txt"'), encoding="utf-8")
    with confined_to(tmp_path / "a"):
        compile_policy(policy)  # checked and cached under the wider project
    with confined_to(folder), pytest.raises(PolicyError, match="outside the policy's project"):
        compile_policy(policy)
