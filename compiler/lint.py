"""Lint: likely mistakes in a policy that checks, reported as warnings at the offending node.

The checker (checker.py) rejects what cannot be evaluated; `lint` looks for what evaluates but
probably says something the document does not. Each warning names the words as written.

`lint(policy)` checks one document:

- tiers: amounts that do not rise with the threshold in a `highest`/`highest_new` table (a
  higher row paying less than, or the same as, a lower one); rows that mix a word including its
  threshold (达到, 以上, 不少于, >=) with one excluding it (超过, 高于, >); two rows with the same
  non-literal threshold (equal literal thresholds are the checker's error);
- ranges split between the rules of one clause: where one rule's condition ends at the value
  another's begins (`x 不满 12 月` / `x 满 12 月`), both words must not include the value (a
  case gets both) nor both exclude it (a case gets neither);
- caps: a literal cap below a literal amount (or below a tier's or schedule row's literal amount,
  or an `if` branch's), or below what one unit pays at a per-unit rate (`0.2 元/单 × 发货量` with
  `cap 0.1 元`: one 单 is already over the cap);
- values: a share above 100% (`150% of 投资额`); arithmetic on literals that works out negative;
- conditions that can never hold: contradictory ranges (`x 不少于 50 人 and x 不满 40 人`), enum
  tests (`x is A and x is B`, `x is A and x in {B, C}`), readings, booleans (`b and not b`) and
  literal comparisons, through `and`, `all_of`, the `when`s of a rule and named `define`s. A
  rule whose conditions can never all hold is a rule no case can reach; an alternative of
  `or`/`any_of` that cannot hold beside the rest is reported on its own;
- literal dates outside the document's validity; durations beyond 100 years (a literal, a
  schedule year, the validity period) or of zero length (the validity); schedule years that
  fall in no row between two rows (`year 1 to 2`, `year 4 to 5`: year 3);
- documentary readings declared and never used (the checker makes sure every other reading
  is tested): no rule says `reading NAME`, no expression tests
  `reading NAME is …`, and no string of the policy (a note, a target's or define's
  description …) mentions `解读 NAME`, the drafters' way of pointing a target or a task, which
  cannot name a reading, at one; a reading whose options name the header's `counting` is used
  by the header;
- numbering: within each kind (section, clause, task), a number lower than the one before, in
  Chinese numerals (一 … 一百二十) or digits (a number repeated is the checker's error, so
  numbering never restarts within a document).

`lint_folder(policies)` adds what only a folder can tell: a unit of a registry (or of a policy)
that no policy of the folder names (responsible, lead, cooperates, issuer, interpreted_by, via
any alias); two units with the same full name; an alias that repeats its unit's name or is
listed twice. It returns only these folder-level warnings; call `lint` for each policy too.

Decided not to warn: a per-month rate multiplied by a number of years (`200 元/月/间 × 间数 ×
年数`). Measures convert exactly (1 年 = 12 月), so the product is the right amount of 元 for
that many years; multiplying by a count that is not a duration leaves time in the result,
which the checker already rejects as "not money". What the checker already reports (unknown
names and units, mismatched measures, descending or equal literal tiers, repeated clause
numbers, unused inputs, an alias naming two units) is not repeated here.
"""

from __future__ import annotations

import contextlib
import decimal
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeAlias

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.codes import WARNING_CODES
from policyc.compiler.errors import Diagnostic, PolicyError, Severity, Span
from policyc.compiler.files import read_text
from policyc.compiler.i18n import _
from policyc.compiler.project import named_file
from policyc.compiler.signs import NEGATIVE_AMOUNT, may_go_negative, part_to_declare
from policyc.compiler.todos import todo_warnings
from policyc.runtime.quantity import MeasureError, Quantity, format_quantity

MAX_YEARS = 100
_FLIP = {"ge": "le", "gt": "lt", "le": "ge", "lt": "gt", "eq": "eq", "ne": "ne"}
_NEGATE = {"ge": "lt", "gt": "le", "le": "gt", "lt": "ge", "eq": "ne", "ne": "eq"}
_TIME_BASES = {"月": Quantity.of(MAX_YEARS, "年"), "小时": Quantity.of(MAX_YEARS * 366, "日")}

Value: TypeAlias = Quantity | date


def lint(policy: CheckedPolicy) -> list[Diagnostic]:
    """Warnings for one checked policy, in document order."""
    linter = _Linter(policy)
    linter.run()
    todos = todo_warnings(policy.text, policy.file.path, policy.file.asides)
    return _ordered([*linter.found, *todos])


