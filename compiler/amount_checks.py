"""Checks of the issue-12 constructs: counting conventions, durations between dates, rounding,
and caps shared by several rules.

Each function takes the checker (compiler.checker._Checker) and reports through it, so that every
problem is collected with the others; what later stages need is left on the checker
(`conventions`, `roundings`, `shared_caps`) and copied into the CheckedPolicy.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from policyc.compiler import nodes as n
from policyc.compiler.i18n import _
from policyc.runtime.amounts import (
    CANONICAL_MODES,
    ROUNDING_MODES,
    ROUNDING_UNITS,
    Rounding,
    SharedCapPlan,
)
from policyc.runtime.dates import MISSING_DAY_CONVENTIONS
from policyc.runtime.quantity import (
    CURRENCIES,
    Dims,
    MeasureError,
    Quantity,
    dims_text,
    parse_measure,
)

if TYPE_CHECKING:
    from policyc.compiler.checker import Type

# Declared conventions: name -> (its options, the one taken when the policy is silent).
CONVENTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "missing_day": (MISSING_DAY_CONVENTIONS, "month_end"),
}
DURATION_FUNCS = {"months_between": "月", "years_between": "年"}
SHARE_ORDERS = ("as_listed", "proportional")  # first listed first served; 按比例核减


def check_conventions(checker: Any) -> dict[str, str]:
    """The conventions in force: each declared one, else its default."""
    chosen = {name: default for name, (_, default) in CONVENTIONS.items()}
    seen: set[str] = set()
    for decl in checker.file.conventions:
        name, option = decl.name.text, decl.option.text
        if name not in CONVENTIONS:
            checker.error(
                decl.name.span,
                _("unknown convention `{name}`").format(
                    name=name,
                ),
                " / ".join(CONVENTIONS),
            )
            continue
        if name in seen:
            checker.error(
                decl.name.span,
                _("convention `{name}` is declared twice").format(
                    name=name,
                ),
            )
        seen.add(name)
        options = CONVENTIONS[name][0]
        if option not in options:
            checker.error(
                decl.option.span,
                _("`{option}` is not an option of convention `{name}`").format(
                    option=option,
                    name=name,
                ),
                " / ".join(options),
            )
            continue
        chosen[name] = option
    return chosen


def type_duration(checker: Any, expr: n.Call) -> Type:
    """`months_between(start, end)` / `years_between(start, end)`: completed months or years
    (满N个月, 年满N周岁), a quantity in 月 or 年; both arguments are dates."""
    from policyc.compiler.checker import DATE, UNKNOWN, Type

    if len(expr.args) != 2:
        checker.error(
            expr.span,
            _("`{expr_func}` takes 2 argument(s), not {len_expr_args}").format(
                expr_func=expr.func,
                len_expr_args=len(expr.args),
            ),
            _("{expr_func}(start date, end date), e.g. {expr_func}(入职日期, on_date())").format(
                expr_func=expr.func,
            ),
        )
        return UNKNOWN
    for arg in expr.args:
        checker.expect(arg, DATE, _("a date"))
    return Type("quantity", parse_measure(DURATION_FUNCS[expr.func]).dims)


def date_arith_error(checker: Any, expr: n.Arith) -> None:
    """Dates are not added or subtracted: the time between two dates is months_between /
    years_between, which count as the law does (民法典 arts. 201–202)."""
    checker.error(
        expr.span,
        _("cannot {value} two dates").format(value="add" if expr.op == "+" else "subtract"),
        _("months_between(start, end) or years_between(start, end) for the time between dates"),
    )


def rounding_of(checker: Any, decl: n.Rounding, declared_by: str) -> Rounding | None:
    unit, mode = decl.unit.text, decl.mode.text
    ok = True
    if unit not in ROUNDING_UNITS:
        checker.error(
            decl.unit.span,
            _("cannot round to `{unit}`").format(
                unit=unit,
            ),
            " / ".join(ROUNDING_UNITS),
        )
        ok = False
    if mode not in ROUNDING_MODES:
        modes = " / ".join(ROUNDING_MODES)
        checker.error(decl.mode.span, _("unknown rounding mode `{mode}`").format(mode=mode), modes)
        ok = False
    if decl.quote is not None:  # the document states it: its sentence, checked as a clause's
        checker.check_quote(decl.quote)
    if not ok:
        return None
    mode = CANONICAL_MODES[ROUNDING_MODES[mode]]
    if decl.quote is not None:
        return Rounding(unit, mode, "document", decl.quote.text, decl.span.line)
    return Rounding(unit, mode, declared_by, decl.because, decl.span.line)


def check_roundings(checker: Any) -> dict[str, Rounding]:
    """Each rule with an amount and its rounding: its own `round to …`, else the policy's
    `rounding to …`; a rule without either is not rounded (exact, as before)."""
    default: Rounding | None = None
    for i, decl in enumerate(checker.file.roundings):
        if i:
            checker.error(decl.span, _("the policy declares its `rounding` twice"))
        elif (rounding := rounding_of(checker, decl, "policy")) is not None:
            default = rounding
    out: dict[str, Rounding] = {}
    for _owner, rule in checker.file.all_rules():
        own = rule.rounding
        if own is not None and not isinstance(rule.amount, n.Expr):
            checker.error(own.span, _("`round` needs an amount to round"))
            continue
        chosen = rounding_of(checker, own, "rule") if own is not None else default
        if chosen is not None and isinstance(rule.amount, n.Expr):
            out[rule.name.text] = chosen  # a rule's amount is money (rule_checks)
    return out


def is_money(dims: Dims) -> bool:
    """Whether a value of `dims` is an amount of money, perhaps per something (元, 元/人, 美元/月):
    what 分, 角 and 元 round."""
    return any(base in CURRENCIES and exp == 1 for base, exp in dims)


def money_rounding_message(unit: str, dims: Dims) -> str:
    """Why `unit` cannot round a value of `dims`, and the exact way there is."""
    return _(
        "`{unit}` rounds an amount of money, but this value is {value}: 分, 角 and 元 round "
        "money; a quantity of another measure is rounded to a step of its own where the "
        "document says so (`round(停放时长, 1 小时, up)`), else keep a quantity of another "
        "measure exact, for example compare the bill's use times the number of bills with the "
        "yearly figure, and divide the money at the end"
    ).format(unit=unit, value=dims_text(dims) or _("a plain number"))


def check_shared_caps(checker: Any) -> tuple[SharedCapPlan, ...]:
    """Each shared cap: a money limit, members that are rules with amounts (a clause stands for
    its rules), no rule in two shared caps, the order declared, the quotes in the source."""
    rules = {rule.name.text: rule for _, rule in checker.file.all_rules()}
    clauses = {c.ident: c for c in checker.file.all_clauses() if c.kind == "clause"}
    plans: list[SharedCapPlan] = []
    owner_of: dict[str, str] = {}
    names: set[str] = set()
    for cap in checker.file.shared_caps:
        name = cap.name.text
        if name in names:
            checker.error(
                cap.name.span,
                _("shared_cap `{name}` is declared twice").format(
                    name=name,
                ),
            )
        names.add(name)
        for quote in cap.quotes:
            checker.check_quote(quote)
        limit = _limit(checker, cap)
        members = _members(checker, cap, rules, clauses)
        if limit is not None:
            _same_currency(checker, cap, limit[1], [rules[m] for m in members])
            _same_period(checker, cap, [rules[m] for m in members])
        for member in members:
            if member in owner_of:
                checker.error(
                    cap.span,
                    _("rule `{member}` is under two shared caps (`{owner}` and `{name}`)").format(
                        member=member, owner=owner_of[member], name=name
                    ),
                    _("one shared cap per rule"),
                )
            owner_of[member] = name
        if cap.order is None:
            checker.error(
                cap.span,
                _("shared_cap `{name}` does not say in which order the cap is shared out").format(
                    name=name,
                ),
                _('`order as_listed because "…"` (first listed, first served)'),
            )
            continue
        if cap.order.text not in SHARE_ORDERS:
            checker.error(
                cap.order.span,
                _("unknown order `{cap_order}`").format(
                    cap_order=cap.order.text,
                ),
                " / ".join(SHARE_ORDERS),
            )
            continue
        if limit is not None and members:
            from policyc.compiler.render import render

            text = "" if limit[0] is not None or cap.amount is None else render(cap.amount)
            plans.append(
                SharedCapPlan(
                    name, limit[0], tuple(members), cap.order.text, cap.because, cap.span.line,
                    text,
                )
            )  # fmt: skip
    return tuple(plans)


def _limit(checker: Any, cap: n.SharedCap) -> tuple[Quantity | None, Dims] | None:
    """The limit as (its amount, its dimensions): the amount where the document states it
    (`limit 30 万元`), None where the case gives it (`limit 生前工资 per 户 per 月`: an input or
    a define, left on the checker for codegen to compute per case). A money rate (元/月) under
    `per 月` is one period's money, as in a rule's `cap` (compiler/period_amounts.py)."""
    from policyc.compiler import period_amounts
    from policyc.compiler.checker import MONEY_DIMS, UNKNOWN

    if cap.amount is None:
        checker.error(
            cap.span,
            _("shared_cap `{cap_name}` has no limit").format(
                cap_name=cap.name.text,
            ),
            "`limit 30 万元`",
        )
        return None
    kind = checker.type_of(cap.amount)
    if kind == UNKNOWN:
        return None  # its own error is reported already
    period = next((w for w in cap.scopes if w in ("月", "年")), None)
    expr = cap.amount
    if period is not None and period_amounts.money_rate(kind):  # 元/月 per 月: one month's
        kind = period_amounts.per_period_type(kind)
        span = cap.scope_spans[cap.scopes.index(period)] if cap.scope_spans else cap.span
        expr = n.Arith("×", expr, n.QuantityLit("1", period, span), expr.span, implied=True)
    if kind.kind != "quantity" or kind.dims not in MONEY_DIMS:
        checker.error(
            cap.amount.span,
            _("a shared cap is an amount of money, not {kind}").format(kind=kind.describe()),
            _("元 or 美元, or money per 月 with `per 月` (`limit 生前工资 per 户 per 月`)"),
        )
        return None
    if isinstance(cap.amount, n.QuantityLit):
        try:
            return Quantity.of(Decimal(cap.amount.number), parse_measure(cap.amount.measure)), (
                kind.dims
            )
        except MeasureError:
            return None
    checker.shared_limits[cap.name.text] = expr
    return None, kind.dims


def _same_period(checker: Any, cap: n.SharedCap, members: list[n.Rule]) -> None:
    """A limit `per 月` bounds a month's money: a rule paid `per 年` is not added to it."""
    period = next((w for w in cap.scopes if w in ("月", "年")), None)
    if period is None:
        return
    for rule in members:
        if rule.period is not None and rule.period.text != period:
            checker.error(
                rule.period.span,
                _(
                    "rule `{rule_name}` is paid per {rule_period} but shared_cap `{cap_name}` "
                    "is a limit per {period}"
                ).format(
                    rule_name=rule.name.text,
                    rule_period=rule.period.text,
                    cap_name=cap.name.text,
                    period=period,
                ),
                _("rules paid per {period} under it").format(period=period),
            )


