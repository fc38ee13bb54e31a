"""The policy AST: attrs classes, one per construct of docs/language.md. Here: the declarations
(header, units, measures, enums, inputs, tables, readings, defines, procedures, targets), the
households' roles and group, and the file (`PolicyFile`) that holds them all.

By job, beside this module: names and expressions, compiler/node_exprs.py; rules, clauses and
sections, conventions, rounding and shared caps, compiler/node_rules.py. Every node of all three
is named here too, as `nodes.X`: the compiler's 89 modules read the AST as one namespace
(`from policyc.compiler import nodes as n`), so the split leaves them as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import attrs

from policyc.compiler.errors import Span
from policyc.compiler.node_exprs import *  # noqa: F403
from policyc.compiler.node_exprs import NO_SPAN as NO_SPAN
from policyc.compiler.node_exprs import BoolLit, Expr, Name, QuantityLit, _span
from policyc.compiler.node_rules import *  # noqa: F403
from policyc.compiler.node_rules import (
    Choice,
    Clause,
    Convention,
    Quote,
    Rounding,
    Rule,
    Section,
    SharedCap,
)

# ---- declarations -----------------------------------------------------------------------------


@attrs.frozen
class ValidOption:
    """`OPTION: from DATE counting WORD` in `valid by reading NAME { … }`."""

    option: Name
    start: date
    counting: Name
    span: Span = _span()


@attrs.frozen
class Header:
    number: str
    title: str = ""
    issuer: Name | None = None  # the lead issuer (牵头发文单位), the first one written
    issued: date | None = None
    valid_from: date | None = None
    valid_for: QuantityLit | None = None
    provisional: bool = False
    counting: Name | None = None
    valid_reading: Name | None = None  # the reading the validity follows, with its options:
    valid_options: tuple[ValidOption, ...] = ()
    interpreted_by: Name | None = None
    replaces: tuple[str, ...] = ()
    source_file: str = ""
    source_first_line: int = 0
    source_last_line: int = 0
    registry_file: str = ""
    calendar_file: str = ""  # `calendar from FILE`: the project's 节假日安排 notices
    valid_end: date | None = None  # `valid from … until DATE`: the last day in force, inclusive
    span: Span = _span()
    # Where the two file names are written, for the messages about them.
    source_span: Span = _span()
    registry_span: Span = _span()
    calendar_span: Span = _span()
    number_span: Span = _span()  # where the 文号 is written, for a 文号 two files share
    co_issuers: tuple[Name, ...] = ()  # 联合发文: the other issuers, in the order written

    @property
    def issuers(self) -> tuple[Name, ...]:
        """Every issuer, the lead issuer first; () when the header names none."""
        return () if self.issuer is None else (self.issuer, *self.co_issuers)


@attrs.frozen
class NoticeRest:
    """`元旦: 2027-01-01 to 2027-01-03 "quote"`: a holiday's rest days, `first` to `last`
    inclusive (one day: `last` is `first`), weekend days among them included."""

    holiday: Name
    first: date
    last: date
    quote: Quote
    span: Span = _span()


@attrs.frozen
class NoticeWork:
    """`work 2027-02-14 "quote"`: a weekend day the notice makes a working day (调休上班)."""

    day: date
    quote: Quote
    span: Span = _span()


@attrs.frozen
class HolidayNotice:
    """`holidays YEAR "文号" { title … [source FILE] [complete] … }`: one year's 节假日安排 as
    the State Council's notice sets it (compiler/holiday_notices.py checks and compiles it)."""

    year: int
    number: str
    title: str
    source_file: str
    complete: bool
    rests: tuple[NoticeRest, ...]
    works: tuple[NoticeWork, ...]
    span: Span = _span()
    year_span: Span = _span()
    source_span: Span = _span()


@attrs.frozen
class UnitDecl:
    name: Name
    full_name: str
    aliases: tuple[Name, ...]
    kind: str
    span: Span = _span()


@attrs.frozen
class MeasureDecl:
    """`measure 标准箱 "…"` (a new base) or `measure 方 = 1 立方米` (a multiple of a known one)."""

    name: Name
    size: QuantityLit | None
    description: str
    span: Span = _span()


