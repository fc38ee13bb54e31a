"""The measure a named value is shown in (finding 4 of the housing-fund newcomer).

A quantity keeps no memory of the measure it was written in: 20000 元/月 is held as 240000 元/年,
24 月 is 2 年 (runtime/quantity.py). A value shown against its name must read in the measure the
reader knows it by: an input in its declared measure (`借款人月缴存基数 = 20,000元/月`), and a
`define`/`decide` in the measure its expression naturally has, the one of the inputs it reads
that have its dimensions (`计算用月缴存基数 = 借款人月缴存基数 …` reads 元/月: 元/月; `还款能力额度`
reads 元/月 and 年 but is 元: shown as money always is).
"""

from __future__ import annotations

from policyc.runtime.quantity import Measure, Quantity
from policyc.runtime.quantity_format import format_quantity, format_quantity_in

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import Any

    from policyc.compiler.run_view import RunView

ShownMeasures = dict[str, tuple[Measure, ...]]


def shown_measures(view: RunView) -> ShownMeasures:
    """Each input's declared measure, and each define's (or decide's) measures of the inputs it
    reads, through the defines it reads: name → measures (none: a value shown as ever)."""
    inputs = {name: i.measure for name, i in view.inputs.items() if i.measure is not None}
    found: ShownMeasures = {name: (m,) for name, m in inputs.items()}

    def read(name: str, seen: frozenset[str]) -> Iterator[Measure]:
        if name in inputs:
            yield inputs[name]
        elif name in view.defines and name not in seen:
            for ref in _names(view.defines[name]):
                yield from read(ref, seen | {name})

    for name in view.defines:
        measures = {m.name: m for m in read(name, frozenset())}
        if measures:
            found[name] = tuple(measures.values())
    return found


# By the view's id, dropped with the view (as cli/needs.py `per_view`): a worker's answers read
# one policy's measures for every case.
_BY_VIEW: dict[int, ShownMeasures] = {}


def measures_of(view: RunView) -> ShownMeasures:
    """`shown_measures(view)`, made once per view."""
    found = _BY_VIEW.get(id(view))
    if found is None:
        import weakref

        found = _BY_VIEW[id(view)] = shown_measures(view)
        weakref.finalize(view, _BY_VIEW.pop, id(view), None)
    return found


def _names(lean: Any) -> Iterator[str]:
    """The names a lean expression reads (compiler/run_view.py's forms)."""
    if not isinstance(lean, tuple):
        return
    if lean[:1] in (("ref",), ("given",)) and len(lean) == 2 and isinstance(lean[1], str):
        yield lean[1]
        return
    # ("node", (CHILD, …)), ("if", C, T, O), ("and", X, Y) …: a tag, then parts (or a tuple of them)
    for part in lean[1:] if lean and isinstance(lean[0], str) else lean:
        yield from _names(part)


def measure_of(
    measures: Mapping[str, tuple[Measure, ...]], name: str, q: Quantity
) -> Measure | None:
    """The one measure `name` is shown in that has `q`'s dimensions; None when none or several
    (元/月 and 元/日 read together: the value is shown as it is held)."""
    fitting = [m for m in measures.get(name, ()) if m.dims == q.dims]
    return fitting[0] if len(fitting) == 1 else None


def show_named(measures: Mapping[str, tuple[Measure, ...]], name: str, q: Quantity) -> str:
    """`q`, the value of `name`, for people, in the measure `name` is shown in."""
    measure = measure_of(measures, name, q)
    return format_quantity(q) if measure is None else format_quantity_in(q, measure)
