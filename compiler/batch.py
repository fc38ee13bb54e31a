"""Generate the batch path: one SQL query that evaluates every case of a file at once.

Why SQL run by DuckDB. The per-case path is exact (Decimal quantities) and three-valued (a
missing input is unknown). SQL gives both, column-wise: DuckDB's DECIMAL arithmetic is exact
(fixed point in 64- or 128-bit integers; an overflow is an error, never a rounding), and SQL NULL
is the per-case path's unknown — a missing input is NULL, `false AND NULL` is false, `true OR NULL`
is true, `NULL > 3` is NULL. DuckDB also reads CSV and Parquet itself, runs on every core and spills
to disk when the cases do not fit in memory. numpy over integer fen would be as exact for money
but needs a scale per measure, its own three-valued masks and its own file readers.

The query is generated from the same checked AST as the per-case Python (codegen.py), with the
same shape: one emitter per node type in a dispatch table, a jinja2 template for the query around
them (templates/batch.sql.j2). Each emitter returns the SQL of the value (NULL when unknown) and,
where evaluating the node can raise `NotApplicable` in the per-case path (a schedule past its
last year), a boolean SQL flag saying so; the flags follow the per-case evaluation order, so that
a rule is `not_applicable` or `undetermined` exactly when the per-case path says it is.

A rule using a construct this module cannot express (a daily series) is listed with the reason in
`BatchRule.fallback`; the caller evaluates that rule case by case with the per-case path.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import jinja2

from policyc.compiler import nodes as n
from policyc.compiler.batch_households import MEMBER, ROLE, aggregate_sql, divide_sql
from policyc.compiler.batch_sql import (
    Sql,
    Unsupported,
    Value,
    any_true,
    comment_text,
    date_sql,
    decimal_sql,
    ident,
    is_constant,
    literal,
    multiply,
    plain_decimal_text,
    rounded,
    sum_width,
    union,
)
from policyc.compiler.checker import CheckedPolicy, mul_dims
from policyc.compiler.group_checks import (
    PERIOD_FUNCS,
    PERIOD_WORDS,
    PERSON_DIMS,
    as_aggregate,
)
from policyc.compiler.lookup import reads_a_value
from policyc.compiler.templating import environment
from policyc.runtime.quantity import Dims, Quantity, _time_shift, dims_text, parse_measure

__all__ = [
    "DECISION_STATUSES",
    "MEMBER",
    "ROLE",
    "RULE_STATUSES",
    "STATUSES",
    "TARGET_STATUSES",
    "BatchProgram",
    "BatchRule",
    "Unsupported",
    "comment_text",
    "decision_kind",
    "generate_batch",
    "ident",
    "input_columns",
    "literal",
    "plain_decimal_text",
]

ROW, ON, RECEIVED = "__row", "__on", "__received"
# A status is its index here (a TINYINT in the query; the text only in the results file): a
# rule's, then a target's.
RULE_STATUSES = (
    "applies",
    "unspecified",
    "not_applicable",
    "undetermined",
    "not_in_force",
    "already_received",
)
TARGET_STATUSES = ("met", "not_met", "not_reported")
DECISION_STATUSES = ("decided", "undetermined")
STATUSES = RULE_STATUSES + TARGET_STATUSES + ("decided",)
APPLIES, UNSPECIFIED, NOT_APPLICABLE, UNDETERMINED, NOT_IN_FORCE, ALREADY_RECEIVED = range(6)
MET, NOT_MET, NOT_REPORTED = range(6, 9)
DECIDED = 9  # a `decide` came to a value (else it is UNDETERMINED)
HOLDS = 10  # the gate: the rule is in force, not received, and its conditions hold


@attrs.frozen
class BatchRule:
    index: int  # its position among codegen's entries; names its columns (s{index}, a{index})
    name: str
    unit: str  # 元 or 美元 for a rule with an amount, else ""
    has_cap: bool
    once: bool
    unspecified: bool
    fallback: str  # why the rule is evaluated case by case; "" when it is in the query
    role: str = "rule"  # or "target": met, not met or not reported, no amount; or "decision"
    # A decision's value, as text in the column x{index}: "enum", "bool", "date", "percent" (a
    # plain ratio, written `20%`) or "quantity" (a decimal in `value_unit`, the measure's base).
    value_kind: str = ""
    value_unit: str = ""


@attrs.frozen
class BatchProgram:
    """The query over the relation `cases` (columns from `input_columns`, plus __row, __on and
    __received); it yields __row, __on and, per vectorised rule i, s{i} (the status), a{i} (the
    amount after the cap) and u{i} (the amount before the cap, when the cap bit); per target i,
    s{i} (met, not met or not reported); per decision i, s{i} (decided or undetermined) and
    x{i} (its value as text, see BatchRule.value_kind). `rules` holds the decisions, the rules,
    then the targets."""

    policy: str
    readings: dict[str, str]
    rules: tuple[BatchRule, ...]
    sql: str


def input_columns(policy: CheckedPolicy) -> dict[str, list[str]]:
    """Each input's columns in `cases`: its name, or `NAME.MEMBER` for each member of a tally."""
    columns: dict[str, list[str]] = {}
    for name, info in policy.inputs.items():
        if info.type.kind == "keyed":
            columns[name] = [f"{name}.{m}" for m in policy.enums[info.type.enum]]
        else:
            columns[name] = [name]
    return columns


@functools.cache
def _template() -> jinja2.Template:
    return _environment().get_template("batch.sql.j2")


def _environment() -> jinja2.Environment:
    return environment()


