"""A case's period, its inputs per period and the members of its group (issue 12).

```yaml
period: 2017-01                      # or 2017; `on` defaults to the period's first day
inputs:
  工资: {2016-12: 2000, 2017: 24000} # an input per period: one value (the evaluated period's)
members:                              # or a map period -> value
  张三: {role: 申请人, inputs: {出生日期: 1980-01-01, 月收入: {2017-01: 3000}}}
```

Every problem names its place (`members.张三.inputs.月收入`) and what was expected; they are
reported with the rest of the case's problems.
"""

from __future__ import annotations

import decimal
import itertools
from collections.abc import Callable

from policyc.compiler.errors_base import did_you_mean
from policyc.compiler.i18n import _
from policyc.runtime.people import (
    CaseInputs,
    Member,
    first_day,
    period_kind,
    spread_over_months,
    within_period,
)

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any, TypeAlias

    from policyc.cases import Case, Node, Where
    from policyc.compiler.checker import CheckedPolicy, InputInfo
    from policyc.compiler.run_view import InputView, RunView
    from policyc.problems import Problem

MEMBER_KEYS = ("role", "inputs")
ValueReader: TypeAlias = "Callable[[InputInfo | InputView, Node], Any]"


def read_period(node: Node | None, problems: list[Problem]) -> str | None:
    """The case's `period:` (a month YYYY-MM or a year YYYY), or None."""
    if node is None or node.value is None:
        return None
    text = node.text if node.text is not None else str(node.value)
    try:
        period_kind(text)
    except ValueError as exc:
        problems.append(value_where(node.where).problem(str(exc), "period"))
        return None
    return text


def value_where(where: Where) -> Where:
    """Where the value of a field written `key: value` on one line starts (a field's Node is
    placed at its key): the problem of a value then points at the value itself. Falls back to
    the key's place for a file that cannot be read again or a value on the next line."""
    if not where.line or not where.column:
        return where
    try:
        with open(where.path, encoding="utf-8") as handle:
            line = next(itertools.islice(handle, where.line - 1, None), "")
    except (OSError, UnicodeDecodeError):
        return where
    colon = line.find(":", where.column - 1)
    if colon < 0:
        return where
    rest = line[colon + 1 :].split("#", 1)[0]
    if not rest.strip():
        return where
    column = colon + 2 + (len(rest) - len(rest.lstrip()))
    return where.evolve(column=column)  # type: ignore[no-any-return]


def periodic_value(
    name: str,
    info: InputInfo | InputView,
    node: Node,
    read: ValueReader,
    flow: bool,
    field: str,
    problems: list[Problem],
) -> tuple[Any, dict[str, Any]]:
    """An input per period: (its value for the evaluated period or None, its values by
    period). A mapping's keys are periods; a year given for a monthly flow is spread over its
    months, and refused when its twelfth is not an exact decimal."""
    if not isinstance(node.value, dict) or info.type.kind == "keyed":
        return read(info, node), {}
    values: dict[str, Any] = {}
    for key, item in node.value.items():
        place = f"{field}.{key}"
        try:
            kind = period_kind(key)
        except ValueError as exc:
            problems.append(
                item.where.problem(_("input `{name}`: {exc}").format(name=name, exc=exc), place)
            )
            continue
        if item.value is None:
            continue
        try:
            value = read(info, item)
        except ValueError as exc:  # the case reader's own field error
            problems.append(
                item.where.problem(
                    _("input `{name}` for {key}: {exc}").format(name=name, key=key, exc=exc), place
                )
            )
            continue
        if kind == "year" and flow and info.type.kind == "quantity":
            try:
                spread_over_months(value)
            except decimal.Inexact:
                problems.append(
                    item.where.problem(
                        _(
                            "input `{name}` for {key}: the year's value is spread evenly over its "
                            "12 months, and its twelfth is not an exact amount; give the months "
                            "instead"
                        ).format(name=name, key=key),
                        place,
                    )
                )
                continue
        values[key] = value
    return None, values


