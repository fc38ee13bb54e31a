"""A policy's web form, built from its input declarations, and the case it stands for.

A form field per input: a select for an enum or a yes/no, a date field for a date, a text field
for a quantity (so that it may carry its own measure, `600万单`; a bare number is read in the
input's measure, shown beside it), one such field per member for a tally (`参展次数[省内]`), a
text area for a series. The evaluation date, the readings, the period and the one-time awards
already received use names starting with `case.` (`case.on`, `case.reading:NAME`), which no input
name can (a name holds no dot); the `@on` of earlier releases is still accepted.

A policy with a group (issue 12) has the case's period (`case.period`) and a row per member
(`@member3.name`, `@member3.role`, and a field per member input, `@member3:出生日期`); the form
shows `member_rows` rows, at least MEMBER_ROWS, and its "add a member" button posts the form
back with one more (`@members` holds the count), so it works with JavaScript off. An input per
period (`月收入: 元 per member per 月`) is a text area: one value (the evaluated period's), or a
line per period, `2026-03: 2400`.

The form's values become case data of text values only (`case_data`), which `policyc.cases`
validates as it validates a case file, so a form and a file get the same messages. A case file
uploaded to fill the form goes the other way (`form_values`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import yaml

from policyc.case_words import NO, YES, yes_no
from policyc.compiler import nodes as n
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.daily_caps import refused_options
from policyc.compiler.render import render
from policyc.report import option_label
from policyc.runtime.quantity_reading import example_quantity
from policyc.runtime.results import RuleInfo

# The case's own fields are named `case.…`: no input name holds a dot, and no curl user trips on
# them (`curl --data-urlencode '@on=…'` reads a file named `on=…`). The `@` names of the last
# release are still read (`current_name`), to be dropped in the next one.
ON, RECEIVED, READING = "case.on", "case.received", "case.reading:"
PERIOD, MEMBERS = "case.period", "@members"
LEGACY = {"@on": ON, "@received": RECEIVED, "@period": PERIOD}
LEGACY_READING = "@reading:"


def current_name(key: str) -> str:
    """A posted field's name as this release names it: `@on` → `case.on`, `@reading:X` →
    `case.reading:X` (the last release's names); any other name as it is."""
    if key.startswith(LEGACY_READING):
        return READING + key.removeprefix(LEGACY_READING)
    return LEGACY.get(key, key)


MEMBER_ROWS = 3  # member rows an empty form shows
MAX_MEMBER_ROWS = 50
_PERIOD_LINE = re.compile(r"(\d{4}(?:-\d{1,2})?)\s*[:：=]\s*(.*)")
_PERIOD_LINES = re.compile(r"[\n;；]+")
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
    per_member: bool = False  # a value per member of the group (in each member's row)
    period: str = ""  # "month" or "year": a value per period ('' for one value)

    @property
    def example(self) -> str:
        """A value in this field's measure, for its hint (`1.5万元`, `12单`)."""
        return example_quantity(self.measure)

    def key(self, member: str) -> str:
        """The form name of one member's field of a tally."""
        return f"{self.name}[{member}]"

    def member_key(self, row: int) -> str:
        """The form name of this input in member row `row` (from 1)."""
        return f"@member{row}:{self.name}"


def member_name_key(row: int) -> str:
    return f"@member{row}.name"


def member_role_key(row: int) -> str:
    return f"@member{row}.role"


@attrs.frozen
class Reading:
    name: str
    options: tuple[str, ...]
    declared: str  # the option the policy takes
    labels: dict[str, str] = attrs.field(factory=dict)  # option -> how output shows it
    # A documentary reading (no rule tests it: the policy's text fixes its choice) is shown as
    # text, the option taken and why (`because`), with no select: a run cannot take another.
    documentary: bool = False
    because: str = ""
    # Options no run can take (a daily cap's calendar_day): option -> why, shown disabled.
    refused: dict[str, str] = attrs.field(factory=dict)


def fields_of(policy: CheckedPolicy) -> list[Field]:
    """The form's fields, in the order the policy declares its inputs."""
    fields = []
    people = policy.people
    periods = people.period_of
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
                name in people.member_inputs,
                periods.get(name, ""),
            )
        )
    return fields


DUTY_KINDS = frozenset({"职责"})  # a rule of this kind is a unit's duty, not a case's benefit


