"""`policyc check` from its cache (cli/check_command.py, compiler/check_cache.py): the same bytes
as a check without any cache, cold and warm, and a file checked afresh whenever it or a file its
check read has changed.

Each scenario runs `check` three times in this process: with the cache turned off (the
reference), on an empty cache (cold: every file checked, its result kept) and again (warm:
every result read back). The project is the `mini` fixture (a policy, its unit registry and its
received text) with a second policy that refers to the first, declares a unit nobody names and
has a cap below its amount (two warnings, one of them found across files).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from policyc import check_command
from policyc.cli import main
from policyc.compiler.i18n import use_language

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"

OTHER = """\
policy "测试〔2023〕2号" {
    title "另一政策"
    issuer 天门市人民政府
    issued 2023-01-06
    valid from 2023-01-06 for 3 年
    source "source.txt" lines 3 to 3
    units from "units.policy"
}
unit 市统计局 "天门市统计局"
clause 四 "用工支持" {
  quote "常年用工50人以上的纺织服装企业。"
  refers "测试〔2023〕1号" clause 七
  rule r { amount 5000 元 cap 1000 元 per 人 }
}
"""

BROKEN = 'policy "测试〔2023〕3号" {\n    title 1 2\n}\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(MINI, folder)
    (folder / "case.yaml").unlink()
    (folder / "other.policy").write_text(OTHER, encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("POLICYC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("POLICYC_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files checked afresh (not read from the cache), in order."""
    files: list[str] = []
    real = check_command.FileChecker.check

    def counted(self: check_command.FileChecker, path: Path, text: str) -> object:
        files.append(str(path))
        return real(self, path, text)

    monkeypatch.setattr(check_command.FileChecker, "check", counted)
    return files


Output = tuple[int, str, str]


def run_check(
    capsys: pytest.CaptureFixture[str], *words: str, cache: bool = True, lang: str = "en"
) -> Output:
    monkeypatch = pytest.MonkeyPatch()
    if not cache:
        monkeypatch.setenv("POLICYC_NO_CACHE", "1")
    try:
        with use_language(lang):
            status = main(["check", ".", *words])
    finally:
        monkeypatch.undo()
    out, err = capsys.readouterr()
    return status, out, err


def three_ways(
    capsys: pytest.CaptureFixture[str], checked: list[str], *words: str, lang: str = "en"
) -> Iterator[Output]:
    """The reference (no cache), then cold, then warm; warm checks nothing afresh."""
    yield run_check(capsys, *words, cache=False, lang=lang)
    yield run_check(capsys, *words, lang=lang)
    checked.clear()
    yield run_check(capsys, *words, lang=lang)
    assert checked == []


OPTIONS = [
    (),
    ("--strict",),
    ("--format", "json"),
    ("--strict", "--format", "json"),
    ("--coverage",),
]


@pytest.mark.parametrize("words", OPTIONS)
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_warnings_print_the_same_bytes_cold_and_warm(
    project: Path,
    checked: list[str],
    capsys: pytest.CaptureFixture[str],
    words: tuple[str, ...],
    lang: str,
) -> None:
    reference, cold, warm = three_ways(capsys, checked, *words, lang=lang)
    assert cold == reference
    assert warm == reference
    status, out, err = reference
    text = out + err
    # The two warnings of other.policy: its own (line 13) and the folder's (line 9, only when
    # other.policy passes, i.e. without --strict).
    assert "other.policy" in text and ("cap-below-amount" in text)
    assert ("unused-unit" in text) is ("--strict" not in words)
    assert status == (2 if "--strict" in words else 0)
    if lang == "zh_CN":
        assert "警告" in text or "json" in words  # translated, not the English entry
    if "--coverage" in words:
        assert "source.txt:1:1: " in err and "[uncovered-sentence]" in err


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("words", [(), ("--format", "json")])
def test_a_syntax_error_prints_the_same_caret_cold_and_warm(
    project: Path,
    checked: list[str],
    capsys: pytest.CaptureFixture[str],
    lang: str,
    words: tuple[str, ...],
) -> None:
    (project / "broken.policy").write_text(BROKEN, encoding="utf-8")
    reference, cold, warm = three_ways(capsys, checked, *words, lang=lang)
    assert cold == reference and warm == reference
    status, out, err = reference
    assert status == 2
    if words:
        errors = [e for e in json.loads(out)["errors"] if e["severity"] == "error"]
        assert [(e["file"], e["line"], e["code"]) for e in errors] == [
            ("broken.policy", 2, "syntax")
        ]
    else:
        assert err.startswith("broken.policy:2:")
        assert "    2 |     title 1 2\n" in err
        assert "^" in err.splitlines()[2]


