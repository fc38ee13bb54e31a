"""Which members made a household's condition fail (`not any(members where 有车)`), read from a
result's explained steps: one line per member an expression over members counted against the
way the failed condition wanted it (cli/member_senses.py: under `not any(P)` the members P holds
for, under `all(P)` those it fails for, `count`/`sum`/`max`/`min` by their comparison).

An aggregate evaluated with `explain` steps `成员 李强（配偶）` at its line before each member's
own steps (runtime/people_ops.py `aggregate`), then `有家庭成员（有车） = 是（计入: 李强（配偶））`
at the same line. Only the steps of the `when` that failed are read; a member's line gives its
own steps that went the way that counts against the household:

    李强（配偶）: 名下车辆为其他机动车辆: 其他机动车辆 → 成立
    张大爷（老年人）: 自出生日期至申请日期的周年数 满60年（含本数）: 59年 对 60年 → 不成立

A member whose part left no step of its own (a yes/no input read bare, `本区户籍`) gets the
yes/no inputs it reads that the case answers so (`张大爷（老年人）: 本区户籍 否`, or before the
aggregate's condition: `本区户籍 否（可发放 不成立）`). The result page's "为何不适用" shows
these lines under a rule the case rules out, and `run`'s answer under 为何不适用
(`explained_whys`); for a rule whose condition of several parts failed without a member to
name, the failed parts (`FailedParts`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from policyc.member_senses import Wanted
from policyc.runtime.plain import Record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal
    from typing import Any

    from policyc.compiler.pipeline import CompiledPolicy
    from policyc.runtime.evaluation import RuleResult

# Compiled (and kept by re) when a member's step is first read: most runs read none (issue 16).
_MEMBER = r"成员 (?P<who>.+（[^（）]*）)"
_SUMMARY = r"(?P<text>.+?) = (?P<value>.*)（计入: (?P<names>.*)）"
_WHERE = r"（(?P<where>[^（）]*)）"  # `有家庭成员（有车）`, `家庭成员（就业）的人数`
_FALSE = ("→ 不成立", "→ 未达到")
_TRUE = ("→ 成立", "→ 达到")
_SETTLED = ("条件成立: ", "条件待定: ")
# How a `when` that does not hold is said (compiler/render.py `failed`)
_FAILED_HEADS = ("条件不成立: ", "案例未给出", "案例给出了")
_FAILED_TAILS = ("（此条要求其不成立）", "（此条要求均不成立）")


class Traced(Record):
    """One expression over members as a rule's steps trace it: its text and line, the value
    shown (`是`, `5000元`), who it counted (`王芳（申请人）、李强 0元`, `无`), each member's own
    steps in the order evaluated (who, steps), and the index of its summary step."""

    _fields = ("text", "line", "value", "counted", "members", "at")
    __slots__ = _fields
    text: str
    line: int
    value: str
    counted: str
    members: list[tuple[str, list[str]]]
    at: int

    def __init__(
        self, text: str, line: int, value: str, counted: str,
        members: list[tuple[str, list[str]]], at: int,
    ):  # fmt: skip
        self.text, self.line, self.value, self.counted = text, line, value, counted
        self.members, self.at = members, at


def traced(steps: Sequence[tuple[str, int]]) -> list[Traced]:
    """The expressions over members among `steps` ((text, line), as evaluated), in the order
    their summaries (`… = 是（计入: 李强（配偶））`) stand. A member's marker (`成员 李强（配偶）`)
    at a line no summary closes is a rule's paid `each` member: the steps after it are not an
    aggregate's. Raises nothing."""
    found: list[Traced] = []
    open_: list[tuple[int, str, list[str]]] = []  # (line, who, steps) of markers still open
    for at, (text, line) in enumerate(steps):
        member = re.fullmatch(_MEMBER, text)
        summary = re.fullmatch(_SUMMARY, text) if member is None else None
        if member is not None:
            open_.append((line, member["who"], []))
        elif summary is not None and any(o[0] == line for o in open_):
            members = [(who, own) for at_line, who, own in open_ if at_line == line]
            open_ = [o for o in open_ if o[0] != line]
            found.append(
                Traced(summary["text"], line, summary["value"], summary["names"], members, at)
            )
        elif open_:
            open_[-1][2].append(text)
    return found


