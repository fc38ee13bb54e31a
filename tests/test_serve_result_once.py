"""The web result lists each rule, decided value and target once (newcomer report 15, item
10a: an undetermined `decide` — 审核期限 without its 受理日期 — was listed under 无法判定的条款
and again under 判定与目标, now 判定). A decided value is shown under 判定 whatever its
status; the other lists take only what is left."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import PolicyFactory

pytest.importorskip("starlette")

DECLARATIONS = """
input 受理日期: date optional "受理申请的日期"
input 发货量: 单 optional "实际发货量"
"""
RULES = """
  decide 审核期限 = date_plus(受理日期, 15 日) "受理之日起15日"
  rule 物流补贴 {
    kind 补助
    amount 0.2 元/单 × 发货量
  }
"""


def client(policies: PolicyFactory) -> Any:
    from starlette.testclient import TestClient

    from policyc.serve.app import create_app

    path = policies.write(policies.clause(RULES, DECLARATIONS))
    return TestClient(create_app([path]))


def result_names(page: str) -> list[str]:
    """The names of the results the page's result section lists, in order, one per item."""
    section = page[page.index('id="result"') :]
    return re.findall(
        r'<li class="result [^"]*">\s*<div class="rule"><strong>([^<]+)</strong>', section
    )


def test_an_undetermined_decision_is_listed_once_under_decided(policies: PolicyFactory) -> None:
    page = client(policies).post("/policies/p", data={"case.on": "2023-06-01"}).text
    assert result_names(page) == ["物流补贴", "审核期限"]  # 无法判定 (发货量), then 判定
    decided = page[page.index("<h3>判定</h3>") :]
    assert "<strong>审核期限</strong>" in decided
    assert "无法判定的条款（1）" in page, "物流补贴 alone waits for 发货量"


def test_a_decided_value_is_listed_once(policies: PolicyFactory) -> None:
    fields = {"case.on": "2023-06-01", "受理日期": "2023-06-01", "发货量": "100"}
    page = client(policies).post("/policies/p", data=fields).text
    assert result_names(page) == ["物流补贴", "审核期限"]  # 适用, then 判定
    assert "2023-06-16" in page  # 6月1日 + 15日
    assert "20元" in page  # 0.2 元/单 × 100 单
    assert "无法判定的条款" not in page, "nothing waits: the folded list is not shown empty"