def _same_currency(checker: Any, cap: n.SharedCap, dims: Dims, members: list[n.Rule]) -> None:
    from policyc.compiler import period_amounts

    """A limit in 元 shares out amounts in 元: 美元 amounts are never added to it."""
    from policyc.compiler.errors import Severity

    if any(d.severity is Severity.ERROR for d in checker.diagnostics):
        return  # the amounts' own errors are reported already; typing them again repeats them
    for rule in members:
        assert isinstance(rule.amount, n.Expr)
        checker.member_scope += rule.each is not None  # an `each` rule's amount is a member's
        try:
            kind = checker.type_of(rule.amount)
        finally:
            checker.member_scope -= rule.each is not None
        if period_amounts.implied(rule, kind):  # `amount X per 月`, X in 元/月: a month's money
            kind = period_amounts.per_period_type(kind)
        if kind.kind == "quantity" and kind.dims != dims:
            checker.error(
                cap.amount.span if cap.amount else cap.span,
                _(
                    "shared_cap `{cap_name}` is in {value} "
                    "but rule `{rule_name}` pays {kind_describe}"
                ).format(
                    cap_name=cap.name.text,
                    value=dims_text(dims),
                    rule_name=rule.name.text,
                    kind_describe=kind.describe(),
                ),
                _("a limit in the rules' currency"),
            )


