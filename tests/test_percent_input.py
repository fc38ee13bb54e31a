"""A `%` input (`input 裁员率: %`): declared, compared with `不高于 5.5%` on both sides of the
edge on the traced and the fast path and in the batch query, written `5.5%` in a case and a
batch row, a bare number refused with a message that shows how to write it."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest

from policyc.cases import load_case
from policyc.compiler.errors import InputError
from policyc.compiler.fmt import format_text
from policyc.compiler.pipeline import CompiledPolicy
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory
from tests.test_fastpath import both

ON = date(2023, 6, 30)
RULE = "rule 稳岗返还 { when 裁员率 不高于 5.5% amount 50% of 失业保险费 }"
DECLARATIONS = 'input 裁员率: % optional "上年度裁员率"\ninput 失业保险费: 元'


@pytest.fixture
def policy(policies: PolicyFactory) -> CompiledPolicy:
    return policies.compile(RULE, DECLARATIONS)


def test_a_percent_input_on_both_sides_of_its_edge(policy: CompiledPolicy) -> None:
    # 5.5% is not higher than 5.5%: 50% of 100000元 = 50000元; 5.51% is higher: not applicable.
    paid = Quantity.of(100000, "元")
    for rate, status in (("5.5", "applies"), ("5.51", "not_applicable"), ("0", "applies")):
        inputs = {"裁员率": Quantity.ratio(rate), "失业保险费": paid}
        (result,) = policy.evaluate(inputs, ON)
        assert result.status == status, rate
        both(policy, inputs, ON)
    (result,) = policy.evaluate({"裁员率": Quantity.ratio("5.5"), "失业保险费": paid}, ON)
    assert result.amount == Quantity.of(50000, "元")


def _case(policies: PolicyFactory, value: str) -> Path:
    path = policies.folder / "case.yaml"
    path.write_text(
        f"on: 2023-06-30\ninputs:\n  裁员率: {value}\n  失业保险费: 100000\n", encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(("written", "ratio"), [("5.5%", "5.5"), ('"5.5 %"', "5.5"), ("12%", "12")])
def test_a_case_writes_the_percentage_with_its_sign(
    policies: PolicyFactory, policy: CompiledPolicy, written: str, ratio: str
) -> None:
    case = load_case(_case(policies, written), policy.checked)
    assert case.inputs["裁员率"] == Quantity.ratio(ratio)


@pytest.mark.parametrize(
    ("written", "shown", "other"),
    [("5.5", "5.5", "550"), ("0.055", "0.055", "5.5")],
)
def test_a_bare_number_is_refused_naming_both_readings(
    policies: PolicyFactory, policy: CompiledPolicy, written: str, shown: str, other: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_case(_case(policies, written), policy.checked)
    assert (
        f"a percentage is written with its sign, as in `5.5%`: a bare `{shown}` could mean "
        f"{shown}% or {other}%"
    ) in str(caught.value)


def test_a_target_still_reads_a_bare_number_in_its_own_measure(policies: PolicyFactory) -> None:
    # Only a declared `%` input needs the sign: a target's figure keeps §7's rule (6 is 6%).
    from policyc.percent_values import needs_sign

    policy = policies.compile(RULE, DECLARATIONS)
    assert needs_sign(policy.checked.inputs["裁员率"])
    assert not needs_sign(policy.checked.inputs["失业保险费"])


def test_the_batch_reads_the_sign_and_refuses_a_bare_number(
    policies: PolicyFactory, policy: CompiledPolicy
) -> None:
    pytest.importorskip("duckdb")
    from policyc.batch import run_batch

    policy_path = policies.folder / "p.policy"
    cases = policies.folder / "cases.csv"
    cases.write_text(
        "id,on,裁员率,失业保险费\n"
        "a,2023-06-30,5.5%,100000\nb,2023-06-30,5.51%,100000\nc,2023-06-30,,100000\n",
        encoding="utf-8",
    )
    out = policies.folder / "out.csv"
    run_batch(policy_path, cases, out, None, [], "json", stdout=io.StringIO())
    rows = {row["id"]: row for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert [rows[k]["稳岗返还.status"] for k in "abc"] == [
        "applies",
        "not_applicable",
        "undetermined",
    ]
    assert rows["a"]["稳岗返还.amount_元"] == "50000"
    cases.write_text("id,on,裁员率,失业保险费\na,2023-06-30,0.055,100000\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape("a bare `0.055` could mean 0.055% or 5.5%")):
        run_batch(policy_path, cases, out, None, [], "json", stdout=io.StringIO())
    lines = policies.folder / "cases.jsonl"
    lines.write_text(
        json.dumps({"id": "a", "on": "2023-06-30", "裁员率": 0.055, "失业保险费": 100000}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=re.escape("a bare `0.055` could mean")):
        run_batch(policy_path, lines, None, None, [], "json", stdout=io.StringIO())


def test_the_schema_asks_for_the_sign(policy: CompiledPolicy) -> None:
    import re

    from policyc.schema import case_schema

    schema = case_schema(policy.checked)["properties"]["inputs"]["properties"]["裁员率"]
    pattern = schema["anyOf"][0]["pattern"]  # optional: the value or null
    assert schema["anyOf"][1] == {"type": "null"}
    assert re.match(pattern, "5.5%") and re.match(pattern, "12 %")
    assert not re.match(pattern, "0.055") and not re.match(pattern, "5.5")


def test_fmt_keeps_a_percent_input() -> None:
    text = 'input 裁员率: % optional "上年度裁员率"\n'
    assert format_text(text) == text


def test_the_web_form_asks_for_the_sign(policy: CompiledPolicy) -> None:
    pytest.importorskip("starlette")
    from policyc.serve.web import _form

    html = _form("p", policy, {}, [], {}, []).body.decode("utf-8")
    assert "上年度裁员率（带百分号，如 5.5%）" in html
    assert "不带单位按 % 计" not in html
    assert "不带单位按 元 计" in html  # other quantities keep their hint


def test_a_bare_zero_is_refused_without_two_readings(
    policies: PolicyFactory, policy: CompiledPolicy
) -> None:
    # 0 and 0% are one value, but a `%` value is written with its sign: no "0% or 0%"
    with pytest.raises(InputError) as caught:
        load_case(_case(policies, "0"), policy.checked)
    message = str(caught.value)
    assert "a percentage is written with its sign: `0%`" in message
    assert "could mean" not in message