def member_whys(
    steps: Sequence[tuple[str, int]],
    said: Callable[..., list[str]] | None = None,
    wants: Wanted | None = None,
) -> list[str]:
    """The lines naming the members that made a household's condition fail, from one rule's
    explained steps.

    `steps`: the rule's trace as (text, policy line) pairs, in the order evaluated (each
    `RuleResult.steps`' `.text` and `.line`). `wants`: which way the rule's conditions wanted
    each expression over members (member_senses.wanted); None reads each `any`/`all` as
    wanted true. `said(member name, condition[, True])`: the yes/no inputs of that member's the
    case answers 否 (是 with True) (`case_no_answers`), for a member whose part left no step.

    Only the steps of a condition that failed are read (from the one settled before it,
    `条件成立: …`, to its `条件不成立: …`; all of them when none failed), and in them only an
    expression that went against the way it was wanted: `not any(有车)` that came out 是 names
    the members counted, with their steps that held (`… → 成立`); `all(本市户籍)` that came out
    否 the members not counted, with their steps that failed; `count(P) ≥ n` failing, those
    not counted; `count(P) < n` or `sum(存款) 不超过 X` failing, those counted (a sum: those
    adding more than nothing, with their amount); `max(…) ≤ X` failing, the members of the
    largest value (`min(…) ≥ X`: of the smallest). A member's line lists its own steps, else its
    yes/no answers before the condition (`本区户籍 否（可发放 不成立）`), else the condition
    (`可发放 不成立`). Each line once: the expression evaluated last (the part an `or` was
    settled on) first, each one's members in the order evaluated; [] when no expression over
    members went against the failed condition, or the steps hold none. Raises nothing.

    >>> member_whys([
    ...     ("成员 张大爷（老年人）", 9), ("年龄 满60周岁（含本数）: 59 对 60 → 不成立", 5),
    ...     ("成员 李大妈（老年人）", 9),
    ...     ("有老年人（可发放） = 否（计入: 无）", 9),
    ... ])  # doctest: +NORMALIZE_WHITESPACE
    ['张大爷（老年人）: 年龄 满60周岁（含本数）: 59 对 60 → 不成立',
     '李大妈（老年人）: 可发放 不成立']
    """
    return _whys_in(steps, _failed_span(steps), said, wants)


def _whys_in(
    steps: Sequence[tuple[str, int]],
    span: tuple[int, int],
    said: Callable[..., list[str]] | None,
    wants: Wanted | None,
) -> list[str]:
    """`member_whys` of the steps in [start, end) `span` of `steps`."""
    start, end = span
    out: list[str] = []
    # the last one evaluated first: 且/或 stop at the part that settles them (condition_whys)
    for found in reversed(traced(steps)):
        if not start <= found.at < end:
            continue
        for line in _blamed(found, steps[start:end], said, wants):
            if line not in out:
                out.append(line)
    return out


def _failed_span(steps: Sequence[tuple[str, int]]) -> tuple[int, int]:
    """[start, end) of the steps of the first condition that failed: after the one settled
    before it, up to its reason (`条件不成立: …`, `「…」成立（此条要求其不成立）`, `案例未给出…`);
    every step when none failed."""
    start = 0
    for at, (text, _line) in enumerate(steps):
        if text.startswith(_SETTLED):
            start = at + 1
        elif text.startswith(_FAILED_HEADS) or text.endswith(_FAILED_TAILS):
            return start, at
    return 0, len(steps)


def _blamed(
    found: Traced,
    span: Sequence[tuple[str, int]],
    said: Callable[..., list[str]] | None,
    wants: Wanted | None,
) -> list[str]:
    """The lines of the members `found` (an expression over members) counts against the failed
    condition whose steps are `span`; [] when it went the way it was wanted."""
    func, sense, under = "any", True, None
    if wants is not None:
        entry = wants.aggregates.get((found.text, found.line))
        if entry is None:
            return []
        func, sense, under = entry
    if under is None:  # any/all: its own value says
        if found.value != ("否" if sense else "是"):
            return []
        return _lines(found, counted=not sense, said=said)
    (text, line), want = under
    verdict = next(
        (t.endswith(" → 成立") for t, at in span if at == line and t.startswith(f"{text}: ")),
        None,
    )
    if verdict is None or verdict == want:
        return []  # the comparison held as wanted, or was not reached
    if func == "count" or (func == "sum" and sense > 0):
        return _lines(found, counted=sense < 0, said=said)
    values = _counted_values(found.counted)
    if func == "sum":
        chosen = {who for who, value in values.items() if value is not None and value > 0}
    elif (func, sense) in (("max", -1), ("min", 1)) and values:
        known = [v for v in values.values() if v is not None]
        extreme = (max if func == "max" else min)(known) if known else None
        chosen = {who for who, value in values.items() if extreme is not None and value == extreme}
    else:
        return []
    said_as = "计入{text} {value}" if func == "sum" else "{text} = {value}"
    return [
        f"{who}: " + said_as.format(text=found.text, value=_value_text(found.counted, who))
        for who, _own in found.members
        if who.partition("（")[0] in chosen
    ]


