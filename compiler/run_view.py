"""What `policyc run` reads of a checked policy, as plain data (issue 16).

A `CheckedPolicy` is the whole AST: some two thousand attrs objects of `compiler/nodes.py`, whose
classes alone took a warm `run` longer than the rest of it. `RunView` holds what reading a case,
evaluating it and writing the answer need, under the attribute names the checked policy gives
them (`header.number`, `inputs[NAME].type.kind`, `enums`, `people`, `readings`, `roundings`,
`validity_under` …), so that code written for either reads both; and, where the run reads
expressions (which inputs a rule's amount reads, `cli/needs.py`), a lean form of them:

    ("ref", NAME)                      an input, a define, a table (`Ref`, `Index`)
    ("if", COND, THEN, OTHERWISE)
    ("reading", READING, OPTION)       `reading R is O`
    ("given", NAME)                    `given(NAME)` of an input (reads it, as a ref)
    ("not", X), ("and", X, Y), ("or", X, Y)
    ("node", (CHILD, …))               any other expression: only the names it reads matter;
                                       a child that reads no name is left out
    ("node", (CHILD, …), MARK)         an expression why-not reads the sense of (cli/member_why.py),
                                       every child kept, MARK one of
                                       ("agg", FUNC, TEXT, LINE)   count/sum/min/max/any/all over
                                                                   members, as the trace writes it
                                       ("cmp", OP, TEXT, LINE)     a comparison (ge gt le lt eq ne)
                                       ("arith", OP)               + − × (LEFT, RIGHT)
                                       (a walker reading `node[1]` reads them as any other node)

`view_of(checked)` builds it (on a cache miss, and for a caller that holds a checked policy:
`as_view`); the cache keeps it beside the checked policy and a warm `run` loads only it. The
module imports nothing of the compiler but at build time, and no attrs.
"""

from __future__ import annotations

from datetime import date

from policyc.compiler.i18n import ngettext
from policyc.runtime.amounts import Rounding, SharedCapPlan
from policyc.runtime.choices import ChoicePlan
from policyc.runtime.plain import Frozen, _set
from policyc.runtime.quantity import Dims, Measure
from policyc.runtime.quantity_format import format_quantity

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, TypeAlias

    from policyc.compiler import nodes as n
    from policyc.compiler.checker import CheckedPolicy

Lean: TypeAlias = "tuple[Any, ...]"
EMPTY: Lean = ("node", ())


class HeaderView(Frozen):
    """The header fields a run prints; `issuers` every issuer's name, the lead issuer first."""

    _fields = ("number", "title", "provisional", "valid_from", "issued", "issuers")
    __slots__ = _fields
    number: str
    title: str
    provisional: bool
    valid_from: date | None
    issued: date | None
    issuers: tuple[str, ...]

    def __init__(
        self,
        number: str,
        title: str,
        provisional: bool,
        valid_from: date | None,
        issued: date | None = None,
        issuers: tuple[str, ...] = (),
    ):
        _set(self, "number", number)
        _set(self, "title", title)
        _set(self, "provisional", provisional)
        _set(self, "valid_from", valid_from)
        _set(self, "issued", issued)
        _set(self, "issuers", issuers)


class NameView(Frozen):
    """A name as written (the checked policy's `Name`, without its place)."""

    _fields = ("text",)
    __slots__ = _fields
    text: str

    def __init__(self, text: str):
        _set(self, "text", text)


class OptionView(Frozen):
    """An option of a reading: its name and the policy's description of it."""

    _fields = ("name", "text")
    __slots__ = _fields
    name: str
    text: str

    def __init__(self, name: str, text: str):
        _set(self, "name", name)
        _set(self, "text", text)


class ReadingView(Frozen):
    """A reading: its options, the option the policy takes, whether a run may choose another."""

    _fields = ("options", "take", "documentary")
    __slots__ = _fields
    options: tuple[OptionView, ...]
    take: NameView
    documentary: bool

    def __init__(self, options: tuple[OptionView, ...], take: NameView, documentary: bool):
        _set(self, "options", options)
        _set(self, "take", take)
        _set(self, "documentary", documentary)