def reported_by(policy: CheckedPolicy, rules: Sequence[RuleInfo]) -> dict[str, str]:
    """input → the units that report it (`区民政局`, several joined by 、; '' when the policy
    names none), for each input that is not the applicant's to give: a target's actual figure
    (the target's lead units, else its responsible ones) and an input that only duties (rules
    of a DUTY_KINDS kind: their responsible units, else their leads) read, no other rule and no
    decided value. `rules` are the compiled policy's RuleInfo, for the units. Worked out once a
    policy (up to 6 ms for 100 rules), then kept: the caller must not change the map."""
    kept = _REPORTED.get(id(policy))
    if kept is not None and kept[0] is policy:
        return kept[1]
    if len(_REPORTED) >= _REPORTED_KEPT:
        _REPORTED.clear()
    out = _reported_by(policy, rules)
    _REPORTED[id(policy)] = (policy, out)
    return out


_REPORTED: dict[int, tuple[CheckedPolicy, dict[str, str]]] = {}
_REPORTED_KEPT = 1000  # policies a server holds: more than any catalogue


def _reported_by(policy: CheckedPolicy, rules: Sequence[RuleInfo]) -> dict[str, str]:
    infos = {info.name: info for info in rules}
    out: dict[str, str] = {}
    for _owner, target in policy.file.all_targets():
        info = infos.get(target.name.text)
        out[target.name.text] = "、".join((info.leads or info.responsible) if info else ())
    by_duties: dict[str, list[str]] = {}
    read: set[str] = set()  # by a rule that is not a duty, or a decided value
    for _owner, rule in policy.file.all_rules():
        info = infos.get(rule.name.text)
        reads = policy.inputs_of(_rule_exprs(rule))
        if info is not None and info.kind in DUTY_KINDS:
            for name in reads:
                by_duties.setdefault(name, []).extend(info.responsible or info.leads)
        else:
            read.update(reads)
            if rule.valid_by is not None:
                read.add(rule.valid_by.text)
    read.update(policy.inputs_of(d.expr for d in policy.defines.values() if d.decided))
    for name, units in by_duties.items():
        if name not in read and name not in out:
            out[name] = "、".join(dict.fromkeys(units))
    return out


def _rule_exprs(rule: n.Rule) -> list[n.Expr]:
    """A rule's conditions, amount, cap and range ends."""
    exprs = [*rule.whens]
    if isinstance(rule.amount, n.Expr):
        exprs.append(rule.amount)
    if rule.cap is not None:
        exprs.append(rule.cap.amount)
    if rule.amount_range is not None:
        exprs += [rule.amount_range.low, rule.amount_range.high]
    return exprs


def member_rows(policy: CheckedPolicy, form: Mapping[str, str], more: int = 0) -> int:
    """How many member rows the form shows: what `@members` says or the rows filled in, at
    least MEMBER_ROWS, plus `more`, at most MAX_MEMBER_ROWS (0 for a policy without a group)."""
    if not policy.people.group:
        return 0
    said = form.get(MEMBERS, "").strip()
    rows = int(said) if said.isdigit() and len(said) < 4 else 0
    filled = [int(m[1]) for k in form if (m := re.match(r"@member(\d{1,3})[.:]", k))]
    return min(max(rows, *filled, MEMBER_ROWS) + more, MAX_MEMBER_ROWS)


def period_value(text: str) -> Any:
    """A per-period field's text as case data: None when empty, one value as text, or a map
    period -> value for lines `2026-03: 2400` (a line that is not one is kept as its own key,
    for the case reader to name)."""
    lines = [line.strip() for line in _PERIOD_LINES.split(text) if line.strip()]
    if not lines:
        return None
    matches = [_PERIOD_LINE.fullmatch(line) for line in lines]
    if len(lines) == 1 and matches[0] is None:
        return lines[0]
    return {
        (m[1] if m is not None else line): (m[2].strip() if m is not None else "")
        for m, line in zip(matches, lines, strict=True)
    }


def _input_value(field: Field, form: Mapping[str, str], key: str) -> Any:
    """One input's case data from the form field `key` (a tally: its members' fields), or None
    when left empty."""
    if field.kind == "keyed" and not field.per_member:
        parts = {m: v for m in field.options if (v := form.get(field.key(m), "").strip())}
        return parts or None
    if field.kind == "series":
        items = [x for x in _SERIES_SEPARATORS.split(form.get(key, "")) if x]
        return items or None
    if field.period:
        return period_value(form.get(key, ""))
    text = form.get(key, "").strip()
    if field.kind == "bool":
        return yes_no(text) or text or None  # another word: the case reader's message names it
    return text or None


def readings_of(policy: CheckedPolicy, declared: Mapping[str, str]) -> list[Reading]:
    """The form's readings; an option no run can take is listed in `refused` with why."""
    refused = refused_options(policy.file)
    return [
        Reading(
            name,
            tuple(o.name for o in decl.options),
            declared.get(name, ""),
            {o.name: option_label(policy, name, o.name) for o in decl.options},
            documentary=decl.documentary,
            because=decl.because,
            refused=refused.get(name, {}),
        )
        for name, decl in policy.readings.items()
    ]


