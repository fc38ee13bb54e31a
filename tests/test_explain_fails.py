"""`--explain` names why an `and`/`or` fails, as it names why one holds (runtime/evaluation.py
`Ctx.all_shown`/`any_shown`): the first false part of an `and` (the one that decides it), every
false part of an `or` that fails — the parts that record no step of their own (a yes/no input
or define, a reading, a `not` of one); a comparison says 不成立 itself. The expected steps are
worked from the declarations: 登记失业 (line 16), 人口多 (a comparison, line 15), 零就业家庭成员
(18), 持有残疾人证 (19); the rule is on line 25."""

from __future__ import annotations

from datetime import date

from policyc.compiler.pipeline import CompiledPolicy
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory
from tests.test_explain_why import DECLARATIONS, RULE

ON = date(2023, 6, 30)
UNEMPLOYED = ("登记失业 → 成立", 16)
TOO_FEW = ("家庭人口 ≥ 5人（含本数）: 0人 对 5人 → 不成立", 15)


def _steps(policy: CompiledPolicy, **inputs: object) -> list[tuple[str, int]]:
    # evaluate() fills in no defaults: every yes/no input is given, false unless said
    none = dict.fromkeys(("登记失业", "零就业家庭成员", "持有残疾人证"), False)
    inputs = {"家庭人口": Quantity.of(0, "人")} | none | inputs
    results = policy.evaluate(inputs, ON, explain=True)
    (rule,) = (r for r in results if r.info.name == "补贴")
    return [(s.text, s.line) for s in rule.steps]


def test_a_failing_or_names_each_false_part_where_it_was_evaluated(
    policies: PolicyFactory,
) -> None:
    # 登记失业 holds; the `or` fails: 人口多's comparison says so on its own line, then each
    # part of the `or` is named as it came — 人口多 (a define, on line 17), 零就业家庭成员,
    # 持有残疾人证.
    steps = _steps(policies.compile(RULE, DECLARATIONS), 登记失业=True)
    assert steps == [
        UNEMPLOYED,
        TOO_FEW,
        ("人口多 → 不成立", 17),
        ("零就业家庭成员 → 不成立", 18),
        ("持有残疾人证 → 不成立", 19),
        ("条件不成立: 困难", 25),
    ]


def test_an_or_that_holds_names_no_false_part(policies: PolicyFactory) -> None:
    # 零就业家庭成员 holds: the `or` holds, and 持有残疾人证 (false) is never evaluated; nothing
    # is named as failing — the false parts before the true one are no reason.
    steps = _steps(policies.compile(RULE, DECLARATIONS), 登记失业=True, 零就业家庭成员=True)
    assert steps == [
        UNEMPLOYED,
        TOO_FEW,
        ("零就业家庭成员 → 成立", 18),
        ("条件成立: 困难", 25),
        ("金额 = 100元", 25),
    ]


def test_a_failing_and_names_its_first_false_part_only(policies: PolicyFactory) -> None:
    # `登记失业 and 零就业家庭成员 and 持有残疾人证`, all false: the `and` stops at 登记失业.
    declarations = DECLARATIONS.replace(
        "define 困难 = 登记失业\n    and (人口多\n        or 零就业家庭成员\n        or 持有残疾人证)",
        "define 困难 = 登记失业\n    and 零就业家庭成员\n    and 持有残疾人证\n    and 人口多",
    )
    steps = _steps(policies.compile(RULE, declarations))
    assert steps == [("登记失业 → 不成立", 16), ("条件不成立: 困难", 25)]
    # 登记失业 holds, 零就业家庭成员 fails: the first false part is the second.
    steps = _steps(policies.compile(RULE, declarations), 登记失业=True)
    assert steps == [UNEMPLOYED, ("零就业家庭成员 → 不成立", 17), ("条件不成立: 困难", 25)]


def test_an_unknown_part_is_not_named(policies: PolicyFactory) -> None:
    # The untraced and traced runs agree on every combination; the fast path records nothing.
    policy = policies.compile(RULE, DECLARATIONS)
    for unemployed in (True, False):
        for zero in (True, False):
            inputs = {
                "家庭人口": Quantity.of(0, "人"),
                "登记失业": unemployed,
                "零就业家庭成员": zero,
            }
            traced = policy.evaluate(inputs, ON, explain=True)
            plain = policy.evaluate(inputs, ON, fast=True)
            assert [r.status for r in plain] == [r.status for r in traced]
            assert all(not r.steps for r in plain)
