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
        "policyc/compiler/locale/zh_CN/LC_MESSAGES/policyc.mo",
        "policyc/compiler/locale/zh_CN/LC_MESSAGES/policyc.po",
        "policyc/compiler/locale/zh_CN/LC_MESSAGES/argparse.mo",
    ):
        assert shipped in names
    entry_points = zipfile.ZipFile(wheel).read("policyc-0.1.0.dist-info/entry_points.txt")
    assert b"policyc = policyc:command" in entry_points


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
        env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin", "LANGUAGE": "en"},
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "ok (测试〔2023〕1号" in done.stdout


@pytest.fixture(scope="module")
def fresh_install(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheel installed with no extras into a new venv, with empty temp and cache folders:
    what a user gets from `pip install .` on a machine that never ran policyc."""
    root = tmp_path_factory.mktemp("fresh")
    venv, tmp, cache = root / "venv", root / "tmp", root / "cache"
    tmp.mkdir()
    cache.mkdir()
    env = {"PATH": "/usr/bin:/bin", "TMPDIR": str(tmp), "XDG_CACHE_HOME": str(cache),
           "HOME": str(root)}  # fmt: skip
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    installed = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    return {"venv": venv, "tmp": tmp, "cache": cache, "root": root}


def _policyc(
    fresh: dict[str, Path], *args: str, cwd: Path, language: str = "en"
) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "TMPDIR": str(fresh["tmp"]),
           "XDG_CACHE_HOME": str(fresh["cache"]), "HOME": str(fresh["root"])}  # fmt: skip
    if language:
        env["LANGUAGE"] = language  # the asserts below are English; "" leaves the default
    return subprocess.run(
        [str(fresh["venv"] / "bin" / "policyc"), *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_a_fresh_install_runs_every_command(fresh_install: dict[str, Path], tmp_path: Path):
    """check, run, test, docs and duties work from another folder with only the base
    dependencies: nothing the dev extra brings (interegular, mkdocs, pytest) is needed."""
    listed = subprocess.run(
        [str(fresh_install["venv"] / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout.lower()  # fmt: skip
    assert "interegular" not in listed and "pytest" not in listed and "duckdb" not in listed
    policy = str(REPO / "policies" / "tzf-2023-1.policy")
    case = str(REPO / "examples" / "tzf-2023-1" / "07-logistics-capped.yaml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    checked = _policyc(fresh_install, "check", str(REPO / "policies"), cwd=elsewhere)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "ok (天政发〔2023〕1号" in checked.stdout

    ran = _policyc(fresh_install, "run", policy, "--case", case, "--explain", cwd=elsewhere)
    assert ran.returncode == 0, ran.stderr
    assert "电商物流补贴" in ran.stdout and "100万元" in ran.stdout

    tested = _policyc(fresh_install, "test", policy, str(REPO / "examples" / "tzf-2023-1"),
                      cwd=elsewhere)  # fmt: skip
    assert tested.returncode == 0, tested.stdout + tested.stderr

    site = tmp_path / "site"
    documented = _policyc(fresh_install, "docs", str(REPO / "policies"), "--out", str(site),
                          cwd=elsewhere)  # fmt: skip
    assert documented.returncode == 0, documented.stderr
    assert (site / "mkdocs.yml").is_file()

    duties = _policyc(fresh_install, "duties", "市商务局", str(REPO / "policies"), cwd=elsewhere)
    assert duties.returncode == 0, duties.stderr
    assert "市商务局" in duties.stdout


def test_a_feature_of_an_extra_names_the_extra(fresh_install: dict[str, Path], tmp_path: Path):
    """Batch evaluation needs DuckDB, from the `batch` extra: one line saying so, exit 2."""
    cases = tmp_path / "cases.csv"
    cases.write_text("on,申请人类型\n2023-12-31,服装电商企业\n", encoding="utf-8")
    policy = str(REPO / "policies" / "tzf-2023-1.policy")
    ran = _policyc(fresh_install, "run", policy, "--cases", str(cases), cwd=tmp_path)
    assert ran.returncode == 2
    assert "Traceback" not in ran.stderr
    assert "pip install 'policyc[batch]'" in ran.stderr or ".[batch]" in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr


def test_the_language_server_names_its_extra(fresh_install: dict[str, Path], tmp_path: Path):
    """`policyc lsp` needs pygls, from the `lsp` extra; `fmt` needs nothing more."""
    served = _policyc(fresh_install, "lsp", cwd=tmp_path)
    assert served.returncode == 2
    assert "pip install 'policyc[lsp]'" in served.stderr
    assert len(served.stderr.strip().splitlines()) == 1, served.stderr
    formatted = _policyc(fresh_install, "fmt", "--check", str(REPO / "tests" / "fixtures" / "mini"),
                         cwd=tmp_path)  # fmt: skip
    assert formatted.returncode in (0, 1) and "Traceback" not in formatted.stderr


def test_a_fresh_install_speaks_chinese_by_default(fresh_install: dict[str, Path], tmp_path: Path):
    """The catalogue ships in the wheel: with no locale set, messages and help are Chinese."""
    broken = tmp_path / "broken.policy"
    broken.write_text('policy "测试〔2023〕1号" {\n  title "t"\n', encoding="utf-8")
    checked = _policyc(fresh_install, "check", str(broken), cwd=tmp_path, language="")
    assert checked.returncode == 2
    assert "声明尚未写完，文件就结束了（是否少了 `}`？）" in checked.stderr, checked.stderr
    helped = _policyc(fresh_install, "check", "--help", cwd=tmp_path, language="")
    assert helped.stdout.startswith("用法: policyc check") and "把警告当作错误" in helped.stdout
