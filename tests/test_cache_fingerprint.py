"""The compiler's fingerprint (compiler/cache.py): one stat a file, folded into one hash; a file
rewritten, even to the same size and with its modification time set back, changes it."""

from __future__ import annotations

import os
import time
from pathlib import Path

from policyc.compiler import cache


def _rows(folder: Path) -> list[tuple[str, int, int, int, int]]:
    rows: list[tuple[str, int, int, int, int]] = []
    cache._fingerprint_folder(str(folder), rows)
    return sorted(rows)


def test_every_fingerprinted_file_below_the_folder_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "site" / "__pycache__").mkdir(parents=True)
    for name in ("a.py", "site/b.j2", "c.lark", "d.mo", "notes.txt", "site/__pycache__/a.pyc"):
        (tmp_path / name).write_text("x")
    assert [Path(row[0]).relative_to(tmp_path).as_posix() for row in _rows(tmp_path)] == [
        "a.py", "c.lark", "d.mo", "site/b.j2",
    ]  # fmt: skip
    missing = _rows(tmp_path / "absent")
    assert len(missing) == 1 and missing[0][0].endswith("\0missing")


def test_a_rewritten_file_changes_the_rows_even_with_its_times_set_back(tmp_path: Path) -> None:
    module = tmp_path / "rules.py"
    module.write_text("A = 1\n")
    before = _rows(tmp_path)
    info = module.stat()
    time.sleep(0.02)  # the change time the kernel sets moves on
    module.write_text("A = 2\n")  # the same size
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))  # the modification time set back
    after = _rows(tmp_path)
    assert after != before
    assert [row[:4] for row in after] == [row[:4] for row in before]  # only the change time
    assert _rows(tmp_path) == after  # nothing changed: the same rows
