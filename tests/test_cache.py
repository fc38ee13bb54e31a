"""The compiled-policy cache: hits when nothing changed, misses when anything it depends on did,
and survives a damaged entry or two processes compiling at once."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler import cache
from policyc.compiler.pipeline import compile_policy
from tests.conftest import PolicyFactory

RULE = "  rule r { amount 1 元 }"


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICYC_CACHE_DIR", str(folder))
    monkeypatch.delenv("POLICYC_NO_CACHE", raising=False)
    return folder


def amount(path: Path) -> str:
    (result,) = compile_policy(path).evaluate({}, date(2023, 6, 30))
    assert result.amount is not None
    return str(result.amount.value)


def test_an_unchanged_policy_is_read_from_the_cache(policies: PolicyFactory, cache_folder: Path):
    path = policies.write(policies.clause(RULE))
    assert amount(path) == "1"
    assert len(list(cache_folder.glob("*.pickle"))) == 1
    calls: list[Path] = []
    original = cache.load

    def spy(key: str):  # type: ignore[no-untyped-def]
        hit = original(key)
        calls.append(hit is not None)  # type: ignore[arg-type]
        return hit

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "load", spy)
        assert amount(path) == "1"
    assert calls == [True]


def test_changes_to_the_policy_registry_or_source_invalidate(
    policies: PolicyFactory, cache_folder: Path
):
    path = policies.write(policies.clause(RULE))
    amount(path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("amount 1 元", "amount 2 元"), encoding="utf-8"
    )
    assert amount(path) == "2"
    registry = policies.folder / "units.policy"
    registry.write_text(
        registry.read_text(encoding="utf-8") + 'unit 市新局 "新局"\n', encoding="utf-8"
    )
    amount(path)
    assert len(list(cache_folder.glob("*.pickle"))) == 3
    source = policies.folder / "source.txt"
    source.write_text(source.read_text(encoding="utf-8") + "新增一行。\n", encoding="utf-8")
    amount(path)
    assert len(list(cache_folder.glob("*.pickle"))) == 4


def test_a_damaged_entry_is_recompiled(policies: PolicyFactory, cache_folder: Path):
    path = policies.write(policies.clause(RULE))
    amount(path)
    (entry,) = cache_folder.glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:40])
    assert amount(path) == "1"


def test_turned_off_writes_nothing(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("POLICYC_NO_CACHE", "1")
    assert amount(policies.write(policies.clause(RULE))) == "1"
    assert not cache_folder.exists()


def test_two_processes_compiling_at_once(policies: PolicyFactory, cache_folder: Path):
    path = policies.write(policies.clause(RULE))
    code = f"from policyc.cli import main; raise SystemExit(main(['check', {str(path)!r}]))"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    assert all(run.wait(timeout=120) == 0 for run in runs)
    case = policies.folder / "case.yaml"
    case.write_text("on: 2023-06-30\ninputs: {}\n", encoding="utf-8")
    code = f"from policyc.cli import main; raise SystemExit(main(['run', {str(path)!r}, '--case', {str(case)!r}]))"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert all("1元" in out.decode() for out, _ in outputs)
    assert not list(cache_folder.glob("*.tmp"))


def test_another_build_of_the_compiler_never_reuses_an_entry(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    path = policies.write(policies.clause(RULE))
    text = path.read_text(encoding="utf-8")
    before = cache.cache_key(path, text)
    monkeypatch.setattr(cache, "_compiler_fingerprint", lambda: b"another build")
    assert cache.cache_key(path, text) != before
