"""What an editor asks about a policy file, answered without any LSP library (cli/lsp.py speaks
the protocol): diagnostics, the declaration a name stands for, its hover text, completions and
the outline.

Positions are 1-based lines and columns, as in `Span`; cli/lsp.py turns them into the
protocol's 0-based ones. A document that does not parse is answered from the last version that
did (`Document.update` keeps it), so hover and go-to-definition keep working while typing.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.bounds import BOUNDS, Bound
from policyc.compiler.errors import Diagnostic, PolicyError, Severity, Span
from policyc.lexer import KEYWORDS, NAME_PATTERN


@attrs.frozen
class Symbol:
    """A declared name: what it is, where, and the hover text (Markdown)."""

    name: str
    kind: str  # input | define | table | enum | member | reading | option | unit | rule
    span: Span
    hover: str


@attrs.frozen
class Outline:
    """A section, clause, task or rule, with what it holds."""

    name: str
    detail: str
    kind: str
    span: Span
    children: tuple[Outline, ...] = ()


@attrs.define
class Document:
    """One open policy file: its text, what checking it found, and its symbols."""

    path: str
    text: str = ""
    diagnostics: list[Diagnostic] = attrs.Factory(list)
    symbols: dict[str, list[Symbol]] = attrs.Factory(dict)
    outline: list[Outline] = attrs.Factory(list)

    def update(self, text: str) -> None:
        """Re-check `text`; symbols and outline stay those of the last text that parsed."""
        from policyc.compiler.checker import check
        from policyc.compiler.ignores import apply_ignores
        from policyc.compiler.lint import lint
        from policyc.compiler.parser import parse

        self.text = text
        try:
            parsed = parse(text, self.path)
        except PolicyError as exc:
            self.diagnostics = list(exc.diagnostics)
            return
        self.symbols = _symbols(parsed)
        for name, symbols in _registry_symbols(parsed, self.path).items():
            self.symbols.setdefault(name, []).extend(symbols)
        self.outline = _outline(parsed)
        if parsed.header is None:  # a unit registry or a holiday calendar: its own declarations
            from policyc.compiler.holiday_notices import notices_problems

            found = notices_problems(parsed.notices, {self.path: text})
            self.diagnostics = apply_ignores(found, {self.path: text})
            return
        try:
            checked = check(parsed, text)
        except PolicyError as exc:
            self.diagnostics = list(exc.diagnostics)
            return
        found = [w for w in (*checked.warnings, *lint(checked)) if w.severity is Severity.WARNING]
        self.diagnostics = apply_ignores(found, {self.path: text})

    def own_diagnostics(self) -> list[Diagnostic]:
        """The diagnostics that point into this file (a registry's own are its file's)."""
        return [d for d in self.diagnostics if d.span.file == self.path]

    def word_at(self, line: int, column: int) -> str:
        """The name under a 1-based position ("" between words)."""
        lines = self.text.split("\n")
        if not 1 <= line <= len(lines):
            return ""
        for match in _WORD.finditer(lines[line - 1]):
            if match.start() < column <= match.end() + 1 and match.start() + 1 <= column:
                return match.group()
        return ""

    def lookup(self, line: int, column: int) -> Symbol | None:
        """The declaration the name at a position stands for."""
        found = self.symbols.get(self.word_at(line, column))
        return found[0] if found else None

    def completions(self) -> list[tuple[str, str, str]]:
        """(label, kind, detail): keywords, then every name the file or its registry declares."""
        items = [(word, "keyword", "") for word in KEYWORDS]
        items += [(b.word, "keyword", _bound_detail(b)) for b in BOUNDS]  # 不高于: 含本数
        seen = set(KEYWORDS) | {b.word for b in BOUNDS}
        for name, symbols in sorted(self.symbols.items()):
            if symbols and name not in seen:
                seen.add(name)
                items.append((name, symbols[0].kind, _first_line(symbols[0].hover)))
        return items


def _bound_detail(bound: Bound) -> str:
    """A boundary word's completion detail: whether it includes the number (民法典 art. 1259)."""
    from policyc.compiler.render import inclusion  # the site's words, as --explain shows them

    return inclusion(bound.op)


_WORD = re.compile(NAME_PATTERN)  # a name as the grammar reads it


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].replace("**", "")


