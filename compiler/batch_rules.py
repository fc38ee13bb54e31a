"""The batch query's rule plans: each rule's, target's and decision's columns at each level of
the query (templates/batch.sql.j2: gate, value, status, result), in the order the per-case
path evaluates them (Ctx.run_rule, run_target, run_decision), and a rule's rounding after its
cap. A status is a small integer (the index in STATUSES).
"""

from __future__ import annotations

from policyc.compiler import nodes as n
from policyc.compiler.batch_expr import Expressions
from policyc.compiler.batch_sql import (
    ON,
    RECEIVED,
    Unsupported,
    any_true,
    date_sql,
    ident,
    literal,
    plain_decimal_text,
    rounded,
)
from policyc.compiler.group_checks import PERIOD_WORDS
from policyc.compiler.i18n import _

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
DECISION_STATUSES = ("decided", "undetermined", "not_in_force")
STATUSES = RULE_STATUSES + TARGET_STATUSES + ("decided",)
APPLIES, UNSPECIFIED, NOT_APPLICABLE, UNDETERMINED, NOT_IN_FORCE, ALREADY_RECEIVED = range(6)
MET, NOT_MET, NOT_REPORTED = range(6, 9)
DECIDED = 9  # a `decide` came to a value (else it is UNDETERMINED)
HOLDS = 10  # the gate: the rule is in force, not received, and its conditions hold


class RulePlanner(Expressions):
    """The columns of each entry of the policy (decisions, rules, targets), as lists of SQL
    per level of the query; raises Unsupported for an entry the query cannot hold."""

    def capped_rule(self, index: int, rule: n.Rule) -> dict[str, list[str]]:
        """The rule's columns, then what follows its cap (rounding, a shared cap)."""
        return self.after_caps(index, rule, self.rule(index, rule))

    def rule(self, index: int, rule: n.Rule) -> dict[str, list[str]]:
        """The rule's columns at each level of the query (see templates/batch.sql.j2), in the
        order of Ctx.run_rule: validity, `once`, the `when`s, the amount, the cap."""
        if rule.each is not None:  # evaluated, and paid, once per member: not one row's value
            raise Unsupported(_("it is paid each member of `{role}`").format(role=rule.each.text))
        if rule.amount_range is not None:  # two ends, not one amount column (amount_ranges.py)
            raise Unsupported(_("its amount is a range (`amount range`)"))
        if rule.cap is not None and rule.cap.days is not None:  # compiler/daily_caps.py
            raise Unsupported(_("its cap is per day over a duration: each day evaluated apart"))
        if rule.apply_by is not None:  # runtime/applications.py: 顺延 reads the calendar
            raise Unsupported(_("it has an applicant's deadline (`apply … by`), judged per case"))
        # In a month's case a rule `per 月` is evaluated once, for that month; anything else
        # (a year's case, `per 年` in a month's) is evaluated period by period.
        if rule.period is not None and not (
            self.period == "month" and PERIOD_WORDS.get(rule.period.text) == "month"
        ):
            raise Unsupported(
                _("its amount is per {period}: evaluated period by period").format(
                    period=rule.period.text
                )
            )
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
            raise Unsupported(_("a decided value that is {kind}").format(kind=kind_of))
        # `decide … per 月` outside a month's case is decided period by period (as a rule's
        # `amount … per`): left to the per-case path.
        if define.period is not None and self.period != PERIOD_WORDS.get(define.period.text):
            raise Unsupported(
                _("its value is per {period}: decided period by period").format(
                    period=define.period.text
                )
            )
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
        # On a day the policy is not in force: not_in_force and no value (Ctx.run_decision).
        bounds = []
        valid_from, valid_until = self.policy.validity_under(self.readings)
        if valid_from is not None:
            bounds.append(f"{ident(ON)} >= {date_sql(valid_from)}")
        if valid_until is not None:
            bounds.append(f"{ident(ON)} <= {date_sql(valid_until)}")
        if bounds:
            na = f"({na} OR NOT ({' AND '.join(bounds)}))"
        out = f"WHEN NOT ({' AND '.join(bounds)}) THEN {NOT_IN_FORCE} " if bounds else ""
        status = (
            f"CAST(CASE {out}WHEN {na} THEN {UNDETERMINED} WHEN ({value.v}) IS NULL THEN "
            f"{UNDETERMINED} ELSE {DECIDED} END AS UTINYINT) AS s{i}"
        )
        shown = f"CASE WHEN NOT {na} THEN {text} END AS x{i}"
        return {"gate": [], "value": [status, shown], "status": [], "result": [f"s{i}", f"x{i}"]}

    def after_caps(
        self, index: int, rule: n.Rule, columns: dict[str, list[str]]
    ) -> dict[str, list[str]]:
        """What runtime.amounts does after the rule's cap: its rounding, on the amount column
        a{index}; a rule under a cap shared with other rules runs case by case (the share
        depends on the other rules' amounts in an order the query does not follow), and so does
        a rule a `choose highest of …` weighs against others."""
        name = rule.name.text
        if any(name in plan.members for plan in self.policy.choices):
            raise Unsupported(
                _("only the highest of the rules of its `choose` is paid (line {line})").format(
                    line=next(p.line for p in self.policy.choices if name in p.members)
                )
            )
        for plan in self.policy.shared_caps:
            if name in plan.members and plan.limit is None:  # 生前工资: each case's own
                raise Unsupported(
                    _(
                        "its amount is shared out under the cap `{cap}`, whose limit the case "
                        "gives ({limit})"
                    ).format(cap=plan.name, limit=plan.limit_text)
                )
            if name in plan.members:
                raise Unsupported(
                    _("its amount is shared out under the cap `{cap}`").format(cap=plan.name)
                )
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
