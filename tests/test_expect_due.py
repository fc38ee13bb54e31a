"""`expect:` of a target's deadline (newcomer17 item 2): `due: in_progress | overdue` is held
to the JSON answer's `due`, like `status`, so a case can pin both sides of a `by` day.

Worked from the rule: `by 2027-03-31` includes the day itself, so a target not done is
`in_progress` on 2027-03-31 and `overdue` on 2027-04-01; a target met has no due at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.problems import ProblemsError
from policyc.testing import check_case
from tests.conftest import HEADER, QUOTE, PolicyFactory

IN_FORCE = HEADER.replace("for 3 年", "for 5 年")  # in force 2023-01-06 to 2028-01-05
POLICY = f"""clause 七 "x" {{
    {QUOTE}
    responsible 市商务局
    target 系统改造 done by 2027-03-31 "各区完成结算系统改造"
}}
"""


@pytest.fixture
def plan(policies: PolicyFactory) -> CompiledPolicy:
    return compile_policy(policies.write(POLICY, header=IN_FORCE))


def case(folder: Path, on: str, done: str, expect: str) -> Path:
    path = folder / "case.yaml"
    path.write_text(
        f"policy: 测试〔2023〕1号\non: {on}\ninputs:\n  系统改造: {done}\n"
        f"expect:\n  系统改造: {expect}\n",
        "utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("on", "right", "wrong"),
    [("2027-03-31", "in_progress", "overdue"), ("2027-04-01", "overdue", "in_progress")],
)
def test_due_passes_on_its_side_of_the_day_and_fails_on_the_other(
    plan: CompiledPolicy, tmp_path: Path, on: str, right: str, wrong: str
) -> None:
    good = case(tmp_path, on, "否", f"{{status: not_met, due: {right}}}")
    assert check_case(plan, good) == []
    bad = case(tmp_path, on, "否", f"{{status: not_met, due: {wrong}}}")
    assert check_case(plan, bad) == [f"系统改造: due: expected {wrong}, got {right}"]


def test_a_met_target_has_no_due(plan: CompiledPolicy, tmp_path: Path) -> None:
    path = case(tmp_path, "2027-04-01", "是", "{status: met, due: overdue}")
    assert check_case(plan, path) == ["系统改造: due: expected overdue, got no deadline in view"]


def test_an_unknown_due_is_refused_at_its_place(plan: CompiledPolicy, tmp_path: Path) -> None:
    path = case(tmp_path, "2027-04-01", "否", "{status: not_met, due: overdu}")
    with pytest.raises(ProblemsError) as caught:
        check_case(plan, path)
    said = str(caught.value)
    # line 6, the `due` of `  系统改造: {status: not_met, due: …}` (2 + 4 + 2 + 1 + 18 = 27)
    assert "case.yaml:6:27: " in said
    assert "unknown `due` `overdu`" in said and "overdue" in said
