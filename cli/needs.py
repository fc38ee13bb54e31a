"""What a case still needs: every input that could change a rule it leaves undetermined.

A rule is evaluated in layers: its validity (`valid_by`), its conditions, then its amount and
cap. The evaluation stops at the first layer an input it lacks leaves open, so a rule's own
`missing` names only that layer's inputs (装修补贴 asks for 入驻日期, and for 装修面积 only once
入驻日期 is given). `still_needed` names all the layers at once:

- the conditions' and the validity's inputs as the three-valued evaluation found them missing
  (exact: an any-of option already ruled out by a given input asks for nothing);
- every input the amount and the cap read, found statically from the checked policy, through
  `define`s, not by evaluating again; a `decide`d value the case already settles is not
  looked through (its inputs cannot change it any more);

minus the inputs the case gives. Two inputs either of which settles what a rule waits for are
one "any of" set (`any_of_sets`): an amount `if given(A) then … A … else … B …`, or a condition
`… A … or … B …` (each side reading one input), when both are still needed by the same rules.
Targets the case does not report are not inputs a rule waits
for; the reports count them apart.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping

from policyc.compiler.run_view import InputView, Lean, RunView, as_view
from policyc.runtime.evaluation import RuleResult
from policyc.runtime.plain import Frozen, _set
from policyc.runtime.quantity import dims_text

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

    from policyc.compiler.checker import CheckedPolicy, InputInfo

MEMBERS_SHOWN = 6  # an enum's members named in a line; the case schema lists them all
Item = tuple[str, str, str, tuple[str, ...]]  # a still-needed input: name, description, measure,
# the rules needing it (`needed_fields`)
Plan = tuple[bool, tuple[Item, ...]]


class Recent:
    """A store of at most `size` entries that drops the one used least recently to take a new
    one (LRU): the entries used again and again stay, however many used once pass through.
    `recent(key)` is the entry or None, marking it used; `put(key, value)` stores it, dropping
    the oldest beyond `size`. (functools.lru_cache keeps a function's results, not a store
    looked up by a key worked out apart; OrderedDict's `move_to_end` is the C-speed LRU.)"""

    __slots__ = ("entries", "size")

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[Any, Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def recent(self, key: Any) -> Any:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: Any, value: Any) -> None:
        entries = self.entries
        entries[key] = value
        entries.move_to_end(key)
        if len(entries) > self.size:
            entries.popitem(last=False)

    def clear(self) -> None:
        self.entries.clear()


class NeededInput(Frozen):
    """One input the case does not give: its declared description, how its value is written
    (`measure`: 平方米, 日期, 是/否, the members of an enum…) and the undetermined results it
    could change, in document order."""

    _fields = ("name", "description", "measure", "rules")
    __slots__ = _fields
    name: str
    description: str
    measure: str
    rules: tuple[str, ...]

    def __init__(self, name: str, description: str, measure: str, rules: tuple[str, ...]):
        _set(self, "name", name)
        _set(self, "description", description)
        _set(self, "measure", measure)
        _set(self, "rules", rules)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "measure": self.measure,
            "rules": list(self.rules),
        }


def still_needed(
    checked: CheckedPolicy | RunView,
    results: Iterable[RuleResult],
    given: Mapping[str, Any],
    readings: Mapping[str, str],
) -> list[NeededInput]:
    """Each input the undetermined `results` need, once, in order of first need; `given` holds
    the case's inputs (its keys are what the case gives), `readings` every reading's option
    taken in the run."""
    return [NeededInput(*fields) for fields in needed_fields(checked, results, given, readings)]


def needed_fields(
    checked: CheckedPolicy | RunView,
    results: Iterable[RuleResult],
    given: Mapping[str, Any],
    readings: Mapping[str, str],
) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """`still_needed`'s inputs as (name, description, measure, rules) each, for a writer that
    wants no NeededInput (the JSON answer)."""
    policy = as_view(checked)
    results = results if isinstance(results, list) else list(results)
    waiting = [r for r in results if r.status == "undetermined"]
    if not waiting:
        return []
    settled = [r.info.name for r in results if r.status == "decided"]
    return needed_for(policy, waiting, settled, given, readings)


