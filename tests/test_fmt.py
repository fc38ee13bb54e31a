"""`policyc fmt` (compiler/fmt.py, cli/formatting.py): one canonical layout, comments kept.

Idempotent (formatting twice changes nothing) and faithful (the AST before and after is equal,
so the checked policy is too) on every policy file of the repository and on a generated
corpus; canonical (the layout does not depend on how the input was spaced); the rules pinned
on small inputs whose expected layout is written out by hand."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyc.compiler.errors import PolicyError
from policyc.compiler.fmt import format_text
from policyc.compiler.parser import parse
from tests.conftest import REPO
from tests.test_properties import POLICY_SEEDS, SETTINGS, mutated

ALL_POLICIES = sorted(
    p
    for p in [*REPO.glob("policies/*.policy"), *REPO.glob("tests/fixtures/**/*.policy")]
    if "syntax" not in p.parts  # fixtures that do not parse, on purpose
)


def faithful_and_idempotent(text: str, name: str) -> str:
    formatted = format_text(text, name)
    assert parse(formatted, name) == parse(text, name)
    assert format_text(formatted, name) == formatted
    return formatted


@pytest.mark.parametrize("path", ALL_POLICIES, ids=[str(p.relative_to(REPO)) for p in ALL_POLICIES])
def test_every_policy_file_formats_faithfully_and_idempotently(path: Path):
    text = path.read_text(encoding="utf-8")
    formatted = faithful_and_idempotent(text, str(path))
    assert [c for c in re.findall(r"#[^\n]*", text) if '"' not in c] == [
        c for c in re.findall(r"#[^\n]*", formatted) if '"' not in c
    ], "every comment kept, in order"


def test_the_shipped_policies_are_formatted():
    for path in sorted(REPO.glob("policies/*.policy")):
        text = path.read_text(encoding="utf-8")
        assert format_text(text, str(path)) == text, f"run: policyc fmt -w {path}"


@settings(SETTINGS, deadline=None)
@given(mutated(POLICY_SEEDS))
def test_a_mutated_policy_formats_faithfully_or_is_a_syntax_error(text: str):
    try:
        parse(text, "p.policy")
    except PolicyError:
        with pytest.raises(PolicyError):
            format_text(text, "p.policy")
        return
    faithful_and_idempotent(text, "p.policy")


# Strings, comments, whitespace and everything else: re-spacing touches only whitespace.
PIECES = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|\s+|[^\s"#]+|.')


@st.composite
def respaced(draw: st.DrawFn) -> tuple[str, str]:
    """A seed, and the same seed with its spaces and single line breaks changed at random
    (never a blank line added or removed, never the whitespace beside a comment)."""
    text = draw(st.sampled_from(POLICY_SEEDS)).read_text(encoding="utf-8")
    pieces = PIECES.findall(text)
    rng = random.Random(draw(st.integers(0, 2**32)))
    out = []
    for i, piece in enumerate(pieces):
        beside_comment = any(
            0 <= j < len(pieces) and pieces[j].startswith("#") for j in (i - 1, i + 1)
        )
        if piece.isspace() and piece.count("\n") <= 1 and not beside_comment:
            out.append(rng.choice([" ", "  ", "\n", "\n        ", "\t"]))
        else:
            out.append(piece)
    return text, "".join(out)


@settings(SETTINGS, deadline=None, max_examples=min(SETTINGS.max_examples, 25))
@given(respaced())
def test_the_layout_does_not_depend_on_the_input_spacing(texts: tuple[str, str]):
    original, respaced_text = texts
    try:
        parse(respaced_text, "p.policy")
    except PolicyError:
        return  # a space removed between two words joined them: not the same policy
    if parse(respaced_text, "p.policy") != parse(original, "p.policy"):
        return
    assert format_text(respaced_text) == format_text(original)


# ---- the rules, by hand ----

MESSY = """\
# 头注释

policy   "测试〔2023〕1号"{ title "测试"
issuer 天门市人民政府 }
enum 地点 {省内,省外 , "国(境)外"}
enum 类型 { 甲 "甲类",
  乙 ,  # 乙类没有说明
}
input 销售 : 元 optional   # 评估年度
table 标准 by 地点 {省内: 2000 元 / 次,省外: 4000 元/次,"国(境)外":10000 元/次,}


