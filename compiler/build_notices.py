"""The parse tree of a year's 节假日安排 notice (`holidays YYYY "文号" { … }`) into nodes: the
notice, each holiday's rest days and each 调休 working day, with their quotes (checked by
compiler/holiday_notices.py). A part of the builder (compiler/build.py), as expressions are
(compiler/build_exprs.py)."""

from __future__ import annotations

from typing import Any

from lark import Token, v_args
from lark.tree import Meta

from policyc.compiler import nodes as n
from policyc.compiler.build_base import unquote
from policyc.compiler.build_exprs import ExpressionBuilder
from policyc.compiler.errors import Span


@v_args(meta=True)
class NoticeBuilder(ExpressionBuilder):
    """`holidays` declarations; the rest of the file comes from the builder that extends it."""

    def holidays_decl(self, meta: Meta, c: list[Any]) -> n.HolidayNotice:
        year, number, title, source, complete, *items = c
        file, file_span = source if source is not None else ("", self._span(meta))
        return n.HolidayNotice(
            year=self._int(year),
            number=unquote(number),
            title=title,
            source_file=file,
            complete=complete is not None,
            rests=tuple(i for i in items if isinstance(i, n.NoticeRest)),
            works=tuple(i for i in items if isinstance(i, n.NoticeWork)),
            span=self._span(meta),
            year_span=self._tspan(year),
            source_span=file_span,
        )

    def notice_title(self, meta: Meta, c: list[Token]) -> str:
        return unquote(c[0])

    def notice_source(self, meta: Meta, c: list[Token]) -> tuple[str, Span]:
        return unquote(c[0]), self._tspan(c[0])

    def notice_rest(self, meta: Meta, c: list[Any]) -> n.NoticeRest:
        holiday, first, last, quote = c
        start = self._date(first)
        end = self._date(last) if last is not None else start
        return n.NoticeRest(
            self._name(holiday), start, end, n.Quote(unquote(quote), self._tspan(quote)),
            self._span(meta),
        )  # fmt: skip

    def notice_work(self, meta: Meta, c: list[Token]) -> n.NoticeWork:
        day, quote = c
        return n.NoticeWork(
            self._date(day), n.Quote(unquote(quote), self._tspan(quote)), self._span(meta)
        )
