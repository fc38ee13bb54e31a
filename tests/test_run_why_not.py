"""`policyc run`'s default answer says why each rule does not apply (block 为何不适用,
cli/answer.py): the first failed condition as `--all` words it, rules sharing a reason on one
line, and the rules meant for another member of an enum input counted on one line.

The policy is the newcomer's 天政办发〔2026〕7号 (tests/fixtures/talent-housing): 人才安居补贴 and
购房奖励 first require `是青年人才` (青年人才, 35 or younger, full-time 本科/硕士/博士); the other
three rules first require `申请人类型 is 企业`. The expected lines are read from that text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policyc.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "talent-housing"
POLICY = FIXTURE / "policies" / "rc-2026-7.policy"
TEXTILE = Path(__file__).parent.parent / "policies" / "tzf-2023-1.policy"

TALENT = {
    "申请人类型": "青年人才", "出生日期": "1996-01-15", "全日制": True,
    "参加工作日期": "2024-05-01", "连续缴纳社保月数": 12,
}  # fmt: skip


def answer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, inputs: dict[str, Any],
    on: str = "2026-06-30", policy: Path = POLICY,
) -> list[str]:  # fmt: skip
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"on": on, "inputs": inputs}, ensure_ascii=False), "utf-8")
    assert main(["run", str(policy), "--case", str(path)]) == 0
    return capsys.readouterr().out.splitlines()


def why(lines: list[str]) -> list[str]:
    start = lines.index("为何不适用") + 1
    return lines[start : lines.index("", start)]


def test_a_refused_talent_is_told_which_condition_failed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 专科 (学历 其他): not 本科以上, so not a 青年人才; the enterprise's three rules are for 企业
    lines = answer(capsys, tmp_path, TALENT | {"学历": "其他"})
    assert why(lines) == [
        "  ✘ 人才安居补贴、购房奖励 — 条件不成立: 是青年人才",
        # the part of 是青年人才 that failed (its others, 年龄 and 全日制, hold)
        "      · 学历为本科、硕士研究生、博士研究生之一: 其他 → 不成立",
        "  另 3 条针对其他申请人类型: 外籍专家生活补助、稳岗返还、吸纳就业补贴",
    ]
    assert lines[-1] == "不适用 5 条。逐条列出: --all"


def test_one_side_of_the_edge_names_the_condition_the_other_does_not(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 社保 12 months: 人才安居补贴 applies (满12个月 includes 12); 11 months: it does not, and the
    # failed condition is the months' one
    applies = answer(capsys, tmp_path, TALENT | {"学历": "本科"})
    assert "  ✘ 购房奖励 — 条件不成立: 新购首套住房" in why(applies)
    assert not any("人才安居补贴" in line for line in why(applies))
    refused = why(answer(capsys, tmp_path, TALENT | {"学历": "本科", "连续缴纳社保月数": 11}))
    assert refused[0].startswith("  ✘ 人才安居补贴 — 条件不成立: 连续缴纳社保月数")


def test_out_of_force_is_one_line_for_every_rule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 2026-03-31, the day before 施行 (2026-04-01): all five rules, one reason, saying which
    # side of the validity the day lies on (43 characters, no clause boundary: kept whole)
    lines = answer(capsys, tmp_path, {"申请人类型": "企业"}, on="2026-03-31")
    assert why(lines) == [
        "  ✘ 人才安居补贴、外籍专家生活补助、购房奖励 等 5 条 — 政策在 2026-03-31 不在有效期内"
        "：尚未施行（自2026年4月1日起施行）"
    ]


def test_an_applying_case_lists_no_reason_for_what_applies(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    enterprise = {
        "申请人类型": "企业", "参保企业": True, "上年度参保职工人数": 200, "上年度裁员人数": 11,
        "上年度失业保险缴费": 10000, "引进外籍高层次专家人数": 1, "新招用青年人才人数": 1,
    }  # fmt: skip
    assert why(answer(capsys, tmp_path, enterprise)) == [
        "  ✘ 人才安居补贴、购房奖励 — 条件不成立: 是青年人才",
        "      · 申请人类型为青年人才: 企业 → 不成立",  # the part of 是青年人才 that failed
    ]


def test_a_long_reason_is_cut(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # tzf-2023-1 入驻国投产业园: "条件不成立: 下列条件之一：①服装生产加工类企业从业人员不少于50人；
    # ②…" is longer than 40 characters: it is cut after its last whole clause within 40, item
    # ① (34 characters, its ；replaced by …), never inside item ②. A 服装生产加工类企业 of 49 people fails ①
    # on its staff (不少于50人 includes 50), not on its kind: the rule is reasoned, not counted
    # among those for another 申请人类型 (as it is for a 融资担保机构, which no item admits).
    company = {"申请人类型": "服装生产加工类企业", "从业人员数": "49人"}
    lines = answer(capsys, tmp_path, company, on="2023-09-01", policy=TEXTILE)
    [line] = [x for x in why(lines) if "入驻国投产业园" in x]
    reason = line.split(" — ", 1)[1]
    assert reason == "条件不成立: 下列条件之一：①服装生产加工类企业从业人员不少于50人…"
    other = why(
        answer(capsys, tmp_path, {"申请人类型": "融资担保机构"}, on="2023-09-01", policy=TEXTILE)
    )
    [counted] = [x for x in other if x.startswith("  另 ")]
    assert counted.startswith("  另 ") and "针对其他申请人类型" in counted
    assert not any("入驻国投产业园 —" in x for x in other)
