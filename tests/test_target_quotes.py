"""Each target's 原文 is the quote that states it (site13, item 4): a section quoting one sentence
per target showed every target's 原文 as the section's first quote (`run --all`, the JSON
`quotes`, the web form). compiler/target_quotes.py picks, among the owner's quotes, the one
sharing the most two-character pieces with the target's name, wording and figure.

By hand, for `中期评估 … "2024年10月1日前完成中期评估"`: the fourth sentence contains the whole
wording; `本月数据报送 … "每月10日前报送数据"` the fifth (the first shares only 每月, 日前, 报送
and the pieces of `本月…报送`, not 10日 or 数据); `培育电商小镇 达到 3 个` names 电商小镇, which
only the third sentence of the plan section has (`13个` in the other is no help).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler import nodes as n
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.compiler.target_quotes import target_quotes

SOURCE = """\
青禾市人民政府办公室关于印发测试分工方案的通知
青政办发〔2023〕2号
一、工作要求
各牵头单位于每月25日前将任务进展情况报送市发改委。
各牵头单位于每季度末报送季度总结。
市发改委于2024年10月1日前完成中期评估。
各牵头单位于每月10日前报送数据。
二、年度目标
全年新增规上工业企业30家。
培育电商特色村13个。
培育电商小镇3个。
青禾市人民政府办公室
2023年1月10日
"""

REGISTRY = 'unit 市发改委 "青禾市发展和改革委员会"\nunit 市政府办 "青禾市人民政府办公室"\n'

POLICY = """\
policy "青政办发〔2023〕2号" {
    title "青禾市人民政府办公室关于印发测试分工方案的通知"
    issuer 市政府办
    issued 2023-01-10
    source "notice.txt" lines 1 to 13
    units from "units.policy"
}

aside "青政办发〔2023〕2号" "文号"
aside "青禾市人民政府办公室" "落款"
aside "2023年1月10日" "落款"

section 一 "工作要求" {
    quote "各牵头单位于每月25日前将任务进展情况报送市发改委。"
    quote "各牵头单位于每季度末报送季度总结。"
    quote "市发改委于2024年10月1日前完成中期评估。"
    quote "各牵头单位于每月10日前报送数据。"
    lead 市发改委
    target 本月进展报送 不少于 1 次 "每月25日前报送"
    target 本季度总结 不少于 1 次 "每季度末报送季度总结"
    target 中期评估 不少于 1 次 "2024年10月1日前完成中期评估"
    target 本月数据报送 不少于 1 次 "每月10日前报送数据"
}

section 二 "年度目标" {
    quote "全年新增规上工业企业30家。"
    quote "培育电商特色村13个。"
    quote "培育电商小镇3个。"
    lead 市发改委
    target 新增规上工业企业 达到 30 家
    target 培育电商小镇 达到 3 个
}
"""

OWN_QUOTE = {
    "本月进展报送": "各牵头单位于每月25日前将任务进展情况报送市发改委。",
    "本季度总结": "各牵头单位于每季度末报送季度总结。",
    "中期评估": "市发改委于2024年10月1日前完成中期评估。",
    "本月数据报送": "各牵头单位于每月10日前报送数据。",
    "新增规上工业企业": "全年新增规上工业企业30家。",
    "培育电商小镇": "培育电商小镇3个。",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("targets")
    (folder / "notice.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "units.policy").write_text(REGISTRY, encoding="utf-8")
    (folder / "plan.policy").write_text(POLICY, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def plan(folder: Path) -> CompiledPolicy:
    return compile_policy(folder / "plan.policy")


def test_each_target_carries_the_quote_that_states_it(plan: CompiledPolicy) -> None:
    results = plan.evaluate({}, date(2023, 6, 1))
    quotes = {r.info.name: r.info.quotes for r in results if r.info.role == "target"}
    assert quotes == {name: (quote,) for name, quote in OWN_QUOTE.items()}


def test_run_all_shows_each_targets_own_quote(folder: Path) -> None:
    case = folder / "case.json"
    case.write_text(json.dumps({"on": "2023-06-01", "inputs": {}}), encoding="utf-8")
    policy = str(folder / "plan.policy")
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "run", policy, "--case", str(case), "--all"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    lines = [line.strip() for line in done.stdout.splitlines()]
    shown = [line.removeprefix("原文: ") for line in lines if line.startswith("原文: ")]
    assert shown == list(OWN_QUOTE.values())  # in the policy's order, each its own


def _target(name: str, description: str = "", value: n.Expr | None = None) -> n.Target:
    figure = value if value is not None else n.QuantityLit("1", "次")
    return n.Target(n.Name(name), "ge", "不少于", figure, None, description)


def test_one_quote_or_none_sharing_a_piece_keeps_the_owners() -> None:
    first, second = n.Quote("甲乙丙。"), n.Quote("丁戊己。")
    assert target_quotes(_target("庚辛"), [first, second]) == (first, second)  # nothing shared
    assert target_quotes(_target("庚辛"), [first]) == (first,)
    assert target_quotes(_target("庚辛"), []) == ()


def test_a_tie_keeps_every_quote_tied() -> None:
    first, second, third = n.Quote("报送甲。"), n.Quote("丙丁。"), n.Quote("报送乙。")
    assert target_quotes(_target("报送"), [first, second, third]) == (first, third)
