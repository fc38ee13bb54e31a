"""The JSON Schema of a policy's case files, built from the policy's input declarations.

`case_schema(policy)` is a JSON Schema (draft 2020-12) object that validates a case file's
content read as JSON (a YAML case read the same way, its dates as ISO text): the evaluation
date, each declared input with its type, measure, enum members and Chinese description, which
inputs are required, the readings with their options and the rules that may be `received`.
`policyc schema POLICY` prints it; `policyc serve` serves it and builds its form from the same
declarations.

Numbers are exact in a case: a quantity is a JSON number or a text that carries its own measure
(`600万单`); the schema can only say so by pattern, while `policyc.cases` checks the measure.
Custom keywords start with `x-policyc-` (`measure`, `kind`, `enum`, and `measures`: the
policy's own), which validators ignore.
"""

from __future__ import annotations

from typing import Any

from policyc.cases import CASE_KEYS
from policyc.compiler import nodes as n
from policyc.compiler.checker import CheckedPolicy, InputInfo

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# A number as `parse_quantity_text` reads it, then an optional 万/亿 and any measure text.
QUANTITY_PATTERN = r"^\s*-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?\s*[万亿]?\s*\S*\s*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PERIOD_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$"  # a year 2017 or a month 2017-01


def case_schema(policy: CheckedPolicy) -> dict[str, Any]:
    """The schema of a case file for `policy`, as a JSON-ready dict."""
    header = policy.header
    properties: dict[str, Any] = {
        "policy": {"const": header.number, "description": "本案例所适用的政策文号"},
        "on": {
            "type": ["string", "null"],
            "format": "date",
            "pattern": DATE_PATTERN,
            "description": "评估日（YYYY-MM-DD）",
        },
        "inputs": inputs_schema(policy),
        "received": {
            "type": ["array", "null"],
            "items": {"enum": sorted({r.name.text for _, r in policy.file.all_rules()})},
            "description": "已经领取过的一次性奖励、补贴（规则名称）",
        },
        "readings": {
            "type": ["object", "null"],
            "properties": {
                name: {
                    "enum": [o.name for o in decl.options],
                    "description": f"读法「{name}」所取的选项",
                }
                for name, decl in policy.readings.items()
            },
            "additionalProperties": False,
            "description": "本案例改取的读法（对原文有歧义之处的理解）",
        },
        "expect": {"type": "object", "description": "policyc test 所核对的预期结果（按规则名称）"},
        "description": {"type": "string", "description": "案例说明"},
        "period": {
            "anyOf": [{"type": "string", "pattern": PERIOD_PATTERN}, {"type": "integer"}],
            "description": "评估期间: 月份（YYYY-MM）或年度（YYYY）；评估日默认为其第一天",
        },
        "members": members_schema(policy),
    }
    assert set(properties) == set(CASE_KEYS), "the schema must follow the case loader's fields"
    return {
        "$schema": DIALECT,
        "title": f"{header.number} {header.title} 的案例",
        "description": (
            f"policyc 案例文件（YAML 或 JSON）：{header.number}《{header.title}》的评估日和各项输入"
        ),
        "type": "object",
        "properties": properties,
        "required": ["inputs"] if any(required_inputs(policy)) else [],
        "additionalProperties": False,
    } | declared_measures(policy)


def declared_measures(policy: CheckedPolicy) -> dict[str, Any]:
    """`x-policyc-measures`: each measure the policy declares and what it is (`1 立方米`, or
    its own name for a measure of its own); nothing when it declares none."""
    if not policy.file.measures:
        return {}
    return {
        "x-policyc-measures": {
            decl.name.text: (
                f"{decl.size.number} {decl.size.measure}"
                if isinstance(decl.size, n.QuantityLit)
                else decl.name.text
            )
            for decl in policy.file.measures
        }
    }


def required_inputs(policy: CheckedPolicy) -> list[str]:
    """The inputs a case must give, in declaration order (a member's are given per member)."""
    members = policy.people.member_inputs
    return [
        name
        for name, info in policy.inputs.items()
        if info.decl.presence == "required" and name not in members
    ]