def lint_folder(policies: Sequence[CheckedPolicy]) -> list[Diagnostic]:
    """Warnings about the units of the registries the policies load (and their own `unit`s)."""
    found: list[Diagnostic] = []
    declared: dict[str, n.UnitDecl] = {}  # canonical name -> its declaration, first seen
    seen_files: set[str] = set()
    local: list[n.UnitDecl] = []  # a policy's own units: `lint` reports their problems
    for policy in policies:
        for decl in _unit_decls(policy, seen_files):
            declared.setdefault(decl.name.text, decl)
        local += policy.file.units
    found.extend(lint_units([d for d in declared.values() if d not in local]))
    named = {unit for policy in policies for unit in _named_units(policy)}
    # A registry (`units from`) lists the units of many documents: one that the policies
    # checked here do not name is not unused (a new project copies the whole registry). A unit a
    # policy declares for itself and no policy names is.
    for name, decl in declared.items():
        if name not in named and decl in local:
            found.append(
                _warn(
                    "unused-unit",
                    decl.name.span,
                    _(
                        "unit `{name}` is declared by a policy but named by no policy checked here"
                    ).format(name=name),
                )
            )
    return _ordered(found)


def lint_units(decls: Sequence[n.UnitDecl]) -> list[Diagnostic]:
    """Duplicate full names, and aliases that repeat their unit's name or each other."""
    found: list[Diagnostic] = []
    by_full_name: dict[str, n.UnitDecl] = {}
    for decl in decls:
        if decl.full_name:
            first = by_full_name.setdefault(decl.full_name, decl)
            if first is not decl:
                found.append(_same_full_name(first.name.text, decl))
        seen: set[str] = set()
        for alias in decl.aliases:
            if alias.text == decl.name.text:
                found.append(
                    _warn(
                        "alias-repeats-name",
                        alias.span,
                        _("alias `{alias}` repeats the unit's name").format(alias=alias.text),
                    )
                )
            elif alias.text in seen:
                found.append(
                    _warn(
                        "duplicate-alias",
                        alias.span,
                        _("alias `{alias}` is listed twice").format(alias=alias.text),
                    )
                )
            seen.add(alias.text)
    return found


# ---- helpers ----------------------------------------------------------------------------------


def _warn(code: str, span: Span, message: str) -> Diagnostic:
    assert code in WARNING_CODES, code  # a new check registers its code in codes.py
    return Diagnostic(span, message, severity=Severity.WARNING, code=code)


def _same_full_name(first: str, decl: n.UnitDecl) -> Diagnostic:
    return _warn(
        "same-full-name",
        decl.name.span,
        _(
            "units `{first}` and `{decl_name}` have the same full name “{decl_full_name}”; "
            "make one an alias of the other"
        ).format(
            first=first,
            decl_name=decl.name.text,
            decl_full_name=decl.full_name,
        ),
    )


def _ordered(found: Iterable[Diagnostic]) -> list[Diagnostic]:
    unique = {(d.span, d.message): d for d in found}
    return sorted(unique.values(), key=lambda d: (d.span.file, d.span.line, d.span.column))


def _unit_decls(policy: CheckedPolicy, seen_files: set[str]) -> Iterator[n.UnitDecl]:
    from policyc.compiler.parser import parse

    if policy.header.registry_file:
        shown = Path(policy.file.path).parent / policy.header.registry_file
        units: tuple[n.UnitDecl, ...] = ()
        with contextlib.suppress(OSError, ValueError, PolicyError):  # the checker reported it
            path = named_file(Path(policy.file.path), policy.header.registry_file, "units from")
            if str(path) not in seen_files:
                seen_files.add(str(path))
                units = parse(read_text(path), str(shown)).units
        yield from units
    yield from policy.file.units


def _named_units(policy: CheckedPolicy) -> Iterator[str]:
    file, header = policy.file, policy.header
    names: list[n.Name] = [x for x in (header.issuer, header.interpreted_by) if x is not None]
    for section in file.sections:
        names += [*section.leads, *section.responsible]
    for clause in file.all_clauses():
        names += [*clause.leads, *clause.responsible]
    for _owner, rule in file.all_rules():
        names += [*rule.responsible, *rule.cooperates]
    for name in names:
        unit = policy.registry.resolve(name.text)
        if unit is not None:
            yield unit.name


