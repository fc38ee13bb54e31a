"""`policyc duties UNIT`: what one unit leads, is responsible for or cooperates on, across policies.

A duty is one place where a policy names the unit: a section, clause or task it leads (牵头) or is
responsible for (责任), a rule it is responsible for or cooperates on (配合), a policy it interprets
(解释). Names resolve through each policy's unit registry, so an alias finds the same duties. A
group (各乡镇办场) is a unit in its own right; a unit is said to be covered by a group only when the
group's full name says so without guessing: a full name starting with 各 ("各乡镇人民政府、办事处、
农场") covers every unit whose full name ends with one of the kinds it lists.

`progress_counts` and `progress_text` count a progress case's targets by lead unit and by section,
for `policyc run` to print after its results.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.checker import CheckedPolicy, check
from policyc.compiler.errors import InputError, PolicyError
from policyc.compiler.i18n import _
from policyc.compiler.parser import parse
from policyc.compiler.part_places import part_heading, part_place
from policyc.compiler.pipeline import CompiledPolicy, read_source
from policyc.compiler.project import refuse_same_numbers
from policyc.compiler.registry import Unit
from policyc.compiler.render import render_reference, render_target
from policyc.runtime.evaluation import RuleResult

LEAD, RESPONSIBLE, COOPERATES, INTERPRETS = "牵头", "责任", "配合", "解释"
ROLES = (LEAD, RESPONSIBLE, COOPERATES, INTERPRETS)
SCHEMA_VERSION = 1


@attrs.frozen
class Duty:
    policy: str  # 文号
    policy_title: str
    role: str  # 牵头 | 责任 | 配合 | 解释
    kind: str  # policy | section | clause | task | rule
    number: str  # the section, clause or task number, or the rule's name
    section: str  # the number of the section it sits in, "" when none
    title: str
    written: str  # the unit's name as this place of the policy writes it
    source_line: int | None  # the received text's line of its first quote
    policy_file: str
    policy_line: int
    within: str = ""  # a rule's clause or task as the document calls it: （七）, 第七条, 任务 3
    place: str = ""  # the part as the document calls it: （二）, 第三条, 二、, 任务 3 (part_places)
    section_heading: str = ""  # the heading of the section it sits in: 二、人才安居补贴
    open_list: bool = False  # the document's unit list ends with 等
    targets: tuple[tuple[str, str], ...] = ()  # (name, wording)
    rules: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()  # clauses and tasks of a section that take its lead
    refers: tuple[str, ...] = ()
    # `written` is in the place's quoted sentences: the received text writes the unit so (an
    # alias the policy writes, 市城管执法局, is no spelling of the text's)
    written_in_text: bool = False


@attrs.frozen
class DutyReport:
    query: str
    unit: Unit
    duties: tuple[Duty, ...]
    groups: tuple[tuple[Unit, int], ...]  # groups covering the unit, with their duty counts
    documents: tuple[str, ...]

    def count(self, role: str) -> int:
        return sum(1 for d in self.duties if d.role == role)


# ---- loading ---------------------------------------------------------------------------------


def load_policies(paths: Sequence[Path]) -> list[CheckedPolicy]:
    """Every policy under the paths (folders searched recursively); unit registries skipped.
    Raises PolicyError when two share a 文号 (their duties would be told as one document's)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.rglob("*.policy")))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(_("{path}: no such file or folder").format(path=path))
    policies = []
    for path in files:
        text = read_source(path)
        parsed = parse(text, str(path))
        if parsed.header is not None:
            policies.append(check(parsed, text))
    refuse_same_numbers((p.header, p.text) for p in policies)  # compiler/project.py
    if not policies:
        raise InputError(
            _("no policies under {join_map_str_paths}").format(
                join_map_str_paths=", ".join(map(str, paths)),
            )
        )
    return policies


_SHOWN_UNITS = 8  # names listed when a path was given where a unit is expected


def refuse_path_as_unit(query: str) -> None:
    """Raise InputError when `query`, given where `duties` expects a unit, is a policy file or a
    folder (`policyc duties water.policy` forgot the unit): the message says the order of the
    arguments and, when the path holds policies, names some of their units to choose from."""
    path = Path(query)
    if not (query.endswith(".policy") or path.is_dir() or path.is_file()):
        return
    names: list[str] = []
    if path.exists():
        try:
            policies = load_policies([path])
        except (InputError, PolicyError):
            policies = []
        names = sorted({u.name for p in policies for u in p.registry.units.values()})
    message = _(
        "`{query}` names a policy file or folder, not a unit: write "
        "`policyc duties UNIT [PATH...]`, a unit's name or alias first, then the policies to "
        "search (policies/ if none)"
    ).format(query=query)
    if names:
        shown = ", ".join(names[:_SHOWN_UNITS]) + (" …" if len(names) > _SHOWN_UNITS else "")
        message += _("; units of the policies there: {names}").format(names=shown)
    raise InputError(message)


def resolve_unit(policies: Sequence[CheckedPolicy], name: str) -> Unit:
    """The unit a name, alias or full name (the one `duties` prints in its header) stands
    for; an error naming close matches when none does."""
    known: dict[str, Unit] = {}
    for policy in policies:
        unit = policy.registry.resolve(name)
        if unit is not None:
            return unit
        for candidate in policy.registry.units.values():
            if candidate.full_name == name:
                return candidate
            known.setdefault(candidate.name, candidate)
    close = close_units(name, known.values())
    hint = _add_alias(name, known.values())
    if not close:
        raise InputError(
            _("unknown unit `{name}`: no unit's name, full name or alias is close").format(
                name=name
            )
            + hint
        )
    shown = ", ".join(f"`{unit.name}`" + (f" ({form})" if form else "") for unit, form in close)
    raise InputError(
        _("unknown unit `{name}`; did you mean {shown}?").format(name=name, shown=shown) + hint
    )


# Words every unit's name has (天门市…局): they say nothing about which unit is meant.
_GENERIC = re.compile(
    r"^(?:天门市|湖北省|市|省|县|区)|(?:委员会|办公室|局|委|办|厅|中心|集团|公司|部)$"
)


def close_units(query: str, units: Iterable[Unit], limit: int = 3) -> list[tuple[Unit, str]]:
    """The units whose name, full name or an alias is close to `query`, best first, each with
    the form that matched when it is not the unit's name (`alias 市医保局`). Closest is a form
    that holds the query or is held by it; then one whose distinctive characters (without 市,
    局 … that every unit has) hold the query's in order, as an abbreviation does (发改 in
    发展和改革); then forms sharing at least two distinctive characters. None when nothing is
    close: one shared character (环保局, 医保局) says nothing."""
    scored: list[tuple[float, str, Unit, str]] = []
    for unit in units:
        forms = [(unit.name, ""), (unit.full_name, unit.full_name)]
        forms += [(alias, f"alias {alias}") for alias in unit.aliases]
        # The first form of the best score: the unit's own name before its full name.
        best = max(((_closeness(query, f), label) for f, label in forms if f), key=lambda x: x[0])
        if best[0] > 0:
            scored.append((-best[0], unit.name, unit, best[1]))
    scored.sort(key=lambda item: (item[0], item[1]))
    top = -scored[0][0] if scored else 0.0
    return [(unit, form) for score, _name, unit, form in scored[:limit] if -score >= top * 0.75]


def _closeness(query: str, written: str) -> float:
    if len(query) >= 2 and (query in written or written in query):
        return 1.0
    a, b = _GENERIC.sub("", query) or query, _GENERIC.sub("", written) or written
    if len(a) >= 2 and (a in b or b in a):
        return 0.9
    if len(a) >= 2 and _in_order(a, b):
        return 0.8
    shared = set(a) & set(b)
    return len(shared) / len(set(a) | set(b)) if len(shared) >= 2 else 0.0


def _in_order(short: str, long: str) -> bool:
    """Every character of `short` in `long`, in the same order (an abbreviation)."""
    rest = iter(long)
    return all(char in rest for char in short)


def _add_alias(name: str, units: Iterable[Unit]) -> str:
    """Where to declare `name` if it is another name of a unit: the registry most units are
    declared in."""
    files = Counter(u.declared_in for u in units if u.declared_in)
    if files:
        return _(
            " (if `{name}` is another name of a unit, add it to that unit's `alias` in {file})"
        ).format(name=name, file=files.most_common(1)[0][0])
    return _(" (if `{name}` is another name of a unit, add it to that unit's `alias`)").format(
        name=name
    )


# ---- collecting ------------------------------------------------------------------------------


class _Collector:
    def __init__(self, policy: CheckedPolicy, unit: str):
        self.policy = policy
        self.unit = unit
        self.duties: list[Duty] = []

    def written(self, names: Iterable[n.Name]) -> str | None:
        """How `names` write the unit, if they name it."""
        for name in names:
            found = self.policy.registry.resolve(name.text)
            if found is not None and found.name == self.unit:
                return name.text
        return None

    def add(
        self, role: str, owner: n.Section | n.Clause | n.Rule, written: str, **extra: Any
    ) -> None:
        quotes = owner.quotes
        source_line = self.policy.quote_line(quotes[0]) if quotes else None
        header = self.policy.header
        place = ""
        if isinstance(owner, n.Rule):
            kind, number, title = "rule", owner.name.text, _gist(quotes) or owner.kind
        elif isinstance(owner, n.Section):
            kind, number, title = "section", owner.number, owner.title
            place = part_place(owner)
        else:
            kind, number, title = owner.kind, owner.number, owner.title or _gist(quotes)
            place = part_place(owner, alone=True)
        self.duties.append(
            Duty(
                policy=header.number,
                policy_title=header.title,
                role=role,
                kind=kind,
                number=number,
                title=title,
                written=written,
                source_line=source_line,
                policy_file=self.policy.file.path,
                policy_line=owner.span.line,
                place=place,
                written_in_text=any(written in q.text for q in quotes),
                **extra,
            )
        )

    def collect(self) -> list[Duty]:
        header = self.policy.header
        if header.interpreted_by is not None and (w := self.written([header.interpreted_by])):
            self.duties.append(
                Duty(
                    header.number, header.title, INTERPRETS, "policy", "", "", "负责解释", w,
                    None, self.policy.file.path, header.span.line,
                )
            )  # fmt: skip
        for section in self.policy.file.sections:
            self.section(section)
            for clause in section.clauses:
                self.clause(clause, section)
        for clause in self.policy.file.clauses:
            self.clause(clause, None)
        return self.duties

    def section(self, section: n.Section) -> None:
        inherit = [c for c in section.clauses if not c.leads]
        targets = [*section.targets, *(t for c in inherit for t in c.targets)]
        if w := self.written(section.leads):
            self.add(
                LEAD, section, w, section=section.number, targets=_targets(targets),
                rules=tuple(r.name.text for r in section.rules),
                tasks=tuple(part_place(c, alone=True) for c in inherit),
            )  # fmt: skip
        if w := self.written(section.responsible):
            self.add(RESPONSIBLE, section, w, section=section.number, targets=_targets(targets))
        if w := self.written(section.cooperates):  # the rules' that name no units of their own
            rules = tuple(r.name.text for r in section.rules if not r.cooperates)
            self.add(COOPERATES, section, w, section=section.number, rules=rules)
        self.rules(section.rules, section.responsible, section, "")

    def clause(self, clause: n.Clause, section: n.Section | None) -> None:
        common: dict[str, Any] = {
            "section": section.number if section is not None else "",
            "section_heading": part_heading(section) if section is not None else "",
            "open_list": clause.open_list,
            "targets": _targets(clause.targets),
            "refers": tuple(render_reference(r) for r in clause.refers),
        }
        if w := self.written(clause.leads):
            rules = tuple(r.name.text for r in clause.rules)
            self.add(LEAD, clause, w, rules=rules, **common)
        if w := self.written(clause.responsible):
            mine = [r for r in clause.rules if not r.responsible or self.written(r.responsible)]
            self.add(RESPONSIBLE, clause, w, rules=tuple(r.name.text for r in mine), **common)
        if w := self.written(clause.cooperates):  # the rules' that name no units of their own
            rules = tuple(r.name.text for r in clause.rules if not r.cooperates)
            self.add(COOPERATES, clause, w, rules=rules, **common)
        self.rules(clause.rules, clause.responsible, section, part_place(clause, alone=True))

    def rules(
        self,
        rules: Iterable[n.Rule],
        owner_units: tuple[n.Name, ...],
        section: n.Section | None,
        within: str,
    ) -> None:
        for rule in rules:
            extra = {
                "section": section.number if section is not None else "",
                "section_heading": part_heading(section) if section is not None else "",
                "within": within,
                "refers": tuple(render_reference(r) for r in rule.refers),
            }
            w = self.written(rule.responsible)
            if w and not self.written(owner_units):
                self.add(RESPONSIBLE, rule, w, **extra)
            if w := self.written(rule.cooperates):
                self.add(COOPERATES, rule, w, **extra)


def _targets(targets: Iterable[n.Target]) -> tuple[tuple[str, str], ...]:
    return tuple((t.name.text, render_target(t)) for t in targets)


def _gist(quotes: tuple[n.Quote, ...], limit: int = 48) -> str:
    """A task's first quote without its closing list of units, shortened."""
    if not quotes:
        return ""
    text = quotes[0].text
    at = text.rfind("(")
    if at > 0 and "单位" in text[at:]:
        text = text[:at]
    return text if len(text) <= limit else text[:limit] + "…"


def duties_of(policies: Sequence[CheckedPolicy], unit: str) -> list[Duty]:
    """Every duty of the unit (a canonical name) in the policies, in document order."""
    return [d for p in policies for d in _Collector(p, unit).collect()]


def _group_kinds(full_name: str) -> tuple[str, ...]:
    """The kinds of unit an 各-group's full name lists.

    各乡镇人民政府、办事处、农场及天门经济开发区 →
    乡人民政府, 镇人民政府, 办事处, 农场, 天门经济开发区.
    A group whose full name does not start with 各 lists no kinds: its members are not known.
    """
    if not full_name.startswith("各"):
        return ()
    kinds: list[str] = []
    for part in re.split("[、及]", full_name[1:]):
        kinds.extend((f"乡{part[2:]}", f"镇{part[2:]}") if part.startswith("乡镇") else (part,))
    return tuple(k for k in kinds if k)


def covering_groups(policies: Sequence[CheckedPolicy], unit: Unit) -> list[Unit]:
    if unit.kind != "unit":
        return []
    groups: dict[str, Unit] = {}
    for policy in policies:
        for candidate in policy.registry.units.values():
            kinds = _group_kinds(candidate.full_name) if candidate.kind == "group" else ()
            if any(unit.full_name.endswith(k) for k in kinds):
                groups.setdefault(candidate.name, candidate)
    return list(groups.values())


def build_report(policies: Sequence[CheckedPolicy], query: str) -> DutyReport:
    unit = resolve_unit(policies, query)
    groups = tuple((g, len(duties_of(policies, g.name))) for g in covering_groups(policies, unit))
    return DutyReport(
        query,
        unit,
        tuple(duties_of(policies, unit.name)),
        groups,
        tuple(p.header.number for p in policies),
    )


# ---- output ----------------------------------------------------------------------------------


def to_json(report: DutyReport) -> dict[str, Any]:
    unit = report.unit
    return {
        "policyc": SCHEMA_VERSION,
        "query": report.query,
        "unit": {
            "name": unit.name,
            "full_name": unit.full_name,
            "aliases": list(unit.aliases),
            "kind": unit.kind,
        },
        "documents": list(report.documents),
        "counts": {role: report.count(role) for role in ROLES},
        "duties": [_duty_json(d) for d in report.duties],
        "groups": [
            {"name": g.name, "full_name": g.full_name, "duties": count}
            for g, count in report.groups
        ],
    }


def _duty_json(duty: Duty) -> dict[str, Any]:
    return {
        "policy": duty.policy,
        "policy_title": duty.policy_title,
        "role": duty.role,
        "kind": duty.kind,
        "number": duty.number,
        "section": duty.section,
        "within": duty.within,
        "place": duty.place,
        "section_heading": duty.section_heading,
        "title": duty.title,
        "written": duty.written,
        "open_list": duty.open_list,
        "targets": [{"name": name, "target": text} for name, text in duty.targets],
        "rules": list(duty.rules),
        "tasks": list(duty.tasks),
        "refers": list(duty.refers),
        "source_line": duty.source_line,
        "policy_file": duty.policy_file,
        "policy_line": duty.policy_line,
    }


def to_text(report: DutyReport) -> str:
    unit = report.unit
    # a group labelled before its name: "各乡镇人民政府，群体" read as a list of two units
    head = ("单位群体: " if unit.kind == "group" else "") + named(unit)
    out = [head]
    if report.query == unit.full_name and report.query != unit.name:
        out.append(f"查询名 {report.query} 是 {unit.name} 的全称")
    elif report.query != unit.name:
        out.append(f"查询名 {report.query} 是 {unit.name} 的别名")
    if unit.aliases:
        out.append("别名: " + "、".join(unit.aliases))
    out.append(" · ".join(f"{role} {report.count(role)} 项" for role in ROLES))
    current = None
    for duty in report.duties:
        if duty.policy != current:
            current = duty.policy
            out.extend(("", f"{duty.policy}  {duty.policy_title}"))
        out.extend(_duty_lines(duty, unit.name))
    if not report.duties:
        out.extend(("", f"在 {'、'.join(report.documents)} 中没有职责"))
    if report.groups:
        out.append("")
        out.append("按全称属于以下群体（群体的职责另计，用 policyc duties 群体名 查看）:")
        for group, count in report.groups:
            out.append(f"  {named(group)}: {count} 项")
    return "\n".join(out) + "\n"


def named(unit: Unit) -> str:
    """`市人社局（天门市人力资源和社会保障局）`; the name alone where the full name is the same; the
    full name alone where it begins with the name, which it already says (`乡镇人民政府（街道办
    事处）`, not `乡镇人民政府（乡镇人民政府（街道办事处））`)."""
    if unit.full_name in ("", unit.name):
        return unit.name
    if unit.full_name.startswith(unit.name):
        return unit.full_name
    return f"{unit.name}（{unit.full_name}）"


def _duty_lines(duty: Duty, canonical: str) -> list[str]:
    """`（二）外籍专家生活补助`, `第三条  医疗救助`, `二、人才安居补贴`, `（七） 规则 乙`: the
    place as the document calls it (compiler/part_places.py), then what the duty holds."""
    if duty.kind == "policy":
        line = f"  {duty.role}  全文  {duty.title}"
    elif duty.kind == "rule":
        context = duty.within or duty.section_heading
        line = f"  {duty.role}  {context + ' ' if context else ''}规则 {duty.number}  {duty.title}"
        line = line.rstrip()
    else:
        glue = "" if duty.place.endswith(("、", "）")) else "  "
        line = f"  {duty.role}  {duty.place}{glue}{duty.title}"
    if duty.source_line:
        line += f"  [来文第{duty.source_line}行]"
    lines = [line]
    notes = []
    if duty.written != canonical and duty.written_in_text:
        notes.append(f"来文写作 {duty.written}")
    if duty.open_list:
        notes.append("单位名单以“等”结尾")
    if duty.tasks:
        notes.append("所属任务: " + "、".join(duty.tasks))
    if duty.rules:
        notes.append("规则: " + "、".join(duty.rules))
    if duty.refers:
        notes.append("参见: " + "、".join(duty.refers))
    lines.extend(f"        {note}" for note in notes)
    lines.extend(f"        目标: {name} {text}" for name, text in duty.targets)
    return lines


def run_duties(query: str, paths: Sequence[Path], fmt: str, out: TextIO) -> int:
    refuse_path_as_unit(query)
    report = build_report(load_policies(paths), query)
    if fmt == "json":
        out.write(json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(to_text(report))
    return 0


# ---- progress counts (for `policyc run` on a progress case) ----------------------------------

STATUSES = ("met", "not_met", "not_reported")
_STATUS_WORDS = {"met": "达到", "not_met": "未达到", "not_reported": "未报告"}
# `RuleResult.due` of a target not met: past its deadline, before it, standing (长期坚持), or
# cannot be told (顺延 to a day the official calendar does not know: runtime/deadlines.py)
_DUES = {
    "overdue": "逾期",
    "in_progress": "期限未到",
    "standing": "长期",
    "unknown": "期限无法判断",
}
_SHOWN_WHEN_COUNTED = ("standing", "unknown")  # the others always, once a target has a `by`
NO_LEAD = "（未写牵头单位）"
NO_SECTION = "（不在部分内）"


@attrs.frozen
class ProgressCount:
    key: str  # a lead unit, or a section's heading
    met: int = 0
    not_met: int = 0
    not_reported: int = 0
    # Of the targets not met, those with a `by` day: past it (逾期) and not yet (进行中).
    overdue: int = 0
    in_progress: int = 0
    standing: int = 0  # 长期坚持: never overdue
    unknown: int = 0  # 顺延 to a day the calendar does not know: cannot be told


def _sections_of(policy: CheckedPolicy) -> dict[tuple[str, str], n.Section]:
    owners: dict[tuple[str, str], n.Section] = {}
    for section in policy.file.sections:
        owners[("section", section.number)] = section
        for clause in section.clauses:
            owners[(clause.kind, clause.ident)] = section
    return owners


def _tally(pairs: Iterator[tuple[str, RuleResult]]) -> tuple[ProgressCount, ...]:
    counts: dict[str, dict[str, int]] = {}
    for key, result in pairs:
        row = counts.setdefault(key, dict.fromkeys((*STATUSES, *_DUES), 0))
        row[result.status] += 1
        if result.status == "not_met" and result.due in _DUES:
            row[result.due] += 1
    return tuple(ProgressCount(key, **row) for key, row in counts.items())


def progress_counts(
    policy: CompiledPolicy, results: Sequence[RuleResult]
) -> tuple[tuple[ProgressCount, ...], tuple[ProgressCount, ...]]:
    """Targets met, not met (of them, past their `by` day and not yet) and not reported: by lead
    unit (a task without its own lead takes its section's) and by section, each in document
    order."""
    checked = policy.checked
    sections = _sections_of(checked)
    targets = [r for r in results if r.info.role == "target" and r.status in STATUSES]

    def leads(result: RuleResult) -> tuple[str, ...]:
        if result.info.leads:
            return result.info.leads
        section = sections.get((result.info.owner_kind, result.info.owner_number))
        names = section.leads if section is not None else ()
        resolved = (checked.registry.resolve(x.text) for x in names)
        return tuple(u.name for u in resolved if u is not None) or (NO_LEAD,)

    def heading(result: RuleResult) -> str:
        section = sections.get((result.info.owner_kind, result.info.owner_number))
        return NO_SECTION if section is None else part_heading(section)

    by_unit = _tally((unit, r) for r in targets for unit in leads(r))
    by_section = _tally((heading(r), r) for r in targets)
    return by_unit, by_section


def _count_words(row: ProgressCount, status: str) -> str:
    """`达到 1`, `未达到 2（其中逾期 1，期限未到 1）` (the part in brackets where some target has
    a `by` day)."""
    words = f"{_STATUS_WORDS[status]} {getattr(row, status)}"
    if status == "not_met" and any(getattr(row, d) for d in _DUES):
        # 长期 and 期限无法判断 only where there is one
        dues = [d for d in _DUES if d not in _SHOWN_WHEN_COUNTED or getattr(row, d)]
        words += "（其中" + "，".join(f"{_DUES[d]} {getattr(row, d)}" for d in dues) + "）"
    return words


def progress_text(policy: CompiledPolicy, results: Sequence[RuleResult]) -> str:
    by_unit, by_section = progress_counts(policy, results)
    if not by_unit:
        return ""
    out: list[str] = []
    for title, rows in (("按牵头单位", by_unit), ("按部分", by_section)):
        out.extend(("", f"目标完成情况（{title}）"))
        for row in rows:
            counts = " · ".join(_count_words(row, s) for s in STATUSES)
            out.append(f"  {row.key}: {counts}")
    return "\n".join(out) + "\n"
