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
from policyc.runtime.quantity import MeasureError, Quantity, dims_text


class AmountChecks(LintContext):
    def check_sign(self, amount: n.Expr, whens: tuple[n.Expr, ...] = ()) -> None:
        found = may_go_negative(amount, self.policy, fold, whens)
        if found is None:
            return
        part = part_to_declare(found, self.policy)
        zero = self.zero_measure(found)
        bounded = (
            f"max({self.source(found)}, 0{' ' + zero if zero else ''})" if zero is not None else ""
        )
        if part and bounded:
            hint = _(
                "a declaration that what is taken away is part of what it is taken from "
                "(`input {part}`), a condition that it is not more (`when …`), or a floor of "
                "zero (`{bounded}`)"
            ).format(part=part, bounded=bounded)
        elif bounded:
            hint = _(
                "a condition that what is taken away is not more than what it is taken from "
                "(`when …`), or a floor of zero (`{bounded}`)"
            ).format(bounded=bounded)
        else:
            hint = _(
                "a condition that what is taken away is not more than what it is taken from "
                "(`when …`), or a floor of zero (`max` of it and zero in its measure)"
            )
        self.found.append(
            Diagnostic(
                found.span,
                _(
                    "the amount can come out below zero: in `{found}`, what is taken away may "
                    "be more than what it is taken from"
                ).format(found=self.quoted(found)),
                hint,
                Severity.WARNING,
                code=NEGATIVE_AMOUNT,
            )
        )

    def quoted(self, found: n.Arith) -> str:
        """The subtraction as a message quotes it: whole when short, else its last term taken
        away (`… - 现有月还款额`), never cut inside a bracket or at a line break."""
        whole = self.source(found)
        if len(whole) <= 60:
            return whole
        taken = self.source(found.right)
        return f"… - {taken}" if len(taken) <= 56 else "… - …"

    def source(self, node: n.Expr) -> str:
        """A node's policy code whole, from its first character to its last across lines (the
        parse tree's span), blanks run together: code a suggestion can be built on."""
        span = node.span
        if not 1 <= span.line <= span.end_line <= len(self.lines):
            return self.written(node)
        if span.line == span.end_line:
            text = self.lines[span.line - 1][span.column - 1 : span.end_column - 1]
        else:
            first = self.lines[span.line - 1][span.column - 1 :]
            middle = self.lines[span.line : span.end_line - 1]
            last = self.lines[span.end_line - 1][: span.end_column - 1]
            text = " ".join([first, *middle, last])
        return " ".join(text.split())

    def zero_measure(self, expr: n.Expr) -> str | None:
        """The measure an amount counts in, as a literal writes it ("" for a plain number or
        a share), or None where it is not that simple to tell: the zero of `max(…, 0 元/月)`."""
        if isinstance(expr, n.QuantityLit):
            return expr.measure
        if isinstance(expr, n.PercentLit):
            return ""
        if isinstance(expr, n.Ref):
            info = self.policy.inputs.get(expr.name)
            if info is not None and info.type.kind == "quantity" and info.measure is not None:
                return info.measure.name
            typed = self.policy.define_types.get(expr.name)
            if typed is not None and typed.kind == "quantity":
                return dims_text(typed.dims)
            return None
        if isinstance(expr, n.Arith) and expr.op in "+-":
            left = self.zero_measure(expr.left)
            return left if left is not None else self.zero_measure(expr.right)
        if isinstance(expr, n.Arith):  # ×: a plain factor or share keeps the other's measure
            left, right = self.zero_measure(expr.left), self.zero_measure(expr.right)
            return right if left == "" else left if right == "" else None
        if isinstance(expr, n.If):
            then = self.zero_measure(expr.then)
            return then if then is not None else self.zero_measure(expr.otherwise)
        if isinstance(expr, n.Call) and expr.func in ("min", "max", "round") and expr.args:
            return self.zero_measure(expr.args[0])
        return None

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
