"""The order `define`s and `decide`s are checked in: a policy file is declarative, so a
definition may read one written further down ("可发放" before "符合补贴对象条件").

`define_order(defines)` returns the definitions with each one's dependencies before it, keeping
document order wherever the text allows (a file written in order is checked in its own order),
and the cycles found: each as the chain of names, first name repeated at its end
(`甲 → 乙 → 甲`), with the definition to report it at. A definition depends on the definitions
its expression names (`Ref`). The checker reports each cycle (compiler/checker.py); the
definitions in a cycle are then typed as unknown, so that nothing else is reported of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from policyc.compiler import nodes as n


def _reads(define: n.Define, names: dict[str, n.Define]) -> list[str]:
    """The definitions `define` names, in the order first written, without repeats."""
    found: dict[str, None] = {}
    for node in n.walk(define.expr):
        if isinstance(node, n.Ref) and node.name in names:
            found[node.name] = None
    return list(found)


def define_order(
    defines: Iterable[n.Define],
) -> tuple[list[n.Define], list[tuple[n.Define, list[str]]]]:
    """(the definitions, dependencies first; the cycles, each with its chain of names)."""
    written = list(defines)
    names: dict[str, n.Define] = {}
    for define in written:
        names.setdefault(define.name.text, define)  # a name declared twice: the checker says
    order: list[n.Define] = []
    cycles: list[tuple[n.Define, list[str]]] = []
    state: dict[str, int] = {}  # 1 while visiting, 2 once placed

    def visit(define: n.Define, path: list[str]) -> None:
        name = define.name.text
        state[name] = 1
        for dependency in _reads(define, names):
            if state.get(dependency) == 1:
                chain = [*path[path.index(dependency) :], dependency]
                cycles.append((names[dependency], chain))
            elif dependency not in state:
                visit(names[dependency], [*path, dependency])
        state[name] = 2
        order.append(define)

    for define in written:
        if define.name.text not in state:
            visit(define, [define.name.text])
        elif names[define.name.text] is not define:
            order.append(define)  # the second of a name declared twice, reported as such
    return order, cycles
