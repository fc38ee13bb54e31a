"""What the templates show: one frozen record per thing on a page, every text already escaped
Markdown (built by `policy_view`, `directory`; rendered by `templates/docs/*.j2`)."""

from __future__ import annotations

import attrs


@attrs.frozen
class Block:
    """A tabulated part of a rule: tiers, a schedule, a table, or an any_of/all_of list."""

    kind: str  # table | list
    caption: str
    notes: tuple[str, ...] = ()
    head: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    items: tuple[str, ...] = ()
    anchor: str = ""
    chart: str = ""  # the SVG drawing the table (assets/charts/…), relative to the docs folder
    chart_alt: str = ""


@attrs.frozen
class QuoteView:
    text: str
    line: int | None
    repairs: tuple[str, ...]
    href: str = ""  # the line in the received text (the gazette page), when known


@attrs.frozen
class Fact:
    label: str
    value: str
    items: tuple[str, ...] = ()  # a numbered sub-list (the conditions of a rule)


@attrs.frozen
class ReadingNote:
    """A declared reading a rule depends on, shown beside the rule (a Material `note`)."""

    title: str  # 读法：[name](#reading-name)
    question: str
    take: str  # the option taken, and what it means
    other: str  # the options not taken


@attrs.frozen
class RuleView:
    name: str
    anchor: str
    quotes: tuple[QuoteView, ...]
    facts: tuple[Fact, ...]
    blocks: tuple[Block, ...]
    notes: tuple[str, ...]
    source: str = ""  # a link to the rule's line in the policy file
    readings: tuple[ReadingNote, ...] = ()
    is_rule: bool = True
    citizen: tuple[Fact, ...] = ()  # who can apply, how much, a worked example, whom to ask


@attrs.frozen
class DefineView:
    name: str
    anchor: str
    description: str
    condition: str
    blocks: tuple[Block, ...]
    source: str = ""
    label: str = "条件"  # 条件 for a condition, 取值 for a named value


@attrs.frozen
class TargetView:
    name: str
    wording: str  # 不少于30家（含本数）, 15%左右（±1%）
    description: str
    quotes: tuple[QuoteView, ...] = ()  # its own `quote`s; none: its part's sentences state it


@attrs.frozen
class DecideView:
    """A `decide`: the value `run` reports first, and how it is reached."""

    name: str
    anchor: str
    description: str
    values: str  # what it takes: an ordered enum lowest first, or ""
    branches: tuple[str, ...]  # an if/else chain: 若 … 则 …, …, 否则 …
    expression: str  # the whole expression when it is not a chain
    blocks: tuple[Block, ...]
    source: str = ""
    # `decide … per 月`: `每月的值；按年计算的案例逐月判定` (shown as 期间), else ""
    period: str = ""


@attrs.frozen
class ProcedureView:
    name: str
    anchor: str
    steps: tuple[str, ...]
    used_by: tuple[str, ...]


@attrs.frozen
class ClauseView:
    """A clause, or (a work plan's) numbered task."""

    heading: str
    anchor: str
    quotes: tuple[QuoteView, ...]
    notes: tuple[str, ...]
    units: tuple[Fact, ...]  # 牵头单位, 责任单位: linked, an open list ending with 等
    funds: tuple[str, ...]
    rules: tuple[RuleView, ...]
    targets: tuple[TargetView, ...] = ()
    refers: tuple[str, ...] = ()
    source: str = ""
    toc_label: str = ""  # what the table of contents says, when not the heading
    # the clause's own `define`s (not its decides, listed under 判定), after its rules
    defines: tuple[DefineView, ...] = ()
    is_rule: bool = False
    is_tail: bool = False


@attrs.frozen
class SectionTail:
    """Where a section's own text goes on after its clauses (`以上各阶梯水价均含…` after
    （一）–（三）): a heading `一、…（续）` that closes the last clause, then the section's
    quotes written there; the section's rules that follow stand under it, not under the clause."""

    heading: str
    anchor: str  # `section-一-续`, `section-一-续2`: the section's, and its count there
    quotes: tuple[QuoteView, ...]
    source: str = ""
    is_rule: bool = False
    is_tail: bool = True


@attrs.frozen
class SectionView:
    heading: str
    anchor: str
    quotes: tuple[QuoteView, ...]
    notes: tuple[str, ...]
    defines: tuple[DefineView, ...]
    body: tuple[RuleView | ClauseView | SectionTail, ...]
    units: tuple[Fact, ...] = ()
    targets: tuple[TargetView, ...] = ()
    source: str = ""
    is_section: bool = True


@attrs.frozen
class TopClause:
    """A clause outside any section, placed among the sections by its line."""

    clause: ClauseView
    is_section: bool = False


@attrs.frozen
class ReadingView:
    name: str
    anchor: str
    question: str
    options: tuple[tuple[str, str, bool], ...]  # name, text, taken
    take: str
    because: str
    used_by: tuple[str, ...]
    source: str = ""


@attrs.frozen
class RepairView:
    name: str
    line: int
    received: str
    corrected: str
    because: str
    href: str = ""  # the line in the received text


@attrs.frozen
class InputView:
    name: str
    type: str
    presence: str
    description: str