def fold(expr: n.Expr) -> Value | None:
    """The value of an expression made of literals only, else None."""
    try:
        return _fold(expr)
    except (MeasureError, ArithmeticError, TypeError, ValueError):
        return None


def _fold(expr: n.Expr) -> Value | None:
    if isinstance(expr, n.QuantityLit):
        return Quantity.of(expr.number, expr.measure)
    if isinstance(expr, n.PercentLit):
        return Quantity.ratio(expr.number)
    if isinstance(expr, n.DateLit):
        return expr.value
    if isinstance(expr, n.Arith | n.Of):
        left, right = (
            (expr.left, expr.right) if isinstance(expr, n.Arith) else (expr.ratio, expr.base)
        )
        a, b = _fold(left), _fold(right)
        if not isinstance(a, Quantity) or not isinstance(b, Quantity):
            return None
        op = expr.op if isinstance(expr, n.Arith) else "×"
        return a + b if op == "+" else a - b if op == "-" else a * b
    if isinstance(expr, n.Call) and expr.func in ("min", "max") and len(expr.args) == 2:
        a, b = _fold(expr.args[0]), _fold(expr.args[1])
        if isinstance(a, Quantity) and isinstance(b, Quantity):
            return min(a, b) if expr.func == "min" else max(a, b)
    return None


