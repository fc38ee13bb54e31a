"""A yes/no input reads the same words wherever a case is written: a YAML case file's unquoted
true/false and its quoted text, a CSV cell, the form's 是/否. A word that is none of them is refused
with a message listing exactly the words accepted (it once named `true` as expected and refused
the text `"true"`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEXTILE = ROOT / "policies" / "tzf-2023-1.policy"
# 推荐员工补贴 (tzf-2023-1 第四条, as examples/tzf-2023-1/04-recommend-11-months.yaml): one employee
# of 11 months placed in a 纺织服装企业 of 120 people → 500元; the yes/no 用工企业为纺织服装企业 decides.
CASE = """on: 2024-01-31
inputs:
  申请人类型: 推荐者
  用工企业为纺织服装企业: {word}
  用工企业常年用工人数: 120
  满6个月不满1年人数: 1
  满1年人数: 0
"""


def run(tmp_path: Path, word: str) -> subprocess.CompletedProcess[str]:
    case = tmp_path / "case.yaml"
    case.write_text(CASE.format(word=word), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(TEXTILE), "--case", str(case),
         "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, env={"LANGUAGE": "en", "PATH": ""},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("word", "same_as"),
    [('"true"', "true"), ("'Yes'", "true"), ("是", "true"), ('"FALSE"', "false"), ("否", "false")],
)
def test_a_yes_no_word_as_text_is_the_yes_no(tmp_path: Path, word: str, same_as: str) -> None:
    written, plain = run(tmp_path, word), run(tmp_path, same_as)
    assert plain.returncode == 0, plain.stderr
    assert written.returncode == 0, written.stderr
    assert written.stdout == plain.stdout
    assert ('"text": "500元"' in plain.stdout) == (same_as == "true")


def test_true_and_false_answer_differently(tmp_path: Path) -> None:
    # The test above must be able to fail: the yes/no changes the answer.
    assert run(tmp_path, "true").stdout != run(tmp_path, "false").stdout


def test_another_word_is_refused_listing_the_words(tmp_path: Path) -> None:
    done = run(tmp_path, "maybe")  # --format json: the errors are a JSON document on stdout
    assert done.returncode == 2
    assert "用工企业为纺织服装企业" in done.stdout
    assert (
        "expected 是 or 否 (or true/false, yes/no, on/off, in any letter case), got `maybe`"
        in done.stdout
    )
    assert "Traceback" not in done.stderr
