"""`policyc new`: the units a part names — a 分工方案's assignment (`（牵头单位：A；责任单位：B、C；
配合单位：D；完成时限：…）`) read as `lead`, `responsible`, `cooperates` and the 完成时限, each
unit resolved against the registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policyc.compiler.registry import Registry
    from policyc.compiler.skeleton_parts import Part

# A 分工方案's assignment of a task or clause (`read_units`): its units and
# its 完成时限, each `LABEL：value`, in any order, in brackets or not, separated by ；or ，(a
# value's own ， or ；ends it only where the next label follows).
_ROLE_LABELS = {
    "牵头单位": "lead",
    "牵头部门": "lead",
    "责任单位": "responsible",
    "责任部门": "responsible",
    "配合单位": "cooperates",
    "配合部门": "cooperates",
    "完成时限": "deadline",
    "完成时间": "deadline",
    "时间节点": "deadline",
}
_LABELS = "|".join(_ROLE_LABELS)
_ASSIGNMENT = re.compile(
    rf"(?P<label>{_LABELS})\s*[:：]\s*(?P<value>.*?)\s*"
    rf"(?=[,，;；]?\s*(?:{_LABELS})\s*[:：]|[)）。]|[,，;；]?\s*$)"
)


Resolver = Callable[[str], str | None]


def registry_resolver(registry: Registry) -> Resolver:
    """The registry name of a unit as a document writes it: its name, an alias, or its full
    name (`unit 市发改委 "临江市发展和改革委员会"`: a notice signs with the full name); None
    for a unit the registry lacks. A full name two units share resolves to the first."""
    full_names: dict[str, str] = {}
    for unit in registry.units.values():
        if unit.full_name:
            full_names.setdefault(unit.full_name.strip(), unit.name)

    def resolve(name: str) -> str | None:
        unit = registry.resolve(name)
        return unit.name if unit is not None else full_names.get(name.strip())

    return resolve


def read_units(text: str, part: Part, resolve: Resolver) -> None:
    """The assignment a line states (`（牵头单位：A；责任单位：B、C，D；配合单位：E；完成时限：
    2027年6月底前）`, the labels in any order): its units as the part's `lead`, `responsible` and
    `cooperates` (resolved; an unknown one listed in `part.unknown`), its 完成时限 as written in
    `part.deadline` (the first one the part states)."""
    for match in _ASSIGNMENT.finditer(text):
        role = _ROLE_LABELS[match["label"]]
        value = match["value"].strip()
        if role == "deadline":
            part.deadline = part.deadline or value
            continue
        target = {"lead": part.leads, "responsible": part.responsible}.get(role, part.cooperates)
        for written in re.split(r"[、,，;；]", value):
            name = written.strip()
            if not name:
                continue
            unit = resolve(name)
            if unit is None:
                part.unknown.append(name)
            elif unit not in target:
                target.append(unit)
