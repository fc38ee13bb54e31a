"""The distribution: one import package, the grammar and templates inside it, usable anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(out), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (built,) = out.glob("policyc-*.whl")
    return built


def test_only_one_top_level_package(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/", 1)[0] for name in names}
    assert top == {"policyc", "policyc-0.1.0.dist-info"}
    for shipped in (
        "policyc/grammar/policy.lark",
        "policyc/compiler/templates/module.py.j2",
        "policyc/compiler/templates/docs/policy.md.j2",
        "policyc/runtime/evaluation.py",
        "policyc/cli.py",
        "policyc/py.typed",
    ):
        assert shipped in names
    entry_points = zipfile.ZipFile(wheel).read("policyc-0.1.0.dist-info/entry_points.txt")
    assert b"policyc = policyc.cli:main" in entry_points


def test_the_wheel_works_from_any_folder(wheel: Path, tmp_path: Path):
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    policy = REPO / "tests" / "fixtures" / "mini" / "mini.policy"
    code = (
        "import policyc, sys; from policyc.cli import main;"
        f"assert policyc.__file__.startswith({str(unpacked)!r}), policyc.__file__;"
        f"sys.exit(main(['check', {str(policy)!r}]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, capture_output=True, text=True,
        env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin"}, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "ok (测试〔2023〕1号" in done.stdout
