"""`once per 人` on an amount counted per 人: a one-time award per person that `once` cannot hold.

"按每人3000元给予一次性吸纳就业补贴": the enterprise is the case, and it is paid once for each
person it hires. `once per SCOPE` is once per case: a case that lists the rule under `received`
is paid nothing again, for every person it counts — the next year's new hires included. Where
the case *is* the person (`amount 5000 元`, `once per 人`: 返乡创业补贴) that is right; where the
amount is a rate per SCOPE times a count (`3000 元/人 × 新招用人数`), it is a wrong answer waiting
for the second application. Such a rule counts only the persons not yet paid, without `once`:
`amount 3000 元/人 × (新招用人数 - 已领取人数)` (or an input that counts them so). `check` warns,
code `once-per-counted`.
"""

from __future__ import annotations

from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.i18n import _


def check_once(linter: Any, rule: n.Rule) -> None:
    """Warn when `rule` is `once per SCOPE` and its amount holds a rate per SCOPE (`元/人`)."""
    if not rule.once or not isinstance(rule.amount, n.Expr):
        return
    for node in n.walk(rule.amount):
        if not isinstance(node, n.QuantityLit):
            continue
        per = [part.strip() for part in node.measure.split("/")[1:]]
        scope = next((s for s in rule.once if s in per), None)
        if scope is None:
            continue
        linter.warn(
            "once-per-counted",
            node.span,
            _(
                "`once per {scope}` pays rule `{rule}` once per case, but its amount counts "
                "{scope} (`{rate}`): a case that lists it under `received` gets nothing for any "
                "{scope}, later ones included; count only those not yet paid instead, without "
                "`once`"
            ).format(scope=scope, rule=rule.name.text, rate=linter.written(node)),
        )
        return