@attrs.frozen
class GroupView:
    """The group a case describes (家庭) and its roles: (name, how many, description)."""

    name: str
    roles: tuple[tuple[str, str, str], ...]


@attrs.frozen
class EnumView:
    name: str
    anchor: str
    members: tuple[tuple[str, str], ...]
    order: str = ""  # an ordered enum: 无 < 黄色 < 橙色 < 红色


@attrs.frozen
class AsideView:
    """Source text that states no rule (`aside`), and why."""

    quote: QuoteView
    why: str


@attrs.frozen
class PolicyPage:
    page: str  # file name under docs/, e.g. tzf-2023-1.md
    nav_title: str  # unescaped: mkdocs.yml.j2 escapes it (filter nav_title)
    number: str
    title: str
    header: tuple[Fact, ...]
    decides: tuple[DecideView, ...]
    readings: tuple[ReadingView, ...]
    repairs: tuple[RepairView, ...]
    inputs: tuple[InputView, ...]
    enums: tuple[EnumView, ...]
    tables: tuple[Block, ...]
    defines: tuple[DefineView, ...]
    procedures: tuple[ProcedureView, ...]
    parts: tuple[SectionView | TopClause, ...]
    asides: tuple[AsideView, ...] = ()
    source_page: str = ""  # source/<stem>.md
    group: GroupView | None = None  # households (issue 12): the group's roles
    gazette_page: str = ""  # gazette/<stem>.md, or "" when the policy names no received text
    summary: str = ""  # 17 条 · 34 项规则 · …
    coverage: str = ""  # 来文覆盖 80/95 句（84.2%）: for the drafters


@attrs.frozen
class AmountRow:
    """One amount of the amounts index: where it is written and what it is."""

    part: str  # link to the clause, task or section
    rule: str  # link to the rule, or —
    item: str  # 金额, 封顶, 档次金额, 年度金额, 标准表, 资金, 限额, 金额未规定
    value: str
    note: str


@attrs.frozen
class AmountGroup:
    number: str
    title: str
    page: str  # link to the policy's page
    anchor: str
    jump: str  # link to this group, for the summary
    rows: tuple[AmountRow, ...]
    unspecified: int


@attrs.frozen
class UnitRef:
    """One place where a policy names a unit, for the unit's page. `href` is relative to the
    docs folder; the unit pages sit one folder down."""

    role: str
    number: str  # the document's 文号
    text: str  # the part (或 part · rule), or "" for the whole document
    href: str


@attrs.frozen
class UnitDuties:
    """What one document asks of one unit, role by role."""

    heading: str  # 文号 and title
    document: str  # link to the document's page
    anchor: str
    roles: tuple[tuple[str, tuple[str, ...]], ...]  # role, links


@attrs.frozen
class UnitView:
    name: str
    nav_title: str  # unescaped: mkdocs.yml.j2 escapes it (filter nav_title)
    page: str  # units/<file>.md, relative to docs/
    link: str  # from units/index.md
    full_name: str
    aliases: tuple[str, ...]
    kind: str
    documents: tuple[UnitDuties, ...]
    counts: str  # 牵头 3 · 责任 20, or —


@attrs.frozen
class SourcePage:
    """A policy file, shown whole and highlighted with the policyc lexer."""

    page: str  # source/<stem>.md
    file_name: str
    document: str  # link to the policy's page (from source/)
    gazette: str  # link to the received text (from source/), or ""
    fence: str
    text: str  # the policy file as it is: not escaped, not tidied


@attrs.frozen
class GazetteLine:
    number: int
    text: str
    quoted_by: tuple[str, ...]  # links to the parts and rules that quote this line
    repairs: tuple[str, ...]


@attrs.frozen
class GazettePage:
    page: str  # gazette/<stem>.md
    number: str
    title: str
    document: str  # link to the policy's page (from gazette/)
    source: str  # link to the policy file page
    file_name: str
    first: int
    last: int
    lines: tuple[GazetteLine, ...]


@attrs.frozen
class DocumentCard:
    """A document on the home page."""

    number: str  # a link to its page
    title: str
    facts: tuple[Fact, ...]
    summary: str
    links: str  # the policy file and the received text


@attrs.frozen
class ValidityTable:
    """Whether each document is in force on a few fixed dates (the home page)."""

    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    dates: tuple[str, ...]  # what each date is
    data: str  # the same facts as JSON, for the date picker


@attrs.frozen
class WorkedExample:
    """One shipped example case evaluated for one rule it expects to apply (the figures are
    the evaluation's, the same `policyc test` compares with the case's `expect:`)."""

    rule: str
    case: str  # the case file, relative to the project: examples/<policy>/<name>.yaml
    on: str  # the evaluation date, ISO
    inputs: tuple[tuple[str, str], ...]  # every input the case gives, as `run` shows it
    readings: tuple[tuple[str, str], ...]  # readings the case takes instead of the declared
    amount: str
    uncapped: str = ""  # before the cap, when the cap bit
    # A household case's members: (name, role, (input, value as `run` shows it) …), in the
    # case's order; a value per period is written `2026-03: 1,800元`.
    members: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = ()
    period: str = ""  # the period evaluated (a case with periods or members), else ""
