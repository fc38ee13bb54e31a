"""Measures a new document brings: the common ones in the language's table (立方米/升, 千瓦时/度,
公斤/千克/克, 周), and `measure` declarations for any other (`measure 标准箱`, `measure 方 = 1
立方米`), read everywhere a measure is: inputs, literals, case files, batch rows, the schema.

Every expected figure is worked by hand from the text: 3.45 元/立方米 × 44 立方米 = 151.8 元;
50 元/标准箱 × 120 标准箱 = 6000 元; `超过 30 方` excludes 30 方 itself.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from policyc.cases import load_case
from policyc.compiler.errors import InputError, PolicyError
from policyc.compiler.fmt import format_text
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.quantity import MeasureError, Quantity, parse_measure
from policyc.runtime.quantity_reading import parse_quantity_text
from tests.conftest import PolicyFactory
from tests.test_fastpath import both

ON = date(2023, 6, 30)

# ---- the language's own measures ---------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "same_as"),
    [
        ("1立方米", "1000升"),
        ("1.5立方米", "1500升"),
        ("1度", "1千瓦时"),
        ("2万度", "20000千瓦时"),
        ("1公斤", "1000克"),
        ("1千克", "1公斤"),
        ("1周", "7日"),
        ("2周", "336小时"),
    ],
)
def test_the_common_measures_convert_exactly(written: str, same_as: str) -> None:
    assert parse_quantity_text(written, None) == parse_quantity_text(same_as, None)


@pytest.mark.parametrize(
    ("a", "b"), [("1立方米", "1吨"), ("1公斤", "1吨"), ("1度", "1元"), ("1周", "1月")]
)
def test_each_family_stays_its_own_dimension(a: str, b: str) -> None:
    with pytest.raises(MeasureError):
        _ = parse_quantity_text(a, None) < parse_quantity_text(b, None)


def test_a_price_per_cubic_metre_times_litres() -> None:
    # 3.45 元/立方米 × 1500 升 = 3.45 × 1.5 = 5.175 元
    price = Quantity.of("3.45", "元/立方米")
    assert price * Quantity.of(1500, "升") == Quantity.of("5.175", "元")


# ---- declared measures -------------------------------------------------------------------

DECLS = """measure 方 = 1 立方米 "供水企业账单上的计量单位"
measure 标准箱 "国际标准集装箱"
input 用水量: 方 optional
input 箱量: 标准箱 optional
"""
RULES = """  rule 水费 { when 用水量 超过 30 方 amount 3.45 元/方 × 用水量 }
  rule 箱补 { amount 50 元/标准箱 × 箱量 }
