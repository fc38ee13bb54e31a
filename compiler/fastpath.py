"""The straight-line fast path of generated policy code (no `--explain`).

The traced functions (`rule_N(c)`, codegen.py) wrap every condition in a lambda, pass it to a
`Ctx` helper that carries three-valued logic and records steps, and build a result object per
rule. For a case that gives the inputs a rule reads, none of that is needed: a condition is a plain
Python expression over the inputs. So each rule also gets `fast_rule_N(x, r, m, on, until)`:

- `x` the case's inputs, `r` the readings taken, `m` a per-case memo of `define`s, `on` the
  evaluation date, `until` the policy's last day;
- each `when` is an `if not …: return "条件不成立: …"` in order; then the amount, then the cap —
  returning what `rule_N` returns (a reason, or the amount and the amount before the cap);
- an input the case leaves out: where the fast path can say which inputs make an expression
  unknown (its *gate*: every input of a comparison, sum or membership test; the branch a
  reading takes; a tier table's subject or a schedule's anchor, as the whole amount), it checks
  them first (`'年发货量' in x`) and, when one is missing, the value is the unknown of those
  missing, merged in the traced path's order (`missing_of`): so a `when` on a missing input is
  unknown and the next `when` may still be false, as `Ctx.require` says. Elsewhere (and/or,
  products where time cancels…) `x[name]` raises KeyError, the fast function is left, and the
  runtime evaluates that rule on the traced path, which is the whole of three-valued logic
  (runtime/fast.py `evaluate_fast`). Any other exception does the same, so an error is
  always reported by the traced path, in its words.

The module also tells the runtime what its plans per kind of case may rely on (`first_conditions`,
`rule_reads`; runtime/fast.py): the input most rules test first, each such rule's first
condition alone, and the inputs each rule reads.

Both are generated from the same checked AST in the same evaluation order, so on a case where the
fast path finishes it computes what the traced path computes; tests/test_fastpath.py runs both
on every example case and on random cases and compares every field. A construct written here as
`NoFastPath` leaves its rule (or define) on the traced path only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from policyc.compiler import nodes as n
from policyc.compiler.calendar_checks import CALENDAR_FUNCS, refuses_backwards
from policyc.compiler.lookup import reads_a_value
from policyc.compiler.render import failed, render, render_threshold
from policyc.compiler.table_keys import key_reads
from policyc.runtime.amounts import ROUNDING_MODES
from policyc.runtime.quantity import TIME_BASES, parse_measure

if TYPE_CHECKING:
    from policyc.compiler.codegen import _Generator

# Fast functions take these parameters (see the module docstring).
PARAMETERS = "x, r, m, on, until"

_BOOLEAN = (n.And, n.Or, n.Not, n.AnyOf, n.AllOf, n.Compare, n.Is, n.In, n.ReadingIs)
_SYMBOLS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<", "eq": "==", "ne": "!="}


class NoFastPath(Exception):
    """A construct the fast path does not express: its rule stays on the traced path."""


_LITERALS = n.QuantityLit | n.PercentLit | n.BoolLit | n.DateLit | n.MonthDayLit | n.ReadingIs


class FastEmitter:
    """Python expressions over plain values for the fast path; shares the traced generator's
    constants (K0, K1…) and define names."""

    def __init__(self, gen: _Generator):
        self.gen = gen
        self.policy = gen.policy
        self._defines: dict[str, str | None] = {}
        self._kleene_defines: set[str] = set()

    def gate(self, expr: n.Expr) -> Gate | None:
        """The inputs that decide whether `expr` is unknown, or None when the fast path cannot
        say (see the module docstring)."""
        return self._gate(expr, top=True)

    def _gate(self, e: n.Expr, top: bool, whole: bool | None = None) -> Gate | None:
        """`top`: `e` is a rule's whole condition, amount or cap; `whole` (`top` unless
        given): `e` is a whole value, nothing else computed beside it (also a schedule's row)."""
        whole = top if whole is None else whole
        policy = self.policy
        if isinstance(
            e, n.QuantityLit | n.PercentLit | n.BoolLit | n.DateLit | n.MonthDayLit | n.ReadingIs
        ):
            return ()
        if isinstance(e, n.Index) and e.more_keys:  # the inputs of every key read a value
            gates = [self._gate(n.Ref(k), top) for k, reads in key_reads(policy, e) if reads]
            if any(g is None for g in gates):
                return None
            return tuple(name for g in gates if g is not None for name in g)
        if isinstance(e, n.Index) and reads_a_value(policy, e):
            table, key = self._gate(n.Ref(e.name), top), self._gate(n.Ref(e.key), top)
            return None if table is None or key is None else (*table, *key)
        if isinstance(e, n.Ref | n.Index):
            name = e.name
            if isinstance(e, n.Ref) and policy.member_enum(name) is not None:
                return ()
            if name in policy.tables:
                return ()
            if name in self.gen.define_funcs:
                return self._gate(policy.defines[name].expr, top=False)
            return (name,)
        if isinstance(e, n.Compare) and policy.special.get(e) is not None:
            return None
        if isinstance(e, n.Compare) and top and _raising_call(e.left):
            # `total(参展次数) >= 1次`: the helper raises NotApplicable only for a known value,
            # and nothing is evaluated before it.
            if self._gate(e.right, False) != ():
                return None
            return self._gate(e.left.args[0], False)  # type: ignore[attr-defined]
        if isinstance(e, n.And | n.Or):
            # Parts on readings alone decide first; the last part alone may read inputs.
            parts = self.gen._flatten(e, type(e))
            if any(self._gate(p, False) != () for p in parts[:-1]):
                return None
            last = self._gate(parts[-1], False)
            if last is None or last == ():
                return last
            decided = " or ".join(self.py(p) for p in parts[:-1])
            if isinstance(e, n.And):
                decided = "not (" + " and ".join(self.py(p) for p in parts[:-1]) + ")"
            return f"(() if {decided} else {_gate_code(last)})"
        if isinstance(e, n.Arith | n.Of) and (e.op == "×" if isinstance(e, n.Arith) else True):
            # A product is exact unless time cancels (元/年 × 月 is divided by 12, which may
            # raise): strict when no time cancels (a literal factor that carries no time, or
            # factors whose measures are known and share no time: 200 元/月/间 × 宿舍间数).
            # One where time may cancel is gated only as a whole value (… × 宿舍租用月数, an
            # amount or a schedule's row), over factors gated as strict: left out only when a
            # factor is unknown, when the traced path divides nothing either, and computed —
            # raising as the traced path raises — when all are known.
            left, right = (e.left, e.right) if isinstance(e, n.Arith) else (e.base, e.ratio)
            strict = _timeless_literal(left) or _timeless_literal(right)
            if not (strict or whole or self._keeps_time(left, right)):
                return None
            return _concat([self._gate(left, False), self._gate(right, False)])
        if isinstance(e, n.Compare | n.Is | n.In | n.Not | n.Arith):
            return _concat([self._gate(child, False) for child in e.child_nodes()])
        if isinstance(e, n.Call) and e.func in ("min", "max", "on_date", "valid_until"):
            if policy.special.get(e) is not None:
                return None
            return _concat([self._gate(a, False) for a in e.args])
        if isinstance(e, n.If) and self._gate(e.cond, False) == ():
            # A condition on readings alone is never unknown: the branch taken decides.
            then, otherwise = self._gate(e.then, top, whole), self._gate(e.otherwise, top, whole)
            if then is None or otherwise is None:
                return None
            if then == otherwise:
                return then
            return f"({_gate_code(then)} if {self.py(e.cond)} else {_gate_code(otherwise)})"
        if top and isinstance(e, n.Tiers):
            # Unknown exactly when the subject is (the prior is read with `.get`: an unknown
            # prior is the helper's to judge, after the rows); may raise NotApplicable, so only
            # as the whole amount, where nothing is evaluated after it.
            if any(self._gate(r.threshold.value, False) != () for r in e.rows):
                return None
            if any(self._gate(r.amount, False) != () for r in e.rows):
                return None
            if e.prior is not None and self._prior(e.prior) is None:
                return None
            return self._gate(e.subject, False)
        if top and isinstance(e, n.Schedule):
            return self._gate(e.anchor, False)
        return None

    def _keeps_time(self, left: n.Expr, right: n.Expr) -> bool:
        """Whether `left × right` surely cancels no time (is never divided: see
        runtime/quantity.py's _time_shift), from the measures its factors are declared in."""
        a, b = self._dims(left), self._dims(right)
        if a is None or b is None:
            return False
        for base in TIME_BASES:
            ea, eb = a.get(base, 0), b.get(base, 0)
            if min(ea + eb, 0) - min(ea, 0) - min(eb, 0) != 0:
                return False
        return True

    def _dims(self, e: n.Expr) -> dict[str, int] | None:
        """A quantity's exponent by base: a literal's, an input's declared in a measure, a
        product's; None when not known here."""
        if isinstance(e, n.QuantityLit):
            return dict(parse_measure(e.measure).dims)
        if isinstance(e, n.PercentLit):
            return {}
        if isinstance(e, n.Ref) and self._quantity(e):
            return dict(self.policy.inputs[e.name].type.dims)
        if isinstance(e, n.Arith) and e.op == "×":
            a, b = self._dims(e.left), self._dims(e.right)
            if a is None or b is None:
                return None
            return {base: a.get(base, 0) + b.get(base, 0) for base in {*a, *b}}
        return None

    def _prior(self, e: n.Expr) -> str | None:
        """A tier table's prior as code that is an Unknown when the case lacks it, or None."""
        if not isinstance(e, n.Ref) or e.name not in self.policy.inputs:
            return None
        absent = self.gen.constant(f"Unknown(({e.name!r},))")
        return f"x.get({e.name!r}, {absent})"

    def kleene(self, e: n.Expr) -> str | None:
        """Code whose value is True, False or an Unknown, as the traced path's would be, for a
        condition made of gated parts joined by and/or/not/any-of/all-of; None otherwise. The
        parts are evaluated eagerly: none of them reads a missing input or raises, so the
        traced path's short-circuits change nothing but the cost."""
        joined: list[n.Expr] | None = None
        if isinstance(e, n.And | n.Or):
            joined = self.gen._flatten(e, type(e))
        elif isinstance(e, n.AnyOf | n.AllOf):
            joined = [i.expr for i in e.items]
        if joined is not None:
            parts = [self.kleene(p) for p in joined]
            if any(p is None for p in parts):
                return None
            both = "k_all" if isinstance(e, n.And | n.AllOf) else "k_any"
            return f"{both}(({', '.join(parts)}, ))"  # type: ignore[arg-type]
        if isinstance(e, n.Not):
            operand = self.kleene(e.operand)
            return None if operand is None else f"k_not({operand})"
        if isinstance(e, n.Ref) and e.name in self.gen.define_funcs:
            self.define_code(e.name)
            if e.name in self._kleene_defines:
                return f"fast_{self.gen.define_funcs[e.name]}({PARAMETERS})"
        gate = self._gate(e, top=False)
        if gate is None:
            return None
        try:
            code = self.py(e)
        except NoFastPath:
            return None
        return self._gated(code, gate)

    def _gated(self, code: str, gate: Gate) -> str:
        """`code` where the case gives every input of `gate`, else the unknown naming them."""
        if gate == ():
            return code
        if isinstance(gate, tuple) and len(gate) == 1:
            absent = self.gen.constant(f"Unknown({gate!r})")
        else:
            absent = f"missing_of(x, {_gate_code(gate)}, None)"
        return f"({code} if {gate_check(gate)} else {absent})"

    def define_code(self, name: str) -> str | None:
        """The fast body expression of define `name`, or None when it has none. A condition
        the gates cannot decide is written three-valued (`kleene`): its value may then be an
        Unknown, which `known()` refuses where a plain value is needed."""
        if name not in self._defines:
            self._defines[name] = None  # a define cannot refer to itself (the checker says so)
            expr = self.policy.defines[name].expr
            if isinstance(expr, _BOOLEAN) and self._gate(expr, False) is None:
                code = self.kleene(expr)
                if code is not None:
                    self._kleene_defines.add(name)
                    self._defines[name] = code
                    return code
            with contextlib.suppress(NoFastPath):
                self._defines[name] = self.py(expr)
        return self._defines[name]

    def py(self, expr: n.Expr) -> str:
        """`expr` as a Python expression over plain values; raises NoFastPath."""
        emitter = _FAST.get(type(expr))
        if emitter is None:
            raise NoFastPath(type(expr).__name__)
        return emitter(self, expr)

    def ref(self, e: n.Ref) -> str:
        policy = self.policy
        if policy.member_enum(e.name) is not None:
            return repr(e.name)
        if e.name in self.gen.define_funcs:
            if self.define_code(e.name) is None:
                raise NoFastPath(f"define {e.name}")
            call = f"fast_{self.gen.define_funcs[e.name]}({PARAMETERS})"
            return f"known({call})" if e.name in self._kleene_defines else call
        if e.name in policy.tables:
            return self.gen.table(policy.tables[e.name])
        return f"x[{e.name!r}]"

    def call(self, e: n.Call) -> str:
        if e.func == "round":  # runtime.evaluation.Evaluation.round_step, untraced
            mode = e.args[2]
            assert isinstance(mode, n.Ref)
            value, step = self.py(e.args[0]), self.py(e.args[1])
            return f"PLAIN.round_step({value}, {step}, {ROUNDING_MODES[mode.name]!r}, '', 0)"
        args = ", ".join(self.py(a) for a in e.args)
        if e.func == "on_date":
            return "on"
        if e.func == "valid_until":
            return "until"
        if e.func in ("months_between", "years_between"):
            missing_day = self.policy.conventions.get("missing_day", "month_end")
            return f"PLAIN.{e.func}({args}, {missing_day!r}, '', 0, {refuses_backwards(e)})"
        if e.func == "date_plus":  # calendar_terms, under the declared convention
            missing_day = self.policy.conventions.get("missing_day", "month_end")
            return f"date_plus(PLAIN, {args}, {missing_day!r}, '', 0)"
        if e.func in CALENDAR_FUNCS:  # calendar_terms
            return f"{e.func}(PLAIN, {args}, '', 0)"
        kind = self.policy.special.get(e)
        if kind is not None:
            return f"PLAIN.{e.func}_ranked({args}, {self.gen.order(kind)}, 0)"
        method = {"min": "minimum", "max": "maximum"}.get(e.func, e.func)
        if method not in ("minimum", "maximum", "total", "first", "highest", "longest_run"):
            raise NoFastPath(f"call {e.func}")
        return f"PLAIN.{method}({args})"

    def index(self, e: n.Index) -> str:
        if e.more_keys:  # `安居补贴标准[学历, 档]`: the gate holds every key's input
            out = self.ref(n.Ref(e.name))
            for key, reads in key_reads(self.policy, e):
                out += f"[{self.py(n.Ref(key, e.span)) if reads else repr(key)}]"
            return out
        if reads_a_value(self.policy, e):  # the gate holds the key's input: never unknown here
            return f"{self.ref(n.Ref(e.name))}[{self.py(n.Ref(e.key, e.span))}]"
        return f"{self.ref(n.Ref(e.name))}[{e.key!r}]"

    def reading_is(self, e: n.ReadingIs) -> str:
        return f"(r[{e.reading!r}] == {e.option!r})"

    def any_of(self, e: n.AnyOf) -> str:
        # Every option is evaluated (as the traced path does, to show which ones hold).
        return "any((" + "".join(f"{self.py(i.expr)}, " for i in e.items) + "))"

    def all_of(self, e: n.AllOf) -> str:
        return "(" + " and ".join(self.py(i.expr) for i in e.items) + ")"

    def arith(self, e: n.Arith) -> str:
        left, right = self.py(e.left), self.py(e.right)
        if self._quantity(e.left) and self._quantity(e.right):
            # Two quantities: the operator itself, as `add`/`sub`/`mul` would call it (a value
            # of another kind raises, and the rule is evaluated on the traced path).
            return f"({left} {'*' if e.op == '×' else e.op} {right})"
        func = {"+": "add", "-": "sub", "×": "mul"}[e.op]
        return f"{func}({left}, {right})"

    def _quantity(self, e: n.Expr) -> bool:
        """Whether `e`'s fast code is a Quantity whenever it has a value: a literal, an input
        declared in a measure (not `by` members), a sum, difference or product of such, or a
        choice between two such."""
        if isinstance(e, n.QuantityLit | n.PercentLit):
            return True
        if isinstance(e, n.Ref):
            declared = self.policy.inputs.get(e.name)
            return (
                declared is not None
                and e.name not in self.gen.define_funcs
                and e.name not in self.policy.tables
                and self.policy.member_enum(e.name) is None
                and getattr(declared.type, "kind", "") == "quantity"
            )
        if isinstance(e, n.Arith):
            return self._quantity(e.left) and self._quantity(e.right)
        if isinstance(e, n.If):
            return self._quantity(e.then) and self._quantity(e.otherwise)
        return False

    def of(self, e: n.Of) -> str:
        return f"PLAIN.of({self.py(e.ratio)}, {self.py(e.base)})"

    def compare(self, e: n.Compare) -> str:
        kind = self.policy.special.get(e)
        left, right = self.py(e.left), self.py(e.right)
        if kind == "series":
            return f"PLAIN.cmp_series({e.op!r}, {left}, {right}, '', 0)"
        if kind is not None:
            return f"PLAIN.cmp_ranked({e.op!r}, {left}, {right}, {self.gen.order(kind)}, '', 0)"
        return f"({left} {_SYMBOLS[e.op]} {right})"

    def is_in(self, e: n.Is | n.In) -> str:
        members = (e.member,) if isinstance(e, n.Is) else e.members
        return f"({self.py(e.subject)} in {members!r})"

    def logic(self, e: n.And | n.Or) -> str:
        word = " and " if isinstance(e, n.And) else " or "
        return "(" + word.join(self.py(p) for p in self.gen._flatten(e, type(e))) + ")"

    def not_(self, e: n.Not) -> str:
        return f"(not {self.py(e.operand)})"

    def if_(self, e: n.If) -> str:
        return f"({self.py(e.then)} if {self.py(e.cond)} else {self.py(e.otherwise)})"

    def tiers(self, e: n.Tiers) -> str:
        # The traced path's own helper, on a context that records nothing: the same rows, the
        # same reasons when no row is reached.
        rows = "".join(
            f"({row.threshold.op!r}, {self.py(row.threshold.value)}, {self.py(row.amount)}, "
            f"{render(row.threshold.value)!r}), "
            for row in e.rows
        )
        prior = "None"
        if e.prior is not None:
            prior = self._prior(e.prior) or self.py(e.prior)
        lowest = render_threshold(e.rows[0].threshold)
        return f"PLAIN.tiers({self.py(e.subject)}, {prior}, {e.mode!r}, ({rows}), 0, {lowest!r})"

    def schedule(self, e: n.Schedule) -> str:
        # The row reached is known only now: a row's amount on an input the case lacks is the
        # unknown of those inputs (as the traced path's would be), through the row's own gate.
        rows = "".join(f"({r.first}, {r.last}, lambda: {self._gated_row(r.amount)}), "
                       for r in e.rows)  # fmt: skip
        return f"schedule_on(on, {self.py(e.anchor)}, ({rows}))"

    def _gated_row(self, amount: n.Expr) -> str:
        code = self.py(amount)
        gate = self._gate(amount, top=False, whole=True)
        return code if gate is None else self._gated(code, gate)


_FAST: dict[type, Callable[[FastEmitter, Any], str]] = {
    n.QuantityLit: lambda f, e: f.gen.quantity(e),
    n.PercentLit: lambda f, e: f.gen.percent(e),
    n.BoolLit: lambda f, e: repr(e.value),
    n.DateLit: lambda f, e: f.gen.py(e),
    n.MonthDayLit: lambda f, e: f.gen.py(e),
    n.Ref: FastEmitter.ref,
    n.Call: FastEmitter.call,
    n.Index: FastEmitter.index,
    n.ReadingIs: FastEmitter.reading_is,
    n.AnyOf: FastEmitter.any_of,
    n.AllOf: FastEmitter.all_of,
    n.Arith: FastEmitter.arith,
    n.Of: FastEmitter.of,
    n.Compare: FastEmitter.compare,
    n.Is: FastEmitter.is_in,
    n.In: FastEmitter.is_in,
    n.And: FastEmitter.logic,
    n.Or: FastEmitter.logic,
    n.Not: FastEmitter.not_,
    n.If: FastEmitter.if_,
    n.Tiers: FastEmitter.tiers,
    n.Schedule: FastEmitter.schedule,
}


Gate = tuple[str, ...] | str
"""The inputs an expression's unknown is made of, in the order the traced path merges them
(`unknown(a, b)`: left before right; `of` its base first): a tuple, or Python code giving one
when a reading chooses between two sets."""


def _concat(gates: list[Gate | None]) -> Gate | None:
    if any(g is None for g in gates):
        return None
    if all(isinstance(g, tuple) for g in gates):
        return tuple(dict.fromkeys(name for g in gates for name in g))  # type: ignore[union-attr]
    return "(" + " + ".join(_gate_code(g) for g in gates if g != ()) + ")"  # type: ignore[arg-type]


def _gate_code(gate: Gate) -> str:
    return gate if isinstance(gate, str) else repr(gate)


def gate_check(gate: Gate) -> str:
    """Python that is true when the case gives every input of `gate` ("" for none)."""
    if isinstance(gate, str):
        return f"missing_of(x, {gate}, None) is None"
    return " and ".join(f"{name!r} in x" for name in gate)


def _raising_call(e: n.Expr) -> bool:
    return isinstance(e, n.Call) and e.func in ("total", "first", "highest") and len(e.args) == 1


def _timeless_literal(e: n.Expr) -> bool:
    if isinstance(e, n.PercentLit):
        return True
    if isinstance(e, n.QuantityLit):
        measure = parse_measure(e.measure)
        return not any(base in TIME_BASES for base, _ in measure.dims)
    return False


def fast_rule(fast: FastEmitter, rule: n.Rule) -> dict[str, Any] | None:
    """What the template needs to write `fast_rule_N`, or None when the rule has no fast path:
    `whens` [(condition, reason, gate)], `amount` and `cap` (code or "") with their gates. A
    gate is None (a missing input leaves the fast function: the traced path decides) or
    (check, names): `check` true when the case gives them all, `names` the code of the
    unknown's inputs otherwise."""
    people = fast.policy.people
    if rule.amount_range is not None:  # a range (runtime Ctx.amount_range) runs traced
        return None
    if rule.each is not None or people.periods or people.member_inputs or people.rule_periods:
        # Households and periods (runtime/people_ops.py) name what is missing per member and
        # per period, which the fast path's gates do not, and a rule paid per period is paid
        # for each month of a year's case: such a policy runs traced.
        return None
    try:
        whens = [
            (fast.py(w), failed(w), _gated(fast, w), _three_valued(fast, w)) for w in rule.whens
        ]
        amount = rule.amount if isinstance(rule.amount, n.Expr) else None
        cap = rule.cap.amount if amount is not None and rule.cap else None
        return {
            "whens": whens,
            "amount": fast.py(amount) if amount is not None else "",
            "amount_gate": _gated(fast, amount) if amount is not None else None,
            "cap": fast.py(cap) if cap is not None else "",
            "cap_gate": _gated(fast, cap) if cap is not None else None,
        }
    except NoFastPath:
        return None


def _gated(fast: FastEmitter, expr: n.Expr) -> tuple[str, str] | None:
    """(check, unknown) for a gated expression: code true when the case gives every input of
    the gate, and code for its unknown otherwise — built once, at import, when the gate is one
    input, else counted from what the case lacks. ("", "") when it reads no input; None when
    it has no gate."""
    gate = fast.gate(expr)
    if gate is None or gate == ():
        return None if gate is None else ("", "")
    if isinstance(gate, tuple) and len(gate) == 1:
        return gate_check(gate), fast.gen.constant(f"Unknown({gate!r})")
    return gate_check(gate), f"missing_of(x, {_gate_code(gate)}, None)"


def _three_valued(fast: FastEmitter, expr: n.Expr) -> str | None:
    """The condition written three-valued, where no gate decides it."""
    return fast.kleene(expr) if fast.gate(expr) is None else None


# ---- dispatch on the input most rules test first ----------------------------------------------
#
# Most rules of a policy start with `when 申请人类型 is …`: for a case of one type, most rules fail
# that first condition, with a reason known before the case is read. The generated module gets,
# for each such rule, its first condition alone (`first_rule_N`); the runtime evaluates those once
# per value of the key input and readings taken (runtime/fast.py `Dispatch`) and hands every later
# case of that value the same prebuilt, immutable results, evaluating only the rules left.


def first_conditions(fast: FastEmitter, rules: list[n.Rule]) -> tuple[str, dict[int, str]]:
    """(the key input, {position in `rules`: code of that rule's first condition}) for the rules
    whose first condition reads the key input alone (through defines too; an enum or a yes/no,
    never an amount, whose every value would need a plan) and neither the date nor the
    policy's last day; ("", {}) when no rule qualifies. A rule judged on an input date
    (`valid_by`) has one too: the runtime takes its result only while that date is absent or
    in force. The code is an expression over
    `x, r, m, on, until` that is True, False or an Unknown (or raises), as the fast function's
    first `when` would judge it on the same inputs."""
    reads: dict[int, str] = {}
    for position, rule in enumerate(rules):
        if not rule.whens or fast_rule(fast, rule) is None:
            continue
        names = _names_read(fast.policy, rule.whens[0])
        if names is not None and len(names) == 1 and _few_values(fast.policy, *names):
            reads[position] = next(iter(names))
    if not reads:
        return "", {}
    # The key is chosen among rules judged on the evaluation date (as before rules judged on an
    # input date had first conditions of their own: the same key for the same policy).
    counts: dict[str, int] = {}
    for position, name in reads.items():
        if rules[position].valid_by is None:
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        for name in reads.values():
            counts[name] = counts.get(name, 0) + 1
    key = max(counts, key=lambda name: counts[name])  # the first of the most tested
    codes: dict[int, str] = {}
    for position, name in reads.items():
        if name != key:
            continue
        when = rules[position].whens[0]
        try:
            codes[position] = _three_valued(fast, when) or fast.py(when)
        except NoFastPath:
            continue
    return (key, codes) if codes else ("", {})


def _few_values(policy: Any, name: str) -> bool:
    """Whether input `name` takes few values (an enum member or yes/no): a plan per value."""
    kind = getattr(policy.inputs[name].type, "kind", "")
    return kind in ("enum", "bool")


def rule_reads(policy: Any, rule: n.Rule) -> tuple[str, ...] | None:
    """Every input the rule reads (its conditions, amount, cap, and the input its validity is
    judged on), sorted; None when it reads the evaluation date or the policy's last day."""
    exprs = [*rule.whens]
    if isinstance(rule.amount, n.Expr):
        exprs.append(rule.amount)
        if rule.cap is not None:
            exprs.append(rule.cap.amount)
    if rule.amount_range is not None:  # `amount range LOW to HIGH`
        exprs += [rule.amount_range.low, rule.amount_range.high]
    found: set[str] = {rule.valid_by.text} if rule.valid_by is not None else set()
    if rule.apply_by is not None:  # `apply 申请日期 by …`: the date, and the day's inputs
        if rule.apply_by.day is None:
            return None  # 每月 N 日: the day of the evaluation date's month
        found.add(rule.apply_by.applied.text)
        exprs.append(rule.apply_by.day)
    for expr in exprs:
        names = _names_read(policy, expr)
        if names is None:
            return None
        found |= names
    return tuple(sorted(found))


def _names_read(policy: Any, expr: n.Expr) -> set[str] | None:
    """The inputs `expr` reads, through defines; None when it reads the evaluation date or the
    policy's last day (a first condition that does must not be judged once for all cases)."""
    found: set[str] = set()
    seen: set[str] = set()

    def visit(e: n.Expr) -> bool:
        for node in n.walk(e):
            if isinstance(node, n.Call) and node.func in ("on_date", "valid_until"):
                return False
            if isinstance(node, n.Schedule | n.Dated):  # counted from, or in force on, the date
                return False
            if not isinstance(node, n.Ref | n.Index):
                continue
            names = [node.name]
            if isinstance(node, n.Index) and node.more_keys:  # 安居补贴标准[学历, 档]
                names.extend(k for k, reads in key_reads(policy, node) if reads)
            elif isinstance(node, n.Index) and reads_a_value(policy, node):
                names.append(node.key)  # 救助比例[类别]: the member the case gives
            for name in names:
                if name in policy.inputs:
                    found.add(name)
                elif name in policy.defines and name not in seen:
                    seen.add(name)
                    if not visit(policy.defines[name].expr):
                        return False
        return True

    return found if visit(expr) else None
