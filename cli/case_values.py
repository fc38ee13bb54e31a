"""A case's input values checked against the inputs a policy declares.

`validate_inputs(given, policy, problems, where)` returns each input's value (a Quantity in the
declared measure, a bool, a date, an enum member, a series, a tally by enum), defaults for inputs
left out, and appends a Problem naming the field for each unknown, missing or ill-typed input;
values per period are left under `SERIES` (`take_series` removes them). `read_value(info, node,
policy)` reads one value, raising `FieldError` with what was expected.
"""

from __future__ import annotations

import weakref
from datetime import date
from decimal import Decimal

from policyc import case_people
from policyc.case_files import Node, Where
from policyc.case_words import YES, as_written, shown_value, yes_no, yes_no_note
from policyc.compiler.errors_base import did_you_mean
from policyc.compiler.i18n import _
from policyc.compiler.run_view import InputView, RunView
from policyc.percent_values import bare_percent_problem, needs_sign
from policyc.problems import Problem
from policyc.runtime.dates import parse_iso_date
from policyc.runtime.quantity import MeasureError, Quantity, UndeclaredMeasure
from policyc.runtime.quantity_reading import example_quantity, read_input_quantity

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from policyc.compiler.checker import CheckedPolicy, InputInfo
    from policyc.runtime.quantity import Measure


def value_reader(policy: CheckedPolicy | RunView) -> case_people.ValueReader:
    def read(info: InputInfo | InputView, node: Node) -> Any:
        try:
            return read_value(info, node, policy)
        except FieldError as exc:
            raise ValueError(str(exc)) from None

    return read


# A number as `str(Decimal)` writes it without an exponent, not negative, within the digits
# parse_quantity_text reads (30 before the point, 30 after): `plain_number` tells it of a
# Decimal's text; case_fast reads `1.5万单` with it.
_PLAIN_NUMBER = r"[0-9]{1,30}(?:\.[0-9]{1,30})?"

SERIES = "\x00series"  # where validate_inputs leaves an input's values per period