def test_the_language_is_part_of_the_key(
    project: Path, checked: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    english = run_check(capsys)
    chinese = run_check(capsys, lang="zh_CN")
    assert checked == ["mini.policy", "other.policy", "units.policy"] * 2
    assert chinese != english
    assert chinese == run_check(capsys, cache=False, lang="zh_CN")


def test_an_edited_file_is_checked_again_and_only_it(
    project: Path, checked: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    run_check(capsys)
    other = project / "other.policy"
    other.write_text(OTHER.replace("clause 七", "clause 八"), encoding="utf-8")
    checked.clear()
    edited = run_check(capsys)
    assert checked == ["other.policy"]
    assert edited == run_check(capsys, cache=False)
    status, _out, err = edited
    assert status == 2
    assert "other.policy:12:3: 测试〔2023〕1号 has no clause 八" in err
    # Back as it was: the first entry serves again.
    other.write_text(OTHER, encoding="utf-8")
    checked.clear()
    assert run_check(capsys)[0] == 0
    assert checked == []


def test_a_referred_policy_edited_breaks_the_reference_without_checking_the_referrer(
    project: Path, checked: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_check(capsys)[0] == 0
    mini = project / "mini.policy"
    mini.write_text(mini.read_text(encoding="utf-8").replace("clause 七", "clause 九"), "utf-8")
    checked.clear()
    status, _out, err = run_check(capsys)
    assert checked == ["mini.policy"]  # other.policy's facts come from the cache
    assert status == 2
    assert "other.policy:12:3: 测试〔2023〕1号 has no clause 七" in err


@pytest.mark.parametrize(
    ("dependency", "old", "new", "shown"),
    [
        # The received text: mini.policy's quote of line 2 is no longer there.
        ("source.txt", "按实际发货量每单补贴0.2元", "按实际发货量每单补贴0.3元", "mini.policy:"),
        # The unit registry: a unit both policies name is gone.
        ("units.policy", 'unit 市财政局 "天门市财政局"\n', "", "市财政局"),
    ],
)
def test_an_edited_dependency_checks_the_files_that_read_it(
    project: Path,
    checked: list[str],
    capsys: pytest.CaptureFixture[str],
    dependency: str,
    old: str,
    new: str,
    shown: str,
) -> None:
    assert run_check(capsys)[0] == 0
    path = project / dependency
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    checked.clear()
    after = run_check(capsys)
    assert "mini.policy" in checked  # it read the file
    assert after == run_check(capsys, cache=False)
    status, _out, err = after
    assert status == 2
    assert shown in err


def test_a_damaged_entry_is_a_miss(
    project: Path, tmp_path: Path, checked: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    reference = run_check(capsys)
    for entry in (tmp_path / "cache").glob("check-*.entry"):
        data = bytearray(entry.read_bytes())
        data[-2] ^= 1
        entry.write_bytes(bytes(data))
    checked.clear()
    assert run_check(capsys) == reference
    assert checked == ["mini.policy", "other.policy", "units.policy"]


def test_a_warm_check_imports_neither_lark_nor_the_checker(project: Path) -> None:
    # The command's own module, run twice in fresh processes: the second reads every result
    # (cli.py's other commands are imported by `policyc.cli` itself, not by `check`).
    program = (
        "import sys, argparse; from pathlib import Path; "
        "from policyc.check_command import cmd_check; "
        "code = cmd_check(argparse.Namespace(paths=[Path('.')], strict=False, "
        "format='text', coverage=False)); "
        "print([m for m in ('lark', 'policyc.compiler.checker', 'policyc.compiler.nodes', "
        "'policyc.compiler.parser') if m in sys.modules]); sys.exit(code)"
    )
    seen = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", program], cwd=project, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        seen.append(done.stdout.splitlines()[-1])
    assert seen[0] != "[]"
    assert seen[1] == "[]"
