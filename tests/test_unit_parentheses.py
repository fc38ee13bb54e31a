"""Unit names written with full-width parentheses, as documents write them (newcomer report 15,
item 7): `alias 县（市、区）民政局` was refused by the grammar; `policyc new --units` told a
registry that does not parse without its `line:col` and caret, which `check` gives; `duties`
wrapped a full name that already says the name: `乡镇人民政府（乡镇人民政府（街道办事处））`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.parser import parse
from policyc.compiler.registry import Unit
from policyc.duties import named
from policyc.lexer import NAME_PATTERN
from tests.conftest import QUOTE, REPO, PolicyFactory

UNITS = """\
unit 市商务局 "天门市商务局"
unit 天门市人民政府 "天门市人民政府"
unit 县级民政部门 "县级人民政府民政部门" alias 县（市、区）民政局
unit 乡镇人民政府 "乡镇人民政府（街道办事处）" alias 街道办事处
"""
BODY = f"""
input 发货量: 单 "实际发货量"
clause 七 "降低物流成本" {{
  {QUOTE}
  responsible 县（市、区）民政局
  cooperates 乡镇人民政府
  rule 物流补贴 {{
    kind 补助
    amount 0.2 元/单 × 发货量
  }}
}}
"""


def policyc(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args], capture_output=True, text=True, check=False,
        cwd=cwd,
    )  # fmt: skip


@pytest.fixture
def project(policies: PolicyFactory) -> Path:
    (policies.folder / "units.policy").write_text(UNITS, encoding="utf-8")
    return policies.write(BODY)


def test_a_registry_names_units_with_full_width_parentheses() -> None:
    units = parse(UNITS, "units.policy").units
    assert [(u.name.text, [a.text for a in u.aliases]) for u in units] == [
        ("市商务局", []),
        ("天门市人民政府", []),
        ("县级民政部门", ["县（市、区）民政局"]),
        ("乡镇人民政府", ["街道办事处"]),
    ]


def test_a_policy_names_a_unit_by_such_an_alias_and_checks(project: Path) -> None:
    done = policyc("check", str(project))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    "written",
    [
        "县(市、区)民政局",  # ASCII parentheses call functions: not in a name
        "（市、区）民政局",  # a name begins with a letter
        "县（市、区民政局",  # unbalanced
        "县（）民政局",  # empty
    ],
)
def test_what_stays_refused(written: str) -> None:
    with pytest.raises(PolicyError):
        parse(f'unit 县级民政部门 "县级人民政府民政部门" alias {written}\n', "units.policy")


def test_the_editors_lexer_reads_a_name_as_the_grammar_does() -> None:
    grammar = (REPO / "grammar" / "policy.lark").read_text(encoding="utf-8")
    (pattern,) = re.findall(r"^NAME: /(.*)/$", grammar, re.M)
    assert pattern == NAME_PATTERN
    assert re.fullmatch(NAME_PATTERN, "县（市、区）民政局")
    assert re.match(NAME_PATTERN, "县(市").group(0) == "县"  # type: ignore[union-attr]


def test_new_tells_a_registry_that_does_not_parse_as_check_does(tmp_path: Path) -> None:
    (tmp_path / "units.policy").write_text(
        'unit 市民政局 "江州市民政局"\nunit 县级民政部门 "县级人民政府民政部门" alias 县(市、区)民政局\n',
        encoding="utf-8",
    )
    (tmp_path / "notice.txt").write_text(
        "关于某事的通知\n一、各县（市、区）民政局应当做好某事。\n", encoding="utf-8"
    )
    check = policyc("check", "units.policy", cwd=tmp_path)
    new = policyc("new", "notice.txt", "--lines", "1-2", "--units", "units.policy", cwd=tmp_path)
    assert (check.returncode, new.returncode) == (2, 2)
    # `(` follows `unit `(5) 县级民政部门(6) ` `(1) the string with its quotes (12) ` alias `(7)
    # 县(1): 32 characters before it, so column 33.
    told = check.stdout + check.stderr
    assert "units.policy:2:33: unexpected `(`" in told
    assert "units.policy:2:33: unexpected `(`" in new.stderr
    (caret,) = [line for line in told.splitlines() if line.rstrip().endswith("^")]
    assert caret in new.stderr.splitlines(), "the same line and caret"


def test_duties_says_a_full_name_that_begins_with_the_name_once(project: Path) -> None:
    done = policyc("duties", "街道办事处", str(project))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "乡镇人民政府（街道办事处）"
    by_alias = policyc("duties", "县（市、区）民政局", str(project))
    assert by_alias.returncode == 0, by_alias.stderr
    assert by_alias.stdout.splitlines()[0] == "县级民政部门（县级人民政府民政部门）"
    assert "物流补贴" in by_alias.stdout


@pytest.mark.parametrize(
    ("name", "full", "shown"),
    [
        ("乡镇人民政府", "乡镇人民政府（街道办事处）", "乡镇人民政府（街道办事处）"),
        ("市民政局", "江州市民政局", "市民政局（江州市民政局）"),  # holds it, not at its start
        ("市民政局", "市民政局", "市民政局"),
        ("市民政局", "", "市民政局"),
    ],
)
def test_named(name: str, full: str, shown: str) -> None:
    assert named(Unit(name, full, (), "unit", "units.policy")) == shown
