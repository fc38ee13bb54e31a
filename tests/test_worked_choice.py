"""The site's worked example (算例) is the telling case of the rule, not the first by file name
(cli/worked_examples.py `telling`): the case whose trace shows the most of the rule, among those
taking the declared readings and paying more than nothing. The recheck newcomer's parking cases,
named by their hours, put `h0.5.yaml` (0.5 hours, 2元: one step of the fee) first."""

from __future__ import annotations

from pathlib import Path

from policyc.compiler.pipeline import check_policy
from policyc.compiler.site.views import WorkedExample
from policyc.worked_examples import Candidate, telling, worked_examples

REPO = Path(__file__).resolve().parent.parent


def _example(case: str, readings: tuple[tuple[str, str], ...] = ()) -> WorkedExample:
    return WorkedExample(
        rule="停车费", case=case, on="2027-01-01", inputs=(), readings=readings, amount="",
    )  # fmt: skip


def test_the_case_showing_most_steps_is_taken_the_first_of_equals() -> None:
    found = [
        Candidate(_example("h0.5.yaml"), 2, True, True),
        Candidate(_example("h24.5.yaml"), 5, True, True),
        Candidate(_example("h30.5.yaml"), 5, True, True),
        Candidate(_example("h9.5.yaml"), 3, True, True),
    ]
    assert telling(found).case == "h24.5.yaml"


def test_a_case_paying_nothing_is_taken_only_when_none_pays() -> None:
    found = [
        Candidate(_example("a.yaml"), 9, False, True),
        Candidate(_example("b.yaml"), 1, True, True),
    ]
    assert telling(found).case == "b.yaml"
    assert telling(found[:1]).case == "a.yaml"


def test_a_case_choosing_another_reading_is_taken_only_when_none_takes_the_declared() -> None:
    other = _example("a.yaml", (("计费日", "自然日"),))
    found = [Candidate(other, 9, True, False), Candidate(_example("b.yaml"), 1, True, True)]
    assert telling(found).case == "b.yaml"
    assert telling(found[:1]).case == "a.yaml"


def test_the_textile_returnee_example_takes_the_declared_reading() -> None:
    # 返乡创业补贴's first case by name that pays, 08-returnee-company-outside-other-reading,
    # takes 返乡创业条件 = 返乡注册, not the declared option; 08-returnee-social-insurance (天门籍,
    # 在外参加社保 → 5000元) is the telling one under the declared reading.
    policy = check_policy(REPO / "policies" / "tzf-2023-1.policy")
    (examples,) = worked_examples([policy]).values()
    (returnee,) = (e for e in examples if e.rule == "返乡创业补贴")
    assert returnee.case == "examples/tzf-2023-1/08-returnee-social-insurance.yaml"
    assert returnee.readings == () and returnee.amount == "5000元"
