"""Lint: amounts, caps and tiers — a cap below what every paying case gets (a literal amount, a
tier's, a schedule row's, or one unit at a per-unit rate), amounts that can come out below zero,
tier rows that mix boundary words, repeat a threshold, or pay less as they rise.
"""

from __future__ import annotations

from collections.abc import Iterator

from policyc.compiler import nodes as n
from policyc.compiler.errors import Diagnostic, Severity
from policyc.compiler.i18n import _
from policyc.compiler.lint_base import LintContext
from policyc.compiler.lint_values import fold, includes_boundary, less_than, value_text
from policyc.compiler.signs import NEGATIVE_AMOUNT, may_go_negative, part_to_declare
from policyc.runtime.quantity import MeasureError, Quantity


class AmountChecks(LintContext):
    def check_sign(self, amount: n.Expr, whens: tuple[n.Expr, ...] = ()) -> None:
        found = may_go_negative(amount, self.policy, fold, whens)
        if found is not None:
            part = part_to_declare(found, self.policy)
            bounded = f"max({self.written(found)}, 0 …)"
            self.found.append(
                Diagnostic(
                    found.span,
                    _(
                        "the amount can come out below zero: `{self_written_found}` takes away "
                        "what may be more than it takes it from"
                    ).format(
                        self_written_found=self.written(found),
                    ),
                    (
                        _(
                            "declare what is taken away `part of` what it is taken from "
                            "(`input {part}`), say when it is not below it (`when …`), or "
                            "bound it: `{bounded}`"
                        ).format(part=part, bounded=bounded)
                        if part
                        else _(
                            "say when it is not below what it is taken from (`when …`), or "
                            "bound it: `{bounded}`"
                        ).format(bounded=bounded)
                    ),
                    Severity.WARNING,
                    code=NEGATIVE_AMOUNT,
                )
            )

    def check_amount(self, rule: n.Rule) -> None:
        assert isinstance(rule.amount, n.Expr)
        cap = fold(rule.cap.amount) if rule.cap is not None else None
        if not isinstance(cap, Quantity) or rule.cap is None:
            return
        for what, payment in self.payments(rule.amount):
            if less_than(cap, payment):
                self.warn(
                    "cap-below-amount",
                    rule.cap.amount.span,
                    _("the cap `{value}` is below {what}: every case that pays is capped").format(
                        value=self.written(rule.cap.amount), what=what
                    ),
                )

    def payments(self, expr: n.Expr) -> Iterator[tuple[str, Quantity]]:
        """The literal amounts an amount can pay, and what one unit pays at a per-unit rate."""
        if isinstance(expr, n.If):
            yield from self.payments(expr.then)
            yield from self.payments(expr.otherwise)
            return
        if isinstance(expr, n.Tiers | n.Schedule):
            for row in expr.rows:
                yield from self.payments(row.amount)
            return
        if isinstance(expr, n.Dated):
            for dated in expr.rows:
                yield from self.payments(dated.value)
            return
        value = fold(expr)
        if isinstance(value, Quantity):
            yield (
                _("the amount `{self_written_expr}`").format(
                    self_written_expr=self.written(expr),
                ),
                value,
            )
            return
        one = self.one_unit(expr)
        if one is not None:
            payment, unit = one
            yield (
                _("what `{self_written_expr}` pays for one {unit} ({shown_payment})").format(
                    self_written_expr=self.written(expr),
                    unit=unit,
                    shown_payment=value_text(payment),
                ),
                payment,
            )

    def one_unit(self, expr: n.Expr) -> tuple[Quantity, str] | None:
        """`0.2 元/单 × 发货量` → (0.2 元, "单"): the product with every input at one unit."""
        if not isinstance(expr, n.Arith) or expr.op != "×":
            return None
        factors: list[n.Expr] = []
        stack: list[n.Expr] = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, n.Arith) and node.op == "×":
                stack += [node.right, node.left]
            else:
                factors.append(node)
        product: Quantity | None = None
        units: list[str] = []
        for factor in factors:
            value = fold(factor)
            if value is None:
                measure = self.measure_of(factor)
                if measure is None:
                    return None
                value = Quantity.of(1, measure)
                units.append(measure)
            if not isinstance(value, Quantity):
                return None
            try:
                product = value if product is None else product * value
            except (MeasureError, ArithmeticError):
                return None
        if product is None or not units or len(factors) == len(units):
            return None
        return product, "、".join(units)

    def measure_of(self, expr: n.Expr) -> str | None:
        """The declared measure of the input an expression counts in (`(年发货量 - 口罩发货量)`
        counts in 单), when it is that simple."""
        if isinstance(expr, n.Ref):
            info = self.policy.inputs.get(expr.name)
            if info is not None and info.type.kind == "quantity" and info.measure is not None:
                return info.measure.name or None
            return None
        if isinstance(expr, n.Arith) and expr.op in "+-":
            return self.measure_of(expr.left)
        if isinstance(expr, n.Call) and expr.func in ("min", "max") and expr.args:
            return self.measure_of(expr.args[0])
        return None

    def check_tiers(self, tiers: n.Tiers) -> None:
        rows = tiers.rows
        first = rows[0].threshold if rows else None
        for i, row in enumerate(rows):
            threshold = row.threshold
            if first is not None and includes_boundary(threshold.op) != includes_boundary(first.op):
                self.warn(
                    "mixed-boundaries",
                    threshold.span,
                    _(
                        "tier rows mix boundary words: `{threshold_word}` "
                        "{value} its threshold, "
                        "row 1's `{first_word}` "
                        "{value2} its own; "
                        "a tier table uses one word throughout"
                    ).format(
                        threshold_word=threshold.word,
                        value="includes" if includes_boundary(threshold.op) else "excludes",
                        first_word=first.word,
                        value2="includes" if includes_boundary(first.op) else "excludes",
                    ),
                )
            for j, earlier in enumerate(rows[:i]):
                same = earlier.threshold.value == threshold.value
                if same and earlier.threshold.op == threshold.op and fold(threshold.value) is None:
                    self.warn(
                        "same-threshold",
                        threshold.span,
                        _("this row has the same threshold as row {j_1} (`{value}`)").format(
                            j_1=j + 1,
                            value=self.written(earlier.threshold.value),
                        ),
                    )
            if tiers.mode not in ("highest", "highest_new") or i == 0:
                continue
            amount, lower = fold(row.amount), fold(rows[i - 1].amount)
            if amount is None or lower is None:
                continue
            if less_than(amount, lower) or amount == lower:
                relation = _("less than") if amount != lower else _("the same as")
                below = rows[i - 1]
                self.warn(
                    "tiers-descend",
                    row.amount.span,
                    _(
                        "tier amounts run the wrong way: `{self_written_threshold}` pays "
                        "`{self_written_row_amount}`, {relation} `{value}` "
                        "for `{value2}` below it; in `{tiers_mode}` "
                        "mode a higher row pays more"
                    ).format(
                        self_written_threshold=self.written(threshold),
                        self_written_row_amount=self.written(row.amount),
                        relation=relation,
                        value=self.written(below.amount),
                        value2=self.written(below.threshold),
                        tiers_mode=tiers.mode,
                    ),
                )
