"""The files a policy reads besides itself: its unit registry and the received gazette text.

`load_registry(path, diagnostics, registry)` adds a registry file's units (parsed once per
process); `ReceivedText` loads the `units from` and `source` files named in the header (inside
the policy's project, else refused with a diagnostic), and checks that every quote is in the
source lines (white space ignored; `place_quotes` then keeps each quote's line in
`quote_places`, in the order the policy restates the document) and that every repair names a
source line holding the text it says was received. Problems are collected as
diagnostics; nothing raises.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path

from policyc.compiler import nodes as n
from policyc.compiler.check_base import CheckerBase
from policyc.compiler.errors import Diagnostic, PolicyError, Span
from policyc.compiler.files import read_text
from policyc.compiler.i18n import _
from policyc.compiler.part_places import own_label
from policyc.compiler.project import PathRefused, named_file
from policyc.compiler.registry import Registry, registry_units


def load_registry(
    path: Path, diagnostics: list[Diagnostic], registry: Registry, shown: str = ""
) -> None:
    """Add the units of the registry file `path` (named `shown` in messages, default `path`)."""
    text = read_text(path)
    for decl in registry_units(shown or str(path), text):
        registry.add(decl, diagnostics)


def unreadable_why(exc: Exception) -> str:
    """Why a file named by the header cannot be read, in the user's language: the usual OS
    errors by their number, text that is not UTF-8, else the system's own words."""
    if isinstance(exc, UnicodeDecodeError):
        return _("it is not UTF-8 text")
    reasons = {
        errno.ENOENT: _("no such file"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EISDIR: _("it is a folder, not a file"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
    }
    number = getattr(exc, "errno", None)
    if isinstance(number, int) and number in reasons:
        return reasons[number]
    return str(getattr(exc, "strerror", None) or exc)


def _occurrences(text: str, needle: str) -> list[int]:
    """Every offset in `text` where `needle` (not empty) starts, overlapping ones included."""
    found: list[int] = []
    at = text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _distance(lines: tuple[int, int], before: tuple[int, int] | None) -> int:
    """Lines between an occurrence (first, last line) and the quote placed before it: 0 when they
    share a line; 0 for every occurrence of the first quote (nothing to be near)."""
    if before is None:
        return 0
    if lines[0] > before[1]:
        return lines[0] - before[1]
    if lines[1] < before[0]:
        return before[0] - lines[1]
    return 0


def _named_at(span: Span, header: n.Header) -> Span:
    # A header built before file names carried their own place points at the header.
    return span if span.line else header.span


class ReceivedText(CheckerBase):
    def load_units(self, header: n.Header) -> None:
        if header.registry_file:
            self.load_registry_file(header)
        for decl in self.file.units:
            self.registry.add(decl, self.diagnostics)

    def load_registry_file(self, header: n.Header) -> None:
        try:
            path = named_file(Path(self.file.path), header.registry_file, "units from")
        except PathRefused as exc:
            self.error(_named_at(header.registry_span, header), str(exc))
            self.registry.unavailable = True
            return
        shown = self.here / header.registry_file  # messages name it as the policy does
        try:
            load_registry(path, self.diagnostics, self.registry, shown=str(shown))
            self.sources[str(shown)] = read_text(path)
        except (OSError, ValueError) as exc:  # ValueError: not UTF-8
            self.registry.unavailable = True
            self.error(
                _named_at(header.registry_span, header),
                _("cannot read the unit registry `{header_registry_file}`: {value}").format(
                    header_registry_file=header.registry_file,
                    value=unreadable_why(exc),
                ),
            )
        except PolicyError as exc:
            self.registry.unavailable = True
            self.diagnostics.extend(exc.diagnostics)
            self.sources.update(exc.sources)

    def load_source(self, header: n.Header) -> None:
        try:
            path = named_file(Path(self.file.path), header.source_file, "source")
        except PathRefused as exc:
            self.error(_named_at(header.source_span, header), str(exc))
            return
        try:
            lines = read_text(path).splitlines()
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the name, or not UTF-8
            why = unreadable_why(exc)
            self.error(
                _named_at(header.source_span, header),
                _("cannot read the source text `{header_source_file}`: {why}").format(
                    header_source_file=header.source_file,
                    why=why,
                ),
            )
            return
        first, last = header.source_first_line, header.source_last_line
        if not 1 <= first <= last <= len(lines):
            self.error(
                header.span,
                _("source lines {first} to {last} are outside the file ({len_lines} lines)").format(
                    first=first,
                    last=last,
                    len_lines=len(lines),
                ),
            )
            return
        self.source_lines = {i: lines[i - 1] for i in range(first, last + 1)}
        # Quotes are matched with all white space removed: the gazette text is wrapped and spaced.
        squeezed: list[str] = []
        self.offset_line: list[int] = []
        for number, line in self.source_lines.items():
            for ch in re.sub(r"\s+", "", line):
                squeezed.append(ch)
                self.offset_line.append(number)
        self.squeezed_source = "".join(squeezed)
        self.found_quotes: list[tuple[n.Quote, str]] = []  # each quote found, as squeezed

    def check_quote(self, quote: n.Quote) -> None:
        if not hasattr(self, "squeezed_source"):
            return
        needle = re.sub(r"\s+", "", quote.text)
        at = self.squeezed_source.find(needle) if needle else -1
        if at < 0:
            self.error(
                quote.span,
                _("this quote is not in the source text"),
                _("the sentence exactly as received (lines {first}–{last})").format(
                    first=self.file.header.source_first_line,  # type: ignore[union-attr]
                    last=self.file.header.source_last_line,  # type: ignore[union-attr]
                ),
            )
            return
        self.quote_lines.setdefault(quote.text, self.offset_line[at])
        self.found_quotes.append((quote, needle))

    def place_quotes(self) -> None:
        """The source line of each quote found, in `quote_places` by the quote's place (line,
        column) in the policy. The policy restates the document in order, so a text the source
        holds more than once is placed at its occurrence nearest the quote written before it (in
        lines; a tie goes to the later one): `完成时限：2027年6月底前）` closing task 3 after task
        3's 责任单位 is task 3's, a lead-in quoted after its item (`5.依法对以下行为进行查处:`)
        the one above that item. Where the quotes around it do not tell — it is the first quote,
        or another occurrence is not more than twice as far — `check` warns (`ambiguous-quote`;
        not for an aside)."""
        if not hasattr(self, "found_quotes"):
            return
        before: tuple[int, int] | None = None  # the lines of the quote placed before
        # An aside (a title repeated by a table of contents, a heading) states no rule: placed
        # alike, never warned about.
        asides = {(a.span.line, a.span.column) for a in self.file.asides}
        ordered = sorted(self.found_quotes, key=lambda q: (q[0].span.line, q[0].span.column))
        for quote, needle in ordered:
            spans = [
                (self.offset_line[at], self.offset_line[at + len(needle) - 1], at)
                for at in _occurrences(self.squeezed_source, needle)
            ]
            near = sorted(spans, key=lambda o: (_distance(o[:2], before), -o[2]))
            first, last, _at = near[0]
            place = (quote.span.line, quote.span.column)
            if (
                len(near) > 1
                and place not in asides
                and (
                    before is None
                    or _distance(near[1][:2], before) <= 2 * _distance((first, last), before)
                )
            ):
                lines = sorted({o[0] for o in spans})
                self.warn(
                    quote.span,
                    _(
                        "this quote is in the source {count} times (lines {lines}) and the "
                        "quotes around it do not tell which: it is placed at line {line}, the "
                        "nearest to the quote before it; quote more of the sentence, or restate "
                        "the document in order"
                    ).format(count=len(spans), lines=", ".join(map(str, lines)), line=first),
                    code="ambiguous-quote",
                )
            self.quote_places[place] = first
            before = (first, last)

    def check_article_numbers(self) -> None:
        """Warn (`quote-without-number`) where a clause's first quote leaves out the article
        number the source writes right before it (`第三条 灵活就业的…` quoted from `灵活就业的…`):
        run, duties and the site then call the clause （三）, where the document says 第三条
        (part_places.own_label reads the label from the quote)."""
        if not hasattr(self, "found_quotes"):
            return
        found = {(q.span.line, q.span.column): needle for q, needle in self.found_quotes}
        for clause in self.file.all_clauses():
            if clause.kind != "clause" or not clause.quotes or own_label(clause):
                continue
            quote = clause.quotes[0]
            needle = found.get((quote.span.line, quote.span.column))
            label = f"第{clause.number}条"
            if not needle or not any(
                self.squeezed_source[max(at - len(label), 0) : at] == label
                for at in _occurrences(self.squeezed_source, needle)
            ):
                continue
            self.warn(
                quote.span,
                _(
                    "the source writes `{label}` right before this quote: start the quote with "
                    'it (`quote "{label} {start}…"`), so that run, duties and the site call the '
                    "clause {label}, as the document does, not （{number}）"
                ).format(label=label, start=quote.text.strip()[:8], number=clause.number),
                code="quote-without-number",
            )

    def check_repairs(self, header: n.Header) -> None:
        for repair in self.file.repairs:
            lines = getattr(self, "source_lines", None)
            if lines is None:
                continue
            if repair.line not in lines:
                self.error(
                    repair.span,
                    _(
                        "repair `{repair_name}`: line {repair_line} is "
                        "outside the document's source lines"
                    ).format(
                        repair_name=repair.name.text,
                        repair_line=repair.line,
                    ),
                )
            elif re.sub(r"\s+", "", repair.received) not in re.sub(r"\s+", "", lines[repair.line]):
                self.error(
                    repair.span,
                    _(
                        "repair `{repair_name}`: line {repair_line} does not "
                        "contain the text given as received"
                    ).format(
                        repair_name=repair.name.text,
                        repair_line=repair.line,
                    ),
                )
