"""`min`/`max` of two or more values (the newcomer13 report, finding 5): "贷款额度按下列各项分别
计算，取其中最低者" is `min(甲, 乙, 丙, 丁)`, typed, traced (`--explain` names the argument that
was lowest, the first of equals on a tie), on the fast path, in both batch engines, rendered as
`甲、乙、丙、丁中最小者`; fewer than two values is refused with the shape to write.

Every expected amount is worked by hand from the inputs below.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from policyc.compiler import nodes as n
from policyc.compiler.errors import PolicyError
from policyc.compiler.parser import parse
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.compiler.render import render
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory
from tests.test_fastpath import both

ON = date(2024, 6, 30)


def parse_expr(expr: str) -> n.Expr:
    parsed = parse(f'clause 1 "一" {{\n    rule r {{ amount {expr} }}\n}}\n', "x.policy")
    amount = parsed.clauses[0].rules[0].amount
    assert isinstance(amount, n.Expr)
    return amount


LIMITS = """input 甲额度: 元
input 乙额度: 元
input 丙额度: 元 optional
clause 七 "x" {
  QUOTE
  responsible 市商务局
  rule 最低者 {
    amount min(甲额度, 乙额度, 丙额度, 90 元)
  }
  rule 最高者 {
    amount max(甲额度, 乙额度, 丙额度)
  }
}
"""


def limits(policies: PolicyFactory) -> Path:
    from tests.conftest import QUOTE

    return policies.write(LIMITS.replace("QUOTE", QUOTE))


def amounts(policy: CompiledPolicy, inputs: dict[str, object]) -> dict[str, object]:
    return {r.info.name: (r.status, r.amount) for r in policy.evaluate(inputs, ON)}


def yuan(text: str) -> Quantity:
    return Quantity.of(text, "元")


# (甲, 乙, 丙) → (least of the four with 90元, greatest of the three), by hand
WORKED = [
    ("100", "50", "70", "50", "100"),  # the second lowest, the first highest
    ("100", "150", "95", "90", "150"),  # the literal 90元 is the lowest
    ("30", "30", "200", "30", "200"),  # a tie: equal amounts, the first named (see explain)
    ("0", "0", "0", "0", "0"),
]


@pytest.mark.parametrize("row", WORKED, ids=[",".join(r[:3]) for r in WORKED])
def test_four_and_three_arguments_by_hand(policies: PolicyFactory, row: tuple[str, ...]) -> None:
    policy = compile_policy(limits(policies))
    inputs = {"甲额度": yuan(row[0]), "乙额度": yuan(row[1]), "丙额度": yuan(row[2])}
    got = amounts(policy, inputs)
    assert got["最低者"] == ("applies", yuan(row[3]))
    assert got["最高者"] == ("applies", yuan(row[4]))
    both(policy, inputs, ON)  # the fast path gives the same results


def test_an_unknown_argument_leaves_the_result_undetermined(policies: PolicyFactory) -> None:
    policy = compile_policy(limits(policies))
    inputs = {"甲额度": yuan("10"), "乙额度": yuan("20")}  # 丙额度 not given
    got = {r.info.name: (r.status, r.missing) for r in policy.evaluate(inputs, ON)}
    assert got["最低者"] == ("undetermined", ("丙额度",))
    assert got["最高者"] == ("undetermined", ("丙额度",))
    both(policy, inputs, ON)


def test_explain_names_the_argument_chosen(policies: PolicyFactory) -> None:
    policy = compile_policy(limits(policies))
    inputs = {"甲额度": yuan("100"), "乙额度": yuan("50"), "丙额度": yuan("70")}
    steps = {s.text for r in policy.evaluate(inputs, ON, explain=True) for s in r.steps}
    assert "甲额度、乙额度、丙额度、90元中最小者：乙额度最低（50元）" in steps
    assert "甲额度、乙额度、丙额度中最大者：甲额度最高（100元）" in steps


def test_a_tie_names_the_first_argument(policies: PolicyFactory) -> None:
    policy = compile_policy(limits(policies))
    inputs = {"甲额度": yuan("200"), "乙额度": yuan("30"), "丙额度": yuan("30")}
    steps = {s.text for r in policy.evaluate(inputs, ON, explain=True) for s in r.steps}
    assert "甲额度、乙额度、丙额度、90元中最小者：乙额度最低（30元）" in steps
    inputs = {"甲额度": yuan("30"), "乙额度": yuan("200"), "丙额度": yuan("200")}
    steps = {s.text for r in policy.evaluate(inputs, ON, explain=True) for s in r.steps}
    assert "甲额度、乙额度、丙额度中最大者：乙额度最高（200元）" in steps


def test_a_literal_chosen_is_said_once(policies: PolicyFactory) -> None:
    policy = compile_policy(limits(policies))
    inputs = {"甲额度": yuan("100"), "乙额度": yuan("150"), "丙额度": yuan("95")}
    steps = {s.text for r in policy.evaluate(inputs, ON, explain=True) for s in r.steps}
    assert "甲额度、乙额度、丙额度、90元中最小者：90元" in steps


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("min(a, b, c)", "a、b、c中最小者"),
        ("max(a, b, c, d)", "a、b、c、d中最大者"),
        ("min(a + b, c, 3 元)", "(a + b)、c、3元中最小者"),
        ("min(a, b)", "a与b中较小者"),  # two keep the pair's words
        ("min(a, b, c) - 3 元", "(a、b、c中最小者) − 3元"),
    ],
)
def test_rendered_as_one_phrase(expr: str, words: str) -> None:
    assert render(parse_expr(expr)) == words


@pytest.mark.parametrize(("call", "count"), [("min()", 0), ("min(甲额度)", 1)])
def test_fewer_than_two_values_is_refused_with_the_shape(
    policies: PolicyFactory, call: str, count: int
) -> None:
    # One value is `min` over a group's members; a policy without a group has none to range
    # over, so it is told the shape of two or more values, not to declare a group.
    from tests.conftest import QUOTE

    body = LIMITS.replace("QUOTE", QUOTE).replace("min(甲额度, 乙额度, 丙额度, 90 元)", call)
    with pytest.raises(PolicyError) as caught:
        compile_policy(policies.write(body))
    text = str(caught.value)
    assert f"`min` takes two or more values of one measure, not {count}" in text
    assert "min(最高贷款额度, 余额额度, 房价额度)" in text
    assert "group" not in text


def test_arguments_of_different_measures_are_refused(policies: PolicyFactory) -> None:
    from tests.conftest import QUOTE

    body = LIMITS.replace("QUOTE", QUOTE).replace("丙额度, 90 元)", "丙额度, 3 人)")
    with pytest.raises(PolicyError) as caught:
        compile_policy(policies.write(body))
    assert "they do not have the same measure" in str(caught.value)


def test_both_batch_engines_agree_with_the_hand(policies: PolicyFactory, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from policyc.batch import Batch
    from policyc.batch_vector import VectorBatch

    policy = compile_policy(limits(policies))
    columns = {
        "甲额度": pa.array([r[0] for r in WORKED] + ["10"]),
        "乙额度": pa.array([r[1] for r in WORKED] + ["20"]),
        "丙额度": pa.array([r[2] for r in WORKED] + [None]),
    }
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table(columns), path)
    vector = VectorBatch(policy, keep=True, threads=1)
    assert vector.prepare(path, ON) == ""
    numpy_rows = [row for _, row in vector.rows()]
    with Batch(policy) as batch:
        batch.load(path, ON)
        program = batch.evaluate(keep=True)
        sql_rows = [row for _, row in batch.rows()]
    assert all(rule.fallback == "" for rule in program.rules)  # in the query, not case by case
    assert numpy_rows == sql_rows
    for row, got in zip(WORKED, sql_rows, strict=False):
        assert got["最低者"][:2] == ("applies", Decimal(row[3]))
        assert got["最高者"][:2] == ("applies", Decimal(row[4]))
    assert sql_rows[-1]["最低者"][0] == "undetermined"  # LEAST would have skipped the NULL
    assert sql_rows[-1]["最高者"][0] == "undetermined"


def test_min_of_many_is_a_call_of_many_arguments() -> None:
    call = parse_expr("min(a, b, c, d)")
    assert isinstance(call, n.Call) and len(call.args) == 4


def test_the_housing_fund_explain_names_the_lowest_limit() -> None:
    # Case 03: 33,333.33元 × 15 = 499,999.95元 is below 60万 (最高), 240万 (还款能力: 10,000元/月
    # × 240个月) and 160万 (房价: 200万 × 80%); rounded down to 1000元: 499,000元.
    from policyc.cases import load_case
    from tests.conftest import REPO

    folder = REPO / "tests" / "fixtures" / "housing-fund"
    policy = compile_policy(folder / "yxgjj-2026-3.policy")
    case = load_case(
        folder / "examples" / "yxgjj-2026-3" / "03-balance-lowest-rounded.yaml", policy.checked
    )
    assert case.on is not None
    results = policy.evaluate(case.inputs, case.on, case.readings, explain=True)
    steps = [s.text for r in results if r.info.name == "贷款额度" for s in r.steps]
    assert (
        "最高贷款额度、余额额度、还款能力额度、房价额度中最小者：余额额度最低（499,999.95元）"
        in steps
    )
    assert steps[-1] == "贷款额度 = 499,000元（49.9万元）"
