"""`expect:` of a `define`d value (the housing-fund newcomer's finding 7): a drafter tests a
named value or condition without making it a `decide`, which `run` announces in 结论 even for
a case no rule it serves applies to (case 08 opened with 贷款额度 600,000元, then said the
loan was refused). Values worked by hand from the policy's 第三、四条."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.compiler.pipeline import compile_policy
from policyc.problems import ProblemsError
from policyc.testing import check_case

HOUSING = Path(__file__).parent / "fixtures" / "housing-fund"
THIRD_HOME = (HOUSING / "examples" / "yxgjj-2026-3" / "08-third-home.yaml").read_text("utf-8")
# 08: 单方缴存, 借款人月缴存基数 20000 (元/月), 第三套及以上, 24 months, no open loan
INPUTS = THIRD_HOME.split("\nexpect:")[0]


def _check(tmp_path: Path, expect: str, inputs: str = INPUTS) -> list[str]:
    case = tmp_path / "case.yaml"
    case.write_text(f"{inputs}\nexpect:\n{expect}", encoding="utf-8")
    return check_case(compile_policy(HOUSING / "yxgjj-2026-3.policy"), case)


def test_defines_are_expected_as_decided_values(tmp_path: Path):
    expect = (
        "  符合贷款条件: {status: decided, value: false}\n"  # 第三套及以上 is not 首套/第二套
        "  期限不超过30年: {status: decided, value: true}\n"  # 20年 ≤ 30年
        "  首付款比例: {status: decided, value: 30%}\n"  # not 首套: the 30% branch
        "  计算用月缴存基数: {status: decided, value: 20000元/月}\n"  # 单方: the borrower's own
        "  个人住房贷款: not_applicable\n"
    )
    assert _check(tmp_path, expect) == []


def test_a_bare_number_is_counted_in_the_define_s_own_measure(tmp_path: Path):
    # 计算用月缴存基数 reads 元/月 inputs: a bare 20000 is 20000元/月 (held as 240000 元/年)
    assert _check(tmp_path, "  计算用月缴存基数: {status: decided, value: 20000}\n") == []
    assert _check(tmp_path, "  计算用月缴存基数: {status: decided, value: 240000}\n") == [
        "计算用月缴存基数: value: expected 240000, got 20,000元/月"
    ]


def test_a_wrong_define_value_or_status_fails_naming_it(tmp_path: Path):
    expect = (
        "  符合贷款条件: {status: decided, value: true}\n"
        "  首付款比例: {status: decided, value: 20%}\n"
    )
    assert _check(tmp_path, expect) == [
        "符合贷款条件: value: expected True, got 否",
        "首付款比例: value: expected 20%, got 30%",
    ]


def test_a_define_reading_a_missing_input_is_undetermined(tmp_path: Path):
    # 双方缴存 under the reading 双方之和 reads 配偶月缴存基数, which the case leaves out
    inputs = INPUTS.replace("缴存方式: 单方缴存", "缴存方式: 双方缴存") + (
        "\nreadings:\n  还款能力月缴存基数: 双方之和"
    )
    assert _check(tmp_path, "  计算用月缴存基数: undetermined\n", inputs) == []
    assert _check(tmp_path, "  计算用月缴存基数: {status: decided, value: 20000}\n", inputs) == [
        "计算用月缴存基数: status: expected decided, got undetermined (需要输入 配偶月缴存基数)",
        "计算用月缴存基数: value: expected 20000, got no decided value (undetermined)",
    ]


def test_a_name_that_is_neither_rule_nor_value_is_still_refused(tmp_path: Path):
    with pytest.raises(ProblemsError) as caught:
        _check(tmp_path, "  贷款条件: {status: decided, value: true}\n")
    assert "`贷款条件` is not a rule of 云公积金委〔2026〕3号" in str(caught.value)