def _lines(found: Traced, counted: bool, said: Callable[..., list[str]] | None) -> list[str]:
    """A line for each member `found` counted (`counted`), or did not: its own steps that went
    that way, else its yes/no answers before the condition, else the condition."""
    where = re.search(_WHERE, found.text)
    condition = where["where"] if where is not None else found.text
    out = []
    for who, own in found.members:
        name = who.partition("（")[0]
        if _counted(name, found.counted) != counted:
            continue
        why = [t for t in own if t.endswith(_TRUE if counted else _FALSE)]
        if not why:
            answers = []
            if said is not None:
                answers = said(name, condition, True) if counted else said(name, condition)
            words = f"{condition} {'成立' if counted else '不成立'}"
            if answers and answers[0].startswith(f"{condition} ") and len(answers) == 1:
                why = answers  # the condition is the yes/no input itself: `本市户籍 否`
            else:
                why = [f"{'、'.join(answers)}（{words}）" if answers else words]
        out.append(f"{who}: {'；'.join(why)}")
    return out


def _counted_values(counted: str) -> dict[str, Decimal | None]:
    """`王芳 5000元、李强 0元` → {王芳: 5000, 李强: 0}: each counted member's value as a number
    (None when it does not start with one)."""
    from decimal import Decimal, InvalidOperation

    values: dict[str, Decimal | None] = {}
    for part in counted.split("、"):
        name, _, value = part.partition(" ")
        number = re.match(r"-?[\d,]+(?:\.\d+)?", value)
        try:
            values[name] = Decimal(number[0].replace(",", "")) if number else None
        except InvalidOperation:
            values[name] = None
    return values


def _value_text(counted: str, who: str) -> str:
    """The value `计入: 王芳 5000元、…` gives member `who` (`王芳（申请人）`)."""
    name = who.partition("（")[0]
    for part in counted.split("、"):
        if part.startswith(f"{name} "):
            return part[len(name) + 1 :]
    return ""


def _counted(name: str, counted: str) -> bool:
    """Whether `计入: 张大爷（老年人）、李大妈 300元` names member `name` (无: nobody)."""
    for part in counted.split("、"):
        if part == name or part.startswith((f"{name}（", f"{name} ")):
            return True
    return False


def explained_whys(
    policy: CompiledPolicy,
    results: Iterable[RuleResult],
    inputs: Mapping[str, Any],
    on: date,
    readings: Mapping[str, str],
    received: Iterable[str] = (),
) -> dict[str, list[str]]:
    """Rule name → the lines that say why the case rules it out, past its reason, for `run`'s
    answer (under 为何不适用): which member an aggregate left out (`member_whys`), or, for a rule
    whose reason is a condition of several parts that does not hold — a named one
    (`条件不成立: 符合贷款条件`) or one joined by 且/或 (`has_parts`) —, the parts of it that
    failed, the one that decided first (`condition_whys`:
    `所购住房套数为首套、第二套之一: 第三套及以上 → 不成立`).

    `results` are the case's results as `run` evaluated them (without steps); `inputs`, `on`,
    `readings` and `received` are the case as evaluated. Only when some such rule came out
    `not_applicable` is the case evaluated once more with `explain` to read why; a rule with
    nothing more to say is absent, and the result is {} at no cost otherwise. Raises what
    `CompiledPolicy.evaluate` raises on the same case (nothing for a case `run` has already
    evaluated).
    """
    view = policy.view
    ruled_out = [r for r in results if r.status == "not_applicable" and r.info.role == "rule"]
    named = {r.info.name for r in ruled_out if has_parts(r.reason, view.defines)}
    if not ruled_out or not (view.people.group or named):
        return {}
    found: dict[str, list[str]] = {}
    members = MemberWhys(policy, case_no_answers(policy, inputs, readings))
    failed = FailedParts(policy)
    for r in policy.evaluate(inputs, on, readings, received, explain=True):
        steps = [(step.text, step.line) for step in r.steps]
        if r.status != "not_applicable":
            members.saw(steps)
            continue
        lines = members.lines(r.info.name, steps) if view.people.group else []
        if r.info.name in named:
            lines = members.after_parts(failed.lines(steps, r.reason, r.info.name), lines)
        if lines:
            found[r.info.name] = lines
    return found


