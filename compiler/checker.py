"""Semantic checks: names resolve, measures fit, quotes are in the source, readings are declared.

The checker collects every problem it finds (it does not stop at the first) and returns a
`CheckedPolicy`: the AST plus what later stages need — resolved units, input types, the validity
period, and the source line of each quote.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from policyc.compiler import amount_checks, group_checks, scale_checks
from policyc.compiler import nodes as n
from policyc.compiler.errors import Diagnostic, PolicyError, Severity, Span, did_you_mean
from policyc.compiler.files import read_text
from policyc.compiler.i18n import _, ngettext
from policyc.compiler.project import PathRefused, named_file
from policyc.compiler.registry import Registry
from policyc.runtime.amounts import Rounding, SharedCapPlan
from policyc.runtime.dates import period_last_day
from policyc.runtime.quantity import (
    Dims,
    Measure,
    MeasureError,
    Quantity,
    dims_text,
    format_quantity,
    parse_measure,
)

MONEY_DIMS: tuple[Dims, ...] = ((("元", 1),), (("美元", 1),))
BUILTINS = {"min", "max", "total", "on_date", "valid_until", "longest_run", "first", "highest"}
ARITY = {
    "min": 2,
    "max": 2,
    "total": 1,
    "on_date": 0,
    "valid_until": 0,
    "longest_run": 1,
    "first": 1,
    "highest": 1,
}
DAY_DIMS: Dims = parse_measure("日").dims
BUILTINS.update(amount_checks.DURATION_FUNCS)  # typed in amount_checks.type_duration

# Which way a rule's amount goes, from its `kind`: paid to the applicant, waived (a charge the
# applicant no longer owes), or payable by the applicant. Totals add only amounts of one flow.
FLOW_OF_KIND = {
    "补贴": "paid",
    "奖励": "paid",
    "补助": "paid",
    "减免": "waived",
    "收费标准": "payable",
}
FLOWS = ("paid", "waived", "payable")


def amount_flow(kind: str) -> str:
    """The flow of a rule's amount: its kind's, `paid` for a rule that names no kind, and ""
    for a kind that says none (the checker refuses such a kind beside a computed amount)."""
    return FLOW_OF_KIND.get(kind, "") if kind else "paid"


@attrs.frozen
class Type:
    kind: str  # quantity | bool | date | enum | keyed
    dims: Dims = ()
    enum: str = ""

    def describe(self) -> str:
        if self.kind == "series":
            return _("a series of {value}").format(value=dims_text(self.dims) or 'plain numbers')
        if self.kind == "boolseries":
            return _("a series of conditions")
        if self.kind == "quantity":
            return _("a quantity in {value}").format(value=dims_text(self.dims) or 'plain numbers')
        if self.kind == "keyed":
            return _("{dims_text_self_dims} by {enum}").format(
                dims_text_self_dims=dims_text(self.dims), enum=self.enum,
            )
        if self.kind == "enum":
            return _("a member of {enum}").format(enum=self.enum)
        return {"bool": _("a condition (true or false)"), "date": _("a date")}[self.kind]


BOOL = Type("bool")
DATE = Type("date")
UNKNOWN = Type("unknown")


@attrs.frozen
class InputInfo:
    decl: n.InputDecl
    type: Type
    measure: Measure | None  # the declared measure of a quantity or a tally


@attrs.frozen
class CheckedPolicy:
    file: n.PolicyFile
    text: str
    header: n.Header
    registry: Registry
    inputs: dict[str, InputInfo]
    enums: dict[str, tuple[str, ...]]
    tables: dict[str, n.TableDecl]
    readings: dict[str, n.ReadingDecl]
    defines: dict[str, n.Define]
    valid_until: date | None
    quote_lines: dict[str, int]
    warnings: tuple[Diagnostic, ...]
    ordered_enums: frozenset[str]
    # How codegen must compare or call where the operands are not quantities: node -> kind
    # ("enum:NAME" for an ordered enum, "series" for a series compared element by element).
    special: dict[n.Expr, str]
    procedures: dict[str, n.Procedure]
    references: tuple[tuple[str, n.Reference], ...]  # (where it is written, the reference)
    # Issue 12 (compiler/amount_checks.py): the counting conventions in force, each rule's
    # rounding, and the caps shared by several rules.
    conventions: dict[str, str] = attrs.field(factory=dict)
    roundings: dict[str, Rounding] = attrs.field(factory=dict)
    shared_caps: tuple[SharedCapPlan, ...] = ()
    # `input P: … part of W`: W -> its parts, in declaration order (disjoint, so sum(P) <= W).
    parts: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    # `valid by reading NAME { … }`: the reading, and (first day, last day) under each option.
    validity_reading: str = ""
    validity_options: dict[str, tuple[date, date | None]] = attrs.field(factory=dict)
    # Households and periods (compiler/group_checks.py).
    people: group_checks.People = attrs.field(factory=group_checks.People)
    # The type of each `define`d value (a decision's: an enum, a quantity …; a condition's: bool).
    define_types: dict[str, Type] = attrs.field(factory=dict)

    def validity_under(self, readings: dict[str, str] | Any) -> tuple[date | None, date | None]:
        """(first day, last day or None) of the policy's validity under the readings taken
        (a mapping of reading to option; readings it leaves out take their declared option)."""
        if self.validity_reading:
            taken = self.readings[self.validity_reading].take.text
            option = readings.get(self.validity_reading, taken)
            if option in self.validity_options:
                return self.validity_options[option]
        return self.header.valid_from, self.valid_until

    @property
    def switchable_readings(self) -> frozenset[str]:
        """Readings a run may choose: every one not marked `documentary` (the checker makes sure
        each of them is tested by an expression or counts the validity)."""
        return frozenset(name for name, r in self.readings.items() if not r.documentary)

    def part_conflicts(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        """What a case's inputs say that cannot be: parts of a whole that add up to more than
        the whole. One (field of the last part given, message naming every field) per whole;
        `values` are validated inputs (quantities)."""
        problems: list[tuple[str, str]] = []
        for whole, parts in self.parts.items():
            total = values.get(whole)
            given = [p for p in parts if values.get(p) is not None]
            if total is None or not given:
                continue
            sum_parts = values[given[0]]
            for part in given[1:]:
                sum_parts = sum_parts + values[part]
            if sum_parts > total:
                named = " + ".join(f"`{p}` ({format_quantity(values[p])})" for p in given)
                problems.append(
                    (
                        given[-1],
                        ngettext(
                            "{named} is more than `{whole}` ({total}), of which it is a part: "
                            "a part cannot exceed its whole",
                            "{named} are more than `{whole}` ({total}), of which they are parts: "
                            "a part cannot exceed its whole",
                            len(given),
                        ).format(named=named, whole=whole, total=format_quantity(total)),
                    )
                )
        return problems

    def inputs_of(self, exprs: Iterable[n.Expr]) -> tuple[str, ...]:
        """The inputs expressions read, directly or through `define`s, in order of mention."""
        found: dict[str, None] = {}
        seen: set[str] = set()

        def visit(expr: n.Expr) -> None:
            for node in n.walk(expr):
                if not isinstance(node, n.Ref):
                    continue
                if node.name in self.inputs:
                    found.setdefault(node.name)
                elif node.name in self.defines and node.name not in seen:
                    seen.add(node.name)
                    visit(self.defines[node.name].expr)

        for expr in exprs:
            visit(expr)
        return tuple(found)

    def member_enum(self, name: str) -> str | None:
        """The enum a bare name is a member of, when it is one (and not an input or define)."""
        if name in self.inputs or name in self.defines or name in self.tables:
            return None
        owners = [e for e, members in self.enums.items() if name in members]
        return owners[0] if len(owners) == 1 else None


def mul_dims(a: Dims, b: Dims) -> Dims:
    powers: dict[str, int] = dict(a)
    for base, power in b:
        powers[base] = powers.get(base, 0) + power
    return tuple(sorted((k, v) for k, v in powers.items() if v))


def constant(expr: n.Expr) -> Quantity | None:
    """The value of a literal quantity or percentage, else None."""
    try:
        if isinstance(expr, n.QuantityLit):
            return Quantity.of(Decimal(expr.number), parse_measure(expr.measure))
        if isinstance(expr, n.PercentLit):
            return Quantity.of(Decimal(expr.number).scaleb(-2), parse_measure(""))
    except MeasureError:
        return None  # an unknown measure: the checker reports it where it is written
    return None


def load_registry(
    path: Path, diagnostics: list[Diagnostic], registry: Registry, shown: str = ""
) -> None:
    """Add the units of the registry file `path` (named `shown` in messages, default `path`)."""
    text = read_text(path)
    for decl in _parse_registry(shown or str(path), text).units:
        registry.add(decl, diagnostics)


@functools.lru_cache(maxsize=8)
def _parse_registry(path: str, text: str) -> n.PolicyFile:
    # Every policy of a folder loads the same registry: parse it once per process.
    from policyc.compiler.parser import parse  # late: parser imports the builder, not the checker

    return parse(text, path)


def _named_at(span: Span, header: n.Header) -> Span:
    # A header built before file names carried their own place points at the header.
    return span if span.line else header.span


def check(file: n.PolicyFile, text: str) -> CheckedPolicy:
    """Check one parsed policy file; raises PolicyError listing every error found."""
    checker = _Checker(file, text)
    checker.run()
    errors = [d for d in checker.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise PolicyError(checker.diagnostics, checker.sources)
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
        warnings=tuple(checker.diagnostics),
        ordered_enums=frozenset(checker.ordered),
        special=checker.special,
        procedures=checker.procedures,
        references=tuple(checker.references),
        conventions=checker.conventions,
        roundings=checker.roundings,
        shared_caps=checker.shared_caps,
        parts=checker.parts,
        validity_reading=checker.validity_reading,
        validity_options=checker.validity_options,
        people=group_checks.people_of(checker),
        define_types=checker.define_types,
    )


class _Checker:
    def __init__(self, file: n.PolicyFile, text: str):
        self.file = file
        self.sources: dict[str, str] = {file.path: text}
        self.diagnostics: list[Diagnostic] = []
        self.registry = Registry()
        self.inputs: dict[str, InputInfo] = {}
        self.enums: dict[str, tuple[str, ...]] = {}
        self.tables: dict[str, n.TableDecl] = {}
        self.readings: dict[str, n.ReadingDecl] = {}
        self.defines: dict[str, n.Define] = {}
        self.define_types: dict[str, Type] = {}
        self.valid_until: date | None = None
        self.quote_lines: dict[str, int] = {}
        self.used_inputs: set[str] = set()
        self.here = Path(file.path).parent
        self.ordered: set[str] = set()
        self.special: dict[n.Expr, str] = {}
        self.procedures: dict[str, n.Procedure] = {}
        self.references: list[tuple[str, n.Reference]] = []
        self.conventions: dict[str, str] = {}
        self.roundings: dict[str, Rounding] = {}
        self.shared_caps: tuple[SharedCapPlan, ...] = ()
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

    def warn(self, span: Span, message: str, code: str = "") -> None:
        self.diagnostics.append(Diagnostic(span, message, severity=Severity.WARNING, code=code))

    # ---- the whole file ----
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
        for define in self.file.all_defines():
            self.declare_define(define)
        self.current_rule = ""
        self.check_structure(header)
        group_checks.check_cycles(self)
        self.check_after_amounts()
        self.check_reading_use()
        for decl in self.file.inputs:
            if decl.name.text not in self.used_inputs and decl.type.kind != "target":
                self.warn(
                    decl.name.span,
                    _("input `{decl_name}` is declared but no rule uses it").format(
                        decl_name=decl.name.text,
                    ),
                    code="unused-input",
                )

    def load_units(self, header: n.Header) -> None:
        if header.registry_file:
            self.load_registry_file(header)
        for decl in self.file.units:
            self.registry.add(decl, self.diagnostics)

    def load_registry_file(self, header: n.Header) -> None:
        try:
            path = named_file(Path(self.file.path), header.registry_file, "units from")
        except PathRefused as exc:
            self.error(_named_at(header.registry_span, header), str(exc))
            return
        shown = self.here / header.registry_file  # messages name it as the policy does
        try:
            load_registry(path, self.diagnostics, self.registry, shown=str(shown))
            self.sources[str(shown)] = read_text(path)
        except (OSError, ValueError) as exc:  # ValueError: not UTF-8
            self.error(
                header.span,
                _("cannot read the unit registry `{header_registry_file}`: "
                "{value}").format(
                    header_registry_file=header.registry_file,
                    value=getattr(exc, 'strerror', None) or exc,
                ),
            )
        except PolicyError as exc:
            self.diagnostics.extend(exc.diagnostics)
            self.sources.update(exc.sources)

    def check_header(self, header: n.Header) -> None:
        if not header.title:
            self.error(header.span, _("the header has no `title`"))
        for name in (header.issuer, header.interpreted_by):
            if name is not None:
                self.registry.check_name(name, self.diagnostics)
        if header.valid_from is not None and header.valid_for is not None:
            self.valid_until = self.last_day(header, header.valid_from, header.counting)
        self.check_valid_end(header)
        if header.source_file:
            self.load_source(header)

    def check_valid_end(self, header: n.Header) -> None:
        """`valid from A until B`: in force from A to B, both days included (有效期至B)."""
        if header.valid_end is None or header.valid_from is None:
            return
        if header.valid_end < header.valid_from:
            self.error(
                header.span,
                _("the validity ends ({value}) before it begins "
                "({value2})").format(
                    value=header.valid_end.isoformat(), value2=header.valid_from.isoformat(),
                ),
                _("an end date on or after the start date"),
            )
            return
        self.valid_until = header.valid_end

    def last_day(self, header: n.Header, start: date, counted: n.Name | None) -> date | None:
        """The last day of `valid for` counted from `start` (None after an error, reported)."""
        assert header.valid_for is not None
        counting = counted.text if counted else "from_start_day"
        try:
            length = Quantity.of(
                Decimal(header.valid_for.number), parse_measure(header.valid_for.measure)
            )
            months = length.to(parse_measure("月"))
            if months != months.to_integral_value():
                raise MeasureError(_("validity is counted in whole months or years"))
            return period_last_day(start, months=int(months), counting=counting)
        except MeasureError as exc:
            self.error(header.valid_for.span, _("validity period: {exc}").format(
                exc=exc,
            ), _("a number of 年 or 月"))
        except OverflowError:
            self.error(
                header.valid_for.span,
                _("the validity period ends outside the calendar (the years 1 to 9999)"),
            )
        except ValueError:
            span = counted.span if counted else header.span
            self.error(span, _("unknown counting `{counting}`").format(
                counting=counting,
            ), _("from_start_day or from_next_day"))
        return None

    def check_valid_reading(self, header: n.Header) -> None:
        """`valid by reading R { OPTION: from DATE counting WORD, … }`: one line per option of
        R, and the option R takes says what the `valid from` line says."""
        name = header.valid_reading
        if name is None:
            return
        decl = self.readings.get(name.text)
        if decl is None:
            self.error(name.span, _("unknown reading `{name}`").format(
                name=name.text,
            ), _("a declared reading"))
            return
        if header.valid_from is None or header.valid_for is None:
            self.error(name.span, _("`valid by reading` needs `valid from DATE for LENGTH`"))
            return
        options = [o.name for o in decl.options]
        given = [v.option.text for v in header.valid_options]
        for valid in header.valid_options:
            if valid.option.text not in options:
                self.error(
                    valid.option.span,
                    _("`{valid_option}` is not an option of reading `{name}`").format(
                        valid_option=valid.option.text, name=name.text,
                    ),
                    " / ".join(options),
                )
            elif given.count(valid.option.text) > 1:
                self.error(valid.option.span, _("option `{valid_option}` is given twice").format(
                    valid_option=valid.option.text,
                ))
            last = self.last_day(header, valid.start, valid.counting)
            self.validity_options[valid.option.text] = (valid.start, last)
        missing = [o for o in options if o not in given]
        if missing:
            self.error(
                name.span,
                _("`valid by reading {name}` says nothing of option(s) {join_missing}").format(
                    name=name.text, join_missing=', '.join(missing),
                ),
                _("one line per option: `OPTION: from DATE counting from_start_day`"),
            )
        taken = self.validity_options.get(decl.take.text)
        if taken is not None and taken != (header.valid_from, self.valid_until):
            self.error(
                name.span,
                _("reading `{name}` takes `{decl_take}`, whose validity differs from "
                "the `valid from` line").format(name=name.text, decl_take=decl.take.text),
                _("the `valid from … counting …` line to say what the option taken says"),
            )
        self.validity_reading = name.text

    def check_reading_use(self) -> None:
        """A reading either changes what some expression (or the validity) says, or is marked
        `documentary`, never both: a run may choose only the former."""
        for name, decl in self.readings.items():
            tested = name in self.tested_readings or name == self.validity_reading
            if decl.documentary and tested:
                where = self.tested_readings.get(name, decl.span)
                self.error(
                    where,
                    _("reading `{name}` is marked documentary, yet ").format(name=name)
                    + (_("line {where_line} tests it").format(
                        where_line=where.line,
                    ) if name in self.tested_readings
                       else _("the validity follows it")),
                    _("no `documentary` on a reading the policy tests"),
                )  # fmt: skip
            elif not decl.documentary and not tested:
                self.error(
                    decl.name.span,
                    _("reading `{name}` changes nothing: no expression tests `reading {name} "
                    "is …` and the validity does not follow it").format(name=name),
                    _("a test of it in the rules it reaches, or `reading {name} documentary "
                        "{{ … }}`"
                    " when the choice is written into the rules themselves").format(name=name),
                )

    # ---- the received text ----
    def load_source(self, header: n.Header) -> None:
        try:
            path = named_file(Path(self.file.path), header.source_file, "source")
        except PathRefused as exc:
            self.error(_named_at(header.source_span, header), str(exc))
            return
        try:
            lines = read_text(path).splitlines()
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the name, or not UTF-8
            why = getattr(exc, "strerror", None) or exc
            self.error(header.span,
                _("cannot read the source text `{header_source_file}`: {why}").format(
                    header_source_file=header.source_file, why=why,
                ))
            return
        first, last = header.source_first_line, header.source_last_line
        if not 1 <= first <= last <= len(lines):
            self.error(
                header.span,
                _("source lines {first} to {last} are outside the file ({len_lines} lines)").format(
                    first=first, last=last, len_lines=len(lines),
                ),
            )
            return
        self.source_lines = {i: lines[i - 1] for i in range(first, last + 1)}
        # Quotes are matched with all white space removed: the gazette text is wrapped and spaced.
        squeezed: list[str] = []
        self.offset_line: list[int] = []
        for number, line in self.source_lines.items():
            for ch in re.sub(r"\s+", "", line):
                squeezed.append(ch)
                self.offset_line.append(number)
        self.squeezed_source = "".join(squeezed)

    def check_quote(self, quote: n.Quote) -> None:
        if not hasattr(self, "squeezed_source"):
            return
        needle = re.sub(r"\s+", "", quote.text)
        at = self.squeezed_source.find(needle) if needle else -1
        if at < 0:
            self.error(
                quote.span,
                _("this quote is not in the source text"),
                _("the sentence exactly as received (lines {first}–{last})").format(
                    first=self.file.header.source_first_line,  # type: ignore[union-attr]
                    last=self.file.header.source_last_line,  # type: ignore[union-attr]
                ),
            )
            return
        self.quote_lines[quote.text] = self.offset_line[at]

    def check_repairs(self, header: n.Header) -> None:
        for repair in self.file.repairs:
            lines = getattr(self, "source_lines", None)
            if lines is None:
                continue
            if repair.line not in lines:
                self.error(
                    repair.span,
                    _("repair `{repair_name}`: line {repair_line} is "
                    "outside the document's source lines").format(
                        repair_name=repair.name.text, repair_line=repair.line,
                    ),
                )
            elif re.sub(r"\s+", "", repair.received) not in re.sub(r"\s+", "", lines[repair.line]):
                self.error(
                    repair.span,
                    _("repair `{repair_name}`: line {repair_line} does not "
                    "contain the text given as received").format(
                        repair_name=repair.name.text, repair_line=repair.line,
                    ),
                )

    # ---- declarations ----
    def declare_enums(self) -> None:
        for decl in self.file.enums:
            labels = tuple(m.label for m in decl.members)
            if decl.name.text in self.enums:
                self.error(decl.name.span, _("enum `{decl_name}` is declared twice").format(
                    decl_name=decl.name.text,
                ))
            for member in decl.members:
                if labels.count(member.label) > 1:
                    self.error(member.span,
                        _("`{member_label}` appears twice in `{decl_name}`").format(
                            member_label=member.label, decl_name=decl.name.text,
                        ))
            self.enums[decl.name.text] = labels
            if decl.ordered:
                self.ordered.add(decl.name.text)

    def resolve_type(self, t: n.TypeExpr) -> tuple[Type, Measure | None]:
        if t.kind == "bool":
            return BOOL, None
        if t.kind == "date":
            return DATE, None
        if t.kind == "series":
            measure = self.measure(t.name, t.span)
            return (Type("series", measure.dims) if measure else UNKNOWN), measure
        if t.by:
            if t.by not in self.enums:
                self.error(t.span, _("`{t_by}` is not an enum").format(
                    t_by=t.by,
                ), _("an enum declared with `enum`"))
                return UNKNOWN, None
            measure = self.measure(t.name, t.span)
            return (Type("keyed", measure.dims, t.by) if measure else UNKNOWN), measure
        if t.name in self.enums:
            return Type("enum", enum=t.name), None
        measure = self.measure(t.name, t.span)
        return (Type("quantity", measure.dims) if measure else UNKNOWN), measure

    def measure(self, text: str, span: Span) -> Measure | None:
        try:
            return parse_measure(text)
        except MeasureError as exc:
            self.error(
                span, str(exc), _("a measure such as 元, 万元, 人, 单, 月, 元/人, or an enum")
            )
            return None

    def declare_inputs(self) -> None:
        for decl in self.file.inputs:
            name = decl.name.text
            if name in self.inputs:
                self.error(decl.name.span, _("input `{name}` is declared twice").format(name=name))
            type_, measure = self.resolve_type(decl.type)
            self.inputs[name] = InputInfo(decl, type_, measure)
            if decl.presence == "default" and type_ is not UNKNOWN:
                self.check_default(decl, type_)
        for decl in self.file.inputs:
            if decl.part_of is not None:
                self.check_part(decl, decl.part_of)

    def check_part(self, decl: n.InputDecl, whole: n.Name) -> None:
        part_info, whole_info = self.inputs[decl.name.text], self.inputs.get(whole.text)
        if whole_info is None:
            hint = did_you_mean(whole.text, self.inputs)
            self.error(whole.span, _("`part of {whole}`: no such input{hint}").format(
                whole=whole.text, hint=hint,
            ), _("an input"))
        elif whole.text == decl.name.text:
            self.error(whole.span, _("`{whole}` cannot be a part of itself").format(
                whole=whole.text,
            ))
        elif part_info.type.kind != "quantity" or part_info.type != whole_info.type:
            self.error(
                whole.span,
                _("`{decl_name}` ({part_info_type_describe}) cannot be a part of "
                "`{whole}` ({whole_info_type_describe})").format(
                    decl_name=decl.name.text,
                    part_info_type_describe=part_info.type.describe(),
                    whole=whole.text,
                    whole_info_type_describe=whole_info.type.describe(),
                ),
                _("two quantities of one measure"),
            )
        else:
            self.parts[whole.text] = (*self.parts.get(whole.text, ()), decl.name.text)

    def check_default(self, decl: n.InputDecl, want: Type) -> None:
        value = decl.default
        if isinstance(value, str):
            ok = want.kind == "enum" and value in self.enums[want.enum]
        elif isinstance(value, n.Expr):
            ok = self.type_of(value) == want
        else:
            ok = False
        if not ok:
            self.error(
                decl.span,
                _("the default of `{decl_name}` does not fit its type").format(
                    decl_name=decl.name.text,
                ),
                want.describe(),
            )

    def declare_tables(self) -> None:
        for decl in self.file.tables:
            if decl.by.text not in self.enums:
                self.error(decl.by.span, _("`{decl_by}` is not an enum").format(
                    decl_by=decl.by.text,
                ))
                continue
            members = self.enums[decl.by.text]
            dims: Dims | None = None
            for label, value in decl.rows:
                if label not in members:
                    self.error(
                        value.span,
                        _("`{label}` is not a member of `{decl_by}`").format(
                            label=label, decl_by=decl.by.text,
                        ),
                        " / ".join(members),
                    )
                t = self.type_of(value)
                if dims is not None and t.dims != dims:
                    self.error(value.span, _("the rows of a table must share one measure"))
                dims = t.dims
            missing = [m for m in members if m not in {label for label, _ in decl.rows}]
            if missing:
                self.error(
                    decl.span, _("table `{decl_name}` has no row for {join_missing}").format(
                        decl_name=decl.name.text, join_missing=', '.join(missing),
                    )
                )
            self.tables[decl.name.text] = decl

    def declare_readings(self) -> None:
        for decl in self.file.readings:
            options = [o.name for o in decl.options]
            if decl.name.text in self.readings:
                self.error(decl.name.span, _("reading `{decl_name}` is declared twice").format(
                    decl_name=decl.name.text,
                ))
            if len(set(options)) != len(options):
                self.error(decl.span, _("reading `{decl_name}` repeats an option").format(
                    decl_name=decl.name.text,
                ))
            if len(options) < 2:
                self.error(decl.span, _("a reading needs at least two options to choose between"))
            if decl.take.text not in options:
                self.error(
                    decl.take.span,
                    _("`{decl_take}` is not an option of this reading").format(
                        decl_take=decl.take.text,
                    ),
                    " / ".join(options),
                )
            self.readings[decl.name.text] = decl

    def declare_targets(self) -> None:
        # A target's actual figure is an input of the same name: a progress case reports it.
        for _owner, target in self.file.all_targets():
            name = target.name.text
            if name in self.inputs:
                self.error(target.name.span, _("`{name}` is already declared").format(name=name))
                continue
            value = self.type_of(target.value)
            if value is not UNKNOWN and value.kind != "quantity":
                self.error(target.value.span, _("a target is a quantity"), _("a number with its "
                    "measure"))
                continue
            if target.tolerance is not None and self.type_of(target.tolerance) != value:
                self.error(target.tolerance.span, _("the tolerance must have the target's measure"))
            # The actual figure is read in the target's own measure: a bare 6 for `7.5 %` is 6%.
            measure_text = target.value.measure if isinstance(target.value, n.QuantityLit) else ""
            if isinstance(target.value, n.PercentLit):
                measure_text = "%"
            measure = self.measure(measure_text, target.value.span) or parse_measure("")
            decl = n.InputDecl(
                target.name,
                n.TypeExpr("target", measure_text),
                "optional",
                None,
                f"实际完成: {target.description or name}",
                target.span,
            )
            self.inputs[name] = InputInfo(decl, Type("quantity", measure.dims), measure)

    def declare_procedures(self) -> None:
        for procedure in self.file.procedures:
            if procedure.name.text in self.procedures:
                self.error(
                    procedure.name.span, _("procedure `{procedure_name}` is declared twice").format(
                        procedure_name=procedure.name.text,
                    )
                )
            self.procedures[procedure.name.text] = procedure

    def declare_define(self, define: n.Define) -> None:
        name = define.name.text
        if name in self.defines or name in self.inputs:
            self.error(define.name.span, _("`{name}` is already declared").format(name=name))
        self.defines[name] = define
        self.current_rule = name  # `amount_of` in a define: its edges for the cycle check
        per_member = group_checks.reads_a_member(self, define.expr)
        self.member_scope += per_member  # 年龄 = years_between(出生日期, …): one per member
        if define.decided or isinstance(define.expr, n.Dated):
            # A decision, or a value that changes on dates (低保标准), names a value of any type.
            self.define_types[name] = self.type_of(define.expr)
        else:
            self.define_types[name] = self.expect(define.expr, BOOL, _("a condition"))
        self.member_scope -= per_member
        if per_member:
            self.member_defines.add(name)

    # ---- clauses and rules ----
    def check_structure(self, header: n.Header) -> None:
        seen_numbers: dict[str, Span] = {}
        seen_rules: dict[str, Span] = {}
        for aside in self.file.asides:
            self.check_quote(n.Quote(aside.text, aside.span))
        for section in self.file.sections:
            for quote in section.quotes:
                self.check_quote(quote)
            for name in (*section.leads, *section.responsible):
                self.registry.check_name(name, self.diagnostics)
            for reference in section.refers:
                self.references.append((_("section {section_number}").format(
                    section_number=section.number,
                ), reference))
        for clause in self.file.all_clauses():
            key = f"{clause.kind} {clause.ident}"
            if key in seen_numbers:
                self.error(
                    clause.span,
                    _("{key} appears twice (first at line {seen_numbers_key__line})").format(
                        key=key, seen_numbers_key__line=seen_numbers[key].line,
                    ),
                )
            seen_numbers[key] = clause.span
            for name in clause.leads:
                self.registry.check_name(name, self.diagnostics)
            for reference in clause.refers:
                self.references.append((key, reference))
            if not clause.quotes:
                self.error(
                    clause.span,
                    _("clause {clause_number} quotes no original text").format(
                        clause_number=clause.number,
                    ),
                    _("`quote \"…\"` with the sentence as received"),
                )
            for quote in clause.quotes:
                self.check_quote(quote)
            for name in clause.responsible:
                self.registry.check_name(name, self.diagnostics)
            for fund in clause.funds:
                t = self.type_of(fund.amount)
                if t.kind == "quantity" and t.dims not in MONEY_DIMS:
                    self.error(fund.amount.span, _("a fund is an amount of money"), _("元 or 美元"))
        for owner, rule in self.file.all_rules():
            if rule.name.text in seen_rules:
                self.error(
                    rule.name.span,
                    _("rule `{rule_name}` is declared twice "
                    "(first at line {value})").format(
                        rule_name=rule.name.text, value=seen_rules[rule.name.text].line,
                    ),
                )
            seen_rules[rule.name.text] = rule.name.span
            self.check_rule(owner, rule)

    def check_rule(self, owner: n.Section | n.Clause, rule: n.Rule) -> None:
        for quote in rule.quotes:
            self.check_quote(quote)
        for name in (*rule.responsible, *rule.cooperates):
            self.registry.check_name(name, self.diagnostics)
        for procedure in rule.follows:
            if procedure.text not in self.procedures:
                self.error(
                    procedure.span,
                    _("unknown procedure `{procedure}`").format(procedure=procedure.text),
                    _("a procedure declared with `procedure NAME { step … }`"),
                )
        for reference in rule.refers:
            self.references.append((_("rule {rule_name}").format(
                rule_name=rule.name.text,
            ), reference))
        for reading in rule.readings:
            if reading.text not in self.readings:
                self.error(
                    reading.span,
                    _("unknown reading `{reading}`").format(reading=reading.text),
                    _("a reading declared with `reading NAME { … }`"),
                )
        self.current_rule = rule.name.text
        group_checks.check_each(self, rule)
        group_checks.check_period(self, rule)
        self.member_scope += rule.each is not None
        try:
            self.check_rule_values(rule)
        finally:
            self.member_scope -= rule.each is not None
        self.current_rule = ""
        if rule.valid_by is not None:
            info = self.inputs.get(rule.valid_by.text)
            if info is None or info.type != DATE:
                self.error(
                    rule.valid_by.span,
                    _("`valid_by {rule_valid_by}` needs a date input").format(
                        rule_valid_by=rule.valid_by.text
                    ),
                )
            else:
                self.used_inputs.add(rule.valid_by.text)
        for limit in rule.limits:
            self.type_of(limit.amount)
        units = rule.responsible or owner.responsible
        if rule.amount is None and not rule.grants and not rule.limits and not units:
            self.error(
                rule.span,
                _("rule `{rule_name}` says neither an amount, what it grants, nor who acts").format(
                    rule_name=rule.name.text
                ),
                _('`amount …`, `amount unspecified "…"`, `grants "…"` or `limit …`'),
            )

    def check_rule_values(self, rule: n.Rule) -> None:
        """A rule's conditions, amount and cap (with a member in view in an `each` rule)."""
        for cond in rule.whens:
            self.expect(cond, BOOL, _("a condition"))
        amount_type: Type | None = None
        if isinstance(rule.amount, n.Expr):
            if not amount_flow(rule.kind):
                words = "、".join(f"{k} ({v})" for k, v in FLOW_OF_KIND.items())
                self.error(
                    rule.amount.span,
                    _("rule `{rule_name}` computes an amount, but its kind `{rule_kind}` does "
                    "not say whether it is paid to the applicant, waived, or payable by the "
                    "applicant, so it cannot be totalled").format(
                        rule_name=rule.name.text, rule_kind=rule.kind,
                    ),
                    _("a kind that does: {words}").format(words=words),
                )
            amount_type = self.type_of(rule.amount)
            if amount_type is not UNKNOWN and not (
                amount_type.kind == "quantity" and amount_type.dims in MONEY_DIMS
            ):
                self.error(
                    rule.amount.span,
                    _("an amount must be money, not {amount_type_describe}").format(
                        amount_type_describe=amount_type.describe(),
                    ),
                    _("a quantity in 元 or 美元"),
                )
        if rule.cap is not None:
            cap_type = self.type_of(rule.cap.amount)
            if amount_type is None:
                self.error(rule.cap.span, _("a cap needs an amount to bound"))
            elif UNKNOWN not in (amount_type, cap_type) and cap_type != amount_type:
                self.error(
                    rule.cap.amount.span,
                    _("the cap is {cap_type} but the amount is {amount_type}").format(
                        cap_type=cap_type.describe(), amount_type=amount_type.describe()
                    ),
                )
        if amount_type is not None:
            self.rule_types[rule.name.text] = amount_type

    def check_after_amounts(self) -> None:
        """Conventions, rounding and shared caps (issue 12; compiler/amount_checks.py)."""
        self.conventions = amount_checks.check_conventions(self)
        self.roundings = amount_checks.check_roundings(self)
        self.shared_caps = amount_checks.check_shared_caps(self)

    def _call_or_duration(self, expr: n.Call) -> Type:
        if expr.func in amount_checks.DURATION_FUNCS:
            return amount_checks.type_duration(self, expr)
        if group_checks.is_aggregate_call(expr) and expr.func not in ("min", "max", "total"):
            return group_checks.type_aggregate(self, expr)
        if expr.func in ("min", "max") and len(expr.args) == 1:
            return group_checks.type_aggregate(self, expr)
        if expr.func in group_checks.PEOPLE_FUNCS:
            return group_checks.type_people_call(self, expr)
        return self._call(expr)

    def _arith_not_dates(self, expr: n.Arith) -> Type:
        result = self._arith(expr)
        if result == DATE:  # date ± date: the time between dates is months_between / years_between
            amount_checks.date_arith_error(self, expr)
            return UNKNOWN
        return result

    # ---- expression types ----
    def expect(self, expr: n.Expr, want: Type, words: str) -> Type:
        got = self.type_of(expr)
        if got is not UNKNOWN and got != want:
            self.error(expr.span, _("expected {words} here, not {got_describe}").format(
                words=words, got_describe=got.describe(),
            ), want.describe())
        return got

    def type_of(self, expr: n.Expr) -> Type:
        typer = _TYPERS.get(type(expr))
        if typer is None:
            self.error(expr.span, _("{type_expr____name} cannot stand here").format(
                type_expr____name=type(expr).__name__,
            ))
            return UNKNOWN
        return typer(self, expr)

    def _quantity(self, expr: n.QuantityLit) -> Type:
        measure = self.measure(expr.measure, expr.span)
        return Type("quantity", measure.dims) if measure else UNKNOWN

    def _percent(self, expr: n.PercentLit) -> Type:
        return Type("quantity", ())

    def _ref(self, expr: n.Ref) -> Type:
        if expr.name in self.inputs:
            self.used_inputs.add(expr.name)
            group_checks.check_ref(self, expr)
            return self.inputs[expr.name].type
        if expr.name in self.define_types:
            group_checks.check_ref(self, expr)
            if self.current_rule:
                self.amount_refs.setdefault(self.current_rule, set()).add(expr.name)
            return self.define_types[expr.name]
        if expr.name in self.tables:
            table = self.tables[expr.name]
            return Type("keyed", self.type_of(table.rows[0][1]).dims, table.by.text)
        owners = [e for e, members in self.enums.items() if expr.name in members]
        if len(owners) == 1:
            return Type("enum", enum=owners[0])
        if len(owners) > 1:
            self.error(
                expr.span,
                _("`{expr_name}` is a member of {and_join_owners}: "
                "rename one so that a bare name says which").format(
                    expr_name=expr.name, and_join_owners=_(" and ").join(owners),
                ),
            )
            return UNKNOWN
        known = [*self.inputs, *self.define_types, *self.tables]
        from policyc.compiler.glued import run_together  # imports Lark: only for an error

        hint = run_together(expr.name, known) or did_you_mean(expr.name, known)
        self.error(
            expr.span,
            _("unknown name `{expr_name}`{hint}").format(expr_name=expr.name, hint=hint),
            _("an input, a table or a `define`d condition"),
        )
        return UNKNOWN

    def _call(self, expr: n.Call) -> Type:
        args = [self.type_of(a) for a in expr.args]
        if expr.func not in BUILTINS:
            self.error(expr.span, _("unknown function `{expr_func}`").format(
                expr_func=expr.func,
            ), ", ".join(sorted(BUILTINS)))
            return UNKNOWN
        arity = ARITY[expr.func]
        if len(args) != arity:
            self.error(expr.span,
                _("`{expr_func}` takes {arity} argument(s), not {len_args}").format(
                    expr_func=expr.func, arity=arity, len_args=len(args),
                ))
            return UNKNOWN
        if expr.func in ("on_date", "valid_until"):
            if expr.func == "valid_until" and self.valid_until is None:
                self.error(expr.span, _("`valid_until()` needs a `valid from … for …` in the "
                    "header"))
            return DATE
        if expr.func == "longest_run":
            if args[0].kind != "boolseries":
                self.error(
                    expr.args[0].span,
                    _("`longest_run` counts the days a condition holds in a row"),
                    _("a series compared with a value, e.g. 日AQI 超过 200 AQI"),
                )
                return UNKNOWN
            return Type("quantity", DAY_DIMS)
        if expr.func in ("first", "highest"):
            if args[0].kind != "series":
                self.error(
                    expr.args[0].span,
                    _("`{expr_func}` takes a series").format(expr_func=expr.func),
                    _("an input declared `MEASURE series`"),
                )
                return UNKNOWN
            return Type("quantity", args[0].dims)
        if expr.func == "total":
            if args[0].kind != "keyed":
                self.error(
                    expr.args[0].span, _("`total` adds up a tally or a table"), _("a value by an "
                        "enum")
                )
                return UNKNOWN
            return Type("quantity", args[0].dims)
        result = self.same(expr, args[0], args[1], _("`{expr_func}` of").format(
            expr_func=expr.func,
        ))
        if result.kind == "enum":
            if result.enum not in self.ordered:
                self.error(
                    expr.span,
                    _("`{expr_func}` needs an ordered enum; declare "
                    "`enum {result_enum} ordered {{ … }}`").format(
                        expr_func=expr.func, result_enum=result.enum,
                    ),
                )
            self.special[expr] = f"enum:{result.enum}"
        return result

    def same(self, expr: n.Expr, left: Type, right: Type, what: str) -> Type:
        if UNKNOWN in (left, right):
            return UNKNOWN
        if left != right:
            self.error(
                expr.span,
                _("{what} {left_describe} and {right_describe}: they do not "
                "have the same measure").format(
                    what=what, left_describe=left.describe(), right_describe=right.describe(),
                ),
            )
            return UNKNOWN
        return left

    def _index(self, expr: n.Index) -> Type:
        keyed = self._ref(n.Ref(expr.name, expr.span))
        if keyed.kind != "keyed":
            if keyed is not UNKNOWN:
                self.error(expr.span, _("`{expr_name}` is not a table or a tally").format(
                    expr_name=expr.name,
                ))
            return UNKNOWN
        members = self.enums.get(keyed.enum, ())
        if expr.key not in members and (expr.key in self.inputs or expr.key in self.defines):
            # `救助比例[类别]`: read at the member the case gives (compiler/lookup.py).
            key = self._ref(n.Ref(expr.key, expr.span))
            if key is not UNKNOWN and (key.kind != "enum" or key.enum != keyed.enum):
                self.error(
                    expr.span,
                    _(
                        "`{expr_name}` is by `{keyed_enum}`; `{expr_key}` is {key_describe}, "
                        "not a member of `{keyed_enum}`"
                    ).format(
                        expr_name=expr.name, keyed_enum=keyed.enum, expr_key=expr.key,
                        key_describe=key.describe(),
                    ),
                    _("a member ({members}) or an input of `{keyed_enum}`").format(
                        members=" / ".join(members), keyed_enum=keyed.enum,
                    ),
                )
        elif expr.key not in members:
            self.error(
                expr.span,
                _("`{expr_key}` is not a member of `{keyed_enum}`").format(
                    expr_key=expr.key, keyed_enum=keyed.enum,
                ),
                _("a member ({members}) or an input of `{keyed_enum}`").format(
                    members=" / ".join(members), keyed_enum=keyed.enum,
                ),
            )
        return Type("quantity", keyed.dims)

    def _reading_is(self, expr: n.ReadingIs) -> Type:
        self.tested_readings.setdefault(expr.reading, expr.span)
        decl = self.readings.get(expr.reading)
        if decl is None:
            self.error(expr.span, _("unknown reading `{expr_reading}`").format(
                expr_reading=expr.reading,
            ))
        elif expr.option not in [o.name for o in decl.options]:
            self.error(
                expr.span,
                _("`{expr_option}` is not an option of reading `{expr_reading}`").format(
                    expr_option=expr.option, expr_reading=expr.reading,
                ),
                " / ".join(o.name for o in decl.options),
            )
        return BOOL

    def _labelled_list(self, expr: n.AnyOf | n.AllOf) -> Type:
        for item in expr.items:
            self.expect(item.expr, BOOL, _("a condition"))
        return BOOL

    def _arith(self, expr: n.Arith) -> Type:
        left, right = self.type_of(expr.left), self.type_of(expr.right)
        if UNKNOWN in (left, right):
            return UNKNOWN
        if expr.op in "+-":
            if "date" in (left.kind, right.kind):
                what = (
                    _("add {left_describe} and {right_describe}").format(
                        left_describe=left.describe(), right_describe=right.describe(),
                    )
                    if expr.op == "+"
                    else _("subtract {right_describe} from {left_describe}").format(
                        right_describe=right.describe(), left_describe=left.describe(),
                    )
                )
                self.error(
                    expr.span,
                    _("cannot {what}: dates are compared, not added or subtracted").format(
                        what=what,
                    ),
                    _("two dates compared (`开设日期 <= on_date()`), the time between them "
                    "counted (`months_between(开设日期, on_date()) 满 6 月`, `years_between`), "
                    "or years counted with `schedule from DATE`"),
                )
                return UNKNOWN
            if not {left.kind, right.kind} <= {"quantity", "keyed"}:
                self.error(
                    expr.span,
                    _("cannot add or subtract {left_describe} and {right_describe}").format(
                        left_describe=left.describe(), right_describe=right.describe(),
                    ),
                    _("two quantities of one measure"),
                )
                return UNKNOWN
            return self.same(expr, left, right, _("cannot add or subtract"))
        if (
            "bool" in (left.kind, right.kind)
            or "date" in (left.kind, right.kind)
            or "enum"
            in (
                left.kind,
                right.kind,
            )
        ):
            self.error(expr.span, _("cannot multiply {left_describe} by {right_describe}").format(
                left_describe=left.describe(), right_describe=right.describe(),
            ))
            return UNKNOWN
        if left.kind == right.kind == "keyed" and left.enum != right.enum:
            self.error(
                expr.span,
                    _("cannot multiply a value by {left_enum} with one by {right_enum}").format(
                        left_enum=left.enum, right_enum=right.enum,
                    )
            )
            return UNKNOWN
        enum = left.enum or right.enum
        kind = "keyed" if "keyed" in (left.kind, right.kind) else "quantity"
        return Type(kind, mul_dims(left.dims, right.dims), enum)

    def _of(self, expr: n.Of) -> Type:
        ratio, base = self.type_of(expr.ratio), self.type_of(expr.base)
        if ratio is not UNKNOWN and ratio != Type("quantity", ()):
            self.error(
                expr.ratio.span,
                    _("`of` needs a percentage on its left, not {ratio_describe}").format(
                        ratio_describe=ratio.describe(),
                    )
            )
        if base is not UNKNOWN and base.kind not in ("quantity", "keyed"):
            self.error(expr.base.span, _("`of` applies to a quantity, not {base_describe}").format(
                base_describe=base.describe(),
            ))
            return UNKNOWN
        return base

    def _compare(self, expr: n.Compare) -> Type:
        left, right = self.type_of(expr.left), self.type_of(expr.right)
        if left.kind == "series" and right == Type("quantity", left.dims):
            self.special[expr] = "series"
            return Type("boolseries")
        if left.kind == "enum" and left == right:
            if expr.op not in ("eq", "ne") and left.enum not in self.ordered:
                self.error(
                    expr.span,
                    _("`{left_enum}` is not ordered, so `{expr_word}` has no "
                    "meaning; declare `enum {left_enum} ordered {{ … }}`").format(
                        left_enum=left.enum, expr_word=expr.word,
                    ),
                )
            self.special[expr] = f"enum:{left.enum}"
            return BOOL
        if UNKNOWN not in (left, right) and (
            left.kind not in ("quantity", "date") or left != right
        ):
            self.error(
                expr.span,
                _("cannot compare {left_describe} with {right_describe} (`{expr_word}`)").format(
                    left_describe=left.describe(),
                    right_describe=right.describe(),
                    expr_word=expr.word,
                ),
                _("two quantities of one measure, or two dates"),
            )
        return BOOL

    def _is(self, expr: n.Is | n.In) -> Type:
        subject = self.type_of(expr.subject)
        members = (expr.member,) if isinstance(expr, n.Is) else expr.members
        if subject is UNKNOWN:
            return BOOL
        if subject.kind != "enum":
            self.error(expr.span,
                _("`is`/`in` test a member of an enum, not {subject_describe}").format(
                    subject_describe=subject.describe(),
                ))
            return BOOL
        for member in members:
            if member not in self.enums[subject.enum]:
                self.error(
                    expr.span,
                    _("`{member}` is not a member of `{subject_enum}`").format(
                        member=member, subject_enum=subject.enum,
                    ),
                    " / ".join(self.enums[subject.enum]),
                )
        return BOOL

    def _logic(self, expr: n.And | n.Or) -> Type:
        self.expect(expr.left, BOOL, _("a condition"))
        self.expect(expr.right, BOOL, _("a condition"))
        return BOOL

    def _not(self, expr: n.Not) -> Type:
        self.expect(expr.operand, BOOL, _("a condition"))
        return BOOL

    def _if(self, expr: n.If) -> Type:
        self.expect(expr.cond, BOOL, _("a condition"))
        return self.same(
            expr, self.type_of(expr.then), self.type_of(expr.otherwise), _("the two branches are")
        )

    def _tiers(self, expr: n.Tiers) -> Type:
        subject = self.type_of(expr.subject)
        if subject is not UNKNOWN and subject.kind != "quantity":
            self.error(
                expr.subject.span,
                _("tiers are reached by a quantity, not {subject_describe}").format(
                    subject_describe=subject.describe(),
                ),
                _("a quantity with a measure, e.g. 年销售收入"),
            )
            subject = UNKNOWN
        if expr.mode in ("highest_new", "each_new") and expr.prior is None:
            self.error(expr.span,
                _("`{expr_mode}` compares with an earlier best: add `since …`").format(
                    expr_mode=expr.mode,
                ))
        if expr.prior is not None:
            if expr.mode in ("highest", "each"):
                self.error(
                    expr.prior.span, _("`since` belongs to highest_new or each_new, not "
                        "{expr_mode}").format(expr_mode=expr.mode)
                )
            self.same(expr.prior, subject, self.type_of(expr.prior), _("`since` compares"))
        result: Type | None = None
        previous: Quantity | None = None
        for row in expr.rows:
            self.same(
                row.threshold.value,
                subject,
                self.type_of(row.threshold.value),
                _("the threshold and the tiered value are"),
            )
            if row.threshold.op not in ("ge", "gt"):
                self.error(
                    row.threshold.span,
                    _("a tier is reached from below: `{word}` does not say reaching").format(
                        word=row.threshold.word
                    ),
                    _("达到, 以上, 不少于, 超过, >= or >"),
                )
            amount = self.type_of(row.amount)
            if result is not None and amount != result and UNKNOWN not in (amount, result):
                self.error(row.amount.span, _("the tiers' amounts must share one measure"))
            result = amount
            value = constant(row.threshold.value) if amount is not UNKNOWN else None
            if value is not None and previous is not None and subject is not UNKNOWN:
                try:
                    if not value > previous:
                        self.error(
                            row.threshold.span,
                            _("tiers must ascend: this threshold is not above the one before"),
                        )
                except MeasureError:
                    pass
            previous = value
        return result or UNKNOWN

    def _schedule(self, expr: n.Schedule) -> Type:
        self.expect(expr.anchor, DATE, _("a date (the start of the years counted)"))
        result: Type | None = None
        last = 0
        for row in expr.rows:
            if row.first <= last or row.last < row.first:
                self.error(
                    row.span,
                    _("schedule years must ascend without overlap"),
                    _("year {year} …").format(year=last + 1),
                )
            last = max(last, row.last)
            amount = self.type_of(row.amount)
            if result is not None and amount != result and UNKNOWN not in (amount, result):
                self.error(row.amount.span, _("the schedule's amounts must share one measure"))
            result = amount
        return result or UNKNOWN


