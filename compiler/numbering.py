"""The document's own numbering of its clauses: numbered through, or again in each section.

Most notices number their clauses through the document (天政发〔2023〕1号: （一）…（十七）
across four sections); many others number them again in each part (一、… （一）（二）, 二、…
（一）（二）). The drafter writes the numbers as the document prints them, and this module says
which of the two a policy does, so that a clause keeps one identity everywhere it is named: the
duplicate check, the site's anchors, the report's JSON, the duties, the shared caps.

A kind of part (clause, task) is **numbered again in each section** when at least two sections
hold parts of that kind and the first of each is numbered 一 (or 1). Its parts are then keyed
`SECTION.NUMBER` (`二.一`); numbered through, the key is the number (`七`).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from policyc.compiler import nodes as n

FIRST_NUMBERS = frozenset({"一", "1"})


def restarting_kinds(sections: Sequence[n.Section]) -> frozenset[str]:
    """The kinds of part (`clause`, `task`) that the sections number again from 一 (or 1)."""
    firsts: dict[str, list[str]] = {}
    for section in sections:
        seen: set[str] = set()
        for clause in section.clauses:
            if clause.kind not in seen:
                seen.add(clause.kind)
                firsts.setdefault(clause.kind, []).append(clause.number)
    return frozenset(
        kind
        for kind, numbers in firsts.items()
        if len(numbers) >= 2 and all(number in FIRST_NUMBERS for number in numbers)
    )


def keyed_sections(sections: Sequence[n.Section]) -> tuple[n.Section, ...]:
    """The sections, each clause of a kind numbered again in each section keyed `SECTION.NUMBER`
    (its `key`); the others keep an empty key (their number is their key)."""
    kinds = restarting_kinds(sections)
    if not kinds:
        return tuple(sections)
    return tuple(
        attrs.evolve(
            section,
            clauses=tuple(
                attrs.evolve(clause, key=f"{section.number}.{clause.number}")
                if clause.kind in kinds
                else clause
                for clause in section.clauses
            ),
        )
        for section in sections
    )