def _shown(value: Value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return format_quantity(value)


def _negative(value: Value | None) -> bool:
    return isinstance(value, Quantity) and value.value < 0


def _less(a: Value, b: Value) -> bool | None:
    """a < b, or None when they cannot be compared."""
    try:
        return bool(a < b)  # type: ignore[operator]
    except (MeasureError, TypeError):
        return None


_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_POWERS = {"十": 10, "百": 100, "千": 1000}


def number_value(text: str) -> int | None:
    """`十七` → 17, `一百二十` → 120, `4` → 4; None for anything else."""
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch not in _POWERS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None:
                return None  # two digits in a row: not a numeral as documents write them
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _POWERS[ch]
            digit = None
    return total + (digit or 0)


# ---- facts about a conjunction of conditions --------------------------------------------------

# A node as written, or a description of where a fact comes from.
Origin: TypeAlias = n.Expr | n.Threshold | str


@attrs.frozen
class _Bound:
    value: Value
    inclusive: bool
    origin: Origin
    shown: str = ""  # the value as written


@attrs.define
class _Range:
    low: _Bound | None = None
    high: _Bound | None = None
    equal: _Bound | None = None
    unequal: list[_Bound] = attrs.Factory(list)


@attrs.define
class _Members:
    allowed: frozenset[str] | None = None
    allowed_by: Origin = ""
    excluded: dict[str, Origin] = attrs.Factory(dict)


Conflict: TypeAlias = tuple[Origin, Origin | None]  # the two facts that exclude each other (or one)


@attrs.define
class _Facts:
    ranges: dict[object, _Range] = attrs.Factory(dict)
    members: dict[object, _Members] = attrs.Factory(dict)

    def copy(self) -> _Facts:
        return _Facts(
            {k: attrs.evolve(v, unequal=list(v.unequal)) for k, v in self.ranges.items()},
            {k: attrs.evolve(v, excluded=dict(v.excluded)) for k, v in self.members.items()},
        )

    def bound(
        self, key: object, op: str, value: Value, origin: Origin, shown: str = ""
    ) -> Conflict | None:
        r = self.ranges.setdefault(key, _Range())
        new = _Bound(value, op in ("ge", "le", "eq"), origin, shown)
        try:
            if op in ("ge", "gt"):
                if r.low is None or _tighter_low(new, r.low):
                    r.low = new
            elif op in ("le", "lt"):
                if r.high is None or _tighter_high(new, r.high):
                    r.high = new
            elif op == "eq":
                if r.equal is not None and r.equal.value != value:
                    return r.equal.origin, origin
                r.equal = new
            else:
                r.unequal.append(new)
            return _range_conflict(r)
        except (MeasureError, TypeError):
            return None

    def member(
        self, key: object, allowed: Iterable[str], excluded: bool, origin: Origin
    ) -> Conflict | None:
        m = self.members.setdefault(key, _Members())
        names = frozenset(allowed)
        if excluded:
            for name in names:
                m.excluded.setdefault(name, origin)
        elif m.allowed is None:
            m.allowed, m.allowed_by = names, origin
        else:
            narrowed = m.allowed & names
            if not narrowed:
                return _later(m.allowed_by, origin)
            m.allowed, m.allowed_by = narrowed, origin
        if m.allowed is not None and m.allowed <= set(m.excluded):
            blocker = m.excluded[min(m.allowed)]
            return _later(m.allowed_by, blocker)
        return None


def _tighter_low(new: _Bound, old: _Bound) -> bool:
    return bool(new.value > old.value or (new.value == old.value and not new.inclusive))  # type: ignore[operator]


def _tighter_high(new: _Bound, old: _Bound) -> bool:
    return bool(new.value < old.value or (new.value == old.value and not new.inclusive))  # type: ignore[operator]


def _excludes(low: _Bound, high: _Bound) -> bool:
    if low.value > high.value:  # type: ignore[operator]
        return True
    return bool(low.value == high.value and not (low.inclusive and high.inclusive))


def _range_conflict(r: _Range) -> Conflict | None:
    if r.low is not None and r.high is not None and _excludes(r.low, r.high):
        return _later(r.low.origin, r.high.origin)
    if r.equal is not None:
        if r.low is not None and _excludes(r.low, r.equal):
            return _later(r.low.origin, r.equal.origin)
        if r.high is not None and _excludes(r.equal, r.high):
            return _later(r.high.origin, r.equal.origin)
        for unequal in r.unequal:
            if unequal.value == r.equal.value:
                return _later(unequal.origin, r.equal.origin)
    return None


def _position(origin: Origin) -> tuple[int, int]:
    return (0, 0) if isinstance(origin, str) else (origin.span.line, origin.span.column)


def _later(a: Origin, b: Origin) -> Conflict:
    return (a, b) if _position(a) <= _position(b) else (b, a)


# ---- the linter -------------------------------------------------------------------------------


class _Linter:
    def __init__(self, policy: CheckedPolicy):
        self.policy = policy
        self.file = policy.file
        self.lines = policy.text.splitlines()
        self.found: list[Diagnostic] = []
        self.header = policy.header
        self.never: set[str] = set()  # defines that can never hold

    def warn(self, code: str, span: Span, message: str) -> None:
        self.found.append(_warn(code, span, message))

    def written(self, origin: Origin) -> str:
        """A node as the policy writes it (its first line, shortened), or a description."""
        if isinstance(origin, str):
            return origin
        span = origin.span
        if not 1 <= span.line <= len(self.lines):
            return "…"
        line = self.lines[span.line - 1]
        end = span.end_column - 1 if span.end_line == span.line else len(line)
        text = " ".join(line[span.column - 1 : end].split())
        return text if len(text) <= 60 else text[:59] + "…"

    def run(self) -> None:
        self.check_defines()
        self.check_rules()
        for expr in self.all_expressions():
            self.check_expression(expr)
        self.check_ranges_between_rules()
        self.check_dates()
        self.check_validity()
        self.check_readings()
        self.check_numbering()
        self.check_units()

    # ---- what there is to look at ----
    def rule_expressions(self, rule: n.Rule) -> Iterator[n.Expr]:
        yield from rule.whens
        if isinstance(rule.amount, n.Expr):
            yield rule.amount
        if rule.cap is not None:
            yield rule.cap.amount
        for limit in rule.limits:
            yield limit.amount

    def all_expressions(self) -> Iterator[n.Expr]:
        for _owner, rule in self.file.all_rules():
            yield from self.rule_expressions(rule)
        for define in self.file.all_defines():
            yield define.expr
        for _owner, target in self.file.all_targets():
            yield target.value
            if target.tolerance is not None:
                yield target.tolerance

    # ---- conditions ----
    def check_rules(self) -> None:
        for _owner, rule in self.file.all_rules():
            if rule.whens:
                self.report_conditions(
                    list(rule.whens),
                    _("rule `{rule_name}` can never apply").format(rule_name=rule.name.text),
                )
            if isinstance(rule.amount, n.Expr):
                self.check_amount(rule)
                self.check_sign(rule.amount, rule.whens)

    def check_sign(self, amount: n.Expr, whens: tuple[n.Expr, ...] = ()) -> None:
        found = may_go_negative(amount, self.policy, fold, whens)
        if found is not None:
            part = part_to_declare(found, self.policy)
            bounded = f"max({self.written(found)}, 0 …)"
            self.found.append(
                Diagnostic(
                    found.span,
                    _(
                        "the amount can come out below zero: `{self_written_found}` takes away "
                        "what may be more than it takes it from"
                    ).format(
                        self_written_found=self.written(found),
                    ),
                    (
                        _(
                            "declare what is taken away `part of` what it is taken from "
                            "(`input {part}`), say when it is not below it (`when …`), or "
                            "bound it: `{bounded}`"
                        ).format(part=part, bounded=bounded)
                        if part
                        else _(
                            "say when it is not below what it is taken from (`when …`), or "
                            "bound it: `{bounded}`"
                        ).format(bounded=bounded)
                    ),
                    Severity.WARNING,
                    code=NEGATIVE_AMOUNT,
                )
            )

    def check_defines(self) -> None:
        for define in self.file.all_defines():
            if not define.decided:
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
        conflict = self.solve(conjuncts, _Facts(), dead, set())
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
        facts: _Facts,
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
        """The conjuncts, with `and`, `all_of` and named conditions opened; each with whether
        it is written here (False for what comes from a `define`)."""
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
            else:
                yield expr, own

    def is_condition(self, name: str) -> bool:
        define = self.policy.defines.get(name)
        return define is not None and not define.decided and name not in self.policy.inputs

    def add_fact(self, facts: _Facts, expr: n.Expr) -> Conflict | None:
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
            return None
        if isinstance(node, n.Compare):
            return self.compare_fact(facts, node, negated, expr)
        return None

    def compare_fact(
        self, facts: _Facts, node: n.Compare, negated: bool, origin: n.Expr
    ) -> Conflict | None:
        op = _NEGATE[node.op] if negated else node.op
        left, right = fold(node.left), fold(node.right)
        if left is not None and right is not None:
            holds = _holds(op, left, right)
            return (origin, None) if holds is False else None
        if right is not None:
            return facts.bound(node.left, op, right, origin, self.written(node.right))
        if left is not None:
            return facts.bound(node.right, _FLIP[op], left, origin, self.written(node.left))
        return None

    # ---- ranges split between the rules of a clause ----
    def check_ranges_between_rules(self) -> None:
        owners: dict[int, list[n.Rule]] = {}
        for owner, rule in self.file.all_rules():
            owners.setdefault(id(owner), []).append(rule)
        for rules in owners.values():
            by_subject: dict[object, list[tuple[n.Rule, _Range]]] = {}
            atoms: dict[int, list[n.Expr]] = {}
            for rule in rules:
                facts = _Facts()
                atoms[id(rule)] = [
                    expr
                    for expr, _ in self.flatten(rule.whens, set())
                    if not isinstance(expr, n.Or | n.AnyOf)
                ]
                for expr in atoms[id(rule)]:
                    self.add_fact(facts, expr)
                for subject, r in facts.ranges.items():
                    by_subject.setdefault(subject, []).append((rule, r))
            for subject, entries in by_subject.items():
                for (rule_a, high), (rule_b, low) in self.meetings(entries):
                    if high.inclusive != low.inclusive:
                        continue  # one includes the value, the other does not: a clean cut
                    others = [
                        expr
                        for expr in (*atoms[id(rule_a)], *atoms[id(rule_b)])
                        if not _constrains(expr, subject)
                    ]
                    if self.solve(others, _Facts(), [], set()) is None:  # the same cases
                        self.report_meeting(rule_a, high, rule_b, low)

    def meetings(
        self, entries: list[tuple[n.Rule, _Range]]
    ) -> Iterator[tuple[tuple[n.Rule, _Bound], tuple[n.Rule, _Bound]]]:
        """Pairs of rules where one's range ends at the value where the other's begins."""
        starts: dict[object, list[tuple[n.Rule, _Bound]]] = {}
        for rule, r in entries:
            if r.low is not None:
                with contextlib.suppress(TypeError):  # an unhashable value: no match
                    starts.setdefault(r.low.value, []).append((rule, r.low))
        for rule_a, a in entries:
            if a.high is None:
                continue
            try:
                meeting = starts.get(a.high.value, [])
            except TypeError:
                continue
            for rule_b, low in meeting:
                if rule_b is not rule_a:
                    yield (rule_a, a.high), (rule_b, low)

    def report_meeting(self, rule_a: n.Rule, high: _Bound, rule_b: n.Rule, low: _Bound) -> None:
        value = low.shown or _shown(low.value)
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

    # ---- amounts, caps, tiers, values ----
    def check_amount(self, rule: n.Rule) -> None:
        assert isinstance(rule.amount, n.Expr)
        cap = fold(rule.cap.amount) if rule.cap is not None else None
        if not isinstance(cap, Quantity) or rule.cap is None:
            return
        for what, payment in self.payments(rule.amount):
            if _less(cap, payment):
                self.warn(
                    "cap-below-amount",
                    rule.cap.amount.span,
                    _("the cap `{value}` is below {what}: every case that pays is capped").format(
                        value=self.written(rule.cap.amount), what=what
                    ),
                )

    def payments(self, expr: n.Expr) -> Iterator[tuple[str, Quantity]]:
        """The literal amounts an amount can pay, and what one unit pays at a per-unit rate."""
        if isinstance(expr, n.If):
            yield from self.payments(expr.then)
            yield from self.payments(expr.otherwise)
            return
        if isinstance(expr, n.Tiers | n.Schedule):
            for row in expr.rows:
                yield from self.payments(row.amount)
            return
        if isinstance(expr, n.Dated):
            for dated in expr.rows:
                yield from self.payments(dated.value)
            return
        value = fold(expr)
        if isinstance(value, Quantity):
            yield (
                _("the amount `{self_written_expr}`").format(
                    self_written_expr=self.written(expr),
                ),
                value,
            )
            return
        one = self.one_unit(expr)
        if one is not None:
            payment, unit = one
            yield (
                _("what `{self_written_expr}` pays for one {unit} ({shown_payment})").format(
                    self_written_expr=self.written(expr),
                    unit=unit,
                    shown_payment=_shown(payment),
                ),
                payment,
            )

    def one_unit(self, expr: n.Expr) -> tuple[Quantity, str] | None:
        """`0.2 元/单 × 发货量` → (0.2 元, "单"): the product with every input at one unit."""
        if not isinstance(expr, n.Arith) or expr.op != "×":
            return None
        factors: list[n.Expr] = []
        stack: list[n.Expr] = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, n.Arith) and node.op == "×":
                stack += [node.right, node.left]
            else:
                factors.append(node)
        product: Quantity | None = None
        units: list[str] = []
        for factor in factors:
            value = fold(factor)
            if value is None:
                measure = self.measure_of(factor)
                if measure is None:
                    return None
                value = Quantity.of(1, measure)
                units.append(measure)
            if not isinstance(value, Quantity):
                return None
            try:
                product = value if product is None else product * value
            except (MeasureError, ArithmeticError):
                return None
        if product is None or not units or len(factors) == len(units):
            return None
        return product, "、".join(units)

    def measure_of(self, expr: n.Expr) -> str | None:
        """The declared measure of the input an expression counts in (`(年发货量 - 口罩发货量)`
        counts in 单), when it is that simple."""
        if isinstance(expr, n.Ref):
            info = self.policy.inputs.get(expr.name)
            if info is not None and info.type.kind == "quantity" and info.measure is not None:
                return info.measure.name or None
            return None
        if isinstance(expr, n.Arith) and expr.op in "+-":
            return self.measure_of(expr.left)
        if isinstance(expr, n.Call) and expr.func in ("min", "max") and expr.args:
            return self.measure_of(expr.args[0])
        return None

    def check_expression(self, expr: n.Expr) -> None:
        negative_seen: list[Span] = []
        for node in n.walk(expr):
            if isinstance(node, n.Of) and isinstance(node.ratio, n.PercentLit):
                try:
                    over = decimal.Decimal(node.ratio.number) > 100
                except decimal.InvalidOperation:
                    over = False
                if over:
                    self.warn(
                        "share-over-whole",
                        node.ratio.span,
                        _(
                            "`{self_written_node}` takes more than the whole: a share is at most "
                            "100%"
                        ).format(self_written_node=self.written(node)),
                    )
            if isinstance(node, n.Arith) and node.op == "-" and not _inside(node, negative_seen):
                value = fold(node)
                if _negative(value):
                    assert value is not None
                    negative_seen.append(node.span)
                    self.warn(
                        "negative-value",
                        node.span,
                        _(
                            "`{self_written_node}` works out to {shown_value}: amounts, rates "
                            "and thresholds are never negative"
                        ).format(
                            self_written_node=self.written(node),
                            shown_value=_shown(value),
                        ),
                    )
            if isinstance(node, n.QuantityLit):
                self.check_duration(node)
            if isinstance(node, n.Tiers):
                self.check_tiers(node)
            if isinstance(node, n.Schedule):
                self.check_schedule(node)

    def check_duration(self, node: n.QuantityLit) -> None:
        value = fold(node)
        if not isinstance(value, Quantity) or len(value.dims) != 1:
            return
        base, power = value.dims[0]
        limit = _TIME_BASES.get(base)
        if limit is not None and power == 1 and value > limit:
            self.warn(
                "long-duration",
                node.span,
                _("`{self_written_node}` is a duration beyond {MAX_YEARS} years").format(
                    self_written_node=self.written(node),
                    MAX_YEARS=MAX_YEARS,
                ),
            )

    def check_tiers(self, tiers: n.Tiers) -> None:
        rows = tiers.rows
        first = rows[0].threshold if rows else None
        for i, row in enumerate(rows):
            threshold = row.threshold
            if first is not None and _inclusive(threshold.op) != _inclusive(first.op):
                self.warn(
                    "mixed-boundaries",
                    threshold.span,
                    _(
                        "tier rows mix boundary words: `{threshold_word}` "
                        "{value} its threshold, "
                        "row 1's `{first_word}` "
                        "{value2} its own; "
                        "a tier table uses one word throughout"
                    ).format(
                        threshold_word=threshold.word,
                        value="includes" if _inclusive(threshold.op) else "excludes",
                        first_word=first.word,
                        value2="includes" if _inclusive(first.op) else "excludes",
                    ),
                )
            for j, earlier in enumerate(rows[:i]):
                same = earlier.threshold.value == threshold.value
                if same and earlier.threshold.op == threshold.op and fold(threshold.value) is None:
                    self.warn(
                        "same-threshold",
                        threshold.span,
                        _("this row has the same threshold as row {j_1} (`{value}`)").format(
                            j_1=j + 1,
                            value=self.written(earlier.threshold.value),
                        ),
                    )
            if tiers.mode not in ("highest", "highest_new") or i == 0:
                continue
            amount, lower = fold(row.amount), fold(rows[i - 1].amount)
            if amount is None or lower is None:
                continue
            if _less(amount, lower) or amount == lower:
                relation = _("less than") if amount != lower else _("the same as")
                below = rows[i - 1]
                self.warn(
                    "tiers-descend",
                    row.amount.span,
                    _(
                        "tier amounts run the wrong way: `{self_written_threshold}` pays "
                        "`{self_written_row_amount}`, {relation} `{value}` "
                        "for `{value2}` below it; in `{tiers_mode}` "
                        "mode a higher row pays more"
                    ).format(
                        self_written_threshold=self.written(threshold),
                        self_written_row_amount=self.written(row.amount),
                        relation=relation,
                        value=self.written(below.amount),
                        value2=self.written(below.threshold),
                        tiers_mode=tiers.mode,
                    ),
                )

    def check_schedule(self, schedule: n.Schedule) -> None:
        last = 0
        for row in schedule.rows:
            if last and row.first > last + 1:
                gap = (
                    _("year {last_1} falls").format(last_1=last + 1)
                    if row.first == last + 2
                    else _("years {last_1}–{row_first_1} fall").format(
                        last_1=last + 1,
                        row_first_1=row.first - 1,
                    )
                )
                self.warn(
                    "schedule-gap",
                    row.span,
                    _(
                        "{gap} in no row of the schedule: it pays nothing between year {last} "
                        "and year {row_first}"
                    ).format(gap=gap, last=last, row_first=row.first),
                )
            if row.last > MAX_YEARS:
                self.warn(
                    "long-duration",
                    row.span,
                    _("year {row_last} of a schedule is beyond {MAX_YEARS} years").format(
                        row_last=row.last,
                        MAX_YEARS=MAX_YEARS,
                    ),
                )
            last = max(last, row.last)

    # ---- dates and validity ----
    def check_dates(self) -> None:
        start, end = self.header.valid_from, self.policy.valid_until
        if start is None or end is None:
            return
        for expr in self.all_expressions():
            for node in n.walk(expr):
                if not isinstance(node, n.DateLit):
                    continue
                if node.value < start:
                    where = _("before the policy takes effect ({start_isoformat})").format(
                        start_isoformat=start.isoformat(),
                    )
                elif node.value > end:
                    where = _("after the policy ends ({end_isoformat})").format(
                        end_isoformat=end.isoformat(),
                    )
                else:
                    continue
                self.warn(
                    "date-outside-validity",
                    node.span,
                    _("the date {node_value_isoformat} is {where}").format(
                        node_value_isoformat=node.value.isoformat(),
                        where=where,
                    ),
                )

    def check_validity(self) -> None:
        length = self.header.valid_for
        if length is None:
            return
        value = fold(length)
        if not isinstance(value, Quantity):
            return
        if value.is_zero():
            self.warn(
                "zero-validity",
                length.span,
                _("a validity of zero length: the policy is never in force"),
            )
        else:
            self.check_duration(length)

    # ---- readings ----
    def check_readings(self) -> None:
        used: set[str] = set()
        for _owner, rule in self.file.all_rules():
            used |= {name.text for name in rule.readings}
        for expr in self.all_expressions():
            used |= {node.reading for node in n.walk(expr) if isinstance(node, n.ReadingIs)}
        counting = self.header.counting.text if self.header.counting else None
        texts: str | None = None  # every string of the file: joined only when one is needed
        for decl in self.file.readings:
            name = decl.name.text
            if not decl.documentary:
                continue  # the checker makes sure an expression or the validity follows it
            if name in used or counting in {o.name for o in decl.options}:
                continue
            if texts is None:
                texts = "\n".join(_strings(self.file, skip=self.file.readings))
            others = "\n".join(_strings(self.file.readings, skip=decl))
            mention = re.compile(rf"解读\s*{re.escape(name)}(?![\w·])")
            if mention.search(texts) or mention.search(others):
                continue
            self.warn(
                "unused-reading",
                decl.name.span,
                _(
                    "reading `{name}` is declared but nothing uses it: no rule says "
                    "`reading {name}`, no condition tests `reading {name} is …`, and no note or "
                    "description mentions `解读 {name}`"
                ).format(name=name),
            )

    # ---- the policy's own units ----
    def check_units(self) -> None:
        """The policy's own `unit`s against each other and the registry it loads."""
        order = list(self.policy.registry.units.values())
        for decl in self.file.units:
            found = lint_units([decl])
            for unit in order:
                if unit.name == decl.name.text:
                    break
                if decl.full_name and unit.full_name == decl.full_name:
                    found.append(_same_full_name(unit.name, decl))
                    break
            self.found.extend(found)

    # ---- numbering ----
    def check_numbering(self) -> None:
        items: list[tuple[Span, str, str]] = []  # span, kind, number
        for part in self.file.sections:
            items.append((part.span, "section", part.number))
            items += [(c.span, c.kind, c.number) for c in part.clauses]
        items += [(c.span, c.kind, c.number) for c in self.file.clauses]
        items.sort(key=lambda item: (item[0].line, item[0].column))
        previous: dict[str, tuple[int, str]] = {}
        for span, kind, number in items:
            value = number_value(number)
            if value is None:
                continue
            before = previous.get(kind)
            previous[kind] = (value, number)
            if before is None or value >= before[0]:
                continue
            self.warn(
                "numbering-order",
                span,
                _(
                    "{kind} {number} comes after {kind} {before_1}: numbering should ascend "
                    "in document order"
                ).format(kind=kind, number=number, before_1=before[1]),
            )


