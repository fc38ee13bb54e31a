"""Conditions on the traced path: three-valued comparisons, `and`/`or` and any-of, and what
the trace says of each (`Ctx` in runtime/evaluation.py inherits them).

A condition is True, False or an `Unknown` naming the inputs it needs (Kleene's strong
three-valued logic): `and` is false as soon as one part is false and `or` true as soon as one
part is true, whatever the others. With `explain`, each comparison is a step of the trace
(`text: left 对 right → 成立`), and the parts of an `and`/`or` that record no step of their own
(a yes/no input, a define, a reading's option) are named as they decide: the parts that make
it hold, or the failed part of an `and` and every failed part of an `or` that fails.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator

from policyc.runtime.results import Step, Unknown, Value, show_pair, unknown

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

OPS: dict[str, Callable[[Any, Any], bool]] = {
    "ge": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "le": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
}


def _any_of_verdict(held: list[str], pending: list[tuple[str, Unknown]], options: int) -> str:
    """What an any-of came to: the options that hold; else, while some still depend on inputs
    not given, which ones and what they need (never a final no); else 无一满足."""
    if held:
        return "、".join(held)
    if pending:
        waiting = "；".join(f"「{label}」需要输入 {'、'.join(u.names)}" for label, u in pending)
        rest = "（其余各项不满足）" if len(pending) < options else ""
        return f"尚未确定，待定 {len(pending)} 项: {waiting}{rest}"
    return "无一满足"


class Conditions:
    """The condition helpers of `Ctx`: it sets `explain` and `steps`."""

    explain: bool
    steps: list[Step]

    def step(self, text: str, line: int) -> None:
        if self.explain:
            self.steps.append(Step(text, line))

    # ---- conditions (three-valued: True, False, or an Unknown) ----
    def cmp(self, op: str, left: Value, right: Value, text: str, line: int) -> bool | Unknown:
        if (missing := unknown(left, right)) is not None:
            return missing
        result = OPS[op](left, right)
        if self.explain:
            verdict = "成立" if result else "不成立"
            shown_left, shown_right = show_pair(left, right)
            self.step(f"{text}: {shown_left} 对 {shown_right} → {verdict}", line)
        return result

    def is_in(self, value: str, members: tuple[str, ...], text: str, line: int) -> bool | Unknown:
        if isinstance(value, Unknown):
            return value
        result = value in members
        if self.explain:
            self.step(f"{text}: {value} → {'成立' if result else '不成立'}", line)
        return result

    def all(self, parts: Iterable[Callable[[], bool | Unknown]]) -> bool | Unknown:
        """Kleene AND: any false part makes it false, even when another part is unknown."""
        unknowns: list[Unknown] = []
        for part in parts:
            holds = part()
            if isinstance(holds, Unknown):
                unknowns.append(holds)
            elif not holds:
                return False
        missing = unknown(*unknowns)
        return missing if missing is not None else True

    def any(self, parts: Iterable[Callable[[], bool | Unknown]]) -> bool | Unknown:
        """Kleene OR: any true part makes it true, even when another part is unknown."""
        unknowns: list[Unknown] = []
        for part in parts:
            holds = part()
            if isinstance(holds, Unknown):
                unknowns.append(holds)
            elif holds:
                return True
        missing = unknown(*unknowns)
        return missing if missing is not None else False

    def all_shown(
        self,
        parts: tuple[Callable[[], bool | Unknown], ...],
        shown: tuple[tuple[str, int], ...],
    ) -> bool | Unknown:
        """`all` whose parts named in `shown` (the silent ones, codegen._silent, with their
        lines; ("", 0) for the others) are cited in the trace as each holds, and the first that
        fails (the one that decides) as it fails: `登记失业 → 不成立`."""
        if not self.explain:
            return self.all(parts)
        return self.all(self._cited(parts, shown, None))

    def any_shown(
        self,
        parts: tuple[Callable[[], bool | Unknown], ...],
        shown: tuple[tuple[str, int], ...],
    ) -> bool | Unknown:
        """`any` citing the first part that holds when it is one named in `shown`; when none
        holds and the `or` fails, every part named in `shown` that failed, each where it was
        evaluated among the other steps."""
        if not self.explain:
            return self.any(parts)
        failed: list[tuple[int, str, int]] = []
        result = self.any(self._cited(parts, shown, failed))
        if result is False:
            for at, text, line in reversed(failed):  # from the last, so each index still holds
                self.steps.insert(at, Step(f"{text} → 不成立", line))
        return result

    def _cited(
        self,
        parts: tuple[Callable[[], bool | Unknown], ...],
        shown: tuple[tuple[str, int], ...],
        failed: list[tuple[int, str, int]] | None,
    ) -> Iterator[Callable[[], bool | Unknown]]:
        """`parts`, each citing its `shown` text in the trace when it holds (`all` and `any`
        call them in order and stop at the one that decides); one that fails is cited at once
        when `failed` is None (an `and`: it decides), else kept in `failed` with the place in
        the steps it would stand at (an `or`: named only if no part holds)."""

        def cited(part: Callable[[], bool | Unknown], text: str, line: int) -> bool | Unknown:
            holds = part()
            if not text or isinstance(holds, Unknown):
                return holds
            if holds:
                self.step(f"{text} → 成立", line)
            elif failed is None:
                self.step(f"{text} → 不成立", line)
            else:
                failed.append((len(self.steps), text, line))
            return holds

        for part, (text, line) in zip(parts, shown, strict=True):
            yield functools.partial(cited, part, text, line)

    def any_of(
        self, items: tuple[tuple[str, Callable[[], bool | Unknown]], ...], line: int
    ) -> bool | Unknown:
        """A labelled any-of: evaluates every option so the trace shows which ones hold."""
        held: list[str] = []
        pending: list[tuple[str, Unknown]] = []
        for label, cond in items:
            holds = cond()
            if isinstance(holds, Unknown):
                pending.append((label, holds))
            elif holds:
                held.append(label)
        if self.explain:
            self.step("满足以下之一: " + _any_of_verdict(held, pending, len(items)), line)
        if held:
            return True
        missing = unknown(*(u for _, u in pending))
        return missing if missing is not None else False

    def all_of(
        self, items: tuple[tuple[str, Callable[[], bool | Unknown]], ...], line: int
    ) -> bool | Unknown:
        return self.all(cond for _, cond in items)
