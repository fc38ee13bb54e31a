"""What the checks across files need to know of each policy, as plain data (JSON-ready).

`policyc check FOLDER` ends with two checks that look at several files at once: `refers` must
name a loaded document (and a clause, task or section of it), and the units of the registries
the policies load must not repeat a full name or an alias, nor a policy's own unit go unnamed.
They run here on `Facts`, a dict of lists, strings and numbers that the check's cache keeps per
file (compiler/check_cache.py): a folder whose files are all unchanged is checked across files
without parsing, checking, or importing the AST's classes. `facts_of(policy)` takes them from a
checked policy; `reference_problems` and `folder_warnings` are the checks themselves
(`pipeline.check_references` and `lint_units.lint_folder` call them on the facts of checked
policies, so there is one implementation).

Shapes (every list as JSON keeps it):
    SpanData  = [file, line, column, end_line, end_column]
    UnitData  = {"name": str, "span": SpanData, "full_name": str,
                 "aliases": [[text, SpanData], ...], "kind": str}
    Facts     = {"number": str, "number_span": SpanData,  # the 文号, where it is written
                 "keys": [str, ...],  # "clause 七", "task 3", "section 二", …
                 "refs": [[document, kind, number, SpanData], ...],
                 "outside_refs": [[document, SpanData], ...],  # `refers outside`'s 文号s
                 "registry": [resolved path, [UnitData, ...]] | null,
                 "units": [UnitData, ...],  # the policy's own
                 "named": [str, ...]}  # canonical names of the units the policy names
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyc.compiler.codes import WARNING_CODES
from policyc.compiler.errors import Diagnostic, Severity, Span
from policyc.compiler.i18n import _

if TYPE_CHECKING:
    from policyc.compiler import nodes as n
    from policyc.compiler.checker import CheckedPolicy

SpanData = list[Any]
UnitData = dict[str, Any]
Facts = dict[str, Any]


def span_data(span: Span) -> SpanData:
    return [span.file, span.line, span.column, span.end_line, span.end_column]


def span_of(data: Sequence[Any]) -> Span:
    file, line, column, end_line, end_column = data
    return Span(str(file), int(line), int(column), int(end_line), int(end_column))


def unit_data(decl: n.UnitDecl) -> UnitData:
    return {
        "name": decl.name.text,
        "span": span_data(decl.name.span),
        "full_name": decl.full_name,
        "aliases": [[alias.text, span_data(alias.span)] for alias in decl.aliases],
        "kind": decl.kind,
    }


def facts_of(policy: CheckedPolicy, registry: bool = True) -> Facts:
    """The policy's facts. Reads (and parses) the unit registry it loads, if any, unless
    `registry` is False (then "registry" is None: enough for `reference_problems`); call it
    where reads are recorded (files.recording_reads) when the facts are kept."""
    file = policy.file
    keys = {f"{c.kind} {c.number}" for c in file.all_clauses()}
    keys |= {f"{c.kind} {c.ident}" for c in file.all_clauses()}
    keys |= {f"section {s.number}" for s in file.sections}
    return {
        "number": policy.header.number,
        "number_span": span_data(policy.header.number_span),
        "keys": sorted(keys),
        "refs": [
            [ref.document, ref.kind, ref.number, span_data(ref.span)]
            for _owner, ref in policy.references
            if not ref.outside
        ],
        "outside_refs": [
            [ref.document, span_data(ref.span)]
            for _owner, ref in policy.references
            if ref.outside and ref.document
        ],
        "registry": _registry_units(policy) if registry else None,
        "units": [unit_data(decl) for decl in file.units],
        "named": sorted(set(_named_units(policy))),
    }


def _registry_units(policy: CheckedPolicy) -> list[Any] | None:
    """[the registry's resolved path, its units], [path, []] when it does not parse, None when
    the policy loads none or names one it may not read (the checker reported both)."""
    from policyc.compiler.errors import PolicyError
    from policyc.compiler.files import read_text
    from policyc.compiler.project import named_file
    from policyc.compiler.registry import registry_units

    if not policy.header.registry_file:
        return None
    shown = Path(policy.file.path).parent / policy.header.registry_file
    try:
        path = named_file(Path(policy.file.path), policy.header.registry_file, "units from")
    except (OSError, ValueError, PolicyError):
        return None
    units: list[UnitData] = []
    with contextlib.suppress(OSError, ValueError, PolicyError):
        units = [unit_data(d) for d in registry_units(str(shown), read_text(path))]
    return [str(path), units]


def _named_units(policy: CheckedPolicy) -> Iterator[str]:
    file, header = policy.file, policy.header
    names: list[n.Name] = [
        *header.issuers,
        *([header.interpreted_by] if header.interpreted_by else []),
    ]
    for section in file.sections:
        names += [*section.leads, *section.responsible, *section.cooperates]
    for clause in file.all_clauses():
        names += [*clause.leads, *clause.responsible, *clause.cooperates]
    for _owner, rule in file.all_rules():
        names += [*rule.responsible, *rule.cooperates]
    for name in names:
        unit = policy.registry.resolve(name.text)
        if unit is not None:
            yield unit.name


# ---- `refers` ------------------------------------------------------------------------------------


def reference_problems(policies: Sequence[Facts]) -> list[Diagnostic]:
    """Every `refers` must name a loaded document and, when it says so, a clause, task or
    section of it; a `refers outside` may not name one (it is written as a `refers`). The
    caller loads the documents (a folder's policies)."""
    numbers: dict[str, set[str]] = {}
    for policy in policies:
        numbers[policy["number"]] = set(policy["keys"])
    problems: list[Diagnostic] = []
    for policy in policies:
        for document, kind, number, span in policy["refs"]:
            if document not in numbers:
                known = ", ".join(sorted(numbers)) or "none"
                problems.append(
                    Diagnostic(
                        span_of(span),
                        _("`{document}` is not a loaded policy").format(document=document),
                        _("one of {known}").format(known=known),
                    )
                )
            elif kind and f"{kind} {number}" not in numbers[document]:
                message = _("{ref_document} has no {ref_kind} {ref_number}").format(
                    ref_document=document,
                    ref_kind=kind,
                    ref_number=number,
                )
                problems.append(Diagnostic(span_of(span), message))
        # A document the project restates is referred to as one, so its parts are checked.
        for document, span in policy.get("outside_refs", ()):
            if document in numbers:
                problems.append(
                    Diagnostic(
                        span_of(span),
                        _(
                            "`{document}` is a loaded policy, not a document outside the project"
                        ).format(document=document),
                        _('`refers "{document}"`, optionally with `clause NUMBER`').format(
                            document=document
                        ),
                    )
                )
    return problems


# ---- units across files ----------------------------------------------------------------------


def _warning(code: str, span: Span, message: str) -> Diagnostic:
    assert code in WARNING_CODES, code  # a new check registers its code in codes.py
    return Diagnostic(span, message, severity=Severity.WARNING, code=code)


def _identity(unit: UnitData) -> tuple[Any, ...]:
    """What makes two declarations the same (the AST's equality: everything but the spans)."""
    return unit["name"], unit["full_name"], tuple(a[0] for a in unit["aliases"]), unit["kind"]


def folder_warnings(policies: Sequence[Facts]) -> list[Diagnostic]:
    """Warnings about the units of the registries the policies load (and their own `unit`s),
    in file, line, column order, each once."""
    found: list[Diagnostic] = []
    declared: dict[str, UnitData] = {}  # canonical name -> its declaration, first seen
    seen_files: set[str] = set()
    local: set[tuple[Any, ...]] = set()  # a policy's own units: `lint` reports their problems
    for policy in policies:
        registry = policy["registry"]
        if registry is not None and registry[0] not in seen_files:
            seen_files.add(registry[0])
            for unit in registry[1]:
                declared.setdefault(unit["name"], unit)
        for unit in policy["units"]:
            declared.setdefault(unit["name"], unit)
        local |= {_identity(unit) for unit in policy["units"]}
    found.extend(unit_warnings([u for u in declared.values() if _identity(u) not in local]))
    named = {name for policy in policies for name in policy["named"]}
    # A registry (`units from`) lists the units of many documents: one that the policies
    # checked here do not name is not unused (a new project copies the whole registry). A unit a
    # policy declares for itself and no policy names is.
    for name, unit in declared.items():
        if name not in named and _identity(unit) in local:
            found.append(
                _warning(
                    "unused-unit",
                    span_of(unit["span"]),
                    _(
                        "unit `{name}` is declared by a policy but named by no policy checked here"
                    ).format(name=name),
                )
            )
    unique = {(d.span, d.message): d for d in found}
    return sorted(unique.values(), key=lambda d: (d.span.file, d.span.line, d.span.column))


def unit_warnings(units: Sequence[UnitData]) -> list[Diagnostic]:
    """Duplicate full names, and aliases that repeat their unit's name or each other."""
    found: list[Diagnostic] = []
    by_full_name: dict[str, UnitData] = {}
    for unit in units:
        if unit["full_name"]:
            first = by_full_name.setdefault(unit["full_name"], unit)
            if first is not unit:
                found.append(same_full_name(first["name"], unit))
        seen: set[str] = set()
        for text, span in unit["aliases"]:
            if text == unit["name"]:
                found.append(
                    _warning(
                        "alias-repeats-name",
                        span_of(span),
                        _("alias `{alias}` repeats the unit's name").format(alias=text),
                    )
                )
            elif text in seen:
                found.append(
                    _warning(
                        "duplicate-alias",
                        span_of(span),
                        _("alias `{alias}` is listed twice").format(alias=text),
                    )
                )
            seen.add(text)
    return found


def same_full_name(first: str, unit: UnitData) -> Diagnostic:
    return _warning(
        "same-full-name",
        span_of(unit["span"]),
        _(
            "units `{first}` and `{decl_name}` have the same full name “{decl_full_name}”; "
            "make one an alias of the other"
        ).format(
            first=first,
            decl_name=unit["name"],
            decl_full_name=unit["full_name"],
        ),
    )
