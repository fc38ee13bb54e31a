"""Semantic checks: names resolve, measures fit, quotes are in the source, readings are declared.

The checker collects every problem it finds (it does not stop at the first) and returns a
`CheckedPolicy`: the AST plus what later stages need — resolved units, input types, the validity
period, and the source line of each quote.

`compiler.checker` joins the families of checks, each in its own module: the checker's state
(`check_base`), expression types (`expr_types`), declarations (`declarations`), the received
text and the unit registry (`received_text`), the header and validity (`header_checks`),
clauses and rules (`rule_checks`); conventions, rounding and shared caps (`amount_checks`),
scales and dated values (`scale_checks`), households and periods (`group_checks`). What it hands
on (`CheckedPolicy`, `Type`) is in `compiler.checked`, named here for the many callers.
"""

from __future__ import annotations

from pathlib import Path

from policyc.compiler import group_checks, holiday_notices, period_amounts, table_keys
from policyc.compiler import nodes as n
from policyc.compiler.checked import BOOL as BOOL
from policyc.compiler.checked import DATE as DATE
from policyc.compiler.checked import MONEY_DIMS as MONEY_DIMS
from policyc.compiler.checked import UNKNOWN as UNKNOWN
from policyc.compiler.checked import CheckedPolicy as CheckedPolicy
from policyc.compiler.checked import InputInfo as InputInfo
from policyc.compiler.checked import Type as Type
from policyc.compiler.checked import amount_flow as amount_flow
from policyc.compiler.checked import constant as constant
from policyc.compiler.checked import mul_dims as mul_dims
from policyc.compiler.define_order import define_order
from policyc.compiler.errors import PolicyError, Severity, Span
from policyc.compiler.header_checks import HeaderChecks
from policyc.compiler.i18n import _
from policyc.compiler.rule_checks import RuleChecks
from policyc.runtime.quantity import declared_measures


def check(file: n.PolicyFile, text: str) -> CheckedPolicy:
    """Check one parsed policy file; raises PolicyError listing every error found."""
    checker = _Checker(file, text)
    checker.measures = checker.declare_measures()
    with declared_measures(checker.measures):  # the policy's own, while it is checked
        checker.run()
    errors = [d for d in checker.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise PolicyError(checker.diagnostics, checker.sources)
    file = checker.file  # with `X per 月` for X in 元/月 read as a month's money (period_amounts)
    assert file.header is not None
    return CheckedPolicy(
        file=file,
        text=text,
        header=file.header,
        registry=checker.registry,
        inputs=checker.inputs,
        enums=checker.enums,
        tables=checker.tables,
        readings=checker.readings,
        defines=checker.defines,
        valid_until=checker.valid_until,
        quote_lines=checker.quote_lines,
        quote_places=checker.quote_places,
        warnings=tuple(checker.diagnostics),
        ordered_enums=frozenset(checker.ordered),
        special=checker.special,
        procedures=checker.procedures,
        references=tuple(checker.references),
        conventions=checker.conventions,
        roundings=checker.roundings,
        shared_caps=checker.shared_caps,
        shared_limits=checker.shared_limits,
        choices=checker.choices,
        parts=checker.parts,
        validity_reading=checker.validity_reading,
        validity_options=checker.validity_options,
        people=group_checks.people_of(checker),
        define_types=checker.define_types,
        measures=checker.measures,
        calendar=holiday_notices.plain(checker.notices),
        calendar_incomplete=holiday_notices.incomplete(checker.notices),
    )


class _Checker(RuleChecks, HeaderChecks):
    """The checks of one policy file, run in order by `run`; problems collected, none raised."""

    notices: tuple[n.HolidayNotice, ...] = ()

    def load_notices(self, header: n.Header) -> None:
        """The yearly 节假日安排 the policy declares and its `calendar from` file holds, checked
        (compiler/holiday_notices.py)."""
        loaded = holiday_notices.load_calendar_file(
            Path(self.file.path), header, self.diagnostics, self.sources
        )
        self.notices = (*self.file.notices, *loaded)
        self.diagnostics.extend(holiday_notices.notices_problems(self.notices, self.sources))

    def declare_defines(self) -> None:
        """Every define and decide, each after those it reads, in whatever order the file
        writes them (compiler/define_order.py); a cycle is refused with its chain named."""
        ordered, cycles = define_order(self.file.all_defines())
        for define, chain in cycles:
            self.error(
                define.name.span,
                _("`{name}` is defined through itself: {chain}").format(
                    name=define.name.text, chain=" → ".join(chain)
                ),
                _("definitions that do not read one another in a loop"),
            )
            for name in chain:  # typed as unknown: nothing more is said of them
                self.define_types[name] = UNKNOWN
        for define in ordered:
            self.declare_define(define)

    def run(self) -> None:
        header = self.file.header
        if header is None:
            self.error(
                Span(self.file.path, 1, 1),
                _("a policy file starts with a `policy` header"),
                '`policy "文号" { title … }`',
            )
            return
        self.load_units(header)
        self.load_notices(header)
        self.check_header(header)
        self.declare_enums()
        self.declare_inputs()
        self.people = group_checks.declare_people(self)
        self.rules_by_name = {rule.name.text: rule for _, rule in self.file.all_rules()}
        self.declare_targets()
        self.declare_procedures()
        self.declare_tables()
        self.declare_readings()
        self.check_repairs(header)
        self.check_valid_reading(header)
        self.declare_defines()
        for define in self.file.all_defines():  # `decide … per 月` (declarations.py)
            self.check_decide_period(define)
        self.current_rule = ""
        self.check_structure(header)
        table_keys.check_partial_tables(self)  # a table without some rows: never read there
        self.file = period_amounts.rewrite(self.file, self.period_rewrites)
        group_checks.check_cycles(self)
        self.check_after_amounts()
        self.check_reading_use()
        self.place_quotes()  # after every quote is checked (amount_checks checks some)
        self.check_article_numbers()  # a clause's first quote without its 第N条
        for decl in self.file.inputs:
            if decl.name.text not in self.used_inputs and decl.type.kind != "target":
                self.warn(
                    decl.name.span,
                    _("input `{decl_name}` is declared but no rule uses it").format(
                        decl_name=decl.name.text,
                    ),
                    code="unused-input",
                )
