"""Which way a rule's conditions need each expression over members to go, read from the lean
conditions of compiler/run_view.py (its `agg`, `cmp` and `arith` marks): what 为何不适用 needs
to name the members that made a household's condition fail, and not those in its favour.

A condition is wanted true (a `when`), or false under a `not`; a number is wanted larger (+1)
or smaller (−1) by the comparison it stands in. Under `not any(P)` (有不予认定情形: a member has
a car) any(P) was wanted false, so the members P holds for are the reason; under `all(P)`,
those it fails for; `count(P) ≥ 2` wanted more members counted, `sum(存款) 不超过 X` a smaller
sum. A number whose direction the text does not fix (`=`, a `divide`, a table's index) has
none: no member is blamed through it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any, TypeAlias

    Key: TypeAlias = tuple[str, int]  # (the text the trace writes, the policy line)

# ge/gt want the left side larger when the comparison is wanted true; le/lt smaller
_LEFT_UP = {"ge": 1, "gt": 1, "le": -1, "lt": -1}


class Wanted:
    """The expressions over members a rule's conditions read, and which way each was wanted.

    `aggregates`: (trace text, line) → (func, sense, comparison): `sense` True/False for any/all
    (the value wanted), +1/−1 for count/sum/min/max (larger/smaller wanted); `comparison` the
    (text, line) and wanted truth of the comparison a number stands in, else None.
    `comparisons`: (text, line) → the truth wanted. An expression wanted both ways (read by two
    conditions in opposite senses) is left out: its sense is not known."""

    def __init__(self) -> None:
        self.aggregates: dict[Key, tuple[str, Any, tuple[Key, bool] | None]] = {}
        self.comparisons: dict[Key, bool] = {}
        self._clashes: set[Key] = set()

    def add_aggregate(
        self, key: Key, func: str, sense: Any, under: tuple[Key, bool] | None
    ) -> None:
        if key in self._clashes:
            return
        found = self.aggregates.setdefault(key, (func, sense, under))
        if found != (func, sense, under):
            del self.aggregates[key]
            self._clashes.add(key)


def wanted(roots: Iterable[Any], defines: Mapping[str, Any]) -> Wanted:
    """The `Wanted` of the lean conditions `roots` (a rule's `whens`, each wanted true), through
    the defines they read (`defines`: name → lean), at any depth. Raises nothing: a form it does
    not know is passed over."""
    found = Wanted()
    seen: set[tuple[str, Any]] = set()

    def condition(node: Any, want: bool) -> None:
        if not isinstance(node, tuple) or not node:
            return
        tag = node[0]
        if tag == "ref" and node[1] in defines and (node[1], want) not in seen:
            seen.add((node[1], want))
            condition(defines[node[1]], want)
        elif tag == "not":
            condition(node[1], not want)
        elif tag in ("and", "or"):
            condition(node[1], want)
            condition(node[2], want)
        elif tag == "if":  # the test only chooses; either branch is the condition
            condition(node[2], want)
            condition(node[3], want)
        elif tag == "node" and len(node) == 3:
            mark = node[2]
            if mark[0] == "agg" and mark[1] in ("any", "all"):
                found.add_aggregate((mark[2], mark[3]), mark[1], want, None)
            elif mark[0] == "cmp":
                key = (mark[2], mark[3])
                if found.comparisons.setdefault(key, want) != want:
                    found.comparisons.pop(key)
                up = _LEFT_UP.get(mark[1])
                if up is not None:
                    sense = up if want else -up
                    number(node[1][0], sense, (key, want))
                    number(node[1][1], -sense, (key, want))

    def number(node: Any, sense: int, under: tuple[Key, bool]) -> None:
        if not isinstance(node, tuple) or not node:
            return
        if node[0] == "ref" and node[1] in defines and (node[1], sense) not in seen:
            seen.add((node[1], sense))
            number(defines[node[1]], sense, under)
        elif node[0] == "if":
            number(node[2], sense, under)
            number(node[3], sense, under)
        elif node[0] == "node" and len(node) == 3:
            mark = node[2]
            if mark[0] == "agg" and mark[1] in ("count", "sum", "min", "max"):
                found.add_aggregate((mark[2], mark[3]), mark[1], sense, under)
            elif mark[0] == "arith":
                # + and × of amounts and counts (never negative in a document) go the way of
                # each operand; the right side of a − the other way
                number(node[1][0], sense, under)
                number(node[1][1], -sense if mark[1] == "-" else sense, under)

    for root in roots:
        condition(root, True)
    return found
