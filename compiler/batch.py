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

The modules: this one lists the entries and renders the query (BatchProgram); batch_rules.py
plans each entry's columns (statuses, amounts, caps); batch_expr.py holds the expressions' emitters,
batch_scales.py the scales and dates, batch_households.py the aggregates over members, and
batch_sql.py the SQL text they share.

A rule using a construct this module cannot express (a daily series) is listed with the reason in
`BatchRule.fallback`; the caller evaluates that rule case by case with the per-case path.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

import attrs
import jinja2

from policyc.compiler import nodes as n
from policyc.compiler.batch_households import MEMBER, ROLE
from policyc.compiler.batch_rules import (
    DECISION_STATUSES,
    RULE_STATUSES,
    STATUSES,
    TARGET_STATUSES,
    RulePlanner,
)
from policyc.compiler.batch_sql import (
    ON,
    RECEIVED,
    ROW,
    Unsupported,
    comment_text,
    ident,
    literal,
    plain_decimal_text,
)
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.templating import environment
from policyc.runtime.quantity import dims_text, stored_dims_text

__all__ = [
    "DECISION_STATUSES",
    "MEMBER",
    "ON",
    "RECEIVED",
    "ROLE",
    "ROW",
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
    gen = RulePlanner(policy, readings, types or {}, period)
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
            (_rule_info(gen, index, rule), functools.partial(gen.capped_rule, index, rule))
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
        # a plain number as itself (6), a percentage with its sign (60%)
        # the measure the value is held in: 5,000元 a month is the column's 60000 元/年
        return ("percent", "") if kind.percent else ("quantity", stored_dims_text(kind.dims))
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


def _rule_info(gen: RulePlanner, index: int, rule: n.Rule) -> BatchRule:
    unit = ""
    if isinstance(rule.amount, n.Expr):  # the checker's dims (元 for 元/人 × 人)
        checked = dict(gen.policy.people.rule_dims).get(rule.name.text)
        unit = dims_text(gen.dims(rule.amount) if checked is None else checked)
    return BatchRule(
        index=index,
        name=rule.name.text,
        unit=unit,
        has_cap=rule.cap is not None,
        once=rule.once is not None,
        unspecified=isinstance(rule.amount, n.Unspecified),
        fallback="",
    )
