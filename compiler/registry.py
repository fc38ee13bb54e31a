"""The registry of units (organisations): canonical names, aliases, groups."""

from __future__ import annotations

import functools

import attrs

from policyc.compiler.errors import Diagnostic, did_you_mean
from policyc.compiler.i18n import _
from policyc.compiler.node_exprs import Name
from policyc.compiler.nodes import UnitDecl


@functools.lru_cache(maxsize=8)
def registry_units(path: str, text: str) -> tuple[UnitDecl, ...]:
    """The unit declarations of a registry file's `text` (`path` as messages name it): the one
    way every command reads a registry (`check`'s `units from`, `new --units`, the folder's
    facts, the language server), so that a registry that does not parse is told alike by all,
    `file:line:col` with its line and a caret. Parsed once per process for a (path, text):
    every policy of a folder names the same registry. Raises PolicyError (its diagnostics)."""
    from policyc.compiler.parser import parse  # late: the parser imports the builder

    return parse(text, path).units


@attrs.frozen
class Unit:
    name: str
    full_name: str
    aliases: tuple[str, ...]
    kind: str  # unit | group
    declared_in: str


@attrs.define
class Registry:
    units: dict[str, Unit] = attrs.Factory(dict)
    _lookup: dict[str, str] = attrs.Factory(dict)  # any name or alias -> canonical name
    # The `units from` file could not be loaded (refused, unreadable, not parsed): its problem
    # is reported once, and a name it may hold is not reported again as unknown.
    unavailable: bool = False

    def add(self, decl: UnitDecl, diagnostics: list[Diagnostic]) -> None:
        name = decl.name.text
        for written in (decl.name, *decl.aliases):
            owner = self._lookup.get(written.text)
            if owner is not None and owner != name:
                what = (
                    _("an alias of")
                    if written is not decl.name
                    else _("already the name or an alias of")
                )
                diagnostics.append(
                    Diagnostic(
                        written.span,
                        _(
                            "`{written}` is {what} `{owner}` too; "
                            "a name may stand for one unit only"
                        ).format(
                            written=written.text,
                            what=what,
                            owner=owner,
                        ),
                    )
                )
        if name in self.units:
            diagnostics.append(
                Diagnostic(decl.name.span, _("unit `{name}` is declared twice").format(name=name))
            )
            return
        self.units[name] = Unit(
            name, decl.full_name, tuple(a.text for a in decl.aliases), decl.kind, decl.span.file
        )
        for written in (decl.name, *decl.aliases):
            self._lookup.setdefault(written.text, name)

    def resolve(self, name: str) -> Unit | None:
        canonical = self._lookup.get(name)
        return self.units[canonical] if canonical is not None else None

    def check_name(self, name: Name, diagnostics: list[Diagnostic]) -> str:
        """The canonical name for `name`; an error naming close matches when it does not resolve."""
        unit = self.resolve(name.text)
        if unit is not None or self.unavailable:
            return unit.name if unit is not None else name.text
        hint = did_you_mean(name.text, self._lookup)
        diagnostics.append(
            Diagnostic(
                name.span,
                _("unknown unit `{name}`{hint}").format(name=name.text, hint=hint),
                _("a unit declared with `unit` (or one of its aliases)"),
            )
        )
        return name.text