class TypeView(Frozen):
    """An input's type (the checker's `Type`): quantity, bool, date, enum, keyed, series."""

    _fields = ("kind", "dims", "enum")
    __slots__ = _fields
    kind: str
    dims: Dims
    enum: str

    def __init__(self, kind: str, dims: Dims = (), enum: str = ""):
        _set(self, "kind", kind)
        _set(self, "dims", dims)
        _set(self, "enum", enum)


class DeclView(Frozen):
    """What a case reads of an input's declaration; `default` is the default's value already
    (a Quantity, a bool, a date, an enum member, or None)."""

    _fields = ("presence", "default", "description", "type")
    __slots__ = _fields
    presence: str  # required | optional | default
    default: Any
    description: str
    type: TypeView  # the declared type's kind only (`named` for `input X: %`)

    def __init__(self, presence: str, default: Any, description: str, type: TypeView):
        _set(self, "presence", presence)
        _set(self, "default", default)
        _set(self, "description", description)
        _set(self, "type", type)


class InputView(Frozen):
    """An input: its declaration, type and declared measure (the checker's `InputInfo`)."""

    _fields = ("decl", "type", "measure")
    __slots__ = _fields
    decl: DeclView
    type: TypeView
    measure: Measure | None

    def __init__(self, decl: DeclView, type: TypeView, measure: Measure | None):
        _set(self, "decl", decl)
        _set(self, "type", type)
        _set(self, "measure", measure)


class PeopleView(Frozen):
    """Households and periods (`compiler/group_checks.People`), as the run reads them."""

    _fields = (
        "group", "roles", "member_inputs", "periods", "flows", "defaults", "rule_periods",
        "counted",
    )  # fmt: skip
    __slots__ = _fields
    group: str
    roles: tuple[tuple[str, int, int | None], ...]
    member_inputs: frozenset[str]
    periods: tuple[tuple[str, str], ...]
    flows: frozenset[str]
    defaults: tuple[tuple[str, Any], ...]
    rule_periods: tuple[tuple[str, str], ...]
    counted: str  # the measure the group's members are counted in (`counted 台`)

    def __init__(
        self, group: str, roles: tuple[tuple[str, int, int | None], ...],
        member_inputs: frozenset[str], periods: tuple[tuple[str, str], ...],
        flows: frozenset[str], defaults: tuple[tuple[str, Any], ...],
        rule_periods: tuple[tuple[str, str], ...], counted: str = "人",
    ):  # fmt: skip
        _set(self, "group", group)
        _set(self, "roles", roles)
        _set(self, "member_inputs", member_inputs)
        _set(self, "periods", periods)
        _set(self, "flows", flows)
        _set(self, "defaults", defaults)
        _set(self, "rule_periods", rule_periods)
        _set(self, "counted", counted)

    @property
    def by_period(self) -> bool:
        """As `People.by_period`: a group, an input per period, or a rule paid per period."""
        return bool(self.group or self.periods or self.rule_periods)

    @property
    def period_of(self) -> dict[str, str]:
        return dict(self.periods)

    def role_names(self) -> tuple[str, ...]:
        return tuple(r for r, _, _ in self.roles)


class RuleView(Frozen):
    """A rule's layers as lean expressions: its conditions, amount and cap (None: none, or an
    amount the document leaves unspecified), the input its validity follows, and what its
    applicant's deadline reads (`apply 申请日期 by …`: the input and the day; () without one)."""

    _fields = ("name", "whens", "amount", "cap", "valid_by", "applying")
    __slots__ = _fields
    name: str
    whens: tuple[Lean, ...]
    amount: Lean | None
    cap: Lean | None
    valid_by: str | None
    applying: tuple[Lean, ...]

    def __init__(
        self, name: str, whens: tuple[Lean, ...], amount: Lean | None, cap: Lean | None,
        valid_by: str | None, applying: tuple[Lean, ...] = (),
    ):  # fmt: skip
        _set(self, "name", name)
        _set(self, "whens", whens)
        _set(self, "amount", amount)
        _set(self, "cap", cap)
        _set(self, "valid_by", valid_by)
        _set(self, "applying", applying)


