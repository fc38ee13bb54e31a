"""`policyc new` (compiler/skeleton.py, cli/newpolicy.py): a skeleton policy from the received
text. On each of the five documents' line ranges the skeleton checks with source coverage 100%
and agrees with the hand-written policy in clause numbers, quotes and units (the figures per
document: benchmarks/skeleton_agreement.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.skeleton_agreement import agreement
from policyc.compiler.coverage import coverage
from policyc.compiler.pipeline import check_policy
from tests.conftest import REPO

POLICIES = sorted(REPO.glob("policies/t*.policy"))


@pytest.fixture(scope="module")
def agreements() -> dict[str, object]:
    return {p.stem: agreement(p) for p in POLICIES}


@pytest.mark.parametrize("policy", POLICIES, ids=[p.stem for p in POLICIES])
def test_the_skeleton_checks_with_every_sentence_covered(
    policy: Path, agreements: dict[str, object], tmp_path: Path
):
    (tmp_path / "policies").mkdir()
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    shutil.copy(REPO / "policies" / "units.policy", tmp_path / "policies")
    made = tmp_path / "policies" / policy.name
    made.write_text(agreements[policy.stem].text, encoding="utf-8")  # type: ignore[attr-defined]
    checked = check_policy(made)
    assert coverage(checked).percent == 100.0
    hand = check_policy(policy)
    assert checked.header.title == hand.header.title
    assert checked.header.issued == hand.header.issued
    assert checked.header.issuer is not None and hand.header.issuer is not None
    issuers = [p.registry.resolve(p.header.issuer.text) for p in (checked, hand)]  # type: ignore[union-attr]
    assert issuers[0] is not None and issuers[1] is not None
    assert issuers[0].name == issuers[1].name


@pytest.mark.parametrize("policy", POLICIES, ids=[p.stem for p in POLICIES])
def test_the_skeleton_finds_the_clauses_quotes_and_units(
    policy: Path, agreements: dict[str, object]
):
    a = agreements[policy.stem]
    found, written = a.clauses  # type: ignore[attr-defined]
    assert found >= 0.9 * written
    quoted, quotes = a.quotes  # type: ignore[attr-defined]
    if policy.stem != "tzbh-2023-1":  # its duties are numbered items the policy regroups
        assert quoted == quotes
    if policy.stem != "tzbh-2023-1":  # its units are named in the clause titles, not (责任单位:…)
        agreeing, compared = a.units  # type: ignore[attr-defined]
        assert agreeing >= 0.9 * compared


def test_the_textile_document_in_full(agreements: dict[str, object]):
    a = agreements["tzf-2023-1"]
    assert a.sections == (4, 4) and a.clauses == (17, 17) and a.extra == 0  # type: ignore[attr-defined]
    assert a.quotes[0] == a.quotes[1] and a.units == (17, 17)  # type: ignore[attr-defined]


SOURCE = """\
测政发〔2023〕9号

市人民政府关于测试的意见

各乡镇:

为了测试,提出如下意见。

一、总体要求

(一)支持物流。对物流企业给予补贴。(牵头单位:市商务局,责任单位:市财政局、市测试局)

天门市人民政府
2023年2月1日
"""

EXPECTED = """\
# Skeleton made by `policyc new` from source.txt lines 1–14.
# TODO(drafter): confirm every field marked TODO, write the rules, then `policyc check`.
# TODO(registry): units not in the registry: 市测试局

policy "测政发〔2023〕9号" {          # TODO(drafter): 文号
    title "市人民政府关于测试的意见"  # TODO(drafter): confirm the title
    issuer 天门市人民政府             # TODO(drafter): confirm (落款: 天门市人民政府)
    issued 2023-02-01                 # TODO(drafter): confirm (落款日期)
    source "source.txt" lines 1 to 14
    units from "units.policy"
}

aside "测政发〔2023〕9号" "文号, 写在 header 的 policy 中"
aside "各乡镇:" "主送机关"
aside "为了测试,提出如下意见。" "TODO(drafter): 说明"
aside "天门市人民政府" "落款"
aside "2023年2月1日" "落款"

section 一 "总体要求" {
    clause 一 "支持物流" {
        quote "对物流企业给予补贴。"
        quote "(牵头单位:市商务局,责任单位:市财政局、市测试局)"
        lead 市商务局
        responsible 市财政局
        # TODO(registry): not in the registry: 市测试局
        # TODO(drafter): the rules of clause 一
    }
}
"""


def policyc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        capture_output=True, text=True, cwd=cwd, timeout=60, check=False,
    )  # fmt: skip


def test_a_small_notice_by_hand(tmp_path: Path):
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    shutil.copy(REPO / "policies" / "units.policy", tmp_path)
    out = tmp_path / "new.policy"
    done = policyc("new", "source.txt", "--lines", "1-14", "-o", "new.policy", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == EXPECTED
    checked = policyc("check", "new.policy", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "source coverage 100.0%" in checked.stdout
    again = policyc("new", "source.txt", "--lines", "1-14", "-o", "new.policy", cwd=tmp_path)
    assert again.returncode == 2 and "exists already" in again.stderr
    assert out.read_text(encoding="utf-8") == EXPECTED


@pytest.mark.parametrize("lines", ["14-1", "0-3", "a-b", "1-999"])
def test_bad_line_ranges_are_refused(tmp_path: Path, lines: str):
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    done = policyc("new", "source.txt", "--lines", lines, cwd=tmp_path)
    assert done.returncode == 2 and "--lines" in done.stderr and "Traceback" not in done.stderr
