"""`round(X, STEP, MODE)`: a quantity rounded to a whole number of a step of its own measure
("不足1小时的按1小时计", "不足一个月按一个月计"), language.md "Rounding a quantity to a step".

Every expected figure is worked by hand from the text: with a step of 1 小时 rounded `up`,
1.01 小时 is charged as 2 小时, 1 小时 stays 1 小时 and 0 stays 0; at 2 元/小时 from above 1 小时
(`超过` excludes 1 小时 itself), 1.01 小时 pays 4元, 2 小时 4元, 2.01 小时 6元.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import CompiledPolicy
from policyc.runtime.quantity import Quantity, round_to_step
from tests.conftest import PolicyFactory
from tests.test_fastpath import both

ON = date(2023, 6, 30)


# ---- the runtime helper ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "step", "mode", "expected"),
    [
        ("0小时", "1小时", ROUND_UP, "0小时"),  # nothing parked, nothing charged
        ("0.01小时", "1小时", ROUND_UP, "1小时"),  # 不足1小时按1小时
        ("1小时", "1小时", ROUND_UP, "1小时"),  # a whole step stays
        ("1.01小时", "1小时", ROUND_UP, "2小时"),  # just past it: the next step
        ("90分钟", "1小时", ROUND_UP, "2小时"),
        ("1.99小时", "1小时", ROUND_DOWN, "1小时"),  # 舍去
        ("2小时", "1小时", ROUND_DOWN, "2小时"),
        ("1.49小时", "1小时", ROUND_HALF_UP, "1小时"),  # 四舍五入: below a half
        ("1.5小时", "1小时", ROUND_HALF_UP, "2小时"),  # a half goes up
        ("2.5小时", "1小时", ROUND_HALF_EVEN, "2小时"),  # 银行家舍入: to the even count
        ("3.5小时", "1小时", ROUND_HALF_EVEN, "4小时"),
        ("1.25小时", "0.5小时", ROUND_UP, "1.5小时"),  # a step of half an hour
        ("1.5小时", "0.5小时", ROUND_UP, "1.5小时"),
        ("0.5月", "1月", ROUND_UP, "1月"),  # 不足一个月按一个月计
        ("1月", "1月", ROUND_UP, "1月"),
        ("1.2月", "1月", ROUND_UP, "2月"),
        ("13月", "1年", ROUND_DOWN, "1年"),  # a step of 12 months
        ("24月", "1年", ROUND_DOWN, "2年"),
        ("1001升", "1立方米", ROUND_UP, "2立方米"),
        ("1000升", "1立方米", ROUND_UP, "1立方米"),
        ("11人", "5人", ROUND_UP, "15人"),
        ("10人", "5人", ROUND_UP, "10人"),
        ("-1.5小时", "1小时", ROUND_UP, "-2小时"),  # up is away from zero, as for money
        ("100.5元/月", "1元/月", ROUND_HALF_UP, "101元/月"),  # time in a denominator
        ("100.49元/月", "1元/月", ROUND_HALF_UP, "100元/月"),
    ],
)
def test_round_to_step(value: str, step: str, mode: str, expected: str) -> None:
    result = round_to_step(_q(value), _q(step), mode)
    assert result == _q(expected)
    assert result.dims == _q(value).dims  # the measure is kept


def _q(text: str) -> Quantity:
    from policyc.runtime.quantity_reading import parse_quantity_text

    if text.endswith("分钟"):  # 90 分钟 = 1.5 小时 (minutes are not a measure of the language)
        return Quantity.of(Decimal(text.removesuffix("分钟")) / 60, "小时")
    return parse_quantity_text(text, None)


# ---- in a policy: fast and traced paths, --explain ----------------------------------------

PARK = """input 停放时长: 小时 optional
input 欠缴时长: 月 optional
decide 计费时长 = round(停放时长, 1 小时, up) "不足1小时的按1小时计"
decide 计息月数 = round(欠缴时长, 1 月, up) "不足一个月按一个月计"
"""
PARK_RULES = """  rule 停车费 { when 停放时长 超过 1 小时 amount 2 元/小时 × 计费时长 }
  rule 滞纳金 { when 欠缴时长 超过 0 月 amount 10 元/月 × 计息月数 }
