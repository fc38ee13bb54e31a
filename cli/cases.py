"""Case files (YAML or JSON): read safely, then validate against the inputs a policy declares.

Every problem names the file, the place (line:col for YAML) and the field, and says what was
expected; all problems of a file are reported together. Numbers are read as exact decimals from
their text, never through float.
"""

from __future__ import annotations

import difflib
import json
import json.decoder
import json.scanner
from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs
import yaml

from policyc import case_people
from policyc.compiler.checker import CheckedPolicy, InputInfo
from policyc.compiler.errors import InputError, did_you_mean
from policyc.compiler.i18n import _, json_reason
from policyc.problems import Problem, ProblemsError
from policyc.report import STATUS_WORDS, status_words
from policyc.runtime.dates import parse_iso_date
from policyc.runtime.people import first_day
from policyc.runtime.quantity import (
    MeasureError,
    Quantity,
    parse_quantity_text,
    read_input_quantity,
)

MAX_CASE_BYTES = 5_000_000
MAX_DEPTH = 32
CASE_KEYS = (
    "policy", "on", "inputs", "received", "readings", "expect", "description", "period", "members",
)  # fmt: skip
EXPECT_KEYS = ("status", "amount", "uncapped", "value", "members")


@attrs.frozen
class Where:
    """A place in a case file, for messages."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}" if self.line else self.path

    def problem(self, message: str, field: str | None = None) -> Problem:
        return Problem(message, self.path, self.line or None, self.column or None, field)


@attrs.frozen
class Node:
    """A case-file value with where it was written."""

    value: Any  # str | Decimal | bool | date | None | list[Node] | dict[str, Node]
    where: Where
    # An unquoted scalar's text as written (a YAML plain scalar, a CSV cell), which an input of
    # an enum reads as a member when YAML's type for it does not fit (`yes`, `12`); else None.
    text: str | None = None


@attrs.frozen
class Expectation:
    """What a case expects of one rule: a status, and amounts (None: expected to have none);
    `amounts` holds only the keys the case wrote. `value` is what a `decide` should come to
    (an enum member, a quantity such as `20%`, true or false), as the case wrote it."""

    status: str | None
    amounts: dict[str, Quantity | None]
    where: Where
    value: Node | None = None
    members: Node | None = None  # each member's expectation: read by cli/testing.py


@attrs.frozen
class Case:
    path: str
    policy: str
    on: date | None
    inputs: dict[str, Any]
    received: tuple[str, ...]
    readings: dict[str, str]
    expect: dict[str, Expectation]


def read_case_file(path: Path) -> Node:
    """The parsed file as `Node`s; raises InputError for anything that is not a readable case."""
    try:
        if path.is_dir():
            raise InputError(
                _("{path}: is a folder, expected a case file (.yaml or .json)").format(
                    path=path,
                )
            )
        if path.exists() and not path.is_file():
            raise InputError(
                _("{path}: not a regular file, expected a case file (.yaml or .json)").format(
                    path=path,
                )
            )
        size = path.stat().st_size
        if size > MAX_CASE_BYTES:
            raise InputError(
                _("{path}: {size} bytes is too large for a case file").format(
                    path=path,
                    size=size,
                )
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(_("{path}: no such file").format(path=path)) from None
    except OSError as exc:
        raise InputError(
            _("{path}: cannot read ({exc_strerror})").format(
                path=path,
                exc_strerror=exc.strerror,
            )
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            _("{path}: not UTF-8 text (bad byte at offset {exc_start})").format(
                path=path,
                exc_start=exc.start,
            )
        ) from None
    if not text.strip():
        raise InputError(
            _("{path}: the file is empty; expected a case with `inputs:`").format(
                path=path,
            )
        )
    if path.suffix.lower() == ".json":
        return _from_json(text, str(path))
    return _from_yaml(text, str(path))


class _Offsets:
    """Line and column (1-based, in characters) of an offset into a text."""

    def __init__(self, text: str):
        self.starts = [0]
        at = text.find("\n")
        while at != -1:
            self.starts.append(at + 1)
            at = text.find("\n", at + 1)

    def where(self, path: str, offset: int) -> Where:
        line = bisect_right(self.starts, offset)
        return Where(path, line, offset - self.starts[line - 1] + 1)


@attrs.frozen
class _JsonObject:
    """A JSON object as parsed: its pairs in order and each key's offset."""

    pairs: list[tuple[str, Any]]
    key_offsets: list[int]


