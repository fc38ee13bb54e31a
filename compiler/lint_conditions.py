"""Lint: conditions that can never hold, and ranges split between the rules of one clause.

Through `and`, `all_of`, the `when`s of a rule and named `define`s, `solve` finds two facts that
exclude each other (`never-holds`); an alternative of `or`/`any_of` that cannot hold beside the
rest is `dead-alternative`. Where one rule's range ends at the value another's begins, both
words must not include the value nor both exclude it (`ranges-meet`). Rules that one
`choose highest of …` lists are neither `tiers-overlap` nor `ranges-meet` where both include the
value: the choice pays one of them (both excluding it still leaves a gap, and is said).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import TypeAlias

from policyc.compiler import nodes as n
from policyc.compiler.errors import Span
from policyc.compiler.i18n import _
from policyc.compiler.lint_base import LintContext, Origin
from policyc.compiler.lint_facts import Bound, Conflict, Facts, Range
from policyc.compiler.lint_values import fold, literal_holds, value_text

_FLIP = {"ge": "le", "gt": "lt", "le": "ge", "lt": "gt", "eq": "eq", "ne": "ne"}
_NEGATE = {"ge": "lt", "gt": "le", "le": "gt", "lt": "ge", "eq": "ne", "ne": "eq"}
_BRANCHES = 16  # the most alternatives a rule's conditions are opened into for `ranges-meet`
_Entry: TypeAlias = tuple[n.Rule, list[n.Expr], Range]  # a rule, one alternative, one range
_Met: TypeAlias = tuple[n.Rule, list[n.Expr], Bound]


class ConditionChecks(LintContext):
    def check_defines(self) -> None:
        for define in self.file.all_defines():
            if self.is_condition(define.name.text):
                name = define.name.text
                if self.report_conditions(
                    [define.expr],
                    _("`{name}` can never hold").format(
                        name=name,
                    ),
                ):
                    self.never.add(name)
        for expr in self.all_expressions():
            for node in n.walk(expr):
                if isinstance(node, n.If):
                    self.report_conditions([node.cond], _("this `if` condition can never hold"))

    def report_conditions(self, conjuncts: list[n.Expr], what: str) -> bool:
        """Warn when the conjunction can never hold (True) or an alternative in it cannot."""
        dead: list[tuple[n.Expr, Conflict]] = []
        conflict = self.solve(conjuncts, Facts(), dead, set())
        if conflict is not None:
            self.warn(
                "never-holds", self.at(conflict, conjuncts[-1]), f"{what}: {self.explain(conflict)}"
            )
            return True
        for alternative, why in dead:
            if isinstance(alternative, n.Ref) and alternative.name in self.never:
                continue  # the define itself is reported
            self.warn(
                "dead-alternative",
                alternative.span,
                _("this alternative can never hold: {self_explain_why}").format(
                    self_explain_why=self.explain(why),
                ),
            )
        return False

    def at(self, conflict: Conflict, fallback: n.Expr) -> Span:
        for origin in (conflict[1], conflict[0]):
            if origin is not None and not isinstance(origin, str):
                return origin.span
        return fallback.span

    def explain(self, conflict: Conflict) -> str:
        first, second = conflict
        if second is None:
            return _("`{self_written_first}` never holds").format(
                self_written_first=self.written(first),
            )
        return _("`{self_written_first}` and `{self_written_second}` cannot both hold").format(
            self_written_first=self.written(first),
            self_written_second=self.written(second),
        )

    def solve(
        self,
        conjuncts: Iterable[n.Expr],
        facts: Facts,
        dead: list[tuple[n.Expr, Conflict]],
        expanding: set[str],
    ) -> Conflict | None:
        """The two facts of `conjuncts` (on top of `facts`) that exclude each other, if any;
        alternatives of an `or` that cannot hold beside the rest go to `dead`."""
        facts = facts.copy()
        choices: list[tuple[list[n.Expr], bool]] = []
        for expr, own in self.flatten(conjuncts, expanding):
            if isinstance(expr, n.Or | n.AnyOf):
                choices.append((self.alternatives(expr), own))
                continue
            conflict = self.add_fact(facts, expr)
            if conflict is not None:
                return conflict
        for alternatives, own in choices:
            outcomes = []
            for alt in alternatives:
                inner: list[tuple[n.Expr, Conflict]] = []
                outcomes.append((alt, self.solve([alt], facts, inner, expanding), inner))
            if all(outcome is not None for _, outcome, _ in outcomes):
                return outcomes[-1][1]
            for alt, outcome, inner in outcomes:
                if not own:
                    continue  # a `define`'s alternatives are reported with the define
                if outcome is not None:
                    dead.append((alt, outcome))
                else:
                    dead.extend(inner)
        return None

    def alternatives(self, expr: n.Or | n.AnyOf) -> list[n.Expr]:
        if isinstance(expr, n.AnyOf):
            return [item.expr for item in expr.items]
        found: list[n.Expr] = []
        stack: list[n.Expr] = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, n.Or):
                stack += [node.right, node.left]
            else:
                found.append(node)
        return found

    def flatten(
        self, conjuncts: Iterable[n.Expr], expanding: set[str]
    ) -> Iterator[tuple[n.Expr, bool]]:
        """The conjuncts, with `and`, `all_of` and named conditions opened (the name given as
        well, before what it opens to); each with whether it is written here (False for what
        comes from a `define`)."""
        stack = [(expr, True) for expr in reversed(list(conjuncts))]
        while stack:
            expr, own = stack.pop()
            if isinstance(expr, n.And):
                stack += [(expr.right, own), (expr.left, own)]
            elif isinstance(expr, n.AllOf):
                stack += [(item.expr, own) for item in reversed(expr.items)]
            elif isinstance(expr, n.Ref) and self.is_condition(expr.name):
                if expr.name not in expanding:
                    expanding = expanding | {expr.name}
                    stack.append((self.policy.defines[expr.name].expr, False))
                    yield expr, own  # the name too: `not 占道较重` elsewhere excludes it
            else:
                yield expr, own

    def is_condition(self, name: str) -> bool:
        define = self.policy.defines.get(name)
        if define is None or define.decided or name in self.policy.inputs:
            return False
        kind = self.policy.define_types.get(name)  # a `define` of a value is no condition
        return kind is None or kind.kind == "bool"

    def add_fact(self, facts: Facts, expr: n.Expr) -> Conflict | None:
        negated = False
        node = expr
        while isinstance(node, n.Not):
            negated, node = not negated, node.operand
        if isinstance(node, n.BoolLit):
            return (expr, None) if node.value == negated else None
        if isinstance(node, n.Is | n.In):
            members = (node.member,) if isinstance(node, n.Is) else node.members
            return facts.member(node.subject, members, negated, expr)
        if isinstance(node, n.ReadingIs):
            return facts.member(("reading", node.reading), (node.option,), negated, expr)
        if isinstance(node, n.Ref):
            info = self.policy.inputs.get(node.name)
            if info is not None and info.type.kind == "bool":
                return facts.member(node, ("true",), negated, expr)
            if self.is_condition(node.name):  # a named condition, held or excluded by name
                return facts.member(("define", node.name), ("true",), negated, expr)
            return None
        if isinstance(node, n.Compare):
            return self.compare_fact(facts, node, negated, expr)
        return None

    def compare_fact(
        self, facts: Facts, node: n.Compare, negated: bool, origin: n.Expr
    ) -> Conflict | None:
        op = _NEGATE[node.op] if negated else node.op
        left, right = fold(node.left), fold(node.right)
        if left is not None and right is not None:
            holds = literal_holds(op, left, right)
            return (origin, None) if holds is False else None
        if right is not None:
            return facts.bound(node.left, op, right, origin, self.written(node.right))
        if left is not None:
            return facts.bound(node.right, _FLIP[op], left, origin, self.written(node.left))
        return None

    def check_ranges_between_rules(self) -> None:
        """`ranges-meet` among rules that stand for one another: the rules of one clause, and
        across the document the rules of one `kind` for one `beneficiary` that have an amount
        (the tiers of one fine, 一般/较重/严重, each in its own clause). A rule whose `when`s
        hold an `or` (opened through its `define`s) is compared alternative by alternative."""
        groups: dict[tuple[str, object, str], list[n.Rule]] = {}
        for owner, rule in self.file.all_rules():
            groups.setdefault(("clause", id(owner), ""), []).append(rule)
            if rule.kind and _has_amount(rule):
                groups.setdefault(("kind", rule.kind, rule.beneficiary), []).append(rule)
        reported: set[tuple[int, ...]] = set()
        for key, rules in groups.items():
            if len(rules) > 1:
                self.ranges_meet_among(rules, reported)
                if key[0] == "kind":
                    self.tiers_overlap_among(rules)

    def tiers_overlap_among(self, rules: list[n.Rule]) -> None:
        """`tiers-overlap`: two rules of one kind for one beneficiary, in different clauses, whose
        ranges of one value do not overlap (tiers: 不超过5平方米, 超过5平方米), and yet an
        alternative of each can hold together — by another road (一年内第二次) both apply."""
        opened = [(rule, self.branches(rule.whens)) for rule in rules]
        owner = {id(rule): id(o) for o, rule in self.file.all_rules()}
        for i, (rule_a, alts_a) in enumerate(opened):
            for rule_b, alts_b in opened[i + 1 :]:
                if owner[id(rule_a)] == owner[id(rule_b)] or not self.tiers(alts_a, alts_b):
                    continue
                if _one_choice(self.file, rule_a, rule_b):
                    continue  # `choose highest of` keeps one of the two: nothing charged twice
                # Another road: alternatives that bound no value in common (where they do, the
                # ranges are apart, or meet at one value, which `ranges-meet` reports).
                pairs = [
                    (a, b)
                    for a in alts_a
                    for b in alts_b
                    if not _ranges(self, a).keys() & _ranges(self, b).keys()
                ]
                both = next(
                    (p for p in pairs if self.solve([*p[0], *p[1]], Facts(), [], set()) is None),
                    None,
                )
                if both is not None:
                    self.report_overlap(rule_a, both[0], rule_b, both[1])

    def tiers(self, alts_a: list[list[n.Expr]], alts_b: list[list[n.Expr]]) -> bool:
        """Whether some alternative of each bounds one value, and no two such bounds overlap
        (beyond a value both include, which `ranges-meet` reports)."""
        found = False
        for a in alts_a:
            ranges_a = _ranges(self, a)
            for b in alts_b:
                ranges_b = _ranges(self, b)
                for subject in ranges_a.keys() & ranges_b.keys():
                    facts = Facts()
                    apart = any(
                        self.add_fact(facts, expr) is not None
                        for expr in (*a, *b)
                        if _constrains(expr, subject)
                    )
                    met = facts.ranges.get(subject, Range())
                    if not apart and not _one_value(met):
                        return False  # the two ranges overlap: not tiers of one value
                    found = True
        return found

    def report_overlap(
        self, rule_a: n.Rule, atoms_a: list[n.Expr], rule_b: n.Rule, atoms_b: list[n.Expr]
    ) -> None:
        own = [x for x in atoms_b if x not in atoms_a] + [x for x in atoms_a if x not in atoms_b]
        named = [x for x in own if isinstance(x, n.Ref)] or own
        shown = dict.fromkeys(self.written(x) for x in named[:3])
        when = "、".join(f"`{text}`" for text in shown) or "…"
        self.warn(
            "tiers-overlap",
            rule_b.span,
            _(
                "rules `{first}` and `{second}` are tiers of one {kind} (their ranges do not "
                "overlap), yet both apply when {when}: a case is charged twice; say in the lower "
                "tier's `when` which one applies (`not …` of the other's condition)"
            ).format(first=rule_a.name.text, second=rule_b.name.text, kind=rule_a.kind, when=when),
        )

    def ranges_meet_among(self, rules: list[n.Rule], reported: set[tuple[int, ...]]) -> None:
        by_subject: dict[object, list[tuple[n.Rule, list[n.Expr], Range]]] = {}
        for rule in rules:
            for atoms in self.branches(rule.whens):
                facts = Facts()
                if any(self.add_fact(facts, expr) is not None for expr in atoms):
                    continue  # an alternative that cannot hold meets nothing
                for subject, r in facts.ranges.items():
                    by_subject.setdefault(subject, []).append((rule, atoms, r))
        for subject, entries in by_subject.items():
            for (rule_a, atoms_a, high), (rule_b, atoms_b, low) in self.meetings(entries):
                if high.inclusive != low.inclusive:
                    continue  # one includes the value, the other does not: a clean cut
                if high.inclusive and _one_choice(self.file, rule_a, rule_b):
                    continue  # both include it, and the choice keeps the heavier: no overlap
                key = (id(rule_a), id(rule_b), id(high.origin), id(low.origin))
                if key in reported:
                    continue  # met again in the other group of the two rules
                others = [expr for expr in (*atoms_a, *atoms_b) if not _constrains(expr, subject)]
                if self.solve(others, Facts(), [], set()) is None:  # the same cases
                    reported.add(key)
                    self.report_meeting(rule_a, high, rule_b, low)

    def branches(self, conjuncts: Iterable[n.Expr]) -> list[list[n.Expr]]:
        """The conjunction as alternatives, each a list of atoms (no `and`, `or`, named
        condition left to open): `a and (b or c)` is [[a, b], [a, c]]. Past _BRANCHES
        alternatives, the atoms outside every `or` alone (one list)."""
        atoms: list[n.Expr] = []
        choices: list[list[n.Expr]] = []
        for expr, _own in self.flatten(conjuncts, set()):
            if isinstance(expr, n.Or | n.AnyOf):
                choices.append(self.alternatives(expr))
            else:
                atoms.append(expr)
        found = [atoms]
        for alternatives in choices:
            opened = [branch for alt in alternatives for branch in self.branches([alt])]
            found = [before + branch for before in found for branch in opened]
            if len(found) > _BRANCHES:
                return [atoms]
        return found

    def meetings(self, entries: list[_Entry]) -> Iterator[tuple[_Met, _Met]]:
        """Pairs of rules where one's range ends at the value where the other's begins."""
        starts: dict[object, list[_Met]] = {}
        for rule, atoms, r in entries:
            if r.low is not None:
                with contextlib.suppress(TypeError):  # an unhashable value: no match
                    starts.setdefault(r.low.value, []).append((rule, atoms, r.low))
        for rule_a, atoms_a, a in entries:
            if a.high is None:
                continue
            try:
                meeting = starts.get(a.high.value, [])
            except TypeError:
                continue
            for rule_b, atoms_b, low in meeting:
                if rule_b is not rule_a:
                    yield (rule_a, atoms_a, a.high), (rule_b, atoms_b, low)

    def report_meeting(self, rule_a: n.Rule, high: Bound, rule_b: n.Rule, low: Bound) -> None:
        value = low.shown or value_text(low.value)
        if high.inclusive:
            outcome = _("both include it: a case of exactly {value} meets both").format(value=value)
        else:
            outcome = _("both exclude it: a case of exactly {value} meets neither").format(
                value=value,
            )
        self.warn(
            "ranges-meet",
            _span_of(low.origin, rule_b.span),
            _(
                "`{self_written_high_origin}` (rule `{rule_a_name}`) and "
                "`{self_written_low_origin}` (rule `{rule_b_name}`) meet at {value} "
                "and {outcome}"
            ).format(
                self_written_high_origin=self.written(high.origin),
                rule_a_name=rule_a.name.text,
                self_written_low_origin=self.written(low.origin),
                rule_b_name=rule_b.name.text,
                value=value,
                outcome=outcome,
            ),
        )


def _one_choice(file: n.PolicyFile, rule_a: n.Rule, rule_b: n.Rule) -> bool:
    """Whether one `choose highest of …` lists both rules (it pays one of them only)."""
    pair = {rule_a.name.text, rule_b.name.text}
    return any(pair <= {m.text for m in choice.members} for choice in file.choices)


def _has_amount(rule: n.Rule) -> bool:
    return rule.amount_range is not None or (
        rule.amount is not None and not isinstance(rule.amount, n.Unspecified)
    )


def _ranges(checks: ConditionChecks, atoms: list[n.Expr]) -> dict[object, Range]:
    facts = Facts()
    for expr in atoms:
        checks.add_fact(facts, expr)
    return facts.ranges


def _one_value(r: Range) -> bool:
    """A range of one value, where two tiers meet and both include it (`ranges-meet`)."""
    try:
        return r.low is not None and r.high is not None and bool(r.low.value == r.high.value)
    except TypeError:
        return False


def _constrains(expr: n.Expr, subject: object) -> bool:
    while isinstance(expr, n.Not):
        expr = expr.operand
    return isinstance(expr, n.Compare) and subject in (expr.left, expr.right)


def _span_of(origin: Origin, fallback: Span) -> Span:
    return fallback if isinstance(origin, str) else origin.span
