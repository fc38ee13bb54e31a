"""benchmarks/run.py --baseline: what it takes (a checkout, or a virtual environment with policyc),
said at once for anything else, instead of pip's traceback after the first sections."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import run as bench_run  # noqa: E402  (benchmarks/run.py; its folder is on the path above)


def test_a_checkout_is_taken_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'policyc'\n")
    assert bench_run.baseline_kind(tmp_path) == ("checkout", tmp_path)


def test_this_venv_is_an_editable_install_of_this_checkout() -> None:
    venv = Path(sys.prefix)
    if not (venv / "bin" / "python").exists() or not (ROOT / "pyproject.toml").is_file():
        pytest.skip("not run from a virtual environment with bin/python")
    import policyc

    kind, source = bench_run.baseline_kind(venv)
    if (Path(policyc.__file__).resolve().parents[1] / "pyproject.toml").is_file():
        assert (kind, source) == ("venv-editable", Path(policyc.__file__).resolve().parents[1])
    else:
        assert kind == "venv-installed"


def test_a_venvs_site_packages_is_refused_naming_the_venv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    site = venv / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    with pytest.raises(SystemExit) as refused:
        bench_run.baseline_kind(site)
    said = str(refused.value)
    assert said.startswith(f"--baseline {site}: expected a policyc checkout")
    assert f"inside the virtual environment {venv.resolve()}: give that" in said


def test_a_folder_that_is_neither_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as refused:
        bench_run.baseline_kind(tmp_path / "nowhere")
    said = str(refused.value)
    assert "expected a policyc checkout (a folder with pyproject.toml)" in said
    assert "virtual environment" in said and "give that" not in said


def test_a_venv_without_policyc_is_refused(tmp_path: Path) -> None:
    venv = tmp_path / "bare"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(Path(sys.base_prefix) / "bin" / "python3")
    with pytest.raises(SystemExit) as refused:
        bench_run.baseline_kind(venv)
    said = str(refused.value)
    assert "its Python cannot import policyc" in said
    assert "ModuleNotFoundError" in said
