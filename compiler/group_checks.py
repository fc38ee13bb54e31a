"""Checks of households and periods (issue 12): the group and its roles, inputs per member and
per period, expressions over members, the period functions, `divide` and `amount_of`.

Each function takes the checker (compiler.checker._Checker) and reports through it, as
compiler/amount_checks.py does; what later stages need is collected in a `People` plan that the
CheckedPolicy carries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from policyc.compiler import amount_checks, each_limits
from policyc.compiler import nodes as n
from policyc.compiler.i18n import _
from policyc.runtime.amounts import ROUNDING_MODES, ROUNDING_UNITS
from policyc.runtime.quantity import (
    TIME_BASES,
    Dims,
    MeasureError,
    dims_text,
    parse_measure,
    stored_per,
)

if TYPE_CHECKING:
    from policyc.compiler.checker import Type

# The words after `per` on an input: per member of the group, per month, per year.
MEMBER_WORDS = ("member", "成员")
PERIOD_WORDS = {"月": "month", "month": "month", "年": "year", "year": "year"}
ALL_MEMBERS = ("members", "成员")
AGGREGATES = ("count", "sum", "min", "max", "any", "all")
PERIOD_FUNCS = ("last_month", "last_year", "january", "year_total")
PEOPLE_FUNCS = (*PERIOD_FUNCS, "divide", "amount_of", "given")
PERSON_DIMS = parse_measure("人").dims


@attrs.frozen
class People:
    """What the runtime and the case reader need to know of households and periods."""

    group: str = ""  # the group's name ("" when the policy declares none)
    roles: tuple[tuple[str, int, int | None], ...] = ()  # (role, least, most or None)
    member_inputs: frozenset[str] = frozenset()
    periods: tuple[tuple[str, str], ...] = ()  # (input, "month" | "year")
    flows: frozenset[str] = frozenset()
    each: tuple[tuple[str, str], ...] = ()  # (rule, role) of rules paid per member
    rule_dims: tuple[tuple[str, Dims], ...] = ()  # a rule's amount dims, for `amount_of`
    sum_dims: tuple[tuple[n.Expr, Dims], ...] = ()  # a `sum` over members: its zero's dims
    member_defines: frozenset[str] = frozenset()  # defines and decides valued per member
    # The declared default of each input per member or per period (its value where not given).
    defaults: tuple[tuple[str, Any], ...] = ()
    rule_periods: tuple[tuple[str, str], ...] = ()  # (rule, "month" | "year") of `amount … per`
    counted: str = "人"  # the measure its members are counted in (`group … counted 台`)
    limits: tuple[tuple[str, n.EachLimit], ...] = ()  # (rule, its `each … at_most …`)

    @property
    def by_period(self) -> bool:
        """Whether a case is evaluated for a period with the people and values per period of
        runtime/people.py: a group, an input per period, or a rule paid per period."""
        return bool(self.group or self.periods or self.rule_periods)

    @property
    def period_of(self) -> dict[str, str]:
        return dict(self.periods)

    def role_names(self) -> tuple[str, ...]:
        return tuple(r for r, _, _ in self.roles)


def declare_people(checker: Any) -> People:
    """The group, its roles, and each input's `per` words; every problem reported."""
    group, roles, counted = "", [], "人"
    for extra in checker.file.groups[1:]:
        checker.error(
            extra.name.span, _("a policy declares at most one `group`: a case is one group")
        )
    if checker.file.groups:
        decl = checker.file.groups[0]
        group = decl.name.text
        counted = each_limits.counted_measure(checker, decl)
        seen: set[str] = set()
        for role in decl.roles:
            if role.name.text in seen or role.name.text in ALL_MEMBERS:
                checker.error(
                    role.name.span,
                    _("role `{role_name_text}` is declared twice").format(
                        role_name_text=role.name.text
                    ),
                )
            if role.most is not None and role.most < 1:
                checker.error(role.span, _("`at_most N` needs N of 1 or more"))
            seen.add(role.name.text)
            roles.append((role.name.text, role.least, role.most))
    members: set[str] = set()
    periods: list[tuple[str, str]] = []
    flows: set[str] = set()
    for decl in checker.file.inputs:
        name = decl.name.text
        period = ""
        for word in decl.per:
            if word.text in MEMBER_WORDS:
                if name in members:
                    checker.error(
                        word.span, _("input `{name}` says `per member` twice").format(name=name)
                    )
                if not group:
                    checker.error(
                        decl.span,
                        _("input `{name}` is per member, but the policy declares no group").format(
                            name=name
                        ),
                        "`group 家庭 { role 申请人 one … }`",
                    )
                members.add(name)
            elif word.text in PERIOD_WORDS:
                if period:
                    checker.error(
                        decl.span, _("input `{name}` names its period twice").format(name=name)
                    )
                period = PERIOD_WORDS[word.text]
            else:
                checker.error(
                    decl.span,
                    _(
                        "`per {word_text}` on input `{name}`: an input is per member or per period"
                    ).format(word_text=word.text, name=name),
                    _("per member, per 月 (month), per 年 (year)"),
                )
        if period:
            periods.append((name, period))
            if decl.type.kind in ("series",) or decl.part_of is not None:
                checker.error(
                    decl.span,
                    _("input `{name}`: a daily series or a part is not per period").format(
                        name=name
                    ),
                )
        if decl.flow:
            if not period:
                checker.error(
                    decl.span,
                    _("input `{name}` is a `flow` but has no period").format(name=name),
                    _("`per 月 flow` or `per 年 flow`"),
                )
            elif _addable(checker, decl):
                flows.add(name)
    for decl in checker.file.inputs:  # a part is counted inside its whole: both one member's
        whole = decl.part_of
        if whole is not None and (decl.name.text in members) != (whole.text in members):
            checker.error(
                whole.span,
                _(
                    "input `{name}` is part of `{whole}`, but only one of them is per member: "
                    "a member's value cannot be counted inside the household's"
                ).format(name=decl.name.text, whole=whole.text),
                _("`per member` on both, or on neither"),
            )
    return People(
        group, tuple(roles), frozenset(members), tuple(periods), frozenset(flows), counted=counted
    )


