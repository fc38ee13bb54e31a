"""`run`'s answer says which part of a named condition failed, as `--explain` does (the
housing-fund newcomer's finding 8): case 08 buys a third home, and 为何不适用 said only
`条件不成立: 符合贷款条件` (第三条: 满6个月, 无未结清贷款, 首套或第二套)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policyc.answer import answer_text
from policyc.cases import load_case
from policyc.compiler.pipeline import compile_policy
from policyc.member_why import condition_whys, explained_whys

HOUSING = Path(__file__).parent / "fixtures" / "housing-fund"
CASES = HOUSING / "examples" / "yxgjj-2026-3"


def _answer(case_path: Path, tmp_path: Path, **changed: str) -> str:
    policy = compile_policy(HOUSING / "yxgjj-2026-3.policy")
    text = case_path.read_text(encoding="utf-8").split("\nexpect:")[0]
    for key, value in changed.items():
        text = "\n".join(
            f"  {key}: {value}" if line.startswith(f"  {key}:") else line
            for line in text.splitlines()
        )
    written = tmp_path / "case.yaml"
    written.write_text(text + "\n", encoding="utf-8")
    case = load_case(written, policy.checked)
    on = case.on or date(2026, 6, 1)
    results = policy.evaluate(case.inputs, on, case.readings)
    whys = explained_whys(policy, results, case.inputs, on, case.readings)
    return answer_text(policy, results, on, case.readings, case.inputs, whys)


def test_a_third_home_is_named_under_the_condition_it_fails(tmp_path: Path):
    text = _answer(CASES / "08-third-home.yaml", tmp_path)
    assert (
        "  ✘ 个人住房贷款 — 条件不成立: 符合贷款条件\n"
        "      · 所购住房套数为首套、第二套之一: 第三套及以上 → 不成立\n"
    ) in text
    # the parts that held (满6个月, 无未结清贷款) are not reasons
    assert "连续足额缴存月数" not in text.split("为何不适用")[1]


def test_five_months_names_the_six_month_rule_and_not_the_home(tmp_path: Path):
    # 第三条（一）满6个月（含）: 5 months fail it, the home (首套) holds
    text = _answer(CASES / "10-five-months.yaml", tmp_path)
    why = text.split("为何不适用")[1]
    assert "· 连续足额缴存月数 满6个月（含本数）: 5个月 对 6个月 → 不成立" in why
    assert "所购住房套数" not in why


def test_the_test_of_an_if_is_no_reason(tmp_path: Path):
    # A woman born 1995-06-01, on 2026-06-01 with a 30-year term: the term ends 2056-06-01,
    # her 61st birthday: 61 completed years (周岁), more than the 60 allowed a woman.
    # `性别为男: 女 → 不成立` only chose 60年 over 65年: it failed nothing.
    text = _answer(CASES / "13-woman-60-at-term-end.yaml", tmp_path, 出生日期="1995-06-01")
    why = text.split("为何不适用")[1]
    assert "条件不成立: 到期年龄符合\n" in why
    assert "61年 对 60年 → 不成立" in why
    assert "性别为男: 女" not in why


def test_a_rule_that_applies_gets_no_why(tmp_path: Path):
    text = _answer(CASES / "13-woman-60-at-term-end.yaml", tmp_path)
    assert "为何不适用" not in text


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # an `and`: the part that failed; the one before, held, is not named
        (
            [("甲 → 成立", 1), ("乙: 3 对 5 → 不成立", 2), ("条件不成立: 丙", 9)],
            ["乙: 3 对 5 → 不成立"],
        ),
        # an `or`: every alternative failed; the last evaluated settled it, and comes first
        (
            [("甲 → 不成立", 1), ("乙 → 不成立", 2), ("条件不成立: 丙", 9)],
            ["乙 → 不成立", "甲 → 不成立"],
        ),
        # `甲 or (乙 and 丁)` with 乙 held: 丁 decided, then 甲
        (
            [("甲 → 不成立", 1), ("乙 → 成立", 1), ("丁 → 不成立", 1), ("条件不成立: 丙", 9)],
            ["丁 → 不成立", "甲 → 不成立"],
        ),
        # a previous `when` held: its false steps (an `if` inside it) belong to it, not to 丙
        (
            [("丁: 1 对 2 → 不成立", 1), ("条件成立: 丁", 8), ("条件不成立: 丙", 9)],
            [],
        ),
        # the reason never stepped (another rule's): nothing
        ([("甲 → 不成立", 1)], []),
    ],
)
def test_condition_whys_reads_the_failing_condition_s_own_false_steps(steps, expected):
    assert condition_whys(steps, "条件不成立: 丙") == expected


def test_condition_whys_leaves_out_the_tests_of_an_if():
    steps = [("性别为男: 女 → 不成立", 1), ("年龄 低于61年: 61年 对 61年 → 不成立", 1)]
    steps.append(("条件不成立: 到期", 2))
    assert condition_whys(steps, "条件不成立: 到期", frozenset({"性别为男"})) == [
        "年龄 低于61年: 61年 对 61年 → 不成立"
    ]


def test_the_web_result_names_the_failed_part_too():
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from policyc.serve.evaluate import evaluate
    from policyc.serve.web import _result_view

    policy = compile_policy(HOUSING / "yxgjj-2026-3.policy")
    case = load_case(CASES / "08-third-home.yaml", policy.checked)
    document = evaluate(policy, case, "case", explain=True)
    view = _result_view(policy, document, None)
    (loan,) = [r for r in document["results"] if r["rule"] == "个人住房贷款"]
    assert loan["member_whys"] == ["所购住房套数为首套、第二套之一: 第三套及以上 → 不成立"]
    assert view is not None
