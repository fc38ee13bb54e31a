"""A duration in words (compiler/render.py): `6 月` is a count of months, said `6个月` — a bare
`6月` reads as June (the newcomer17 report, item 4: `营业执照核发日期起6月的对应日`). 年, 日 and
工作日 are said as written; a rate per month (`元/月`) keeps its `/月`. Each expected text is
written by hand from the expression; the explained day is worked from the calendar (民法典 art.
202: 2026-08-31 + 6 months is 2027-02-28, February having no 31st)."""

from __future__ import annotations

from datetime import date

import pytest

from policyc.compiler import nodes as n
from policyc.compiler.parser import parse
from policyc.compiler.pipeline import compile_policy
from policyc.compiler.render import render
from tests.conftest import QUOTE, PolicyFactory


def _when(cond: str) -> n.Expr:
    parsed = parse(f'clause 1 "一" {{\n    rule r {{ when {cond} amount 1 元 }}\n}}\n', "x.policy")
    (when,) = parsed.clauses[0].rules[0].whens
    return when


def _amount(expr: str) -> n.Expr:
    parsed = parse(f'clause 1 "一" {{\n    rule r {{ amount {expr} }}\n}}\n', "x.policy")
    amount = parsed.clauses[0].rules[0].amount
    assert isinstance(amount, n.Expr)
    return amount


@pytest.mark.parametrize(
    ("cond", "said"),
    [
        ("申请日期 <= date_plus(核发日期, 6 月)", "核发日期起6个月的对应日"),
        ("申请日期 <= date_plus(核发日期, 1 年)", "核发日期起1年的对应日"),
        ("申请日期 <= date_plus(核发日期, 30 日)", "核发日期起30日的对应日"),
        ("申请日期 <= date_plus(核发日期, 5 工作日)", "核发日期后第5个工作日"),
        ("months_between(参保日期, on_date()) >= 6 月", "的整月数 ≥ 6个月"),
    ],
)
def test_a_duration_is_said_in_its_own_measure(cond: str, said: str) -> None:
    words = render(_when(cond))
    assert said in words
    assert "6月" not in words


def test_a_rate_per_month_keeps_its_slash() -> None:
    assert render(_amount("500 元/月 × 3 月")) == "500元/月 × 3个月"


POLICY = """input 营业执照核发日期: date
input 申请日期: date
clause 一 "x" {
  QUOTE
  responsible 市商务局
  rule 期限内 {
    when 申请日期 <= date_plus(营业执照核发日期, 6 月)
    amount 1 元
  }
}
""".replace("QUOTE", QUOTE)


def test_explain_says_six_months(policies: PolicyFactory) -> None:
    policy = compile_policy(policies.write(POLICY))
    case = {"营业执照核发日期": date(2026, 8, 31), "申请日期": date(2027, 2, 28)}
    results = policy.evaluate(case, date(2025, 6, 1), explain=True)
    assert [r.status for r in results] == ["applies"]
    steps = {s.text for r in results for s in r.steps}
    assert "营业执照核发日期起6个月的对应日: 2026-08-31 → 2027-02-28" in steps
    assert not any("6月" in s for s in steps)