@attrs.frozen
class _JsonArray:
    items: list[Any]
    offsets: list[int]


_Scan = Callable[[str, int], tuple[Any, int]]


def _recording(scan_once: _Scan, spans: list[tuple[int, int]]) -> _Scan:
    """`scan_once` that notes where each value it reads starts and ends."""

    def scan(text: str, index: int) -> tuple[Any, int]:
        value, end = scan_once(text, index)
        spans.append((index, end))
        return value, end

    return scan


def _located_object(
    text_and_end: tuple[str, int],
    strict: bool,
    scan_once: _Scan,
    object_hook: Any,
    object_pairs_hook: Any,
    memo: dict[str, str] | None = None,
) -> tuple[_JsonObject, int]:
    # The standard library's object parser, with each member value's span noted: a member's
    # key is the first `"` after the previous member (only `,` and whitespace lie between),
    # which places every key without a JSON parser of our own.
    text, start = text_and_end
    spans: list[tuple[int, int]] = []
    pairs, end = json.decoder.JSONObject(  # type: ignore[attr-defined]
        (text, start), strict, _recording(scan_once, spans), None, list, memo
    )
    key_offsets: list[int] = []
    boundary = start
    for value_start, value_end in spans:
        key_offsets.append(text.index('"', boundary, value_start))
        boundary = value_end
    return _JsonObject(pairs, key_offsets), end


def _located_array(text_and_end: tuple[str, int], scan_once: _Scan) -> tuple[_JsonArray, int]:
    text, start = text_and_end
    spans: list[tuple[int, int]] = []
    items, end = json.decoder.JSONArray(  # type: ignore[attr-defined]
        (text, start), _recording(scan_once, spans)
    )
    return _JsonArray(items, [value_start for value_start, _ in spans]), end


def _from_json(text: str, path: str) -> Node:
    def reject(constant: str) -> Any:
        raise InputError(
            _("{path}: `{constant}` is not a number a case may hold").format(
                path=path,
                constant=constant,
            )
        )

    # The pure-Python scanner, because only it lets objects and arrays note their places.
    decoder = json.JSONDecoder(parse_float=Decimal, parse_int=Decimal, parse_constant=reject)
    decoder.parse_object = _located_object  # type: ignore[attr-defined]
    decoder.parse_array = _located_array  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        data = decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            _("{path}:{exc_lineno}:{exc_colno}: invalid JSON: {exc_msg}").format(
                path=path,
                exc_lineno=exc.lineno,
                exc_colno=exc.colno,
                exc_msg=json_reason(exc.msg),
            )
        ) from None
    except RecursionError:
        raise InputError(_("{path}: nested too deeply").format(path=path)) from None
    places = _JsonPlaces(path, _Offsets(text), [])
    first = len(text) - len(text.lstrip())
    root = _wrap_json(data, places.at(first), 0, places)
    if places.duplicates:
        raise DuplicateKeys(places.duplicates, root)
    return root


class DuplicateKeys(ProblemsError):
    """Keys written twice in a case file. `root` is the file read with each key's first value,
    so that `load_case` reports the file's other problems beside these, all at once."""

    def __init__(self, problems: list[Problem], root: Node):
        super().__init__(problems)
        self.root = root


@attrs.frozen
class _JsonPlaces:
    path: str
    offsets: _Offsets
    duplicates: list[Problem]

    def at(self, offset: int) -> Where:
        return self.offsets.where(self.path, offset)


def _wrap_json(value: Any, where: Where, depth: int, places: _JsonPlaces) -> Node:
    if depth > MAX_DEPTH:
        raise InputError(_("{where}: nested too deeply").format(where=where))
    if isinstance(value, _JsonObject):
        items: dict[str, Node] = {}
        for (key, item), offset in zip(value.pairs, value.key_offsets, strict=True):
            key_where = places.at(offset)
            if key in items:
                places.duplicates.append(_duplicate(key, items[key].where, key_where))
                continue
            # A field's problems are reported where its name is written.
            items[key] = Node(_wrap_json(item, key_where, depth + 1, places).value, key_where)
        return Node(items, where)
    if isinstance(value, _JsonArray):
        return Node(
            [
                _wrap_json(item, places.at(offset), depth + 1, places)
                for item, offset in zip(value.items, value.offsets, strict=True)
            ],
            where,
        )
    return Node(value, where)