"""


@pytest.fixture
def park(policies: PolicyFactory) -> CompiledPolicy:
    return policies.compile(PARK_RULES, PARK)


def _results(policy: CompiledPolicy, inputs: dict[str, Any]) -> dict[str, Any]:
    both(policy, inputs, ON)  # the fast path and the traced path agree
    return {
        r.info.name: (r.status, r.amount if r.info.role == "rule" else r.value)
        for r in policy.evaluate(inputs, ON)
    }


@pytest.mark.parametrize(
    ("hours", "charged", "fee"),
    [
        ("0", "0", None),  # not parked over 1 小时: no fee
        ("0.5", "1", None),
        ("1", "1", None),  # 超过 1 小时 excludes 1 小时 itself
        ("1.01", "2", "4"),  # charged 2 小时 at 2 元/小时
        ("1.5", "2", "4"),
        ("2", "2", "4"),
        ("2.01", "3", "6"),
    ],
)
def test_parking_hours_rounded_up(
    park: CompiledPolicy, hours: str, charged: str, fee: str | None
) -> None:
    got = _results(park, {"停放时长": Quantity.of(hours, "小时")})
    assert got["计费时长"] == ("decided", Quantity.of(charged, "小时"))
    if fee is None:
        assert got["停车费"][0] == "not_applicable"
    else:
        assert got["停车费"] == ("applies", Quantity.of(fee, "元"))


@pytest.mark.parametrize(
    ("months", "counted", "fee"),
    [("0", "0", None), ("0.2", "1", "10"), ("1", "1", "10"), ("1.1", "2", "20")],
)
def test_months_rounded_up(
    park: CompiledPolicy, months: str, counted: str, fee: str | None
) -> None:
    got = _results(park, {"欠缴时长": Quantity.of(months, "月")})
    assert got["计息月数"] == ("decided", Quantity.of(counted, "月"))
    if fee is None:
        assert got["滞纳金"][0] == "not_applicable"
    else:
        assert got["滞纳金"] == ("applies", Quantity.of(fee, "元"))


def test_unknown_while_the_value_is(park: CompiledPolicy) -> None:
    got = _results(park, {})
    assert got["计费时长"][0] == "undetermined"


def test_explain_shows_the_step(park: CompiledPolicy) -> None:
    (decision,) = [
        r
        for r in park.evaluate({"停放时长": Quantity.of("1.5", "小时")}, ON, explain=True)
        if r.info.name == "计费时长"
    ]
    texts = [step.text for step in decision.steps]
    assert "停放时长按1小时进一取整: 1.5小时 → 2小时" in texts


# ---- check: the step and the mode ---------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "message", "column"),
    [
        ("round(停放时长, 1 立方米, up)", "the step `1 立方米` is not a measure of the value", 25),
        ("round(停放时长, 1 月, up)", "the step `1 月` is not a measure of the value", 25),
        ("round(停放时长, 0 小时, up)", "the step of `round` is a positive number", 25),
        ("round(停放时长, 0 小时 - 1 小时, up)", "the step of `round` is a positive number", 25),
        ("round(停放时长, 停放时长, up)", "the step of `round` is a positive number", 25),
        ("round(停放时长, 1 小时, sideways)", "unknown rounding mode", 31),
        ("round(停放时长, 1 小时)", "`round` takes a quantity, a step", 13),
        ("round(on_date(), 1, up)", "`round` rounds a quantity, not a date", 19),
        ("round(停放时长, 1%, up)", "the step `1%` is not a measure of the value", 25),
    ],
)
def test_check_refuses(policies: PolicyFactory, written: str, message: str, column: int) -> None:
    decls = f"input 停放时长: 小时\ndecide 计费 = {written}\n"
    with pytest.raises(PolicyError) as caught:
        policies.compile("  rule r { amount 1 元 }", decls)
    text = str(caught.value)
    assert message in text
    # the header's 9 lines, the input on line 10, the decide on line 11
    assert f"p.policy:11:{column}:" in text, text


# ---- the batch: DuckDB computes it, numpy steps aside --------------------------------------


def _hours_csv(path: Path, hours: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["停放时长"])
        writer.writerows([h] for h in hours)
    return path


def test_batch_rounds_in_sql(park: CompiledPolicy, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    from policyc.batch import Batch

    hours = ["0", "0.5", "1", "1.01", "2", "2.01", "10.5"]
    with Batch(park) as batch:
        batch.load(_hours_csv(tmp_path / "c.csv", hours), ON)
        program = batch.evaluate(keep=True)
        assert [r.fallback for r in program.rules] == [""] * len(program.rules)
        rows = [results for _, results in batch.rows()]
    charged = [Decimal(r["计费时长"][1]) for r in rows]
    assert charged == [Decimal(x) for x in ("0", "1", "1", "2", "2", "3", "11")]
    fees = [r["停车费"][1] for r in rows]
    assert fees == [None, None, None, Decimal(4), Decimal(4), Decimal(6), Decimal(22)]


def test_numpy_engine_steps_aside(policies: PolicyFactory, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pytest.importorskip("numpy")
    from policyc.batch_vector import VectorBatch

    park = policies.compile(
        "  rule 停车费 { when 停放时长 超过 1 小时 amount 2 元/小时 × round(停放时长, 1 小时, up) }",
        "input 停放时长: 小时 optional",
    )
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"停放时长": pa.array([Decimal("1.5")], pa.decimal128(9, 2))}), path)
    reason = VectorBatch(park).prepare(path, ON)
    assert "round" in reason


def test_batch_rounds_in_a_rules_amount(policies: PolicyFactory, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    from policyc.batch import Batch

    policy = policies.compile(
        "  rule 停车费 { when 停放时长 超过 1 小时 amount 2 元/小时 × round(停放时长, 0.5 小时, up) }",
        "input 停放时长: 小时 optional",
    )
    assert policy.namespace["FAST"][0] is not None  # the fast path holds it too
    # a step of half an hour: 1.2 → 1.5 小时 (3元), 1.5 stays (3元), 1.51 → 2 小时 (4元)
    hours = ["1", "1.2", "1.5", "1.51", ""]
    with Batch(policy) as batch:
        batch.load(_hours_csv(tmp_path / "c.csv", hours), ON)
        program = batch.evaluate(keep=True)
        assert [r.fallback for r in program.rules] == [""]
        rows = [results["停车费"][:2] for _, results in batch.rows()]
    assert rows == [
        ("not_applicable", None),
        ("applies", Decimal(3)),
        ("applies", Decimal(3)),
        ("applies", Decimal(4)),
        ("undetermined", None),
    ]
