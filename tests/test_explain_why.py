"""`--explain` says why a condition holds and where each step is: a `decide`'s own step cites the
decide's line (it cited 第0行), and an `and`/`or` of yes/no inputs or defines names the parts
that made it hold (jyknry case 18 said `条件成立: 是就业困难人员` without 登记失业 nor 持有残疾人证)."""

from __future__ import annotations

from datetime import date

import pytest

from policyc.cases import load_case
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.quantity import Quantity
from tests.conftest import REPO, PolicyFactory

ON = date(2023, 6, 30)
# conftest.HEADER is lines 1-9; line 10 is the blank line these declarations open with.
DECLARATIONS = """
input 登记失业: bool default false "登记失业"
input 持有残疾人证: bool default false "持证"
input 零就业家庭成员: bool default false "零就业"
input 家庭人口: 人 default 0 人 "家庭人口"
define 人口多 = 家庭人口 >= 5 人 "五人以上"
define 困难 = 登记失业
    and (人口多
        or 零就业家庭成员
        or 持有残疾人证) "困难人员"
decide 补贴人数 = 家庭人口 + 1 人 "补贴人数"
"""
# 登记失业 line 11, 人口多 15, 困难 16 (its parts: 登记失业 16, 人口多 17, 零就业家庭成员 18, 持有残疾人证 19),
# 补贴人数 20 (not reading 困难: the first to evaluate a define traces its parts, later readers
# cite its value); the clause opens on line 22 (after the blank line 21), the rule is line 25.
RULE = "rule 补贴 { when 困难 amount 100 元 }"


def _steps(policy: CompiledPolicy, **inputs: object) -> dict[str, list[tuple[str, int]]]:
    inputs = {"家庭人口": Quantity.of(0, "人")} | inputs  # evaluate() fills in no defaults
    results = policy.evaluate(inputs, ON, explain=True)
    return {r.info.name: [(s.text, s.line) for s in r.steps] for r in results}


def test_a_decisions_own_step_cites_the_decide_line(policies: PolicyFactory) -> None:
    steps = _steps(policies.compile(RULE, DECLARATIONS), 登记失业=True, 持有残疾人证=True)
    assert steps["补贴人数"][-1] == ("补贴人数 = 1人", 20)


def test_an_or_that_holds_names_its_first_true_part(policies: PolicyFactory) -> None:
    steps = _steps(policies.compile(RULE, DECLARATIONS), 登记失业=True, 持有残疾人证=True)
    assert steps["补贴"] == [
        ("登记失业 → 成立", 16),
        ("家庭人口 ≥ 5人（含本数）: 0人 对 5人 → 不成立", 15),
        # 零就业家庭成员 is false: only the part that made the `or` hold is named
        ("持有残疾人证 → 成立", 19),
        ("条件成立: 困难", 25),
        ("金额 = 100元", 25),
    ]


def test_an_or_held_by_a_comparison_adds_no_step(policies: PolicyFactory) -> None:
    policy = policies.compile(RULE, DECLARATIONS)
    steps = _steps(policy, 登记失业=True, 家庭人口=Quantity.of(5, "人"), 持有残疾人证=True)
    texts = [text for text, _line in steps["补贴"]]
    assert texts[:2] == ["登记失业 → 成立", "家庭人口 ≥ 5人（含本数）: 5人 对 5人 → 成立"]
    assert "持有残疾人证 → 成立" not in texts  # never evaluated: 人口多 already holds


def test_a_condition_that_fails_names_no_part_as_holding(policies: PolicyFactory) -> None:
    # The `and` fails at 登记失业, which is named as failing (tests/test_explain_fails.py); the
    # `or` after it is never evaluated, so 持有残疾人证 is not named though it holds.
    steps = _steps(policies.compile(RULE, DECLARATIONS), 登记失业=False, 持有残疾人证=True)
    assert steps["补贴"] == [("登记失业 → 不成立", 16), ("条件不成立: 困难", 25)]


def test_the_untraced_run_gives_the_same_results(policies: PolicyFactory) -> None:
    policy = policies.compile(RULE, DECLARATIONS)
    for unemployed, card in ((True, True), (True, False), (False, True)):
        inputs = {"登记失业": unemployed, "持有残疾人证": card}
        traced = policy.evaluate(inputs, ON, explain=True)
        for fast in (True, False):
            plain = policy.evaluate(inputs, ON, fast=fast)
            assert [(r.status, r.amount, r.value) for r in plain] == [
                (r.status, r.amount, r.value) for r in traced
            ]
            assert all(not r.steps for r in plain)


EXAMPLES = sorted((REPO / "examples").glob("*/*.yaml"))


@pytest.mark.parametrize("folder", sorted({p.parent.name for p in EXAMPLES}))
def test_no_step_of_a_shipped_example_cites_line_0(folder: str) -> None:
    policy = compile_policy(REPO / "policies" / f"{folder}.policy")
    seen = 0
    for path in (p for p in EXAMPLES if p.parent.name == folder):
        case = load_case(path, policy.checked)
        on = case.on or ON
        results = policy.evaluate(case.inputs, on, case.readings, case.received, explain=True)
        for result in results:
            for step in result.steps:
                seen += 1
                assert step.line > 0, (path.name, result.info.name, step.text)
    assert seen  # the examples were traced at all


def test_the_noise_notice_decision_cites_line_192() -> None:
    """policies/tzbh-2023-1.policy: `decide 承办单位 = if 生态环境局查处 …` is line 192."""
    policy = compile_policy(REPO / "policies" / "tzbh-2023-1.policy")
    path = REPO / "examples" / "tzbh-2023-1" / "01-construction-over-standard.yaml"
    case = load_case(path, policy.checked)
    assert case.on is not None
    results = policy.evaluate(case.inputs, case.on, case.readings, case.received, explain=True)
    decision = next(r for r in results if r.info.name == "承办单位")
    assert (decision.steps[-1].text, decision.steps[-1].line) == ("承办单位 = 市生态环境局", 192)
