"""The files the checker read, on a cache hit (compiler/cache.py, issue 16): a file unchanged
since the entry was written (its device, inode, size, modification and change times) is not
read again; one changed since, or changed too recently to tell by its status, is hashed."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler import cache, files
from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import compile_policy
from tests.conftest import PolicyFactory

RULE = "  rule r { amount 1 元 }"


def amount(path: Path) -> str:
    (result,) = compile_policy(path).evaluate({}, date(2023, 6, 30))
    assert result.amount is not None
    return str(result.amount.value)


def hashed_on_a_hit(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[bool]]:
    """The files `cache.load` hashes, and whether each load was a hit."""
    hashed: list[str] = []
    hits: list[bool] = []
    digest_of, load = cache.digest_of, cache.load

    def spy_digest(path: str) -> str:
        hashed.append(os.path.basename(path))
        return digest_of(path)

    def spy_load(key: str):  # type: ignore[no-untyped-def]
        found = load(key)
        hits.append(found is not None)
        return found

    monkeypatch.setattr(cache, "digest_of", spy_digest)
    monkeypatch.setattr(cache, "load", spy_load)
    return hashed, hits


def test_a_settled_file_is_not_read_again_on_a_hit(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", 0)  # every file counts as settled
    path = policies.write(policies.clause(RULE))
    assert amount(path) == "1"
    hashed, hits = hashed_on_a_hit(monkeypatch)
    assert amount(path) == "1"
    assert hits == [True]
    assert hashed == []


def test_a_file_changed_just_before_the_entry_is_hashed_on_every_hit(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", 3600 * 10**9)  # every file was written just now
    path = policies.write(policies.clause(RULE))
    assert amount(path) == "1"
    hashed, hits = hashed_on_a_hit(monkeypatch)
    assert amount(path) == "1"
    assert amount(path) == "1"
    assert hits == [True, True]
    assert sorted(hashed) == ["source.txt", "source.txt", "units.policy", "units.policy"]


def test_a_settled_file_rewritten_with_its_times_set_back_is_seen(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    path = policies.write(policies.clause(RULE))
    assert amount(path) == "1"
    registry = policies.folder / "units.policy"
    before = registry.stat()
    time.sleep(0.02)  # the change time the kernel sets moves on
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("unit 市商务局", "unit 市商务厅"), encoding="utf-8")
    os.utime(registry, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert registry.stat().st_size == before.st_size  # only the change time tells
    hashed, hits = hashed_on_a_hit(monkeypatch)
    with pytest.raises(PolicyError, match="市商务局"):  # as `check` says
        compile_policy(path)
    assert hits == [False] and "units.policy" in hashed


def test_a_status_is_kept_only_for_the_bytes_the_checker_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    kept = tmp_path / "kept.txt"
    kept.write_text("甲")
    changed = tmp_path / "changed.txt"
    changed.write_text("乙")
    digest = files.digest_of(str(kept))
    rows = cache._settled(
        [
            (str(kept), digest),
            (str(kept), digest),  # read twice: once in the entry
            (str(changed), digest),  # changed between the checker's read and the entry
            (str(tmp_path / "absent.txt"), files.UNREADABLE),
        ]
    )
    assert [(os.path.basename(p), s is not None) for p, _d, s in rows] == [
        ("kept.txt", True),
        ("changed.txt", False),
        ("absent.txt", False),
    ]
    info = kept.stat()
    assert rows[0][2] == (
        info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns,
    )  # fmt: skip
    monkeypatch.setattr(cache, "SETTLED_NS", 3600 * 10**9)
    assert cache._settled([(str(kept), digest)])[0][2] is None  # too recent to trust
