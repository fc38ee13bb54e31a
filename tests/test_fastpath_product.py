"""A product where time cancels, gated as a whole amount (compiler/fastpath.py).

第十七条 宿舍租赁费按标准收取: 200 元/月/间 × 宿舍间数 × 宿舍租用月数, in a schedule's row (reading
宿舍租金期限 五年内, taken by default) or alone (不限期). 元/月 × 月 cancels the month, so the
product was never gated and every case giving 入驻日期 left the rule to the traced path, for its
missing 宿舍间数 or 宿舍租用月数. Now the fast function answers those cases itself, the same as the
traced path, and computes the amount when both are given.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

import policyc.runtime.fast as fast_runtime
from policyc.compiler.pipeline import compile_policy
from policyc.runtime.quantity import Quantity
from tests.conftest import REPO

RULE = "宿舍租赁费按标准收取"
ENTRY = datetime.date(2024, 1, 15)
ON = datetime.date(2024, 12, 31)  # the first year after 入驻日期, the policy in force


@pytest.fixture(scope="module")
def policy() -> Any:
    return compile_policy(REPO / "policies" / "tzf-2023-1.policy")


def dorm(policy: Any, inputs: dict[str, Any], fast: bool, **kw: Any) -> Any:
    results = policy.evaluate({"申请人类型": "服装电商企业", **inputs}, ON, fast=fast, **kw)
    return next(r for r in results if r.info.name == RULE)


def traced_rules(policy: Any, inputs: dict[str, Any], monkeypatch: Any, **kw: Any) -> list[str]:
    """The rules the fast evaluation left to the traced path."""
    names: list[str] = []
    run_rule = fast_runtime.Ctx.run_rule

    def counted(self: Any, info: Any, *args: Any) -> Any:
        names.append(info.name)
        return run_rule(self, info, *args)

    monkeypatch.setattr(fast_runtime.Ctx, "run_rule", counted)
    dorm(policy, inputs, True, **kw)
    monkeypatch.undo()
    return names


@pytest.mark.parametrize("reading", ["五年内", "不限期"])
@pytest.mark.parametrize(
    "given",
    [{}, {"宿舍间数": Quantity.of(3, "间")}, {"宿舍租用月数": Quantity.of(6, "月")}],
    ids=["neither", "rooms only", "months only"],
)
def test_a_missing_factor_is_answered_by_the_fast_path(
    policy: Any, monkeypatch: Any, reading: str, given: dict[str, Any]
) -> None:
    inputs = {"入驻日期": ENTRY, **given}
    readings = {"宿舍租金期限": reading}
    assert RULE not in traced_rules(policy, inputs, monkeypatch, readings=readings)
    fast, traced = (
        dorm(policy, inputs, True, readings=readings),
        dorm(policy, inputs, False, readings=readings),
    )
    lacking = tuple(n for n in ("宿舍间数", "宿舍租用月数") if n not in given)
    assert (fast.status, fast.missing, fast.reason) == ("undetermined", lacking, traced.reason)
    assert (traced.status, traced.missing) == ("undetermined", lacking)


@pytest.mark.parametrize(
    ("rooms", "months", "expected"),
    [
        (Quantity.of(3, "间"), Quantity.of(6, "月"), "3600"),  # 200 × 3 × 6
        (Quantity.of(2, "间"), Quantity.of(1, "年"), "4800"),  # 1年 = 12月: 200 × 2 × 12
        (Quantity.of(1, "间"), Quantity.of("0.5", "月"), "100"),  # 200 × 1 × 0.5
        (Quantity.of(0, "间"), Quantity.of(12, "月"), "0"),
    ],
)
@pytest.mark.parametrize("reading", ["五年内", "不限期"])
def test_the_amount_worked_by_hand(
    policy: Any, monkeypatch: Any, rooms: Quantity, months: Quantity, expected: str, reading: str
) -> None:
    inputs = {"入驻日期": ENTRY, "宿舍间数": rooms, "宿舍租用月数": months}
    readings = {"宿舍租金期限": reading}
    assert RULE not in traced_rules(policy, inputs, monkeypatch, readings=readings)
    for fast in (True, False):
        result = dorm(policy, inputs, fast, readings=readings)
        assert (result.status, result.amount) == ("applies", Quantity.of(expected, "元"))


@pytest.mark.parametrize("reading", ["五年内", "不限期"])
@pytest.mark.parametrize(
    ("on", "entry"),
    [
        (datetime.date(2029, 1, 14), ENTRY),  # the last day of the 5th year from 2024-01-15
        (datetime.date(2029, 1, 15), ENTRY),  # the first day of the 6th
        (datetime.date(2024, 1, 14), ENTRY),  # the day before 入驻日期 (入驻日期 ≤ 评估日 fails)
    ],
    ids=["year 5", "year 6", "before entry"],
)
def test_the_paths_agree_around_the_five_years(
    policy: Any, reading: str, on: datetime.date, entry: datetime.date
) -> None:
    inputs = {
        "申请人类型": "服装电商企业",
        "入驻日期": entry,
        "宿舍间数": Quantity.of(2, "间"),
        "宿舍租用月数": Quantity.of(3, "月"),
    }
    readings = {"宿舍租金期限": reading}
    fast, traced = (
        next(
            r for r in policy.evaluate(inputs, on, readings=readings, fast=f) if r.info.name == RULE
        )
        for f in (True, False)
    )
    assert (fast.status, fast.reason, fast.amount, fast.missing) == (
        traced.status, traced.reason, traced.amount, traced.missing,
    )  # fmt: skip
    if on.year == 2029 and (on.day == 14 or reading == "不限期"):
        assert (fast.status, fast.amount) == ("applies", Quantity.of(1200, "元"))  # 200 × 2 × 3
    else:  # the 6th year under 五年内: no row; before entry: the first `when` fails
        assert (fast.status, fast.amount) == ("not_applicable", None)


def test_the_source_gates_the_product(policy: Any) -> None:
    # The generated fast function checks both factors before multiplying (a product where time
    # cancels, as a whole amount): the mechanism, not only its effect.
    source: str = policy.python_source
    start = source.index(f"{RULE}, fast path")
    body = source[start : source.index("\ndef ", start)]
    assert "'宿舍间数' in x and '宿舍租用月数' in x" in body
    assert "('宿舍间数', '宿舍租用月数')" in body


def test_the_examples_still_agree(policy: Any) -> None:
    from policyc.cases import load_case

    folder = REPO / "examples" / "tzf-2023-1"
    paths = [p for p in sorted(Path(folder).rglob("*.yaml")) if "宿舍" in p.read_text("utf-8")]
    assert len(paths) >= 8
    for path in paths:
        case = load_case(path, policy.checked)
        assert case.on is not None
        kw = {"readings": case.readings, "received": case.received}
        fast = [
            r for r in policy.evaluate(case.inputs, case.on, fast=True, **kw) if r.info.name == RULE
        ]
        traced = [
            r
            for r in policy.evaluate(case.inputs, case.on, fast=False, **kw)
            if r.info.name == RULE
        ]
        assert [(r.status, r.reason, r.amount, r.missing) for r in fast] == [
            (r.status, r.reason, r.amount, r.missing) for r in traced
        ], path.name
