"""The checker's state: what every family of checks reads and fills, and how they report.

`CheckerBase` holds the declarations found so far (inputs, enums, tables, readings, defines and
their types), what later stages need (quote lines, conventions, rounding, shared caps, parts,
households) and the bookkeeping of the checks in progress (the rule being checked, whether a
member is in view). `error` and `warn` collect diagnostics; nothing here raises. The families
of checks subclass it: `expr_types`, `declarations`, `received_text`, `header_checks`,
`rule_checks`; `compiler.checker` joins them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from policyc.compiler import group_checks
from policyc.compiler import nodes as n
from policyc.compiler.checked import InputInfo, Type
from policyc.compiler.codes import WARNING_CODES
from policyc.compiler.errors import Diagnostic, Severity, Span
from policyc.compiler.i18n import _
from policyc.compiler.registry import Registry
from policyc.runtime.amounts import Rounding, SharedCapPlan
from policyc.runtime.choices import ChoicePlan
from policyc.runtime.quantity import Declared, Dims


class CheckerBase:
    def __init__(self, file: n.PolicyFile, text: str):
        self.file = file
        self.sources: dict[str, str] = {file.path: text}
        self.diagnostics: list[Diagnostic] = []
        self.registry = Registry()
        self.inputs: dict[str, InputInfo] = {}
        self.enums: dict[str, tuple[str, ...]] = {}
        self.measures: Declared = ()  # the policy's own (`measure 方 = 1 立方米`)
        self.tables: dict[str, n.TableDecl] = {}
        # Each table's type, typed once where it is declared (UNKNOWN when a row's is).
        self.table_types: dict[str, Type] = {}
        # A one-key table's members without a row: allowed where no reading reaches them
        # (compiler/table_keys.py `check_partial_tables`).
        self.partial_tables: dict[str, tuple[str, ...]] = {}
        # rule → {"amount", "cap"}: a money rate its `per 月` makes one period's money
        # (compiler/period_amounts.py), rewritten into the checked file after the rules
        self.period_rewrites: dict[str, set[str]] = {}
        self.readings: dict[str, n.ReadingDecl] = {}
        self.defines: dict[str, n.Define] = {}
        self.define_types: dict[str, Type] = {}
        self.valid_until: date | None = None
        self.quote_lines: dict[str, int] = {}
        self.quote_places: dict[tuple[int, int], int] = {}  # (line, column) -> source line
        self.used_inputs: set[str] = set()
        self.here = Path(file.path).parent
        self.ordered: set[str] = set()
        self.special: dict[n.Expr, str] = {}
        self.procedures: dict[str, n.Procedure] = {}
        self.references: list[tuple[str, n.Reference]] = []
        self.conventions: dict[str, str] = {}
        self.roundings: dict[str, Rounding] = {}
        self.shared_caps: tuple[SharedCapPlan, ...] = ()
        # A shared cap whose limit the case gives (生前工资): its name -> the expression to compile
        self.shared_limits: dict[str, n.Expr] = {}
        self.choices: tuple[ChoicePlan, ...] = ()
        self.parts: dict[str, tuple[str, ...]] = {}
        self.validity_reading = ""
        self.validity_options: dict[str, tuple[date, date | None]] = {}
        self.tested_readings: dict[str, Span] = {}  # reading -> where an expression first tests it
        self.people = group_checks.People()
        self.member_scope = 0  # > 0 where a member is in view (an aggregate, an `each` rule)
        self.rules_by_name: dict[str, n.Rule] = {}
        self.rule_types: dict[str, Type] = {}
        self.amount_refs: dict[str, set[str]] = {}  # rule -> the rules whose amount it reads
        self.current_rule = ""
        self.sum_dims: dict[n.Expr, Dims] = {}
        self.typing_rules: set[str] = set()  # rules whose amount `amount_of` is typing
        self.member_defines: set[str] = set()  # defines and decides valued per member

    def error(self, span: Span, message: str, expected: str = "") -> None:
        self.diagnostics.append(Diagnostic(span, message, expected))

    def warn(self, span: Span, message: str, code: str) -> None:
        """A warning at `span`; `code` is its stable code, registered in codes.py (so that an
        ignore comment can name it), or AssertionError."""
        assert code in WARNING_CODES, code  # a new check registers its code
        self.diagnostics.append(Diagnostic(span, message, severity=Severity.WARNING, code=code))

    def reading(self, name: str, span: Span) -> n.ReadingDecl | None:
        """Reading `name`'s declaration; None, with "unknown reading" reported at `span`, when
        the policy declares no such reading. Every place a policy names a reading looks it up
        here, so an unknown one is told one way."""
        decl = self.readings.get(name)
        if decl is None:
            self.error(
                span,
                _("unknown reading `{name}`").format(name=name),
                _("a reading declared with `reading NAME { … }`"),
            )
        return decl

    def tested_reading(self, name: str, span: Span) -> n.ReadingDecl | None:
        """As `reading`, the reading marked tested at `span` (the first place wins): a run may
        choose it, and it may not be `documentary`."""
        self.tested_readings.setdefault(name, span)
        return self.reading(name, span)

    def is_option(self, decl: n.ReadingDecl, option: str, span: Span) -> bool:
        """Whether `option` is one of reading `decl`'s options; an error at `span`, naming them,
        when it is not."""
        options = [o.name for o in decl.options]
        if option in options:
            return True
        self.error(
            span,
            _("`{option}` is not an option of reading `{name}`").format(
                option=option, name=decl.name.text
            ),
            " / ".join(options),
        )
        return False

    def option_map(
        self, decl: n.ReadingDecl, given: Sequence[n.Name], keyword: str, where: Span, hint: str
    ) -> None:
        """A map from each option of reading `decl` to what it means (`valid by reading R`, a
        daily cap's `by reading R`, an each-limit's `ordered by reading R`: `keyword` is the
        words before `reading`, `where` the reading's name in it): `given` its entries' options
        in order, `hint` how to write one entry. Errors: an option the reading lacks
        (`is_option`), an option given again (at each later entry), an option given none (at
        `where`)."""
        seen: set[str] = set()
        for option in given:
            if self.is_option(decl, option.text, option.span) and option.text in seen:
                self.error(
                    option.span, _("option `{option}` is given twice").format(option=option.text)
                )
            seen.add(option.text)
        missing = [o.name for o in decl.options if o.name not in seen]
        if missing:
            self.error(
                where,
                _("`{keyword} reading {name}` says nothing of option(s) {missing}").format(
                    keyword=keyword, name=decl.name.text, missing=", ".join(missing)
                ),
                hint,
            )