def inputs_schema(policy: CheckedPolicy) -> dict[str, Any]:
    """The `inputs` mapping: one property per declared input, required ones listed."""
    required = required_inputs(policy)
    return {
        "type": "object" if required else ["object", "null"],
        "description": "申报的各项情况（政策所声明的输入）",
        "properties": {
            name: input_schema(info, policy)
            for name, info in policy.inputs.items()
            if name not in policy.people.member_inputs
        },
        "required": required,
        "additionalProperties": False,
    }


def input_schema(info: InputInfo, policy: CheckedPolicy) -> dict[str, Any]:
    """One input: its value's schema with title, Chinese description and policyc annotations.

    An input that is not required may be written and left empty (null): the same as not given.
    """
    decl = info.decl
    value = _value_schema(info, policy)
    period = policy.people.period_of.get(decl.name.text)
    if period is not None:  # one value for the evaluated period, or a value per period
        value = {
            "anyOf": [
                value,
                {
                    "type": "object",
                    "propertyNames": {"pattern": PERIOD_PATTERN},
                    "additionalProperties": value,
                },
            ]
        }
    schema: dict[str, Any] = {
        "title": decl.name.text,
        "description": decl.description,
        "x-policyc-kind": info.type.kind,
        "x-policyc-presence": decl.presence,
    }
    if info.measure is not None:
        schema["x-policyc-measure"] = info.measure.name
    if info.type.enum:
        schema["x-policyc-enum"] = info.type.enum
    if decl.presence == "required":
        schema.update(value)
    else:
        schema["anyOf"] = [value, {"type": "null"}]
    return schema


def members_schema(policy: CheckedPolicy) -> dict[str, Any]:
    """`members`: each member's name → its role and its own inputs (a policy with a group)."""
    people = policy.people
    if not people.group:
        return {"type": "null", "description": "本政策没有声明家庭（group），案例不列成员"}
    inputs = {
        name: input_schema(info, policy)
        for name, info in policy.inputs.items()
        if name in people.member_inputs
    }
    return {
        "type": "object",
        "description": f"{people.group}的成员: 姓名 → 身份（role）与其各项输入",
        "additionalProperties": {
            "type": "object",
            "properties": {
                "role": {"enum": list(people.role_names())},
                "inputs": {
                    "type": ["object", "null"],
                    "properties": inputs,
                    "additionalProperties": False,
                },
            },
            "required": ["role"],
            "additionalProperties": False,
        },
        "x-policyc-roles": [
            {"role": role, "at_least": least, "at_most": most} for role, least, most in people.roles
        ],
    }


def _value_schema(info: InputInfo, policy: CheckedPolicy) -> dict[str, Any]:
    kind = info.type.kind
    if kind == "bool":
        return {"anyOf": [{"type": "boolean"}, {"enum": ["是", "否"]}]}
    if kind == "date":
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    if kind == "enum":
        return {"type": "string", "enum": list(policy.enums[info.type.enum])}
    if kind == "keyed":
        members = policy.enums[info.type.enum]
        return {
            "type": "object",
            "properties": {member: _quantity_schema(info) for member in members},
            "additionalProperties": False,
        }
    if kind == "series":
        return {"type": "array", "minItems": 1, "items": _quantity_schema(info)}
    return _quantity_schema(info)


def _quantity_schema(info: InputInfo) -> dict[str, Any]:
    from policyc.percent_values import PERCENT_PATTERN, needs_sign

    if needs_sign(info):  # `5.5%`: a bare number is refused (cli/percent_values.py)
        return {
            "type": "string",
            "pattern": PERCENT_PATTERN,
            "description": "百分比，带百分号，如 5.5%",
        }
    measure = info.measure.name if info.measure is not None else ""
    return {
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": QUANTITY_PATTERN},
        ],
        "description": f"数量，单位 {measure}；不写单位时按 {measure} 计" if measure else "数量",
    }
