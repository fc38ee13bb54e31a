"""Ordered enums and series on the traced path, helpers `Ctx` inherits (runtime/evaluation.py):
comparing and choosing members of an ordered enum by rank, a series compared day by day, its
longest run, first and highest values. An empty series does not apply (NotApplicable)."""

from __future__ import annotations

from policyc.runtime.conditions import OPS, Conditions
from policyc.runtime.quantity import Quantity
from policyc.runtime.results import NotApplicable, Unknown, unknown

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any


class Series(Conditions):
    """The ordered-enum and series helpers of `Ctx`: it sets `explain` and `steps`."""

    def cmp_ranked(
        self, op: str, left: str, right: str, order: tuple[str, ...], text: str, line: int
    ) -> bool | Unknown:
        if (missing := unknown(left, right)) is not None:
            return missing
        result = OPS[op](order.index(left), order.index(right))
        if self.explain:
            self.step(f"{text}: {left} 对 {right} → {'成立' if result else '不成立'}", line)
        return result

    def max_ranked(self, *args: Any) -> str | Unknown:
        """`max` of two or more members of an ordered enum: `(member, …, order, line)`."""
        return self._ranked(args[:-2], args[-2], args[-1], higher=True)

    def min_ranked(self, *args: Any) -> str | Unknown:
        """`min` of two or more members of an ordered enum: `(member, …, order, line)`."""
        return self._ranked(args[:-2], args[-2], args[-1], higher=False)

    def _ranked(
        self, members: tuple[str, ...], order: tuple[str, ...], line: int, higher: bool
    ) -> str | Unknown:
        missing = unknown(*members)
        if missing is not None:
            return missing
        ranks = [order.index(m) for m in members]
        chosen = members[ranks.index(max(ranks) if higher else min(ranks))]  # the first of equals
        if self.explain:
            listed = " 与 ".join(members)
            self.step(f"{listed} 取{'较高' if higher else '较低'}者 → {chosen}", line)
        return chosen

    def cmp_series(
        self, op: str, series: tuple[Quantity, ...], value: Quantity, text: str, line: int
    ) -> tuple[bool, ...] | Unknown:
        if (missing := unknown(series, value)) is not None:
            return missing
        flags = tuple(OPS[op](item, value) for item in series)
        if self.explain:
            marks = "".join("●" if f else "○" for f in flags)
            self.step(f"{text}: 逐日 {marks}", line)
        return flags

    def longest_run(self, flags: tuple[bool, ...] | Unknown) -> Quantity | Unknown:
        if isinstance(flags, Unknown):
            return flags
        best = run = 0
        for flag in flags:
            run = run + 1 if flag else 0
            best = max(best, run)
        return Quantity.of(best, "日")

    def first(self, series: tuple[Quantity, ...] | Unknown) -> Quantity | Unknown:
        if isinstance(series, Unknown):
            return series
        if not series:
            raise NotApplicable("序列为空")
        return series[0]

    def highest(self, series: tuple[Quantity, ...] | Unknown) -> Quantity | Unknown:
        if isinstance(series, Unknown):
            return series
        if not series:
            raise NotApplicable("序列为空")
        return max(series, key=lambda q: q.value)
