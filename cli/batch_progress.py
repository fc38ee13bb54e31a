"""The progress bar of a batch run: DuckDB's own progress, polled, drawn on stderr after half a
second."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

import duckdb


class Progress:
    """A bar on stderr while DuckDB works (its own progress, polled), shown after half a second."""

    def __init__(self, enabled: bool, stream: TextIO | None = None):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.shown = False

    def track(self, con: duckdb.DuckDBPyConnection, label: str) -> _Tracker:
        return _Tracker(self, con, label)

    def draw(self, label: str, percent: float) -> None:
        width = 30
        filled = int(width * max(0.0, min(percent, 100.0)) / 100)
        bar = "█" * filled + "░" * (width - filled)
        self.stream.write(f"\r{label:<10} {bar} {percent:5.1f}%")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
            self.shown = False


class _Tracker:
    def __init__(self, progress: Progress, con: duckdb.DuckDBPyConnection, label: str):
        self.progress, self.con, self.label = progress, con, label
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.poll, daemon=True)
        self.manual: float | None = None

    def __enter__(self) -> _Tracker:
        if self.progress.enabled:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress.enabled:
            self.done.set()
            self.thread.join()
            self.progress.clear()

    def poll(self) -> None:
        start = time.monotonic()
        while not self.done.wait(0.1):
            if time.monotonic() - start < 0.5:
                continue
            percent = self.manual if self.manual is not None else self.con.query_progress()
            if percent >= 0:
                self.progress.draw(self.label, percent)