def received_choices(policy: CheckedPolicy) -> list[str]:
    """The rules a case may say were already received: those the policy grants once."""
    return [r.name.text for _, r in policy.file.all_rules() if r.once is not None]


def chosen_readings(policy: CheckedPolicy, form: Mapping[str, str]) -> dict[str, str]:
    """The options the form chose (reading → option as typed, stripped); a reading left empty
    is left out (it takes the policy's option)."""
    return {
        name: option for name in policy.readings if (option := form.get(READING + name, "").strip())
    }


def case_data(policy: CheckedPolicy, form: Mapping[str, str], received: list[str]) -> Any:
    """The case the form's values stand for, every value as text; empty fields are left out."""
    data: dict[str, Any] = {"policy": policy.header.number}
    on = form.get(ON, "").strip()
    if on:
        data["on"] = on
    period = form.get(PERIOD, "").strip()
    if period:
        data["period"] = period
    fields = fields_of(policy)
    inputs: dict[str, Any] = {}
    for field in fields:
        if not field.per_member and (value := _input_value(field, form, field.name)) is not None:
            inputs[field.name] = value
    data["inputs"] = inputs
    members: dict[str, Any] = {}
    for row in range(1, member_rows(policy, form) + 1):
        name = form.get(member_name_key(row), "").strip()
        role = form.get(member_role_key(row), "").strip()
        own = {
            f.name: value
            for f in fields
            if f.per_member and (value := _input_value(f, form, f.member_key(row))) is not None
        }
        if not (name or own):
            continue  # an empty row (a role alone is the select's first choice)
        member: dict[str, Any] = {"role": role} if role else {}
        member["inputs"] = own
        members[name or f"成员{row}"] = member
    if members:
        data["members"] = members
    readings = chosen_readings(policy, form)
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
    if data.get("period") is not None:
        values[PERIOD] = _text(data["period"])
    inputs = data.get("inputs")
    by_name = {f.name: f for f in fields_of(policy)}
    _fill(values, by_name, inputs, lambda field: field.name)
    members = data.get("members")
    for row, (name, member) in enumerate(
        members.items() if isinstance(members, dict) else (), start=1
    ):
        if row > MAX_MEMBER_ROWS:
            break
        values[member_name_key(row)] = str(name)
        if isinstance(member, dict):
            values[member_role_key(row)] = _text(member.get("role"))
            place = functools.partial(Field.member_key, row=row)
            _fill(values, by_name, member.get("inputs"), place)
    if isinstance(members, dict) and members:
        values[MEMBERS] = str(min(len(members), MAX_MEMBER_ROWS))
    readings = data.get("readings")
    for name, option in readings.items() if isinstance(readings, dict) else ():
        values[READING + str(name)] = _text(option)
    received = data.get("received")
    chosen = [str(r) for r in received] if isinstance(received, list) else []
    return values, chosen


def _fill(values: dict[str, str], by_name: Mapping[str, Field], inputs: Any, key: Any) -> None:
    """The form values of `inputs` (a case's, or a member's), each at `key(field)`."""
    for name, value in inputs.items() if isinstance(inputs, dict) else ():
        field = by_name.get(name)
        if field is None or value is None:
            continue
        if field.period and isinstance(value, dict):
            values[key(field)] = "\n".join(f"{_text(p)}: {_text(v)}" for p, v in value.items())
        elif field.kind == "keyed" and isinstance(value, dict):
            for member, amount in value.items():
                values[field.key(str(member))] = _text(amount)
        elif field.kind == "series" and isinstance(value, list):
            values[key(field)] = ", ".join(_text(v) for v in value)
        else:
            values[key(field)] = _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dict, list)) or value is None:
        return ""
    return str(value)


def case_yaml(data: Any) -> str:
    """The case as a YAML case file `policyc run --case` reads."""
    header = "# 由 policyc serve 的表单生成的案例文件；用 policyc run POLICY --case 本文件 评估。\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def member_words(group: str, counted: str) -> tuple[str, str, str]:
    """The form's words for one row of the group: (a row holds, the name's label, the add
    button): a household's people (`一人`, 姓名, 添加一名成员); a group `counted 台`
    (`一台`, 名称, 添加一台); a group of things that does not say, 项."""
    if counted == "人" and any(word in group for word in ("家", "户")):
        return "一人", "姓名", "添加一名成员"
    word = counted if counted != "人" else "项"
    return f"一{word}", "名称", f"添加一{word}"
