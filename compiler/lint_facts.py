"""Lint: facts about a conjunction of conditions — ranges of a value, members of an enum —
and the two facts that exclude each other (a `Conflict`).

`Facts.bound(key, op, value, origin)` and `Facts.member(key, allowed, excluded, origin)` add a
fact and return the conflict it makes, if any (values that cannot be compared make none).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

import attrs

from policyc.compiler.lint_base import Origin
from policyc.compiler.lint_values import Value
from policyc.runtime.quantity import MeasureError


@attrs.frozen
class Bound:
    value: Value
    inclusive: bool
    origin: Origin
    shown: str = ""  # the value as written


@attrs.define
class Range:
    low: Bound | None = None
    high: Bound | None = None
    equal: Bound | None = None
    unequal: list[Bound] = attrs.Factory(list)


@attrs.define
class Members:
    allowed: frozenset[str] | None = None
    allowed_by: Origin = ""
    excluded: dict[str, Origin] = attrs.Factory(dict)


Conflict: TypeAlias = tuple[Origin, Origin | None]  # the two facts that exclude each other (or one)


@attrs.define
class Facts:
    ranges: dict[object, Range] = attrs.Factory(dict)
    members: dict[object, Members] = attrs.Factory(dict)

    def copy(self) -> Facts:
        return Facts(
            {k: attrs.evolve(v, unequal=list(v.unequal)) for k, v in self.ranges.items()},
            {k: attrs.evolve(v, excluded=dict(v.excluded)) for k, v in self.members.items()},
        )

    def bound(
        self, key: object, op: str, value: Value, origin: Origin, shown: str = ""
    ) -> Conflict | None:
        r = self.ranges.setdefault(key, Range())
        new = Bound(value, op in ("ge", "le", "eq"), origin, shown)
        try:
            if op in ("ge", "gt"):
                if r.low is None or _tighter_low(new, r.low):
                    r.low = new
            elif op in ("le", "lt"):
                if r.high is None or _tighter_high(new, r.high):
                    r.high = new
            elif op == "eq":
                if r.equal is not None and r.equal.value != value:
                    return r.equal.origin, origin
                r.equal = new
            else:
                r.unequal.append(new)
            return _range_conflict(r)
        except (MeasureError, TypeError):
            return None

    def member(
        self, key: object, allowed: Iterable[str], excluded: bool, origin: Origin
    ) -> Conflict | None:
        m = self.members.setdefault(key, Members())
        names = frozenset(allowed)
        if excluded:
            for name in names:
                m.excluded.setdefault(name, origin)
        elif m.allowed is None:
            m.allowed, m.allowed_by = names, origin
        else:
            narrowed = m.allowed & names
            if not narrowed:
                return _later(m.allowed_by, origin)
            m.allowed, m.allowed_by = narrowed, origin
        if m.allowed is not None and m.allowed <= set(m.excluded):
            blocker = m.excluded[min(m.allowed)]
            return _later(m.allowed_by, blocker)
        return None


def _tighter_low(new: Bound, old: Bound) -> bool:
    return bool(new.value > old.value or (new.value == old.value and not new.inclusive))  # type: ignore[operator]


def _tighter_high(new: Bound, old: Bound) -> bool:
    return bool(new.value < old.value or (new.value == old.value and not new.inclusive))  # type: ignore[operator]


def _excludes(low: Bound, high: Bound) -> bool:
    if low.value > high.value:  # type: ignore[operator]
        return True
    return bool(low.value == high.value and not (low.inclusive and high.inclusive))


def _range_conflict(r: Range) -> Conflict | None:
    if r.low is not None and r.high is not None and _excludes(r.low, r.high):
        return _later(r.low.origin, r.high.origin)
    if r.equal is not None:
        if r.low is not None and _excludes(r.low, r.equal):
            return _later(r.low.origin, r.equal.origin)
        if r.high is not None and _excludes(r.equal, r.high):
            return _later(r.high.origin, r.equal.origin)
        for unequal in r.unequal:
            if unequal.value == r.equal.value:
                return _later(unequal.origin, r.equal.origin)
    return None


def _position(origin: Origin) -> tuple[int, int]:
    return (0, 0) if isinstance(origin, str) else (origin.span.line, origin.span.column)


def _later(a: Origin, b: Origin) -> Conflict:
    return (a, b) if _position(a) <= _position(b) else (b, a)
