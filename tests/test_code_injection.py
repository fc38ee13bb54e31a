"""No code runs that a policy's file name smuggles in (issue 17, section 1).

A newline in a file name once ended the comment the generated module writes the name into, and
the rest of the name ran as Python. The payload here creates a file; every test asserts that the
file does not exist afterwards, whichever way the policy is compiled.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from policyc.compiler.checker import check
from policyc.compiler.codegen import _environment, comment_text, generate
from policyc.compiler.errors import InputError
from policyc.compiler.parser import parse
from policyc.compiler.pipeline import compile_policy, read_source
from tests.conftest import HEADER, PolicyFactory
from tests.test_language import TARGETS

PAYLOAD = '__import__("os").system("touch PWNED")'
RULE = "  rule r { amount 1 元 }"

# Line ends Python's tokenizer honours (\n, \r, form feed starts a fresh line's indentation) and
# the characters other tools take for one (NEL, LS, PS), DEL, a bidi override and a NUL-less C0.
SEPARATORS = ["\n", "\r", "\r\n", "\x0c", "\x85", "\u2028", "\u2029", "\x7f", "\u202e", "\x1b"]


def hostile_name(separator: str) -> str:
    return f"x{separator}{PAYLOAD}{separator}#.policy"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The payload writes PWNED into the current folder: make that the test's own folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_and_run_refuse_a_newline_in_the_file_name(policies: PolicyFactory, workdir: Path):
    path = policies.write(policies.clause(RULE), name=hostile_name("\n"))
    case = workdir / "case.yaml"
    case.write_text("on: 2023-06-30\ninputs: {}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "POLICYC_DEBUG"}
    for args in (
        ["check", str(path)],
        ["check", str(workdir)],
        ["run", str(path), "--case", str(case)],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "policyc", *args],
            capture_output=True, text=True, cwd=workdir, env=env, timeout=120,
        )  # fmt: skip
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert "control character U+000A" in done.stderr
        assert "Traceback" not in done.stderr
        assert not (workdir / "PWNED").exists()


@pytest.mark.parametrize("separator", SEPARATORS, ids=[f"U+{ord(s[-1]):04X}" for s in SEPARATORS])
def test_every_control_character_in_a_policy_name_is_refused(
    policies: PolicyFactory, workdir: Path, separator: str
):
    path = policies.write(policies.clause(RULE), name=hostile_name(separator))
    with pytest.raises(InputError, match=r"control character U\+"):
        read_source(path)
    with pytest.raises(InputError, match=r"control character U\+"):
        compile_policy(path)
    assert not (workdir / "PWNED").exists()


def test_a_control_character_in_a_folder_name_is_refused(policies: PolicyFactory, workdir: Path):
    path = policies.write(policies.clause(RULE))
    folder = workdir / "a\u2028b"
    folder.mkdir()
    moved = path.rename(folder / "p.policy")
    with pytest.raises(InputError, match=r"U\+2028"):
        read_source(moved)


def test_a_plain_chinese_name_is_accepted(policies: PolicyFactory):
    path = policies.write(policies.clause(RULE), name="天政发 2023 第1号.policy")
    assert "测试政策" in read_source(path)


@pytest.mark.parametrize("separator", SEPARATORS, ids=[f"U+{ord(s[-1]):04X}" for s in SEPARATORS])
def test_generated_code_never_runs_a_name_given_by_other_means(
    policies: PolicyFactory, workdir: Path, separator: str
):
    """Past the refusal at the door: a hostile name in the spans (a tool that parses under a
    name of its own) is written as an escaped comment and a repr, never as code."""
    text = HEADER + 'define 甲 = true "甲"\n' + policies.clause(RULE) + TARGETS
    name = str(policies.folder / hostile_name(separator))
    source = generate(check(parse(text, name), text))
    namespace: dict[str, object] = {}
    exec(compile(source, "<test>", "exec"), namespace)
    assert not (workdir / "PWNED").exists()
    assert namespace["SOURCE"] == name
    # Every comment stays on its line: the payload appears only escaped or inside a literal.
    for line in source.splitlines():
        if PAYLOAD in line:
            assert line.lstrip().startswith("#") or "  # " in line or "SOURCE = " in line, line


def test_the_template_refuses_a_value_that_skipped_the_filters():
    template = _environment().from_string("x = {{ value }}\n")
    with pytest.raises(TypeError, match="raw str"):
        template.render(value="1\nimport os")
    assert template.render(value=3) == "x = 3\n"
    with pytest.raises(jinja2.UndefinedError):
        template.render()


def test_comment_text_escapes_what_ends_a_comment():
    for separator in SEPARATORS:
        text = comment_text(f"a{separator}b")
        assert len(("# " + text).splitlines()) == 1
        assert text.isprintable()
    assert comment_text("天门市 p.policy") == "天门市 p.policy"