def needed_for(
    policy: RunView,
    waiting: list[RuleResult],
    settled: list[str],
    given: Mapping[str, Any],
    readings: Mapping[str, str],
) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """`needed_fields` for a caller that has sorted the results already: `waiting` the
    undetermined ones (in order; not empty), `settled` the names of the decided ones. An
    undetermined rule a `choose highest of …` has ruled out is paid nothing whatever its inputs
    say (runtime/choices.py `Chosen.out`): its inputs are not asked for."""
    if any(r.choice is not None and r.choice.out for r in waiting):
        waiting = [r for r in waiting if r.choice is None or not r.choice.out]
        if not waiting:
            return []
    known = _KNOWN_BY_ID.get(id(policy)) or _known(policy)
    context = known.context(known.taken(readings), frozenset(settled))
    key = (context, tuple([(r.info.name, r.missing) for r in waiting]))
    plan = known.plans.recent(key)
    if plan is None:
        plan = known.plan(policy, waiting, key)
    if plan[0]:  # the needs of these results, less the inputs the case gives
        return [item for item in plan[1] if item[0] not in given]
    return _needs_written(policy, known, _needs(policy, known, waiting, context, given))


def _needs(
    policy: RunView,
    known: _Known,
    waiting: list[RuleResult],
    context: int,
    given: Mapping[str, Any],
) -> dict[str, list[str]]:
    """name → the rules needing it, in order of first need: what the undetermined results
    `waiting` ask for in the run's `context`, less what the case gives."""
    people = policy.people
    member_inputs = people.member_inputs
    needs: dict[str, list[str]] = {}
    for r in waiting:
        key = (r.info.name, r.missing, context)
        asked = known.asked.get(key)
        if asked is None:
            asked = known.ask(policy, r, key)
        rule_name = r.info.name
        for asked_name, plain in asked:
            # A member's or a period's value (`李小明.出生日期`, `工资[2026-12]`) is missing as
            # the evaluation named it; a plain input, unless the case gives it; an input each
            # member gives, as the values of the members that lack it (`张大爷.审核通过日期`).
            if plain and asked_name in member_inputs:
                names: Iterable[str] = _lacking(given, asked_name, people.defaults)
            elif plain and asked_name in given:
                continue
            else:
                names = (asked_name,)
            for name in names:
                found = needs.get(name)
                if found is None:
                    needs[name] = [rule_name]
                elif found[-1] != rule_name:
                    found.append(rule_name)
    return needs


def _needs_written(
    policy: RunView, known: _Known, needs: dict[str, list[str]]
) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """`_needs` as `needed_fields`' items: each name's description, measure and rules; a value
    missing for several periods grouped on one line."""
    written = known.written
    if "[" not in "".join(needs):  # no value of a period: each name is its own line
        return [
            (
                name,
                *written(policy, name),
                tuple(dict.fromkeys(rule_names)) if len(rule_names) > 1 else (rule_names[0],),
            )
            for name, rule_names in needs.items()
        ]
    # A value missing for several periods is one line: 王芳.月收入[2026-01、2026-04至2026-12].
    grouped: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for name, rule_names in needs.items():
        base, _bracket, period = name.partition("[")
        grouped.setdefault((base, tuple(dict.fromkeys(rule_names))), []).append(period[:-1])
    return [
        (
            f"{base}[{_periods_text(periods)}]" if periods != [""] else base,
            *written(policy, base),
            rule_names,
        )
        for (base, rule_names), periods in grouped.items()
    ]


