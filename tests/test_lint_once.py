"""`once per 人` beside a rate per 人 (compiler/lint_once.py): warned, because `once` is once per
case and the enterprise's second application would get nothing for its new hires; a flat
one-time amount per person (the case is the person) is not warned."""

from __future__ import annotations

from policyc.compiler.lint import lint
from tests.conftest import PolicyFactory

DECLARATIONS = "input 新招用人数: 人 default 0 人\ninput 已领取人数: 人 default 0 人"


def _codes(policies: PolicyFactory, rule: str) -> list[tuple[str, str]]:
    policy = policies.compile(rule, DECLARATIONS)
    return [(d.code, d.message) for d in lint(policy.checked) if d.code == "once-per-counted"]


def test_once_per_person_on_a_rate_per_person_is_warned(policies: PolicyFactory) -> None:
    found = _codes(policies, "rule 吸纳 { amount 3000 元/人 × 新招用人数 once per 人 }")
    assert found == [
        (
            "once-per-counted",
            "`once per 人` pays rule `吸纳` once per case, but its amount counts 人 "
            "(`3000 元/人`): a case that lists it under `received` gets nothing for any 人, later "
            "ones included; count only those not yet paid instead, without `once`",
        )
    ]


def test_a_flat_once_per_person_and_the_counted_form_are_not_warned(
    policies: PolicyFactory,
) -> None:
    assert _codes(policies, "rule 返乡 { amount 5000 元 once per 人 }") == []
    assert _codes(policies, "rule 吸纳 { amount 3000 元/人 × 新招用人数 once per 企业 }") == []
    assert _codes(policies, "rule 吸纳 { amount 3000 元/人 × (新招用人数 - 已领取人数) }") == []
