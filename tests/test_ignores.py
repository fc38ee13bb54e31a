"""Stable warning codes, `# policyc: ignore[CODE] reason`, and `check --format json`.

The case that asked for them: a tier table faithful to a document that mixes 达到 and 超过
warns `mixed-boundaries`, and before the ignore comment nothing could silence it, so `check
--strict` failed for a policy that is right."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policyc.compiler.codes import WARNING_CODES
from policyc.compiler.comments import comments
from policyc.compiler.ignores import find_ignores
from tests.conftest import REPO
from tests.test_cli import policyc

LINT = Path(__file__).parent / "fixtures" / "lint"
ROW = "        amount tiers 销售 highest { 达到 2000 万元: 20 万元, 超过 5000 万元: 50 万元 }"  # line 15


@pytest.fixture
def tiers(tmp_path: Path) -> Path:
    for name in ("tier-mixed-words.policy", "units.policy", "source.txt"):
        shutil.copy(LINT / name, tmp_path / name)
    return tmp_path / "tier-mixed-words.policy"


def with_lines(path: Path, replace: dict[str, str]) -> Path:
    text = path.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


def test_strict_check_fails_on_the_warning_and_names_its_code(tiers: Path):
    done = policyc("check", "--strict", str(tiers))
    assert done.returncode == 2
    assert ":15:54: warning[mixed-boundaries]: tier rows mix boundary words" in done.stderr


def test_a_comment_above_the_line_silences_that_code(tiers: Path):
    with_lines(tiers, {ROW: "  # policyc: ignore[mixed-boundaries] 原文如此\n\n" + ROW})
    done = policyc("check", "--strict", str(tiers))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_a_comment_on_the_line_silences_that_code(tiers: Path):
    with_lines(tiers, {ROW: ROW + "  # policyc: ignore[tiers-descend, mixed-boundaries] 原文如此"})
    assert policyc("check", "--strict", str(tiers)).returncode == 0


def test_an_ignore_elsewhere_or_of_another_code_silences_nothing(tiers: Path):
    with_lines(
        tiers,
        {
            ROW: ROW + "  # policyc: ignore[tiers-descend] 原文如此",
            "input 销售: 元": "input 销售: 元  # policyc: ignore[mixed-boundaries] 原文如此",
        },
    )
    done = policyc("check", "--strict", str(tiers))
    assert done.returncode == 2
    assert "warning[mixed-boundaries]" in done.stderr


def test_an_ignore_without_a_reason_silences_nothing_and_says_so(tiers: Path):
    with_lines(tiers, {ROW: ROW + "  # policyc: ignore[mixed-boundaries]"})
    done = policyc("check", str(tiers))
    assert done.returncode == 0  # warnings only
    assert "warning[mixed-boundaries]" in done.stderr
    column = len(ROW) + 3  # the `#` after the row and two spaces
    assert f":15:{column}: warning[bad-ignore]: an ignore gives its reason after the codes" in (
        done.stderr
    )


def test_an_unknown_code_is_named_with_the_closest_ones(tiers: Path):
    with_lines(tiers, {ROW: ROW + "  # policyc: ignore[mixed-boundary] 原文如此"})
    done = policyc("check", str(tiers))
    assert "`mixed-boundary` is not a warning code; did you mean `mixed-boundaries`" in done.stderr
    assert "warning[mixed-boundaries]" in done.stderr


def test_a_hash_inside_a_string_is_not_a_comment():
    text = 'note "# policyc: ignore[never-holds] x"  # real\n  # alone "quoted"\nx "a\\"#b"'
    found = comments(text)
    assert [(c.line, c.column, c.text, c.alone) for c in found] == [
        (1, 42, "# real", False),
        (2, 3, '# alone "quoted"', True),
    ]
    assert find_ignores(text, "p").by_line == {}


def test_an_alone_comment_covers_the_next_line_past_blanks_and_comments():
    text = "a\n# policyc: ignore[never-holds] 见解读\n\n# more words\nrule r { }\n"
    assert find_ignores(text, "p").by_line == {5: frozenset({"never-holds"})}


def test_every_code_is_documented_in_the_language_guide():
    guide = (REPO / "docs" / "language.md").read_text(encoding="utf-8")
    missing = [code for code in WARNING_CODES if f"`{code}`" not in guide]
    assert missing == []


# ---- check --format json ----


def test_json_gives_every_diagnostic_with_its_place_and_code(tmp_path: Path, tiers: Path):
    broken = tmp_path / "broken.policy"
    broken.write_text('policy "x" {\n  title\n}\n', encoding="utf-8")
    done = policyc("check", "--format", "json", str(tiers), str(broken))
    assert done.returncode == 2
    assert done.stderr == ""
    document = json.loads(done.stdout)
    assert document["ok"] is False
    assert [f["file"] for f in document["files"]] == [str(tiers)]  # the files that checked
    by_code = {d["code"]: d for d in document["errors"]}  # errors and warnings, by severity
    assert set(by_code) == {"syntax", "mixed-boundaries"}
    warning = by_code["mixed-boundaries"]
    assert warning["file"] == str(tiers)
    assert (warning["line"], warning["column"], warning["severity"]) == (15, 54, "warning")
    assert warning["end_line"] == 15 and warning["end_column"] > 54
    assert warning["message"].startswith("tier rows mix boundary words: `超过` excludes")
    syntax = by_code["syntax"]
    assert (syntax["line"], syntax["severity"]) == (2, "error") or syntax["line"] == 3
    assert syntax["hint"] != ""


def test_json_of_a_clean_folder_has_no_diagnostics():
    done = policyc("check", "--format", "json", str(REPO / "tests" / "fixtures" / "mini"))
    document = json.loads(done.stdout)
    assert done.returncode == 0, done.stdout
    assert document["ok"] is True and document["warnings"] == []
    assert document["files"]