_TYPERS: dict[type, Callable[[Any, Any], Type]] = {
    n.QuantityLit: _Checker._quantity,
    n.PercentLit: _Checker._percent,
    n.BoolLit: lambda self, e: BOOL,
    n.DateLit: lambda self, e: DATE,
    n.Ref: _Checker._ref,
    n.Call: _Checker._call_or_duration,
    n.Index: _Checker._index,
    n.ReadingIs: _Checker._reading_is,
    n.AnyOf: _Checker._labelled_list,
    n.AllOf: _Checker._labelled_list,
    n.Arith: _Checker._arith_not_dates,
    n.Of: _Checker._of,
    n.Compare: _Checker._compare,
    n.Is: _Checker._is,
    n.In: _Checker._is,
    n.And: _Checker._logic,
    n.Or: _Checker._logic,
    n.Not: _Checker._not,
    n.If: _Checker._if,
    n.Tiers: _Checker._tiers,
    n.Schedule: _Checker._schedule,
    n.Progressive: scale_checks.type_progressive,
    n.Dated: scale_checks.type_dated,
    n.Aggregate: group_checks.type_aggregate,
}


def iter_names(exprs: Iterable[n.Expr]) -> set[str]:
    """The input names an expression refers to (for docs: what a rule reads)."""
    return {e.name for expr in exprs for e in n.walk(expr) if isinstance(e, n.Ref)}
