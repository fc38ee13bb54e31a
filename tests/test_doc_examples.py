"""The case files the README and the language guide show pass `policyc test` as written.

A newcomer copies them first; one that had drifted from the shipped policy (a part of a whole
left out, so the rule waited) failed `policyc test` while the README said it passes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyc.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "README.md", ROOT / "docs" / "language.md")
POLICY_FILES = {
    "天政发〔2023〕1号": "tzf-2023-1.policy",
    "天政办发〔2023〕1号": "tzbf-2023-1.policy",
    "天政办发〔2023〕2号": "tzbf-2023-2.policy",
    "天政办函〔2023〕1号": "tzbh-2023-1.policy",
    "天政办函〔2023〕5号": "tzbh-2023-5.policy",
}


def shown_cases() -> list[tuple[str, str]]:
    """(where, text) of every YAML block that is a whole case with expectations."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in re.finditer(r"```yaml\n(.*?)```", text, re.S):
            block = match.group(1)
            if re.search(r"^policy: ", block, re.M) and re.search(r"^expect:", block, re.M):
                line = text.count("\n", 0, match.start()) + 1
                found.append((f"{doc.name}:{line}", block))
    return found


def test_the_docs_show_cases_with_expectations() -> None:
    assert len(shown_cases()) >= 2  # README's and the language guide's


@pytest.mark.parametrize(("where", "block"), shown_cases(), ids=[w for w, _ in shown_cases()])
def test_a_case_the_docs_show_passes(
    where: str, block: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    number = re.search(r"^policy: (\S+)", block, re.M)
    assert number is not None and number[1] in POLICY_FILES, where
    case = tmp_path / "shown.yaml"
    case.write_text(block, encoding="utf-8")
    policy = ROOT / "policies" / POLICY_FILES[number[1]]
    status = main(["test", str(policy), str(case)])
    assert status == 0, f"{where}: {capsys.readouterr().out}"