def _addable(checker: Any, decl: n.InputDecl) -> bool:
    """Whether a `flow` input's type is a quantity that adds up over months (money, counts, a
    tally); a date, a condition or an enum member is an error at the type's place."""
    info = checker.inputs.get(decl.name.text)
    kind = info.type.kind if info is not None else decl.type.kind
    if kind in ("quantity", "keyed", "unknown"):
        return True
    checker.error(
        decl.type.span if decl.type.span.line else decl.span,
        _(
            "input `{name}` is a `flow`, but {type} does not add up over months: a flow is a "
            "quantity such as money or a count"
        ).format(name=decl.name.text, type=info.type.describe() if info else decl.type.kind),
        _("no `flow`: `{name}` is then a stock, read for each period as given").format(
            name=decl.name.text
        ),
    )
    return False


def _member_input_outside(checker: Any, expr: n.Ref) -> None:
    checker.error(
        expr.span,
        _(
            "`{expr_name}` is a value per member: read it inside count/sum/min/max/any/all over "
            "the members, or in a rule paid `each` member"
        ).format(expr_name=expr.name),
        _("e.g. sum({expr_name} over {role})").format(expr_name=expr.name, role=_a_role(checker)),
    )


def _a_role(checker: Any) -> str:
    """A role of the policy's own group for a hint (`ROLE` when it declares none)."""
    roles = checker.people.role_names()
    return roles[0] if roles else "ROLE"


def check_ref(checker: Any, expr: n.Ref) -> None:
    """A per-member input (or a value decided per member) read where no member is in view is
    an error."""
    if not checker.member_scope and (
        expr.name in checker.people.member_inputs or expr.name in checker.member_defines
    ):
        _member_input_outside(checker, expr)


def reads_a_member(checker: Any, expr: n.Expr) -> bool:
    """Whether `expr` reads a member's input or a value per member outside any expression over
    members (count, sum…): then it has a value per member."""
    if as_aggregate(expr) is not None:
        return False
    if isinstance(expr, n.Ref):
        return expr.name in checker.people.member_inputs or expr.name in checker.member_defines
    if isinstance(expr, n.Index):  # 排序表[失能等级]: keys are names, not child expressions
        member = (checker.people.member_inputs, checker.member_defines)
        return any(key in names for key in expr.keys for names in member)
    return any(reads_a_member(checker, child) for child in expr.child_nodes())