clause 九 "品牌"{quote "对服装电商企业,按实际发货量每单补贴0.2元。"
    # 一条规则
  rule r { when 类型 in { 甲 , 乙 } and on_date ( ) >= 2023-01-06
      amount tiers 销售 highest { 达到 2000 万元 : 20 万元, 达到 1 亿元: 50 万元, }
      cap 50 % of 销售 }

  rule empty {}
}
"""

EXPECTED = """\
# 头注释

policy "测试〔2023〕1号" {
    title "测试"
    issuer 天门市人民政府
}
enum 地点 { 省内, 省外, "国(境)外" }
enum 类型 {
    甲 "甲类",
    乙,  # 乙类没有说明
}
input 销售: 元 optional  # 评估年度
table 标准 by 地点 {
    省内:       2000 元/次,
    省外:       4000 元/次,
    "国(境)外": 10000 元/次,
}

clause 九 "品牌" {
    quote "对服装电商企业,按实际发货量每单补贴0.2元。"
    # 一条规则
    rule r {
        when 类型 in {甲, 乙} and on_date() >= 2023-01-06
        amount tiers 销售 highest {
            达到 2000 万元: 20 万元,
            达到 1 亿元:    50 万元,
        }
        cap 50% of 销售
    }

    rule empty { }
}
"""


def test_the_rules_on_a_messy_file():
    assert format_text(MESSY) == EXPECTED
    assert format_text(EXPECTED) == EXPECTED


def test_a_comment_inside_a_statement_ends_its_line_and_the_statement_goes_on_deeper():
    text = 'clause 一 "t" {\n  rule r { when a and  # 第一个条件\n b }\n}\n'
    assert format_text(text) == (
        'clause 一 "t" {\n    rule r {\n        when a and  # 第一个条件\n            b\n    }\n}\n'
    )


def test_trailing_comments_of_consecutive_lines_are_aligned():
    text = 'unit 甲 "甲局"  # 一\nunit 乙乙乙 "乙乙乙局" # 二\n\nunit 丙 "丙" # 三\n'
    assert format_text(text) == (
        'unit 甲 "甲局"          # 一\nunit 乙乙乙 "乙乙乙局"  # 二\n\nunit 丙 "丙"  # 三\n'
    )


def test_a_hash_in_a_string_is_not_a_comment():
    text = 'aside "#1 号" "说明"   # 真注释\n'
    assert format_text(text) == 'aside "#1 号" "说明"  # 真注释\n'


# ---- the command ----


def policyc(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        check=False,
    )


def test_check_write_and_diff(tmp_path: Path):
    messy, clean = tmp_path / "messy.policy", tmp_path / "clean.policy"
    messy.write_text(MESSY, encoding="utf-8")
    clean.write_text(EXPECTED, encoding="utf-8")
    done = policyc("fmt", "--check", str(tmp_path))
    assert done.returncode == 1
    assert f"would reformat {messy}" in done.stderr and str(clean) not in done.stderr
    assert messy.read_text(encoding="utf-8") == MESSY
    diff = policyc("fmt", "--diff", str(messy))
    assert diff.returncode == 0
    assert '\n-enum 地点 {省内,省外 , "国(境)外"}\n' in diff.stdout
    assert '\n+enum 地点 { 省内, 省外, "国(境)外" }\n' in diff.stdout
    assert policyc("fmt", "-w", str(tmp_path)).returncode == 0
    assert messy.read_text(encoding="utf-8") == EXPECTED
    assert policyc("fmt", "--check", str(tmp_path)).returncode == 0
    assert policyc("fmt", stdin=MESSY).stdout == EXPECTED


def test_a_file_that_does_not_parse_is_an_error_and_left_alone(tmp_path: Path):
    broken = tmp_path / "broken.policy"
    broken.write_text('policy "x" {\n', encoding="utf-8")
    done = policyc("fmt", "-w", str(broken))
    assert done.returncode == 2
    assert f"{broken}:1:12:" in done.stderr and "Traceback" not in done.stderr
    assert broken.read_text(encoding="utf-8") == 'policy "x" {\n'
    assert policyc("fmt", str(tmp_path / "missing.policy")).returncode == 2


def test_formatted_shipped_policies_still_check(tmp_path: Path):
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    assert policyc("fmt", "-w", str(tmp_path / "policies")).returncode == 0
    done = policyc("check", str(tmp_path / "policies"))
    assert done.returncode == 0, done.stderr[-2000:]