def _strings(node: object, skip: object) -> Iterator[str]:
    """Every string of the AST (notes, descriptions, quotes …), except under `skip`."""
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if item is skip:
            continue
        if isinstance(item, str):
            yield item
        elif isinstance(item, tuple):
            stack.extend(item)
        elif attrs.has(type(item)):
            stack.extend(attrs.astuple(item, recurse=False))


def _constrains(expr: n.Expr, subject: object) -> bool:
    while isinstance(expr, n.Not):
        expr = expr.operand
    return isinstance(expr, n.Compare) and subject in (expr.left, expr.right)


def _holds(op: str, left: Value, right: Value) -> bool | None:
    try:
        if op == "eq":
            return left == right
        if op == "ne":
            return left != right
        less, greater = _less(left, right), _less(right, left)
    except (MeasureError, TypeError):
        return None
    if less is None or greater is None:
        return None
    return {"lt": less, "gt": greater, "le": not greater, "ge": not less}[op]


def _inclusive(op: str) -> bool:
    return op in ("ge", "le", "eq")


def _span_of(origin: Origin, fallback: Span) -> Span:
    return fallback if isinstance(origin, str) else origin.span


def _inside(node: n.Expr, spans: list[Span]) -> bool:
    here = (node.span.line, node.span.column)
    return any((s.line, s.column) <= here <= (s.end_line, s.end_column) for s in spans)