class _Known:
    """What `still_needed` works out once per policy view: the names an undetermined result
    asks for, by its rule, its missing inputs and the run's context (the readings taken and
    the values decided, numbered), each with whether it is a declared input itself (a member's
    or a period's value is not); and each input's description and how it is written."""

    __slots__ = (
        "anywhere",
        "asked",
        "contexts",
        "eithers",
        "items",
        "partnered",
        "plans",
        "sorted",
        "words",
    )

    def __init__(self) -> None:
        self.anywhere: frozenset[str] | None = None
        # by (context, each undetermined result's rule and missing inputs)
        self.plans = Recent(_PLAN_ENTRIES)
        # each still-needed item once, shared by the plans naming it (`plan`)
        self.items: dict[Item, Item] = {}
        self.partnered: dict[str, dict[str, frozenset[str]]] = {}
        self.eithers: dict[str, tuple[tuple[str, str], ...]] = {}
        self.contexts: dict[tuple[tuple[tuple[str, str], ...], frozenset[str]], int] = {}
        self.asked: dict[tuple[str, tuple[str, ...], int], tuple[tuple[str, bool], ...]] = {}
        self.words: dict[str, tuple[str, str]] = {}
        self.sorted: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}

    def taken(self, readings: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
        """The readings taken, sorted by name: sorted once per order of the same readings."""
        given = tuple(readings.items())
        found = self.sorted.get(given)
        if found is None:
            if len(self.sorted) >= _LATER_ENTRIES:
                self.sorted.clear()
            found = self.sorted[given] = tuple(sorted(given))
        return found

    def context(self, taken: tuple[tuple[str, str], ...], settled: frozenset[str]) -> int:
        found = self.contexts.get((taken, settled))
        if found is None:
            if len(self.contexts) >= _LATER_ENTRIES:  # then what was asked in them goes too
                self.contexts.clear()
                self.asked.clear()
                self.plans.clear()
            found = self.contexts[(taken, settled)] = len(self.contexts)
        return found

    def ask(
        self, policy: RunView, r: RuleResult, key: tuple[str, tuple[str, ...], int]
    ) -> tuple[tuple[str, bool], ...]:
        """The names `r` asks for (its missing inputs, then its later layers' for a rule),
        once each, with whether each is a declared input itself; kept under `key`."""
        names = list(r.missing)
        if r.info.role == "rule":
            taken, settled = next(k for k, n in self.contexts.items() if n == key[2])
            names.extend(_later_layers(policy, r.info.name, taken, settled))
        found = []
        for name in dict.fromkeys(names):
            declared = _declared(name)
            if declared in policy.inputs:
                found.append((name, declared == name))
        if len(self.asked) >= _LATER_ENTRIES:  # the missing inputs come with the cases
            self.asked.clear()
        asked = self.asked[key] = tuple(found)
        return asked

    def plan(
        self,
        policy: RunView,
        waiting: list[RuleResult],
        key: tuple[int, tuple[tuple[str, tuple[str, ...]], ...]],
    ) -> Plan:
        """`needed_fields`' items for the undetermined results `waiting` in the run's context
        (`key`: the context's number, each result's rule and missing inputs), for a case giving
        none of the inputs (each dropped from a case that gives it): (True, items) — or
        (False, ()) where a member's or a period's value is asked for (the case's members and
        periods make those names), left to `_needs` case by case. Kept under `key`, the
        _PLAN_ENTRIES used last (`Recent`)."""
        asked = [
            (name, plain)
            for r in waiting
            for name, plain in self.asked.get((r.info.name, r.missing, key[0]))
            or self.ask(policy, r, (r.info.name, r.missing, key[0]))
        ]
        members = policy.people.member_inputs
        plan: Plan = (False, ())
        if not any(
            "[" in name or "." in name or (plain and name in members) for name, plain in asked
        ):
            needs = _needs(policy, self, waiting, key[0], {})
            plan = (
                True,
                tuple([self.shared(item) for item in _needs_written(policy, self, needs)]),
            )
        self.plans.put(key, plan)
        return plan

    def shared(self, item: Item) -> Item:
        """`item`, or the equal item met before: the plans, thousands of them, name the same
        few hundred items (an input and the rules needing it), each held once."""
        found = self.items.get(item)
        if found is None:
            if len(self.items) >= _LATER_ENTRIES:
                self.items.clear()
            found = self.items[item] = item
        return found

    def either(self, policy: RunView, rule_name: str) -> tuple[tuple[str, str], ...]:
        """`_either_pairs` of a rule, worked out once per policy (it reads the policy only)."""
        found = self.eithers.get(rule_name)
        if found is None:
            found = self.eithers[rule_name] = _either_pairs(policy, rule_name)
        return found

    def pairable(self, policy: RunView) -> frozenset[str]:
        """The inputs in some rule's `either` pairs (any other input pairs with none)."""
        if self.anywhere is None:
            self.anywhere = frozenset(
                name for rule in policy.rules for pair in self.either(policy, rule) for name in pair
            )
        return self.anywhere

    def partners(self, policy: RunView, rule_name: str) -> dict[str, frozenset[str]]:
        """A rule's `either` pairs as input → the inputs it pairs with (either way round)."""
        found = self.partnered.get(rule_name)
        if found is None:
            by_input: dict[str, set[str]] = {}
            for first, second in self.either(policy, rule_name):
                by_input.setdefault(first, set()).add(second)
                by_input.setdefault(second, set()).add(first)
            found = {name: frozenset(others) for name, others in by_input.items()}
            self.partnered[rule_name] = found
        return found

    def written(self, policy: RunView, name: str) -> tuple[str, str]:
        """The description and `how_written` of the input `name` is a value of."""
        found = self.words.get(name)
        if found is None:
            info = policy.inputs[_declared(name)]
            if len(self.words) >= _LATER_ENTRIES:  # members' names come with the cases
                self.words.clear()
            found = self.words[name] = (info.decl.description, how_written(policy, info))
        return found


def per_view(store: dict[int, Any], view: RunView, make: Callable[[], Any]) -> Any:
    """`store`'s entry for `view` (kept by its id, made by `make` on first use), dropped when
    the view is: a worker's per-policy caches never outlive the policy nor meet another's."""
    found = store.get(id(view))
    if found is None:
        found = store[id(view)] = make()
        weakref.finalize(view, store.pop, id(view), None)
    return found


# By the view's id, dropped with the view.
_KNOWN_BY_ID: dict[int, _Known] = {}


def _known(policy: RunView) -> _Known:
    known: _Known = per_view(_KNOWN_BY_ID, policy, _Known)
    return known


def _periods_text(periods: list[str]) -> str:
    """Periods in order, three or more months in a row as a range: `2026-01、2026-04至2026-12`."""
    runs: list[list[str]] = []
    for period in sorted(periods):
        if runs and _next_month(runs[-1][-1]) == period:
            runs[-1].append(period)
        else:
            runs.append([period])
    parts: list[str] = []
    for run in runs:
        parts.extend([f"{run[0]}至{run[-1]}"] if len(run) >= 3 else run)
    return "、".join(parts)


def _next_month(period: str) -> str:
    if len(period) != 7:  # a year: no run of months
        return ""
    year, month = int(period[:4]), int(period[5:])
    return f"{year + month // 12}-{month % 12 + 1:02d}"


def _lacking(
    given: Mapping[str, Any], name: str, defaults: tuple[tuple[str, Any], ...]
) -> tuple[str, ...]:
    """`name`, an input each member gives, as the values of the case's members that lack it
    (`张大爷.审核通过日期`); none when the input has a default."""
    if any(declared == name for declared, _ in defaults):
        return ()
    return tuple(
        f"{member.name}.{name}"
        for member in getattr(given, "members", ())
        if name not in member.inputs and name not in member.series
    )


def _declared(name: str) -> str:
    """The declared input a missing value stands for: `李小明.出生日期` (a member's),
    `工资[2026-12]` (a period's) and `王芳.月收入[2026-12]` are values of 出生日期, 工资, 月收入."""
    return name.partition("[")[0].rpartition(".")[2]


# The inputs a rule's amount and cap layers read depend only on the rule, the readings taken and
# the decided values: worked out once per policy and kept in its view (`RunView.later`; the web
# service asks this for every case it answers).
_LATER_ENTRIES = 4096  # per policy: combinations of readings and decided values actually met
# Per policy: `_Known.plan`s kept, the most recently used (sets of undetermined results met).
# Random textile cases (benchmarks/serve.py) met 3,810 sets in 60,000 cases; kept by recent use,
# 2,048 of them answer 91% of cases (4,096 cleared when full, 93%; 1,024, 86%): about 1.3 kB
# each with their items shared (`_Known.shared`), under 3 MB a policy.
_PLAN_ENTRIES = 2048


def _later_layers(
    policy: RunView,
    rule_name: str,
    taken: tuple[tuple[str, str], ...],
    settled: frozenset[str],
) -> tuple[str, ...]:
    """The inputs the amount and cap of `rule_name` read, then its `valid_by` input."""
    known = policy.later
    key = (rule_name, taken, settled)
    found = known.get(key)
    if found is None:
        rule = policy.rules.get(rule_name)
        names: list[str] = []
        if rule is not None:
            later: list[Lean] = [rule.amount] if rule.amount is not None else []
            if rule.cap is not None:
                later.append(rule.cap)
            names = inputs_read(policy, later, dict(taken), settled)
            if rule.valid_by is not None:
                names.append(rule.valid_by)
        found = tuple(names)
        if len(known) >= _LATER_ENTRIES:
            known.clear()
        known[key] = found
    return found


def inputs_read(
    policy: RunView,
    exprs: Iterable[Lean],
    readings: Mapping[str, str],
    settled: frozenset[str] | set[str] = frozenset(),
) -> list[str]:
    """The inputs `exprs` (lean expressions, compiler/run_view.py) read, directly or through
    `define`s (a tally's member too), in order of first mention. An `if` on readings alone reads
    only the branch the `readings` taken choose (readings are known before any input); the
    `define`s in `settled` are not looked through."""
    found: dict[str, None] = {}
    seen: set[str] = set(settled)
    inputs, defines = policy.inputs, policy.defines

    def visit(expr: Lean) -> None:
        tag = expr[0]
        if tag in ("ref", "given"):
            name = expr[1]
            if name in inputs:
                found.setdefault(name)
            elif name in defines and name not in seen:
                seen.add(name)
                visit(defines[name])
            return
        if tag == "if":
            chosen = _by_readings(expr[1], readings)
            if chosen is not None:
                visit(expr[2] if chosen else expr[3])
                return
        if tag == "reading":
            return
        for child in expr[1] if tag == "node" else expr[1:]:
            visit(child)

    for expr in exprs:
        visit(expr)
    return list(found)


def _by_readings(cond: Lean, readings: Mapping[str, str]) -> bool | None:
    """The value of a condition made of readings only (`reading R is O`, and/or/not), or None
    when it reads anything else."""
    tag = cond[0]
    if tag == "reading":
        taken = readings.get(cond[1])
        return None if taken is None else taken == cond[2]
    if tag == "not":
        inner = _by_readings(cond[1], readings)
        return None if inner is None else not inner
    if tag in ("and", "or"):
        left, right = _by_readings(cond[1], readings), _by_readings(cond[2], readings)
        if left is None or right is None:
            return None
        return (left and right) if tag == "and" else (left or right)
    return None


def how_written(policy: CheckedPolicy | RunView, info: InputInfo | InputView) -> str:
    """How a case writes the input's value, in the case worker's words."""
    kind = info.type.kind
    if kind == "bool":
        return "是/否"
    if kind == "date":
        return "日期"
    if kind == "enum":
        members = policy.enums[info.type.enum]
        if len(members) > MEMBERS_SHOWN:
            return f"{'、'.join(members[:MEMBERS_SHOWN])} 等 {len(members)} 项之一"
        return "、".join(members) + " 之一"
    measure = info.measure.name if info.measure is not None else dims_text(info.type.dims)
    if kind == "keyed":
        return f"按{'、'.join(policy.enums[info.type.enum])}分列，单位 {measure}"
    if kind == "series":
        return f"逐日数值，单位 {measure}" if measure else "逐日数值"
    if measure == "%" and info.decl.type.kind == "named":
        return "百分比，带百分号，如 5.5%"
    return measure or "数值"


def any_of_sets(
    checked: CheckedPolicy | RunView, needed: Iterable[tuple[str, str, str, tuple[str, ...]]]
) -> list[tuple[str, str]]:
    """The pairs of `needed` inputs (`needed_fields`'s items) either of which suffices: both
    needed by the same rules, each of which reads them as `if given(A) then … A … else … B …`
    (its amount, cap or a condition) or as `… A … or … B …` (each side reading one input). In
    the order of the first of each pair; an input in one pair at most.

    Each rule's pairs are read once per policy, as partners by input (`_Known.partners`); a
    call then costs a lookup per needed input and rule, not a comparison of every two inputs."""
    policy = as_view(checked)
    known = _known(policy)
    pairable = known.pairable(policy)
    rules_of = {item[0]: item[3] for item in needed}
    pairs: list[tuple[str, str]] = []
    paired: set[str] = set()
    for name, rules in rules_of.items():
        if name not in pairable or name in paired or not rules:  # (every needed input is
            continue  # needed by some rule)
        # the inputs pairing with `name` in every one of its rules
        partners = known.partners(policy, rules[0]).get(name)
        for rule in rules[1:]:
            if not partners:
                break
            partners = partners & known.partners(policy, rule).get(name, frozenset())
        if not partners:
            continue
        for other, others in rules_of.items():  # the first such, in the order needed
            if other in partners and other not in paired and set(others) == set(rules):
                pairs.append((name, other))
                paired.update((name, other))
                break
    return pairs


def _either_pairs(policy: RunView, rule_name: str) -> tuple[tuple[str, str], ...]:
    """The pairs of inputs either of which settles a part of `rule_name` (`any_of_sets`)."""
    rule = policy.rules.get(rule_name)
    if rule is None:
        return ()
    found: list[tuple[str, str]] = []

    def single(expr: Lean) -> str | None:
        names = inputs_read(policy, [expr], {})
        return names[0] if len(names) == 1 else None

    def walk(expr: Lean) -> None:
        tag = expr[0]
        if tag == "if" and expr[1][0] == "given":
            read, otherwise = single(expr[2]), single(expr[3])
            if (
                read is not None
                and read == expr[1][1]
                and otherwise is not None
                and otherwise != read
            ):
                found.append((read, otherwise))
        elif tag == "or":
            left, right = single(expr[1]), single(expr[2])
            if left is not None and right is not None and left != right:
                found.append((left, right))
        if tag in ("if", "and", "or", "not"):
            for child in expr[1:]:
                walk(child)
        elif tag == "node":
            for child in expr[1]:
                walk(child)

    for expr in (*rule.whens, rule.amount, rule.cap):
        if expr is not None:
            walk(expr)
    return tuple(found)
