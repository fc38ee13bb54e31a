"""The trace says a written constant amount once (`金额 = 5000元`, not `金额 = 5000元 = 5000元`,
the newcomer17 report, item 8), and a formula with its value (`金额 = 月工资 × 3 = 9000元`, by hand:
3000元 × 3); a rate keeps its words, which say the period."""

from __future__ import annotations

from datetime import date

from policyc.compiler.pipeline import compile_policy
from policyc.runtime.quantity import Quantity
from tests.conftest import QUOTE, PolicyFactory

POLICY = """input 月工资: 元
clause 一 "x" {
  QUOTE
  responsible 市商务局
  rule 一次性补贴 {
    amount 5000 元
  }
  rule 按月补贴 {
    amount 500 元/月 per 月
  }
  rule 三个月工资 {
    amount 月工资 × 3
  }
}
""".replace("QUOTE", QUOTE)


def test_a_constant_is_said_once_and_a_formula_with_its_value(policies: PolicyFactory) -> None:
    policy = compile_policy(policies.write(POLICY))
    results = policy.evaluate({"月工资": Quantity.of(3000, "元")}, date(2025, 6, 1), explain=True)
    steps = {r.info.name: [s.text for s in r.steps if s.text.startswith("金额")] for r in results}
    assert steps["一次性补贴"] == ["金额 = 5000元"]
    assert steps["三个月工资"] == ["金额 = 月工资 × 3 = 9000元（其中 月工资 = 3000元）"]
    # a rate keeps its words: they say the value is a month's
    assert steps["按月补贴"] == ["金额 = 500元/月 = 500元"]
