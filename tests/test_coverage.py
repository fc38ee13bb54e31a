"""Source coverage (compiler/coverage.py): every sentence of the received text is restated by a
quote, set aside by an `aside`, or reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.coverage import Coverage, coverage
from policyc.compiler.pipeline import check_policy
from tests.conftest import REPO

SOURCE = """天政发〔2023〕9号

关于测试的意见

各乡镇:
一、总则
(一)补贴标准。对服装电商企业,每单补贴0.2元,单个企业每年最高补贴100万元。(责任单位:市商务局)
(二)其他。本句无人引用；另一句;
   3.
天门市人民政府
"""

POLICY = """policy "测试〔2023〕9号" {
    title "关于测试的意见"
    issuer 天门市人民政府
    issued 2023-01-06
    valid from 2023-01-06 for 3 年
    source "source.txt" lines 1 to 10
    units from "units.policy"
}
aside "各乡镇:" "主送"
aside "本句" "只引了半句: 不算"
section 一 "总则" {
    clause 一 "补贴标准" {
        quote "对服装电商企业,每单补贴0.2元"
        quote "单个企业每年最高补贴100万元。(责任单位:市商务局)"
        responsible 市商务局
    }
}
"""


@pytest.fixture
def small(tmp_path: Path) -> CheckedPolicy:
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "units.policy").write_text(
        'unit 市商务局 "天门市商务局"\nunit 天门市人民政府 "天门市人民政府"\n', encoding="utf-8"
    )
    (tmp_path / "p.policy").write_text(POLICY, encoding="utf-8")
    return check_policy(tmp_path / "p.policy")


def test_sentences_and_what_covers_each(small: CheckedPolicy):
    cov = coverage(small)
    assert [(s.line, s.column, s.text, s.covered_by) for s in cov.sentences] == [
        (1, 1, "天政发〔2023〕9号", ""),
        (3, 1, "关于测试的意见", "title"),
        (5, 1, "各乡镇:", "aside"),
        (6, 1, "一、总则", "heading"),  # section 一 "总则"
        (7, 1, "(一)补贴标准。", "heading"),  # clause 一 "补贴标准"
        (7, 9, "对服装电商企业,每单补贴0.2元,单个企业每年最高补贴100万元。", "quote"),  # two quotes
        (7, 42, "(责任单位:市商务局)", "quote"),
        (8, 1, "(二)其他。", ""),  # no clause 二: reported like any sentence
        (8, 7, "本句无人引用；", ""),  # an aside of half a sentence does not cover it
        (8, 14, "另一句;", ""),
        (10, 1, "天门市人民政府", ""),  # blank lines and the bare `3.` are not sentences
    ]


def test_figures(small: CheckedPolicy):
    cov = coverage(small)
    assert (cov.total, cov.covered) == (11, 6)
    assert cov.percent == pytest.approx(100 * 6 / 11)
    summary = cov.summary()
    assert summary["sentences"] == 11
    assert summary["covered"] == 6
    assert summary["percent"] == 54.5
    assert summary["uncovered"][0] == {"line": 1, "text": "天政发〔2023〕9号"}


def test_report_and_diagnostics_point_into_the_source(small: CheckedPolicy):
    cov = coverage(small)
    folder = Path(small.file.path).parent
    lines = cov.report().splitlines()
    assert lines[0] == f"{small.file.path}: 6/11 sentences (54.5%)"
    assert lines[1] == f"{folder / 'source.txt'}:1: 天政发〔2023〕9号"
    first = cov.diagnostics()[0]
    text = (folder / "source.txt").read_text(encoding="utf-8")
    assert first.render(text).splitlines() == [
        f"{folder / 'source.txt'}:1:1: warning[uncovered-sentence]: no quote or aside covers this sentence",
        "    1 | 天政发〔2023〕9号",
        "      | " + "^" * 17,
    ]


def test_asides_complete_the_coverage(small: CheckedPolicy, tmp_path: Path):
    more = POLICY + "".join(
        f'aside "{text}" "未立规则"\n'
        for text in ("天政发〔2023〕9号", "(二)其他。本句无人引用；另一句;", "天门市人民政府")
    )
    (tmp_path / "p.policy").write_text(more, encoding="utf-8")
    cov = coverage(check_policy(tmp_path / "p.policy"))
    assert (cov.covered, cov.total, cov.percent) == (11, 11, 100.0)
    assert cov.uncovered() == ()


def test_without_a_source_there_is_nothing_to_cover(tmp_path: Path):
    (tmp_path / "units.policy").write_text('unit 市商务局 "天门市商务局"\n', encoding="utf-8")
    (tmp_path / "p.policy").write_text(
        'policy "测试" { title "t" units from "units.policy" }\n', encoding="utf-8"
    )
    cov = coverage(check_policy(tmp_path / "p.policy"))
    assert isinstance(cov, Coverage)
    assert (cov.total, cov.covered, cov.percent) == (0, 0, 100.0)


def test_the_shipped_policy():
    """天政发〔2023〕1号 restates every clause; what is left (until its asides are added) is the
    document number, the addressees, the purpose, the validity sentence and the signature."""
    cov = coverage(check_policy(REPO / "policies" / "tzf-2023-1.policy"))
    assert (cov.first_line, cov.last_line, cov.total) == (42, 108, 79)
    assert cov.covered >= 73
    assert {s.line for s in cov.uncovered()} <= {42, 51, 53, 99, 104, 106}
    headings = [s for s in cov.sentences if s.covered_by == "heading"]
    assert len(headings) == 4 + 17  # four sections, seventeen clauses


def test_numbering_as_plans_and_tables_of_contents_write_it(tmp_path: Path):
    source = (
        "1总则\n1.1编制目的\n4.3.1 Ⅲ级响应措施\n1.严格落实规划。\n2)建议性措施\n"
        "2023年1月9日\n1.2编制依据\n"
    )
    (tmp_path / "source.txt").write_text(source, encoding="utf-8")
    (tmp_path / "units.policy").write_text('unit 市商务局 "天门市商务局"\n', encoding="utf-8")
    (tmp_path / "p.policy").write_text(
        'policy "测试" { title "t" source "source.txt" lines 1 to 7 units from "units.policy" }\n'
        'section 1 "总则" {\n'
        '    clause 1.1 "编制目的" { quote "严格落实规划。" }\n'
        '    clause 4.3.1 "Ⅲ级响应措施" { quote "建议性措施" }\n'
        "}\n",
        encoding="utf-8",
    )
    cov = coverage(check_policy(tmp_path / "p.policy"))
    assert [(s.text, s.covered_by) for s in cov.sentences] == [
        ("1总则", "heading"),
        ("1.1编制目的", "heading"),
        ("4.3.1 Ⅲ级响应措施", "heading"),
        ("1.严格落实规划。", "quote"),  # `1.` is the structure's; the rest is quoted
        ("2)建议性措施", "quote"),
        ("2023年1月9日", ""),  # a bare number before text is a heading only when one matches
        ("1.2编制依据", ""),  # no clause 1.2
    ]
