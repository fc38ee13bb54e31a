"""The policy AST's names and expressions (compiler/nodes.py): attrs classes, one per construct
of docs/language.md §4 and on, with the span each was parsed from.

Every node keeps the span it was parsed from, excluded from equality, so that two parses of the
same text compare equal wherever it sits. Expression nodes declare their children in
`children`, which is all a walker needs (see `walk`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, ClassVar

import attrs

from policyc.compiler.errors import Span

__all__ = [
    "NO_SPAN",
    "Aggregate",
    "AllOf",
    "And",
    "AnyOf",
    "Arith",
    "Band",
    "BoolLit",
    "Call",
    "Compare",
    "DateLit",
    "Dated",
    "DatedRow",
    "Expr",
    "If",
    "In",
    "Index",
    "Is",
    "Labelled",
    "MonthDayLit",
    "Name",
    "Not",
    "Of",
    "Or",
    "PercentLit",
    "Progressive",
    "QuantityLit",
    "ReadingIs",
    "Ref",
    "Schedule",
    "ScheduleRow",
    "Threshold",
    "TierRow",
    "Tiers",
    "walk",
]

NO_SPAN = Span("<none>", 0, 0)


def _span() -> Span:
    return attrs.field(default=NO_SPAN, eq=False, repr=False)


@attrs.frozen
class Name:
    """A name as written, with where it was written (for 'unknown unit' and the like)."""

    text: str
    span: Span = _span()


# ---- expressions ------------------------------------------------------------------------------


@attrs.frozen
class Expr:
    children: ClassVar[tuple[str, ...]] = ()
    if TYPE_CHECKING:  # every expression has a span; declared per class so it can come last
        span: Span

    def child_nodes(self) -> Iterator[Expr]:
        for field in self.children:
            value = getattr(self, field)
            if isinstance(value, Expr):
                yield value
            elif isinstance(value, tuple):
                yield from (v for v in value if isinstance(v, Expr))


@attrs.frozen
class QuantityLit(Expr):
    number: str
    measure: str  # "" for a plain number
    span: Span = _span()


@attrs.frozen
class PercentLit(Expr):
    number: str
    span: Span = _span()


@attrs.frozen
class BoolLit(Expr):
    value: bool
    span: Span = _span()


@attrs.frozen
class DateLit(Expr):
    value: date
    span: Span = _span()


@attrs.frozen
class MonthDayLit(Expr):
    """A day of every year (`1月1日`, `--01-01`; `2月底`: day 0, the month's last day), for
    `within_each_year` (compiler/calendar_checks.py)."""

    month: int
    day: int
    span: Span = _span()


@attrs.frozen
class Ref(Expr):
    name: str
    span: Span = _span()


@attrs.frozen
class Call(Expr):
    children = ("args",)
    func: str
    args: tuple[Expr, ...]
    span: Span = _span()


@attrs.frozen
class Index(Expr):
    name: str
    key: str
    span: Span = _span()
    more_keys: tuple[str, ...] = ()  # `安居补贴标准[学历, 档]`: the keys after the first

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key, in the table's order of enums."""
        return (self.key, *self.more_keys)


@attrs.frozen
class ReadingIs(Expr):
    reading: str
    option: str
    span: Span = _span()


@attrs.frozen
class Labelled(Expr):
    children = ("expr",)
    label: str
    expr: Expr
    span: Span = _span()


@attrs.frozen
class AnyOf(Expr):
    children = ("items",)
    items: tuple[Labelled, ...]
    span: Span = _span()


@attrs.frozen
class AllOf(Expr):
    children = ("items",)
    items: tuple[Labelled, ...]
    span: Span = _span()


@attrs.frozen
class Arith(Expr):
    """`+`, `-` or `×` (the only arithmetic the documents need; there is no division)."""

    children = ("left", "right")
    op: str
    left: Expr
    right: Expr
    span: Span = _span()
    # `X × 1 月` that `amount X per 月` means for X in 元/月 (compiler/period_amounts.py): the
    # site and the trace write X, as the document does
    implied: bool = False


@attrs.frozen
class Of(Expr):
    """`10% of 投资额`: a ratio applied to a base."""

    children = ("ratio", "base")
    ratio: Expr
    base: Expr
    span: Span = _span()


@attrs.frozen
class Compare(Expr):
    """A comparison; `op` is one of ge gt le lt eq ne, `word` is how the policy wrote it."""

    children = ("left", "right")
    op: str
    word: str
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class Is(Expr):
    children = ("subject",)
    subject: Expr
    member: str
    span: Span = _span()


@attrs.frozen
class In(Expr):
    children = ("subject",)
    subject: Expr
    members: tuple[str, ...]
    span: Span = _span()


@attrs.frozen
class And(Expr):
    children = ("left", "right")
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class Or(Expr):
    children = ("left", "right")
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class Not(Expr):
    children = ("operand",)
    operand: Expr
    span: Span = _span()


@attrs.frozen
class If(Expr):
    children = ("cond", "then", "otherwise")
    cond: Expr
    then: Expr
    otherwise: Expr
    span: Span = _span()


@attrs.frozen
class Threshold:
    op: str
    word: str
    value: Expr
    span: Span = _span()


@attrs.frozen
class TierRow(Expr):
    children = ("amount",)
    threshold: Threshold
    amount: Expr
    span: Span = _span()


@attrs.frozen
class Tiers(Expr):
    children = ("subject", "prior", "rows")
    subject: Expr
    mode: str  # highest | each | highest_new | each_new
    prior: Expr | None
    rows: tuple[TierRow, ...]
    span: Span = _span()

    def child_nodes(self) -> Iterator[Expr]:
        yield from super().child_nodes()
        for row in self.rows:
            yield row.threshold.value


@attrs.frozen
class ScheduleRow(Expr):
    children = ("amount",)
    first: int
    last: int
    amount: Expr
    span: Span = _span()


@attrs.frozen
class Schedule(Expr):
    children = ("anchor", "rows")
    anchor: Expr
    rows: tuple[ScheduleRow, ...]
    span: Span = _span()


@attrs.frozen
class Band(Expr):
    """One row of a progressive scale: the band's edge as the policy words it, and its rate."""

    children = ("rate",)
    threshold: Threshold
    rate: Expr
    span: Span = _span()


@attrs.frozen
class Progressive(Expr):
    """分段累进: `progressive BASE { 不超过 3000 元: 3%, 超过 3000 元: 10% }`; each band's rate
    applies to the part of BASE inside the band (see runtime/scales.py for the bands)."""

    children = ("base", "bands")
    base: Expr
    bands: tuple[Band, ...]
    span: Span = _span()

    def child_nodes(self) -> Iterator[Expr]:
        yield from super().child_nodes()
        for band in self.bands:
            yield band.threshold.value


@attrs.frozen
class DatedRow(Expr):
    """`from DATE: VALUE ["the document that set it"]`."""

    children = ("value",)
    start: date
    value: Expr
    source: str = ""
    span: Span = _span()


@attrs.frozen
class Dated(Expr):
    """A value that changes on dates: the row in force on `on` (the evaluation date when None)."""

    children = ("on", "rows")
    on: Expr | None
    rows: tuple[DatedRow, ...]
    span: Span = _span()


@attrs.frozen
class Aggregate(Expr):
    """`sum(月收入 over 子女 where …)`, `count(子女 where …)`: over the members of the case's
    group. `func` is count, sum, min, max, any or all; for count/any/all `subject` is a `Ref` to a
    role or to `members`; for sum/min/max it is a per-member expression. `role` is "" for every
    member."""

    children = ("subject", "where")
    func: str
    subject: Expr
    role: str
    where: Expr | None
    span: Span = _span()


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of an expression, parents before children."""
    yield expr
    for child in expr.child_nodes():
        yield from walk(child)