def generate_batch(
    policy: CheckedPolicy,
    readings: Mapping[str, str],
    types: Mapping[str, tuple[int, int]] | None = None,
    period: str = "",
) -> BatchProgram:
    """The batch query for `policy` under `readings` (the options taken, all of them).

    `types` gives the DECIMAL (width, scale) of each quantity column of `cases` (and of
    `members`; default (38, 0)): the query widens a product that may not fit in 64 bits, and
    divides exactly. `period` is "month" when every case of `cases` is evaluated for a month:
    an input per period is then its column (the month's value) and a rule `per 月` is evaluated
    once; otherwise (""), a rule reading an input per period, or with a period of its own, runs
    case by case. A policy with a group reads the table `members` (columns __row, __member,
    __role and the member inputs) for its aggregates (count, sum, min, max, any, all); a rule
    paid `each` member, or reading a member's value outside an aggregate, runs case by case.
    """
    gen = _Generator(policy, readings, types or {}, period)
    rules: list[BatchRule] = []
    levels: dict[str, list[str]] = {"gate": [], "value": [], "status": [], "result": []}
    # Each entry, in codegen's order, with what generates its columns: decisions, rules, targets.
    entries: list[tuple[BatchRule, Callable[[], dict[str, list[str]]]]] = []
    for index, define in enumerate(d for d in policy.defines.values() if d.decided):
        kind, unit = decision_kind(policy, define.name.text)
        info = BatchRule(
            index, define.name.text, "", False, False, False, "", "decision", kind, unit
        )
        entries.append((info, functools.partial(gen.decision, index, define, kind)))
    for index, rule in _indexed_rules(policy):
        entries.append(
            (gen.rule_info(index, rule), functools.partial(gen.capped_rule, index, rule))
        )
    for index, target in _indexed_targets(policy):
        info = BatchRule(index, target.name.text, "", False, False, False, "", role="target")
        entries.append((info, functools.partial(gen.target, index, target)))
    for info, generate in entries:
        try:
            columns = generate()
        except Unsupported as exc:  # left to the per-case path, saying why
            rules.append(attrs.evolve(info, fallback=str(exc)))
            continue
        rules.append(info)
        for level, sqls in columns.items():
            levels[level].extend(sqls)
    sql = _template().render(
        policy=comment_text(policy.header.number),
        row=ident(ROW),
        on=ident(ON),
        grouped=gen.grouped,
        **levels,
    )
    return BatchProgram(policy.header.number, dict(readings), tuple(rules), sql)


def decision_kind(policy: CheckedPolicy, name: str) -> tuple[str, str]:
    """(value_kind, value_unit) of a `decide`d value's column: see BatchRule."""
    kind = policy.define_types[name]
    if kind.kind == "quantity":
        return ("quantity", dims_text(kind.dims)) if kind.dims else ("percent", "")
    if kind.kind in ("enum", "bool", "date"):
        return kind.kind, ""
    return "unsupported", ""


def _indexed_rules(policy: CheckedPolicy) -> list[tuple[int, n.Rule]]:
    """Each rule with its index among the entries codegen generates (decisions first, then each
    owner's rules and targets in document order): its index in CompiledPolicy.rules."""
    return [(i, e) for i, e in _indexed_entries(policy) if isinstance(e, n.Rule)]


def _indexed_targets(policy: CheckedPolicy) -> list[tuple[int, n.Target]]:
    """Each target with its index among codegen's entries (after its owner's rules)."""
    return [(i, e) for i, e in _indexed_entries(policy) if isinstance(e, n.Target)]


def _indexed_entries(policy: CheckedPolicy) -> list[tuple[int, n.Rule | n.Target]]:
    index = sum(1 for d in policy.defines.values() if d.decided)
    owners: list[n.Section | n.Clause] = []
    for section in policy.file.sections:
        owners.append(section)
        owners.extend(section.clauses)
    owners.extend(policy.file.clauses)
    out: list[tuple[int, n.Rule | n.Target]] = []
    for owner in owners:
        entries: list[n.Rule | n.Target] = [*owner.rules, *owner.targets]
        for entry in entries:
            out.append((index, entry))
            index += 1
    return out


