"""Why each member was left out of a member aggregate (`any (老年人 where 可发放)`), read from a
result's explained steps: one line per member the aggregate did not count.

An aggregate evaluated with `explain` steps `成员 张大爷（老年人）` at its line before each
member's own steps (runtime/people_ops.py `aggregate`), then `有老年人（可发放） = 否（计入: 无）`
at the same line. A member not named after `计入:` was left out; its steps that came out false
(`… → 不成立`, `… → 未达到`) say why:

    张大爷（老年人）: 自出生日期至申请日期的周年数 满60年（含本数）: 59年 对 60年 → 不成立

A member whose false part left no step of its own (a yes/no input read bare, `本区户籍`) gets the
aggregate's condition, after the yes/no inputs it reads that the case answers 否:
`张大爷（老年人）: 本区户籍 否（可发放 不成立）`. The result page's "为何不适用" shows
these lines under a rule the case rules out, and `run`'s answer under 为何不适用
(`explained_whys`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from datetime import date
    from typing import Any

    from policyc.compiler.pipeline import CompiledPolicy
    from policyc.runtime.evaluation import RuleResult

# Compiled (and kept by re) when a member's step is first read: most runs read none (issue 16).
_MEMBER = r"成员 (?P<who>.+（[^（）]*）)"
_SUMMARY = r"(?P<what>.*)（(?P<where>[^（）]*)） = .*（计入: (?P<names>.*)）"
_FALSE = ("→ 不成立", "→ 未达到")


def member_whys(
    steps: Iterable[tuple[str, int]], said: Callable[[str, str], list[str]] | None = None
) -> list[str]:
    """The lines saying why members were left out, from one rule's explained steps.

    `steps`: the rule's trace as (text, policy line) pairs, in the order evaluated (each
    `RuleResult.steps`' `.text` and `.line`). `said(member name, condition)`: the yes/no inputs
    of that member's the case answers 否 (`case_no_answers`), used only for a member whose
    false part left no step of its own.

    Returns one `名字（角色）: why；why` line per member some aggregate among the steps did not
    count, in the order the members were evaluated; a member's `why` is each of its own steps
    that came out false (`… → 不成立`, `… → 未达到`), else its 否 answers before the
    aggregate's condition (`本区户籍 否（可发放 不成立）`), else the condition alone
    (`可发放 不成立`). [] when no aggregate left anyone out, or the steps hold none (a result
    evaluated without `explain`). Raises nothing: a step it does not recognise is skipped.

    >>> member_whys([
    ...     ("成员 张大爷（老年人）", 9), ("年龄 满60周岁（含本数）: 59 对 60 → 不成立", 5),
    ...     ("成员 李大妈（老年人）", 9),
    ...     ("有老年人（可发放） = 是（计入: 李大妈）", 9),
    ... ])
    ['张大爷（老年人）: 年龄 满60周岁（含本数）: 59 对 60 → 不成立']
    """
    out: list[str] = []
    # the members of the aggregate being read: (who, line, their false steps)
    pending: list[tuple[str, int, list[str]]] = []
    for text, line in steps:
        member = re.fullmatch(_MEMBER, text)
        summary = re.fullmatch(_SUMMARY, text)
        if member is not None:
            pending.append((member["who"], line, []))
        elif summary is not None and pending and pending[-1][1] == line:
            counted = summary["names"]
            these = [p for p in pending if p[1] == line]
            pending = [p for p in pending if p[1] != line]
            for who, _line, false in these:
                name = who.partition("（")[0]
                if _counted(name, counted):
                    continue
                if not false:
                    noes = said(name, summary["where"]) if said is not None else []
                    words = f"{summary['where']} 不成立"
                    false = [f"{'、'.join(noes)}（{words}）" if noes else words]
                out.append(f"{who}: {'；'.join(false)}")
        elif pending and text.endswith(_FALSE):
            pending[-1][2].append(text)
    return out


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
    said = case_no_answers(policy, inputs, readings) if view.people.group else None
    failed = FailedParts(policy)
    for r in policy.evaluate(inputs, on, readings, received, explain=True):
        if r.status != "not_applicable":
            continue
        steps = [(step.text, step.line) for step in r.steps]
        lines = member_whys(steps, said) if said is not None else []
        if not lines and r.info.name in named:
            lines = failed.lines(steps, r.reason, r.info.name)
        if lines:
            found[r.info.name] = lines
    return found


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
) -> Callable[[str, str], list[str]]:
    """The `said` callback of `member_whys` for one case.

    `inputs` is the case's inputs as read (a household case's `.members`, each with `.name` and
    `.values`: input name → value); `readings` the readings in force. The callback takes (a
    member's name, a define's name) and returns, for each yes/no input the define reads
    (through other defines, under `readings`) that this member's values answer `False`, the
    words `本区户籍 否`, in the order the define reads them; [] for a member or a define the
    case or policy does not have, or a case without members. It raises nothing.
    """
    from policyc.needs import inputs_read

    view = policy.view
    members = {m.name: m for m in getattr(inputs, "members", ())}

    def said(member: str, condition: str) -> list[str]:
        found = members.get(member)
        if found is None or condition not in view.defines:
            return []
        read = inputs_read(view, [view.defines[condition]], readings)
        return [
            f"{name} 否"
            for name in read
            if view.inputs[name].type.kind == "bool" and found.values.get(name) is False
        ]

    return said