class MemberWhys:
    """The member lines (`member_whys`) of one case's ruled-out rules, its results read in the
    order evaluated. A household's define is evaluated once per case, where first read, so a
    rule whose `when` is that define (`符合低保条件`, or `not 有不予认定情形`) may only cite its
    value (`符合低保条件 = 否`): its members are then read from the steps of the results
    before it (`saw`), in the sense this rule's `when` wants."""

    def __init__(self, policy: CompiledPolicy, said: Callable[..., list[str]] | None = None):
        self.policy = policy
        self.said = said
        self.earlier: list[tuple[str, int]] = []
        self.own: set[str] = set()  # the members' own steps among them (`after_parts`)

    def saw(self, steps: Sequence[tuple[str, int]]) -> None:
        """Keeps the explained `steps` (text, line) of a result not ruled out, for later rules."""
        self.earlier.extend(steps)
        self.own.update(t for found in traced(steps) for _who, own in found.members for t in own)

    def after_parts(self, parts: list[str], lines: list[str]) -> list[str]:
        """The failed parts of a named condition (`FailedParts.lines`), the deciding one first,
        then the member `lines`: a part that is a member's own step (`年龄 不满6年: 31年 对 6年
        → 不成立`) is said there, with the member's name, rather than twice. `parts` alone
        when no member is named."""
        if not lines:
            return parts
        return [part for part in parts if part not in self.own] + lines

    def lines(self, rule: str, steps: Sequence[tuple[str, int]]) -> list[str]:
        """The member lines of ruled-out rule `rule` (a name in the policy; another has no
        conditions) from its explained `steps` (text, line); [] when none is to blame."""
        from policyc.member_senses import wanted

        view = self.policy.view
        whens = view.rules[rule].whens if rule in view.rules else ()
        span = _failed_span(steps)
        lines = _whys_in(steps, span, self.said, wanted(whens, view.defines))
        if not lines and span[1] < len(steps):
            cited = _cited_define(steps[span[1]][0], view.defines)
            if cited is not None:
                wants = wanted([cited], view.defines)
                lines = _whys_in(self.earlier, (0, len(self.earlier)), self.said, wants)
        self.saw(steps)
        return lines


