"""`expect:` of a decided value: `{status: decided, value: …}` compares the member, the quantity
(exactly) or the yes/no that the `decide` came to (cli/testing.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.testing import check_case

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def emergency() -> CompiledPolicy:
    return compile_policy(REPO / "policies" / "tzbf-2023-2.policy")


def case(tmp_path: Path, expect: str, level: str = "橙色") -> Path:
    # 现行橙色, 预测黄色 (AQI>200 一日), 改善40小时: 3.6 可降级; 批准人 by the default reading
    # 原预警级别 is max(橙色, 黄色) = 橙色 → 指挥长 (3.5).
    path = tmp_path / "case.yaml"
    path.write_text(
        "policy: 天政办发〔2023〕2号\non: 2023-12-01\ninputs:\n  预测日AQI: [201]\n"
        f"  首要污染物: 颗粒物\n  现行预警级别: {level}\n  改善预测持续时长: 40\n"
        f"expect:\n{expect}",
        "utf-8",
    )
    return path


def test_a_member_as_worked_out_passes_and_its_neighbour_fails(
    emergency: CompiledPolicy, tmp_path: Path
) -> None:
    right = "  批准人: {status: decided, value: 指挥长}\n"
    assert check_case(emergency, case(tmp_path, right)) == []
    wrong = "  批准人: {status: decided, value: 副指挥长}\n"
    assert check_case(emergency, case(tmp_path, wrong)) == [
        "批准人: value: expected 副指挥长, got 指挥长"
    ]


def test_a_percentage_is_compared_exactly(emergency: CompiledPolicy, tmp_path: Path) -> None:
    # Ⅲ级 (黄色) 减排比例 10%; written as a percentage or with more digits, the same quantity.
    assert check_case(emergency, case(tmp_path, "  减排比例: {value: 10%}\n", "无")) == []
    assert check_case(emergency, case(tmp_path, "  减排比例: {value: 10.0%}\n", "无")) == []
    assert check_case(emergency, case(tmp_path, "  减排比例: {value: 10.01%}\n", "无")) == [
        "减排比例: value: expected 10.01%, got 10%"
    ]


def test_a_value_asked_of_a_rule_that_decides_nothing(
    emergency: CompiledPolicy, tmp_path: Path
) -> None:
    differences = check_case(emergency, case(tmp_path, "  日常监测: {value: 指挥长}\n"))
    assert len(differences) == 1 and "got no decided value" in differences[0]
