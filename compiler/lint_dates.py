"""Lint: dates and durations — literal dates outside the document's validity, durations beyond
`MAX_YEARS` years (a literal, a schedule year, the validity period) or of zero length (the
validity), and schedule years that fall in no row.
"""

from __future__ import annotations

from policyc.compiler import nodes as n
from policyc.compiler.i18n import _
from policyc.compiler.lint_base import LintContext
from policyc.compiler.lint_values import fold
from policyc.runtime.quantity import Quantity

MAX_YEARS = 100
_TIME_BASES = {"月": Quantity.of(MAX_YEARS, "年"), "小时": Quantity.of(MAX_YEARS * 366, "日")}


class DateChecks(LintContext):
    def check_duration(self, node: n.QuantityLit) -> None:
        value = fold(node)
        if not isinstance(value, Quantity) or len(value.dims) != 1:
            return
        base, power = value.dims[0]
        limit = _TIME_BASES.get(base)
        if limit is not None and power == 1 and value > limit:
            self.warn(
                "long-duration",
                node.span,
                _("`{self_written_node}` is a duration beyond {MAX_YEARS} years").format(
                    self_written_node=self.written(node),
                    MAX_YEARS=MAX_YEARS,
                ),
            )

    def check_schedule(self, schedule: n.Schedule) -> None:
        last = 0
        for row in schedule.rows:
            if last and row.first > last + 1:
                gap = (
                    _("year {last_1} falls").format(last_1=last + 1)
                    if row.first == last + 2
                    else _("years {last_1}–{row_first_1} fall").format(
                        last_1=last + 1,
                        row_first_1=row.first - 1,
                    )
                )
                self.warn(
                    "schedule-gap",
                    row.span,
                    _(
                        "{gap} in no row of the schedule: it pays nothing between year {last} "
                        "and year {row_first}"
                    ).format(gap=gap, last=last, row_first=row.first),
                )
            if row.last > MAX_YEARS:
                self.warn(
                    "long-duration",
                    row.span,
                    _("year {row_last} of a schedule is beyond {MAX_YEARS} years").format(
                        row_last=row.last,
                        MAX_YEARS=MAX_YEARS,
                    ),
                )
            last = max(last, row.last)

    def check_dates(self) -> None:
        start, end = self.header.valid_from, self.policy.valid_until
        if start is None or end is None:
            return
        for expr in self.all_expressions():
            for node in n.walk(expr):
                if not isinstance(node, n.DateLit):
                    continue
                if node.value < start:
                    where = _("before the policy takes effect ({start_isoformat})").format(
                        start_isoformat=start.isoformat(),
                    )
                elif node.value > end:
                    where = _("after the policy ends ({end_isoformat})").format(
                        end_isoformat=end.isoformat(),
                    )
                else:
                    continue
                self.warn(
                    "date-outside-validity",
                    node.span,
                    _("the date {node_value_isoformat} is {where}").format(
                        node_value_isoformat=node.value.isoformat(),
                        where=where,
                    ),
                )

    def check_validity(self) -> None:
        length = self.header.valid_for
        if length is None:
            return
        value = fold(length)
        if not isinstance(value, Quantity):
            return
        if value.is_zero():
            self.warn(
                "zero-validity",
                length.span,
                _("a validity of zero length: the policy is never in force"),
            )
        else:
            self.check_duration(length)
