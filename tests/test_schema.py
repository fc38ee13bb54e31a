"""`policyc schema`: the JSON Schema of a policy's case files accepts every shipped example case
and rejects what the case loader rejects (a wrong enum member, an unknown input, a missing
required input, a date that is not one)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policyc.cases import plain_data, read_case_file
from policyc.cli import main
from policyc.compiler.pipeline import check_policy
from policyc.schema import case_schema
from policyc.testing import case_files

REPO = Path(__file__).parent.parent
POLICIES = [
    p for p in sorted((REPO / "policies").glob("*.policy")) if (REPO / "examples" / p.stem).is_dir()
]
TEXTILE = REPO / "policies" / "tzf-2023-1.policy"


def as_json_data(value: Any) -> Any:
    """A case as the loader reads it (YAML 1.1's `on:` is a key, numbers exact), then as the JSON
    a client would send: dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): as_json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json_data(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def validator(policy: Path) -> Any:
    schema = case_schema(check_policy(policy))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("policy", POLICIES, ids=[p.stem for p in POLICIES])
def test_the_schema_accepts_every_example_case(policy: Path):
    check = validator(policy)
    cases = case_files([REPO / "examples" / policy.stem])
    assert cases
    for case in cases:
        data = as_json_data(plain_data(read_case_file(case)))
        errors = [e.message for e in check.iter_errors(data)]
        assert errors == [], case.name


@pytest.mark.parametrize(
    ("inputs", "where"),
    [
        ({"申请人类型": "服装电商公司"}, "申请人类型"),  # not a member of the enum
        ({"申请人类型": "服装电商企业", "年发货额": 5}, "年发货额"),  # no such input
        ({}, "inputs"),  # 申请人类型 is required
        ({"申请人类型": "服装电商企业", "成立日期": "2023-13"}, "成立日期"),
        ({"申请人类型": "服装电商企业", "年发货量": "很多"}, "年发货量"),
        ({"申请人类型": "服装电商企业", "年发货量": -1}, "年发货量"),
        ({"申请人类型": "服装电商企业", "天门籍": "对"}, "天门籍"),
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(inputs: dict[str, Any], where: str):
    errors = list(validator(TEXTILE).iter_errors({"on": "2023-12-31", "inputs": inputs}))
    assert errors
    # Each error is at the input, or (unknown or missing input) names it from `inputs`.
    assert all(where in e.absolute_path or where in e.message for e in errors)


def test_the_schema_describes_each_input_in_chinese_with_its_measure():
    schema = case_schema(check_policy(TEXTILE))
    inputs = schema["properties"]["inputs"]
    assert inputs["required"] == ["申请人类型"]
    shipped = inputs["properties"]["年发货量"]
    assert shipped["description"] == "评估年度实际发货量(全部商品)"
    assert shipped["x-policyc-measure"] == "单"
    kind = inputs["properties"]["申请人类型"]
    assert "服装电商企业" in kind["enum"] and "服装生产加工类企业" in kind["enum"]
    assert schema["properties"]["readings"]["properties"]["品牌销售奖励频次"]["enum"]


def test_policyc_schema_prints_it(capsys: pytest.CaptureFixture[str]):
    assert main(["schema", str(TEXTILE)]) == 0
    assert json.loads(capsys.readouterr().out) == case_schema(check_policy(TEXTILE))


def test_policyc_schema_of_a_missing_file_is_a_message(capsys: pytest.CaptureFixture[str]):
    assert main(["schema", "no-such.policy"]) == 2
    err = capsys.readouterr().err
    assert "no-such.policy" in err and "Traceback" not in err
