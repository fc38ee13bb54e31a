"""Lint: units — a unit of a policy that no policy of the folder names, two units with the same
full name, an alias that repeats its unit's name or is listed twice.

`lint_folder(policies)` returns only the folder-level warnings (call `lint` for each policy
too); `lint_units(decls)` checks declarations against each other; `UnitChecks.check_units`
checks a policy's own units against the registry it loads.
"""

from __future__ import annotations

from collections.abc import Sequence

from policyc.compiler import nodes as n
from policyc.compiler.check_facts import (
    facts_of,
    folder_warnings,
    same_full_name,
    unit_data,
    unit_warnings,
)
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import Diagnostic
from policyc.compiler.lint_base import LintContext


def lint_folder(policies: Sequence[CheckedPolicy]) -> list[Diagnostic]:
    """Warnings about the units of the registries the policies load (and their own `unit`s):
    compiler/check_facts.py, on each policy's facts (as `check` reads them from its cache)."""
    return folder_warnings([facts_of(policy) for policy in policies])


def lint_units(decls: Sequence[n.UnitDecl]) -> list[Diagnostic]:
    """Duplicate full names, and aliases that repeat their unit's name or each other."""
    return unit_warnings([unit_data(decl) for decl in decls])


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
                    found.append(same_full_name(unit.name, unit_data(decl)))
                    break
            self.found.extend(found)
