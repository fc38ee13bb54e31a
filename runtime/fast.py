"""Evaluating one case on the fast path (compiler/fastpath.py generates its functions).

Split from runtime/evaluation.py. For a case without `--explain`, `evaluate_fast` runs each
rule's straight-line function where it has one and the case gives what it reads, else its traced
function on a `Ctx`, exactly as `Ctx.run_rule` would; tests/test_fastpath.py compares every field
of both paths on every example case and on random cases.

What makes it cheap (benchmarks/run.py measures it; issue 16 asks ≤ 20 µs for the textile case):

- **A plan per kind of case.** The module generated for a policy names the input most of its
  rules test first (`KEY`, e.g. 申请人类型), for each such rule that first condition alone
  (`FIRST`, its reason in `FIRST_REASONS`), and for each rule the inputs it reads (`READS`, None
  when it reads the evaluation date or the policy's last day). Cases alike in the key's value
  and the readings taken share a plan (`FastTable.plan`), built on the first of them from an
  input set holding the key alone, whatever other inputs they give:
  a first condition false there (three-valued: false whatever the other inputs are) is false for
  every such case, so that result is prebuilt; a rule none of whose inputs but the key the case
  gives comes out the same for every such case (it reads nothing else), so its result on the key
  alone is prebuilt too and taken when the case gives none of the others (one set test per
  rule, no call). Only the other rules are evaluated per case. A plan is used only where it
  cannot differ from rule-by-rule evaluation: the policy in force on the evaluation date; a
  one-off rule the case has received is left to `run_rule`; a rule judged on an input date
  (`valid_by`) takes a prebuilt result only while that date is absent or in force, and counts it
  among the inputs it reads; a prebuilt result never carries an amount (a rounding or a shared
  cap changes those afterwards).
  Plans are bounded (`MAX_PLANS`), and a random case costs no new plan unless its key's value or
  its readings are new.
- **Shared results.** A rule's "does not apply" for a reason written in the generated code, its
  "undetermined" for a set of inputs (with or without its `valid_by` date) and its "applies"
  without an amount are the same object for every case (`results.FixedResult`, immutable), not a
  new object per rule per case; an amount's result is built directly, without `_finish`, when
  nothing but the amount is to say.
- **The readings worked out once.** The readings a case takes over the declared ones, and the
  validity under them, are kept per choice of readings (`FastTable.setup`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from policyc.runtime.evaluation import Ctx, NotApplicable, _finish
from policyc.runtime.results import FixedResult, RuleInfo, RuleResult, Unknown, fixed_result
from policyc.runtime.validity_words import out_of_force_reason

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any, TypeAlias

Value: TypeAlias = "Any"
Entry: TypeAlias = "tuple[int, RuleInfo, Callable[[Ctx], Any], Callable[..., Any] | None]"
Todo: TypeAlias = (
    "tuple[int, Callable[..., Any] | None, str, frozenset[str] | None, RuleResult | None]"
)
"""A rule a plan leaves to each case: (index, fast function or None for the traced path, the
input its validity is judged on or "", the inputs besides the key it reads, its result when the
case gives none of them or None). With no inputs to test (None) the result holds for every case
whose `valid_by` date is absent or in force (a first condition false on the key alone)."""
Plan: TypeAlias = (
    "tuple[tuple[RuleResult | None, ...], tuple[Todo, ...], dict[frozenset[str], Resolved | None]]"
)
"""(a result per rule, prebuilt or None; the rules left, in the rules' order; the plan resolved
for each set of input names seen twice, None for those seen once, `FastTable.resolve`)."""
Resolved: TypeAlias = "tuple[tuple[RuleResult | None, ...], tuple[Todo, ...]]"
"""A plan for cases giving one set of input names: the results prebuilt, with those of the rules
that read none of the inputs given besides the key; the rules left."""
Setup: TypeAlias = "tuple[dict[str, str], date | None, date | None, Any]"
"""(the readings taken, the first and last day of validity under them, the plans' key for them)."""

_ABSENT = object()
_UNSEEN: Resolved = ((), ())  # `FastTable.resolve`: names not met before (by identity)
MAX_PLANS = 1024  # values of the key × choices of readings kept; the oldest half dropped beyond
MAX_FIXED = 64  # shared results kept per rule (its reasons and sets of missing inputs)
MAX_SETUPS = 256  # choices of readings whose validity is kept
MAX_OUT = 4096  # "not in force" results kept, by rule and day
MAX_OUT_DAYS = 512  # days out of force whose results are kept together (~14 kB a day)
MAX_RESOLVED = 256  # sets of input names a plan keeps (seen once, or resolved); all dropped beyond


class FastTable:
    """A compiled policy's rules with their traced and fast functions, what the generated module
    says about them (`key`, `first`, `reasons`, `reads`: see the module docstring) and the
    results prebuilt so far. `rules`, `functions`, `fast`, `first`, `reasons` and `reads` run
    parallel (one item per rule); `constants` are the module's constants; `defaults` the
    readings declared, `validity` the (first, last day) of the policy under readings taken
    (RunView.validity_under); `by_period` and `after_caps` say whether a case needs its
    periods prepared and its amounts rounded or shared out (the caller does both)."""

    __slots__ = ("_constants", "_dateless", "_fixed", "_out", "_out_lists", "_plans", "_setups",
                 "after_caps", "by_period", "dated", "defaults", "entries", "fast", "first",
                 "functions", "key", "reads", "reasons", "rules", "validity")  # fmt: skip

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
        defaults: Mapping[str, str] | None = None,
        validity: Callable[[dict[str, str]], tuple[date | None, date | None]] | None = None,
        by_period: bool = False,
        after_caps: bool = False,
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
        self.defaults = dict(defaults or {})
        self.validity = validity
        self.by_period, self.after_caps = by_period, after_caps
        self._plans: dict[Any, Plan] = {}
        self._setups: dict[Any, Setup] = {}
        # by (rule, day, validity) and (day, validity): the validity, the readings' (a reading
        # may move it), words the reason (尚未施行 / 已失效, from which day)
        self._out: dict[tuple[int, date, date | None, date | None], FixedResult] = {}
        self._out_lists: dict[
            tuple[date, date | None, date | None], tuple[RuleResult | None, ...]
        ] = {}
        # Judged on an input date, or not on the fast path: what a date out of force leaves.
        self.dated: tuple[Entry, ...] = tuple(
            entry for entry in self.entries if entry[3] is None or entry[1].valid_by
        )
        self._fixed: list[dict[Any, RuleResult]] = [{} for _ in rules]
        self._dateless: list[dict[Any, RuleResult]] = [{} for _ in rules]
        # The generated module's Unknown constants (K…): shared results are found by them.
        self._constants = {id(k): k for k in constants if k.__class__ is Unknown}

    def setup(self, readings: Mapping[str, str] | None) -> Setup:
        """The readings taken (the declared ones, then the case's `readings`), the validity
        under them and the plans' key for them, worked out once per choice of readings."""
        taken = tuple(readings.items()) if readings else ()
        found = self._setups.get(taken)
        if found is None:
            chosen = dict(self.defaults)
            if readings:
                chosen.update(readings)
            first, last = self.validity(chosen) if self.validity is not None else (None, None)
            found = (chosen, first, last, taken)
            if len(self._setups) >= MAX_SETUPS:
                self._setups.clear()
            self._setups[taken] = found
        return found

    def plan(
        self,
        inputs: Mapping[str, Value],
        readings: Mapping[str, str],
        chosen: Any,
        on: date,
        valid_from: date | None,
        valid_until: date | None,
    ) -> Plan | None:
        """The plan (see `Plan`) shared by cases with this value of the key input and these
        readings taken (`chosen` stands for them: () for the declared options, None for
        `readings` themselves), whatever other inputs they give; for a case in force on `on`.
        None when the key's value cannot be a dictionary key."""
        value = inputs.get(self.key, _ABSENT) if self.key else _ABSENT
        key = (value, tuple(readings.items()) if chosen is None else chosen)
        try:
            found = self._plans.get(key)
        except TypeError:  # an unhashable value: no plan, every rule evaluated
            return None
        if found is None:
            if len(self._plans) >= MAX_PLANS:
                for old in list(self._plans)[: MAX_PLANS // 2]:
                    self._plans.pop(old, None)  # another thread may have dropped it
            found = self._plans[key] = self._build(value, readings, on, valid_from, valid_until)
        return found

    def _build(
        self,
        value: Value,
        readings: Mapping[str, str],
        on: date,
        valid_from: date | None,
        valid_until: date | None,
    ) -> Plan:
        alone = {self.key: value} if value is not _ABSENT else {}
        prebuilt: list[RuleResult | None] = [None] * len(self.rules)
        todo: list[Todo] = []
        memo: dict[str, Value] = {}
        for entry in self.entries:
            index, info, _, quick = entry
            first = self.first[index]
            if first is not None and alone:
                try:  # the date and the last day are None: FIRST never reads them
                    holds = first(alone, readings, {}, None, None)
                except Exception:
                    holds = None
                if holds is False:
                    result = self.not_applicable(index, self.reasons[index])
                    if info.valid_by:  # unless its date is out of force
                        todo.append((index, quick, info.valid_by, None, result))
                    else:
                        prebuilt[index] = result
                    continue
            reads = self.reads[index]
            others: frozenset[str] | None = None
            shared: RuleResult | None = None
            if quick is not None and reads is not None:
                others = reads.difference(alone)
                shared = self._alone(entry, alone, on, readings, valid_from, valid_until, memo)
            if shared is not None and not others and not info.valid_by:
                prebuilt[index] = shared  # it reads the key alone
            else:
                todo.append((index, quick, info.valid_by, others, shared))
        return tuple(prebuilt), tuple(todo), {}

    def _alone(
        self,
        entry: Entry,
        alone: dict[str, Value],
        on: date,
        readings: Mapping[str, str],
        valid_from: date | None,
        valid_until: date | None,
        memo: dict[str, Value],
    ) -> RuleResult | None:
        """Rule `entry`'s result on the key alone, shared; None when it carries an amount or the
        rule raises (each case then reports it in the rules' order)."""
        found: list[RuleResult | None] = [None] * len(self.rules)
        try:
            _evaluate(self, (entry,), found, alone, on, readings, valid_from, valid_until,
                      frozenset(), memo)  # fmt: skip
        except Exception:
            return None
        result = found[entry[0]]
        if result is None or result.amount is not None:
            return None
        return _frozen(result)

    def resolve(self, plan: Plan, inputs: Mapping[str, Value]) -> Resolved:
        """`plan` for cases giving the names of `inputs`: a rule whose shared result holds when
        the case gives none of its other inputs, and whose date is not given, takes it here, once
        for every case giving those names — from the second such case on: the first gets the
        plan as it is, its names remembered (a service's random cases give ever other names,
        whose resolved plans would never be used again; the names kept are bounded)."""
        given = frozenset(inputs)
        found = plan[2].get(given, _UNSEEN)
        if found is None:  # seen once before: resolved now
            prebuilt = list(plan[0])
            todo: list[Todo] = []
            for item in plan[1]:
                _, _, anchor, others, shared = item
                if (
                    shared is not None
                    and not (anchor and anchor in given)
                    and (others is None or others.isdisjoint(given))
                ):
                    prebuilt[item[0]] = shared
                else:
                    todo.append(item)
            found = (tuple(prebuilt), tuple(todo))
            plan[2][given] = found
        elif found is _UNSEEN:  # the first case giving these names: the plan as it is (each
            # rule's shared result taken in `evaluate_fast`'s loop), the names remembered
            if len(plan[2]) >= MAX_RESOLVED:
                plan[2].clear()
            plan[2][given] = None
            return plan[0], plan[1]
        return found

    def once_among(self, received: frozenset[str]) -> tuple[int, ...]:
        """The indices of the one-off rules (`once`) named in `received`, in the rules' order."""
        return tuple(i for i, info in enumerate(self.rules) if info.once and info.name in received)

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

    def dateless(self, index: int, outcome: Unknown) -> RuleResult:
        """`_finish` for an Unknown outcome of rule `index`, judged on an input date the case
        does not give: undetermined, needing that date and the outcome's inputs. Shared, found
        by the Unknown itself (a constant of the generated module) or by its names."""
        shared = self._dateless[index]
        found = shared.get(outcome.names)
        if found is None:
            result = _finish(RuleResult(self.rules[index], "applies"), outcome, None)
            found = _frozen(result)
            if len(shared) < MAX_FIXED:
                shared[outcome.names] = found
        if id(outcome) in self._constants and len(shared) < MAX_FIXED:
            shared[outcome] = found
        return found

    def out_of_force(
        self, on: date, valid_from: date | None, valid_until: date | None
    ) -> tuple[RuleResult | None, ...]:
        """For an evaluation date `on` the policy (valid `valid_from` to `valid_until` under
        the case's readings) is not in force on: the result of each rule judged on that date
        with a fast function (`not_in_force`, as `run_rule` says it), None for the others
        (`dated`)."""
        key = (on, valid_from, valid_until)
        found = self._out_lists.get(key)
        if found is None:
            dated = {entry[0] for entry in self.dated}
            said = out_of_force_reason(on.isoformat(), on, valid_from, valid_until)
            found = tuple(
                None if index in dated else fixed_result(info, "not_in_force", said)
                for index, info in enumerate(self.rules)
            )
            if len(self._out_lists) >= MAX_OUT_DAYS:
                self._out_lists.clear()
            self._out_lists[key] = found
        return found

    def not_in_force(
        self, index: int, day: date, valid_from: date | None, valid_until: date | None
    ) -> RuleResult:
        """Rule `index` judged on `day` (the evaluation date, or its `valid_by` input's), a day
        the policy (valid `valid_from` to `valid_until`) is not in force: as `run_rule` says
        it, shared by the cases of that day."""
        key = (index, day, valid_from, valid_until)
        found = self._out.get(key)
        if found is None:
            info = self.rules[index]
            which = f"{info.valid_by} {day.isoformat()}" if info.valid_by else day.isoformat()
            said = out_of_force_reason(which, day, valid_from, valid_until)
            found = fixed_result(info, "not_in_force", said)
            if len(self._out) >= MAX_OUT:
                self._out.clear()
            self._out[key] = found
        return found

    def finished(self, index: int, outcome: Any, day: date | None) -> RuleResult:
        """`_finish` of rule `index`'s outcome where no shared result fits it by the Unknown's
        names or the reason: an Unknown judged without its `valid_by` date, a rule applying
        without an amount (both shared), or an amount (a result of its own)."""
        info = self.rules[index]
        if outcome.__class__ is tuple:
            amount, uncapped = outcome
            if amount is not None:
                if day is not None and not info.unspecified and amount.value >= 0:
                    result = RuleResult(info, "applies")
                    result.amount, result.uncapped = amount, uncapped
                    return result
                return _finish(RuleResult(info, "applies"), outcome, day)
            key: Any = ("", day is None)  # no reason is a tuple: its own place
        elif outcome.__class__ is Unknown and day is None:
            return self.dateless(index, outcome)
        else:
            return _finish(RuleResult(info, "applies"), outcome, day)
        shared = self._fixed[index]
        found = shared.get(key)
        if found is None:
            found = _frozen(_finish(RuleResult(info, "applies"), outcome, day))
            if len(shared) < MAX_FIXED:
                shared[key] = found
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


def evaluate_case(
    table: FastTable,
    inputs: Mapping[str, Value],
    on: date,
    readings: Mapping[str, str] | None,
    received: frozenset[str],
) -> list[RuleResult]:
    """`evaluate_fast` for a case's own readings (None: the declared ones), the readings taken
    and the validity under them found by the table (`FastTable.setup`)."""
    chosen, valid_from, valid_until, taken = table.setup(readings)
    return evaluate_fast(table, inputs, on, chosen, valid_from, valid_until, received, taken)


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
    memo: dict[str, Value] = {}
    entries = table.entries
    if not _within(on, valid_from, valid_until):
        # Not in force on the date: every rule judged on it says so (shared per day); those
        # judged on an input date, decisions, targets and rules without a fast function are
        # evaluated as usual.
        results: list[RuleResult | None] = list(table.out_of_force(on, valid_from, valid_until))
        _evaluate(table, table.dated, results, inputs, on, readings, valid_from, valid_until,
                  received, memo)  # fmt: skip
        return results  # type: ignore[return-value]  # every place filled
    plan = table.plan(inputs, readings, chosen, on, valid_from, valid_until)
    if plan is None:
        results = [None] * len(entries)
        _evaluate(table, entries, results, inputs, on, readings, valid_from, valid_until,
                  received, memo)  # fmt: skip
        return results  # type: ignore[return-value]  # every place filled
    prebuilt, todo = table.resolve(plan, inputs)
    results = list(prebuilt)
    # In force, judged on `on` (or an anchor date checked here): what `run_rule` checks first
    # holds. Rules left to the traced path, in the rules' order.
    traced: list[Entry] = []
    # A one-off rule the case has received is said so (or not in force) by `run_rule`, after.
    once = table.once_among(received) if received else ()
    dateless = table._dateless
    for index, quick, anchor, others, shared in todo:
        if once and index in once:
            continue
        day: date | None = on
        if anchor:
            day = inputs.get(anchor)
            if day is not None and not _within(day, valid_from, valid_until):
                traced.append(entries[index])  # not in force on its date: said there
                continue
        if shared is not None and (others is None or others.isdisjoint(inputs)):
            results[index] = shared
            continue
        if quick is None:
            traced.append(entries[index])
            continue
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
            if day is not None:
                results[index] = table.undetermined(index, outcome)
            else:  # its date not given: the usual answer of a rule judged on one
                found = dateless[index].get(outcome)
                results[index] = found if found is not None else table.dateless(index, outcome)
        else:
            results[index] = table.finished(index, outcome, day)
    if traced or once:  # on the traced path: no fast function
        traced.extend(entries[i] for i in once)
        rest = tuple((i, info, f, None) for i, info, f, _ in traced)
        _evaluate(table, rest, results, inputs, on, readings, valid_from, valid_until,
                  received, memo)  # fmt: skip
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
                results[index] = table.not_in_force(index, day, valid_from, valid_until)
                continue
            if info.once and info.name in received:
                results[index] = RuleResult(info, "already_received", "一次性奖补, 案例记载已领取")
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
                results[index] = table.finished(index, outcome, day)
                continue
        if ctx is None:
            ctx = Ctx(inputs, on, readings, valid_from, valid_until)
        if info.role == "decision":
            results[index] = ctx.run_decision(info, function)
        elif info.role == "target":
            results[index] = ctx.run_target(info, function)
        else:
            results[index] = ctx.run_rule(info, function, received)
