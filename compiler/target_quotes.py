"""The quote that states a target, among its section's or clause's quotes.

A target has no `quote` of its own (grammar: `target NAME SPEC [by …] ["wording"]`); it sits in
a section or clause that may quote several sentences, one per target (`各牵头单位于每月25日前
将任务进展情况报送…`, `…于2024年10月1日前完成中期评估…`). A rule without quotes shows its
owner's; a target showed its owner's first quote whatever it said (`run --all` gave every target
of a section the same 原文). The target's own words — its name, its wording and its figure as
written — are compared with each quote by the two-character pieces (Chinese has no spaces to
split words at) they share: the quote sharing the most states the target.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policyc.compiler import nodes as n

_SPACE = re.compile(r"\s+")


def target_quotes(target: n.Target, quotes: Sequence[n.Quote]) -> tuple[n.Quote, ...]:
    """The quotes of `target`'s owner (`quotes`, in the document's order) that state it: the
    one sharing the most pieces of its name, wording and figure (every one tied for the most,
    in order); all of `quotes` when the owner has one or none shares a piece."""
    if len(quotes) < 2:
        return tuple(quotes)
    pieces = _pieces(_target_words(target))
    scores = [len(pieces & _pieces(q.text)) for q in quotes]
    best = max(scores)
    if best == 0:
        return tuple(quotes)
    return tuple(q for q, score in zip(quotes, scores, strict=True) if score == best)


def _target_words(target: n.Target) -> str:
    figure = ""
    if isinstance(target.value, n.QuantityLit):
        figure = target.value.number + target.value.measure  # `43 条` as the text writes: 43条
    elif isinstance(target.value, n.PercentLit):
        figure = target.value.number + "%"
    return " ".join((target.name.text, target.description, figure))


def _pieces(text: str) -> set[str]:
    """Each two characters in a row of `text` within one run of non-space characters."""
    return {word[i : i + 2] for word in _SPACE.split(text) for i in range(len(word) - 1)}
