"""`tiers` in the numpy engine (batch_vector.py), as batch_scales.tiers_sql computes them.

Held exactly when every threshold and every amount is a number written in the policy and the
thresholds rise strictly with one word for all (达到/以上 `ge`, or 超过 `gt`): the rows a value
reaches are then the first ones, and how many it reaches is one binary search
(np.searchsorted: `ge` counts thresholds ≤ the value, `gt` those < it). Anything else raises
Unsupported (the SQL path holds it).
"""

from __future__ import annotations

from itertools import accumulate, pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from policyc.compiler import nodes as n
from policyc.compiler.batch_sql import Unsupported
from policyc.compiler.batch_vector import (
    Env,
    Val,
    Vec,
    both,
    checked_bound,
    decimal_units,
    either,
    keep_where,
    places,
    rescale,
)
from policyc.compiler.i18n import _

if TYPE_CHECKING:
    from policyc.compiler.batch_vector import VectorExpressions

__all__ = ["tiers_vec"]


def tiers_vec(gen: VectorExpressions, e: n.Tiers) -> Vec:
    """Ctx.tiers over arrays: the amount by `e.mode`, unknown where any operand is, and
    NotApplicable where the known value reaches no row or (the _new modes, the prior known)
    reaches no row the prior had not reached."""
    subject = gen.number(e.subject)
    prior = gen.number(e.prior) if e.prior is not None else None
    thresholds = [gen.number(row.threshold.value).constant for row in e.rows]
    amounts = [gen.number(row.amount).constant for row in e.rows]
    ops = {row.threshold.op for row in e.rows}
    if (prior is None) != (e.mode in ("highest", "each")):
        raise Unsupported(_("tiers `{mode}`").format(mode=e.mode))
    if any(t is None for t in thresholds) or any(a is None for a in amounts):
        raise Unsupported(_("tiers whose thresholds or amounts are not numbers"))
    edges = [t for t in thresholds if t is not None]
    if len(ops) != 1 or any(b <= a for a, b in pairwise(edges)):
        raise Unsupported(_("tiers whose thresholds do not rise with one word"))
    side = "right" if ops == {"ge"} else "left"
    scale = max([subject.scale, *(places(t) for t in edges)])
    if prior is not None:
        scale = max(scale, prior.scale)
        prior = rescale(prior, scale)
    subject = rescale(subject, scale)
    table = np.array([decimal_units(t, scale) for t in edges], dtype=np.int64)
    values = [a for a in amounts if a is not None]
    out_scale = max(places(a) for a in values)
    units = [decimal_units(a, out_scale) for a in values]
    if e.mode in ("each", "each_new"):
        picks = [0, *accumulate(units)]
        bound = sum(abs(u) for u in units)
    else:
        picks = [0, *units]
        bound = max(abs(u) for u in units)
    checked_bound(bound)
    lookup = np.array(picks, dtype=np.int64)
    mode = e.mode
    compare = np.greater_equal if side == "right" else np.greater

    def count_reached(x: Any) -> Any:
        """How many rows `x` reaches: a binary search per value for many rows, else one
        comparison per row added up in int8 (several times faster for a few rows)."""
        if len(table) > 16 or np.ndim(x) == 0:
            return np.searchsorted(table, x, side=side)  # type: ignore[call-overload]
        reached = compare(x, table[0]).view(np.int8)
        for edge in table[1:]:
            reached += compare(x, edge).view(np.int8)
        return reached

    x_run = subject.run
    p_run = prior.run if prior is not None else None

    def run(env: Env) -> Val:
        x = x_run(env)
        reached = count_reached(x.v)
        known_x = x.known
        known = known_x
        na = x.na
        # Amounts by np.take, not lookup[...]: numpy's fancy indexing with int8 indices took
        # about twice as long (0.17 against 0.09 ms for 131,072 rows).
        if p_run is None:
            value = np.take(lookup, reached)
            none = reached == 0
        else:
            p = p_run(env)
            had = count_reached(p.v)
            known = both(known_x, p.known)
            na = either(na, p.na)
            new = had < reached
            # Where the value is not new both row numbers are taken as 0 (lookup[0] = 0): the
            # amount is then 0 from the small int8 row numbers, without an int64 select over
            # the amounts (0.10 against 0.22 ms for 131,072 rows). Where it is new, the prior
            # reached fewer rows (min(had, reached) = had).
            value = np.take(lookup, reached * new)
            if mode == "each_new":
                value = value - np.take(lookup, had * new)
            # _none_reached: unknown value → no; none reached → yes; prior unknown → no;
            # else whether the prior reached the highest row the value reaches.
            prior_reaches = ~new if p.known is None else p.known & ~new
            none = (reached == 0) | prior_reaches
        if known_x is not None:
            none = none & known_x
        if known is not None:
            value = keep_where(known, value)
        return Val(value, known, either(na, none))

    return Vec("num", run, out_scale, bound, nonnegative=all(u >= 0 for u in units))
