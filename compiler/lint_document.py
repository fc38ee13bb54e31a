"""Lint: the document's own parts — documentary readings nothing uses, numbering that does
not ascend in document order (`number_value` reads 十七 as 17, 一百二十 as 120, 4 as 4), and
targets that quote no sentence of their own where their part's first sentence is not theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.errors import Span
from policyc.compiler.i18n import _
from policyc.compiler.lint_base import LintContext
from policyc.compiler.render import render

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_POWERS = {"十": 10, "百": 100, "千": 1000}


def number_value(text: str) -> int | None:
    """`十七` → 17, `一百二十` → 120, `4` → 4; None for anything else."""
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch not in _POWERS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None:
                return None  # two digits in a row: not a numeral as documents write them
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _POWERS[ch]
            digit = None
    return total + (digit or 0)


class DocumentChecks(LintContext):
    def check_readings(self) -> None:
        used: set[str] = set()
        for _owner, rule in self.file.all_rules():
            used |= {name.text for name in rule.readings}
        for expr in self.all_expressions():
            used |= {node.reading for node in n.walk(expr) if isinstance(node, n.ReadingIs)}
        counting = self.header.counting.text if self.header.counting else None
        texts: str | None = None  # every string of the file: joined only when one is needed
        for decl in self.file.readings:
            name = decl.name.text
            if not decl.documentary:
                continue  # the checker makes sure an expression or the validity follows it
            if name in used or counting in {o.name for o in decl.options}:
                continue
            if texts is None:
                texts = "\n".join(_strings(self.file, skip=self.file.readings))
            others = "\n".join(_strings(self.file.readings, skip=decl))
            # `读法 NAME`, the product's word; `解读 NAME` as the shipped policies' notes write it
            mention = re.compile(rf"(?:读法|解读)\s*{re.escape(name)}(?![\w·])")
            if mention.search(texts) or mention.search(others):
                continue
            self.warn(
                "unused-reading",
                decl.name.span,
                _(
                    "reading `{name}` is declared but nothing uses it: no rule says "
                    "`reading {name}`, no condition tests `reading {name} is …`, and no note or "
                    "description mentions `读法 {name}`"
                ).format(name=name),
            )

    def check_numbering(self) -> None:
        items: list[tuple[Span, str, str]] = []  # span, kind, number
        for part in self.file.sections:
            items.append((part.span, "section", part.number))
            items += [(c.span, c.kind, c.number) for c in part.clauses]
        items += [(c.span, c.kind, c.number) for c in self.file.clauses]
        items.sort(key=lambda item: (item[0].line, item[0].column))
        # Kinds the sections number again from 一 (compiler/numbering.py) start over in each.
        restarting = {c.kind for c in self.file.all_clauses() if c.key}
        previous: dict[str, tuple[int, str]] = {}
        for span, kind, number in items:
            if kind == "section":
                for again in restarting:
                    previous.pop(again, None)
            value = number_value(number)
            if value is None:
                continue
            before = previous.get(kind)
            previous[kind] = (value, number)
            if before is None or value >= before[0]:
                continue
            self.warn(
                "numbering-order",
                span,
                _(
                    "{kind} {number} comes after {kind} {before_1}: numbering should ascend "
                    "in document order"
                ).format(kind=kind, number=number, before_1=before[1]),
            )

    def check_target_quotes(self) -> None:
        """A target without `{ quote "…" }` is cited with its part's first sentence (run, the
        JSON, the form, the site): warn where that sentence writes neither the target's figure
        as the policy writes it (`1000个` for `达到 1000 个`; standing alone: `10亿元` is not in
        `100亿元`; 完成 for a `done` target) nor, for a target with a `by`, its deadline's day
        (`15日` for `by 每月 15 日`, `3月31日` for `by 2023-03-31`), white space ignored: it very
        likely states another target, or the applicant's duty."""
        for owner, target in self.file.all_targets():
            if target.quotes:
                continue
            cited = re.sub(r"\s+", "", owner.quotes[0].text) if owner.quotes else ""
            figure = "完成" if target.done else re.sub(r"\s+", "", render(target.value))
            words = [figure, *_deadline_words(target.deadline)]
            if any(w and re.search(rf"(?<![\d.]){re.escape(w)}", cited) for w in words):
                continue
            self.warn(
                "target-without-quote",
                target.name.span,
                _(
                    "target `{name}` quotes no sentence of its own, and its part's first "
                    "sentence, which run, the JSON and the site cite for it, does not write "
                    '{figure}: add `{{ quote "…" }}` after the target with the words of the '
                    "received text that state it"
                ).format(name=target.name.text, figure="、".join(w for w in words if w)),
            )


def _deadline_words(deadline: date | n.Recurring | None) -> tuple[str, ...]:
    """How a document writes a target's deadline day: `3月31日`, `15日` (每月15日前), `月底`,
    `季度`, `长期`; none without a deadline."""
    if deadline is None:
        return ()
    if isinstance(deadline, n.Recurring):
        if deadline.every == "month":
            return (f"{deadline.day}日",) if deadline.day else ("月底",)
        return ("季度",) if deadline.every == "quarter" else ("长期",)
    return (f"{deadline.month}月{deadline.day}日",)


def _strings(node: object, skip: object) -> Iterator[str]:
    """Every string of the AST (notes, descriptions, quotes …), except under `skip`."""
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if item is skip:
            continue
        if isinstance(item, str):
            yield item
        elif isinstance(item, tuple):
            stack.extend(item)
        elif attrs.has(type(item)):
            stack.extend(attrs.astuple(item, recurse=False))