"""


@pytest.fixture
def policy(policies: PolicyFactory) -> CompiledPolicy:
    return policies.compile(RULES, DECLS)


def _results(policy: CompiledPolicy, **inputs: Quantity) -> dict[str, object]:
    both(policy, dict(inputs), ON)
    return {r.info.name: r for r in policy.evaluate(dict(inputs), ON)}


def test_an_alias_is_its_measure_on_both_sides_of_the_edge(policy: CompiledPolicy) -> None:
    m3 = parse_measure("立方米")
    # 30 方 is not 超过 30 方; 30.01 方 is: 3.45 × 30.01 = 103.5345 元
    at = _results(policy, 用水量=Quantity.of(30, m3))["水费"]
    assert at.status == "not_applicable"  # type: ignore[attr-defined]
    over = _results(policy, 用水量=Quantity.of("30.01", m3))["水费"]
    assert over.amount == Quantity.of("103.5345", "元")  # type: ignore[attr-defined]


def test_a_new_base_multiplies_with_its_own_rate(policy: CompiledPolicy) -> None:
    box = policy.checked.inputs["箱量"].measure
    assert box is not None and box.dims == (("标准箱", 1),)
    paid = _results(policy, 箱量=Quantity.of(120, box))["箱补"]
    assert paid.amount == Quantity.of(6000, "元")  # type: ignore[attr-defined]


def _case(policies: PolicyFactory, inputs: str) -> Path:
    path = policies.folder / "case.yaml"
    path.write_text(f"on: 2023-06-30\ninputs:\n{inputs}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("written", "cubic_metres"),
    [("44", "44"), ("44方", "44"), ("44立方米", "44"), ("44000升", "44"), ("2万方", "20000")],
)
def test_a_case_writes_a_declared_measure_or_its_known_one(
    policies: PolicyFactory, policy: CompiledPolicy, written: str, cubic_metres: str
) -> None:
    case = load_case(_case(policies, f"  用水量: {written}\n"), policy.checked)
    assert case.inputs["用水量"] == Quantity.of(cubic_metres, "立方米")


def test_a_case_value_of_another_dimension_is_refused(
    policies: PolicyFactory, policy: CompiledPolicy
) -> None:
    with pytest.raises(InputError, match="expected a quantity in 标准箱"):
        load_case(_case(policies, "  箱量: 12立方米\n"), policy.checked)


def test_run_shows_the_amount(policies: PolicyFactory, policy: CompiledPolicy) -> None:
    case = _case(policies, "  用水量: 44方\n  箱量: 3标准箱\n")
    out = subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(policies.folder / "p.policy"), "--case",
         str(case), "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)["results"]
    amounts = {r["rule"]: r["amount"]["text"] for r in results if r["amount"]}
    # 3.45 × 44 = 151.8 元; 50 × 3 = 150 元
    assert amounts["水费"] == "151.8元"
    assert amounts["箱补"] == "150元"


def test_two_policies_declaring_one_name_differently_do_not_meet(
    policies: PolicyFactory,
) -> None:
    first = compile_policy(policies.write(policies.clause(RULES, DECLS), name="first.policy"))
    other_decls = 'measure 方 = 1 平方米 "土方面积"\ninput 面积: 方 optional\n'
    other = compile_policy(
        policies.write(
            policies.clause("  rule 补 { amount 2 元/方 × 面积 }\n", other_decls),
            name="other.policy",
        )
    )
    case = _case(policies, "  用水量: 44方\n")
    assert load_case(case, first.checked).inputs["用水量"] == Quantity.of(44, "立方米")
    area = _case(policies, "  面积: 44方\n")
    assert load_case(area, other.checked).inputs["面积"] == Quantity.of(44, "平方米")
    with pytest.raises(InputError):  # 44方 is area in the other policy, not 立方米
        load_case(_case(policies, "  用水量: 44平方米\n"), first.checked)
    (paid,) = other.evaluate({"面积": Quantity.of(44, "平方米")}, ON)
    assert paid.amount == Quantity.of(88, "元")


def test_the_schema_names_the_measure_and_the_declarations(policy: CompiledPolicy) -> None:
    from policyc.schema import case_schema

    schema = case_schema(policy.checked)
    water = schema["properties"]["inputs"]["properties"]["用水量"]
    assert water["x-policyc-measure"] == "方"
    assert schema["x-policyc-measures"] == {"方": "1 立方米", "标准箱": "标准箱"}


def test_the_batch_reads_a_declared_measure(
    policies: PolicyFactory, policy: CompiledPolicy
) -> None:
    pytest.importorskip("duckdb")
    from policyc.batch import run_batch

    cases = policies.folder / "cases.csv"
    cases.write_text(
        "id,on,用水量,箱量\na,2023-06-30,44方,3\nb,2023-06-30,30,\nc,2023-06-30,31000升,\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    run_batch(policies.folder / "p.policy", cases, None, None, [], "json", stdout=out)
    rules = {r["rule"]: r for r in json.loads(out.getvalue())["rules"]}
    # a: 151.8 元; b: 30 方 is not 超过 30; c: 31 方 → 106.95 元; 151.8 + 106.95 = 258.75 元
    assert rules["水费"]["counts"]["applies"] == 2
    assert (rules["水费"]["total"], rules["水费"]["unit"]) == ("258.75", "元")
    assert rules["箱补"]["total"] == "150"


def test_fmt_keeps_the_declarations() -> None:
    text = 'measure   方 =  1   立方米 "说明"\nmeasure 标准箱\n'
    assert format_text(text) == 'measure 方 = 1 立方米 "说明"\nmeasure 标准箱\n'


# ---- what check refuses, and what it says -------------------------------------------------


def _errors(policies: PolicyFactory, decls: str, rules: str = "") -> str:
    with pytest.raises(PolicyError) as caught:
        policies.compile(rules or "  rule 补 { amount 1 元 }\n", decls)
    return str(caught.value)


@pytest.mark.parametrize(
    ("decls", "message"),
    [
        ("measure 吨\n", "`吨` is a measure of the language already"),
        ("measure 万元\n", "`万元` is a measure of the language already"),
        ("measure 方 = 1 立方米\nmeasure 方 = 1 升\n", "measure `方` is declared twice"),
        ("measure 方 = 1 元/人\n", "must be a positive number of one measure, not `1 元/人`"),
        ("measure 方 = 0 立方米\n", "must be a positive number of one measure, not `0 立方米`"),
        ("measure 方 = 10%\n", "measure `方` must be a number of a known measure"),
        ("measure 方 = 1 立方\n", "unknown measure `立方`; did you mean `立方米`?"),
    ],
)
def test_a_bad_declaration_is_refused_at_its_place(
    policies: PolicyFactory, decls: str, message: str
) -> None:
    assert message in _errors(policies, decls)


def test_an_unknown_measure_says_how_to_declare_one(policies: PolicyFactory) -> None:
    text = _errors(policies, "input 箱量: 标准箱 optional\n", "  rule 补 { amount 1 元 }\n")
    assert "unknown measure `标准箱`" in text
    assert "`measure 标准箱`" in text
    # no measure is expected at an input's type: a neutral multiple, never a fixed 立方米
    assert "`measure 标准箱 = N KNOWN_MEASURE`" in text


def test_a_declaration_may_build_on_one_above_it(policies: PolicyFactory) -> None:
    decls = "measure 方 = 1 立方米\nmeasure 车 = 8 方\ninput 车数: 车 optional\n"
    policy = policies.compile("  rule 运费 { amount 2 元/方 × 车数 }\n", decls)
    # 3 车 = 24 方; 2 元/方 × 24 方 = 48 元
    (paid,) = policy.evaluate({"车数": Quantity.of(24, "立方米")}, ON)
    assert paid.amount == Quantity.of(48, "元")
    assert policy.checked.inputs["车数"].measure.factor == Decimal(8)  # type: ignore[union-attr]


def test_the_numpy_engine_reads_a_declared_measure(
    policies: PolicyFactory, policy: CompiledPolicy
) -> None:
    pa = pytest.importorskip("pyarrow")
    pytest.importorskip("numpy")
    import pyarrow.parquet as pq

    from policyc.batch import run_batch

    cases = policies.folder / "cases.parquet"
    pq.write_table(pa.table({"用水量": [44, 30, 31], "箱量": [3, None, None]}), cases)
    out = io.StringIO()
    run_batch(policies.folder / "p.policy", cases, None, "2023-06-30", [], "json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["engine"] == "numpy"
    rules = {r["rule"]: r for r in summary["rules"]}
    # 44 方 → 151.8 元; 30 方 not 超过 30; 31 方 → 106.95 元: 258.75 元; 3 标准箱 → 150 元
    assert rules["水费"]["total"] == "258.75"
    assert rules["箱补"]["total"] == "150"


def test_the_form_and_the_api_read_a_declared_measure(
    policies: PolicyFactory, policy: CompiledPolicy
) -> None:
    pytest.importorskip("uvicorn")
    from urllib.parse import urlencode

    from tests.serve_helpers import post_json, request, running_server

    with running_server(str(policies.folder / "p.policy")) as url:
        status, _, page = request(url, "GET", "/policies/p")
        assert status == 200 and '<span class="measure">方</span>' in page.decode("utf-8")
        body = json.dumps({"on": "2023-06-30", "inputs": {"用水量": "44方", "箱量": 3}})
        status, answer = post_json(url, "/v1/policies/p/evaluate", body)
        assert status == 200
        amounts = {r["rule"]: r["amount"]["text"] for r in answer["results"] if r["amount"]}
        assert amounts == {"水费": "151.8元", "箱补": "150元"}  # 3.45 × 44; 50 × 3
        form = urlencode({"case.on": "2023-06-30", "用水量": "44000升"}).encode()
        status, _, page = request(
            url, "POST", "/policies/p", form, content_type="application/x-www-form-urlencoded"
        )
        assert status == 200 and "151.8元" in page.decode("utf-8")  # 44000 升 = 44 方


def test_policyc_test_reads_an_expected_value_in_a_declared_measure(
    policies: PolicyFactory,
) -> None:
    decls = DECLS + 'decide 折年水量 = 用水量 × 6 "按年度计的用水量"\n'
    policies.compile(RULES, decls)
    case = policies.folder / "case.yaml"
    case.write_text(
        "on: 2023-06-30\ninputs:\n  用水量: 44方\nexpect:\n"
        "  折年水量: {value: 264方}\n  水费: {status: applies, amount: 151.8元}\n",
        encoding="utf-8",
    )  # 44 × 6 = 264 方; 3.45 × 44 = 151.8 元
    out = subprocess.run(
        [sys.executable, "-m", "policyc", "test", str(policies.folder / "p.policy"), str(case)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
