"""A rule's `beneficiary` is who receives (docs/language.md); the language declares no applicant.
So `run` totals the paid amounts per beneficiary when the applying rules name more than one, and
the site calls the beneficiary 受益对象, never 谁可以申请.

天政办发〔2026〕7号 (tests/fixtures/talent-housing), 二（二）: "企业引进的外籍高层次专家，按每人每年
1万美元给予生活补助" — the enterprise applies, the experts receive. Worked by hand for an
enterprise with 2 experts, 3 new hires, 1,000,000.02元 失业保险费 and 11 of 200 laid off (5.5%
of 200 = 11, 不高于 includes it): 2 × 1万美元 = 20,000美元 to the experts; to the enterprise
min(50% × 1,000,000.02 = 500,000.01, 50万) = 500,000元 + 3 × 3000元 = 9000元 = 509,000元."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policyc.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "talent-housing"
POLICY = FIXTURE / "policies" / "rc-2026-7.policy"
ENTERPRISE = {
    "申请人类型": "企业", "参保企业": True, "上年度参保职工人数": 200, "上年度裁员人数": 11,
    "上年度失业保险缴费": "1000000.02", "引进外籍高层次专家人数": 2, "新招用青年人才人数": 3,
}  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, inputs: dict[str, Any], *args: str
        ) -> list[str]:  # fmt: skip
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"on": "2026-06-30", "inputs": inputs}, ensure_ascii=False), "utf-8")
    assert main(["run", str(POLICY), "--case", str(path), *args]) == 0
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("args", [(), ("--all",)])
def test_each_beneficiary_has_its_total(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    lines = [x.strip() for x in run(capsys, tmp_path, ENTERPRISE, *args)]
    assert [x for x in lines if x.startswith("合计")] == [
        "合计（支付给外籍高层次专家）: 20,000美元（2万美元）",
        "合计（支付给申请人）: 509,000元（50.9万元）",
    ]


def test_one_beneficiary_is_the_applicants_total(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # no experts: 外籍专家生活补助 needs 不少于 1 人, so only 企业 receives: 500,000 + 9000 元
    lines = run(capsys, tmp_path, ENTERPRISE | {"引进外籍高层次专家人数": 0})
    assert [x for x in lines if "合计" in x] == ["  合计（支付给申请人）: 509,000元（50.9万元）"]


def test_the_site_names_the_beneficiary_who_receives() -> None:
    from policyc.compiler.pipeline import compile_policy
    from policyc.compiler.site.assemble import render_docs

    page = render_docs([compile_policy(POLICY).checked])["docs/rc-2026-7.md"]
    assert "- **受益对象**：外籍高层次专家\n" in page
    assert "谁可以申请" not in page


def test_the_words_for_the_applicant_are_one_total(capsys: pytest.CaptureFixture[str]) -> None:
    """天政发〔2023〕1号 (十二): 驰名商标 50万元 `beneficiary 企业`, 陆羽质量奖 20万元 `beneficiary
    企业或组织` — both words name what one case is (compiler/subjects.py), the applicant: one
    total of 500,000 + 200,000 = 700,000元, not one per label."""
    repo = Path(__file__).parent.parent
    case = repo / "examples" / "tzf-2023-1" / "09-trademarks-and-quality-award.yaml"
    args = ["run", str(repo / "policies" / "tzf-2023-1.policy"), "--case", str(case)]
    assert main(args) == 0
    lines = [x.strip() for x in capsys.readouterr().out.splitlines()]
    assert [x for x in lines if x.startswith("合计")] == [
        "合计（支付给申请人）: 700,000元（70万元）"
    ]
