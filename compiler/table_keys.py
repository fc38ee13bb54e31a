"""A table by two (or more) enums:
`table 安居补贴标准 by 学历, 工作年限档 { 本科, 不满3年: 1.2 万元, … }`.

"本科学历工作不满3年的每人每年1.2万元，满3年的每人每年1.8万元；硕士研究生……" is one amount per
combination of two things the case gives. The table names its enums after `by`; each row names
one member of each, in that order, and its value. `check` wants every combination exactly once
(a missing one is named: “no row for 博士, 满3年”), the rows of one measure. The table is read at
one member of each enum, `安居补贴标准[学历, 档]`: each key is a member, or an input or decided
value of that enum, read at the member the case gives (compiler/lookup.py); it is never read
whole (a one-key table may be added to a tally member by member; a two-key one may not).

Everything a two-key table needs beyond a one-key one lives here: its checks, the type of a
reading, what the reading reads, the nested value the generated code holds, the batch query's
CASE, and the rows the site draws as a two-way table.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from policyc.compiler import nodes as n
from policyc.compiler.i18n import _

if TYPE_CHECKING:
    from policyc.compiler.checked import Type


def declare(checker: Any, decl: n.TableDecl) -> bool:
    """Check a table by several enums (`checker` a Declarations); True when its enums are known,
    so that its readings can be checked (its rows' own errors are reported all the same)."""
    names = (decl.by, *decl.more_by)
    bad = [b for b in names if b.text not in checker.enums]
    for b in bad:
        checker.error(b.span, _("`{decl_by}` is not an enum").format(decl_by=b.text))
    if len({b.text for b in names}) != len(names):
        checker.error(
            decl.span,
            _("table `{name}` names an enum twice after `by`").format(
                name=decl.name.text,
            ),
        )
        return False
    if bad:
        return False
    members = [checker.enums[b.text] for b in names]
    seen: dict[tuple[str, ...], n.QuantityLit] = {}
    dims = None
    for keys, value in decl.cells():
        if len(keys) != len(names):
            checker.error(
                value.span,
                _("this row of `{name}` does not name one member of each of {enums}").format(
                    name=decl.name.text,
                    enums=", ".join(decl.enums),
                ),
                _("one member of each: {enums}").format(enums=", ".join(decl.enums)),
            )
            continue
        for key, enum, allowed in zip(keys, decl.enums, members, strict=True):
            if key not in allowed:
                checker.error(
                    value.span,
                    _("`{label}` is not a member of `{decl_by}`").format(label=key, decl_by=enum),
                    " / ".join(allowed),
                )
        if keys in seen:
            checker.error(
                value.span,
                _("table `{name}` has two rows for {keys}").format(
                    name=decl.name.text,
                    keys=", ".join(keys),
                ),
            )
        seen[keys] = value
        t = checker.type_of(value)
        if dims is not None and t.dims != dims:
            checker.error(value.span, _("the rows of a table must share one measure"))
        dims = t.dims
    missing = [", ".join(c) for c in itertools.product(*members) if c not in seen]
    if missing:
        shown = "; ".join(missing[:6]) + (
            _(" … ({count} in all)").format(count=len(missing)) if len(missing) > 6 else ""
        )
        checker.error(
            decl.span,
            _("table `{decl_name}` has no row for {join_missing}").format(
                decl_name=decl.name.text,
                join_missing=shown,
            ),
        )
    return True


def type_index(checker: Any, expr: n.Index) -> Type:
    """The type of `T[k1, k2]` (`checker` an ExprTypes): the table's measure, each key a member
    of its enum or an input or decided value of that enum."""
    from policyc.compiler.checked import UNKNOWN, Type

    table = checker.tables.get(expr.name)
    if table is None:
        if expr.name in checker.inputs or expr.name in checker.define_types:
            message = _("`{expr_name}` is read at one key: it is by one enum")
            checker.error(expr.span, message.format(expr_name=expr.name))
        else:
            checker.type_of(n.Ref(expr.name, expr.span))  # unknown name, with its did-you-mean
        return UNKNOWN
    enums = table.enums
    if len(expr.keys) != len(enums):
        checker.error(
            expr.span,
            _("`{name}` is by {enums}: read it at one member of each, `{name}[{keys}]`").format(
                name=expr.name,
                enums=", ".join(enums),
                keys=", ".join(enums),
            ),
        )
        return UNKNOWN
    for key, enum in zip(expr.keys, enums, strict=True):
        members = checker.enums.get(enum, ())
        if key in members:
            continue
        expected = _("a member ({members}) or an input of `{keyed_enum}`").format(
            members=" / ".join(members),
            keyed_enum=enum,
        )
        if key in checker.inputs or key in checker.defines:
            got = checker.type_of(n.Ref(key, expr.span))
            if got is not UNKNOWN and (got.kind != "enum" or got.enum != enum):
                checker.error(
                    expr.span,
                    _(
                        "`{expr_name}` is by `{keyed_enum}`; `{expr_key}` is {key_describe}, "
                        "not a member of `{keyed_enum}`"
                    ).format(
                        expr_name=expr.name,
                        keyed_enum=enum,
                        expr_key=key,
                        key_describe=got.describe(),
                    ),
                    expected,
                )
        else:
            checker.error(
                expr.span,
                _("`{expr_key}` is not a member of `{keyed_enum}`").format(
                    expr_key=key,
                    keyed_enum=enum,
                ),
                expected,
            )
    return Type("quantity", checker.type_of(table.rows[0][1]).dims)


def bare_table(checker: Any, expr: n.Ref) -> Type:
    """A table by several enums named without its keys: an error."""
    from policyc.compiler.checked import UNKNOWN

    table = checker.tables[expr.name]
    checker.error(
        expr.span,
        _("`{name}` is by {enums}: read it at one member of each, `{name}[{keys}]`").format(
            name=expr.name,
            enums=", ".join(table.enums),
            keys=", ".join(table.enums),
        ),
    )
    return UNKNOWN


def key_reads(policy: Any, e: n.Index) -> tuple[tuple[str, bool], ...]:
    """Each key of `e` and whether it reads a value the case gives (an input or a decided value)
    rather than naming a member: `安居补贴标准[学历, 本科]` → ((学历, True), (本科, False))."""
    table = policy.tables.get(e.name)
    enums = table.enums if table is not None else ()
    out = []
    for at, key in enumerate(e.keys):
        enum = enums[at] if at < len(enums) else ""
        member = key in policy.enums.get(enum, ())
        out.append((key, not member and (key in policy.inputs or key in policy.defines)))
    return tuple(out)


def nested(table: n.TableDecl, value: Any) -> dict[str, Any]:
    """The table as nested dicts, one level per enum: {本科: {不满3年: value(1.2 万元), …}, …};
    `value` turns a row's literal into what the caller holds (Python source, SQL)."""
    out: dict[str, Any] = {}
    for keys, literal in table.cells():
        level = out
        for key in keys[:-1]:
            level = level.setdefault(key, {})
        level[keys[-1]] = value(literal)
    return out


def two_way(table: n.TableDecl) -> tuple[tuple[str, ...], list[tuple[str, list[n.QuantityLit]]]]:
    """A table by two enums as the site draws it: the second enum's members across, one row per
    member of the first (every combination is present: `check` wants them all)."""
    columns: list[str] = []
    rows: dict[str, dict[str, n.QuantityLit]] = {}
    for (first, second, *_rest), value in table.cells():
        if second not in columns:
            columns.append(second)
        rows.setdefault(first, {})[second] = value
    return tuple(columns), [(k, [cells[c] for c in columns]) for k, cells in rows.items()]


# ---- a one-key table that leaves members out -------------------------------------------------
# "七级至十级伤残…" has no 伤残津贴: a table of 伤残津贴比例 gives 一级 to 六级 only. Rows the
# document does not give are not written (a 0% would be an invented figure, shown to citizens);
# `check` then proves that no reading can reach a missing member — each reading at an input or
# decided value is guarded by its rule's `when … in {…}` / `when … is …` (or an `if` around
# it) — and refuses, naming the members, a reading that can.


def check_partial_tables(checker: Any) -> None:
    """Every reading of a table in `checker.partial_tables` (name → members without a row):
    an error at a reading that can reach a missing member, naming those members."""
    if not checker.partial_tables:
        return
    for _owner, rule in checker.file.all_rules():
        guard = _restrictions(rule.whens)
        where = _("rule `{name}`").format(name=rule.name.text)
        bounds = (rule.cap.amount if rule.cap else None, *(x.amount for x in rule.limits))
        for expr in (*rule.whens, rule.amount, *bounds):
            if isinstance(expr, n.Expr):
                _visit(checker, expr, guard, where)
    for define in checker.file.all_defines():
        _visit(checker, define.expr, {}, f"`{define.name.text}`")


Guard = dict[str, frozenset[str]]  # input or decided value → the members it can hold here


def _restrictions(conditions: Any) -> Guard:
    """What conditions that all hold say of enum values: `伤残等级 in {一级, 二级}` → {一级,
    二级}, `劳动关系 is 未解除或终止` → {未解除或终止}; an `and` adds its sides' (others: none)."""
    guard: Guard = {}

    def narrow(name: str, members: frozenset[str]) -> None:
        guard[name] = guard[name] & members if name in guard else members

    pending = list(conditions)
    while pending:
        cond = pending.pop()
        if isinstance(cond, n.And):
            pending.extend((cond.left, cond.right))
        elif isinstance(cond, n.In) and isinstance(cond.subject, n.Ref):
            narrow(cond.subject.name, frozenset(cond.members))
        elif isinstance(cond, n.Is) and isinstance(cond.subject, n.Ref):
            narrow(cond.subject.name, frozenset((cond.member,)))
    return guard


def _visit(checker: Any, expr: n.Expr, guard: Guard, where: str) -> None:
    if isinstance(expr, n.If):  # `if 等级 in {…} then 表[等级] else …`: the branch is guarded
        _visit(checker, expr.cond, guard, where)
        inner = _restrictions((expr.cond,))
        narrowed = {k: guard[k] & v if k in guard else v for k, v in inner.items()}
        _visit(checker, expr.then, {**guard, **narrowed}, where)
        _visit(checker, expr.otherwise, guard, where)
        return
    if isinstance(expr, n.Index) and not expr.more_keys:
        _check_reading(checker, expr, guard, where)
    for child in expr.child_nodes():
        _visit(checker, child, guard, where)


def _check_reading(checker: Any, expr: n.Index, guard: Guard, where: str) -> None:
    missing = checker.partial_tables.get(expr.name)
    if not missing:
        return
    table = checker.tables[expr.name]
    if expr.key in checker.enums.get(table.by.text, ()):  # `表[七级]`: that member alone
        reached: frozenset[str] = frozenset((expr.key,))
    else:  # read at the member an input or decided value holds: what the conditions leave it
        reached = guard.get(expr.key, frozenset(missing))
    unguarded = [m for m in missing if m in reached]
    if not unguarded:
        return
    checker.error(
        expr.span,
        _(
            "table `{table}` has no row for {members}, which {where} can read here: give "
            "those rows, or restrict the reading to the members that have one"
        ).format(table=expr.name, members=", ".join(unguarded), where=where),
        _("a condition such as `when {key} in {{{rows}}}`").format(
            key=expr.key, rows=", ".join(label for label, _value in table.rows)
        ),
    )
