"""Evaluating one case on the fast path (compiler/fastpath.py generates its functions).

Split from runtime/evaluation.py. For a case without `--explain`, `evaluate_fast` runs each
rule's straight-line function where it has one and the case gives what it reads, else its traced
function on a `Ctx`, exactly as `Ctx.run_rule` would; tests/test_fastpath.py compares every field
of both paths on every example case and on random cases.

Two things make it cheap (benchmarks/run.py measures it):

- **A plan per kind of case.** The module generated for a policy names the input most of its
  rules test first (`KEY`, e.g. 申请人类型), for each such rule that first condition alone
  (`FIRST`, its reason in `FIRST_REASONS`), and for each rule the inputs it reads (`READS`, None
  when it reads the evaluation date or the policy's last day). Cases alike in the key's value,
  the readings taken and the set of input names given share a plan (`FastTable.plan`), built on
  the first of them from an input set holding the key alone:
  a first condition false there (three-valued: false whatever the other inputs are) is false for
  every such case; a rule none of whose inputs but the key is given comes out the same for every
  such case (it reads nothing else). Those results are prebuilt; only the other rules are
  evaluated per case. A plan is used only where it cannot differ from rule-by-rule evaluation:
  the policy in force on the evaluation date and no rule already received; a rule judged on an
  input date (`valid_by`) counts that input among those it reads, and a prebuilt result never
  carries an amount (a rounding or a shared cap changes those afterwards).
- **Shared results.** A rule's "does not apply" for a reason written in the generated code, and
  its "undetermined" for a set of inputs, are the same object for every case
  (`results.FixedResult`, immutable), not a new object per rule per case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from policyc.runtime.evaluation import Ctx, NotApplicable, _finish
from policyc.runtime.results import FixedResult, RuleInfo, RuleResult, Unknown, fixed_result

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any, TypeAlias

Value: TypeAlias = "Any"
Entry: TypeAlias = "tuple[int, RuleInfo, Callable[[Ctx], Any], Callable[..., Any] | None]"
Plan: TypeAlias = (
    "tuple[tuple[RuleResult | None, ...], tuple[tuple[int, Callable[..., Any]], ...], "
    "tuple[Entry, ...]]"
)
"""(a result per rule, prebuilt or None; the rules left that have a fast function and are judged
on the evaluation date, as (index, fast function); the other rules left)."""

_ABSENT = object()
MAX_PLANS = 1024  # values of the key × choices of readings kept; the oldest half dropped beyond
MAX_FIXED = 64  # shared results kept per rule (its reasons and sets of missing inputs)


class FastTable:
    """A compiled policy's rules with their traced and fast functions, what the generated module
    says about them (`key`, `first`, `reasons`, `reads`: see the module docstring) and the
    results prebuilt so far. `rules`, `functions`, `fast`, `first`, `reasons` and `reads` run
    parallel (one item per rule); `constants` are the module's constants."""

    __slots__ = ("_constants", "_fixed", "_plans", "entries", "fast", "first", "functions", "key",
                 "reads", "reasons", "rules")  # fmt: skip

    def __init__(
        self,
        rules: Sequence[RuleInfo],
        functions: Sequence[Callable[[Ctx], Any]],
        fast: Sequence[Callable[..., Any] | None],
        key: str = "",
        first: Sequence[Callable[..., Any] | None] = (),
        reasons: Sequence[str] = (),
        reads: Sequence[tuple[str, ...] | None] = (),
        constants: Sequence[Any] = (),
    ):
        self.rules, self.functions, self.fast = rules, functions, fast
        self.key = key
        self.first = tuple(first) or (None,) * len(rules)
        self.reasons = tuple(reasons) or ("",) * len(rules)
        self.reads = tuple(frozenset(r) if r is not None else None for r in reads) or (
            (None,) * len(rules)
        )
        self.entries: tuple[Entry, ...] = tuple(
            zip(range(len(rules)), rules, functions, fast, strict=True)
        )
        self._plans: dict[Any, Plan] = {}
        self._fixed: list[dict[Any, FixedResult]] = [{} for _ in rules]
        # The generated module's Unknown constants (K…): shared results are found by them.
        self._constants = {id(k): k for k in constants if k.__class__ is Unknown}

    def plan(
        self,
        inputs: Mapping[str, Value],
        readings: Mapping[str, str],
        chosen: Any,
        on: date,
        valid_from: date | None,
        valid_until: date | None,
    ) -> Plan | None:
        """The plan (see `Plan`) shared by cases with this value of the key input, these
        readings taken (`chosen` stands for them: () for the declared options, None for
        `readings` themselves) and these input names; for a case in force on `on` with no rule
        already received. None when the key's value cannot be a dictionary key."""
        value = inputs.get(self.key, _ABSENT) if self.key else _ABSENT
        key = (value, tuple(readings.items()) if chosen is None else chosen, frozenset(inputs))
        try:
            found = self._plans.get(key)
        except TypeError:  # an unhashable value: no plan, every rule evaluated
            return None
        if found is None:
            if len(self._plans) >= MAX_PLANS:
                for old in list(self._plans)[: MAX_PLANS // 2]:
                    self._plans.pop(old, None)  # another thread may have dropped it
            found = self._plans[key] = self._build(
                key[0], key[2], readings, on, valid_from, valid_until
            )
        return found

    def _build(
        self,
        value: Value,
        given: frozenset[str],
        readings: Mapping[str, str],
        on: date,
        valid_from: date | None,
        valid_until: date | None,
    ) -> Plan:
        alone = {self.key: value} if value is not _ABSENT else {}
        prebuilt: list[RuleResult | None] = [None] * len(self.rules)
        alike: list[Entry] = []  # rules that read no input of the case but the key
        for entry in self.entries:
            index, _, _, quick = entry
            first = self.first[index]
            if first is not None and alone:
                try:  # the date and the last day are None: FIRST never reads them
                    holds = first(alone, readings, {}, None, None)
                except Exception:
                    holds = None
                if holds is False:
                    prebuilt[index] = self.not_applicable(index, self.reasons[index])
                    continue
            reads = self.reads[index]
            if quick is not None and reads is not None and not (reads & given).difference(alone):
                alike.append(entry)
        found: list[RuleResult | None] = [None] * len(self.rules)
        memo: dict[str, Value] = {}
        for entry in alike:
            try:
                _evaluate(self, (entry,), found, alone, on, readings, valid_from, valid_until,
                          frozenset(), memo)  # fmt: skip
            except Exception:
                continue  # left to each case, which reports the error in the rules' order
            result = found[entry[0]]
            if result is not None and result.amount is None:
                prebuilt[entry[0]] = _frozen(result)
        simple: list[tuple[int, Callable[..., Any]]] = []
        left: list[Entry] = []
        for entry in self.entries:
            index, info, _, quick = entry
            if prebuilt[index] is not None:
                continue
            if quick is not None and not info.valid_by:
                simple.append((index, quick))
            else:
                left.append(entry)
        return tuple(prebuilt), tuple(simple), tuple(left)

    def not_applicable(self, index: int, reason: str) -> RuleResult:
        """Rule `index` does not apply for `reason` (a reason the generated code writes)."""
        shared = self._fixed[index]
        found = shared.get(reason)
        if found is None:
            found = fixed_result(self.rules[index], "not_applicable", reason)
            if len(shared) < MAX_FIXED:
                shared[reason] = found
        return found

    def undetermined(self, index: int, outcome: Unknown) -> RuleResult:
        """`_finish` for an Unknown outcome judged on a known day: rule `index` needs its
        inputs. Found by the Unknown itself first (the generated module's constants, the same
        object for every case), else by the names."""
        shared = self._fixed[index]
        found = shared.get(outcome)
        if found is not None:
            return found
        names = outcome.names
        found = shared.get(names)
        if found is None:
            once = tuple(dict.fromkeys(names))
            found = fixed_result(
                self.rules[index], "undetermined", "需要输入 " + "、".join(once), once
            )
            if len(shared) < MAX_FIXED:
                shared[names] = found
        if id(outcome) in self._constants and len(shared) < MAX_FIXED:
            shared[outcome] = found
        return found


def _frozen(result: RuleResult) -> RuleResult:
    """`result` as an immutable shared result (itself when it is one already)."""
    if result.__class__ is FixedResult:
        return result
    frozen = FixedResult.__new__(FixedResult)
    frozen.__dict__.update(result.__dict__)
    return frozen


def _within(day: date, valid_from: date | None, valid_until: date | None) -> bool:
    return (valid_from is None or day >= valid_from) and (valid_until is None or day <= valid_until)


def evaluate_fast(
    table: FastTable,
    inputs: Mapping[str, Value],
    on: date,
    readings: Mapping[str, str],
    valid_from: date | None,
    valid_until: date | None,
    received: frozenset[str],
    chosen: Any = None,
) -> list[RuleResult]:
    """Every rule's result for one case, in the table's order, without a trace (see the module
    docstring): the same results as `Ctx.run_rule` and friends on each rule. `chosen` is
    what identifies the readings taken (`FastTable.plan`; None: the readings themselves)."""
    plan = None
    if not received and _within(on, valid_from, valid_until):
        plan = table.plan(inputs, readings, chosen, on, valid_from, valid_until)
    memo: dict[str, Value] = {}
    if plan is None:
        results: list[RuleResult | None] = [None] * len(table.entries)
        _evaluate(table, table.entries, results, inputs, on, readings, valid_from, valid_until,
                  received, memo)  # fmt: skip
        return results  # type: ignore[return-value]  # every place filled
    results = list(plan[0])
    # In force, nothing received, judged on `on`: what `run_rule` checks first holds.
    traced: list[Entry] = []
    entries = table.entries
    for index, quick in plan[1]:
        try:
            outcome = quick(inputs, readings, memo, on, valid_until)
        except NotApplicable as exc:  # its reason may name values: not shared
            results[index] = RuleResult(entries[index][1], "not_applicable", exc.reason)
            continue
        except Exception:
            traced.append(entries[index])  # a missing input it cannot judge, or an error
            continue
        kind = outcome.__class__
        if kind is str:
            results[index] = table.not_applicable(index, outcome)
        elif kind is Unknown:
            results[index] = table.undetermined(index, outcome)
        else:
            results[index] = _finish(RuleResult(entries[index][1], "applies"), outcome, on)
    todo = plan[2]
    if traced:  # on the traced path: no fast function
        todo = (*((i, info, f, None) for i, info, f, _ in traced), *todo)
    _evaluate(table, todo, results, inputs, on, readings, valid_from, valid_until, received, memo)
    return results  # type: ignore[return-value]  # every place filled


def _evaluate(
    table: FastTable,
    todo: Sequence[Entry],
    results: list[RuleResult | None],
    inputs: Mapping[str, Value],
    on: date,
    readings: Mapping[str, str],
    valid_from: date | None,
    valid_until: date | None,
    received: frozenset[str],
    memo: dict[str, Value],
) -> None:
    """The results of the rules `todo` into `results`, each as `Ctx.run_rule` and friends would
    give it: through its fast function where it has one and that finishes, else traced."""
    if not todo:
        return
    in_force = _within(on, valid_from, valid_until)
    ctx: Ctx | None = None
    for index, info, function, quick in todo:
        if quick is not None:
            day: date | None = on
            if info.valid_by:
                day = inputs.get(info.valid_by)  # judged on the anchor date, as run_rule does
            if day is not None and not (
                in_force if day is on else _within(day, valid_from, valid_until)
            ):  # as run_rule says it, without a context
                which = f"{info.valid_by} {day.isoformat()}" if info.valid_by else day.isoformat()
                results[index] = RuleResult(info, "not_in_force", f"政策在 {which} 不在有效期内")
                continue
            if info.once and info.name in received:
                results[index] = RuleResult(
                    info, "already_received", "一次性奖补, 案例记载已领取"
                )
                continue
            try:
                outcome = quick(inputs, readings, memo, on, valid_until)
            except NotApplicable as exc:  # its reason may name values: not shared
                results[index] = RuleResult(info, "not_applicable", exc.reason)
                continue
            except Exception:
                outcome = None  # a missing input it cannot judge, or an error: traced path
            if outcome.__class__ is str:  # the usual answer: a condition does not hold
                results[index] = table.not_applicable(index, outcome)
                continue
            if outcome.__class__ is Unknown and day is not None:  # the next most usual
                results[index] = table.undetermined(index, outcome)
                continue
            if outcome is not None:
                results[index] = _finish(RuleResult(info, "applies"), outcome, day)
                continue
        if ctx is None:
            ctx = Ctx(inputs, on, readings, valid_from, valid_until)
        if info.role == "decision":
            results[index] = ctx.run_decision(info, function)
        elif info.role == "target":
            results[index] = ctx.run_target(info, function)
        else:
            results[index] = ctx.run_rule(info, function, received)
