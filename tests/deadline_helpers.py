"""The project the deadline tests (test_deadline_*.py) write: a 市政府办 notice with its
received text, the two units it names, and the policy restating it."""

from __future__ import annotations

from pathlib import Path

REGISTRY = """\
unit 市政府办 "青禾市人民政府办公室" alias 青禾市人民政府办公室
unit 市发改委 "青禾市发展和改革委员会"
"""


def write_project(folder: Path, source: str, policy: str) -> None:
    """`folder` made a project: notice.txt (`source`), units.policy, plan.policy (`policy`)."""
    (folder / "notice.txt").write_text(source, encoding="utf-8")
    (folder / "units.policy").write_text(REGISTRY, encoding="utf-8")
    (folder / "plan.policy").write_text(policy, encoding="utf-8")