def take_series(inputs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return inputs.pop(SERIES, {})  # type: ignore[no-any-return]


def validate_inputs(
    given: dict[str, Node], policy: CheckedPolicy | RunView, problems: list[Problem], where: Where
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    people = policy.people
    member_inputs, period_of = people.member_inputs, people.period_of
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
        if name in member_inputs:
            per_member = _(
                "input `{name}` is per member: give it under `members: NAME: inputs:`"
            ).format(name=name)
            problems.append(node.where.problem(per_member, field))
            continue
        try:
            if name in period_of:
                value, series = case_people.periodic_value(
                    name, info, node, value_reader(policy), name in people.flows, field, problems
                )
                if series:
                    values.setdefault(SERIES, {})[name] = series
                elif value is not None:
                    values[name] = value
            else:
                values[name] = read_value(info, node, policy)
        except (FieldError, ValueError) as exc:
            problems.append(
                node.where.problem(_("input `{name}`: {exc}").format(name=name, exc=exc), field)
            )
    series = values.get(SERIES, {})
    for name, info, required in _left_out(policy):
        if name in values or name in series:
            continue
        if required:
            if name not in given or given[name].value is None:
                problems.append(
                    where.problem(
                        _("missing input `{name}`: expected {describe_info_policy}").format(
                            name=name,
                            describe_info_policy=describe_input(info, policy),
                        ),
                        f"inputs.{name}",
                    )
                )
        else:
            values[name] = default_value(info, policy)
    return values


def _left_out(
    policy: CheckedPolicy | RunView,
) -> Sequence[tuple[str, InputInfo | InputView, bool]]:
    """The inputs a case may not leave out (True) or that have a default (False), in the
    policy's order, without a member's (a member that lacks it leaves what reads it
    undetermined): worked out once per view."""
    if isinstance(policy, RunView):
        known = _LEFT_OUT.get(policy)
        if known is None:
            known = _LEFT_OUT[policy] = _inputs_left_out(policy)
        return known
    return _inputs_left_out(policy)


def _inputs_left_out(
    policy: CheckedPolicy | RunView,
) -> Sequence[tuple[str, InputInfo | InputView, bool]]:
    member_inputs = policy.people.member_inputs
    return [
        (name, info, info.decl.presence == "required")
        for name, info in policy.inputs.items()
        if info.decl.presence in ("required", "default") and name not in member_inputs
    ]


_LEFT_OUT: weakref.WeakKeyDictionary[RunView, Sequence[tuple[str, InputInfo | InputView, bool]]] = (
    weakref.WeakKeyDictionary()
)


def iso_date(text: str) -> date:
    """`parse_iso_date(text)`, each text read once: the same dates come back case after case
    (dates are immutable, so one is shared); ValueError as parse_iso_date raises it."""
    found = _DATES.get(text)
    if found is None:
        found = parse_iso_date(text)
        if len(_DATES) >= _DATE_ENTRIES:
            _DATES.clear()
        _DATES[text] = found
    return found


_DATES: dict[str, date] = {}
_DATE_ENTRIES = 4096  # then started over


class FieldError(Exception):
    pass


def describe_input(info: InputInfo | InputView, policy: CheckedPolicy | RunView) -> str:
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
    if needs_sign(info):
        return _("a percentage with its sign, as in `5.5%`")
    return _("a number of {measure} (a bare number is read in {bare})").format(
        measure=measure or _("plain units"), bare=measure or _("units")
    )


def read_value(info: InputInfo | InputView, node: Node, policy: CheckedPolicy | RunView) -> Any:
    kind, value = info.type.kind, node.value
    if kind == "bool":
        if isinstance(value, bool):
            return value
        word = yes_no(value) if isinstance(value, str) else None
        if word is not None:  # 是/否, or a yes/no word written as text (`"true"`, a CSV cell)
            return word == YES
        raise FieldError(
            _(
                "expected 是 or 否 (or true/false, yes/no, on/off, in any letter case), "
                "got {shown_value}"
            ).format(shown_value=shown_value(value))
        )
    if kind == "date":
        if isinstance(value, date):
            return value
        try:
            return iso_date(str(as_written(node)))
        except ValueError as exc:
            raise FieldError(f"{exc}{yes_no_note(node)}") from None
    if kind == "enum":
        # A member is text: an unquoted `yes` or `12` is read as written, not as YAML's type.
        members = policy.enums[info.type.enum]
        if node.text is not None:
            value = node.text
        if isinstance(value, str) and value in members:
            return value
        close = did_you_mean(str(value), members) if isinstance(value, str) else ""
        raise FieldError(
            _("expected one of {join_members}, got {shown_value}{close}").format(
                join_members=", ".join(members),
                shown_value=shown_value(value),
                close=close,
            )
        )
    if kind == "series":
        if not isinstance(value, list):
            raise FieldError(
                _("expected a list of numbers of {value} (one per day), got {shown_value}").format(
                    value=info.measure.name if info.measure else "",
                    shown_value=shown_value(value),
                )
            )
        if not value:
            raise FieldError(_("expected at least one value (one per day), got an empty list"))
        return tuple(read_quantity(info, item.value, True, item) for item in value)
    if kind == "keyed":
        if not isinstance(value, dict):
            raise FieldError(
                _("expected {describe_info_policy}, got {shown_value}").format(
                    describe_info_policy=describe_input(info, policy),
                    shown_value=shown_value(value),
                )
            )
        members = policy.enums[info.type.enum]
        tally: dict[str, Quantity] = {}
        for member in members:
            entry = value.get(member)
            tally[member] = (
                read_quantity(info, entry.value, False, entry)
                if entry is not None
                else Quantity.of(0, info.measure)  # type: ignore[arg-type]
            )
        unknown = [k for k in value if k not in members]
        if unknown:
            raise FieldError(
                _("`{unknown_0}` is not one of {join_members}").format(
                    unknown_0=unknown[0],
                    join_members=", ".join(members),
                )
            )
        return tally
    return read_quantity(info, value, False, node)


def read_quantity(
    info: InputInfo | InputView, value: Any, series: bool = False, node: Node | None = None
) -> Quantity:
    """`value` read in the input's measure; `node`, where it was written, for the message."""
    assert info.measure is not None
    if isinstance(value, bool) or not isinstance(value, (Decimal, str)):
        shown, note = (
            (shown_value(as_written(node)), yes_no_note(node)) if node else (shown_value(value), "")
        )
        raise FieldError(
            _("expected a number of {info_measure_name}, got {shown_value}").format(
                info_measure_name=info.measure.name, shown_value=shown
            )
            + note
        )
    dims = info.type.dims if not series else info.measure.dims
    problem = bare_percent_problem(info, value)  # `5.5%`, never a bare 0.055
    if problem:
        raise FieldError(problem)
    if value.__class__ is Decimal and plain_number(str(value)):
        # A JSON number written out (most values a request gives): what read_input_quantity
        # makes of its text (a bare number, in the input's measure), without reading the text
        # again; anything it would refuse is left to it, for its message.
        measure = info.measure
        quantity = (
            Quantity(value, measure.dims) if str(measure.factor) == "1"
            else Quantity.of(value, measure)
        )  # fmt: skip  # (value × 1 is the value, exponent and all)
        if quantity.dims == dims and (
            not measure.whole or quantity.value == quantity.value.to_integral_value()
        ):
            return quantity
    try:
        return read_input_quantity(value, info.measure, dims)
    except MeasureError as exc:
        raise FieldError(for_the_case(exc, info.measure)) from None


def plain_number(text: str) -> bool:
    """Whether `text`, a number as `str(Decimal)` writes it, is written plainly, as
    `_PLAIN_NUMBER` matches it: digits (1 to 30), then perhaps a point and digits (1 to 30).
    Only ASCII digits, `-`, `.`, `E`, `+` and the names of NaN and Infinity are in such a text,
    so `isdigit` is `[0-9]+` (and quicker than the pattern)."""
    if text.isdigit():
        return len(text) <= 30
    whole, _point, fraction = text.partition(".")
    return whole.isdigit() and fraction.isdigit() and len(whole) <= 30 and len(fraction) <= 30


def for_the_case(error: MeasureError, measure: Measure) -> str:
    """A measure's error as one who fills in a case reads it: an undeclared measure's advice to
    declare it in the policy (`measure 方 …`, a drafter's remedy: `check` keeps it) replaced by
    what the value is given in — `unknown measure `方`: give the value in 立方米, as in `12立方米``;
    any other message as it is. The case's author is the one who answers, in a file, a form or a
    request: the measures are the policy's."""
    if not isinstance(error, UndeclaredMeasure):
        return str(error)
    return _("{message}: give the value in {measure}, as in `{example}`").format(
        message=error.head, measure=measure.name, example=example_quantity(measure)
    )


def default_value(info: InputInfo | InputView, policy: CheckedPolicy | RunView) -> Any:
    if isinstance(info, InputView):
        return info.decl.default  # the view holds the default's value (compiler/run_view.py)
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
