"""The AST builder's expressions: conditions, comparisons with the boundary words, arithmetic,
literals, references, calls and aggregates, tiers, schedules, progressive scales, dated values.

`BOUND_OPS` says how each boundary word compares (以上/以下/以内/满/不高于 include the value; 超过/
不满/未满/低于 exclude it; the words are compiler/bounds.py's table); `ExpressionBuilder` holds
one method per expression rule of the grammar.
"""

from __future__ import annotations

from typing import Any

from lark import Token, v_args
from lark.tree import Meta

from policyc.compiler import nodes as n
from policyc.compiler.bounds import BOUNDS
from policyc.compiler.build_base import BuilderBase, unquote
from policyc.compiler.calendar_checks import read_month_day

# How each boundary word and operator compares: the words from the one table (compiler/bounds.py,
# 民法典 art. 1259), then the symbols.
BOUND_OPS: dict[str, str] = {b.word: b.op for b in BOUNDS}
BOUND_OPS.update(
    {
        ">=": "ge",
        "≥": "ge",
        ">": "gt",
        "<=": "le",
        "≤": "le",
        "<": "lt",
        "==": "eq",
        "!=": "ne",
        "≠": "ne",
    }
)

ARITH_OPS = {"+": "+", "-": "-", "−": "-", "*": "×", "×": "×"}


