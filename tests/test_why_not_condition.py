"""为何不适用 names the condition that failed, not the input its condition starts with (the
county 残疾人补贴 newcomer's finding: a case failing on 残疾类别 was told "另 1 条针对其他残疾等级").

The policy is tests/fixtures/choice-monthly (柳民发〔2026〕5号, invented): 重度残疾人护理补贴 requires
`残疾等级 in {一级, 二级} or (残疾等级 in {三级, 四级} and 残疾类别 in {智力残疾, 精神残疾})`
(持证 first), 困难残疾人生活补贴 `残疾等级 in {一级, 二级, 三级, 四级}` (低保家庭, 持证 first).
A 三级 肢体残疾 person is of a 残疾等级 the rule serves: the 残疾类别 rules it out. The
expected lines are worked from that text; the other checks are the shipped fines policy
(tests/fixtures/fines-tiers, 江城管发〔2026〕4号), whose rules join 违法行为 with another input.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.answer import picked_input
from policyc.cli import main
from policyc.member_why import reads_an_if
from tests.conftest import FIXTURES

DISABILITY = FIXTURES / "choice-monthly" / "policies" / "lx-2026-5.policy"
FINES = FIXTURES / "fines-tiers" / "jc-2026-4.policy"
CARE = "重度残疾人护理补贴"
CARE_REASON = (
    "条件不成立: 残疾等级为一级、二级之一，或(残疾等级为三级、四级之一，且残疾类别为智力残疾、"
    "精神残疾之一)"
)


def why(capsys: pytest.CaptureFixture[str], tmp_path: Path, policy: Path, lines: list[str]):
    path = tmp_path / "case.yaml"
    path.write_text("\n".join(["on: 2026-06-30", "inputs:", *lines]) + "\n", encoding="utf-8")
    assert main(["run", str(policy), "--case", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    start = out.index("为何不适用") + 1
    return out[start : out.index("", start)]


def disabled(*lines: str) -> list[str]:
    return ["  持证: true", "  低保家庭: true", *lines]


def test_a_grade_three_limb_case_is_told_its_category_failed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = why(capsys, tmp_path, DISABILITY, disabled("  残疾等级: 三级", "  残疾类别: 肢体残疾"))
    # the reason (66 characters) is cut after its last whole clause within 40: the ，before
    # 或(…) ends the first alternative (the second's ，is inside its brackets); the parts the
    # case failed are under it
    head = f"  ✘ {CARE} — 条件不成立: 残疾等级为一级、二级之一…"
    assert lines[:3] == [
        head,
        # 三级 holds 三级、四级: the category ended the evaluation, it decides and comes first
        "      · 残疾类别为智力残疾、精神残疾之一: 肢体残疾 → 不成立",
        "      · 残疾等级为一级、二级之一: 三级 → 不成立",
    ]
    assert not any("针对其他残疾等级" in line for line in lines)


def test_a_grade_three_intellectual_case_gets_the_care_subsidy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # the other side: 智力残疾 holds the category; no reason for the care subsidy
    lines = why(capsys, tmp_path, DISABILITY, disabled("  残疾等级: 三级", "  残疾类别: 智力残疾"))
    assert not any(CARE in line for line in lines)


def test_a_case_failing_only_on_the_grade_is_counted_for_another_grade(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 未评定 (the default): both alternatives of the care subsidy fail on 残疾等级 alone (the
    # category is never read), and the living subsidy's one condition is on 残疾等级: both are
    # for another 残疾等级, whatever the 残疾类别
    lines = why(capsys, tmp_path, DISABILITY, disabled("  残疾类别: 肢体残疾"))
    assert "  另 2 条针对其他残疾等级: 困难残疾人生活补贴、重度残疾人护理补贴" in lines
    assert not any(line.startswith(f"  ✘ {CARE}") for line in lines)


def test_the_fines_name_the_overdue_condition_not_another_offence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 设置户外广告, not 逾期不改正: the two 户外广告 fines are for this offence, and fail on the
    # overdue condition (they were counted among the rules for another 违法行为)
    case = ["  本次查处日期: 2026-06-30", "  违法行为: 设置户外广告", "  广告面积: 20"]
    lines = why(capsys, tmp_path, FINES, case)
    assert lines[:2] == [
        "  ✘ 户外广告一般、户外广告严重 — 条件不成立: 违法行为为设置户外广告，且逾期不改正",
        "      · 逾期不改正 → 不成立",
    ]
    [other] = [line for line in lines if line.startswith("  另 ")]
    assert "户外广告" not in other and other.startswith("  另 8 条针对其他违法行为: ")


def test_the_fines_count_the_company_fines_for_another_party(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # a person who dumped construction waste: the three company fines are for another
    # 当事人类型, not another 违法行为
    case = ["  本次查处日期: 2026-06-30", "  违法行为: 倾倒建筑垃圾", "  当事人类型: 个人"]
    lines = why(capsys, tmp_path, FINES, case)
    assert "  另 3 条针对其他当事人类型: 单位倾倒一般、单位倾倒较重、单位倾倒严重" in lines
    assert not any("单位倾倒" in line for line in lines if "针对其他违法行为" in line)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("条件不成立: 残疾等级为一级", "残疾等级"),
        ("条件不成立: 残疾等级为一级、二级之一", "残疾等级"),
        # a member the enum does not have: not a test of the input alone
        ("条件不成立: 残疾等级为一级以上", None),
        ("条件不成立: 残疾等级为一级、二级之一，或残疾类别为智力残疾", None),
        ("条件不成立: 残疾类别为智力残疾", "残疾类别"),
        ("不在有效期内", None),
    ],
)
def test_picked_input_takes_a_test_of_one_enum_input_alone(
    reason: str, expected: str | None
) -> None:
    selectors = {"残疾等级": ("一级", "二级", "三级"), "残疾类别": ("智力残疾", "肢体残疾")}
    assert picked_input(reason, selectors) == expected


def test_the_web_result_names_the_failed_category_too() -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from policyc.cases import load_case
    from policyc.compiler.pipeline import compile_policy
    from policyc.serve.evaluate import evaluate
    from policyc.serve.web import _result_view

    policy = compile_policy(DISABILITY)
    case_path = FIXTURES / "choice-monthly" / "examples" / "02-grade3-elder-higher.yaml"
    case = load_case(case_path, policy.checked)
    document = evaluate(policy, case, "case", explain=True)
    assert _result_view(policy, document, None) is not None
    (care,) = [r for r in document["results"] if r["rule"] == CARE]
    assert care["member_whys"] == [
        "残疾类别为智力残疾、精神残疾之一: 肢体残疾 → 不成立",
        "残疾等级为一级、二级之一: 三级 → 不成立",
    ]


def test_reads_an_if_follows_the_defines_a_condition_reads() -> None:
    # a rule's conditions as lean expressions (compiler/run_view.py): an `if` in a define read
    # through another define counts; a define no condition reads does not
    defines = {
        "甲": ("and", ("ref", "乙"), ("ref", "收入")),
        "乙": ("node", (("if", ("ref", "性别"), ("ref", "年龄"), ("ref", "年龄")),)),
        "丙": ("if", ("ref", "x"), ("ref", "y"), ("ref", "z")),
    }
    assert reads_an_if([("ref", "甲")], defines)
    assert reads_an_if([("not", ("ref", "乙"))], defines)
    assert not reads_an_if([("or", ("ref", "收入"), ("node", (("ref", "年龄"),)))], defines)
    # a cycle of defines (refused at check) does not loop
    assert not reads_an_if([("ref", "丁")], {"丁": ("ref", "戊"), "戊": ("ref", "丁")})