def read_members(
    node: Node | None,
    policy: CheckedPolicy | RunView,
    read: ValueReader,
    problems: list[Problem],
    where: Where,
) -> tuple[Member, ...]:
    """The case's `members:`: each named, in a declared role, with its own inputs; a role over
    its number, a missing required role, an unknown role or input is refused naming the place."""
    people = policy.people
    if node is None or node.value is None:
        if people.group and any(least for _, least, _ in people.roles):
            needed = "、".join(role for role, least, _ in people.roles if least)
            problems.append(
                where.problem(
                    _("missing `members:`: the {people_group} needs its {needed}").format(
                        people_group=people.group, needed=needed
                    ),
                    "members",
                )
            )
        return ()
    if not people.group:
        problems.append(
            node.where.problem(
                _("this policy declares no group: a case has no `members`"), "members"
            )
        )
        return ()
    if not isinstance(node.value, dict):
        problems.append(
            node.where.problem(
                _("`members` must map each member's name to `{role: …, inputs: {…}}`"), "members"
            )
        )
        return ()
    roles = {role: (least, most) for role, least, most in people.roles}
    members: list[Member] = []
    placed: list[tuple[str, str, Where]] = []  # (member, role, where its role is written)
    for name, entry in node.value.items():
        field = f"members.{name}"
        if not isinstance(entry.value, dict):
            problems.append(
                entry.where.problem(
                    _("member `{name}`: expected `{{role: …, inputs: {{…}}}}`").format(name=name),
                    field,
                )
            )
            continue
        for key, part in entry.value.items():
            if key not in MEMBER_KEYS:
                problems.append(
                    part.where.problem(
                        _(
                            "member `{name}`: unknown field `{key}` (a member has role, inputs)"
                        ).format(name=name, key=key),
                        f"{field}.{key}",
                    )
                )
        role_node = entry.value.get("role")
        role = str(role_node.value) if role_node is not None and role_node.value is not None else ""
        if role not in roles:
            hint = did_you_mean(role, list(roles)) if role else ""
            where_role = role_node.where if role_node is not None else entry.where
            message = (
                _("member `{name}`: `{role}` is not a role of {people_group}{hint}").format(
                    name=name, role=role, people_group=people.group, hint=hint
                )
                if role
                else _("member `{name}` has no `role`").format(name=name)
            )
            listed = _(" (the roles of {people_group}: {roles})").format(
                people_group=people.group, roles=", ".join(roles)
            )
            problems.append(where_role.problem(message + listed, f"{field}.role"))
            continue
        member = Member(name, role, {})
        placed.append((name, role, role_node.where if role_node is not None else entry.where))
        given = entry.value.get("inputs")
        if given is not None and given.value is not None:
            if not isinstance(given.value, dict):
                problems.append(
                    given.where.problem(
                        _("member `{name}`: `inputs` must be a mapping").format(name=name),
                        f"{field}.inputs",
                    )
                )
            else:
                _member_inputs(member, given.value, policy, read, problems, f"{field}.inputs")
        members.append(member)
    for role, (least, most) in roles.items():
        count = sum(1 for m in members if m.role == role)
        if most is not None and count > most:
            them = [(name, where) for name, r, where in placed if r == role]
            named = ", ".join(
                _("`{name}` at line {line}").format(name=name, line=where.line)
                if where.line
                else f"`{name}`"
                for name, where in them
            )
            extra, extra_where = them[most]  # the first member over the number allowed
            problems.append(
                extra_where.problem(
                    _(
                        "{count} members are {role} ({named}); {people_group} allows at most {most}"
                    ).format(
                        count=count, role=role, named=named, people_group=people.group, most=most
                    ),
                    ".".join(("members", extra, "role")),
                )
            )
        if count < least:
            problems.append(
                node.where.problem(
                    _("{people_group} needs a member who is {role}").format(
                        people_group=people.group, role=role
                    ),
                    "members",
                )
            )
    return tuple(members)


def _member_inputs(
    member: Member,
    given: dict[str, Node],
    policy: CheckedPolicy | RunView,
    read: ValueReader,
    problems: list[Problem],
    field: str,
) -> None:
    people = policy.people
    for input_name, value_node in given.items():
        place = f"{field}.{input_name}"
        info = policy.inputs.get(input_name)
        if info is None or input_name not in people.member_inputs:
            if info is None:
                hint = did_you_mean(input_name, sorted(people.member_inputs))
                why = _("unknown input `{name}`{hint}").format(name=input_name, hint=hint)
            else:
                why = _("input `{name}` is the household's: give it under `inputs:`").format(
                    name=input_name
                )
            problems.append(
                value_node.where.problem(
                    _("member `{member_name}`: {why}").format(member_name=member.name, why=why),
                    place,
                )
            )
            continue
        if value_node.value is None:
            continue
        try:
            if input_name in people.period_of:
                value, series = periodic_value(
                    input_name, info, value_node, read, input_name in people.flows, place, problems
                )
                if series:
                    member.series[input_name] = series
                elif value is not None:
                    member.inputs[input_name] = value
            else:
                member.inputs[input_name] = read(info, value_node)
        except ValueError as exc:
            problems.append(
                value_node.where.problem(
                    _("member `{member_name}`: input `{input_name}`: {exc}").format(
                        member_name=member.name, input_name=input_name, exc=exc
                    ),
                    place,
                )
            )


def case_inputs(
    values: dict[str, Any],
    series: dict[str, dict[str, Any]],
    period: str | None,
    members: tuple[Member, ...],
) -> CaseInputs:
    inputs = CaseInputs(values)
    inputs.series = series
    inputs.period = period
    inputs.members = members
    return inputs


def with_period(case: Case, period: str) -> Case:
    """`case` evaluated for `period` (`run --period`): on the case's own `on:` when that day
    lies within `period` (as a case file's `period:` keeps its `on:`), else on the period's
    first day (`--on` may still say otherwise); raises InputError for a period that is not
    one."""
    from policyc.compiler.errors_base import InputError

    try:
        start = first_day(period)
    except ValueError as exc:
        raise InputError(_("--period {period}: {exc}").format(period=period, exc=exc)) from None
    inputs = case_inputs(
        dict(case.inputs),
        dict(getattr(case.inputs, "series", {})),
        period,
        tuple(getattr(case.inputs, "members", ())),
    )
    on = case.on if case.on is not None and within_period(case.on, period) else start
    return case.evolve(on=on, inputs=inputs)  # type: ignore[no-any-return]