@v_args(meta=True)
class ExpressionBuilder(BuilderBase):
    def if_expr(self, meta: Meta, c: list[Any]) -> n.If:
        return n.If(c[0], c[1], c[2], self._span(meta))

    def or_(self, meta: Meta, c: list[Any]) -> n.Or:
        return n.Or(c[0], c[1], self._span(meta))

    def and_(self, meta: Meta, c: list[Any]) -> n.And:
        return n.And(c[0], c[1], self._span(meta))

    def not_(self, meta: Meta, c: list[Any]) -> n.Not:
        return n.Not(c[0], self._span(meta))

    def compare(self, meta: Meta, c: list[Any]) -> n.Compare:
        word = str(c[1])
        return n.Compare(BOUND_OPS[word], word, c[0], c[2], self._span(meta))

    def bound_before(self, meta: Meta, c: list[Any]) -> n.Compare:
        return self.compare(meta, c)

    def bound_after(self, meta: Meta, c: list[Any]) -> n.Compare:
        word = str(c[2])
        return n.Compare(BOUND_OPS[word], word, c[0], c[1], self._span(meta))

    def prefix_bound(self, meta: Meta, c: list[Token]) -> Token:
        return c[0]

    suffix_bound = prefix_bound
    tier_mode = prefix_bound

    def is_(self, meta: Meta, c: list[Any]) -> n.Is:
        return n.Is(c[0], c[1], self._span(meta))

    def in_(self, meta: Meta, c: list[Any]) -> n.In:
        return n.In(c[0], tuple(x for x in c[1:] if x is not None), self._span(meta))

    def arith(self, meta: Meta, c: list[Any]) -> n.Arith:
        return n.Arith(ARITH_OPS[str(c[1])], c[0], c[2], self._span(meta))

    def of(self, meta: Meta, c: list[Any]) -> n.Of:
        return n.Of(c[0], c[1], self._span(meta))

    def quantity(self, meta: Meta, c: list[Any]) -> n.QuantityLit:
        self._check_digits(c[0])
        return n.QuantityLit(str(c[0]), c[1] or "", self._span(meta))

    def percent(self, meta: Meta, c: list[Token]) -> n.PercentLit:
        self._check_digits(c[0])
        return n.PercentLit(str(c[0]), self._span(meta))

    def measure(self, meta: Meta, c: list[Token]) -> str:
        return "/".join(str(t) for t in c)

    def ref(self, meta: Meta, c: list[Token]) -> n.Ref:
        return n.Ref(str(c[0]), self._span(meta))

    def call(self, meta: Meta, c: list[Any]) -> n.Call:
        return n.Call(str(c[0]), tuple(a for a in c[1:] if a is not None), self._span(meta))

    def aggregate_over(self, meta: Meta, c: list[Any]) -> n.Aggregate:
        return n.Aggregate(str(c[0]), c[1], str(c[2]), c[3], self._span(meta))

    def aggregate_where(self, meta: Meta, c: list[Any]) -> n.Aggregate:
        return n.Aggregate(str(c[0]), c[1], "", c[2], self._span(meta))

    def index(self, meta: Meta, c: list[Any]) -> n.Index:
        keys = tuple(k for k in c[1:] if k is not None)
        return n.Index(str(c[0]), keys[0], self._span(meta), keys[1:])

    def true(self, meta: Meta, c: list[Any]) -> n.BoolLit:
        return n.BoolLit(True, self._span(meta))

    def false(self, meta: Meta, c: list[Any]) -> n.BoolLit:
        return n.BoolLit(False, self._span(meta))

    def date(self, meta: Meta, c: list[Token]) -> n.DateLit:
        return n.DateLit(self._date(c[0]), self._span(meta))

    def month_day(self, meta: Meta, c: list[Token]) -> n.MonthDayLit:
        month, day = read_month_day(str(c[0]), self._tspan(c[0]))
        return n.MonthDayLit(month, day, self._span(meta))

    def reading_is(self, meta: Meta, c: list[Token]) -> n.ReadingIs:
        return n.ReadingIs(str(c[0]), str(c[1]), self._span(meta))

    def labelled(self, meta: Meta, c: list[Any]) -> n.Labelled:
        return n.Labelled(unquote(c[0]), c[1], self._span(meta))

    def any_of(self, meta: Meta, c: list[Any]) -> n.AnyOf:
        return n.AnyOf(tuple(x for x in c if x is not None), self._span(meta))

    def all_of(self, meta: Meta, c: list[Any]) -> n.AllOf:
        return n.AllOf(tuple(x for x in c if x is not None), self._span(meta))

    def tiers(self, meta: Meta, c: list[Any]) -> n.Tiers:
        subject, mode, prior, *rows = c
        return n.Tiers(
            subject, str(mode), prior, tuple(r for r in rows if r is not None), self._span(meta)
        )

    def tier_row(self, meta: Meta, c: list[Any]) -> n.TierRow:
        return n.TierRow(c[0], c[1], self._span(meta))

    def threshold_before(self, meta: Meta, c: list[Any]) -> n.Threshold:
        word = str(c[0])
        return n.Threshold(BOUND_OPS[word], word, c[1], self._span(meta))

    def threshold_after(self, meta: Meta, c: list[Any]) -> n.Threshold:
        word = str(c[1])
        return n.Threshold(BOUND_OPS[word], word, c[0], self._span(meta))

    threshold_symbol = threshold_before

    def schedule(self, meta: Meta, c: list[Any]) -> n.Schedule:
        return n.Schedule(c[0], tuple(r for r in c[1:] if r is not None), self._span(meta))

    def schedule_row(self, meta: Meta, c: list[Any]) -> n.ScheduleRow:
        first = self._int(c[0])
        last = self._int(c[1]) if c[1] is not None else first
        return n.ScheduleRow(first, last, c[2], self._span(meta))

    def progressive(self, meta: Meta, c: list[Any]) -> n.Progressive:
        return n.Progressive(c[0], tuple(r for r in c[1:] if r is not None), self._span(meta))

    def band_row(self, meta: Meta, c: list[Any]) -> n.Band:
        return n.Band(c[0], c[1], self._span(meta))

    def dated(self, meta: Meta, c: list[Any]) -> n.Dated:
        return n.Dated(c[0], tuple(r for r in c[1:] if r is not None), self._span(meta))

    def dated_row(self, meta: Meta, c: list[Any]) -> n.DatedRow:
        source = unquote(c[2]) if c[2] is not None else ""
        return n.DatedRow(self._date(c[0]), c[1], source, self._span(meta))
