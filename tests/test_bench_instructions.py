"""benchmarks/run.py --instructions: each whole process's instructions as valgrind counts them,
a figure the machine's load does not move (the start-up work of issue 16 was measured so on a
2-core machine shared by eight)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import run as bench_run  # noqa: E402  (benchmarks/run.py; its folder is on the path above)

needs_valgrind = pytest.mark.skipif(shutil.which("valgrind") is None, reason="no valgrind")


@needs_valgrind
def test_more_work_counts_more_and_the_count_repeats() -> None:
    idle = bench_run.instructions([sys.executable, "-S", "-c", "pass"])
    again = bench_run.instructions([sys.executable, "-S", "-c", "pass"])
    busy = bench_run.instructions([sys.executable, "-S", "-c", "sum(range(300_000))"])
    assert isinstance(idle, int) and isinstance(again, int) and isinstance(busy, int)
    assert idle > 1_000_000  # an interpreter's start is millions, not a few
    assert abs(idle - again) < idle // 100  # the same within 1 % (a time moves far more)
    assert busy > idle + 3_000_000  # 300,000 additions at ten or more instructions each


def test_no_valgrind_no_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_run.shutil, "which", lambda name: None)
    assert bench_run.instructions([sys.executable, "-c", "pass"]) is None


def test_the_count_is_a_row_under_its_process() -> None:
    processes = {"run_installed": (0.0581, 0.0569), "python": (0.0151, 0.0145)}
    lines = bench_run.process_lines(processes, {"run_installed": 151_234_567, "python": None})
    counted = [line for line in lines if "instructions" in line]
    assert len(counted) == 1  # none for a process valgrind did not count
    assert "151.2" in counted[0]
    assert lines.index(counted[0]) == 2  # after the installed run's wall and CPU rows
    assert not [line for line in bench_run.process_lines(processes) if "instructions" in line]
