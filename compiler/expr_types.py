"""Expression types: the type of every expression, through a table that dispatches by node type.

`ExprTypes.type_of(expr)` returns a `Type` (`UNKNOWN` after an error, reported once where it
arises, so that one mistake is not reported again by every expression above it); `expect`
reports a type other than the one wanted. Measures must agree where quantities are added,
compared or tiered; ordered enums may be compared; series are compared element by element
(noted in `special` for codegen). Durations, shared caps, progressive scales, dated values and
households are typed in `amount_checks`, `scale_checks` and `group_checks`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from policyc.compiler import amount_checks, calendar_checks, group_checks, scale_checks, table_keys
from policyc.compiler import nodes as n
from policyc.compiler.bounds import BOUND_BY_WORD
from policyc.compiler.check_base import CheckerBase
from policyc.compiler.checked import BOOL, DATE, UNKNOWN, Type, constant, mul_dims
from policyc.compiler.errors import Span, did_you_mean
from policyc.compiler.i18n import _
from policyc.compiler.render import render
from policyc.runtime.amounts import ROUNDING_MODES
from policyc.runtime.quantity import (
    Dims,
    Measure,
    MeasureError,
    Quantity,
    dims_text,
    parse_measure,
)

BUILTINS = {"min", "max", "total", "on_date", "valid_until", "longest_run", "first", "highest"}
# min/max take two or more values (VARIADIC: the least count); an aggregate over members when one.
VARIADIC = {"min": 2, "max": 2}
ARITY = {
    "total": 1,
    "on_date": 0,
    "valid_until": 0,
    "longest_run": 1,
    "first": 1,
    "highest": 1,
}
DAY_DIMS: Dims = parse_measure("日").dims
BUILTINS.update(amount_checks.DURATION_FUNCS)  # typed in amount_checks.type_duration
BUILTINS.update(calendar_checks.CALENDAR_FUNCS)  # typed in calendar_checks
BUILTINS.add("round")  # typed in ExprTypes._round_step
ROUND_SHAPE = "round(停放时长, 1 小时, up)"


class ExprTypes(CheckerBase):
    def measure(self, text: str, span: Span) -> Measure | None:
        try:
            return parse_measure(text)
        except MeasureError as exc:
            self.error(
                span, str(exc), _("a measure such as 元, 万元, 人, 单, 月, 元/人, or an enum")
            )
            return None

    def _call_or_duration(self, expr: n.Call) -> Type:
        if expr.func in amount_checks.DURATION_FUNCS:
            return amount_checks.type_duration(self, expr)
        if expr.func in calendar_checks.CALENDAR_FUNCS:
            return calendar_checks.type_calendar_call(self, expr)
        if group_checks.is_aggregate_call(expr) and expr.func not in ("min", "max", "total"):
            return group_checks.type_aggregate(self, expr)
        if expr.func in ("min", "max") and len(expr.args) == 1:
            if not self.people.group:  # no members to range over: one value is too few
                return self._pick(expr, [self.type_of(expr.args[0])])
            return group_checks.type_aggregate(self, expr)
        if expr.func in group_checks.PEOPLE_FUNCS:
            return group_checks.type_people_call(self, expr)
        if expr.func == "round":
            return self._round_step(expr)
        return self._call(expr)

    def _round_step(self, expr: n.Call) -> Type:
        """`round(X, STEP, MODE)`: X rounded to a whole number of STEP (language.md "Rounding a
        quantity to a step"). STEP is a positive literal of X's dimension, MODE a rounding
        mode; the result has X's type. Each fault is an error at the argument at fault."""
        args = expr.args
        if len(args) != 3:
            self.error(
                expr.span,
                _("`round` takes a quantity, a step of its measure and a rounding mode"),
                ROUND_SHAPE,
            )
            return UNKNOWN
        value = self.type_of(args[0])
        step, mode = args[1], args[2]
        if not isinstance(mode, n.Ref) or mode.name not in ROUNDING_MODES:
            self.error(args[2].span, _("unknown rounding mode"), " / ".join(ROUNDING_MODES))
            return UNKNOWN
        literal = isinstance(step, (n.QuantityLit, n.PercentLit))  # `1 小时`, `0.1%`
        size = constant(step) if literal else None
        if size is None or size.value <= 0:
            if not literal:
                self.type_of(step)
            self.error(
                step.span,
                _("the step of `round` is a positive number and a measure"),
                _("a step such as `1 小时`, `1 月` or `0.5 立方米`"),
            )
            return UNKNOWN
        if value == UNKNOWN:
            return UNKNOWN
        if value.kind != "quantity":
            self.error(
                args[0].span,
                _("`round` rounds a quantity, not {what}").format(what=value.describe()),
                ROUND_SHAPE,
            )
            return UNKNOWN
        if size.dims != value.dims:
            measure = dims_text(value.dims) or _("plain units")
            self.error(
                step.span,
                _("the step `{step}` is not a measure of the value rounded ({measure})").format(
                    step=f"{step.number} {step.measure}".strip()
                    if isinstance(step, n.QuantityLit)
                    else render(step),
                    measure=measure,
                ),
                _("a step in {measure}, such as `1 {measure}`").format(measure=measure),
            )
            return UNKNOWN
        return value

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
            self.error(
                expr.span,
                _("expected {words} here, not {got_describe}").format(
                    words=words,
                    got_describe=got.describe(),
                ),
                want.describe(),
            )
        return got

    def type_of(self, expr: n.Expr) -> Type:
        typer = _TYPERS.get(type(expr))
        if typer is None:
            self.error(
                expr.span,
                _("{type_expr____name} cannot stand here").format(
                    type_expr____name=type(expr).__name__,
                ),
            )
            return UNKNOWN
        return typer(self, expr)

    def _quantity(self, expr: n.QuantityLit) -> Type:
        measure = self.measure(expr.measure, expr.span)
        return Type("quantity", measure.dims) if measure else UNKNOWN

    def _percent(self, expr: n.PercentLit) -> Type:
        return Type("quantity", (), percent=True)

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
            if table.more_by:  # by two enums: read at one member of each (table_keys)
                return table_keys.bare_table(self, expr)
            return self.table_types.get(expr.name, UNKNOWN)
        owners = [e for e, members in self.enums.items() if expr.name in members]
        if len(owners) == 1:
            return Type("enum", enum=owners[0])
        if len(owners) > 1:
            self.error(
                expr.span,
                _(
                    "`{expr_name}` is a member of both {and_join_owners}, so written alone it does "
                    "not say which: a shared member is read only beside a value of its enum "
                    "(`{example} is {expr_name}`); as a value of its own, name it apart in each "
                    "enum ({apart})"
                ).format(
                    expr_name=expr.name,
                    and_join_owners=_(" and ").join(owners),
                    example=_shared_member_example(self, owners),
                    apart="、".join(f"`{expr.name}{owner}`" for owner in owners),
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
            self.error(
                expr.span,
                _("unknown function `{expr_func}`").format(
                    expr_func=expr.func,
                ),
                ", ".join(sorted(BUILTINS)),
            )
            return UNKNOWN
        if expr.func in VARIADIC:
            return self._pick(expr, args)
        arity = ARITY[expr.func]
        if len(args) != arity:
            self.error(
                expr.span,
                _("`{expr_func}` takes {arity} argument(s), not {len_args}").format(
                    expr_func=expr.func,
                    arity=arity,
                    len_args=len(args),
                ),
            )
            return UNKNOWN
        if expr.func in ("on_date", "valid_until"):
            if expr.func == "valid_until" and self.valid_until is None:
                self.error(
                    expr.span, _("`valid_until()` needs a `valid from … for …` in the header")
                )
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
                    expr.args[0].span,
                    _("`total` adds up a tally or a table"),
                    _("a value by an enum"),
                )
                return UNKNOWN
            return Type("quantity", args[0].dims)
        return UNKNOWN  # every builtin with a fixed arity is typed above

    def _pick(self, expr: n.Call, args: list[Type]) -> Type:
        """`min(a, b, …)` / `max(a, b, …)`: two or more values of one measure (or of one ordered
        enum); the result has their type. Fewer than two is an error with the shape to write."""
        least = VARIADIC[expr.func]
        if len(args) < least:
            self.error(
                expr.span,
                _("`{func}` takes two or more values of one measure, not {count}").format(
                    func=expr.func, count=len(args)
                ),
                _("`{func}(最高贷款额度, 余额额度, 房价额度)`").format(func=expr.func),
            )
            return UNKNOWN
        what = _("`{expr_func}` of").format(expr_func=expr.func)
        result = args[0]
        for arg in args[1:]:
            result = self.same(expr, result, arg, what)
            if result is UNKNOWN:
                return UNKNOWN
        if result.kind == "enum":
            if result.enum not in self.ordered:
                self.error(
                    expr.span,
                    _(
                        "`{expr_func}` needs an ordered enum; declare "
                        "`enum {result_enum} ordered {{ … }}`"
                    ).format(
                        expr_func=expr.func,
                        result_enum=result.enum,
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
                _(
                    "{what} {left_describe} and {right_describe}: they do not have the same measure"
                ).format(
                    what=what,
                    left_describe=left.describe(),
                    right_describe=right.describe(),
                ),
            )
            return UNKNOWN
        return left

    def _index(self, expr: n.Index) -> Type:
        table = self.tables.get(expr.name)
        if expr.more_keys or (table is not None and table.more_by):
            return table_keys.type_index(self, expr)  # `安居补贴标准[学历, 档]`
        keyed = self._ref(n.Ref(expr.name, expr.span))
        if keyed.kind != "keyed":
            if keyed is UNKNOWN and expr.key in self.inputs:
                self.used_inputs.add(expr.key)  # read, by a table reported where it is declared
            if keyed is not UNKNOWN:
                self.error(
                    expr.span,
                    _("`{expr_name}` is not a table or a tally").format(
                        expr_name=expr.name,
                    ),
                )
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
                        expr_name=expr.name,
                        keyed_enum=keyed.enum,
                        expr_key=expr.key,
                        key_describe=key.describe(),
                    ),
                    _("a member ({members}) or an input of `{keyed_enum}`").format(
                        members=" / ".join(members),
                        keyed_enum=keyed.enum,
                    ),
                )
        elif expr.key not in members:
            self.error(
                expr.span,
                _("`{expr_key}` is not a member of `{keyed_enum}`").format(
                    expr_key=expr.key,
                    keyed_enum=keyed.enum,
                ),
                _("a member ({members}) or an input of `{keyed_enum}`").format(
                    members=" / ".join(members),
                    keyed_enum=keyed.enum,
                ),
            )
        return Type("quantity", keyed.dims)

    def _reading_is(self, expr: n.ReadingIs) -> Type:
        decl = self.tested_reading(expr.reading, expr.span)
        if decl is not None:
            self.is_option(decl, expr.option, expr.span)
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
                        left_describe=left.describe(),
                        right_describe=right.describe(),
                    )
                    if expr.op == "+"
                    else _("subtract {right_describe} from {left_describe}").format(
                        right_describe=right.describe(),
                        left_describe=left.describe(),
                    )
                )
                self.error(
                    expr.span,
                    _("cannot {what}: dates are compared, not added or subtracted").format(
                        what=what,
                    ),
                    _(
                        "two dates compared (`开设日期 <= on_date()`), the time between them "
                        "counted (`months_between(开设日期, on_date()) 满 6 月`, `years_between`), "
                        "or years counted with `schedule from DATE`"
                    ),
                )
                return UNKNOWN
            if not {left.kind, right.kind} <= {"quantity", "keyed"}:
                self.error(
                    expr.span,
                    _("cannot add or subtract {left_describe} and {right_describe}").format(
                        left_describe=left.describe(),
                        right_describe=right.describe(),
                    ),
                    _("two quantities of one measure"),
                )
                return UNKNOWN
            return _as_percent(
                self.same(expr, left, right, _("cannot add or subtract")), left, right
            )
        if (
            "bool" in (left.kind, right.kind)
            or "date" in (left.kind, right.kind)
            or "enum"
            in (
                left.kind,
                right.kind,
            )
        ):
            self.error(
                expr.span,
                _("cannot multiply {left_describe} by {right_describe}").format(
                    left_describe=left.describe(),
                    right_describe=right.describe(),
                ),
            )
            return UNKNOWN
        if left.kind == right.kind == "keyed" and left.enum != right.enum:
            self.error(
                expr.span,
                _("cannot multiply a value by {left_enum} with one by {right_enum}").format(
                    left_enum=left.enum,
                    right_enum=right.enum,
                ),
            )
            return UNKNOWN
        enum = left.enum or right.enum
        kind = "keyed" if "keyed" in (left.kind, right.kind) else "quantity"
        return _as_percent(Type(kind, mul_dims(left.dims, right.dims), enum), left, right)

    def _of(self, expr: n.Of) -> Type:
        ratio, base = self.type_of(expr.ratio), self.type_of(expr.base)
        if ratio is not UNKNOWN and ratio != Type("quantity", ()):
            self.error(
                expr.ratio.span,
                _("`of` needs a percentage on its left, not {ratio_describe}").format(
                    ratio_describe=ratio.describe(),
                ),
            )
        if base is not UNKNOWN and base.kind not in ("quantity", "keyed"):
            self.error(
                expr.base.span,
                _("`of` applies to a quantity, not {base_describe}").format(
                    base_describe=base.describe(),
                ),
            )
            return UNKNOWN
        return base

    def _compare(self, expr: n.Compare) -> Type:
        left, right = self.type_of(expr.left), self.type_of(expr.right)
        bound = BOUND_BY_WORD.get(expr.word)
        if bound is not None and bound.dates_only and UNKNOWN not in (left, right):
            if left.kind != "date" or right.kind != "date":
                # 不迟于 / 之前 say "later" / "before": of a quantity they would read as a slip
                self.error(
                    expr.span,
                    _("`{word}` bounds a date, not {left_describe} and {right_describe}").format(
                        word=expr.word,
                        left_describe=left.describe(),
                        right_describe=right.describe(),
                    ),
                    _("two dates (`申请日期 不迟于 2026-03-31`); of a quantity, 不超过 or 低于"),
                )
            return BOOL
        if left.kind == "series" and right == Type("quantity", left.dims):
            self.special[expr] = "series"
            return Type("boolseries")
        if left.kind == "enum" and left == right:
            if expr.op not in ("eq", "ne") and left.enum not in self.ordered:
                self.error(
                    expr.span,
                    _(
                        "`{left_enum}` is not ordered, so `{expr_word}` has no "
                        "meaning; declare `enum {left_enum} ordered {{ … }}`"
                    ).format(
                        left_enum=left.enum,
                        expr_word=expr.word,
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
            self.error(
                expr.span,
                _("`is`/`in` test a member of an enum, not {subject_describe}").format(
                    subject_describe=subject.describe(),
                ),
            )
            return BOOL
        for member in members:
            if member not in self.enums[subject.enum]:
                self.error(
                    expr.span,
                    _("`{member}` is not a member of `{subject_enum}`").format(
                        member=member,
                        subject_enum=subject.enum,
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
        then, otherwise = self.type_of(expr.then), self.type_of(expr.otherwise)
        return _as_percent(
            self.same(expr, then, otherwise, _("the two branches are")), then, otherwise
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
            self.error(
                expr.span,
                _("`{expr_mode}` compares with an earlier best: add `since …`").format(
                    expr_mode=expr.mode,
                ),
            )
        if expr.prior is not None:
            if expr.mode in ("highest", "each"):
                self.error(
                    expr.prior.span,
                    _("`since` belongs to highest_new or each_new, not {expr_mode}").format(
                        expr_mode=expr.mode
                    ),
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
    n.QuantityLit: ExprTypes._quantity,
    n.PercentLit: ExprTypes._percent,
    n.BoolLit: lambda self, e: BOOL,
    n.DateLit: lambda self, e: DATE,
    n.MonthDayLit: calendar_checks.month_day_alone,
    n.Ref: ExprTypes._ref,
    n.Call: ExprTypes._call_or_duration,
    n.Index: ExprTypes._index,
    n.ReadingIs: ExprTypes._reading_is,
    n.AnyOf: ExprTypes._labelled_list,
    n.AllOf: ExprTypes._labelled_list,
    n.Arith: ExprTypes._arith_not_dates,
    n.Of: ExprTypes._of,
    n.Compare: ExprTypes._compare,
    n.Is: ExprTypes._is,
    n.In: ExprTypes._is,
    n.And: ExprTypes._logic,
    n.Or: ExprTypes._logic,
    n.Not: ExprTypes._not,
    n.If: ExprTypes._if,
    n.Tiers: ExprTypes._tiers,
    n.Schedule: ExprTypes._schedule,
    n.Progressive: scale_checks.type_progressive,
    n.Dated: scale_checks.type_dated,
    n.Aggregate: group_checks.type_aggregate,
}


def _as_percent(result: Type, a: Type, b: Type) -> Type:
    """`result`, a percentage when it is a plain number and `a` or `b` is one (6 × 10% is 60%,
    `if … then 1 else 6` a plain number)."""
    if result.kind == "quantity" and not result.dims and (a.percent or b.percent):
        return attrs.evolve(result, percent=True)
    return result


def _shared_member_example(types: Any, enums: list[str]) -> str:
    """An input or `define` whose value is of one of `enums`, to show `X is MEMBER`; else `…`."""
    for name, info in types.inputs.items():
        if info.type.kind == "enum" and info.type.enum in enums:
            return str(name)
    for name, kind in types.define_types.items():
        if kind.kind == "enum" and kind.enum in enums:
            return str(name)
    return "…"
