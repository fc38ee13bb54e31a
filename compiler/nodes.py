"""The policy AST: attrs classes, one per construct of docs/language.md.

Every node keeps the span it was parsed from, excluded from equality, so that two parses of the
same text compare equal wherever it sits. Expression nodes declare their children in
`children`, which is all a walker needs (see `walk`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, ClassVar

import attrs

from policyc.compiler.errors import Span

NO_SPAN = Span("<none>", 0, 0)


def _span() -> Span:
    return attrs.field(default=NO_SPAN, eq=False, repr=False)


@attrs.frozen
class Name:
    """A name as written, with where it was written (for 'unknown unit' and the like)."""

    text: str
    span: Span = _span()


# ---- expressions ------------------------------------------------------------------------------


@attrs.frozen
class Expr:
    children: ClassVar[tuple[str, ...]] = ()
    if TYPE_CHECKING:  # every expression has a span; declared per class so it can come last
        span: Span

    def child_nodes(self) -> Iterator[Expr]:
        for field in self.children:
            value = getattr(self, field)
            if isinstance(value, Expr):
                yield value
            elif isinstance(value, tuple):
                yield from (v for v in value if isinstance(v, Expr))


@attrs.frozen
class QuantityLit(Expr):
    number: str
    measure: str  # "" for a plain number
    span: Span = _span()


@attrs.frozen
class PercentLit(Expr):
    number: str
    span: Span = _span()


@attrs.frozen
class BoolLit(Expr):
    value: bool
    span: Span = _span()


@attrs.frozen
class DateLit(Expr):
    value: date
    span: Span = _span()


@attrs.frozen
class MonthDayLit(Expr):
    """A day of every year (`1月1日`, `--01-01`; `2月底`: day 0, the month's last day), for
    `within_each_year` (compiler/calendar_checks.py)."""

    month: int
    day: int
    span: Span = _span()


@attrs.frozen
class Ref(Expr):
    name: str
    span: Span = _span()


@attrs.frozen
class Call(Expr):
    children = ("args",)
    func: str
    args: tuple[Expr, ...]
    span: Span = _span()


@attrs.frozen
class Index(Expr):
    name: str
    key: str
    span: Span = _span()
    more_keys: tuple[str, ...] = ()  # `安居补贴标准[学历, 档]`: the keys after the first

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key, in the table's order of enums."""
        return (self.key, *self.more_keys)


@attrs.frozen
class ReadingIs(Expr):
    reading: str
    option: str
    span: Span = _span()


@attrs.frozen
class Labelled(Expr):
    children = ("expr",)
    label: str
    expr: Expr
    span: Span = _span()


@attrs.frozen
class AnyOf(Expr):
    children = ("items",)
    items: tuple[Labelled, ...]
    span: Span = _span()


@attrs.frozen
class AllOf(Expr):
    children = ("items",)
    items: tuple[Labelled, ...]
    span: Span = _span()


@attrs.frozen
class Arith(Expr):
    """`+`, `-` or `×` (the only arithmetic the documents need; there is no division)."""

    children = ("left", "right")
    op: str
    left: Expr
    right: Expr
    span: Span = _span()
    # `X × 1 月` that `amount X per 月` means for X in 元/月 (compiler/period_amounts.py): the
    # site and the trace write X, as the document does
    implied: bool = False


@attrs.frozen
class Of(Expr):
    """`10% of 投资额`: a ratio applied to a base."""

    children = ("ratio", "base")
    ratio: Expr
    base: Expr
    span: Span = _span()


@attrs.frozen
class Compare(Expr):
    """A comparison; `op` is one of ge gt le lt eq ne, `word` is how the policy wrote it."""

    children = ("left", "right")
    op: str
    word: str
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class Is(Expr):
    children = ("subject",)
    subject: Expr
    member: str
    span: Span = _span()


@attrs.frozen
class In(Expr):
    children = ("subject",)
    subject: Expr
    members: tuple[str, ...]
    span: Span = _span()


@attrs.frozen
class And(Expr):
    children = ("left", "right")
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class Or(Expr):
    children = ("left", "right")
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class Not(Expr):
    children = ("operand",)
    operand: Expr
    span: Span = _span()


@attrs.frozen
class If(Expr):
    children = ("cond", "then", "otherwise")
    cond: Expr
    then: Expr
    otherwise: Expr
    span: Span = _span()


@attrs.frozen
class Threshold:
    op: str
    word: str
    value: Expr
    span: Span = _span()


@attrs.frozen
class TierRow(Expr):
    children = ("amount",)
    threshold: Threshold
    amount: Expr
    span: Span = _span()


@attrs.frozen
class Tiers(Expr):
    children = ("subject", "prior", "rows")
    subject: Expr
    mode: str  # highest | each | highest_new | each_new
    prior: Expr | None
    rows: tuple[TierRow, ...]
    span: Span = _span()

    def child_nodes(self) -> Iterator[Expr]:
        yield from super().child_nodes()
        for row in self.rows:
            yield row.threshold.value


@attrs.frozen
class ScheduleRow(Expr):
    children = ("amount",)
    first: int
    last: int
    amount: Expr
    span: Span = _span()


@attrs.frozen
class Schedule(Expr):
    children = ("anchor", "rows")
    anchor: Expr
    rows: tuple[ScheduleRow, ...]
    span: Span = _span()


@attrs.frozen
class Band(Expr):
    """One row of a progressive scale: the band's edge as the policy words it, and its rate."""

    children = ("rate",)
    threshold: Threshold
    rate: Expr
    span: Span = _span()


@attrs.frozen
class Progressive(Expr):
    """分段累进: `progressive BASE { 不超过 3000 元: 3%, 超过 3000 元: 10% }`; each band's rate
    applies to the part of BASE inside the band (see runtime/scales.py for the bands)."""

    children = ("base", "bands")
    base: Expr
    bands: tuple[Band, ...]
    span: Span = _span()

    def child_nodes(self) -> Iterator[Expr]:
        yield from super().child_nodes()
        for band in self.bands:
            yield band.threshold.value


@attrs.frozen
class DatedRow(Expr):
    """`from DATE: VALUE ["the document that set it"]`."""

    children = ("value",)
    start: date
    value: Expr
    source: str = ""
    span: Span = _span()


@attrs.frozen
class Dated(Expr):
    """A value that changes on dates: the row in force on `on` (the evaluation date when None)."""

    children = ("on", "rows")
    on: Expr | None
    rows: tuple[DatedRow, ...]
    span: Span = _span()


@attrs.frozen
class Aggregate(Expr):
    """`sum(月收入 over 子女 where …)`, `count(子女 where …)`: over the members of the case's
    group. `func` is count, sum, min, max, any or all; for count/any/all `subject` is a `Ref` to a
    role or to `members`; for sum/min/max it is a per-member expression. `role` is "" for every
    member."""

    children = ("subject", "where")
    func: str
    subject: Expr
    role: str
    where: Expr | None
    span: Span = _span()


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of an expression, parents before children."""
    yield expr
    for child in expr.child_nodes():
        yield from walk(child)


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
    issuer: Name | None = None
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
    valid_end: date | None = None  # `valid from … until DATE`: the last day in force, inclusive
    span: Span = _span()
    # Where the two file names are written, for the messages about them.
    source_span: Span = _span()
    registry_span: Span = _span()
    number_span: Span = _span()  # where the 文号 is written, for a 文号 two files share


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
    """A quantified target. The case reports the actual figure under the target's name."""

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


@attrs.frozen
class Reference:
    """`refers "文号" clause 七`: a link to another document, checked when both are loaded."""

    document: str
    kind: str  # clause | task | section | "" (the whole document)
    number: str
    span: Span = _span()


@attrs.frozen
class Quote:
    text: str
    span: Span = _span()


@attrs.frozen
class Fund:
    name: Name
    amount: QuantityLit
    scopes: tuple[str, ...]
    purpose: str
    span: Span = _span()


@attrs.frozen
class Limit:
    name: Name
    amount: QuantityLit
    text: str
    span: Span = _span()


@attrs.frozen
class Unspecified:
    """An amount the document promises without a number. It is never given one."""

    text: str
    span: Span = _span()


@attrs.frozen
class CapDays:
    """`of 停放时长 by reading 每日 { 满24小时: every_24_hours, 自然日: calendar_day }` after `cap …
    per 日`: the duration input split into days, and what a day is under each option."""

    input: Name
    reading: Name
    options: tuple[tuple[Name, Name], ...]  # (option, meaning)
    span: Span = _span()


@attrs.frozen
class Cap:
    amount: Expr
    scopes: tuple[str, ...]
    span: Span = _span()
    # Where each word after `per` is written, for `check`'s message on a scope it refuses.
    scope_spans: tuple[Span, ...] = attrs.field(default=(), eq=False, repr=False)
    days: CapDays | None = None  # `cap … per 日 of INPUT by reading …` (compiler/daily_caps.py)


@attrs.frozen
class Rule:
    name: Name
    quotes: tuple[Quote, ...] = ()
    notes: tuple[str, ...] = ()
    responsible: tuple[Name, ...] = ()
    kind: str = ""
    beneficiary: str = ""
    whens: tuple[Expr, ...] = ()
    amount: Expr | Unspecified | None = None
    cap: Cap | None = None
    once: tuple[str, ...] | None = None
    readings: tuple[Name, ...] = ()
    valid_by: Name | None = None
    grants: str = ""
    limits: tuple[Limit, ...] = ()
    cooperates: tuple[Name, ...] = ()
    law: str = ""
    follows: tuple[Name, ...] = ()
    refers: tuple[Reference, ...] = ()
    open_responsible: bool = False  # the rule's list of responsible units ends with 等
    rounding: Rounding | None = None  # `round to 元 half_up`: the document's own rounding
    each: Name | None = None  # `each 子女`: evaluated, and paid, once per member of the role
    each_limit: EachLimit | None = None  # `each 机具 at_most 2 台 …`: how many members are paid
    amount_range: AmountRange | None = None  # `amount range LOW to HIGH` (then `amount` is None)
    period: Name | None = None  # `amount … per 月`: the amount is a month's (or a year's)
    span: Span = _span()
    once_spans: tuple[Span, ...] = attrs.field(default=(), eq=False, repr=False)  # `once per …`


@attrs.frozen
class AmountRange:
    """`amount range 1 × 套取金额 to 3 × 套取金额`: 处1倍以上3倍以下罚款 — an amount the deciding
    unit sets between `low` and `high`, both included (以上/以下 include)."""

    low: Expr
    high: Expr
    span: Span = _span()


@attrs.frozen
class EachOrder:
    """`ordered by 销售价格 descending`: which members an `each` limit pays first — the highest
    (or lowest) value of a member's input first, ties in the case's listing order; `key` None
    for `as_listed`, the case's listing order alone."""

    key: Name | None
    direction: str = ""  # "descending", "ascending"; "" after `as_listed` (or a key lacking one)
    span: Span = _span()

    @property
    def descending(self) -> bool:
        return self.direction == "descending"


@attrs.frozen
class EachLimit:
    """`each 机具 at_most 2 台 less 本年已享受补贴台数 ordered by …`: at most `most` members paid,
    less `less` (those already paid), chosen in `order`; or, with `reading`, in the order
    of the option the case's reading takes (`options`: (option, order))."""

    most: QuantityLit
    less: Expr | None = None
    order: EachOrder | None = None
    reading: Name | None = None
    options: tuple[tuple[Name, EachOrder], ...] = ()
    span: Span = _span()


@attrs.frozen
class Clause:
    """A numbered clause of a document, or (kind "task") a numbered task of a work plan."""

    number: str
    title: str
    quotes: tuple[Quote, ...] = ()
    notes: tuple[str, ...] = ()
    responsible: tuple[Name, ...] = ()
    funds: tuple[Fund, ...] = ()
    rules: tuple[Rule, ...] = ()
    kind: str = "clause"
    leads: tuple[Name, ...] = ()
    open_leads: bool = False  # the document ends the list of lead units with 等 (`etc`)
    open_responsible: bool = False  # … or the list of responsible units
    targets: tuple[Target, ...] = ()
    refers: tuple[Reference, ...] = ()
    span: Span = _span()
    # `SECTION.NUMBER` (二.一) where the document numbers its clauses again in each section
    # (compiler/numbering.py); empty where they are numbered through (the number is the key).
    key: str = ""
    cooperates: tuple[Name, ...] = ()  # its rules' cooperating units, unless a rule says
    # `define`/`decide` written in the clause: the policy's names (PolicyFile.all_defines), kept
    # beside the sentence they restate.
    defines: tuple[Define, ...] = ()
    choices: tuple[Choice, ...] = ()  # also in PolicyFile.choices

    @property
    def open_list(self) -> bool:
        return self.open_leads or self.open_responsible

    @property
    def ident(self) -> str:
        """The clause's identity in the policy: `七`, or `二.一` where numbering restarts."""
        return self.key or self.number


@attrs.frozen
class Section:
    number: str
    title: str
    quotes: tuple[Quote, ...] = ()
    notes: tuple[str, ...] = ()
    defines: tuple[Define, ...] = ()
    rules: tuple[Rule, ...] = ()
    clauses: tuple[Clause, ...] = ()
    leads: tuple[Name, ...] = ()
    responsible: tuple[Name, ...] = ()
    targets: tuple[Target, ...] = ()
    open_leads: bool = False
    open_responsible: bool = False
    refers: tuple[Reference, ...] = ()
    span: Span = _span()
    cooperates: tuple[Name, ...] = ()  # its rules' cooperating units, unless a rule says
    shared_caps: tuple[SharedCap, ...] = ()  # also in PolicyFile.shared_caps
    choices: tuple[Choice, ...] = ()  # also in PolicyFile.choices


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


# ---- conventions, rounding, caps shared by several rules (issue 12) ----------------------------


@attrs.frozen
class Convention:
    """`convention missing_day month_end because "…"`: a declared way of counting."""

    name: Name
    option: Name
    because: str
    span: Span = _span()


@attrs.frozen
class Rounding:
    """`rounding to 分 half_up because "…"` (the policy's default, its reading), `rounding to 元
    half_up quote "…"` (the policy's default, the document's sentence) or `round to 元 down` (a
    rule's own): money rounded to 分, 角 or 元 in a mode, after the rule's cap."""

    unit: Name
    mode: Name
    because: str
    span: Span = _span()
    quote: Quote | None = None  # the document's sentence that states the rounding


@attrs.frozen
class CapMember:
    kind: str  # rule | clause
    name: str  # the rule's name or the clause's number
    span: Span = _span()


@attrs.frozen
class SharedCap:
    """A cap over several rules (or clauses) for one beneficiary and period, shared out in the
    declared order."""

    name: Name
    quotes: tuple[Quote, ...]
    amount: Expr | None  # a literal (30 万元) or what the case gives (生前工资)
    scopes: tuple[str, ...]
    members: tuple[CapMember, ...]
    order: Name | None
    because: str
    span: Span = _span()
    scope_spans: tuple[Span, ...] = attrs.field(default=(), eq=False, repr=False)


@attrs.frozen
class Choice:
    """`choose highest of A, B, C quote "…"`: of the rules listed that apply, only the one with
    the largest amount is paid (按较重的档次处罚; compiler/choices.py)."""

    members: tuple[Name, ...]
    quote: Quote
    span: Span = _span()


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
