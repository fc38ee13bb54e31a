"""`policyc new`: the 落款 — the unit or units that sign a notice above its date — and the
header's `issuer` line made from them.

A notice issued jointly (联合发文) is signed by each of its units, the lead issuer first: on one
line, the names separated by spaces (`天门市民政局　天门市财政局　天门市残疾人联合会`), or one name
a line, stacked above the date. A line is a unit's name when it is short, has no sentence mark
or list mark, and ends as a unit's name does (…局, …委员会, …人民政府, …办公室, …联合会, …中心);
a line above the date that does not read so is the signer as printed (a single issuer).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policyc.compiler.i18n import _
from policyc.compiler.skeleton_units import Resolver

# How a unit's name ends; a signature line that is not a unit's name (`总理　温家宝`) is kept
# whole, as the single signer it is.
_UNIT_END = re.compile(
    r"(?:局|委员会|委|人民政府|政府|办公室|办|厅|部|院|署|会|联|中心|集团|公司|所|站|队|处|室)$"
)
_NOT_A_NAME = re.compile(r"[，,。；;：:、！？!?()（）《》]")
_NAME_LIMIT = 30  # the longest unit name a signature line holds (天门市残疾人联合会: 9)
SIGNER_LINES = 8  # the most lines above its date a 落款 stacks its units on


def _is_unit_name(text: str) -> bool:
    return (
        len(text) <= _NAME_LIMIT and not _NOT_A_NAME.search(text) and bool(_UNIT_END.search(text))
    )


def signers(above: Sequence[str]) -> tuple[list[str], int]:
    """The units that sign, read from the lines above the date (`above`, the nearest last), and
    how many of those lines the 落款 takes (1 or more). The line right above the date is always
    the signature; its names split at spaces when each reads as a unit's name; the lines above
    it that each read as one unit's name are issuers too (stacked one a line), listed first."""
    if not above:
        return [], 0
    last = above[-1].strip()
    names = [part for part in re.split(r"[\s\u3000]+", last) if part]
    if len(names) < 2 or not all(_is_unit_name(name) for name in names):
        names = [last]
    taken = 1
    if all(_is_unit_name(name) for name in names):
        for line in reversed(above[:-1]):
            if not _is_unit_name(line.strip()):
                break
            names.insert(0, line.strip())
            taken += 1
    return names, taken


def issuer_lines(signed: Sequence[str], where: str, resolve: Resolver, registry: bool) -> list[str]:
    """The header's `issuer` line for the units that signed (`issuer A, B, C`, the lead issuer
    first), each resolved against the registry; when one is not there, a TODO naming it instead
    (an issuer list with a unit left out would make another unit the lead)."""
    if not signed:
        return []
    written = " ".join(signed)
    units = [resolve(name) for name in signed]
    if all(units):
        return [
            f"    issuer {', '.join(u for u in units if u)}  # TODO(drafter): "
            + _("confirm ({where}: {issuer})").format(where=where, issuer=written)
        ]
    missing = "、".join(name for name, unit in zip(signed, units, strict=True) if unit is None)
    if not registry:
        # No registry was found to resolve it in: say so, not that the issuer is missing from one.
        return [
            "    # TODO(registry): "
            + _(
                "no unit registry was found (--units, units.policy beside the skeleton, "
                "policies/units.policy): declare the issuer {issuer} ({where}) with `unit` in "
                "one, name it with `units from`, then write `issuer NAME`"
            ).format(issuer=missing, where=where)
        ]
    if len(signed) == 1:
        return [
            "    # TODO(registry): "
            + _(
                "the issuer {issuer} ({where}) is not in the registry: add it, then write "
                "`issuer NAME`"
            ).format(issuer=missing, where=where)
        ]
    return [
        "    # TODO(registry): "
        + _(
            "issued jointly by {issuers} ({where}); not in the registry: {missing}: add them, "
            "then write `issuer LEAD, OTHER, …`, the lead issuer first"
        ).format(issuers="、".join(signed), where=where, missing=missing)
    ]
