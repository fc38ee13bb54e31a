"""Clauses numbered again in each section (一、…（一）（二）, 二、…（一）（二）), as many notices
number them: compiler/numbering.py keys them `SECTION.NUMBER`, so each keeps one identity in
check, run, the JSON answer, the site and shared caps; a document numbered through is unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from policyc.compiler import nodes as n
from policyc.compiler.numbering import restarting_kinds

SOURCE = """\
一、总则
（一）为保障困难家庭基本生活，制定本办法。
二、救助标准
（一）城乡低保。家庭人均月收入低于低保标准的，按差额发放。
（二）育儿补贴。每名子女每月补贴300元。
"""

HEADER = """\
policy "测〔2026〕1号" {
    title "测试"
    source "source.txt" lines 1 to 5
}
input 人数: 人
"""

RESTARTING = (
    HEADER
    + """\
section 一 "总则" {
    clause 一 "目的" {
        quote "为保障困难家庭基本生活，制定本办法。"
        rule 甲 { kind 补贴 when 人数 不少于 1 人 amount 100 元 }
    }
}
section 二 "救助标准" {
    clause 一 "城乡低保" {
        quote "城乡低保。家庭人均月收入低于低保标准的，按差额发放。"
        rule 乙 { kind 补贴 when 人数 不少于 2 人 amount 200 元 }
    }
    clause 二 "育儿补贴" {
        quote "育儿补贴。每名子女每月补贴300元。"
        rule 丙 { kind 补贴 when 人数 不少于 3 人 amount 300 元 }
    }
}
"""
)

CASE = "policy: 测〔2026〕1号\non: 2026-06-01\ninputs: {人数: 2}\n"


def policyc(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        cwd=folder, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _project(tmp_path: Path, policy: str) -> Path:
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "p.policy").write_text(policy, encoding="utf-8")
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    return tmp_path


def _sections(*firsts: tuple[str, ...]) -> list[n.Section]:
    return [
        n.Section(str(i), "", clauses=tuple(n.Clause(num, "") for num in numbers))
        for i, numbers in enumerate(firsts)
    ]


def test_numbering_restarts_only_where_every_section_starts_again():
    assert restarting_kinds(_sections(("一",), ("一", "二"))) == {"clause"}
    assert restarting_kinds(_sections(("1", "2"), ("1",))) == {"clause"}
    # Numbered through: the second section goes on from the first.
    assert restarting_kinds(_sections(("一", "二"), ("三",))) == frozenset()
    # One section alone says nothing about restarting.
    assert restarting_kinds(_sections(("一", "二"))) == frozenset()


def test_a_policy_numbering_again_in_each_section_checks_and_runs(tmp_path: Path):
    folder = _project(tmp_path, RESTARTING)
    checked = policyc(folder, "check", "p.policy")
    assert checked.returncode == 0, checked.stderr
    ran = policyc(folder, "run", "p.policy", "--case", "case.yaml", "--format", "json")
    assert ran.returncode == 0, ran.stderr
    clauses = {r["rule"]: r["clause"] for r in json.loads(ran.stdout)["results"]}
    assert clauses == {"甲": "一.一", "乙": "二.一", "丙": "二.二"}
    text = policyc(folder, "run", "p.policy", "--case", "case.yaml", "--all").stdout
    assert "一（一）目的" in text and "二（一）城乡低保" in text and "二（二）育儿补贴" in text


def test_a_number_twice_in_one_section_is_still_an_error(tmp_path: Path):
    twice = RESTARTING.replace('clause 二 "育儿补贴"', 'clause 一 "育儿补贴"')
    checked = policyc(_project(tmp_path, twice), "check", "p.policy")
    assert checked.returncode != 0
    assert "clause 二.一 appears twice (first at line 13)" in checked.stderr


def test_a_document_numbered_through_keeps_its_duplicate_check(tmp_path: Path):
    """Section 二 starts at 二, so the numbering goes on: a second 二 is the drafter's slip."""
    through = RESTARTING.replace('    clause 一 "城乡低保" {', '    clause 二 "城乡低保" {')
    checked = policyc(_project(tmp_path, through), "check", "p.policy")
    assert checked.returncode != 0
    assert "clause 二 appears twice" in checked.stderr


def test_a_shared_cap_over_a_number_several_sections_use_asks_for_the_rules(tmp_path: Path):
    capped = RESTARTING + (
        "shared_cap 合计 {\n    limit 250 元 per 户\n    over clause 一\n"
        '    order as_listed because "按顺序"\n}\n'
    )
    checked = policyc(_project(tmp_path, capped), "check", "p.policy")
    assert checked.returncode != 0
    assert "clause 一 is numbered in several sections (一、二)" in checked.stderr
    assert "name the rules instead" in checked.stderr
    by_rules = capped.replace("over clause 一", "over 甲, 乙")
    assert policyc(_project(tmp_path, by_rules), "check", "p.policy").returncode == 0


def test_the_site_gives_each_clause_its_own_anchor(tmp_path: Path):
    folder = _project(tmp_path, RESTARTING)
    built = policyc(folder, "docs", "p.policy", "--out", "site")
    assert built.returncode == 0, built.stderr
    page = (folder / "site" / "docs" / "p.md").read_text(encoding="utf-8")
    anchors = [a for a in ("{#clause-一.一}", "{#clause-二.一}", "{#clause-二.二}") if a in page]
    assert len(anchors) == 3
    # The index of amounts lists clauses without their sections: each keeps its section.
    amounts = (folder / "site" / "docs" / "amounts.md").read_text(encoding="utf-8")
    assert "二（一）城乡低保" in amounts and "一（一）目的" in amounts


def test_numbering_again_in_each_section_is_in_order(tmp_path: Path):
    """`numbering-order` follows the restart: (一) after (二) of the section before is in order,
    so `check --strict` passes; within a section the order is still held."""
    folder = _project(tmp_path, RESTARTING)
    strict = policyc(folder, "check", "--strict", "p.policy")
    assert "numbering-order" not in strict.stderr
    assert strict.returncode == 0, strict.stderr
    swapped = RESTARTING.replace('clause 二 "育儿补贴"', 'clause 三 "育儿补贴"').replace(
        '    clause 一 "城乡低保" {', '    clause 二 "城乡低保" {'
    )
    # Section 二 now starts at 二: numbered through, and 二 after 一 then 三 is in order.
    assert "numbering-order" not in policyc(_project(tmp_path, swapped), "check", "p.policy").stderr
    # Within a section the order still holds: (一) (三) (二) warns at (二).
    backwards = RESTARTING.replace('clause 二 "育儿补贴"', 'clause 三 "育儿补贴"') + (
        'section 三 "附则" {\n    clause 一 "甲" {\n        quote "为保障困难家庭基本生活，制定本办法。"\n'
        '    }\n    clause 三 "乙" {\n        quote "城乡低保。"\n    }\n'
        '    clause 二 "丙" {\n        quote "育儿补贴。"\n    }\n}\n'
    )
    checked = policyc(_project(tmp_path, backwards), "check", "p.policy")
    assert "clause 二 comes after clause 三" in checked.stderr
