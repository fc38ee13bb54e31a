"""The straight-line fast path (compiler/fastpath.py) and the traced path agree on every field.

`CompiledPolicy.evaluate` runs the fast path unless asked to explain; `fast=False` forces the
traced one. Both run on every example case of every policy, and on random cases built from the
examples' own inputs: any subset of them (so that inputs go missing in every combination), each
value scaled or moved across its neighbours' thresholds, any reading option, any date and any
set of rules already received.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyc.cases import Case, load_case
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.evaluation import RuleResult
from policyc.runtime.quantity import Quantity
from tests.conftest import REPO

POLICIES = sorted(p for p in (REPO / "policies").glob("*.policy") if p.name != "units.policy")


@cache
def compiled(path: Path) -> CompiledPolicy:
    return compile_policy(path)


@cache
def examples(path: Path) -> tuple[Case, ...]:
    policy = compiled(path)
    folder = REPO / "examples" / path.stem
    return tuple(load_case(case, policy.checked) for case in sorted(folder.glob("*.yaml")))


def fields(result: RuleResult) -> dict[str, Any]:
    """Every field of a result; the shared-cap record by its own fields."""
    shared = result.shared
    return {
        "rule": result.info.name,
        "status": result.status,
        "reason": result.reason,
        "amount": result.amount,
        "uncapped": result.uncapped,
        "missing": result.missing,
        "value": result.value,
        "unrounded": result.unrounded,
        "shared": None if shared is None else repr(shared),
        "range": result.range,
        "choice": result.choice,  # `choose highest of …` (runtime/choices.py)
        "steps": list(result.steps),
    }


def both(policy: CompiledPolicy, inputs: dict[str, Any], on: datetime.date, **kw: Any) -> None:
    def run(fast: bool) -> list[dict[str, Any]] | str:
        try:
            return [fields(r) for r in policy.evaluate(inputs, on, fast=fast, **kw)]
        except Exception as exc:  # the same error either way, from the traced path
            return f"{type(exc).__name__}: {exc}"

    assert run(True) == run(False)


def test_every_rule_of_the_textile_policy_has_a_fast_path() -> None:
    # The measured policy (benchmarks/run.py): no rule of it is left to the traced path only.
    policy = compiled(REPO / "policies" / "tzf-2023-1.policy")
    rules = [
        info.name
        for info, fast in zip(policy.rules, policy.namespace["FAST"], strict=True)
        if info.role == "rule" and fast is None
    ]
    assert rules == []


def test_the_fast_path_is_taken() -> None:
    # A rule whose fast function is replaced by one that answers differently shows that
    # evaluate() uses it without --explain and never with it.
    policy = compiled(REPO / "policies" / "tzf-2023-1.policy")
    case = examples(REPO / "policies" / "tzf-2023-1.policy")[0]
    assert case.on is not None
    namespace = dict(policy.namespace)
    namespace["FAST"] = tuple(
        (lambda *args: "条件不成立: 测试") if f is not None else None for f in namespace["FAST"]
    )
    # No plan (runtime/fast.py): every rule through its fast function.
    namespace["FIRST"] = namespace["READS"] = (None,) * len(namespace["FAST"])
    patched = CompiledPolicy(policy.checked, policy.python_source, namespace)
    fast = patched.evaluate(case.inputs, case.on, case.readings, case.received)
    traced = patched.evaluate(case.inputs, case.on, case.readings, case.received, fast=False)
    explained = patched.evaluate(case.inputs, case.on, case.readings, case.received, explain=True)
    assert sum(r.reason == "条件不成立: 测试" for r in fast) > len(fast) // 2
    assert not any(r.reason == "条件不成立: 测试" for r in traced + explained)


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_every_example_case_agrees(path: Path) -> None:
    policy = compiled(path)
    cases = examples(path)
    assert cases, f"no example cases for {path.name}"
    for case in cases:
        assert case.on is not None
        both(policy, case.inputs, case.on, readings=case.readings, received=case.received)


def _moved(value: Any, factor: Decimal, offset: int) -> Any:
    """A value of the same kind: a quantity scaled and nudged (never below zero), a date moved
    by days, a tally member by member; anything else as it is."""
    if isinstance(value, Quantity):
        moved = value.value * factor + offset
        return Quantity(moved if moved >= 0 else value.value, value.dims)
    if isinstance(value, datetime.date):
        return value + datetime.timedelta(days=offset * 97)
    if isinstance(value, dict):
        return {k: _moved(v, factor, offset) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_moved(v, factor, offset) for v in value)
    return value


@st.composite
def random_cases(draw: st.DrawFn, path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    policy = compiled(path)
    cases = examples(path)
    pool: dict[str, list[Any]] = {}
    for case in cases:
        for name, value in case.inputs.items():
            pool.setdefault(name, []).append(value)
    names = sorted(pool)
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    inputs = {}
    for name in chosen:
        value = draw(st.sampled_from(pool[name]))
        factor = draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1), Decimal(2)]))
        offset = draw(st.integers(-2, 2))
        inputs[name] = _moved(value, factor, offset) if draw(st.booleans()) else value
    readings = {
        name: draw(st.sampled_from([o.name for o in reading.options]))
        for name, reading in policy.checked.readings.items()
        if not reading.documentary and draw(st.booleans())
    }
    on = draw(st.sampled_from([c.on for c in cases if c.on is not None]))
    on = on + datetime.timedelta(days=draw(st.sampled_from([0, -400, 400, 1200])))
    received = draw(st.lists(st.sampled_from([r.name for r in policy.rules]), max_size=3))
    return inputs, {"on": on, "readings": readings, "received": tuple(received)}


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_cases_agree(path: Path, data: st.DataObject) -> None:
    inputs, options = data.draw(random_cases(path))
    policy = compiled(path)
    on = options.pop("on")
    both(policy, inputs, on, **options)


def test_cases_of_one_kind_share_immutable_results() -> None:
    # Two cases of the same type, readings and input names (runtime/fast.py's plan): the rules
    # their type rules out, and those reading no input given, are the same shared result, which
    # refuses any change; a rule that reads a given input is evaluated for each case.
    from policyc.runtime.results import FixedResult

    policy = compiled(REPO / "policies" / "tzf-2023-1.policy")
    on = datetime.date(2023, 12, 31)
    given = {"申请人类型": "服装电商企业", "口罩发货量": Quantity.of("10000", "单"),
             "其他纺织品发货量": Quantity.of("40000", "单")}  # fmt: skip
    first = given | {"年发货量": Quantity.of("6000000", "单")}
    second = given | {"年发货量": Quantity.of("100000", "单")}
    one, two = policy.evaluate(first, on), policy.evaluate(second, on)
    shared = [a for a, b in zip(one, two, strict=True) if a is b]
    by_name = {r.info.name: r for r in one}
    assert by_name["政银担融资担保支持"] in shared  # 申请人类型 is not 融资担保机构
    assert by_name["参展补贴"] in shared  # needs 参展次数, not given
    assert by_name["电商物流补贴"] not in shared  # reads 年发货量: applies, with an amount
    # (6000000 - 10000 - 40000)单 × 0.2元/单 = 1190000元, capped at 100万元 (第七条)
    assert by_name["电商物流补贴"].amount == Quantity.of("1000000", "元")
    assert all(isinstance(r, FixedResult) for r in shared)
    with pytest.raises(AttributeError):
        by_name["参展补贴"].status = "applies"
    assert by_name["参展补贴"].status == "undetermined"
    # The same answers as the traced path, for both.
    both(policy, first, on)
    both(policy, second, on)


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_cases_agree_on_a_fresh_policy(path: Path, data: st.DataObject) -> None:
    # Plans built by earlier cases (test_random_cases_agree) or by none: a freshly loaded
    # policy builds its plan on this case, then answers a second case of the same kind.
    inputs, options = data.draw(random_cases(path))
    other, _ = data.draw(random_cases(path))
    policy = compile_policy(path)
    on = options.pop("on")
    both(policy, inputs, on, **options)
    same_names = {name: other.get(name, value) for name, value in inputs.items()}
    later = on + datetime.timedelta(days=data.draw(st.integers(-800, 800)))
    both(policy, same_names, later, **options)


def test_what_the_plans_may_rely_on() -> None:
    # compiler/fastpath.py: the key is the input most rules test first; a rule judged on an
    # input date (valid_by) has its first condition too (runtime/fast.py takes its prebuilt
    # result only while that date is absent or in force), unless it reads the date; a rule reading the
    # evaluation date or the policy's last day has no list of inputs (never prebuilt); the
    # inputs a rule reads include those its defines read.
    policy = compiled(REPO / "policies" / "tzf-2023-1.policy")
    ns = policy.namespace
    at = {info.name: i for i, info in enumerate(policy.rules)}
    assert ns["KEY"] == "申请人类型"
    assert ns["FIRST"][at["政银担融资担保支持"]] is not None
    assert ns["FIRST_REASONS"][at["政银担融资担保支持"]] == "条件不成立: 申请人类型为融资担保机构"
    assert ns["FIRST"][at["租金减免"]] is None  # on_date() <= valid_until() first
    assert ns["FIRST"][at["社会保险补贴"]] is not None  # valid_by 劳动合同起始日期
    assert ns["FIRST_REASONS"][at["社会保险补贴"]] == "条件不成立: 申请人类型为新招员工"
    assert ns["READS"][at["社会保险补贴"]] is None  # on_date() <= valid_until()
    assert ns["READS"][at["租金减免"]] is None  # a schedule counts years up to the date
    assert ns["READS"][at["政银担融资担保支持"]] == ("申请人类型",)
    assert ns["READS"][at["产业发展专项资金支持"]] == ("申请人类型",)  # through 是纺织服装企业
    assert set(ns["READS"][at["电商物流补贴"]]) == {
        "申请人类型", "年发货量", "口罩发货量", "其他纺织品发货量",
    }  # fmt: skip


def test_a_table_read_at_the_members_a_case_gives(tmp_path: Path) -> None:
    # 救助比例[类别] reads 类别 (tests/test_lookup.py's policy): the rule counts it among the
    # inputs it reads, so a case giving 类别 never takes a result built without it; and the
    # plan's key is never an amount (个人自付费用 is what the first condition reads).
    from tests.test_lookup import POLICY, SOURCE

    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "p.policy").write_text(POLICY, encoding="utf-8")
    policy = compile_policy(tmp_path / "p.policy")
    assert policy.namespace["READS"] == (("个人自付费用", "类别"),)
    assert policy.namespace["KEY"] == ""
    on = datetime.date(2026, 6, 1)
    for kind in ("低保对象", "特困人员", None):
        for paid in ("12345.67", "2000", "1999"):
            inputs: dict[str, Any] = {"个人自付费用": Quantity.of(paid, "元")}
            if kind is not None:
                inputs["类别"] = kind
            both(policy, inputs, on)
    # (12345.67 − 2000) × 80% = 8276.536 → 8276.54元 (rounded to 分)
    found = policy.evaluate({"个人自付费用": Quantity.of("12345.67", "元"), "类别": "低保对象"}, on)
    assert found[0].amount == Quantity.of("8276.54", "元")
