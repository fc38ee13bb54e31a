"""Lint: likely mistakes in a policy that checks, reported as warnings at the offending node.

The checker (checker.py) rejects what cannot be evaluated; `lint` looks for what evaluates but
probably says something the document does not. Each warning names the words as written.

`lint(policy)` checks one document:

- tiers: amounts that do not rise with the threshold in a `highest`/`highest_new` table (a
  higher row paying less than, or the same as, a lower one); rows that mix a word including its
  threshold (达到, 以上, 不少于, >=) with one excluding it (超过, 高于, >); two rows with the same
  non-literal threshold (equal literal thresholds are the checker's error);
- ranges split between the rules of one clause: where one rule's condition ends at the value
  another's begins (`x 不满 12 月` / `x 满 12 月`), both words must not include the value (a
  case gets both) nor both exclude it (a case gets neither);
- caps: a literal cap below a literal amount (or below a tier's or schedule row's literal amount,
  or an `if` branch's), or below what one unit pays at a per-unit rate (`0.2 元/单 × 发货量` with
  `cap 0.1 元`: one 单 is already over the cap);
- values: a share above 100% (`150% of 投资额`); arithmetic on literals that works out negative;
- conditions that can never hold: contradictory ranges (`x 不少于 50 人 and x 不满 40 人`), enum
  tests (`x is A and x is B`, `x is A and x in {B, C}`), readings, booleans (`b and not b`) and
  literal comparisons, through `and`, `all_of`, the `when`s of a rule and named `define`s. A
  rule whose conditions can never all hold is a rule no case can reach; an alternative of
  `or`/`any_of` that cannot hold beside the rest is reported on its own;
- literal dates outside the document's validity; durations beyond 100 years (a literal, a
  schedule year, the validity period) or of zero length (the validity); schedule years that
  fall in no row between two rows (`year 1 to 2`, `year 4 to 5`: year 3);
- documentary readings declared and never used (the checker makes sure every other reading
  is tested): no rule says `reading NAME`, no expression tests
  `reading NAME is …`, and no string of the policy (a note, a target's or define's
  description …) mentions `读法 NAME` (or `解读 NAME`), the drafters' way of pointing a target
  or a task, which cannot name a reading, at one; a reading whose options name the header's
  `counting` is used by the header;
- a `define` nothing reads (`unused-define`, lint_defines), named with its line;
- a rule that grants something with no condition and reading no input while its text states
  one (`applies-to-every-case`, lint_unconditioned): it applies to every case;
- numbering: within each kind (section, clause, task), a number lower than the one before, in
  Chinese numerals (一 … 一百二十) or digits (a number repeated is the checker's error, so
  numbering never restarts within a document);
- a target without a `quote` of its own whose part's first sentence, which run, the JSON and
  the site then cite for it, writes neither its figure nor its `by` day (`target-without-quote`).

`lint_folder(policies)` adds what only a folder can tell: a unit of a registry (or of a policy)
that no policy of the folder names (responsible, lead, cooperates, issuer, interpreted_by, via
any alias); two units with the same full name; an alias that repeats its unit's name or is
listed twice. It returns only these folder-level warnings; call `lint` for each policy too.

Decided not to warn: a per-month rate multiplied by a number of years (`200 元/月/间 × 间数 ×
年数`). Measures convert exactly (1 年 = 12 月), so the product is the right amount of 元 for
that many years; multiplying by a count that is not a duration leaves time in the result,
which the checker already rejects as "not money". What the checker already reports (unknown
names and units, mismatched measures, descending or equal literal tiers, repeated clause
numbers, unused inputs, an alias naming two units) is not repeated here.

One module per family of checks, run in order by the table `_CHECKS`: `lint_conditions`
(conditions that never hold, ranges between rules), `lint_amounts` (caps, signs, tiers),
`lint_dates` (dates, durations, schedules), `lint_document` (readings, numbering, targets'
quotes), `lint_units` (units, and `lint_folder`); their shared state is `lint_base`, literal
values `lint_values`, facts about conditions `lint_facts`.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Collection

from policyc.compiler import nodes as n
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import Diagnostic, Span
from policyc.compiler.i18n import _
from policyc.compiler.lint_amounts import AmountChecks
from policyc.compiler.lint_base import ordered
from policyc.compiler.lint_calendar import check_months_by_day
from policyc.compiler.lint_conditions import ConditionChecks
from policyc.compiler.lint_dates import DateChecks
from policyc.compiler.lint_defines import DefineChecks
from policyc.compiler.lint_document import DocumentChecks
from policyc.compiler.lint_once import check_once
from policyc.compiler.lint_unconditioned import check_unconditioned
from policyc.compiler.lint_units import UnitChecks
from policyc.compiler.lint_values import bounds_of, fold, is_negative, ofs_in, value_text
from policyc.compiler.todos import todo_warnings
from policyc.runtime.quantity import declared_measures


def lint(policy: CheckedPolicy) -> list[Diagnostic]:
    """Warnings for one checked policy, in document order."""
    linter = _Linter(policy)
    with declared_measures(policy.measures):  # the policy's own measures (`measure 方 = …`)
        linter.run()
    todos = todo_warnings(policy.text, policy.file.path, policy.file.asides)
    return ordered([*linter.found, *todos])


class _Linter(ConditionChecks, AmountChecks, DateChecks, DocumentChecks, UnitChecks, DefineChecks):
    """Every family of checks over one policy, run in the order of `_CHECKS`."""

    def run(self) -> None:
        for check in _CHECKS:
            check(self)

    def check_rules(self) -> None:
        for _owner, rule in self.file.all_rules():
            if rule.whens:
                self.report_conditions(
                    list(rule.whens),
                    _("rule `{rule_name}` can never apply").format(rule_name=rule.name.text),
                )
            if isinstance(rule.amount, n.Expr):
                self.check_amount(rule)
                self.check_sign(rule.amount, rule.whens)
            check_once(self, rule)  # `once per 人` on `3000 元/人 × count` (lint_once)

    def check_expressions(self) -> None:
        ceilings: set[int] = set()  # a cap or a limit may be a multiple of its base (300%)
        for _owner, rule in self.file.all_rules():
            for bound in (rule.cap.amount if rule.cap else None, *(x.amount for x in rule.limits)):
                if bound is not None:
                    ceilings |= ofs_in(bound)
        for expr in self.all_expressions():
            self.check_expression(expr, ceilings | bounds_of(expr))

    def check_expression(self, expr: n.Expr, bounds: Collection[int] = ()) -> None:
        negative_seen: list[Span] = []
        for node in n.walk(expr):
            if (
                isinstance(node, n.Of)
                and isinstance(node.ratio, n.PercentLit)
                and id(node) not in bounds
            ):
                try:
                    over = decimal.Decimal(node.ratio.number) > 100
                except decimal.InvalidOperation:
                    over = False
                if over:
                    self.warn(
                        "share-over-whole",
                        node.ratio.span,
                        _(
                            "`{self_written_node}` takes more than the whole: a share is at most "
                            "100%"
                        ).format(self_written_node=self.written(node)),
                    )
            if isinstance(node, n.Arith) and node.op == "-" and not _inside(node, negative_seen):
                value = fold(node)
                if is_negative(value):
                    assert value is not None
                    negative_seen.append(node.span)
                    self.warn(
                        "negative-value",
                        node.span,
                        _(
                            "`{self_written_node}` works out to {shown_value}: amounts, rates "
                            "and thresholds are never negative"
                        ).format(
                            self_written_node=self.written(node),
                            shown_value=value_text(value),
                        ),
                    )
            if isinstance(node, n.QuantityLit):
                self.check_duration(node)
            if isinstance(node, n.Tiers):
                self.check_tiers(node)
            if isinstance(node, n.Schedule):
                self.check_schedule(node)


# The checks in the order they run (warnings come out sorted by place; at one place, in this order).
_CHECKS: tuple[Callable[[_Linter], None], ...] = (
    _Linter.check_defines,
    _Linter.check_unused_defines,  # compiler/lint_defines.py
    _Linter.check_rules,
    _Linter.check_expressions,
    _Linter.check_ranges_between_rules,
    _Linter.check_dates,
    _Linter.check_validity,
    _Linter.check_readings,
    _Linter.check_numbering,
    _Linter.check_target_quotes,
    _Linter.check_units,
    check_months_by_day,  # compiler/lint_calendar.py
    check_unconditioned,  # compiler/lint_unconditioned.py
)


def _inside(node: n.Expr, spans: list[Span]) -> bool:
    here = (node.span.line, node.span.column)
    return any((s.line, s.column) <= here <= (s.end_line, s.end_column) for s in spans)
