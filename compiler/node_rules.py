"""The policy AST's rules and clauses (compiler/nodes.py): a rule with its amount, cap, limits
and quotes; the clauses and sections that hold rules; conventions, rounding, caps shared by
several rules and `choose highest of`. attrs classes with the span each was parsed from,
excluded from equality."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from policyc.compiler.errors import Span
from policyc.compiler.node_exprs import Expr, Name, QuantityLit, _span

if TYPE_CHECKING:  # declarations a clause holds (the AST's declarations import this module)
    from policyc.compiler.nodes import Define, Target


__all__ = [
    "AmountRange",
    "ApplyBy",
    "Cap",
    "CapDays",
    "CapMember",
    "Choice",
    "Clause",
    "Convention",
    "EachLimit",
    "EachOrder",
    "Fund",
    "Limit",
    "Quote",
    "Reference",
    "Rounding",
    "Rule",
    "Section",
    "SharedCap",
    "Unspecified",
]


@attrs.frozen
class Reference:
    """`refers "文号" clause 七`: a link to another document, checked when both are loaded.
    `refers outside "名称" ["文号"]`: a document the project does not restate (`outside`), named
    by `title` and its 文号 in `document` ("" when the text gives none); never resolved."""

    document: str
    kind: str  # clause | task | section | "" (the whole document)
    number: str
    span: Span = _span()
    outside: bool = False
    title: str = ""  # an outside document's name, without 《》


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
    apply_by: ApplyBy | None = None  # `apply 申请日期 by …`: the applicant's deadline
    span: Span = _span()
    once_spans: tuple[Span, ...] = attrs.field(default=(), eq=False, repr=False)  # `once per …`


@attrs.frozen
class ApplyBy:
    """`apply 申请日期 by 每月 10 日 遇节假日顺延`,
    `apply 申请日期 by date_plus(事故发生日期, 30 日)`: the last day, inclusive, by which the
    case's `applied` date input may be; `month_day` the day of each month (1–28; 0 with
    `month_end` for its last day), else `day` an expression of a date.
    `postponed`: a rest day moves to the next working day (遇节假日顺延, Civil Code art. 203)."""

    applied: Name
    day: Expr | None
    month_day: int = 0
    month_end: bool = False
    postponed: bool = False
    span: Span = _span()

    @property
    def code(self) -> str:
        """How the runtime reads it (runtime/applications.py): `monthly:10`, `monthly:end` or
        `day`, with `:postponed` after it for 遇节假日顺延."""
        code = "monthly:end" if self.month_end else f"monthly:{self.month_day}"
        code = "day" if self.day is not None else code
        return code + ":postponed" if self.postponed else code


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
