"""Case files (YAML or JSON): read safely, then validate against the inputs a policy declares.

Every problem names the file, the place (line:col for YAML) and the field, and says what was
expected; all problems of a file are reported together. Numbers are read as exact decimals from
their text, never through float.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs
import yaml

from policyc.compiler.checker import CheckedPolicy, InputInfo
from policyc.compiler.errors import InputError, did_you_mean
from policyc.runtime.dates import parse_iso_date
from policyc.runtime.quantity import MeasureError, Quantity, dims_text, parse_quantity_text

MAX_CASE_BYTES = 5_000_000
MAX_DEPTH = 32
CASE_KEYS = ("policy", "on", "inputs", "received", "readings", "expect", "description")


@attrs.frozen
class Where:
    """A place in a case file, for messages."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}" if self.line else self.path


@attrs.frozen
class Node:
    """A case-file value with where it was written."""

    value: Any  # str | Decimal | bool | date | None | list[Node] | dict[str, Node]
    where: Where


@attrs.frozen
class Case:
    path: str
    policy: str
    on: date | None
    inputs: dict[str, Any]
    received: tuple[str, ...]
    readings: dict[str, str]
    expect: dict[str, Any]


def read_case_file(path: Path) -> Node:
    """The parsed file as `Node`s; raises InputError for anything that is not a readable case."""
    try:
        if path.is_dir():
            raise InputError(f"{path}: is a folder, expected a case file (.yaml or .json)")
        if path.exists() and not path.is_file():
            raise InputError(f"{path}: not a regular file, expected a case file (.yaml or .json)")
        size = path.stat().st_size
        if size > MAX_CASE_BYTES:
            raise InputError(f"{path}: {size} bytes is too large for a case file")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty; expected a case with `inputs:`")
    if path.suffix.lower() == ".json":
        return _from_json(text, str(path))
    return _from_yaml(text, str(path))


def _from_json(text: str, path: str) -> Node:
    def reject(constant: str) -> Any:
        raise InputError(f"{path}: `{constant}` is not a number a case may hold")

    try:
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=reject)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply") from None
    return _wrap_plain(data, Where(path), 0)


def _wrap_plain(value: Any, where: Where, depth: int) -> Node:
    if depth > MAX_DEPTH:
        raise InputError(f"{where}: nested too deeply")
    if isinstance(value, dict):
        return Node({str(k): _wrap_plain(v, where, depth + 1) for k, v in value.items()}, where)
    if isinstance(value, list):
        return Node([_wrap_plain(v, where, depth + 1) for v in value], where)
    return Node(value, where)


def _from_yaml(text: str, path: str) -> Node:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        place = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        raise InputError(f"{place}: invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply") from None
    if root is None:
        raise InputError(f"{path}: the file is empty; expected a case with `inputs:`")
    return _convert(root, path, 0, {})


_BOOLS = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}