class _Generator:
    def __init__(
        self,
        policy: CheckedPolicy,
        readings: Mapping[str, str],
        types: Mapping[str, tuple[int, int]],
        period: str = "",
    ):
        self.policy = policy
        self.readings = readings
        self.types = types
        self.period = period
        self._defines: dict[str, Sql] = {}
        # The aggregates over members, as columns of the query's `grouped` step (one row per
        # case): `SQL AS __aggK`; `in_member` is True while a member is in view (a `where`).
        self.grouped: list[str] = []
        self.aggregates: dict[str, Sql] = {}
        self.in_member = False

    # ---- rules ----
    def rule_info(self, index: int, rule: n.Rule) -> BatchRule:
        unit = ""
        if isinstance(rule.amount, n.Expr):  # the checker's dims (元 for 元/人 × 人)
            checked = dict(self.policy.people.rule_dims).get(rule.name.text)
            unit = dims_text(self.dims(rule.amount) if checked is None else checked)
        return BatchRule(
            index=index,
            name=rule.name.text,
            unit=unit,
            has_cap=rule.cap is not None,
            once=rule.once is not None,
            unspecified=isinstance(rule.amount, n.Unspecified),
            fallback="",
        )

    def capped_rule(self, index: int, rule: n.Rule) -> dict[str, list[str]]:
        """The rule's columns, then what follows its cap (rounding, a shared cap)."""
        return self.after_caps(index, rule, self.rule(index, rule))

    def rule(self, index: int, rule: n.Rule) -> dict[str, list[str]]:
        """The rule's columns at each level of the query (see templates/batch.sql.j2), in the
        order of Ctx.run_rule: validity, `once`, the `when`s, the amount, the cap."""
        if rule.each is not None:  # evaluated, and paid, once per member: not one row's value
            raise Unsupported(f"it is paid each member of `{rule.each.text}`")
        # In a month's case a rule `per 月` is evaluated once, for that month; anything else
        # (a year's case, `per 年` in a month's) is evaluated period by period.
        if rule.period is not None and not (
            self.period == "month" and PERIOD_WORDS.get(rule.period.text) == "month"
        ):
            raise Unsupported(f"its amount is per {rule.period.text}: evaluated period by period")
        i = index
        whens = [self.scalar(self.sql(w)) for w in rule.whens]
        # Ctx.require: a false `when` (or one that raises NotApplicable) decides, even if another
        # is unknown; otherwise an unknown one makes the rule undetermined.
        false = any_true(
            [f"coalesce(NOT {w.v}, false)" for w in whens] + [w.na for w in whens if w.na]
        )
        unknown = any_true([f"({w.v} IS NULL)" for w in whens])
        day = ident(rule.valid_by.text) if rule.valid_by is not None else ident(ON)
        bounds = []
        valid_from, valid_until = self.policy.validity_under(self.readings)
        if valid_from is not None:
            bounds.append(f"{day} >= {date_sql(valid_from)}")
        if valid_until is not None:
            bounds.append(f"{day} <= {date_sql(valid_until)}")
        gate = ["CASE"]
        if bounds:  # a missing valid_by date is not out of force: NOT NULL is not true
            gate.append(f"WHEN NOT ({' AND '.join(bounds)}) THEN {NOT_IN_FORCE}")
        if rule.once is not None:
            gate.append(
                f"WHEN coalesce(list_contains({ident(RECEIVED)}, {literal(rule.name.text)}), false)"
                f" THEN {ALREADY_RECEIVED}"
            )
        if false:
            gate.append(f"WHEN {false} THEN {NOT_APPLICABLE}")
        if unknown:
            gate.append(f"WHEN {unknown} THEN {UNDETERMINED}")
        # A rule with no validity, `once` or `when` has nothing to decide: `CASE ELSE 9 END` is
        # no SQL, so the gate is the constant.
        gate_sql = " ".join([*gate, f"ELSE {HOLDS} END"]) if len(gate) > 1 else str(HOLDS)
        value = [f"g{i}"]
        status = [f"WHEN g{i} <> {HOLDS} THEN g{i}"]
        result = [f"s{i}"]
        # The amount and the cap are computed only where the conditions hold, as in Ctx.
        held = f"g{i} = {HOLDS}"
        if isinstance(rule.amount, n.Expr):
            amount = self.scalar(self.sql(rule.amount))
            value.append(f"CASE WHEN {held} THEN {amount.v} END AS v{i}")
            if amount.na:
                value.append(f"coalesce({held} AND {amount.na}, false) AS n{i}")
                status.append(f"WHEN n{i} THEN {NOT_APPLICABLE}")
            status.append(f"WHEN v{i} IS NULL THEN {UNDETERMINED}")
            if rule.cap is not None:
                cap = self.scalar(self.sql(rule.cap.amount))
                value.append(f"CASE WHEN {held} THEN {cap.v} END AS c{i}")
                if cap.na:
                    value.append(
                        f"coalesce({held} AND v{i} IS NOT NULL AND {cap.na}, false) AS m{i}"
                    )
                    status.append(f"WHEN m{i} THEN {NOT_APPLICABLE}")
                status.append(f"WHEN c{i} IS NULL THEN {UNDETERMINED}")
                result.append(
                    f"CASE WHEN s{i} = {APPLIES} THEN "
                    f"(CASE WHEN v{i} > c{i} THEN c{i} ELSE v{i} END) END AS a{i}"
                )
                result.append(f"CASE WHEN s{i} = {APPLIES} AND v{i} > c{i} THEN v{i} END AS u{i}")
            else:
                result.append(f"CASE WHEN s{i} = {APPLIES} THEN v{i} END AS a{i}")
            status.append(f"WHEN v{i} < 0 THEN {NOT_APPLICABLE}")  # Ctx.run_rule: never paid
        if rule.valid_by is not None:
            value.append(f"{day} AS d{i}")
            status.append(f"WHEN d{i} IS NULL THEN {UNDETERMINED}")
        final = UNSPECIFIED if isinstance(rule.amount, n.Unspecified) else APPLIES
        status_sql = f"CAST(CASE {' '.join(status)} ELSE {final} END AS UTINYINT) AS s{i}"
        return {
            "gate": [f"{gate_sql} AS g{i}"],
            "value": value,
            "status": [status_sql],
            "result": result,
        }

    def target(self, index: int, target: n.Target) -> dict[str, list[str]]:
        """A target's status, as Ctx.run_target decides it: not reported without the figure
        (or where NotApplicable is raised), else met when the figure is on the target's side of
        its bound (moved by the tolerance in the target's favour; `about`: within it)."""
        i = index
        actual = self.scalar(self.sql(n.Ref(target.name.text, target.span)))
        bound = self.scalar(self.sql(target.value))
        tolerance = (
            self.scalar(self.sql(target.tolerance)) if target.tolerance is not None else None
        )
        if target.op == "about":
            margin = tolerance.v if tolerance is not None else "0"
            met = f"({bound.v} - {margin} <= {actual.v} AND {actual.v} <= {bound.v} + {margin})"
        else:
            edge = bound.v
            if tolerance is not None:
                edge = f"({bound.v} {'-' if target.op in ('ge', 'gt') else '+'} {tolerance.v})"
            op = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<", "eq": "=", "ne": "<>"}[target.op]
            met = f"({actual.v} {op} {edge})"
        na = self.strict([actual, bound] + ([tolerance] if tolerance is not None else []))
        whens = [f"WHEN {na} THEN {NOT_REPORTED}"] if na else []
        whens += [f"WHEN {actual.v} IS NULL THEN {NOT_REPORTED}", f"WHEN {met} THEN {MET}"]
        status = f"CAST(CASE {' '.join(whens)} ELSE {NOT_MET} END AS UTINYINT) AS s{i}"
        return {"gate": [], "value": [status], "status": [], "result": [f"s{i}"]}

    def decision(self, index: int, define: n.Define, kind: str) -> dict[str, list[str]]:
        """A `decide`d value, as Ctx.run_decision gives it: undetermined where an input it needs
        is missing (NULL) or where NotApplicable is raised, else decided, with the value as text
        (BatchRule.value_kind says how it is written)."""
        if kind == "unsupported":
            kind_of = self.policy.define_types[define.name.text].describe()
            raise Unsupported(f"a decided value that is {kind_of}")
        # `decide … per 月` outside a month's case is decided period by period (as a rule's
        # `amount … per`): left to the per-case path.
        if define.period is not None and self.period != PERIOD_WORDS.get(define.period.text):
            raise Unsupported(f"its value is per {define.period.text}: decided period by period")
        i = index
        value = self.scalar(self.sql(define.expr))
        text = {
            "enum": f"CAST({value.v} AS VARCHAR)",
            "bool": f"CASE WHEN {value.v} THEN 'true' WHEN NOT {value.v} THEN 'false' END",
            "date": f"strftime({value.v}, '%Y-%m-%d')",
            "percent": f"{plain_decimal_text(f'({value.v}) * 100')} || '%'",
            "quantity": plain_decimal_text(value.v),
        }[kind]
        na = f"coalesce({value.na}, false)" if value.na else "false"
        status = (
            f"CAST(CASE WHEN {na} THEN {UNDETERMINED} WHEN ({value.v}) IS NULL THEN {UNDETERMINED}"
            f" ELSE {DECIDED} END AS UTINYINT) AS s{i}"
        )
        shown = f"CASE WHEN NOT {na} THEN {text} END AS x{i}"
        return {"gate": [], "value": [status, shown], "status": [], "result": [f"s{i}", f"x{i}"]}

    # ---- dimensions (the checker's types, recomputed where the SQL needs them) ----
    def dims(self, e: n.Expr) -> Dims:
        if isinstance(e, n.QuantityLit):
            return parse_measure(e.measure).dims
        if isinstance(e, n.Ref):
            if e.name in self.policy.inputs:
                return self.policy.inputs[e.name].type.dims
            if e.name in self.policy.tables:
                return self.dims(self.policy.tables[e.name].rows[0][1])  # a quantity or a %
            if e.name in self.policy.defines:
                return self.dims(self.policy.defines[e.name].expr)
            return ()
        if isinstance(e, n.Index):
            return self.dims(n.Ref(e.name))
        if isinstance(e, n.Arith):
            if e.op == "×":
                return mul_dims(self.dims(e.left), self.dims(e.right))
            return self.dims(e.left)
        if isinstance(e, n.Of):
            return self.dims(e.base)
        aggregate = as_aggregate(e)
        if aggregate is not None:
            if aggregate.func == "count":
                return PERSON_DIMS
            return self.dims(aggregate.subject) if aggregate.func != "any" else ()
        if isinstance(e, n.Call) and e.func == "divide":
            over = tuple((base, -power) for base, power in self.dims(e.args[1]))
            return mul_dims(self.dims(e.args[0]), over)
        if isinstance(e, n.Call) and e.func in ("min", "max", "total", "first", "highest"):
            return self.dims(e.args[0])
        if isinstance(e, n.If):
            return self.dims(e.then)
        if isinstance(e, n.Tiers | n.Schedule):
            return self.dims(e.rows[0].amount)
        if isinstance(e, n.Progressive):
            return mul_dims(self.dims(e.base), self.dims(e.bands[0].rate))
        if isinstance(e, n.Dated):
            return self.dims(e.rows[0].value)
        return ()  # percentages, conditions, dates, enum members

    # ---- expressions ----
    def sql(self, e: n.Expr) -> Value:
        emitter = _EMITTERS.get(type(e))
        if emitter is None:
            raise Unsupported(f"{type(e).__name__} at line {e.span.line}")
        return emitter(self, e)

    @staticmethod
    def scalar(value: Value) -> Sql:
        if isinstance(value, dict):
            raise Unsupported("a value by enum member where one value is needed")
        return value

    def strict(self, parts: list[Sql]) -> str | None:
        """NotApplicable from any operand: the per-case path evaluates every operand of an
        operation (an unknown one is a value, not an exception), so any of them may raise it."""
        return any_true([part.na for part in parts if part.na is not None])

    def quantity(self, e: n.QuantityLit) -> Sql:
        return decimal_sql(Quantity.of(e.number, e.measure).value)

    def percent(self, e: n.PercentLit) -> Sql:
        return decimal_sql(Decimal(e.number).scaleb(-2))

    def ref(self, e: n.Ref) -> Value:
        policy = self.policy
        people = policy.people
        if policy.member_enum(e.name) is not None:
            return Sql(literal(e.name))
        if e.name in people.member_defines:
            raise Unsupported(f"`{e.name}` is valued per member")
        if e.name in people.member_inputs and not self.in_member:
            raise Unsupported(f"input `{e.name}` is a member's, read outside count/sum/…")
        if e.name in people.period_of and self.period != "month":
            raise Unsupported(f"input `{e.name}` has a value per period")
        if e.name in policy.defines:
            if self.in_member and self._reads_aggregate(policy.defines[e.name].expr):
                raise Unsupported("an aggregate over members inside another")
            if e.name not in self._defines:
                self._defines[e.name] = self.scalar(self.sql(policy.defines[e.name].expr))
            return self._defines[e.name]
        if e.name in policy.tables:
            table = policy.tables[e.name]
            return {label: self.scalar(self.sql(value)) for label, value in table.rows}
        info = policy.inputs[e.name]
        kind = info.type.kind
        if kind == "keyed":
            members = policy.enums[info.type.enum]
            return {m: self.column(f"{e.name}.{m}") for m in members}
        if kind in ("series", "boolseries"):
            raise Unsupported(f"input `{e.name}` is a daily series")
        if kind == "quantity":
            return self.column(e.name)
        return Sql(self._qualified(e.name))

    def _qualified(self, name: str) -> str:
        """A column of `cases`, or of `members` (alias m) for a member's input."""
        if name in self.policy.people.member_inputs:
            return f"m.{ident(name)}"
        return ident(name)

    def column(self, name: str) -> Sql:
        width, scale = self.types.get(name, (38, 0))
        return Sql(self._qualified(name), scale=scale, width=width)

    def _reads_aggregate(self, expr: n.Expr, seen: frozenset[str] = frozenset()) -> bool:
        """Whether `expr` (through the defines it reads) holds an aggregate over members."""
        for node in n.walk(expr):
            if as_aggregate(node) is not None:
                return True
            if (
                isinstance(node, n.Ref)
                and node.name in self.policy.defines
                and node.name not in seen
                and self._reads_aggregate(self.policy.defines[node.name].expr, seen | {node.name})
            ):
                return True
        return False

    # ---- households (compiler/batch_households.py) ----
    def aggregate(self, e: n.Aggregate) -> Sql:
        return aggregate_sql(self, e)

    def divide_call(self, e: n.Call) -> Sql:
        return divide_sql(self, e)

    def index(self, e: n.Index) -> Sql:
        keyed = self.sql(n.Ref(e.name, e.span))
        if not isinstance(keyed, dict):
            raise Unsupported(f"`{e.name}[{e.key}]`")
        if not reads_a_value(self.policy, e):
            return keyed[e.key]
        # `救助比例[类别]`: the member each row gives (NULL, unknown, where it gives none).
        key = self.scalar(self.sql(n.Ref(e.key, e.span)))
        values = list(keyed.values())
        arms = " ".join(f"WHEN {literal(m)} THEN {v.v}" for m, v in keyed.items())
        na = any_true([t for t in (key.na, *(v.na for v in values)) if t])
        return Sql(f"(CASE {key.v} {arms} END)", na, *union(*values))

    def reading_is(self, e: n.ReadingIs) -> Sql:
        return Sql("TRUE" if self.readings.get(e.reading) == e.option else "FALSE")

    def keyed(self, a: Value, b: Value, combine: Callable[[Sql, Sql], Sql]) -> Value:
        """Tables and tallies combine member by member, as runtime.evaluation._keyed does."""
        if isinstance(a, dict) and isinstance(b, dict):
            return {k: combine(a[k], b[k]) for k in a if k in b}
        if isinstance(a, dict):
            return {k: combine(v, self.scalar(b)) for k, v in a.items()}
        if isinstance(b, dict):
            return {k: combine(a, v) for k, v in b.items()}
        return combine(a, b)

    def arith(self, e: n.Arith) -> Value:
        left, right = self.sql(e.left), self.sql(e.right)
        na = self.strict([self._first(left), self._first(right)])
        if e.op in "+-":
            op = e.op

            def combine(x: Sql, y: Sql) -> Sql:
                return Sql(f"({x.v} {op} {y.v})", na, max(x.scale, y.scale), sum_width(x, y))

            return self.keyed(left, right, combine)
        dl, dr = self.dims(e.left), self.dims(e.right)
        divisor = _time_shift(dl, dr, mul_dims(dl, dr))

        def product(x: Sql, y: Sql) -> Sql:
            return self.divide(multiply(x, y, na), divisor)

        return self.keyed(left, right, product)

    @staticmethod
    def _first(value: Value) -> Sql:
        """A keyed value's NotApplicable flag and unknownness are its members' (all alike)."""
        if isinstance(value, dict):
            first = next(iter(value.values()))
            return first
        return value

    def divide(self, x: Sql, divisor: int) -> Sql:
        """`x / divisor` exactly, as Quantity's exact context does; an inexact quotient is an
        error in both paths."""
        if divisor == 1:
            return x
        twos = fives = 0
        rest = divisor
        while rest % 2 == 0:
            rest, twos = rest // 2, twos + 1
        while rest % 5 == 0:
            rest, fives = rest // 5, fives + 1
        scale = x.scale + max(twos, fives)
        whole = f"CAST({x.v} * CAST('1{'0' * scale}' AS DECIMAL({scale + 1},0)) AS HUGEINT)"
        unit = decimal_sql(Decimal(1).scaleb(-scale)).v
        sql = (
            f"(CASE WHEN {whole} % {divisor} <> 0 THEN error('inexact division by {divisor}') "
            f"ELSE CAST({whole} // {divisor} AS DECIMAL(38,0)) * {unit} END)"
        )
        return Sql(sql, x.na, scale, 38)

    def of(self, e: n.Of) -> Value:
        ratio, base = self.scalar(self.sql(e.ratio)), self.sql(e.base)
        na = self.strict([ratio, self._first(base)])

        def combine(b: Sql, r: Sql) -> Sql:
            return multiply(b, r, na)

        return self.keyed(base, ratio, combine)

    def choose(self, cond: str, a: Sql, b: Sql) -> str:
        """`a` where `cond` is TRUE, `b` where FALSE, NULL where unknown; `cond` written once, so
        nested choices grow linearly, not twice per level."""
        return f"(CASE {cond} WHEN TRUE THEN {a.v} WHEN FALSE THEN {b.v} END)"

    def call(self, e: n.Call) -> Value:
        func = e.func
        aggregate = as_aggregate(e)
        if aggregate is not None:
            return self.aggregate(aggregate)
        if func == "divide":
            return self.divide_call(e)
        if func in PERIOD_FUNCS:
            raise Unsupported(f"`{func}` reads another period")
        if func in ("amount_of", "given"):
            raise Unsupported(f"`{func}`")
        if func in ("months_between", "years_between"):
            return self.duration(e)
        if func == "on_date":
            return Sql(ident(ON))
        if func == "valid_until":
            valid_until = self.policy.validity_under(self.readings)[1]
            assert valid_until is not None  # the checker requires it
            return Sql(date_sql(valid_until))
        if func == "total":
            keyed = self.sql(e.args[0])
            if not isinstance(keyed, dict):
                raise Unsupported("`total` of a single value")
            members = list(keyed.values())
            na = self.strict(members[:1])
            width = max(m.width - m.scale for m in members) + len(members)
            scale = max(m.scale for m in members)
            return Sql(
                "(" + " + ".join(m.v for m in members) + ")", na, scale, min(38, width + scale)
            )
        if func in ("min", "max") and len(e.args) == 2:
            a, b = (self.scalar(self.sql(x)) for x in e.args)
            na = self.strict([a, b])
            kind = self.policy.special.get(e)
            op = "<=" if func == "min" else ">="
            if kind is not None:
                order = self.policy.enums[kind.removeprefix("enum:")]
                cond = f"{self.rank(a.v, order)} {op} {self.rank(b.v, order)}"
            else:
                cond = f"{a.v} {op} {b.v}"
            return Sql(self.choose(cond, a, b), na, *union(a, b))
        raise Unsupported(f"`{func}` of a daily series")

    @staticmethod
    def rank(value: str, order: tuple[str, ...]) -> str:
        whens = " ".join(f"WHEN {literal(m)} THEN {i}" for i, m in enumerate(order))
        return f"(CASE {value} {whens} END)"

    def compare(self, e: n.Compare) -> Sql:
        kind = self.policy.special.get(e)
        if kind == "series":
            raise Unsupported("a daily series compared day by day")
        left, right = self.scalar(self.sql(e.left)), self.scalar(self.sql(e.right))
        op = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<", "eq": "=", "ne": "<>"}[e.op]
        lv, rv = left.v, right.v
        if kind is not None:
            order = self.policy.enums[kind.removeprefix("enum:")]
            lv, rv = self.rank(lv, order), self.rank(rv, order)
        return Sql(f"({lv} {op} {rv})", self.strict([left, right]))

    def is_in(self, e: n.Is | n.In) -> Sql:
        members = (e.member,) if isinstance(e, n.Is) else e.members
        subject = self.scalar(self.sql(e.subject))
        if len(members) == 1:
            return Sql(f"({subject.v} = {literal(members[0])})", subject.na)
        return Sql(f"({subject.v} IN ({', '.join(map(literal, members))}))", subject.na)

    def _flatten(self, e: n.Expr, kind: type) -> list[n.Expr]:
        if isinstance(e, kind):
            return self._flatten(e.left, kind) + self._flatten(e.right, kind)  # type: ignore[attr-defined]
        return [e]

    def lazy(self, parts: list[Sql], stop: str) -> str | None:
        """NotApplicable from Ctx.all / Ctx.any: parts evaluated in order until one is `stop`
        (FALSE for all, TRUE for any); an unknown part does not stop them.

        One CASE walks the parts in order, so the SQL grows linearly with their number (each
        part's flag written once, not once per later part)."""
        if not any(part.na is not None for part in parts):
            return None
        whens: list[str] = []
        for part in parts:
            if part.na is not None:
                whens.append(f"WHEN {part.na} THEN TRUE")
            whens.append(f"WHEN {part.v} IS NOT DISTINCT FROM {stop} THEN FALSE")
        while whens[-1].endswith("THEN FALSE"):  # nothing after the last flag can raise it
            whens.pop()
        return f"(CASE {' '.join(whens)} ELSE FALSE END)"

    def logic(self, e: n.And | n.Or) -> Sql:
        parts = [self.scalar(self.sql(p)) for p in self._flatten(e, type(e))]
        word, stop = ("AND", "FALSE") if isinstance(e, n.And) else ("OR", "TRUE")
        return Sql("(" + f" {word} ".join(p.v for p in parts) + ")", self.lazy(parts, stop))

    def labelled(self, e: n.AnyOf | n.AllOf) -> Sql:
        parts = [self.scalar(self.sql(item.expr)) for item in e.items]
        if isinstance(e, n.AllOf):
            return Sql("(" + " AND ".join(p.v for p in parts) + ")", self.lazy(parts, "FALSE"))
        # Ctx.any_of evaluates every option (the trace lists them all), so any option raising
        # NotApplicable raises it.
        return Sql(
            "(" + " OR ".join(p.v for p in parts) + ")", any_true([p.na for p in parts if p.na])
        )

    def not_(self, e: n.Not) -> Sql:
        operand = self.scalar(self.sql(e.operand))
        return Sql(f"(NOT {operand.v})", operand.na)

    def if_(self, e: n.If) -> Value:
        cond = self.scalar(self.sql(e.cond))
        then, otherwise = self.sql(e.then), self.sql(e.otherwise)
        if cond.v in ("TRUE", "FALSE"):  # a reading: decided when the query is generated
            chosen = then if cond.v == "TRUE" else otherwise
            return chosen if cond.na is None else self._with_na(chosen, cond.na)

        def pick(a: Sql, b: Sql) -> Sql:
            terms = [t for t in (cond.na,) if t]
            if a.na:
                terms.append(f"(coalesce({cond.v}, false) AND {a.na})")
            if b.na:
                terms.append(f"(coalesce(NOT {cond.v}, false) AND {b.na})")
            return Sql(self.choose(cond.v, a, b), any_true(terms), *union(a, b))

        if isinstance(then, dict) or isinstance(otherwise, dict):
            if not (isinstance(then, dict) and isinstance(otherwise, dict)):
                raise Unsupported("`if` between a keyed value and a single one")
            return {k: pick(then[k], otherwise[k]) for k in then if k in otherwise}
        return pick(then, otherwise)

    @staticmethod
    def _with_na(value: Value, na: str) -> Value:
        if isinstance(value, dict):
            return {
                k: attrs.evolve(v, na=any_true([na, *([v.na] if v.na else [])]))
                for k, v in value.items()
            }
        return attrs.evolve(value, na=any_true([na, *([value.na] if value.na else [])]))

    def tiers(self, e: n.Tiers) -> Sql:
        subject = self.scalar(self.sql(e.subject))
        prior = self.scalar(self.sql(e.prior)) if e.prior is not None else None
        rows = [
            (
                row.threshold.op,
                self.scalar(self.sql(row.threshold.value)),
                self.scalar(self.sql(row.amount)),
            )
            for row in e.rows
        ]
        # Ctx.tiers receives every operand evaluated (value, prior, then each row's threshold
        # and amount): any unknown one makes the whole unknown.
        operands = [subject, *([prior] if prior else []), *[x for _, t, a in rows for x in (t, a)]]
        ops = {"ge": ">=", "gt": ">"}

        def reached(value: Sql, i: int) -> str:
            op, threshold, _ = rows[i]
            return f"({value.v} {ops[op]} {threshold.v})"

        # Ctx.tiers raises NotApplicable when the known value reaches no row, and under the _new
        # modes when every row it reaches the known prior had reached (NULL: unknown, not NA).
        reaches = " OR ".join(reached(subject, i) for i in range(len(rows)))
        none_reached = f"(NOT ({reaches}))"
        if prior is not None:
            new = " OR ".join(
                f"({reached(subject, i)} AND NOT {reached(prior, i)})" for i in range(len(rows))
            )
            known = f"{subject.v} IS NOT NULL AND {prior.v} IS NOT NULL"
            none_reached = f"({none_reached} OR ({known} AND NOT ({new})))"
        na = any_true([x for x in (self.strict(operands), f"coalesce({none_reached}, false)") if x])

        zero = "CAST(0 AS DECIMAL(1,0))"
        last = range(len(rows) - 1, -1, -1)
        if e.mode == "highest":
            body = "CASE " + " ".join(
                f"WHEN {reached(subject, i)} THEN {rows[i][2].v}" for i in last
            )
        elif e.mode == "each":
            body = " + ".join(
                f"(CASE WHEN {reached(subject, i)} THEN {rows[i][2].v} ELSE {zero} END)"
                for i in range(len(rows))
            )
        elif e.mode == "highest_new":
            assert prior is not None
            body = "CASE " + " ".join(
                f"WHEN {reached(subject, i)} THEN (CASE WHEN {reached(prior, i)} THEN {zero} "
                f"ELSE {rows[i][2].v} END)"
                for i in last
            )
        else:  # each_new
            assert prior is not None
            body = " + ".join(
                f"(CASE WHEN {reached(subject, i)} AND NOT {reached(prior, i)} THEN {rows[i][2].v} "
                f"ELSE {zero} END)"
                for i in range(len(rows))
            )
        if body.startswith("CASE "):
            body += f" ELSE {zero} END"
        known = " OR ".join(f"{x.v} IS NULL" for x in operands if not is_constant(x))
        amounts = [a for _, _, a in rows]
        scale, width = union(*amounts)
        if e.mode in ("each", "each_new"):  # a sum of the rows
            width = min(38, width + len(rows))
        return Sql(f"(CASE WHEN {known} THEN NULL ELSE ({body}) END)", na, scale, width)

    def schedule(self, e: n.Schedule) -> Sql:
        anchor = self.scalar(self.sql(e.anchor))
        on = ident(ON)
        # runtime.dates.year_of_operation: completed months from the anchor (民法典 art. 202:
        # a month without the corresponding day ends on its last day), // 12 + 1.
        a = anchor.v
        months = (
            f"((year({on}) - year({a})) * 12 + month({on}) - month({a}) - "
            f"(CASE WHEN least(day({a}), day(last_day({on}))) > day({on}) THEN 1 ELSE 0 END))"
        )
        year = f"(CASE WHEN {on} < {a} THEN NULL ELSE {months} // 12 + 1 END)"
        rows = [(r.first, r.last, self.scalar(self.sql(r.amount))) for r in e.rows]
        picks = " ".join(f"WHEN {year} BETWEEN {f} AND {last} THEN {x.v}" for f, last, x in rows)
        value = f"(CASE WHEN {a} IS NULL THEN NULL {picks} END)"
        # NotApplicable: the anchor is known and its year is in no row, or the row's amount
        # raises it.
        matched = " OR ".join(
            f"coalesce({year} BETWEEN {f} AND {last}, false)" for f, last, _ in rows
        )
        terms = [t for t in (anchor.na,) if t]
        terms.append(f"({a} IS NOT NULL AND NOT ({matched}))")
        for f, last, x in rows:
            if x.na:
                terms.append(
                    f"({a} IS NOT NULL AND coalesce({year} BETWEEN {f} AND {last}, false) "
                    f"AND {x.na})"
                )
        return Sql(value, any_true(terms), *union(*(x for _, _, x in rows)))

    def progressive(self, e: n.Progressive) -> Sql:
        """runtime.scales.progressive: Σ rate × the part of the base inside each band, exact on
        DECIMAL; NotApplicable (the flag) where the known base lies in no band."""
        base = self.scalar(self.sql(e.base))
        rows = [
            (
                b.threshold.op,
                self.scalar(self.sql(b.threshold.value)),
                self.scalar(self.sql(b.rate)),
            )
            for b in e.bands
        ]
        operands = [base, *[x for _, edge, rate in rows for x in (edge, rate)]]
        zero = Sql("CAST(0 AS DECIMAL(1,0))", None, 0, 1)
        # The bands as runtime.scales.bands builds them: (lower, whether it holds its lower
        # edge, upper or None, whether it holds its upper edge, rate).
        spans: list[tuple[Sql, bool, Sql | None, bool, Sql]] = []
        if rows[0][0] in ("ge", "gt"):
            for i, (op_name, edge, rate) in enumerate(rows):
                after = rows[i + 1] if i + 1 < len(rows) else None
                spans.append(
                    (
                        edge,
                        op_name == "ge",
                        after[1] if after else None,
                        after is not None and after[0] == "gt",
                        rate,
                    )
                )
        else:
            lower, lower_included = zero, True
            for op_name, edge, rate in rows:
                if op_name in ("le", "lt"):
                    spans.append((lower, lower_included, edge, op_name == "le", rate))
                    lower, lower_included = edge, op_name == "lt"
                else:  # the open top band; an edge both words include stays below
                    spans.append((edge, op_name == "ge" and not spans[-1][3], None, False, rate))

        def holds(lower: Sql, low_in: bool, upper: Sql | None, up_in: bool) -> str:
            above = f"{base.v} {'>=' if low_in else '>'} {lower.v}"
            if upper is None:
                return f"({above})"
            return f"({above} AND {base.v} {'<=' if up_in else '<'} {upper.v})"

        # Band.holds for each band: a known base that no band holds is not applicable.
        outside = "NOT (" + " OR ".join(holds(lo, li, up, ui) for lo, li, up, ui, _ in spans) + ")"
        divisor = _time_shift(self.dims(e.base), self.dims(e.bands[0].rate), self.dims(e))
        terms: list[Sql] = []
        for bottom, _, ceiling, _, rate in spans:
            top = base.v if ceiling is None else f"least({base.v}, {ceiling.v})"
            parts: list[Sql] = [base, bottom, *([ceiling] if ceiling is not None else [])]
            scale = max(p.scale for p in parts)
            width = min(38, max(p.width - p.scale for p in parts) + scale + 1)
            # Band.part: the base above the band's lower edge, up to its upper one, never below 0.
            part = Sql(
                f"(CASE WHEN {top} > {bottom.v} THEN {top} - {bottom.v} ELSE 0 END)",
                None,
                scale,
                width,
            )
            terms.append(self.divide(multiply(part, rate, None), divisor))
        scale = max(t.scale for t in terms)
        width = min(38, max(t.width - t.scale for t in terms) + scale + len(terms))
        known = " OR ".join(f"{x.v} IS NULL" for x in operands if not is_constant(x))
        body = " + ".join(t.v for t in terms)
        value = f"(CASE WHEN {known} THEN NULL ELSE ({body}) END)" if known else f"({body})"
        na = any_true([x for x in (self.strict(operands), f"coalesce({outside}, false)") if x])
        return Sql(value, na, scale, width)

    def dated(self, e: n.Dated) -> Value:
        """runtime.scales.dated: the value of the latest row starting on or before the day (the
        evaluation date, or `on`); NotApplicable where the known day is before the first row."""
        day = self.scalar(self.sql(e.on)) if e.on is not None else Sql(ident(ON))
        rows = [(r.start, self.scalar(self.sql(r.value))) for r in e.rows]
        picks = " ".join(
            f"WHEN {day.v} >= {date_sql(start)} THEN {value.v}" for start, value in reversed(rows)
        )
        value = f"(CASE WHEN {day.v} IS NULL THEN NULL {picks} END)"
        terms = [t for t in (day.na,) if t]
        terms.append(f"coalesce({day.v} < {date_sql(rows[0][0])}, false)")
        for i, (start, row) in enumerate(rows):
            if row.na:  # only the row in force is evaluated, so only its flag counts
                until = f" AND {day.v} < {date_sql(rows[i + 1][0])}" if i + 1 < len(rows) else ""
                terms.append(f"(coalesce({day.v} >= {date_sql(start)}{until}, false) AND {row.na})")
        return Sql(value, any_true(terms), *union(*(x for _, x in rows)))

    def after_caps(
        self, index: int, rule: n.Rule, columns: dict[str, list[str]]
    ) -> dict[str, list[str]]:
        """What runtime.amounts does after the rule's cap: its rounding, on the amount column
        a{index}; a rule under a cap shared with other rules runs case by case (the share
        depends on the other rules' amounts in an order the query does not follow)."""
        name = rule.name.text
        for plan in self.policy.shared_caps:
            if name in plan.members:
                raise Unsupported(f"its amount is shared out under the cap `{plan.name}`")
        rounding = self.policy.roundings.get(name)
        if rounding is None:
            return columns
        suffix = f" AS a{index}"
        result = [
            f"{rounded(c.removesuffix(suffix), rounding.places, rounding.mode)}{suffix}"
            if c.endswith(suffix)
            else c
            for c in columns["result"]
        ]
        return columns | {"result": result}

    def duration(self, e: n.Call) -> Sql:
        """runtime.dates.completed_months in SQL: the months between the two dates' months, less
        one when the last is not complete on the end day; `years_between` is that // 12, in
        months (the base of 月 and 年)."""
        start, end = (self.scalar(self.sql(x)) for x in e.args)
        a, b = start.v, end.v
        if self.policy.conventions.get("missing_day", "month_end") == "month_end":
            # 民法典 art. 202: a month without the start's day ends on its last day.
            short = f"least(day({a}), day(last_day({b}))) > day({b})"
        else:  # next_day: such a month is complete only the day after
            short = f"day({a}) > day({b})"
        raw = (
            f"((year({b}) - year({a})) * 12 + month({b}) - month({a}) - "
            f"(CASE WHEN {short} THEN 1 ELSE 0 END))"
        )
        months = f"(CASE WHEN {raw} < 0 THEN 0 ELSE {raw} END)"  # NULL (unknown) stays NULL
        if e.func == "years_between":
            months = f"({months} // 12 * 12)"
        return Sql(f"CAST({months} AS DECIMAL(18,0))", self.strict([start, end]), 0, 18)


_EMITTERS: dict[type, Callable[[_Generator, Any], Value]] = {
    n.QuantityLit: _Generator.quantity,
    n.PercentLit: _Generator.percent,
    n.BoolLit: lambda g, e: Sql("TRUE" if e.value else "FALSE"),
    n.DateLit: lambda g, e: Sql(date_sql(e.value)),
    n.Ref: _Generator.ref,
    n.Call: _Generator.call,
    n.Index: _Generator.index,
    n.ReadingIs: _Generator.reading_is,
    n.AnyOf: _Generator.labelled,
    n.AllOf: _Generator.labelled,
    n.Arith: _Generator.arith,
    n.Of: _Generator.of,
    n.Compare: _Generator.compare,
    n.Is: _Generator.is_in,
    n.In: _Generator.is_in,
    n.And: _Generator.logic,
    n.Or: _Generator.logic,
    n.Not: _Generator.not_,
    n.If: _Generator.if_,
    n.Tiers: _Generator.tiers,
    n.Schedule: _Generator.schedule,
    n.Progressive: _Generator.progressive,
    n.Dated: _Generator.dated,
    n.Aggregate: _Generator.aggregate,
}
