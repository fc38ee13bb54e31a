"""Checks of a group's measure and of a limit on how many members an `each` rule pays.

"同一农户每年享受补贴的机具不超过2台":

    group 购置机具 counted 台 { role 机具 many }
    rule 农机购置补贴 {
        each 机具 at_most 2 台 less 本年已享受补贴台数 ordered by reading 机具先后 {
            价高者先: 销售价格 descending,
            申请顺序: as_listed,
        }
        …
    }

- `counted MEASURE` on a group: the measure `count(…)` of its members is in (a group whose
  name says 家 or 户 counts 人 without saying so; any other group that does not say is warned,
  and counts 人 as before);
- `at_most N MEASURE`: a whole number of 1 or more, in the group's measure;
- `less EXPR`: those already paid (an input of the case, outside any member), in the same
  measure;
- `ordered by KEY descending|ascending` (a member's input or a value decided per member: a
  quantity or a date, since an order compares them — an enum's members have none, a table
  gives them numbers; ties keep the case's listing order) or `ordered by as_listed`; or
  `ordered by reading R { OPTION: ORDER, … }`, one order per option of R, each exactly once
  (the reading is then tested: a run choosing another option changes which members are paid).

Each function takes the checker (compiler.checker._Checker) and reports through it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.i18n import _
from policyc.runtime.quantity import COUNTS, MeasureError, parse_measure

HOUSEHOLD_WORDS = ("家", "户")


def is_household(group: str) -> bool:
    """A group whose members are people without saying so: its name says 家 or 户."""
    return any(word in group for word in HOUSEHOLD_WORDS)


def counted_measure(checker: Any, decl: n.GroupDecl) -> str:
    """The measure the group's members are counted in: its `counted` word (a counting measure,
    else an error), 人 for a household; 人 with a warning for any other group."""
    if decl.counted is not None:
        word = decl.counted.text
        if word not in COUNTS:
            checker.error(
                decl.counted.span,
                _("`counted {word}`: a group counts its members in a counting measure").format(
                    word=word
                ),
                " / ".join(COUNTS),
            )
            return "人"
        return word
    if not is_household(decl.name.text):
        checker.warn(
            decl.name.span,
            _(
                "group `{group}` does not say what its members are: they are counted in 人 "
                "(`count(…)`, the answer, the form); say so with `group {group} counted 人 "
                "{{ … }}` for people, or write the measure of things (`counted 台`, 件, 项 …)"
            ).format(group=decl.name.text),
            code="group-uncounted",
        )
    return "人"


def check_limit(checker: Any, rule: n.Rule) -> None:
    """A rule's `each … at_most …`: the number, what is already paid, and the order."""
    limit = rule.each_limit
    if limit is None or rule.each is None:
        return
    counted = checker.people.counted
    most = limit.most
    number = Decimal(most.number)
    if number != number.to_integral_value() or number < 1:
        checker.error(
            most.span,
            _("`at_most {number}`: a number of members is a whole number of 1 or more").format(
                number=most.number
            ),
        )
    if not most.measure:
        checker.error(
            most.span,
            _(
                "`at_most {number}` needs its measure: the group `{group}` counts its members "
                "in {counted}"
            ).format(number=most.number, group=checker.people.group, counted=counted),
            _("at_most {number} {counted}").format(number=most.number, counted=counted),
        )
    elif most.measure != counted and not _same_measure(most.measure, counted):
        checker.error(
            most.span,
            _(
                "`at_most {number} {measure}`: the group `{group}` counts its members in {counted}"
            ).format(
                number=most.number,
                measure=most.measure,
                group=checker.people.group,
                counted=counted,
            ),
            _("at_most {number} {counted}").format(number=most.number, counted=counted),
        )
    if limit.less is not None:
        from policyc.compiler.checker import UNKNOWN, Type

        got = checker.type_of(limit.less)
        want = Type("quantity", parse_measure(counted).dims)
        if got is not UNKNOWN and got != want:
            checker.error(
                limit.less.span,
                _("`less …` counts the {counted} already paid: expected {want}, not {got}").format(
                    counted=counted, want=want.describe(), got=got.describe()
                ),
                _("an input in {counted}, e.g. `input {example}: {counted}`").format(
                    counted=counted, example=already_paid_example(counted)
                ),
            )
    if limit.order is not None:
        _check_order(checker, limit.order)
    elif limit.reading is not None:
        _check_order_reading(checker, limit)


def already_paid_example(counted: str) -> str:
    """The name of an example `less` input in the group's own measure: 本年已享受补贴人数 for 人,
    本年已享受补贴台数 for 台 (the count of a measure is said MEASURE数: 人数, 台数, 件数)."""
    return f"本年已享受补贴{counted}数"


def _order_hint(checker: Any, key: str, got: Any) -> str:
    """What `ordered by` takes, and for an enum how to give its members an order."""
    if got.kind == "enum":
        members = checker.enums.get(got.enum, ())
        return _(
            "a quantity or a date of each member (an age, a price, a date); the members of "
            "{enum} ({members}) have no order of their own: give each a number in a table "
            "(`table {enum}排序表 by {enum} {{ … }}`), decide it per member "
            "(`decide {key}顺序 = {enum}排序表[{key}]`) and write `ordered by {key}顺序 descending`"
        ).format(enum=got.enum, members="、".join(members), key=key)
    return _("a quantity or a date of each member (an age, a price, a date)")


def _same_measure(written: str, counted: str) -> bool:
    try:
        return bool(written) and parse_measure(written).dims == parse_measure(counted).dims
    except MeasureError:
        return False


def _check_order(checker: Any, order: n.EachOrder) -> None:
    from policyc.compiler.checker import UNKNOWN

    key = order.key
    if key is None:
        return
    if not order.direction:
        checker.error(
            key.span,
            _(
                "`ordered by {key}`: say which come first, `{key} descending` (the highest) "
                "or `{key} ascending` (the lowest); or `ordered by as_listed`"
            ).format(key=key.text),
            _("descending / ascending"),
        )
    if key.text not in checker.people.member_inputs and key.text not in checker.member_defines:
        checker.error(
            key.span,
            _("`ordered by {key}`: the order reads each member's own value").format(key=key.text),
            _("an input `per member`, or a value decided per member"),
        )
        return
    checker.member_scope += 1
    try:
        got = checker.type_of(n.Ref(key.text, key.span))
    finally:
        checker.member_scope -= 1
    if got is not UNKNOWN and got.kind not in ("quantity", "date"):
        checker.error(
            key.span,
            _(
                "`ordered by {key}`: an order compares numbers or dates, and `{key}` is {got}"
            ).format(
                key=key.text,
                got=_("a member of the enum {enum}").format(enum=got.enum)
                if got.kind == "enum"
                else got.describe(),
            ),
            _order_hint(checker, key.text, got),
        )


def _check_order_reading(checker: Any, limit: n.EachLimit) -> None:
    assert limit.reading is not None
    name = limit.reading.text
    decl = checker.tested_reading(name, limit.reading.span)
    if decl is None:
        return
    checker.option_map(
        decl,
        [option for option, _order in limit.options],
        "ordered by",
        limit.reading.span,
        _("one order per option: `OPTION: 销售价格 descending` or `OPTION: as_listed`"),
    )
    for _option, order in limit.options:
        _check_order(checker, order)