def _convert(node: yaml.Node, path: str, depth: int, seen: dict[int, Node]) -> Node:
    # Aliases come back as the same node object: convert each once, so that anchors which
    # expand exponentially cost nothing.
    if id(node) in seen:
        return seen[id(node)]
    where = Where(path, node.start_mark.line + 1, node.start_mark.column + 1)
    if depth > MAX_DEPTH:
        raise InputError(f"{where}: nested too deeply")
    result: Node
    if isinstance(node, yaml.MappingNode):
        items: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(f"{where}: a key must be a plain name")
            value = _convert(value_node, path, depth + 1, seen)
            # A field's problems are reported where its name is written.
            key_where = Where(path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            items[str(key_node.value)] = Node(value.value, key_where)
        result = Node(items, where)
    elif isinstance(node, yaml.SequenceNode):
        result = Node([_convert(v, path, depth + 1, seen) for v in node.value], where)
    else:
        result = Node(_scalar(node, where), where)
    seen[id(node)] = result
    return result


def _scalar(node: yaml.Node, where: Where) -> Any:
    text = str(node.value)
    tag = node.tag.rsplit(":", 1)[-1]
    if tag in ("int", "float"):
        cleaned = text.replace("_", "")
        if cleaned.lower().lstrip("+-") in (".nan", ".inf"):
            raise InputError(f"{where}: `{text}` is not a number a case may hold")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            return text  # 0x1F and the like: left as text, rejected by the field's check
        return number
    if tag == "bool":
        return _BOOLS.get(text.lower(), text)
    if tag == "null":
        return None
    if tag == "timestamp":
        try:
            return parse_iso_date(text)
        except ValueError:
            return text  # reported by the field that holds it, with the field's name
    return text


def load_case(path: Path, policy: CheckedPolicy) -> Case:
    """Read and validate a case file for `policy`; every problem is reported at once."""
    return validate_case(read_case_file(path), policy, str(path))


def validate_case(root: Node, policy: CheckedPolicy, path: str) -> Case:
    """A parsed case checked against `policy`; InputError lists every problem, one a line."""
    if not isinstance(root.value, dict):
        raise InputError(
            f"{root.where}: a case is a mapping with `inputs:` (and optionally "
            "`on:`, `received:`, `readings:`, `expect:`)"
        )
    problems: list[str] = []
    fields: dict[str, Node] = root.value
    for key, node in fields.items():
        if key not in CASE_KEYS:
            problems.append(
                f"{node.where}: unknown field `{key}`; a case has " + ", ".join(CASE_KEYS)
            )
    number = policy.header.number
    policy_node = fields.get("policy")
    if policy_node is not None and str(policy_node.value) != number:
        problems.append(
            f"{policy_node.where}: this case is for `{policy_node.value}`, not for {number}"
        )
    on = _date_field(fields.get("on"), "on", problems)
    inputs_node = fields.get("inputs")
    inputs: dict[str, Any] = {}
    if inputs_node is None or inputs_node.value is None:
        inputs_node = Node({}, root.where)
    if not isinstance(inputs_node.value, dict):
        problems.append(f"{inputs_node.where}: `inputs` must be a mapping of input names to values")
    else:
        inputs = validate_inputs(inputs_node.value, policy, problems, inputs_node.where)
    received = _names(fields.get("received"), "received", problems)
    rule_names = {r.name.text for _, r in policy.file.all_rules()}
    for name in received:
        if name not in rule_names:
            problems.append(
                f"{fields['received'].where}: `received` names `{name}`, which is not "
                "a rule of this policy"
            )
    readings = _readings(fields.get("readings"), policy, problems)
    expect_node = fields.get("expect")
    expect = _plain(expect_node) if expect_node is not None else {}
    if expect_node is not None and not isinstance(expect, dict):
        problems.append(f"{expect_node.where}: `expect` maps rule names to what they should give")
        expect = {}
    if problems:
        raise InputError("\n".join(problems))
    return Case(str(path), number, on, inputs, tuple(received), readings, expect or {})


def _plain(node: Node) -> Any:
    if isinstance(node.value, dict):
        return {k: _plain(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [_plain(v) for v in node.value]
    return node.value


def _date_field(node: Node | None, name: str, problems: list[str]) -> date | None:
    if node is None or node.value is None:
        return None
    if isinstance(node.value, date):
        return node.value
    try:
        return parse_iso_date(str(node.value))
    except ValueError as exc:
        problems.append(f"{node.where}: `{name}`: {exc}")
        return None


def _names(node: Node | None, field: str, problems: list[str]) -> list[str]:
    if node is None or node.value is None:
        return []
    if not isinstance(node.value, list) or not all(isinstance(v.value, str) for v in node.value):
        problems.append(f"{node.where}: `{field}` must be a list of rule names")
        return []
    return [v.value for v in node.value]


def _readings(node: Node | None, policy: CheckedPolicy, problems: list[str]) -> dict[str, str]:
    if node is None or node.value is None:
        return {}
    if not isinstance(node.value, dict):
        problems.append(f"{node.where}: `readings` maps a reading's name to the option to take")
        return {}
    chosen: dict[str, str] = {}
    for name, option in node.value.items():
        problem = reading_problem(policy, name, str(option.value))
        if problem:
            problems.append(f"{option.where}: {problem}")
        else:
            chosen[name] = str(option.value)
    return chosen


def reading_problem(policy: CheckedPolicy, name: str, option: str) -> str:
    """Why `name=option` is not a reading of this policy, or '' when it is."""
    decl = policy.readings.get(name)
    if decl is None:
        known = ", ".join(policy.readings) or "none"
        return f"`{name}` is not a reading of {policy.header.number} (its readings: {known})"
    options = [o.name for o in decl.options]
    if option not in options:
        return f"reading `{name}` has no option `{option}`; its options are {', '.join(options)}"
    return ""


def validate_inputs(
    given: dict[str, Node], policy: CheckedPolicy, problems: list[str], where: Where
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, node in given.items():
        info = policy.inputs.get(name)
        if info is None:
            hint = did_you_mean(name, list(policy.inputs))
            problems.append(f"{node.where}: unknown input `{name}`{hint}")
            continue
        if node.value is None:
            continue  # written but left empty: the same as not given
        try:
            values[name] = _value(info, node, policy)
        except _FieldError as exc:
            problems.append(f"{node.where}: input `{name}`: {exc}")
    for name, info in policy.inputs.items():
        if name in values:
            continue
        left_empty = name in given and given[name].value is None
        if info.decl.presence == "required" and (name not in given or left_empty):
            problems.append(f"{where}: missing input `{name}`: expected {_describe(info, policy)}")
        elif info.decl.presence == "default":
            values[name] = _default(info, policy)
    return values


class _FieldError(Exception):
    pass


def _describe(info: InputInfo, policy: CheckedPolicy) -> str:
    kind = info.type.kind
    if kind == "enum":
        return "one of " + ", ".join(policy.enums[info.type.enum])
    if kind == "bool":
        return "true or false"
    if kind == "date":
        return "a date (YYYY-MM-DD)"
    if kind == "series":
        return f"a list of numbers of {info.measure.name if info.measure else 'plain units'}"
    measure = info.measure.name if info.measure else ""
    if kind == "keyed":
        members = ", ".join(policy.enums[info.type.enum])
        return f"a mapping from {info.type.enum} ({members}) to {measure}"
    return f"a number of {measure or 'plain units'} (a bare number is read in {measure or 'units'})"


def _value(info: InputInfo, node: Node, policy: CheckedPolicy) -> Any:
    kind, value = info.type.kind, node.value
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if value in ("是", "否"):
            return value == "是"
        raise _FieldError(f"expected true or false, got {_shown(value)}")
    if kind == "date":
        if isinstance(value, date):
            return value
        try:
            return parse_iso_date(str(value))
        except ValueError as exc:
            raise _FieldError(str(exc)) from None
    if kind == "enum":
        members = policy.enums[info.type.enum]
        if isinstance(value, str) and value in members:
            return value
        close = did_you_mean(str(value), members) if isinstance(value, str) else ""
        raise _FieldError(f"expected one of {', '.join(members)}, got {_shown(value)}{close}")
    if kind == "series":
        if not isinstance(value, list):
            raise _FieldError(
                f"expected a list of numbers of {info.measure.name if info.measure else ''}"
                f" (one per day), got {_shown(value)}"
            )
        if not value:
            raise _FieldError("expected at least one value (one per day), got an empty list")
        return tuple(_quantity(info, item.value, series=True) for item in value)
    if kind == "keyed":
        if not isinstance(value, dict):
            raise _FieldError(f"expected {_describe(info, policy)}, got {_shown(value)}")
        members = policy.enums[info.type.enum]
        tally: dict[str, Quantity] = {}
        for member in members:
            entry = value.get(member)
            tally[member] = (
                _quantity(info, entry.value) if entry is not None else Quantity.of(0, info.measure)  # type: ignore[arg-type]
            )
        unknown = [k for k in value if k not in members]
        if unknown:
            raise _FieldError(f"`{unknown[0]}` is not one of {', '.join(members)}")
        return tally
    return _quantity(info, value)


def _quantity(info: InputInfo, value: Any, series: bool = False) -> Quantity:
    assert info.measure is not None
    if isinstance(value, bool) or not isinstance(value, (Decimal, str)):
        raise _FieldError(f"expected a number of {info.measure.name}, got {_shown(value)}")
    try:
        quantity = parse_quantity_text(str(value), info.measure)
    except MeasureError as exc:
        raise _FieldError(str(exc)) from None
    if quantity.dims != (info.type.dims if not series else info.measure.dims):
        raise _FieldError(
            f"expected a quantity in {info.measure.name}, got {_shown(value)} "
            f"(a quantity in {dims_text(quantity.dims) or 'plain units'})"
        )
    if quantity.value < 0:
        raise _FieldError(f"must not be negative, got {_shown(value)}")
    return quantity


def _default(info: InputInfo, policy: CheckedPolicy) -> Any:
    from policyc.compiler import nodes as n
    from policyc.compiler.checker import constant

    default = info.decl.default
    if isinstance(default, n.BoolLit):
        return default.value
    if isinstance(default, n.DateLit):
        return default.value
    if isinstance(default, n.Expr):
        return constant(default)
    return default


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = str(value)
    return f"`{text[:40]}{'…' if len(text) > 40 else ''}`"


# ---- cases that arrive as data (the web service) ---------------------------------------------


def read_case_text(text: str, name: str, as_json: bool) -> Node:
    """A case's text parsed as `read_case_file` parses a file (JSON or YAML): numbers exact,
    places named after `name`; raises InputError."""
    if len(text.encode("utf-8")) > MAX_CASE_BYTES:
        raise InputError(f"{name}: too large for a case file")
    if not text.strip():
        raise InputError(f"{name}: the file is empty; expected a case with `inputs:`")
    if as_json:
        return _from_json(text, name)
    return _from_yaml(text, name)


def plain_data(node: Node) -> Any:
    """A parsed case as plain data: dicts, lists, Decimal, str, bool, date, None."""
    return _plain(node)


def case_from_data(data: Any, policy: CheckedPolicy, name: str) -> Case:
    """Validate already-parsed case data (numbers as Decimal or text, never float) for `policy`,
    with the messages `load_case` gives for a JSON file called `name`; raises InputError."""
    return validate_case(_wrap_plain(data, Where(name), 0), policy, name)
