"""A policy's web form, built from its input declarations, and the case it stands for.

A form field per input: a select for an enum or a yes/no, a date field for a date, a text field
for a quantity (so that it may carry its own measure, `600万单`; a bare number is read in the
input's measure, shown beside it), one such field per member for a tally (`参展次数[省内]`), a
text area for a series. The evaluation date, the readings and the one-time awards already
received use names starting with `@`, which no input name can.

The form's values become case data of text values only (`case_data`), which `policyc.cases`
validates as it validates a case file, so a form and a file get the same messages. A case file
uploaded to fill the form goes the other way (`form_values`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import yaml

from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.render import render
from policyc.report import option_label

ON, RECEIVED, READING = "@on", "@received", "@reading:"
YES, NO = "是", "否"
_SERIES_SEPARATORS = re.compile(r"[\s,，、;；]+")


@attrs.frozen
class Field:
    """One input as the form shows it."""

    name: str
    description: str
    kind: str  # quantity | bool | date | enum | keyed | series
    measure: str  # the declared measure of a quantity, tally or series ('' otherwise)
    options: tuple[str, ...]  # enum members (enum), or the tally's members (keyed)
    required: bool
    default: str  # what the policy assumes when the input is left empty ('' when nothing)

    def key(self, member: str) -> str:
        """The form name of one member's field of a tally."""
        return f"{self.name}[{member}]"


@attrs.frozen
class Reading:
    name: str
    options: tuple[str, ...]
    declared: str  # the option the policy takes
    labels: dict[str, str] = attrs.field(factory=dict)  # option -> how output shows it


def fields_of(policy: CheckedPolicy) -> list[Field]:
    """The form's fields, in the order the policy declares its inputs."""
    fields = []
    for name, info in policy.inputs.items():
        decl = info.decl
        default = ""
        if decl.presence == "default" and decl.default is not None:
            value = decl.default
            default = value if isinstance(value, str) else render(value)
        fields.append(
            Field(
                name,
                decl.description,
                info.type.kind,
                info.measure.name if info.measure is not None else "",
                tuple(policy.enums[info.type.enum]) if info.type.enum else (),
                decl.presence == "required",
                default,
            )
        )
    return fields


def readings_of(policy: CheckedPolicy, declared: Mapping[str, str]) -> list[Reading]:
    return [
        Reading(
            name,
            tuple(o.name for o in decl.options),
            declared.get(name, ""),
            {o.name: option_label(policy, name, o.name) for o in decl.options},
        )
        for name, decl in policy.readings.items()
    ]


def received_choices(policy: CheckedPolicy) -> list[str]:
    """The rules a case may say were already received: those the policy grants once."""
    return [r.name.text for _, r in policy.file.all_rules() if r.once is not None]


def case_data(policy: CheckedPolicy, form: Mapping[str, str], received: list[str]) -> Any:
    """The case the form's values stand for, every value as text; empty fields are left out."""
    data: dict[str, Any] = {"policy": policy.header.number}
    on = form.get(ON, "").strip()
    if on:
        data["on"] = on
    inputs: dict[str, Any] = {}
    for field in fields_of(policy):
        if field.kind == "keyed":
            parts = {m: v for m in field.options if (v := form.get(field.key(m), "").strip())}
            if parts:
                inputs[field.name] = parts
        elif field.kind == "series":
            items = [x for x in _SERIES_SEPARATORS.split(form.get(field.name, "")) if x]
            if items:
                inputs[field.name] = items
        elif value := form.get(field.name, "").strip():
            inputs[field.name] = value
    data["inputs"] = inputs
    readings = {
        name: option for name in policy.readings if (option := form.get(READING + name, "").strip())
    }
    if readings:
        data["readings"] = readings
    if received:
        data["received"] = received
    return data


def form_values(policy: CheckedPolicy, data: Any) -> tuple[dict[str, str], list[str]]:
    """A case's data (as `policyc.cases` reads a file) as the form's values, and the rules
    received; what the form has no field for is left out (validation reports it)."""
    values: dict[str, str] = {}
    if not isinstance(data, dict):
        return values, []
    if data.get("on") is not None:
        values[ON] = _text(data["on"])
    inputs = data.get("inputs")
    by_name = {f.name: f for f in fields_of(policy)}
    for name, value in (inputs or {}).items() if isinstance(inputs, dict) else ():
        field = by_name.get(name)
        if field is None or value is None:
            continue
        if field.kind == "keyed" and isinstance(value, dict):
            for member, amount in value.items():
                values[field.key(str(member))] = _text(amount)
        elif field.kind == "series" and isinstance(value, list):
            values[name] = ", ".join(_text(v) for v in value)
        else:
            values[name] = _text(value)
    readings = data.get("readings")
    for name, option in readings.items() if isinstance(readings, dict) else ():
        values[READING + str(name)] = _text(option)
    received = data.get("received")
    chosen = [str(r) for r in received] if isinstance(received, list) else []
    return values, chosen


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dict, list)):
        return ""
    return str(value)


def case_yaml(data: Any) -> str:
    """The case as a YAML case file `policyc run --case` reads."""
    header = "# 由 policyc serve 的表单生成的案例文件；用 policyc run POLICY --case 本文件 评估。\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
