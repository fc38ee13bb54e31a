"""Lint: completed months counted up to the evaluation day where a case is a month.

"自审核通过的次月起发放，最长不超过36个月": a restatement that writes
`months_between(审核通过日期, on_date()) 满 1 月` counts *completed* months, day by day, up to the
evaluation day — and a month's case that gives no `on:` is judged on the month's first day,
when the month that began is not yet completed. Where the policy's cases are periods (a group,
an input per period, a rule paid per period), `months_between(…, on_date())` is warned of
(`months-by-day`), naming `calendar_months_between`, which counts the month of a date from the
month of another whatever the day. A policy that means completed months (满6个月) says so with
`# policyc: ignore[months-by-day] reason`.

`check_months_by_day(ctx)` runs from compiler/lint.py's table.
"""

from __future__ import annotations

from policyc.compiler import nodes as n
from policyc.compiler.i18n import _
from policyc.compiler.lint_base import LintContext


def _ends_today(call: n.Call) -> bool:
    end = call.args[1] if len(call.args) == 2 else None
    return isinstance(end, n.Call) and end.func == "on_date"


def check_months_by_day(ctx: LintContext) -> None:
    """`months_between(X, on_date())` in a policy whose cases are periods."""
    if not ctx.policy.people.by_period:
        return
    for expr in ctx.all_expressions():
        for node in n.walk(expr):
            if isinstance(node, n.Call) and node.func == "months_between" and _ends_today(node):
                ctx.warn(
                    "months-by-day",
                    node.span,
                    _(
                        "`{written}` counts completed months up to the evaluation day, and a "
                        "month's case without `on:` is judged on its first day: a month counted "
                        "from another (次月起, 第N个月) is `calendar_months_between`"
                    ).format(written=ctx.written(node)),
                )
