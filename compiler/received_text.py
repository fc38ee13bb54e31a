"""The files a policy reads besides itself: its unit registry and the received gazette text.

`load_registry(path, diagnostics, registry)` adds a registry file's units (parsed once per
process); `ReceivedText` loads the `units from` and `source` files named in the header (inside
the policy's project, else refused with a diagnostic), and checks that every quote is in the
source lines (white space ignored, the line of each quote kept in `quote_lines`) and that every
repair names a source line holding the text it says was received. Problems are collected as
diagnostics; nothing raises.
"""

from __future__ import annotations

import errno
import functools
import re
from pathlib import Path

from policyc.compiler import nodes as n
from policyc.compiler.check_base import CheckerBase
from policyc.compiler.errors import Diagnostic, PolicyError, Span
from policyc.compiler.files import read_text
from policyc.compiler.i18n import _
from policyc.compiler.project import PathRefused, named_file
from policyc.compiler.registry import Registry


def load_registry(
    path: Path, diagnostics: list[Diagnostic], registry: Registry, shown: str = ""
) -> None:
    """Add the units of the registry file `path` (named `shown` in messages, default `path`)."""
    text = read_text(path)
    for decl in _parse_registry(shown or str(path), text).units:
        registry.add(decl, diagnostics)


@functools.lru_cache(maxsize=8)
def _parse_registry(path: str, text: str) -> n.PolicyFile:
    # Every policy of a folder loads the same registry: parse it once per process.
    from policyc.compiler.parser import parse  # late: parser imports the builder, not the checker

    return parse(text, path)


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
        self.quote_lines[quote.text] = self.offset_line[at]

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
