"""Case files (YAML or JSON): read safely, then validate against the inputs a policy declares.

Every problem names the file, the place (line:col for YAML) and the field, and says what was
expected; all problems of a file are reported together. Numbers are read as exact decimals from
their text, never through float.

Reading a file is `case_files`, values of inputs `case_values`, the words of messages
`case_words`; this module checks a case's fields (`on`, `period`, `inputs`, `received`,
`readings`, `expect`, `members`) and builds the `Case`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from policyc import case_people
from policyc.case_files import MAX_CASE_BYTES as MAX_CASE_BYTES
from policyc.case_files import MAX_DEPTH as MAX_DEPTH
from policyc.case_files import DuplicateKeys, wrap_plain
from policyc.case_files import Node as Node
from policyc.case_files import Where as Where
from policyc.case_files import plain_data as plain_data
from policyc.case_files import read_case_file as read_case_file
from policyc.case_files import read_case_text as read_case_text
from policyc.case_files import read_json_data as read_json_data
from policyc.case_values import iso_date, take_series, validate_inputs, value_reader
from policyc.case_words import as_written, close_word, not_a_rule, shown_value, yes_no_note
from policyc.compiler.errors_base import did_you_mean
from policyc.compiler.i18n import _
from policyc.compiler.run_view import RunView, as_view
from policyc.problems import Problem, ProblemsError
from policyc.report import STATUS_WORDS, status_words
from policyc.runtime.deadlines import DUES
from policyc.runtime.people import first_day, within_period
from policyc.runtime.plain import Frozen, _set
from policyc.runtime.quantity import MeasureError, Quantity
from policyc.runtime.quantity_reading import parse_quantity_text

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

    from policyc.compiler.checker import CheckedPolicy
    from policyc.compiler.files import StrPath

CASE_KEYS = (
    "policy", "on", "inputs", "received", "readings", "expect", "description", "period", "members",
)  # fmt: skip
# `low` and `high`: the ends of an `amount range` (a fine set within a range)
EXPECT_KEYS = (
    "status", "due", "amount", "uncapped", "low", "high", "value", "members", "paid",
)  # fmt: skip


class Expectation(Frozen):
    """What a case expects of one rule: a status, and amounts (None: expected to have none);
    `amounts` holds only the keys the case wrote. `value` is what a `decide` should come to
    (an enum member, a quantity such as `20%`, true or false), as the case wrote it. `paid`:
    whether the rule's amount counts in the case's total (false for a rule that applies but a
    `choose highest of` does not keep; None: not expected). `due`: for a target with a `by`
    day, which side of it the result is on (one of runtime.deadlines.DUES, the JSON's `due`);
    None: not expected."""

    _fields = ("status", "amounts", "where", "value", "members", "places", "paid", "due")
    __slots__ = _fields

    status: str | None
    amounts: dict[str, Quantity | None]
    where: Where
    value: Node | None
    members: Node | None  # each member's expectation: read by cli/testing.py
    places: dict[str, Where]  # where each amount is written (for a message at its place)
    paid: bool | None
    due: str | None

    def __init__(
        self,
        status: str | None,
        amounts: dict[str, Quantity | None],
        where: Where,
        value: Node | None = None,
        members: Node | None = None,
        places: dict[str, Where] | None = None,
        paid: bool | None = None,
        due: str | None = None,
    ):
        _set(self, "status", status)
        _set(self, "amounts", amounts)
        _set(self, "where", where)
        _set(self, "value", value)
        _set(self, "members", members)
        _set(self, "places", places or {})
        _set(self, "paid", paid)
        _set(self, "due", due)


class Case(Frozen):
    _fields = ("path", "policy", "on", "inputs", "received", "readings", "expect")
    __slots__ = _fields
    path: str
    policy: str
    on: date | None
    inputs: dict[str, Any]
    received: tuple[str, ...]
    readings: dict[str, str]
    expect: dict[str, Expectation]

    def __init__(
        self,
        path: str,
        policy: str,
        on: date | None,
        inputs: dict[str, Any],
        received: tuple[str, ...],
        readings: dict[str, str],
        expect: dict[str, Expectation],
    ):
        _set(self, "path", path)
        _set(self, "policy", policy)
        _set(self, "on", on)
        _set(self, "inputs", inputs)
        _set(self, "received", received)
        _set(self, "readings", readings)
        _set(self, "expect", expect)


def load_case(path: StrPath, policy: CheckedPolicy | RunView, remember: bool = False) -> Case:
    """Read and validate a case file for `policy`; every problem is reported at once, as a
    `ProblemsError` (an InputError) whose problems name the file, line, column and field. A
    key written twice is one problem among the others, not the only one reported. With
    `remember`, a YAML case's parse is kept by its content (`read_case_file`)."""
    try:
        root, found = read_case_file(path, remember), []
    except DuplicateKeys as exc:
        root, found = exc.root, exc.problems
    return validate_case(root, policy, str(path), found)


def validate_case(
    root: Node, policy: CheckedPolicy | RunView, path: str, found: Iterable[Problem] = ()
) -> Case:
    """A parsed case checked against `policy`; every problem at once (after those `found`
    while reading it), as a ProblemsError."""
    policy = as_view(policy)
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
                        close_word_key_CASE_KEYS=close_word(key, CASE_KEYS),
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
    elif on is not None and period is not None and not within_period(on, period):
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
            where = _part_place(inputs_node, field, policy.parts)
            problems.append(where.problem(problem, f"inputs.{field}"))
    rule_names = result_names(policy)
    received = _received(fields.get("received"), rule_names, number, problems)
    readings = _readings(fields.get("readings"), policy, problems)
    # a `define` is expected as a decided value is (cli/testing.py evaluates it for the case)
    expected = [*rule_names, *(name for name in policy.defines if name not in rule_names)]
    expect = _expectations(fields.get("expect"), expected, number, problems)
    people = policy.people
    if people.group or people.periods or period is not None:
        members = case_people.read_members(
            fields.get("members"), policy, value_reader(policy), problems, root.where
        )
        inputs = case_people.case_inputs(inputs, take_series(inputs), period, members)
    elif "members" in fields:
        no_group = "this policy declares no group: a case has no `members`"
        problems.append(fields["members"].where.problem(no_group, "members"))
    if problems:
        raise ProblemsError(problems)
    return Case(str(path), number, on, inputs, tuple(received), readings, expect)


def result_names(policy: CheckedPolicy | RunView) -> list[str]:
    """The names `run` gives results under: rules, targets and decided conditions."""
    return list(as_view(policy).result_names)


def _part_place(inputs_node: Node, field: str, parts: Mapping[str, Sequence[str]]) -> Where:
    """Where a part-over-whole problem is shown: at `field` if the case writes it, else at the
    last part of the same whole the case writes (a part left to its declared default has no
    line of its own: a hypothesis run found the KeyError this was), else at `inputs`."""
    written = inputs_node.value
    members = next((m for m in parts.values() if field in m), (field,))
    for name in (field, *reversed(members)):
        node = written.get(name)
        if isinstance(node, Node):
            return node.where
    return inputs_node.where


def _date_field(node: Node | None, name: str, problems: list[Problem]) -> date | None:
    if node is None or node.value is None:
        return None
    if isinstance(node.value, date):
        return node.value
    try:
        return iso_date(str(as_written(node)))
    except ValueError as exc:
        problems.append(node.where.problem(f"`{name}`: {exc}{yes_no_note(node)}", name))
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
                    f"`received`: {not_a_rule(as_written(item), rule_names, number)}", "received"
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
            problems.append(want.where.problem(not_a_rule(rule, rule_names, number), field))
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
                        shown_want_value=shown_value(want.value),
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
    places: dict[str, Where] = {}
    paid: bool | None = None
    due: str | None = None
    for key, entry in entries.items():
        if key not in EXPECT_KEYS:
            problems.append(
                entry.where.problem(
                    _(
                        "unknown field `{key}`{value} (an expectation has {join_EXPECT_KEYS})"
                    ).format(
                        key=key,
                        value=close_word(key, EXPECT_KEYS),
                        join_EXPECT_KEYS=", ".join(EXPECT_KEYS),
                    )
                    + _comma_note(key),
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
                shown = written if isinstance(written, str) else shown_value(written)
                hint = close_word(shown, words) if isinstance(written, str) else ""
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
        elif key == "due":  # a target's side of its `by` day, as the JSON answer words it
            written = as_written(entry)
            if isinstance(written, str) and written in DUES:
                due = written
            else:
                shown = written if isinstance(written, str) else shown_value(written)
                problems.append(
                    entry.where.problem(
                        _("unknown `due` `{shown}`{hint} (expected one of {listed})").format(
                            shown=shown,
                            hint=close_word(shown, DUES) if isinstance(written, str) else "",
                            listed=", ".join(DUES),
                        ),
                        f"{field}.due",
                    )
                )
        elif key == "members":  # each member's: read and compared by cli/testing.py
            members = entry
        elif key == "value":
            # Compared with the decided value when the case is tested: its type is the decision's.
            value = entry
        elif key == "paid":  # a rule applying but not kept by a choice: `paid: false`
            if isinstance(entry.value, bool):
                paid = entry.value
            else:
                problems.append(
                    entry.where.problem(
                        _("`paid`: expected true or false, got {shown}").format(
                            shown=shown_value(as_written(entry))
                        ),
                        f"{field}.paid",
                    )
                )
        elif entry.value is None:
            amounts[key] = None
        elif isinstance(entry.value, bool) or not isinstance(entry.value, (Decimal, str)):
            problems.append(
                entry.where.problem(
                    _("`{key}`: expected an amount such as `100万元`, got {shown}").format(
                        key=key, shown=shown_value(as_written(entry))
                    )
                    + yes_no_note(entry),
                    f"{field}.{key}",
                )
            )
        else:
            places[key] = entry.where
            try:
                amounts[key] = parse_quantity_text(str(entry.value), None)
            except MeasureError as exc:
                problems.append(entry.where.problem(f"`{key}`: {exc}", f"{field}.{key}"))
    if len(problems) > before:
        return None
    return Expectation(status, amounts, where, value, members, places, paid, due)


def _comma_note(key: str) -> str:
    """`{amount: 1,260元}`: YAML's `{…}` splits at the comma, leaving a field `260元`."""
    if not key[:1].isdigit():
        return ""
    return _(
        "; a comma inside `{{…}}` separates fields: quote a value that groups thousands, "
        '`amount: "1,260元"`'
    ).format()


def _readings(
    node: Node | None, policy: CheckedPolicy | RunView, problems: list[Problem]
) -> dict[str, str]:
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


def reading_problem(policy: CheckedPolicy | RunView, name: str, option: str) -> str:
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


def case_from_data(data: Any, policy: CheckedPolicy | RunView, name: str) -> Case:
    """Validate already-parsed case data (numbers as Decimal or text, never float) for `policy`,
    with the messages `load_case` gives for a JSON file called `name`; raises InputError. A
    case the short readers vouch for (`case_fast`, compiled once per policy) is read by them;
    any other, and every one with a problem, the full way."""
    from policyc.case_fast import fast_case  # the web service's: a `run` reads a file

    view = as_view(policy)
    case = fast_case(data, view, name)
    if case is not None:
        return case
    return validate_case(wrap_plain(data, Where(name), 0), view, name)
