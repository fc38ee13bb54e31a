"""Lint: units — a unit of a policy that no policy of the folder names, two units with the same
full name, an alias that repeats its unit's name or is listed twice.

`lint_folder(policies)` returns only the folder-level warnings (call `lint` for each policy
too); `lint_units(decls)` checks declarations against each other; `UnitChecks.check_units`
checks a policy's own units against the registry it loads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from policyc.compiler import nodes as n
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import Diagnostic, PolicyError
from policyc.compiler.files import read_text
from policyc.compiler.i18n import _
from policyc.compiler.lint_base import LintContext, ordered, warning
from policyc.compiler.project import named_file


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
                warning(
                    "unused-unit",
                    decl.name.span,
                    _(
                        "unit `{name}` is declared by a policy but named by no policy checked here"
                    ).format(name=name),
                )
            )
    return ordered(found)


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
                    warning(
                        "alias-repeats-name",
                        alias.span,
                        _("alias `{alias}` repeats the unit's name").format(alias=alias.text),
                    )
                )
            elif alias.text in seen:
                found.append(
                    warning(
                        "duplicate-alias",
                        alias.span,
                        _("alias `{alias}` is listed twice").format(alias=alias.text),
                    )
                )
            seen.add(alias.text)
    return found


def _same_full_name(first: str, decl: n.UnitDecl) -> Diagnostic:
    return warning(
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


class UnitChecks(LintContext):
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