def _members(
    checker: Any,
    cap: n.SharedCap,
    rules: dict[str, n.Rule],
    clauses: dict[str, n.Clause],
) -> list[str]:
    from policyc.compiler.errors import did_you_mean

    members: list[str] = []
    for member in cap.members:
        if member.kind == "clause":
            clause = clauses.get(member.name)
            numbered = [c for c in clauses.values() if c.number == member.name]
            if clause is None and len(numbered) > 1:
                # Each section numbers its clauses again (compiler/numbering.py): the number
                # alone names several; the rules' names say which.
                checker.error(
                    member.span,
                    _(
                        "clause {member_name} is numbered in several sections ({sections}): "
                        "name the rules instead (`over RULE, …`)"
                    ).format(
                        member_name=member.name,
                        sections="、".join(c.ident.split(".")[0] for c in numbered),
                    ),
                )
                continue
            clause = clause or (numbered[0] if numbered else None)
            if clause is None:
                checker.error(
                    member.span,
                    _("there is no clause {member_name}").format(
                        member_name=member.name,
                    ),
                )
                continue
            found = [r.name.text for r in clause.rules if isinstance(r.amount, n.Expr)]
            if not found:
                checker.error(
                    member.span,
                    _("clause {member_name} has no rule with an amount").format(
                        member_name=member.name,
                    ),
                )
            members.extend(found)
            continue
        rule = rules.get(member.name)
        if rule is None:
            hint = did_you_mean(member.name, list(rules))
            checker.error(
                member.span,
                _("unknown rule `{member_name}`{hint}").format(
                    member_name=member.name,
                    hint=hint,
                ),
            )
        elif not isinstance(rule.amount, n.Expr):
            checker.error(
                member.span,
                _("rule `{member_name}` has no amount to cap").format(
                    member_name=member.name,
                ),
            )
        else:
            members.append(member.name)
    duplicates = {m for m in members if members.count(m) > 1}
    for name in sorted(duplicates):
        checker.error(
            cap.span,
            _("rule `{name}` is listed twice in shared_cap `{cap_name}`").format(
                name=name,
                cap_name=cap.name.text,
            ),
        )
    return list(dict.fromkeys(members))