def _symbols(file: n.PolicyFile) -> dict[str, list[Symbol]]:
    from policyc.compiler.render import render

    table: dict[str, list[Symbol]] = {}

    def add(name: str, kind: str, span: Span, hover: str) -> None:
        table.setdefault(name, []).append(Symbol(name, kind, span, hover))

    for decl in file.inputs:
        what = decl.type.name or decl.type.kind
        if decl.type.by:
            what += f" by {decl.type.by}"
        presence = "" if decl.presence == "required" else f" ({decl.presence})"
        add(
            decl.name.text,
            "input",
            decl.name.span,
            f"**input {decl.name.text}**: {what}{presence}\n\n{decl.description}".rstrip(),
        )
    for enum in file.enums:
        members = "\n".join(f"- {m.label} {m.description}".rstrip() for m in enum.members)
        add(enum.name.text, "enum", enum.name.span, f"**enum {enum.name.text}**\n\n{members}")
        for member in enum.members:
            text = f"**{member.label}**: a member of enum {enum.name.text}"
            add(member.label, "member", member.span, f"{text}\n\n{member.description}".rstrip())
    for table_decl in file.tables:
        rows = "\n".join(
            f"- {', '.join(keys)}: {q.number} {q.measure}" for keys, q in table_decl.cells()
        )
        title = f"**table {table_decl.name.text}** by {', '.join(table_decl.enums)}"
        add(table_decl.name.text, "table", table_decl.name.span, f"{title}\n\n{rows}")
    for reading in file.readings:
        options = "\n".join(f"- `{o.name}` {o.text}" for o in reading.options)
        add(
            reading.name.text,
            "reading",
            reading.name.span,
            f"**reading {reading.name.text}**: {reading.question}\n\n{options}\n\n"
            f"taken: `{reading.take.text}`, because {reading.because}",
        )
        for option in reading.options:
            hover = f"**{option.name}**: an option of reading {reading.name.text}\n\n{option.text}"
            add(option.name, "option", option.span, hover)
    for define in file.all_defines():
        word = "decide" if define.decided else "define"
        said = f"**{word} {define.name.text}** = {render(define.expr)}"
        add(
            define.name.text, "define", define.name.span, f"{said}\n\n{define.description}".rstrip()
        )
    chosen = {m.text: c for c in file.choices for m in c.members}  # `choose highest of …`
    for _, rule in file.all_rules():
        add(rule.name.text, "rule", rule.name.span, _rule_hover(rule, chosen.get(rule.name.text)))
    for unit in file.units:
        add(unit.name.text, "unit", unit.name.span, _unit_hover(unit))
        for alias in unit.aliases:
            add(alias.text, "unit", unit.name.span, _unit_hover(unit))
    return table


def _rule_hover(rule: n.Rule, choice: n.Choice | None = None) -> str:
    """A rule in plain Chinese, as the clause docs say it (with the choice that lists it)."""
    from policyc.compiler.render import render

    lines = [f"**rule {rule.name.text}**" + (f" ({rule.kind})" if rule.kind else "")]
    if rule.beneficiary:
        lines.append(f"- 对象: {rule.beneficiary}")
    lines += [f"- 条件: {render(when)}" for when in rule.whens]
    if isinstance(rule.amount, n.Unspecified):
        lines.append(f"- 金额: 未规定 ({rule.amount.text})")
    elif rule.amount is not None:
        lines.append(f"- 金额: {render(rule.amount)}")
    if rule.cap is not None:
        from policyc.compiler.daily_caps import day_words

        per = "".join(f" 每{s}" for s in rule.cap.scopes)
        lines.append(f"- 上限:{per} {render(rule.cap.amount)}{day_words(rule.cap)}")
    if rule.grants:
        lines.append(f"- 给予: {rule.grants}")
    if choice is not None:
        others = "、".join(m.text for m in choice.members if m.text != rule.name.text)
        said = f"与 {others} 同时适用的，只按金额最高的一项"
        lines.append(f"- 就高不重复: {said}（{choice.quote.text}）")
    return "\n".join(lines)


def _unit_hover(unit: n.UnitDecl) -> str:
    aliases = "、".join(a.text for a in unit.aliases)
    text = f"**unit {unit.name.text}**: {unit.full_name or unit.name.text}"
    if aliases:
        text += f"\n\n别名: {aliases}"
    if unit.kind and unit.kind != "unit":
        text += f"\n\nkind: {unit.kind}"
    return text


def _registry_symbols(file: n.PolicyFile, path: str) -> dict[str, list[Symbol]]:
    """The units of the registry the header names, pointing into the registry file."""
    from policyc.compiler.registry import registry_units

    if file.header is None or not file.header.registry_file:
        return {}
    registry = Path(path).parent / file.header.registry_file
    units: tuple[n.UnitDecl, ...] = ()
    with contextlib.suppress(OSError, UnicodeDecodeError, PolicyError):  # check reports it
        units = registry_units(str(registry), registry.read_text(encoding="utf-8"))
    table: dict[str, list[Symbol]] = {}
    for unit in units:
        symbol = Symbol(unit.name.text, "unit", unit.name.span, _unit_hover(unit))
        for written in (unit.name, *unit.aliases):
            table.setdefault(written.text, []).append(symbol)
    return table


def _outline(file: n.PolicyFile) -> list[Outline]:
    def rules(items: tuple[n.Rule, ...]) -> tuple[Outline, ...]:
        return tuple(Outline(r.name.text, r.kind, "rule", r.span) for r in items)

    def clause(c: n.Clause) -> Outline:
        return Outline(f"{c.kind} {c.number}", c.title, c.kind, c.span, rules(c.rules))

    def items() -> Iterator[Outline]:
        for section in file.sections:
            children = (*rules(section.rules), *(clause(c) for c in section.clauses))
            yield Outline(
                f"section {section.number}", section.title, "section", section.span, children
            )
        for c in file.clauses:
            yield clause(c)

    return sorted(items(), key=lambda o: (o.span.line, o.span.column))