def _role(checker: Any, name: str, span: Any) -> bool:
    if name in ALL_MEMBERS or name in checker.people.role_names():
        return True
    roles = ", ".join(checker.people.role_names()) or "none: declare a `group`"
    checker.error(
        span,
        _("`{name}` is not a role of the group").format(name=name),
        _("a role ({roles}) or members").format(roles=roles),
    )
    return False


def type_aggregate(checker: Any, expr: n.Aggregate | n.Call) -> Type:
    """count/sum/min/max/any/all over the group's members (see the module's docstring)."""
    from policyc.compiler.checker import BOOL, UNKNOWN, Type

    agg = as_aggregate(expr)
    assert agg is not None
    if not checker.people.group:
        checker.error(
            expr.span,
            _("`{agg_func}` over members needs a `group` declaration").format(agg_func=agg.func),
        )
        return UNKNOWN
    if agg.role and not _role(checker, agg.role, expr.span):
        return UNKNOWN
    checker.member_scope += 1
    try:
        if agg.where is not None:
            checker.expect(agg.where, BOOL, "a condition on each member")
        if agg.func in ("count", "any", "all"):
            subject = agg.subject
            if not isinstance(subject, n.Ref) or agg.role:
                checker.error(
                    subject.span,
                    _("`{agg_func}` takes a role (or members), then `where` a condition").format(
                        agg_func=agg.func
                    ),
                    _("{agg_func}({role} where …)").format(
                        agg_func=agg.func, role=_a_role(checker)
                    ),
                )
                return UNKNOWN
            if not _role(checker, subject.name, subject.span):
                return UNKNOWN
            if agg.func == "count":
                return Type("quantity", parse_measure(checker.people.counted).dims)
            return BOOL
        got = checker.type_of(agg.subject)
    finally:
        checker.member_scope -= 1
    if agg.func == "sum" and got.kind == "quantity":
        checker.sum_dims[agg] = got.dims
    if got is not UNKNOWN and got.kind != "quantity":
        checker.error(
            agg.subject.span,
            _("`{agg_func}` adds or compares quantities, not {got_describe}").format(
                agg_func=agg.func, got_describe=got.describe()
            ),
            _("a quantity per member, e.g. 月收入"),
        )
        return UNKNOWN
    result: Type = got
    return result


def as_aggregate(expr: n.Expr) -> n.Aggregate | None:
    """`expr` as an aggregate over members: an `Aggregate`, or a call `count(子女)`, `sum(月收入)`,
    `any(子女)`… with one argument (`min`/`max` with one argument); else None."""
    if isinstance(expr, n.Aggregate):
        return expr
    if isinstance(expr, n.Call) and expr.func in AGGREGATES and len(expr.args) == 1:
        return n.Aggregate(expr.func, expr.args[0], "", None, expr.span)
    return None


def is_aggregate_call(expr: n.Call) -> bool:
    return expr.func in AGGREGATES and len(expr.args) == 1


def type_people_call(checker: Any, expr: n.Call) -> Type:
    """The period functions, `divide` and `amount_of`."""
    from policyc.compiler.checker import UNKNOWN

    func, args = expr.func, expr.args
    if func in PERIOD_FUNCS:
        if len(args) != 1 or not isinstance(args[0], n.Ref):
            checker.error(
                expr.span,
                _("`{func}` takes one input per period").format(func=func),
                f"{func}(工资)",
            )
            return UNKNOWN
        name = args[0].name
        period = checker.people.period_of.get(name)
        if period is None:
            checker.error(
                args[0].span,
                _("`{func}` reads an input per period; `{name}` is not one").format(
                    func=func, name=name
                ),
                _("an input declared `per 月` or `per 年`"),
            )
            return UNKNOWN
        if func in ("january", "year_total", "last_month") and period != "month":
            checker.error(
                args[0].span,
                _("`{func}` reads a monthly input; `{name}` is per year").format(
                    func=func, name=name
                ),
            )
            return UNKNOWN
        if func == "year_total" and name not in checker.people.flows:
            checker.error(
                args[0].span,
                _(
                    "`{name}` is not a flow: a stock (an area, a status) is not summed over months"
                ).format(name=name),
                _("declare `input {name}: … per 月 flow` if its months add up").format(name=name),
            )
            return UNKNOWN
        return checker.type_of(args[0])  # type: ignore[no-any-return]
    if func == "divide":
        return _type_divide(checker, expr)
    if func == "given":
        return _type_given(checker, expr)
    return _type_amount_of(checker, expr)


