"""Issue 17's lesser edges, each a message and never a crash: string escapes and control
characters in policy strings, numbers past Python's 4,300-digit limit, dates near 9999, terminal
escape codes in anything printed, YAML that reads back as written, and `docs --out` through a
symbolic link."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from policyc.cli import main
from policyc.compiler.docs import _yaml_str, write_docs
from policyc.compiler.errors import Diagnostic, PolicyError, Span, printable
from policyc.compiler.parser import parse
from policyc.compiler.pipeline import check_policy
from policyc.report import PrintableStream
from policyc.runtime.dates import add_months, period_last_day
from tests.conftest import HEADER
from tests.test_hostile import MINI, policyc


def title(text: str) -> str:
    return HEADER.replace('title "测试政策"', f"title {text}")


def build_error(text: str) -> Diagnostic:
    with pytest.raises(PolicyError) as caught:
        parse(text, "p.policy")
    return caught.value.diagnostics[0]


# ---- string escapes ----------------------------------------------------------------------------


def test_the_two_escapes_a_string_knows() -> None:
    parsed = parse(title('"反\\\\斜\\"引\\"号"'), "p.policy")
    assert parsed.header is not None
    assert parsed.header.title == '反\\斜"引"号'


@pytest.mark.parametrize("escape", ["\\n", "\\t", "\\x", "\\u", "\\测"])
def test_any_other_escape_is_refused_where_it_is(escape: str) -> None:
    problem = build_error(title(f'"前{escape}后"'))
    assert problem.message == f"unknown escape `{escape}` in a string"
    assert (problem.span.line, problem.span.column) == (2, 13)  # the backslash
    assert "`\\\\` for a backslash" in problem.expected


@pytest.mark.parametrize(
    "character", ["\x00", "\x1b", "\r", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\u202e"]
)
def test_a_control_character_in_a_string_is_refused(character: str) -> None:
    problem = build_error(title(f'"前{character}后"'))
    assert problem.message == f"a string may not hold the control character U+{ord(character):04X}"
    assert (problem.span.line, problem.span.column) == (2, 13)


def test_a_tab_in_a_string_is_text() -> None:
    parsed = parse(title('"前\t后"'), "p.policy")
    assert parsed.header is not None and parsed.header.title == "前\t后"


# ---- numbers past Python's int/str limit --------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("lines 1 to 3", "lines 1 to {digits}"),
        ("for 3 年", "for {digits} 年"),
    ],
)
def test_a_number_of_5000_digits_in_a_policy_is_a_message(
    tmp_path: Path, old: str, new: str
) -> None:
    for name in ("source.txt", "units.policy"):
        shutil.copy(MINI / name, tmp_path / name)
    text = (MINI / "mini.policy").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "p.policy").write_text(
        text.replace(old, new.format(digits="9" * 5000)), encoding="utf-8"
    )
    for args in (["check", "p.policy"], ["run", "p.policy", "--case", str(MINI / "case.yaml")]):
        done = policyc(*args, cwd=tmp_path)
        done.refused("has more than 30 digits (5000 characters)")
        assert "9" * 100 not in done.err.split("\n")[0]  # the message shows the number shortened


def test_a_schedule_year_of_5000_digits(tmp_path: Path) -> None:
    for name in ("source.txt", "units.policy"):
        shutil.copy(MINI / name, tmp_path / name)
    text = (MINI / "mini.policy").read_text(encoding="utf-8")
    (tmp_path / "p.policy").write_text(
        text.replace("year 4 to 5", f"year 4 to {'9' * 5000}"), encoding="utf-8"
    )
    policyc("check", "p.policy", cwd=tmp_path).refused("more than 30 digits")


def test_a_number_of_5000_digits_in_a_case_is_a_message(tmp_path: Path) -> None:
    case = tmp_path / "c.yaml"
    case.write_text(
        f"on: 2023-06-01\ninputs:\n  申请人类型: 服装电商企业\n  年发货量: {'9' * 5000}\n",
        encoding="utf-8",
    )
    policyc("run", MINI / "mini.policy", "--case", case).refused("digits")


# ---- dates near 9999 ---------------------------------------------------------------------------


def test_calendar_arithmetic_past_9999_is_an_overflow() -> None:
    assert add_months(date(9999, 12, 31), 0) == date(9999, 12, 31)
    with pytest.raises(OverflowError):
        add_months(date(9999, 12, 1), 1)
    with pytest.raises(OverflowError):
        add_months(date(1, 1, 1), -1)
    # The period that ends on the calendar's last day has a last day, however it is counted.
    assert period_last_day(date(9999, 1, 1), months=12) == date(9999, 12, 31)
    assert period_last_day(date(9998, 12, 31), years=1, counting="from_next_day") == date(
        9999, 12, 31
    )
    with pytest.raises(OverflowError):
        period_last_day(date(9999, 1, 1), months=12, counting="from_next_day")
    with pytest.raises(OverflowError):
        period_last_day(date(9999, 1, 2), months=12)
    # Elsewhere the first-of-the-month shortcut agrees with the corresponding day less one.
    assert period_last_day(date(2023, 3, 1), months=1) == date(2023, 3, 31)
    assert period_last_day(date(2024, 2, 1), years=1) == date(2025, 1, 31)


@pytest.mark.parametrize(
    ("validity", "words"),
    [
        ("valid from 9999-06-01 for 1 年", "ends outside the calendar"),
        ("valid from 9999-01-01 for 12 月 counting from_next_day", "ends outside the calendar"),
        ("valid from 0001-01-01 for 0 年", "ends outside the calendar"),
    ],
)
def test_a_validity_past_9999_is_a_message(tmp_path: Path, validity: str, words: str) -> None:
    for name in ("source.txt", "units.policy"):
        shutil.copy(MINI / name, tmp_path / name)
    text = (MINI / "mini.policy").read_text(encoding="utf-8")
    old = "valid from 2023-01-06 for 3 年 provisional counting from_start_day"
    (tmp_path / "p.policy").write_text(text.replace(old, validity), encoding="utf-8")
    policyc("check", "p.policy", cwd=tmp_path).refused(words)


def test_a_policy_in_force_until_9999_12_31_is_published(tmp_path: Path) -> None:
    for name in ("source.txt", "units.policy"):
        shutil.copy(MINI / name, tmp_path / name)
    text = (MINI / "mini.policy").read_text(encoding="utf-8")
    old = "valid from 2023-01-06 for 3 年 provisional counting from_start_day"
    (tmp_path / "p.policy").write_text(
        text.replace(old, "valid from 9999-01-01 for 12 月"), encoding="utf-8"
    )
    checked = check_policy(tmp_path / "p.policy")
    assert checked.valid_until == date(9999, 12, 31)
    write_docs([checked], tmp_path / "out")
    home = (tmp_path / "out" / "docs" / "index.md").read_text(encoding="utf-8")
    assert "9999-12-31" in home and "失效" not in home.split("9999-12-31", 1)[1].split("\n")[0]
    on = tmp_path / "c.yaml"
    on.write_text("on: 9999-12-31\ninputs:\n  申请人类型: 服装电商企业\n", encoding="utf-8")
    done = policyc("run", "p.policy", "--case", on, cwd=tmp_path)
    assert done.status == 0, done.err
    assert "在有效期内" in done.out


# ---- terminal escape codes ---------------------------------------------------------------------


def test_printable_escapes_what_a_terminal_acts_on() -> None:
    assert printable("a\x1b[31mb\x9bc\x07d\x7fe\u202ef\rg") == (
        "a\\u001b[31mb\\u009bc\\u0007d\\u007fe\\u202ef\\u000dg"
    )
    assert (
        printable("行\t一\n行二（中文）") == "行\t一\n行二（中文）"
    )  # unchanged, and the same str


def test_the_stream_keeps_a_progress_bars_carriage_returns() -> None:
    out = io.StringIO()
    stream = PrintableStream(out)
    stream.write("\r进度 50%")
    stream.write("\r" + " " * 4 + "\r")
    stream.write("坏\r值\x1b]0;title\x07\n")
    assert out.getvalue() == "\r进度 50%\r    \r坏\\u000d值\\u001b]0;title\\u0007\n"


def test_an_excerpt_counts_lines_as_the_parser_does() -> None:
    source = "第一行 # 注释\u2028还是第一行\x85\n第二行\x1b[2J\n"
    shown = Diagnostic(Span("p", 2, 4, 2, 5), "m").render(source)
    assert "\x1b" not in shown and "\u2028" not in shown
    assert shown.split("\n")[1] == "    2 | 第二行\\u001b[2J"
    assert shown.split("\n")[2] == "      |       ^^^^^^"  # under the escape, as wide
    first = Diagnostic(Span("p", 1, 1), "m").render(source)
    assert "第一行 # 注释\\u2028还是第一行\\u0085" in first


def test_case_values_with_escape_codes_print_escaped(tmp_path: Path) -> None:
    case = tmp_path / "c.yaml"
    case.write_text(
        'on: 2023-06-01\ninputs:\n  申请人类型: "\\e[2J\\e]0;pwned\\a服装电商企业"\n',
        encoding="utf-8",
    )
    done = policyc("run", MINI / "mini.policy", "--case", case)
    done.refused("\\u001b[2J")
    assert "\x1b" not in done.err and "\x07" not in done.err


def test_json_output_stays_the_same_json(tmp_path: Path) -> None:
    case = tmp_path / "c.json"
    case.write_text(
        json.dumps({"on": "2023-06-01", "inputs": {"申请人类型": "服装电商企业"}}),
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["run", str(MINI / "mini.policy"), "--case", str(case), "--format", "json"])
    assert status == 0, err.getvalue()
    assert json.loads(out.getvalue())["case"] == str(case)
    wrapped = io.StringIO()
    PrintableStream(wrapped).write(json.dumps({"v": "a\x7fb\u2028c\x9b"}, ensure_ascii=False))
    assert json.loads(wrapped.getvalue()) == {"v": "a\x7fb\u2028c\x9b"}


# ---- YAML ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a\x7fb",
        "行\u2028分\u2029段\x85",
        "\ufeff起",
        "\x00\x01\x1b\t\n\r",
        "<img src=x>: #&a *a !!python/object:os.system '\"\\",
        "- 项\n? 问\n---\n...",
    ],
)
def test_a_yaml_scalar_reads_back_as_written(text: str) -> None:
    quoted = _yaml_str(text)
    assert "\n" not in quoted
    assert yaml.safe_load(f"key: {quoted}\n") == {"key": text}


# ---- docs --out --------------------------------------------------------------------------------


def test_docs_out_through_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "site").mkdir()
    (real / "site" / "keep.html").write_text("mine", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(real)
    done = policyc("docs", MINI / "mini.policy", "--out", link)
    done.refused("is a symbolic link", "give the folder itself")
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert (real / "site" / "keep.html").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in real.iterdir()) == ["site"]
