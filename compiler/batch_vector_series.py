"""Daily series in the numpy engine (batch_vector.py): a series input is a 2-D int64 array (a
row per case, a column per day, in units of 10^-scale, 0 past the series' end) with each row's
length beside it (the env's NAME#len); compared with a number day by day it gives a 2-D bool
array (false past the end), as Ctx.cmp_series; `longest_run` of it the most consecutive true
days (Ctx.longest_run, in 日), one pass per day over every row; `first` the first day's value
(NotApplicable for an empty series, as Ctx.first).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import numpy as np

from policyc.compiler import nodes as n
from policyc.compiler.batch_sql import Unsupported
from policyc.compiler.batch_vector import (
    Env,
    Val,
    Vec,
    VectorExpressions,
    both,
    checked_bound,
    decimal_units,
    either,
    keep_where,
    places,
    rescale,
)
from policyc.compiler.i18n import _
from policyc.runtime.quantity import Quantity

__all__ = ["LENGTH", "series_call", "series_compare", "series_input"]

LENGTH = "#len"  # the env's key suffix of a series' lengths


def series_input(name: str, scale: int, bound: int, nonnegative: bool) -> Vec:
    def read(env: Env) -> Val:
        return env[name]

    return Vec("series", read, scale, bound, enum=name, nonnegative=nonnegative)


def _lengths(vec: Vec, env: Env) -> Any:
    return env[vec.enum + LENGTH].v  # a series Vec names its input in `enum`


def series_compare(gen: VectorExpressions, e: n.Compare, ops: dict[str, Any]) -> Vec:
    """The series compared with a number day by day: flags, false past each row's end."""
    series = gen.compile(e.left)
    value = gen.number(e.right)
    if series.kind != "series":
        raise Unsupported(_("a daily series compared day by day"))
    scale = max(series.scale, value.scale)
    factor = np.int64(10 ** (scale - series.scale))
    checked_bound(series.bound * int(factor))
    value = rescale(value, scale)
    op = ops[e.op]

    def run(env: Env) -> Val:
        x, y = series.run(env), value.run(env)
        days = x.v * factor if factor != 1 else x.v
        limit = y.v if np.ndim(y.v) == 0 else y.v[:, None]
        lengths = _lengths(series, env)
        inside = np.arange(days.shape[1])[None, :] < lengths[:, None]
        return Val(op(days, limit) & inside, both(x.known, y.known), either(x.na, y.na))

    return Vec("flags", run)


def series_call(gen: VectorExpressions, e: n.Call) -> Vec:
    """`longest_run(FLAGS)` in 日, or `first(SERIES)`."""
    arg = gen.compile(e.args[0])
    if e.func == "longest_run" and arg.kind == "flags":
        return _longest_run(arg)
    if e.func == "first" and arg.kind == "series":
        return _first(arg)
    raise Unsupported(_("`{func}` of a daily series").format(func=e.func))


def _longest_run(flags: Vec) -> Vec:
    day = Quantity.of(Decimal(1), "日").value  # one day in the stored unit of 日
    scale = places(day)
    unit = np.int64(decimal_units(day, scale))

    def run(env: Env) -> Val:
        x = flags.run(env)
        days = x.v
        best = np.zeros(days.shape[0], dtype=np.int64)
        current = np.zeros(days.shape[0], dtype=np.int64)
        for k in range(days.shape[1]):
            current = (current + 1) * days[:, k]
            np.maximum(best, current, out=best)
        value = best * unit
        if x.known is not None:
            value = keep_where(x.known, value)
        return Val(value, x.known, x.na)

    longest = 366 * 100  # a century of days at most: far within 64 bits
    return Vec("num", run, scale, checked_bound(longest * int(unit)), nonnegative=True)


def _first(series: Vec) -> Vec:
    def run(env: Env) -> Val:
        x = series.run(env)
        lengths = _lengths(series, env)
        empty = lengths == 0
        if x.known is not None:
            empty = empty & x.known
        na = either(x.na, empty if np.any(empty) else None)
        return Val(x.v[:, 0] if x.v.shape[1] else np.zeros(len(lengths), np.int64), x.known, na)

    return attrs.evolve(series, kind="num", run=run, enum="")