def _type_given(checker: Any, expr: n.Call) -> Type:
    """`given(X)`: whether the case gives input X (for the evaluated period; a member's, for the
    member in view). Never unknown: `if given(年龄) then 年龄 else years_between(…)`."""
    from policyc.compiler.checker import BOOL, UNKNOWN

    args = expr.args
    if len(args) != 1 or not isinstance(args[0], n.Ref) or args[0].name not in checker.inputs:
        checker.error(expr.span, _("`given` takes the name of an input"), "given(年龄)")
        return UNKNOWN
    checker.type_of(args[0])  # a member's input only where a member is in view
    return BOOL


def _type_divide(checker: Any, expr: n.Call) -> Type:
    from policyc.compiler.checker import UNKNOWN, Type

    args = expr.args
    shape = _("divide(A, B, 分, half_up): A ÷ B rounded to 分/角/元 in a declared mode")
    if len(args) != 4:
        checker.error(expr.span, _("`divide` must declare how its result is rounded"), shape)
        return UNKNOWN
    a, b = checker.type_of(args[0]), checker.type_of(args[1])
    unit, mode = args[2], args[3]
    if not isinstance(unit, n.Ref) or unit.name not in ROUNDING_UNITS:
        if isinstance(unit, n.Ref) and _is_measure(unit.name):  # 不足1小时按1小时计
            shape = _(
                "`round(X, 1 {unit}, up)` to round a quantity to a whole number of {unit}"
            ).format(unit=unit.name)
        checker.error(args[2].span, _("the third argument of `divide` is 分, 角 or 元"), shape)
        return UNKNOWN
    if not isinstance(mode, n.Ref) or mode.name not in ROUNDING_MODES:
        checker.error(args[3].span, _("unknown rounding mode"), " / ".join(ROUNDING_MODES))
        return UNKNOWN
    if UNKNOWN in (a, b):
        return UNKNOWN
    if a.kind != "quantity" or b.kind != "quantity":
        checker.error(expr.span, _("`divide` divides quantities"), shape)
        return UNKNOWN
    if any(base in ("月", "年", "日", "时") for base, _ in b.dims):
        checker.error(
            args[1].span, _("`divide` by a duration is not supported"), _("a count or an amount")
        )
        return UNKNOWN
    dims = dict(a.dims)
    for base, exp in b.dims:
        dims[base] = dims.get(base, 0) - exp
    result = tuple(sorted((k, v) for k, v in dims.items() if v))
    if not amount_checks.is_money(result):
        checker.error(args[2].span, amount_checks.money_rounding_message(unit.name, result))
        return UNKNOWN
    per_time = next((base for base, exp in result if base in TIME_BASES and exp < 0), None)
    if per_time is not None:  # 元/月 is kept per 年 inside: 分 would round the year's figure
        checker.error(
            args[2].span,
            _(
                "`{unit}` rounds an amount of money, but this value is {value}, a rate per "
                "{time}: policyc keeps it per {whole}, so `{unit}` would round the {whole}'s "
                "figure, not the {time}'s"
            ).format(
                unit=unit.name, value=dims_text(result), time=per_time, whole=stored_per(per_time)
            ),
            _(
                "the money of one {time}, `divide(A × 1 {time}, B, {unit}, {mode})`, or the rate "
                "rounded to a step of its own, `round(A, 0.01 {value}, {mode})`"
            ).format(time=per_time, unit=unit.name, mode=mode.name, value=dims_text(result)),
        )
        return UNKNOWN
    return Type("quantity", result)


def _is_measure(name: str) -> bool:
    try:
        parse_measure(name)
    except MeasureError:
        return False
    return True


