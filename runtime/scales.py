"""Progressive scales (分段累进) and values that change on dates, for generated code.

Generated code reaches these through `Ctx.progressive` and `Ctx.dated`
(runtime/evaluation.py), as it reaches every other helper through the context.

A progressive scale's rows are `(op, edge, rate, edge words)` in ascending order, in one of two
shapes the checker admits (compiler/scale_checks.py):

- **upper edges** (the documents' usual wording, 不超过3000元的部分 3%、超过3000元至12000元的部分
  10%…): each row but possibly the last names its band's upper edge with `le`/`lt` (不超过, 以下,
  以内 / 不满, 低于); the first band starts at zero. The last row may name the open top band by its
  lower edge (`gt`/`ge`: 超过12000元的部分), equal to the edge before it. Without it a base above
  the last edge is outside the scale: not applicable, never an invented rate.
- **lower edges** (OpenFisca-style brackets: 超过0元: 3%, 超过3000元: 10%): every row names its
  band's lower edge with `gt`/`ge`; the top band is open. A base below the first edge is in no
  band: not applicable, as a tier table reached by no row.

A base exactly on an edge falls in the band whose word includes it (以下/不超过 include it in the
lower band, 不满 leaves it to the upper one; 超过 leaves it to the lower band, 以上/达到 put it in
the upper one). Where both words include it (…以下 / …以上, 民法典 art. 1259), it falls in the
lower band, the one named first. The amount is the same whichever band holds it: the part of the
base beyond the edge is zero.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

# evaluation.py imports this module at its end, and reaches it only through the attribute:
# whichever of the two is imported first, these names exist by the time this line runs.
from policyc.runtime.evaluation import NotApplicable, Unknown, show_value, unknown
from policyc.runtime.plain import Frozen, _set
from policyc.runtime.quantity import Quantity

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

    from policyc.runtime.evaluation import Ctx

UPPER_EDGE_OPS = frozenset({"le", "lt"})
LOWER_EDGE_OPS = frozenset({"ge", "gt"})


class Band(Frozen):
    """One band: from `lower` to `upper` (None: no upper edge), at `rate`; whether each edge
    value itself belongs to this band."""

    _fields = ("lower", "lower_included", "upper", "upper_included", "rate")
    __slots__ = _fields
    lower: Quantity
    lower_included: bool
    upper: Quantity | None
    upper_included: bool
    rate: Quantity

    def __init__(
        self, lower: Quantity, lower_included: bool, upper: Quantity | None,
        upper_included: bool, rate: Quantity,
    ):  # fmt: skip
        _set(self, "lower", lower)
        _set(self, "lower_included", lower_included)
        _set(self, "upper", upper)
        _set(self, "upper_included", upper_included)
        _set(self, "rate", rate)

    def holds(self, base: Quantity) -> bool:
        """Whether `base` falls in this band (its top is in it)."""
        above = base > self.lower or (base == self.lower and self.lower_included)
        if self.upper is None:
            return above
        below = base < self.upper or (base == self.upper and self.upper_included)
        return above and below

    def part(self, base: Quantity) -> Quantity:
        """The part of `base` inside this band (zero when the base does not reach it)."""
        top = base if self.upper is None or base < self.upper else self.upper
        part = top - self.lower
        return part if part.value > 0 else base - base


def bands(rows: tuple[tuple[str, Quantity, Quantity, str], ...], zero: Quantity) -> list[Band]:
    """The bands of a scale from its rows (the shapes above); `zero` is zero of the base."""
    out: list[Band] = []
    if rows[0][0] in LOWER_EDGE_OPS:  # every row is a lower edge
        for i, (op, edge, rate, _) in enumerate(rows):
            upper = rows[i + 1] if i + 1 < len(rows) else None
            out.append(
                Band(
                    edge,
                    op == "ge",
                    upper[1] if upper else None,
                    upper is not None and upper[0] == "gt",
                    rate,
                )
            )
        return out
    lower, lower_included = zero, True
    for op, edge, rate, _ in rows:
        if op in UPPER_EDGE_OPS:
            out.append(Band(lower, lower_included, edge, op == "le", rate))
            lower, lower_included = edge, op == "lt"
        else:  # the open top band, named by its lower edge (the edge before it)
            # Both words including the edge (以下 / 以上): it stays in the lower band.
            included = op == "ge" and not out[-1].upper_included
            out.append(Band(edge, included, None, False, rate))
    return out


def band_words(band: Band, show: Callable[[Any], str]) -> str:
    """A band as the documents word it: 不超过3,000元的部分, 超过3,000元至12,000元的部分."""
    low = f"{'达到' if band.lower_included else '超过'}{show(band.lower)}"
    if band.upper is None:
        return f"{low}的部分"
    high = f"{show(band.upper)}{'（含）' if band.upper_included else '（不含）'}"
    if band.lower.value == 0 and band.lower_included:
        return f"{'不超过' if band.upper_included else '不满'}{show(band.upper)}的部分"
    return f"{low}至{high}的部分"


def progressive(
    c: Ctx,
    base: Quantity,
    rows: tuple[tuple[str, Quantity, Quantity, str], ...],
    line: int,
    text: str,
) -> Quantity | Any:
    """Σ rate × (the part of `base` inside each band), exact. An unknown base, edge or rate
    makes it unknown; a base in no band raises NotApplicable saying why."""
    if (missing := unknown(base, *(v for row in rows for v in (row[1], row[2])))) is not None:
        return missing
    scale = bands(rows, base - base)
    where = next((i for i, band in enumerate(scale) if band.holds(base)), None)
    if where is None:
        if base.value < 0:
            why = f"分段基数为负: {text} {show_value(base)}"
        elif rows[0][0] in LOWER_EDGE_OPS:
            first = band_words(scale[0], show_value)
            why = f"未达到第一段: {text} {show_value(base)}, 第一段为{first}"
        else:
            last = scale[-1]
            why = f"超出分段表: {text} {show_value(base)}, 最高一段为{band_words(last, show_value)}"
        c.step(why, line)
        raise NotApplicable(why)
    total = (base - base) * scale[0].rate  # zero, in the amount's measure
    parts: list[str] = []
    for band in scale:
        part = band.part(base)
        if part.value == 0:
            continue
        amount = part * band.rate
        total = total + amount
        parts.append(
            f"{band_words(band, show_value)} {show_value(part)} × {show_value(band.rate)}"
            f" = {show_value(amount)}"
        )
    if c.explain:
        detail = "；".join(parts) or "各段均为零"
        c.step(
            f"分段累进 {text} {show_value(base)}（落在第{where + 1}段）: {detail} → "
            f"{show_value(total)}",
            line,
        )
    return total


def in_force_row(
    rows: tuple[tuple[date, Callable[[], Any], str], ...], day: date
) -> tuple[date, Callable[[], Any], str] | None:
    """The row in force on `day`: the last whose start is on or before it (None: before all)."""
    chosen = None
    for row in rows:
        if row[0] <= day:
            chosen = row
        else:
            break
    return chosen


def dated(
    c: Ctx,
    on: date | None,
    rows: tuple[tuple[date, Callable[[], Any], str], ...],
    line: int,
    text: str,
) -> Any:
    """The value in force on `on` (the evaluation date when None): the row from the latest start
    on or before it. A day before the first start has no value: raises NotApplicable saying so,
    never a number the document does not give."""
    day = c.on if on is None else on
    if isinstance(day, Unknown):
        return day
    row = in_force_row(rows, day)
    if row is None:
        why = f"{text}: {day.isoformat()} 尚无规定（最早自 {rows[0][0].isoformat()} 起施行）"
        c.step(why, line)
        raise NotApplicable(why)
    start, value, source = row
    result = value()
    if c.explain and not isinstance(result, Unknown):
        by = f"，{source}" if source else ""
        c.step(
            f"{text}: {day.isoformat()} 适用自 {start.isoformat()} 起的 {show_value(result)}{by}",
            line,
        )
    return result
