"""`define NAME = EXPR` of any type: a named value a drafter reads in rules without announcing it
(the newcomer's `decide 计入带动人数` led every answer, 就业困难人员补贴办法). Not listed in 结论,
shown in the steps of the rules that read it, the same on the fast and the traced path; `decide`
keeps reporting its value first."""

from __future__ import annotations

from datetime import date

import pytest

from policyc.compiler.errors import PolicyError
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory
from tests.test_fastpath import both

ON = date(2023, 6, 30)
DECLARATIONS = """
input 带动就业人数: 人 default 0 人 "吸纳就业的人数（不含创业者本人）"
input 含本人: bool default false "创业者本人计入"
define 计入人数 = if 含本人 then 带动就业人数 + 1 人 else 带动就业人数 "计入带动的人数"
"""
RULE = "rule 创业补贴 { amount 5000 元 + 1000 元/人 × max(计入人数 - 3 人, 0 人) }"


@pytest.mark.parametrize(
    ("people", "founder", "amount"),
    [
        # 计入人数 = 带动就业人数 (+1 with the founder); 5000元 + 1000元 for each one over 3.
        (2, False, 5000),  # 2 → max(−1, 0) = 0
        (3, False, 5000),  # 3 → max(0, 0) = 0
        (4, False, 6000),  # 4 → 1
        (2, True, 5000),  # 3 → 0
        (3, True, 6000),  # 4 → 1
        (9, True, 12000),  # 10 → 7
    ],
)
def test_a_defined_value_computes_the_amount_on_both_paths(
    policies: PolicyFactory, people: int, founder: bool, amount: int
) -> None:
    policy = policies.compile(RULE, DECLARATIONS)
    inputs = {"带动就业人数": Quantity.of(people, "人"), "含本人": founder}
    (result,) = policy.evaluate(inputs, ON)  # one rule, no decision before it
    assert result.info.name == "创业补贴"
    assert result.amount == Quantity.of(amount, "元")
    both(policy, inputs, ON)


def test_a_defined_value_is_shown_in_the_steps_of_the_rule_that_reads_it(
    policies: PolicyFactory,
) -> None:
    policy = policies.compile(RULE, DECLARATIONS)
    inputs = {"带动就业人数": Quantity.of(4, "人"), "含本人": False}
    (result,) = policy.evaluate(inputs, ON, explain=True)
    texts = [step.text for step in result.steps]
    assert "计入人数 = 4人" in texts
    assert texts.index("计入人数 = 4人") < next(
        i for i, t in enumerate(texts) if t.startswith("金额")
    )


def test_a_decided_value_still_leads_the_answer(policies: PolicyFactory) -> None:
    policy = policies.compile(RULE, DECLARATIONS.replace("define 计入人数", "decide 计入人数"))
    results = policy.evaluate({"带动就业人数": Quantity.of(4, "人"), "含本人": True}, ON)
    assert [r.info.name for r in results] == ["计入人数", "创业补贴"]
    assert results[0].status == "decided"


def test_a_defined_value_is_no_condition(policies: PolicyFactory) -> None:
    with pytest.raises(PolicyError) as raised:
        policies.compile("rule r { when 计入人数 amount 1 元 }", DECLARATIONS)
    # a quantity in 人 where a yes/no is needed, pointed at from `计入人数` (column 15 of the rule)
    text = str(raised.value)
    assert "expected a condition here, not a quantity in 人" in text
    assert ":15: " in text and "rule r { when 计入人数" in text


def test_the_site_lists_a_defined_value_with_its_value_not_as_a_condition(
    policies: PolicyFactory, tmp_path
) -> None:
    import subprocess
    import sys

    policies.write(
        policies.clause(
            RULE + "\nrule 条件补贴 { when 是创业 amount 1 元 }",
            DECLARATIONS + 'define 是创业 = 含本人 "创业"\n',
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "docs", "p.policy", "--out", "site"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = next((tmp_path / "site" / "docs").glob("*.md"), None)
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.md"))
    assert page is not None
    value = pages[pages.index("定义：计入人数") :]
    assert "**取值**：若含本人则带动就业人数 + 1人，否则带动就业人数" in value[:600]
    condition = pages[pages.index("定义：是创业") :]
    assert "**条件**：含本人" in condition[:600]