def _type_amount_of(checker: Any, expr: n.Call) -> Type:
    from policyc.compiler.checker import UNKNOWN

    args = expr.args
    if len(args) != 1 or not isinstance(args[0], n.Ref):
        checker.error(expr.span, _("`amount_of` takes the name of a rule"), "amount_of(基本补贴)")
        return UNKNOWN
    name = args[0].name
    rule = checker.rules_by_name.get(name)
    if rule is None or not isinstance(rule.amount, n.Expr):
        checker.error(
            args[0].span,
            _("`{name}` is not a rule with an amount").format(name=name),
            _("a rule's name"),
        )
        return UNKNOWN
    checker.amount_refs.setdefault(checker.current_rule, set()).add(name)
    if name in checker.rule_types:
        return checker.rule_types[name]  # type: ignore[no-any-return]
    if name in checker.typing_rules:
        return UNKNOWN  # a cycle, reported by check_cycles
    kept = len(checker.diagnostics)  # the rule's own check reports its errors, once
    outer = checker.current_rule
    checker.typing_rules.add(name)
    checker.current_rule = name
    try:
        got = checker.type_of(rule.amount)
    finally:
        checker.current_rule = outer
        checker.typing_rules.discard(name)
    del checker.diagnostics[kept:]
    return got if got.kind == "quantity" else UNKNOWN


def check_period(checker: Any, rule: n.Rule) -> None:
    """`amount … per 月` / `per 年`: a monthly amount may not be taken from a yearly input that
    is not declared a `flow` (divisible over its months), nor be a one-time (`once`) award. A
    rule without `per` that reads a monthly input for the evaluated period is warned of
    (`periodless-rule`, see `warn_periodless`)."""
    if rule.period is None:
        warn_periodless(checker, rule)
        return
    if rule.once is not None:
        checker.error(
            rule.period.span,
            _(
                "rule `{rule}` is paid `once`, and `per {period}` pays it every period: "
                "keep one of them"
            ).format(rule=rule.name.text, period=rule.period.text),
        )
    amount = rule.amount if isinstance(rule.amount, n.Expr) else None
    check_per(checker, rule.period, amount, decision=False)


def check_per(checker: Any, word: n.Name, expr: n.Expr | None, decision: bool) -> None:
    """The `per` of a rule's amount (`amount … per 月`) or of a decision (`decide … per 月`,
    `decision=True`), the one check both take: the word is a period (月 or 年; an error at the
    word otherwise), and a month's amount or value is not taken from a yearly input that is
    not declared a `flow` (an error at each such input read by `expr`). Reports through the
    checker; returns nothing."""
    period = PERIOD_WORDS.get(word.text)
    if period is None:
        checker.error(
            word.span,
            _("`per {rule_period_text}` is not a period").format(rule_period_text=word.text),
            _("per 月 or per 年"),
        )
        return
    if period != "month" or expr is None:
        return
    for ref in _plain_refs(expr):
        name = ref.name
        if checker.people.period_of.get(name) != "year" or name in checker.people.flows:
            continue
        if decision:
            message = _(
                "a monthly value cannot be taken from `{name}`, a yearly input not "
                "declared divisible over its months"
            ).format(name=name)
        else:
            message = _(
                "a monthly amount cannot be taken from `{name}`, a yearly input not declared "
                "divisible over its months"
            ).format(name=name)
        checker.error(
            ref.span,
            message,
            _("declare `input {name}: … per 年 flow` if the document spreads it by month").format(
                name=name
            ),
        )


def warn_periodless(checker: Any, rule: n.Rule) -> None:
    """A rule with an amount but no `per` that reads an input per month for the evaluated period
    (itself, or through a define or decide; not through last_month/january/year_total …) is
    evaluated once for the case's period: in a year's case it compares the year's total with
    what is likely a monthly standard, and pays its amount once. Warned at the rule, naming the
    input, its period and the fix; silenced by `# policyc: ignore[periodless-rule] reason`."""
    if not isinstance(rule.amount, n.Expr):
        return
    exprs: list[n.Expr] = [*rule.whens, rule.amount]
    if rule.cap is not None:
        exprs.append(rule.cap.amount)
    found = _monthly_read(checker, exprs, set())
    if found is None:
        return
    name, via = found
    through = _(" (through `{via}`)").format(via=via) if via else ""
    checker.warn(
        rule.name.span,
        _(
            "rule `{rule}` reads `{name}`{through}, an input per 月, but declares no period: in "
            "a year's case it reads the year's total and pays its amount once; write "
            "`amount … per 月` if the document pays or compares month by month"
        ).format(rule=rule.name.text, name=name, through=through),
        "periodless-rule",
    )