@attrs.frozen
class EnumMember:
    label: str
    description: str
    span: Span = _span()


@attrs.frozen
class EnumDecl:
    name: Name
    members: tuple[EnumMember, ...]
    ordered: bool = False  # members listed from lowest to highest; comparisons allowed
    span: Span = _span()


@attrs.frozen
class TypeExpr:
    """`bool`, `date`, or a name: a measure, an enum, a tally `MEASURE by ENUM`, or a series
    `MEASURE series` (values in order, one per day)."""

    kind: str  # bool | date | named | series
    name: str = ""
    by: str = ""
    span: Span = _span()


@attrs.frozen
class InputDecl:
    name: Name
    type: TypeExpr
    presence: str  # required | optional | default
    default: Expr | str | None
    description: str
    span: Span = _span()
    part_of: Name | None = None  # `part of WHOLE`: counted inside another input (disjoint parts)
    per: tuple[Name, ...] = ()  # `per member`, `per 月`, `per 年` (checked by group_checks)
    flow: bool = False  # `flow`: a period's amount that adds up over months (工资), not a stock


@attrs.frozen
class TableDecl:
    name: Name
    by: Name
    rows: tuple[tuple[str, QuantityLit], ...]
    span: Span = _span()
    # A table by two or more enums (学历 × 工作年限档): the enums after `by`, and each row's
    # members of them (in the order of `rows`, whose first member is of `by`).
    more_by: tuple[Name, ...] = ()
    more_keys: tuple[tuple[str, ...], ...] = ()

    @property
    def enums(self) -> tuple[str, ...]:
        """The enums the table is by, in order."""
        return (self.by.text, *(b.text for b in self.more_by))

    def cells(self) -> tuple[tuple[tuple[str, ...], QuantityLit], ...]:
        """Each row as (its members, one per enum; its value)."""
        more = self.more_keys or ((),) * len(self.rows)
        pairs = zip(self.rows, more, strict=True)
        return tuple(((key, *rest), value) for (key, value), rest in pairs)


@attrs.frozen
class ReadingOption:
    name: str
    text: str
    span: Span = _span()


@attrs.frozen
class ReadingDecl:
    name: Name
    question: str
    options: tuple[ReadingOption, ...]
    take: Name
    because: str
    span: Span = _span()
    documentary: bool = False  # no rule tests it; a run may not choose another option


@attrs.frozen
class RepairDecl:
    name: Name
    line: int
    received: str
    corrected: str
    because: str
    span: Span = _span()


@attrs.frozen
class Define:
    """`define` names a condition; `decide` names a value that `run` reports (a level, a unit)."""

    name: Name
    expr: Expr
    description: str
    decided: bool = False
    span: Span = _span()
    period: Name | None = None  # `decide … per 月`: the value is a month's (or a year's)


@attrs.frozen
class Aside:
    """Text of the source that states no rule (a preamble, a signature), and why."""

    text: str
    why: str
    span: Span = _span()


@attrs.frozen
class Procedure:
    name: Name
    title: str
    steps: tuple[str, ...]
    span: Span = _span()


@attrs.frozen
class Recurring:
    """A deadline that recurs or stands (`by 每季度`, `by 每月 25 日`, `by 每月底`, `by 长期`).

    `every` is "quarter" (due on each quarter's last day), "month" (due on `day` of each month,
    1–28, or its last day where `day` is 0) or "standing" (长期坚持: never overdue). On an
    evaluation date the deadline in view is that of the period holding the date, inclusive."""

    every: str  # quarter | month | standing
    day: int = 0  # every month: the day, 1–28; 0: the month's last day (每月底)
    span: Span = _span()

    @property
    def code(self) -> str:
        """How the runtime reads it (RuleInfo.deadline): quarterly, monthly:25, monthly:end,
        standing."""
        if self.every == "month":
            return f"monthly:{self.day or 'end'}"
        return "quarterly" if self.every == "quarter" else "standing"


