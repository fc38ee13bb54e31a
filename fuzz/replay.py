"""Replay inputs through a target without atheris: `python -m fuzz.replay TARGET FILE...`.
Prints the exception each unexpected failure raises (with its traceback)."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from fuzz import targets


def main() -> int:
    name, *files = sys.argv[1:]
    targets.setup()
    failed = 0
    for file in files:
        try:
            targets.TARGETS[name](Path(file).read_bytes())
        except Exception:
            failed += 1
            print(f"== {file}")
            traceback.print_exc()
    print(f"{len(files) - failed} ok, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