def _monthly_read(checker: Any, exprs: list[n.Expr], seen: set[str]) -> tuple[str, str] | None:
    """(the first monthly input read for the evaluated period, the define it is read through
    or ""), or None."""
    period_of = checker.people.period_of
    for expr in exprs:
        for ref in _plain_refs(expr):
            if period_of.get(ref.name) == "month":
                return ref.name, ""
            define = checker.defines.get(ref.name)
            if define is not None and ref.name not in seen:
                seen.add(ref.name)
                inner = _monthly_read(checker, [define.expr], seen)
                if inner is not None:
                    return inner[0], inner[1] or ref.name
    return None


def monthly_read(checker: Any, exprs: list[n.Expr], seen: set[str]) -> tuple[str, str] | None:
    """`_monthly_read` for the decide check (declarations.check_decide_period)."""
    return _monthly_read(checker, exprs, seen)


def plain_refs(expr: n.Expr) -> list[n.Ref]:
    """`_plain_refs` for the decide check (declarations.check_decide_period)."""
    return _plain_refs(expr)


def _plain_refs(expr: n.Expr) -> list[n.Ref]:
    """The references an expression reads for the evaluated period (not inside last_month …)."""
    if isinstance(expr, n.Call) and expr.func in (*PERIOD_FUNCS, "given", "amount_of"):
        return []
    if isinstance(expr, n.Ref):
        return [expr]
    return [ref for child in expr.child_nodes() for ref in _plain_refs(child)]


def check_each(checker: Any, rule: n.Rule) -> None:
    if rule.each is None:
        return
    if not checker.people.group:  # `each members` too: without a group there are none
        checker.error(rule.each.span, _("`each` needs a `group` declaration"))
        return
    if _role(checker, rule.each.text, rule.each.span):
        each_limits.check_limit(checker, rule)


def check_cycles(checker: Any) -> None:
    """`amount_of` may not loop back to the rule that reads it, directly or through others."""
    graph: dict[str, set[str]] = checker.amount_refs
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, ())):
            if state.get(target) == 1:
                loop = " → ".join([*path[path.index(target) :], target])
                if any(step in checker.rules_by_name for step in path):
                    owner = checker.rules_by_name.get(name) or checker.defines[name]
                    message = f"rules read each other's amounts in a cycle: {loop}"
                    checker.error(owner.name.span, message)
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def default_value(decl: n.InputDecl) -> Any:
    """An input's declared default as a case value (a label is an enum member's text)."""
    from policyc.compiler.checker import constant

    default = decl.default
    if isinstance(default, n.BoolLit | n.DateLit):
        return default.value
    if isinstance(default, n.Expr):
        return constant(default)
    return default


def people_of(checker: Any) -> People:
    each = tuple(
        (rule.name.text, rule.each.text)
        for _, rule in checker.file.all_rules()
        if rule.each is not None
    )
    dims = tuple((name, t.dims) for name, t in checker.rule_types.items() if t.kind == "quantity")
    people: People = checker.people
    defaults = tuple(
        (decl.name.text, default_value(decl))
        for decl in checker.file.inputs
        if decl.presence == "default"
        and (decl.name.text in people.member_inputs or decl.name.text in people.period_of)
    )
    periods = tuple(
        (rule.name.text, PERIOD_WORDS[rule.period.text])
        for _, rule in checker.file.all_rules()
        if rule.period is not None and rule.period.text in PERIOD_WORDS
    )
    people = attrs.evolve(people, defaults=defaults, rule_periods=periods)
    sums = tuple(checker.sum_dims.items())
    members = frozenset(checker.member_defines)
    limits = tuple(
        (rule.name.text, rule.each_limit)
        for _, rule in checker.file.all_rules()
        if rule.each_limit is not None
    )
    return attrs.evolve(
        people, each=each, rule_dims=dims, sum_dims=sums, member_defines=members, limits=limits
    )
