"""What the checker hands on: the types it gives expressions and the checked policy.

`Type` is an expression's type (a quantity of some dimensions, a condition, a date, a member of an
enum, a value by an enum, a series); `CheckedPolicy` is the AST plus what later stages need
(resolved units, input types, the validity period, the source line of each quote, readings,
conventions, rounding, shared caps, households). `constant` reads a literal quantity and
`mul_dims` multiplies dimensions; neither raises (an unknown measure gives None).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from policyc.compiler import group_checks
from policyc.compiler import nodes as n
from policyc.compiler.errors import Diagnostic
from policyc.compiler.i18n import _
from policyc.compiler.registry import Registry
from policyc.compiler.run_view import switchable, validity_under
from policyc.runtime.amounts import Rounding, SharedCapPlan
from policyc.runtime.choices import ChoicePlan
from policyc.runtime.quantity import (
    Declared,
    Dims,
    Measure,
    MeasureError,
    Quantity,
    dims_text,
    parse_measure,
)

MONEY_DIMS: tuple[Dims, ...] = ((("元", 1),), (("美元", 1),))


# Which way a rule's amount goes, from its `kind`: paid to the applicant, waived (a charge the
# applicant no longer owes), payable by the applicant, or lent (a loan the applicant may take
# and repays: 可贷额度, never money received). Totals add only amounts of one flow.
# A kind absent here has no flow: 资格 (an eligibility: 入驻国投产业园, what it grants in words),
# 鼓励, 职责 … grant no sum, so no total holds them and a computed amount beside them is refused.
FLOW_OF_KIND = {
    "补贴": "paid",
    "奖励": "paid",
    "补助": "paid",
    # Interest on a loan paid for the applicant (贷款贴息): money paid, not money lent.
    "贴息": "paid",
    "减免": "waived",
    # A concession on what the applicant pays (满减, 优惠价, 租金优惠): money it no longer pays,
    # totalled with 减免 — never with what is paid to it.
    "优惠": "waived",
    "收费标准": "payable",
    # Fines and penalties are payable by the applicant (the offender) as a charge is.
    "罚款": "payable",
    "罚金": "payable",
    "滞纳金": "payable",
    "没收": "payable",
    # A loan is lent, to be repaid: reported as 可贷额度, never added to what is paid.
    "贷款": "lent",
    "借款": "lent",
}


def amount_flow(kind: str) -> str:
    """The flow of a rule's amount: its kind's, `paid` for a rule that names no kind, and ""
    for a kind that says none (the checker refuses such a kind beside a computed amount)."""
    return FLOW_OF_KIND.get(kind, "") if kind else "paid"


@attrs.frozen
class Type:
    kind: str  # quantity | bool | date | enum | keyed
    dims: Dims = ()
    enum: str = ""
    # A plain number written or computed as a percentage (10%, a `%` input, 6 × 10%): shown
    # with %, where a number written without % is shown as itself (the batch's decided values).
    # Not part of the type's identity: 10% and 0.1 are one value.
    percent: bool = attrs.field(default=False, eq=False)

    def describe(self) -> str:
        if self.kind == "series":
            if not self.dims:
                return _("a series of plain numbers")
            return _("a series of {value}").format(value=dims_text(self.dims))
        if self.kind == "boolseries":
            return _("a series of conditions")
        if self.kind == "quantity":
            if not self.dims:
                return _("a plain number (no measure)")
            return _("a quantity in {value}").format(value=dims_text(self.dims))
        if self.kind == "keyed":
            return _("{dims_text_self_dims} by {enum}").format(
                dims_text_self_dims=dims_text(self.dims),
                enum=self.enum,
            )
        if self.kind == "enum":
            return _("a member of {enum}").format(enum=self.enum)
        return {"bool": _("a condition (true or false)"), "date": _("a date")}[self.kind]


BOOL = Type("bool")
DATE = Type("date")
UNKNOWN = Type("unknown")


@attrs.frozen
class InputInfo:
    decl: n.InputDecl
    type: Type
    measure: Measure | None  # the declared measure of a quantity or a tally


@attrs.frozen
class CheckedPolicy:
    file: n.PolicyFile
    text: str
    header: n.Header
    registry: Registry
    inputs: dict[str, InputInfo]
    enums: dict[str, tuple[str, ...]]
    tables: dict[str, n.TableDecl]
    readings: dict[str, n.ReadingDecl]
    defines: dict[str, n.Define]
    valid_until: date | None
    quote_lines: dict[str, int]  # a quote's text -> the source line of its first placing
    warnings: tuple[Diagnostic, ...]
    ordered_enums: frozenset[str]
    # How codegen must compare or call where the operands are not quantities: node -> kind
    # ("enum:NAME" for an ordered enum, "series" for a series compared element by element).
    special: dict[n.Expr, str]
    procedures: dict[str, n.Procedure]
    references: tuple[tuple[str, n.Reference], ...]  # (where it is written, the reference)
    # Issue 12 (compiler/amount_checks.py): the counting conventions in force, each rule's
    # rounding, and the caps shared by several rules.
    conventions: dict[str, str] = attrs.field(factory=dict)
    roundings: dict[str, Rounding] = attrs.field(factory=dict)
    shared_caps: tuple[SharedCapPlan, ...] = ()
    # A shared cap whose limit the case gives: its name -> the limit's expression, a money rate
    # already turned into one period's money (`生前工资 × 1 月`, marked implied)
    shared_limits: dict[str, n.Expr] = attrs.field(factory=dict)
    choices: tuple[ChoicePlan, ...] = ()  # `choose highest of …` (compiler/choices.py)
    # `input P: … part of W`: W -> its parts, in declaration order (disjoint, so sum(P) <= W).
    parts: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    # `valid by reading NAME { … }`: the reading, and (first day, last day) under each option.
    validity_reading: str = ""
    validity_options: dict[str, tuple[date, date | None]] = attrs.field(factory=dict)
    # Households and periods (compiler/group_checks.py).
    people: group_checks.People = attrs.field(factory=group_checks.People)
    # The type of each `define`d value (a decision's: an enum, a quantity …; a condition's: bool).
    define_types: dict[str, Type] = attrs.field(factory=dict)
    # Each quote's source line by the quote's place (line, column) in the policy: a text the
    # source holds twice is placed in the order the policy restates it (received_text.py).
    quote_places: dict[tuple[int, int], int] = attrs.field(factory=dict)
    # The policy's own measures (`measure 方 = 1 立方米`): what its measure texts are read with,
    # in force (runtime.quantity.declared_measures) wherever its checked AST is read.
    measures: Declared = ()
    # The complete years of the project's 节假日安排 notices, as the generated module holds them
    # (`CALENDAR`, compiler/holiday_notices.plain; runtime/workdays.PlainNotices).
    calendar: tuple[Any, ...] = ()
    # (year, 文号) of each notice without `complete` (compiler/holiday_notices.incomplete).
    calendar_incomplete: tuple[tuple[int, str], ...] = ()

    def quote_line(self, quote: n.Quote) -> int | None:
        """The source line `quote` links to (None when it was not found in the source)."""
        placed = self.quote_places.get((quote.span.line, quote.span.column))
        return placed if placed is not None else self.quote_lines.get(quote.text)

    def validity_under(self, readings: dict[str, str] | Any) -> tuple[date | None, date | None]:
        """(first day, last day or None) of the policy's validity under the readings taken
        (a mapping of reading to option; readings it leaves out take their declared option):
        `run_view.validity_under`, which the run's view shares."""
        return validity_under(self, readings)

    @property
    def switchable_readings(self) -> frozenset[str]:
        """Readings a run may choose: every one not marked `documentary` (the checker makes sure
        each of them is tested by an expression or counts the validity)."""
        return switchable(self.readings)

    def part_conflicts(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        """Parts of a whole that add up to more than the whole (`run_view.parts_over_whole`)."""
        from policyc.compiler.run_view import parts_over_whole

        return parts_over_whole(self.parts, values)

    def inputs_of(self, exprs: Iterable[n.Expr]) -> tuple[str, ...]:
        """The inputs expressions read, directly, through `define`s or as a table's key
        (`救助比例[类别]`), in order of mention."""
        found: dict[str, None] = {}
        seen: set[str] = set()

        def visit(expr: n.Expr) -> None:
            for node in n.walk(expr):
                if isinstance(node, n.Index):  # `救助比例[类别]` reads the case's 类别
                    name = node.key
                elif isinstance(node, n.Ref):
                    name = node.name
                else:
                    continue
                if name in self.inputs:
                    found.setdefault(name)
                elif name in self.defines and name not in seen:
                    seen.add(name)
                    visit(self.defines[name].expr)

        for expr in exprs:
            visit(expr)
        return tuple(found)

    def member_enum(self, name: str) -> str | None:
        """The enum a bare name is a member of, when it is one (and not an input or define)."""
        if name in self.inputs or name in self.defines or name in self.tables:
            return None
        owners = [e for e, members in self.enums.items() if name in members]
        return owners[0] if len(owners) == 1 else None


def mul_dims(a: Dims, b: Dims) -> Dims:
    powers: dict[str, int] = dict(a)
    for base, power in b:
        powers[base] = powers.get(base, 0) + power
    return tuple(sorted((k, v) for k, v in powers.items() if v))


def constant(expr: n.Expr) -> Quantity | None:
    """The value of a literal quantity or percentage, else None."""
    try:
        if isinstance(expr, n.QuantityLit):
            return Quantity.of(Decimal(expr.number), parse_measure(expr.measure))
        if isinstance(expr, n.PercentLit):
            return Quantity.of(Decimal(expr.number), parse_measure("%"))
    except MeasureError:
        return None  # an unknown measure: the checker reports it where it is written
    return None