def _duplicate(key: str, first: Where, again: Where) -> Problem:
    return again.problem(
        _(
            "`{key}` is written twice, first at {first_line}:{first_column} and again here; "
            "keep one (a case must not say two things about one field)"
        ).format(
            key=key,
            first_line=first.line,
            first_column=first.column,
        ),
        key,
    )


def _from_yaml(text: str, path: str) -> Node:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        place = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        raise InputError(
            _("{place}: invalid YAML: {exc_problem}").format(
                place=place,
                exc_problem=exc.problem,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(_("{path}: invalid YAML: {exc}").format(path=path, exc=exc)) from None
    except RecursionError:
        raise InputError(_("{path}: nested too deeply").format(path=path)) from None
    if root is None:
        raise InputError(
            _("{path}: the file is empty; expected a case with `inputs:`").format(
                path=path,
            )
        )
    duplicates: list[Problem] = []
    converted = _convert(root, path, 0, {}, duplicates)
    if duplicates:
        raise DuplicateKeys(duplicates, converted)
    return converted


_BOOLS = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}


def _convert(
    node: yaml.Node, path: str, depth: int, seen: dict[int, Node], duplicates: list[Problem]
) -> Node:
    # Aliases come back as the same node object: convert each once, so that anchors which
    # expand exponentially cost nothing.
    if id(node) in seen:
        return seen[id(node)]
    where = Where(path, node.start_mark.line + 1, node.start_mark.column + 1)
    if depth > MAX_DEPTH:
        raise InputError(_("{where}: nested too deeply").format(where=where))
    result: Node
    if isinstance(node, yaml.MappingNode):
        items: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(_("{where}: a key must be a plain name").format(where=where))
            # A field's problems are reported where its name is written.
            key_where = Where(path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            key = str(key_node.value)
            if key in items:
                duplicates.append(_duplicate(key, items[key].where, key_where))
                continue
            value = _convert(value_node, path, depth + 1, seen, duplicates)
            items[key] = Node(value.value, key_where, value.text)
        result = Node(items, where)
    elif isinstance(node, yaml.SequenceNode):
        result = Node([_convert(v, path, depth + 1, seen, duplicates) for v in node.value], where)
    else:
        plain = isinstance(node, yaml.ScalarNode) and node.style is None
        result = Node(_scalar(node, where), where, str(node.value) if plain else None)
    seen[id(node)] = result
    return result


def _scalar(node: yaml.Node, where: Where) -> Any:
    text = str(node.value)
    tag = node.tag.rsplit(":", 1)[-1]
    if tag in ("int", "float"):
        cleaned = text.replace("_", "")
        if cleaned.lower().lstrip("+-") in (".nan", ".inf"):
            raise InputError(
                _("{where}: `{text}` is not a number a case may hold").format(
                    where=where,
                    text=text,
                )
            )
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
    """Read and validate a case file for `policy`; every problem is reported at once, as a
    `ProblemsError` (an InputError) whose problems name the file, line, column and field. A
    key written twice is one problem among the others, not the only one reported."""
    try:
        root, found = read_case_file(path), []
    except DuplicateKeys as exc:
        root, found = exc.root, exc.problems
    return validate_case(root, policy, str(path), found)


def validate_case(
    root: Node, policy: CheckedPolicy, path: str, found: Iterable[Problem] = ()
) -> Case:
    """A parsed case checked against `policy`; every problem at once (after those `found`
    while reading it), as a ProblemsError."""
    if not isinstance(root.value, dict):
        raise ProblemsError(
            [
                *found,
                root.where.problem(
                    _(
                        "a case is a mapping with `inputs:` (and optionally "
                        "`on:`, `received:`, `readings:`, `expect:`)"
                    )
                ),
            ]
        )
    problems: list[Problem] = list(found)
    fields: dict[str, Node] = root.value
    for key, node in fields.items():
        if key not in CASE_KEYS:
            problems.append(
                node.where.problem(
                    _(
                        "unknown field `{key}`{close_word_key_CASE_KEYS} "
                        "(a case has {join_CASE_KEYS})"
                    ).format(
                        key=key,
                        close_word_key_CASE_KEYS=_close_word(key, CASE_KEYS),
                        join_CASE_KEYS=", ".join(CASE_KEYS),
                    ),
                    key,
                )
            )
    number = policy.header.number
    policy_node = fields.get("policy")
    if policy_node is not None and str(policy_node.value) != number:
        problems.append(
            policy_node.where.problem(
                _("this case is for `{policy_node_value}`, not for {number}").format(
                    policy_node_value=policy_node.value,
                    number=number,
                ),
                "policy",
            )
        )
    on = _date_field(fields.get("on"), "on", problems)
    period = case_people.read_period(fields.get("period"), problems)
    if on is None and period is not None:
        on = first_day(period)  # a period is evaluated on its first day unless `on` says
    elif on is not None and period is not None and not _within(on, period):
        # `on` picks the values in force (a standard raised in July) for the period's claim: a
        # date outside the period would apply another period's standard to it.
        problems.append(
            fields["on"].where.problem(
                _("`on: {on}` is outside `period: {period}`: give a date within the period").format(
                    on=on.isoformat(), period=period
                ),
                "on",
            )
        )
    inputs_node = fields.get("inputs")
    inputs: dict[str, Any] = {}
    if inputs_node is None or inputs_node.value is None:
        inputs_node = Node({}, root.where)
    if not isinstance(inputs_node.value, dict):
        problems.append(
            inputs_node.where.problem(
                _("`inputs` must be a mapping of input names to values"), "inputs"
            )
        )
    else:
        inputs = validate_inputs(inputs_node.value, policy, problems, inputs_node.where)
        for field, problem in policy.part_conflicts(inputs):
            problems.append(inputs_node.value[field].where.problem(problem, f"inputs.{field}"))
    rule_names = result_names(policy)
    received = _received(fields.get("received"), rule_names, number, problems)
    readings = _readings(fields.get("readings"), policy, problems)
    expect = _expectations(fields.get("expect"), rule_names, number, problems)
    people = policy.people
    if people.group or people.periods or period is not None:
        members = case_people.read_members(
            fields.get("members"), policy, _read_value(policy), problems, root.where
        )
        inputs = case_people.case_inputs(inputs, _series(inputs), period, members)
    elif "members" in fields:
        no_group = "this policy declares no group: a case has no `members`"
        problems.append(fields["members"].where.problem(no_group, "members"))
    if problems:
        raise ProblemsError(problems)
    return Case(str(path), number, on, inputs, tuple(received), readings, expect)


def _read_value(policy: CheckedPolicy) -> case_people.ValueReader:
    def read(info: InputInfo, node: Node) -> Any:
        try:
            return _value(info, node, policy)
        except _FieldError as exc:
            raise ValueError(str(exc)) from None

    return read


_SERIES = "\x00series"  # where validate_inputs leaves an input's values per period


def _series(inputs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return inputs.pop(_SERIES, {})  # type: ignore[no-any-return]


def result_names(policy: CheckedPolicy) -> list[str]:
    """The names `run` gives results under: rules, targets and decided conditions."""
    return [
        *(rule.name.text for _, rule in policy.file.all_rules()),
        *(target.name.text for _, target in policy.file.all_targets()),
        *(name for name, define in policy.defines.items() if define.decided),
    ]


def _close_word(word: str, choices: Iterable[str]) -> str:
    """A did-you-mean for the case file's own English words (fields, status words): spelling
    distance suits them, where the character overlap of `did_you_mean` suits Chinese names."""
    listed = list(choices)
    same = [c for c in listed if c.lower() == word.lower()]  # `On:` for `on:`
    close = same or difflib.get_close_matches(word, listed, n=2, cutoff=0.7)
    if not close:
        return ""
    return _("; did you mean {names}?").format(names=", ".join(f"`{c}`" for c in close))


def _not_a_rule(name: str, rule_names: list[str], number: str) -> str:
    return _("`{name}` is not a rule of {number}{value}").format(
        name=name,
        number=number,
        value=did_you_mean(name, rule_names),
    )


def _date_field(node: Node | None, name: str, problems: list[Problem]) -> date | None:
    if node is None or node.value is None:
        return None
    if isinstance(node.value, date):
        return node.value
    try:
        return parse_iso_date(str(as_written(node)))
    except ValueError as exc:
        problems.append(node.where.problem(f"`{name}`: {exc}{_yes_no_note(node)}", name))
        return None


def _received(
    node: Node | None, rule_names: list[str], number: str, problems: list[Problem]
) -> list[str]:
    if node is None or node.value is None:
        return []
    items = node.value if isinstance(node.value, list) else []
    if not isinstance(node.value, list) or not all(isinstance(as_written(v), str) for v in items):
        problems.append(
            node.where.problem(_("`received` must be a list of rule names"), "received")
        )
        return []
    names: list[str] = []
    for item in items:
        if as_written(item) in rule_names:
            names.append(as_written(item))
        else:
            # A list item's place is the list's when the reader gives none of its own.
            where = item.where if item.where.line else node.where
            problems.append(
                where.problem(
                    f"`received`: {_not_a_rule(as_written(item), rule_names, number)}", "received"
                )
            )
    return names


def _expectations(
    node: Node | None, rule_names: list[str], number: str, problems: list[Problem]
) -> dict[str, Expectation]:
    """`expect:` checked to the letter: known rules, known fields, known status words, amounts
    that read as quantities. Anything else is a case-file problem, never a silent pass."""
    if node is None or node.value is None:
        return {}
    if not isinstance(node.value, dict):
        problems.append(
            node.where.problem(_("`expect` maps rule names to what they should give"), "expect")
        )
        return {}
    expectations: dict[str, Expectation] = {}
    for rule, want in node.value.items():
        field = f"expect.{rule}"
        if rule not in rule_names:
            problems.append(want.where.problem(_not_a_rule(rule, rule_names, number), field))
            continue
        entries: dict[str, Node]
        if isinstance(want.value, str):
            entries = {"status": want}
        elif isinstance(want.value, dict):
            entries = want.value
        else:
            problems.append(
                want.where.problem(
                    _(
                        "expected a status ({join_STATUS_WORDS}) or a mapping with "
                        "{join_EXPECT_KEYS}, got {shown_want_value}"
                    ).format(
                        join_STATUS_WORDS=", ".join(STATUS_WORDS),
                        join_EXPECT_KEYS=", ".join(EXPECT_KEYS),
                        shown_want_value=_shown(want.value),
                    ),
                    field,
                )
            )
            continue
        expectation = _expectation(entries, want.where, field, problems)
        if expectation is not None:
            expectations[rule] = expectation
    return expectations


def _expectation(
    entries: dict[str, Node], where: Where, field: str, problems: list[Problem]
) -> Expectation | None:
    before = len(problems)
    status: str | None = None
    amounts: dict[str, Quantity | None] = {}
    value: Node | None = None
    members: Node | None = None
    for key, entry in entries.items():
        if key not in EXPECT_KEYS:
            problems.append(
                entry.where.problem(
                    _(
                        "unknown field `{key}`{value} (an expectation has {join_EXPECT_KEYS})"
                    ).format(
                        key=key,
                        value=_close_word(key, EXPECT_KEYS),
                        join_EXPECT_KEYS=", ".join(EXPECT_KEYS),
                    ),
                    f"{field}.{key}",
                )
            )
        elif key == "status":
            # The words `--only` takes: the JSON name, its Chinese word (适用, 不适用, 待定 …).
            words = status_words()
            written = as_written(entry)
            if isinstance(written, str) and written in words:
                status = words[written]
            else:
                shown = written if isinstance(written, str) else _shown(written)
                hint = _close_word(shown, words) if isinstance(written, str) else ""
                listed = "; ".join(f"{s} ({w})" for s, w in STATUS_WORDS.items())
                problems.append(
                    entry.where.problem(
                        _("unknown status `{shown}`{hint} (statuses: {listed})").format(
                            shown=shown,
                            hint=hint,
                            listed=listed,
                        ),
                        f"{field}.status",
                    )
                )
        elif key == "members":  # each member's: read and compared by cli/testing.py
            members = entry
        elif key == "value":
            # Compared with the decided value when the case is tested: its type is the decision's.
            value = entry
        elif entry.value is None:
            amounts[key] = None
        elif isinstance(entry.value, bool) or not isinstance(entry.value, (Decimal, str)):
            problems.append(
                entry.where.problem(
                    _("`{key}`: expected an amount such as `100万元`, got {shown}").format(
                        key=key, shown=_shown(as_written(entry))
                    )
                    + _yes_no_note(entry),
                    f"{field}.{key}",
                )
            )
        else:
            try:
                amounts[key] = parse_quantity_text(str(entry.value), None)
            except MeasureError as exc:
                problems.append(entry.where.problem(f"`{key}`: {exc}", f"{field}.{key}"))
    if len(problems) > before:
        return None
    return Expectation(status, amounts, where, value, members)


def _readings(node: Node | None, policy: CheckedPolicy, problems: list[Problem]) -> dict[str, str]:
    if node is None or node.value is None:
        return {}
    if not isinstance(node.value, dict):
        problems.append(
            node.where.problem(
                _("`readings` maps a reading's name to the option to take"), "readings"
            )
        )
        return {}
    chosen: dict[str, str] = {}
    for name, option in node.value.items():
        problem = reading_problem(policy, name, str(as_written(option)))
        if problem:
            problems.append(option.where.problem(problem, f"readings.{name}"))
        else:
            chosen[name] = str(as_written(option))
    return chosen


def reading_problem(policy: CheckedPolicy, name: str, option: str) -> str:
    """Why `name=option` is not a reading of this policy, or '' when it is."""
    decl = policy.readings.get(name)
    if decl is None:
        known = ", ".join(policy.readings) or "none"
        hint = did_you_mean(name, list(policy.readings))
        return _(
            "`{name}` is not a reading of {policy_header_number}{hint} (its readings: {known})"
        ).format(
            name=name,
            policy_header_number=policy.header.number,
            hint=hint,
            known=known,
        )
    if decl.documentary:
        return _(
            "reading `{name}` is documentary: its choice is written into the policy's rules, "
            "so a run cannot take another option (change the policy file instead)"
        ).format(
            name=name,
        )
    options = [o.name for o in decl.options]
    if option not in options:
        return _("reading `{name}` has no option `{option}`; its options are {options}").format(
            name=name, option=option, options=", ".join(options)
        )
    return ""


def validate_inputs(
    given: dict[str, Node], policy: CheckedPolicy, problems: list[Problem], where: Where
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, node in given.items():
        field = f"inputs.{name}"
        info = policy.inputs.get(name)
        if info is None:
            hint = did_you_mean(name, list(policy.inputs))
            problems.append(
                node.where.problem(
                    _("unknown input `{name}`{hint}").format(
                        name=name,
                        hint=hint,
                    ),
                    field,
                )
            )
            continue
        if node.value is None:
            continue  # written but left empty: the same as not given
        people = policy.people
        if name in people.member_inputs:
            per_member = _(
                "input `{name}` is per member: give it under `members: NAME: inputs:`"
            ).format(name=name)
            problems.append(node.where.problem(per_member, field))
            continue
        try:
            if name in people.period_of:
                value, series = case_people.periodic_value(
                    name, info, node, _read_value(policy), name in people.flows, field, problems
                )
                if series:
                    values.setdefault(_SERIES, {})[name] = series
                elif value is not None:
                    values[name] = value
            else:
                values[name] = _value(info, node, policy)
        except (_FieldError, ValueError) as exc:
            problems.append(
                node.where.problem(_("input `{name}`: {exc}").format(name=name, exc=exc), field)
            )
    for name, info in policy.inputs.items():
        if name in values or name in values.get(_SERIES, {}):
            continue
        if name in policy.people.member_inputs:
            continue  # a member's: a member that lacks it leaves what reads it undetermined
        left_empty = name in given and given[name].value is None
        if info.decl.presence == "required" and (name not in given or left_empty):
            problems.append(
                where.problem(
                    _("missing input `{name}`: expected {describe_info_policy}").format(
                        name=name,
                        describe_info_policy=_describe(info, policy),
                    ),
                    f"inputs.{name}",
                )
            )
        elif info.decl.presence == "default":
            values[name] = _default(info, policy)
    return values


class _FieldError(Exception):
    pass


def _describe(info: InputInfo, policy: CheckedPolicy) -> str:
    kind = info.type.kind
    if kind == "enum":
        return _("one of ") + ", ".join(policy.enums[info.type.enum])
    if kind == "bool":
        return _("true or false")
    if kind == "date":
        return _("a date (YYYY-MM-DD)")
    if kind == "series":
        return _("a list of numbers of {value}").format(
            value=info.measure.name if info.measure else "plain units",
        )
    measure = info.measure.name if info.measure else ""
    if kind == "keyed":
        members = ", ".join(policy.enums[info.type.enum])
        return _("a mapping from {info_type_enum} ({members}) to {measure}").format(
            info_type_enum=info.type.enum,
            members=members,
            measure=measure,
        )
    return _("a number of {measure} (a bare number is read in {bare})").format(
        measure=measure or _("plain units"), bare=measure or _("units")
    )


def _value(info: InputInfo, node: Node, policy: CheckedPolicy) -> Any:
    kind, value = info.type.kind, node.value
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if value in ("是", "否"):
            return value == "是"
        raise _FieldError(
            _("expected true or false, got {shown_value}").format(
                shown_value=_shown(value),
            )
        )
    if kind == "date":
        if isinstance(value, date):
            return value
        try:
            return parse_iso_date(str(as_written(node)))
        except ValueError as exc:
            raise _FieldError(f"{exc}{_yes_no_note(node)}") from None
    if kind == "enum":
        # A member is text: an unquoted `yes` or `12` is read as written, not as YAML's type.
        members = policy.enums[info.type.enum]
        if node.text is not None:
            value = node.text
        if isinstance(value, str) and value in members:
            return value
        close = did_you_mean(str(value), members) if isinstance(value, str) else ""
        raise _FieldError(
            _("expected one of {join_members}, got {shown_value}{close}").format(
                join_members=", ".join(members),
                shown_value=_shown(value),
                close=close,
            )
        )
    if kind == "series":
        if not isinstance(value, list):
            raise _FieldError(
                _("expected a list of numbers of {value} (one per day), got {shown_value}").format(
                    value=info.measure.name if info.measure else "",
                    shown_value=_shown(value),
                )
            )
        if not value:
            raise _FieldError(_("expected at least one value (one per day), got an empty list"))
        return tuple(_quantity(info, item.value, True, item) for item in value)
    if kind == "keyed":
        if not isinstance(value, dict):
            raise _FieldError(
                _("expected {describe_info_policy}, got {shown_value}").format(
                    describe_info_policy=_describe(info, policy),
                    shown_value=_shown(value),
                )
            )
        members = policy.enums[info.type.enum]
        tally: dict[str, Quantity] = {}
        for member in members:
            entry = value.get(member)
            tally[member] = (
                _quantity(info, entry.value, False, entry)
                if entry is not None
                else Quantity.of(0, info.measure)  # type: ignore[arg-type]
            )
        unknown = [k for k in value if k not in members]
        if unknown:
            raise _FieldError(
                _("`{unknown_0}` is not one of {join_members}").format(
                    unknown_0=unknown[0],
                    join_members=", ".join(members),
                )
            )
        return tally
    return _quantity(info, value, False, node)


def _quantity(
    info: InputInfo, value: Any, series: bool = False, node: Node | None = None
) -> Quantity:
    """`value` read in the input's measure; `node`, where it was written, for the message."""
    assert info.measure is not None
    if isinstance(value, bool) or not isinstance(value, (Decimal, str)):
        shown, note = (
            (_shown(as_written(node)), _yes_no_note(node)) if node else (_shown(value), "")
        )
        raise _FieldError(
            _("expected a number of {info_measure_name}, got {shown_value}").format(
                info_measure_name=info.measure.name, shown_value=shown
            )
            + note
        )
    dims = info.type.dims if not series else info.measure.dims
    try:
        return read_input_quantity(value, info.measure, dims)
    except MeasureError as exc:
        raise _FieldError(str(exc)) from None


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


def _within(day: date, period: str) -> bool:
    """Whether `day` lies in the month YYYY-MM or the year YYYY `period`."""
    text = day.isoformat()
    return text.startswith(period + "-")


def as_written(node: Node) -> Any:
    """The value, but an unquoted word that YAML 1.1 reads as a boolean (`yes`, `no`, `on`,
    `off`, `true`, `false`, any case) as the word written: where no boolean is expected (a
    reading's option, a rule's name, a status, a message) the case means the word."""
    if isinstance(node.value, bool) and node.text is not None:
        return node.text
    return node.value


def _yes_no_note(node: Node) -> str:
    """What to tell a drafter whose unquoted `no` (or `yes`, `on`, `off`, `true`, `false`) was
    read as a boolean where a boolean is not expected."""
    if not isinstance(node.value, bool) or node.text is None:
        return ""
    return _(" (YAML reads an unquoted `{word}` as a yes/no answer)").format(word=node.text)


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return _("a mapping") if isinstance(value, dict) else _("a list")
    text = str(value)
    return f"`{text[:40]}{'…' if len(text) > 40 else ''}`"


# ---- cases that arrive as data (the web service) ---------------------------------------------


def read_case_text(text: str, name: str, as_json: bool) -> Node:
    """A case's text parsed as `read_case_file` parses a file (JSON or YAML): numbers exact,
    places named after `name`; raises InputError."""
    if len(text.encode("utf-8")) > MAX_CASE_BYTES:
        raise InputError(_("{name}: too large for a case file").format(name=name))
    if not text.strip():
        raise InputError(
            _("{name}: the file is empty; expected a case with `inputs:`").format(
                name=name,
            )
        )
    if as_json:
        return _from_json(text, name)
    return _from_yaml(text, name)


class _Unplain(Exception):
    """The fast JSON reading met something only the locating reader words well."""


def _pairs_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Unplain
    return found


def _refuse_constant(constant: str) -> Any:
    raise _Unplain


def _shallow(value: Any, depth: int = 0) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, dict):
        return all(_shallow(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return all(_shallow(v, depth + 1) for v in value)
    return True


def read_json_data(text: str, name: str) -> Any:
    """A JSON case (or list of cases) as plain data, exactly `plain_data(read_case_text(text,
    name, as_json=True))`, read by the standard library's C parser: the web service reads
    every body this way. Only a body with a problem to report (invalid JSON, a key written
    twice, NaN, too deep) is read again by the locating reader, for its `line:column`
    messages; raises InputError as `read_case_text` does."""
    if len(text.encode("utf-8")) <= MAX_CASE_BYTES and text.strip():
        try:
            data = json.loads(
                text,
                parse_float=Decimal,
                parse_int=Decimal,
                parse_constant=_refuse_constant,
                object_pairs_hook=_pairs_once,
            )
        except (ValueError, _Unplain, RecursionError):
            pass
        else:
            if _shallow(data):
                return data
    return plain_data(read_case_text(text, name, as_json=True))


def plain_data(node: Node) -> Any:
    """A parsed case as plain data: dicts, lists, Decimal, str, bool, date, None."""
    return _plain(node)


def case_from_data(data: Any, policy: CheckedPolicy, name: str) -> Case:
    """Validate already-parsed case data (numbers as Decimal or text, never float) for `policy`,
    with the messages `load_case` gives for a JSON file called `name`; raises InputError."""
    return validate_case(_wrap_plain(data, Where(name), 0), policy, name)


def _wrap_plain(value: Any, where: Where, depth: int) -> Node:
    if depth > MAX_DEPTH:
        raise InputError(_("{where}: nested too deeply").format(where=where))
    if isinstance(value, dict):
        return Node({str(k): _wrap_plain(v, where, depth + 1) for k, v in value.items()}, where)
    if isinstance(value, list):
        return Node([_wrap_plain(v, where, depth + 1) for v in value], where)
    return Node(value, where)


def _plain(node: Node) -> Any:
    if isinstance(node.value, dict):
        return {k: _plain(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [_plain(v) for v in node.value]
    return node.value