def _cited_define(failure: str, defines: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The lean `when` a failure names when it is a define or a `not` of one
    (`条件不成立: 符合低保条件`, `「有不予认定情形」成立（此条要求其不成立）`), else None."""
    name = failure.removeprefix("条件不成立: ")
    if name != failure and name in defines:
        return ("ref", name)
    held = re.fullmatch(r"「(.+)」成立（此条要求其不成立）", failure)
    if held is not None and held[1] in defines:
        return ("not", ("ref", held[1]))
    return None


_NOT_HELD = "条件不成立: "


class FailedParts:
    """The failed parts of the conditions of several parts one case's rules fail
    (`condition_whys`, `has_parts`), rule by rule in document order: a define is evaluated once
    per case, so a later rule that reads it cites its value only, and gets the parts the first
    one found."""

    def __init__(self, policy: CompiledPolicy):
        self.policy = policy
        self.tests: frozenset[str] | None = None  # if_tests, read when first needed
        self.by_reason: dict[str, list[str]] = {}

    def lines(self, steps: list[tuple[str, int]], reason: str, rule: str = "") -> list[str]:
        """The failed parts of the condition `reason` names, the one that decided first; [] for
        a reason naming none, or a condition of one part (its reason says it all). `rule`, the
        rule's name, spares reading the policy's `if`s (its checked AST, most of a warm `run`'s
        time) when none of its conditions, nor the defines they read, holds one."""
        view = self.policy.view
        if not has_parts(reason, view.defines):
            return []
        tests: frozenset[str] = frozenset()
        if not rule or rule not in view.rules or reads_an_if(view.rules[rule].whens, view.defines):
            if self.tests is None:
                self.tests = if_tests(self.policy)
            tests = self.tests
        lines = condition_whys(steps, reason, tests) or self.by_reason.get(reason, [])
        self.by_reason.setdefault(reason, lines)
        return lines


def reads_an_if(roots: Iterable[Any], defines: Mapping[str, Any]) -> bool:
    """Whether any of the lean expressions `roots` (compiler/run_view.py: a rule's `whens`)
    holds an `if`, itself or in a define it reads (`defines`: name → lean), at any depth."""
    pending, seen = list(roots), set()
    while pending:
        node = pending.pop()
        if not isinstance(node, tuple) or not node:
            continue
        if node[0] == "if":
            return True
        if node[0] == "ref" and node[1] in defines and node[1] not in seen:
            seen.add(node[1])
            pending.append(defines[node[1]])
        elif node[0] == "node":
            pending.extend(node[1])
        elif node[0] in ("not", "and", "or"):
            pending.extend(node[1:])
    return False


# How compiler/render.py joins the parts of a condition (`a，且b`, `a，或b`, any-of and all-of
# lists): a reason holding one of them names a condition of several parts.
JOINED = ("，且", "，或", "下列条件之一：", "下列全部条件：")


def has_parts(reason: str, defines: Mapping[str, Any]) -> bool:
    """Whether `reason` is a condition of several parts that does not hold: a named condition (a
    define: `条件不成立: 符合贷款条件`) or one whose parts are joined by 且/或 in the rule itself
    (`条件不成立: 残疾等级为一级、二级之一，或(…，且残疾类别为…)`). Its reason alone does not
    say which part failed; `condition_whys` does."""
    if not reason.startswith(_NOT_HELD):
        return False
    condition = reason[len(_NOT_HELD) :]
    return condition in defines or any(word in condition for word in JOINED)


def condition_whys(
    steps: Iterable[tuple[str, int]], reason: str, tests: frozenset[str] = frozenset()
) -> list[str]:
    """The failed parts of the condition `reason` names (`条件不成立: 符合贷款条件`), read from a
    rule's explained steps (text, line): the steps that came out false (`… → 不成立`, `… →
    未达到`) after the rule's previous condition was settled (`条件成立: …`) and before the
    step that says this one does not hold, but for the tests of an `if` (`tests`, `if_tests`:
    `性别为男: 女 → 不成立` chose a value, it failed nothing); [] when there are none.

    The one that decided comes first, then the others in the order evaluated. 且 and 或 stop
    at the part that settles them (runtime/conditions.py: an `and` at its first false part, an
    `or` at its first true one), so the last part that failed is the one the condition was
    settled on: in `残疾等级为一级、二级之一，或(残疾等级为三级、四级之一，且残疾类别为智力残疾、
    精神残疾之一)`, a 三级 肢体残疾 case ends on 残疾类别 — the part that rules it out — after
    残疾等级 一级、二级 failed as the first alternative."""
    segment: list[str] = []
    for text, _line in steps:
        if text == reason:
            failed = [
                t
                for t in segment
                if t.endswith(_FALSE)
                and t.partition(": ")[0].removesuffix(" → 不成立") not in tests
            ]
            return failed[-1:] + failed[:-1]
        if text.startswith(("条件成立: ", "条件待定: ")):
            segment = []  # the previous `when` is settled: what follows is this one's
        else:
            segment.append(text)
    return []


def if_tests(policy: CompiledPolicy) -> frozenset[str]:
    """The words of every `if`'s test in the policy's defines and rules' conditions, as the
    trace writes them (`性别为男`): a step of one says which value was taken, not why a
    condition failed."""
    from policyc.compiler import nodes as n
    from policyc.compiler.render import render

    checked = policy.checked
    roots: list[n.Expr] = [d.expr for d in checked.file.all_defines()]
    roots += [when for _, rule in checked.file.all_rules() for when in rule.whens]
    return frozenset(
        render(node.cond) for root in roots for node in n.walk(root) if isinstance(node, n.If)
    )


def case_no_answers(
    policy: CompiledPolicy, inputs: Mapping[str, Any], readings: Mapping[str, str]
) -> Callable[..., list[str]]:
    """The `said` callback of `member_whys` for one case.

    `inputs` is the case's inputs as read (a household case's `.members`, each with `.name` and
    `.values`: input name → value); `readings` the readings in force. The callback takes (a
    member's name, a condition: a define's name or a yes/no input's, and the answer sought:
    False unless given) and returns, for each yes/no input the condition reads (through
    defines, under `readings`) that this member's values give that answer, the words
    `本区户籍 否` (`担任企业法定代表人 是`), in the order the condition reads them; [] for a
    member or a condition the case or policy does not have, or a case without members. It
    raises nothing.
    """
    from policyc.needs import inputs_read

    view = policy.view
    members = {m.name: m for m in getattr(inputs, "members", ())}

    def said(member: str, condition: str, answer: bool = False) -> list[str]:
        found = members.get(member)
        if found is None:
            return []
        if condition in view.defines:
            read = inputs_read(view, [view.defines[condition]], readings)
        elif condition in view.inputs:
            read = [condition]
        else:
            return []
        return [
            f"{name} {'是' if answer else '否'}"
            for name in read
            if view.inputs[name].type.kind == "bool" and found.values.get(name) is answer
        ]

    return said
