"""The arithmetic generated code calls (`add`, `sub`, `mul`: tables and tallies member by
member) and the amount helpers `Ctx` inherits (runtime/evaluation.py): shares of a base, totals,
min/max with the trace naming which argument won, tiered tables, yearly schedules. A table or
schedule a case reaches no row of does not apply (NotApplicable saying why), never zero."""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date

from policyc.runtime.conditions import OPS, Conditions
from policyc.runtime.dates import year_of_operation
from policyc.runtime.quantity import Quantity
from policyc.runtime.results import NotApplicable, Unknown, Value, _show, chosen_index, unknown

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any


def _keyed(op: Callable[[Any, Any], Any], a: Value, b: Value) -> Value:
    # Tables and tallies (dicts keyed by enum members) combine member by member; a missing
    # member of a tally is zero of it.
    if isinstance(a, dict) and isinstance(b, dict):
        keys = [k for k in a if k in b]
        return {k: op(a[k], b[k]) for k in keys}
    if isinstance(a, dict):
        return {k: op(v, b) for k, v in a.items()}
    if isinstance(b, dict):
        return {k: op(a, v) for k, v in b.items()}
    return op(a, b)


# Two quantities, the usual case, go straight to the operator.
def add(a: Value, b: Value) -> Value:
    if a.__class__ is Quantity and b.__class__ is Quantity:
        return a + b
    missing = unknown(a, b)
    return missing if missing is not None else _keyed(operator.add, a, b)


def sub(a: Value, b: Value) -> Value:
    if a.__class__ is Quantity and b.__class__ is Quantity:
        return a - b
    missing = unknown(a, b)
    return missing if missing is not None else _keyed(operator.sub, a, b)


def mul(a: Value, b: Value) -> Value:
    if a.__class__ is Quantity and b.__class__ is Quantity:
        return a * b
    missing = unknown(a, b)
    return missing if missing is not None else _keyed(operator.mul, a, b)


class Amounts(Conditions):
    """The amount helpers of `Ctx`: it sets `on`, `explain` and `steps`."""

    on: date

    def of(self, ratio: Quantity, base: Value) -> Value:
        return mul(base, ratio)

    def total(self, keyed: Value) -> Quantity | Unknown:
        if isinstance(keyed, Unknown):
            return keyed
        values = list(keyed.values())
        if not values:
            raise NotApplicable("没有任何一项")
        result: Quantity = values[0]
        for value in values[1:]:
            result = result + value
        return result

    def minimum(self, *values: Quantity) -> Quantity | Unknown:
        """The least of two or more quantities (the first of equals); unknown while any is."""
        missing = unknown(*values)
        return missing if missing is not None else values[chosen_index(values, lowest=True)]

    def maximum(self, *values: Quantity) -> Quantity | Unknown:
        """The greatest of two or more quantities (the first of equals); unknown while any is."""
        missing = unknown(*values)
        return missing if missing is not None else values[chosen_index(values, lowest=False)]

    def pick(
        self, func: str, values: tuple[Value, ...], labels: tuple[str, ...], text: str, line: int
    ) -> Value:
        """`min(…)`/`max(…)` on the traced path: `minimum`/`maximum`, and under `--explain` a step
        naming which argument (its policy words in `labels`) was the lowest or highest — the
        one an applicant asks about: `甲、乙、丙中最小者：乙最低（499,999.95元）`."""
        missing = unknown(*values)
        if missing is not None:
            return missing
        index = chosen_index(values, lowest=func == "min")
        value = values[index]
        if self.explain:
            shown = _show(value)
            word = "最低" if func == "min" else "最高"
            which = shown if labels[index] == shown else f"{labels[index]}{word}（{shown}）"
            self.step(f"{text}：{which}", line)
        return value

    def tiers(
        self,
        value: Quantity,
        prior: Quantity | None,
        mode: str,
        rows: tuple[tuple[str, Quantity, Quantity, str], ...],
        line: int,
        lowest: str = "",
    ) -> Quantity | Unknown:
        """Tiered amounts; rows are (op, threshold, amount, label) in ascending order, `lowest`
        the first row's threshold as the policy words it. A table where `value` reaches no row
        (or, for the `_new` modes, no row `prior` had not reached) does not apply: raises
        NotApplicable saying so, never an amount of zero."""
        row_values = [v for row in rows for v in (row[1], row[2])]
        if (missing := unknown(value, *row_values)) is not None:
            return missing

        def reached(v: Quantity | None) -> list[int]:
            if v is None:
                return []
            return [i for i, (op, threshold, _, _) in enumerate(rows) if OPS[op](v, threshold)]

        now = reached(value)
        if not now:
            self.step(f"档次 {_show(value)}: 未达到最低档 {lowest}", line)
            raise NotApplicable(f"未达到最低档: {lowest or rows[0][3]}")
        if isinstance(prior, Unknown):
            return prior
        before = set(reached(prior))
        if mode == "highest":
            chosen = now[-1:]
        elif mode == "each":
            chosen = now
        elif mode == "highest_new":
            chosen = [i for i in now[-1:] if i not in before]
        else:  # each_new
            chosen = [i for i in now if i not in before]
        if not chosen:
            labels = "、".join(rows[i][3] for i in now)
            why = f"没有新达到的档次: 达到的 {labels} 此前已达到（此前最高 {_show(prior)}）"
            self.step(why, line)
            raise NotApplicable(why)
        total = rows[0][2] - rows[0][2]
        for i in chosen:
            total = total + rows[i][2]
        if self.explain:
            labels = "、".join(rows[i][3] for i in chosen) or "无"
            prior_text = f"(此前最高 {_show(prior)})" if prior is not None else ""
            self.step(f"档次 {_show(value)}{prior_text}: 计入 {labels} → {_show(total)}", line)
        return total

    def schedule(
        self, anchor: date, rows: tuple[tuple[int, int, Callable[[], Value]], ...], line: int
    ) -> Value:
        if isinstance(anchor, Unknown):
            return anchor
        year, row = _schedule_row(anchor, self.on, rows)
        if row is not None:
            first, last, amount = row
            self.step(
                f"自 {anchor.isoformat()} 起第 {year} 年: 适用第 {first}–{last} 年的标准", line
            )
            return amount()
        why = _past_schedule(anchor, year)
        self.step(why, line)
        raise NotApplicable(why)


ScheduleRow = tuple[int, int, Callable[[], Value]]


def _schedule_row(
    anchor: date, on: date, rows: tuple[ScheduleRow, ...]
) -> tuple[int | None, ScheduleRow | None]:
    """The year of operation on `on` counted from `anchor`, and the row that covers it."""
    year = year_of_operation(anchor, on)
    for row in rows:
        if year is not None and row[0] <= year <= row[1]:
            return year, row
    return year, None


def _past_schedule(anchor: date, year: int | None) -> str:
    where = "尚未开始" if year is None else f"已是第 {year} 年, 超出所列年度"
    return f"自 {anchor.isoformat()} 起{where}"


def schedule_on(on: date, anchor: date, rows: tuple[ScheduleRow, ...]) -> Value:
    """`Ctx.schedule` for the fast path (known anchor, no trace); raises NotApplicable alike."""
    year, row = _schedule_row(anchor, on, rows)
    if row is None:
        raise NotApplicable(_past_schedule(anchor, year))
    return row[2]()
