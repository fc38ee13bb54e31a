"""What a household case still needs (cli/needs.py): a member's missing value and a period's are
named as the evaluation names them, once, with a member's periods in one line."""

from __future__ import annotations

import json
from pathlib import Path

from policyc.cli import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "county-household"

# 李小明 has no 出生日期: 育儿补贴 (under 18) and 高龄津贴 (80 or more) wait for it. 取暖补贴 is paid
# per 年 on the year's income of every member, of which the case gives March only.
CASE = """period: 2026-03
members:
  王芳: {role: 申请人, inputs: {出生日期: 1980-05-01, 月收入: {2026-03: 2399.97}}}
  李强: {role: 配偶, inputs: {出生日期: 1979-02-01, 月收入: {2026-03: 0}}}
  李小明: {role: 子女, inputs: {月收入: {2026-03: 0}}}
"""


def test_a_members_and_a_periods_missing_values_are_still_needed(tmp_path, capsys) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(CASE, encoding="utf-8")
    policy = FIXTURE / "county-household.policy"
    assert main(["run", str(policy), "--case", str(case), "--format", "json"]) == 0
    needed = json.loads(capsys.readouterr().out)["still_needed"]
    months = "2026-01、2026-02、2026-04至2026-12"
    assert [(n["name"], n["rules"]) for n in needed] == [
        ("李小明.出生日期", ["育儿补贴", "高龄津贴"]),
        (f"王芳.月收入[{months}]", ["取暖补贴"]),
        (f"李强.月收入[{months}]", ["取暖补贴"]),
        (f"李小明.月收入[{months}]", ["取暖补贴"]),
    ]
    assert main(["run", str(policy), "--case", str(case)]) == 0
    text = capsys.readouterr().out
    assert "还需要以下输入（3 项结果待定）" in text
    assert f"李强.月收入[{months}]（元）" in text