class RunView:
    """The plain-data view of a checked policy that `policyc run` reads (see the module)."""

    __slots__ = (
        "__weakref__", "choices", "defines", "enums", "header", "inputs", "later", "parts",
        "people", "places", "readings", "result_names", "roundings", "rules", "shared_caps",
        "valid_until", "validity_options", "validity_reading",
    )  # fmt: skip

    def __init__(
        self,
        header: HeaderView,
        valid_until: date | None,
        validity_reading: str,
        validity_options: dict[str, tuple[date, date | None]],
        readings: dict[str, ReadingView],
        inputs: dict[str, InputView],
        enums: dict[str, tuple[str, ...]],
        people: PeopleView,
        parts: dict[str, tuple[str, ...]],
        roundings: dict[str, Rounding],
        shared_caps: tuple[SharedCapPlan, ...],
        rules: dict[str, RuleView],
        defines: dict[str, Lean],
        result_names: tuple[str, ...],
        places: dict[str, str],
        choices: tuple[ChoicePlan, ...] = (),
    ):
        self.header = header
        self.valid_until = valid_until
        self.validity_reading = validity_reading
        self.validity_options = validity_options
        self.readings = readings
        self.inputs = inputs
        self.enums = enums
        self.people = people
        self.parts = parts
        self.roundings = roundings
        self.shared_caps = shared_caps
        self.choices = choices  # `choose highest of …`: runtime/choices.py
        self.rules = rules  # by name, in document order
        self.defines = defines  # a define's (or decide's) expression, lean
        self.result_names = result_names  # rules, targets and decided values, in order
        # A rule's owner's heading, as compiler/part_places.py makes it, by `KIND NUMBER` (the
        # RuleInfo's owner_kind and owner_number): `clause 二` -> `（二）外籍专家生活补助`.
        self.places = places
        # What cli/needs.py works out once per view (the inputs of a rule's later layers).
        self.later: dict[Any, tuple[str, ...]] = {}

    _fields = (
        "header", "valid_until", "validity_reading", "validity_options", "readings", "inputs",
        "enums", "people", "parts", "roundings", "shared_caps", "rules", "defines",
        "result_names", "places", "choices",
    )  # the constructor's order  # fmt: skip

    def __reduce__(self) -> tuple[Any, ...]:
        return (RunView, tuple(getattr(self, f) for f in self._fields))

    def validity_under(self, readings: dict[str, str] | Any) -> tuple[date | None, date | None]:
        """As `CheckedPolicy.validity_under` (`validity_under`)."""
        return validity_under(self, readings)

    @property
    def switchable_readings(self) -> frozenset[str]:
        """Readings a run may choose: every one not marked `documentary`."""
        return switchable(self.readings)

    def part_conflicts(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        """As `CheckedPolicy.part_conflicts` (`parts_over_whole`)."""
        return parts_over_whole(self.parts, values)


# ---- from a checked policy -------------------------------------------------------------------

# By the checked policy's id (it is not hashable), dropped when the policy is.
_VIEWS: dict[int, RunView] = {}


def as_view(policy: CheckedPolicy | RunView) -> RunView:
    """`policy` itself when it is a view, else the view of the checked policy (built once)."""
    if isinstance(policy, RunView):
        return policy
    view = _VIEWS.get(id(policy))
    if view is None:
        import weakref

        view = _VIEWS[id(policy)] = view_of(policy)
        weakref.finalize(policy, _VIEWS.pop, id(policy), None)
    return view


def view_of(checked: CheckedPolicy) -> RunView:
    """The run's view of `checked` (imports the compiler's nodes: called where they are)."""
    from policyc.runtime.quantity import declared_measures

    with declared_measures(checked.measures):  # the policy's own measures (`measure 方 = …`)
        return _view_of(checked)


def _view_of(checked: CheckedPolicy) -> RunView:
    from policyc.compiler import nodes as n
    from policyc.compiler.part_places import part_heading

    header = checked.header
    parts: list[n.Section | n.Clause] = [*checked.file.sections, *checked.file.all_clauses()]
    people = checked.people
    return RunView(
        HeaderView(
            header.number,
            header.title,
            header.provisional,
            header.valid_from,
            header.issued,
            tuple(name.text for name in header.issuers),
        ),
        checked.valid_until,
        checked.validity_reading,
        dict(checked.validity_options),
        {
            name: ReadingView(
                tuple(OptionView(o.name, o.text) for o in decl.options),
                NameView(decl.take.text),
                decl.documentary,
            )
            for name, decl in checked.readings.items()
        },
        {
            name: InputView(
                DeclView(
                    info.decl.presence,
                    _default(info.decl.default),
                    info.decl.description,
                    TypeView(info.decl.type.kind),
                ),
                TypeView(info.type.kind, info.type.dims, info.type.enum),
                info.measure,
            )
            for name, info in checked.inputs.items()
        },
        dict(checked.enums),
        PeopleView(
            people.group,
            people.roles,
            people.member_inputs,
            people.periods,
            people.flows,
            people.defaults,
            people.rule_periods,
            people.counted,
        ),
        dict(checked.parts),
        dict(checked.roundings),
        tuple(checked.shared_caps),
        {
            rule.name.text: RuleView(
                rule.name.text,
                tuple(lean(e) for e in rule.whens),
                lean(rule.amount) if isinstance(rule.amount, n.Expr) else None,
                lean(rule.cap.amount) if rule.cap is not None else None,
                rule.valid_by.text if rule.valid_by is not None else None,
                _applying_reads(rule.apply_by),
            )
            for _, rule in checked.file.all_rules()
        },
        {name: lean(define.expr) for name, define in checked.defines.items()},
        (
            *(rule.name.text for _, rule in checked.file.all_rules()),
            *(target.name.text for _, target in checked.file.all_targets()),
            *(name for name, define in checked.defines.items() if define.decided),
        ),
        {
            f"{p.kind} {p.ident}"
            if isinstance(p, n.Clause)
            else f"section {p.number}": part_heading(p, alone=True)
            for p in parts
        },
        tuple(checked.choices),
    )


def _default(default: n.Expr | str | None) -> Any:
    """A declared default's value: a literal's, a constant quantity's, an enum member."""
    from policyc.compiler import nodes as n
    from policyc.compiler.checked import constant

    if isinstance(default, n.BoolLit | n.DateLit):
        return default.value
    if isinstance(default, n.Expr):
        return constant(default)
    return default


def _applying_reads(applying: n.ApplyBy | None) -> tuple[Lean, ...]:
    """What an applicant's deadline reads, lean: the application date and the day's expression."""
    if applying is None:
        return ()
    applied: Lean = ("ref", applying.applied.text)
    return (applied,) if applying.day is None else (applied, lean(applying.day))


def lean(expr: n.Expr) -> Lean:
    """The lean form of an expression (see the module)."""
    return _lean(expr)[0]


def _lean(expr: n.Expr) -> tuple[Lean, bool]:
    """(lean form, whether it reads a name)."""
    from policyc.compiler import nodes as n

    if isinstance(expr, n.Ref):
        return ("ref", expr.name), True
    if isinstance(expr, n.Index):  # 救助比例[类别], 安居补贴标准[学历, 档]: the table and its keys
        # (a key that names a member is neither an input nor a define: reading it finds nothing)
        return ("node", (("ref", expr.name), *(("ref", key) for key in expr.keys))), True
    if isinstance(expr, n.ReadingIs):
        return ("reading", expr.reading, expr.option), False
    if (
        isinstance(expr, n.Call)
        and expr.func == "given"
        and len(expr.args) == 1
        and isinstance(expr.args[0], n.Ref)
    ):  # `given(X)`: either X or another input settles an `if given(X) … else …`
        return ("given", expr.args[0].name), True
    parts = [_lean(child) for child in expr.child_nodes()]
    reads = any(r for _, r in parts)
    mark = _mark(expr)
    if mark is not None and reads:
        return ("node", tuple(p for p, _ in parts), mark), reads
    if isinstance(expr, n.If):
        return ("if", *(p for p, _ in parts)), reads
    if isinstance(expr, n.Not):
        return ("not", parts[0][0]), reads
    if isinstance(expr, n.And | n.Or):
        return ("and" if isinstance(expr, n.And) else "or", parts[0][0], parts[1][0]), reads
    kept = tuple(p for p, r in parts if r)
    return (("node", kept) if kept else EMPTY), reads


def _mark(expr: n.Expr) -> tuple[Any, ...] | None:
    """What why-not reads of `expr` beyond the names (see the module), or None."""
    from policyc.compiler import nodes as n
    from policyc.compiler.group_checks import as_aggregate
    from policyc.compiler.render import render

    aggregate = as_aggregate(expr)
    if aggregate is not None and not (
        isinstance(expr, n.Call) and expr.func in ("min", "max") and len(expr.args) != 1
    ):
        return ("agg", aggregate.func, render(aggregate), expr.span.line)
    if isinstance(expr, n.Compare):
        return ("cmp", expr.op, render(expr), expr.span.line)
    if isinstance(expr, n.Arith):
        return ("arith", expr.op)
    return None


def validity_under(policy: Any, readings: Mapping[str, str]) -> tuple[date | None, date | None]:
    """(first day, last day or None) of `policy`'s validity (a CheckedPolicy or its RunView: the
    fields `validity_reading`, `readings`, `validity_options`, `header.valid_from` and
    `valid_until`) under the readings taken (a mapping of reading to option; readings it leaves
    out take their declared option). A policy that writes no first day is in force from its
    issue date (`issued`), as the site's index says: the first day is then that date (None only
    when it writes neither; `from_issue` tells the two apart)."""
    if policy.validity_reading:
        taken = policy.readings[policy.validity_reading].take.text
        option = readings.get(policy.validity_reading, taken)
        if option in policy.validity_options:
            found: tuple[date | None, date | None] = policy.validity_options[option]
            return found
    return policy.header.valid_from or policy.header.issued, policy.valid_until


def from_issue(policy: Any) -> bool:
    """Whether `validity_under`'s first day is the issue date (the policy writes no `valid
    from`, nor a validity reading): the text header says 自发布之日 for it."""
    header = policy.header
    return not policy.validity_reading and header.valid_from is None and header.issued is not None


def period_text(policy: Any, readings: Mapping[str, str]) -> str:
    """The validity under `readings` as `run`'s header and the site both write it:
    `2023-01-06 至 2026-01-05（暂定）`, `2023-01-18 至 未规定`; `自发布之日 2027-01-15 起，
    终止日未规定` for a policy that writes no first day; `未规定` for one that writes neither a
    validity nor an issue date."""
    valid_from, valid_until = validity_under(policy, readings)
    if not valid_from and not valid_until:
        return "未规定"
    until = valid_until.isoformat() if valid_until else "未规定"
    if valid_from and from_issue(policy):
        period = f"自发布之日 {valid_from.isoformat()} 起，终止日" + (
            f" {until}" if valid_until else "未规定"
        )
    else:
        period = f"{valid_from.isoformat() if valid_from else '…'} 至 {until}"
    return period + ("（暂定）" if policy.header.provisional else "")


def switchable(readings: Mapping[str, Any]) -> frozenset[str]:
    """The readings a run may choose: every one not marked `documentary`."""
    return frozenset(name for name, r in readings.items() if not r.documentary)


def parts_over_whole(
    parts: Mapping[str, Sequence[str]], values: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """What a case's inputs say that cannot be: parts of a whole (`parts`: whole → its parts)
    that add up to more than the whole. One (field of the last part given, message naming every
    field) per whole; `values` are validated inputs (quantities)."""
    problems: list[tuple[str, str]] = []
    for whole, members in parts.items():
        total = values.get(whole)
        given = [p for p in members if values.get(p) is not None]
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