@attrs.frozen
class Target:
    """A quantified target, or a yes/no one (`done`). The case reports the actual figure (or
    true / false) under the target's name."""

    name: Name
    op: str  # ge gt le lt eq ne, or "about"
    word: str
    value: Expr
    tolerance: Expr | None
    description: str
    span: Span = _span()
    # `by 2027-12-31`: to be met by that day, inclusive; `by 每季度` …: a Recurring deadline
    deadline: date | Recurring | None = None
    # `… 遇节假日顺延` (or 顺延): a deadline day that is a rest day moves to the next working day
    postponed: bool = False
    # `target … { quote "…" }`: the sentence that states this target (else its owner's cited)
    quotes: tuple[Quote, ...] = ()

    @property
    def done(self) -> bool:
        """`target NAME done`: no figure, met when the case reports NAME true (value `true`)."""
        return isinstance(self.value, BoolLit)


@attrs.frozen
class PolicyFile:
    path: str
    header: Header | None = None
    units: tuple[UnitDecl, ...] = ()
    measures: tuple[MeasureDecl, ...] = ()
    enums: tuple[EnumDecl, ...] = ()
    inputs: tuple[InputDecl, ...] = ()
    tables: tuple[TableDecl, ...] = ()
    readings: tuple[ReadingDecl, ...] = ()
    repairs: tuple[RepairDecl, ...] = ()
    defines: tuple[Define, ...] = ()
    sections: tuple[Section, ...] = ()
    clauses: tuple[Clause, ...] = ()  # clauses outside any section
    procedures: tuple[Procedure, ...] = ()
    asides: tuple[Aside, ...] = ()
    conventions: tuple[Convention, ...] = ()
    roundings: tuple[Rounding, ...] = ()  # the policy's default (at most one)
    shared_caps: tuple[SharedCap, ...] = ()
    groups: tuple[GroupDecl, ...] = ()  # at most one: a case is one group (issue 12)
    choices: tuple[Choice, ...] = ()  # every `choose`, wherever written, in file order
    notices: tuple[HolidayNotice, ...] = ()  # `holidays YEAR …`: the yearly 节假日安排

    def all_defines(self) -> Iterator[Define]:
        """Every `define`/`decide`: the policy's own, then each section's with its clauses',
        then those of the clauses outside any section (one namespace: their place only keeps
        them beside their text)."""
        yield from self.defines
        for section in self.sections:
            yield from section.defines
            for clause in section.clauses:
                yield from clause.defines
        for clause in self.clauses:
            yield from clause.defines

    def all_clauses(self) -> Iterator[Clause]:
        for section in self.sections:
            yield from section.clauses
        yield from self.clauses

    def clause_count(self) -> int:
        """The document's clauses as a reader counts them: each clause, and each section that
        holds none but says something itself (a notice numbered 一、…九、 without (一)(二) has
        nine; a chapter heading with nothing of its own is not one)."""
        return len(self.clauses) + sum(
            len(s.clauses) or int(bool(s.quotes or s.rules or s.targets)) for s in self.sections
        )

    def all_targets(self) -> Iterator[tuple[Section | Clause, Target]]:
        """Every target with its owner, in document order."""
        for section in self.sections:
            for target in section.targets:
                yield section, target
            for clause in section.clauses:
                for target in clause.targets:
                    yield clause, target
        for clause in self.clauses:
            for target in clause.targets:
                yield clause, target

    def all_rules(self) -> Iterator[tuple[Section | Clause, Rule]]:
        """Every rule with its owner, in document order."""
        for section in self.sections:
            for rule in section.rules:
                yield section, rule
            for clause in section.clauses:
                for rule in clause.rules:
                    yield clause, rule
        for clause in self.clauses:
            for rule in clause.rules:
                yield clause, rule


# ---- households (issue 12) -------------------------------------------------------------------


@attrs.frozen
class RoleDecl:
    """`role 子女 many`: a role of the group and how many members may take it."""

    name: Name
    least: int  # 1 for `one`, else 0
    most: int | None  # None for `many`
    description: str = ""
    span: Span = _span()


@attrs.frozen
class GroupDecl:
    """`group 家庭 { role 申请人 one … }`: the people a case describes, in roles."""

    name: Name
    roles: tuple[RoleDecl, ...]
    span: Span = _span()
    counted: Name | None = None  # `counted 台`: the measure its members are counted in
