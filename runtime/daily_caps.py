"""A cap per day over a duration, evaluated (compiler/daily_caps.py checks it; language.md "A cap
per day over a duration").

`capped_daily(ctx, amount, cap, line, daily)`: `daily` is (input, reading, ((option, meaning),
…)) as the generated module writes it. Under an option meaning `every_24_hours` the input's
duration D is split into whole days of 24 小时 and what is left (30 小时: 24 + 6; 48 小时: 24 +
24; 0 stays one part of 0). The rule's conditions have been judged on the whole stay; its
amount is evaluated for each part in a context whose input is that part (a `decide` reading it,
such as 计费时长 = round(停放时长, 1 小时, up), is decided again for the part), each part's amount
capped, and the parts added up. Returns (total, total before the caps) when a cap bit, (total,
None) when none did, or an Unknown. Under an option meaning `calendar_day` it raises
`DayReadingRefused`: a calendar day needs times of day the language does not have.
"""

from __future__ import annotations

import copy

from policyc.compiler.i18n import _
from policyc.runtime.evaluation import DayReadingRefused
from policyc.runtime.quantity import Quantity
from policyc.runtime.results import Unknown, _show, unknown

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

Daily = tuple[str, str, tuple[tuple[str, str], ...]]
DAY = Quantity.of(24, "小时")  # a day of the every_24_hours reading (日 is 24 小时 too)


def parts(duration: Quantity) -> list[Quantity]:
    """`duration` as whole days of 24 小时 and what is left: 30 小时 → [24 小时, 6 小时]; 24 小时
    → [24 小时]; 0 (or a negative duration, which the caller does not split) → itself alone."""
    if duration.value <= 0:
        return [duration]
    whole, rest = divmod(duration.value, DAY.value)
    out = [DAY] * int(whole)
    if rest:
        out.append(Quantity(rest, duration.dims))
    return out


def capped_daily(
    ctx: Any, amount: Callable[[Any], Any], cap: Any, line: int, daily: Daily
) -> tuple[Quantity, Quantity | None] | Unknown:
    """The rule's amount day by day, each day's capped (module docstring)."""
    name, reading, options = daily
    chosen = ctx.reading(reading)
    if dict(options).get(chosen) != "every_24_hours":
        raise DayReadingRefused(
            _(
                "reading `{reading}` is `{option}`: each calendar day capped apart needs the "
                "times of day the stay begins and ends, which policyc has not"
            ).format(reading=reading, option=chosen)
        )
    duration = ctx.get(name)
    if (missing := unknown(duration, cap)) is not None:
        return missing
    total: Quantity | None = None
    before: Quantity | None = None
    bit = False
    days = parts(duration)
    for number, part in enumerate(days, 1):
        if ctx.explain:
            ctx.step(f"第{number}日: {name} = {_show(part)}（每满24小时为一日）", line)
        value = amount(_with(ctx, name, part))
        if isinstance(value, Unknown):
            return value
        over = value > cap
        kept = cap if over else value
        bit = bit or over
        if ctx.explain:
            if over:
                ctx.step(
                    f"第{number}日: {_show(value)} 超过每日上限 {_show(cap)}, 按 {_show(cap)} 计",
                    line,
                )
            else:
                ctx.step(f"第{number}日: {_show(value)}, 未超过每日上限 {_show(cap)}", line)
        total = kept if total is None else total + kept
        before = value if before is None else before + value
    assert total is not None and before is not None
    if ctx.explain and len(days) > 1:
        ctx.step(f"{len(days)}日合计: {_show(total)}", line)
    return total, (before if bit else None)


def _with(ctx: Any, name: str, value: Quantity) -> Any:
    """A context like `ctx` whose input `name` is `value`, its defines and decides not yet
    decided (they may read it), its steps `ctx`'s."""
    inputs = copy.copy(ctx.inputs)
    inputs[name] = value
    sub = copy.copy(ctx)
    sub.inputs = inputs
    sub._memo = {}
    return sub
