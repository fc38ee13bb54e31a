"""Source coverage: which sentences of the received text the policy restates or sets aside.

`coverage(policy)` reads the lines the header names (`source FILE lines A to B`), splits them
into sentences and reports each one as covered or not, with its line and a percentage.

- Sentences end at 。 ； ; ！ ？ and at line ends; blank lines are skipped, and so is a piece
  that is only numbering or punctuation (`(一)`, `1.`, `）`).
- A sentence is covered when every character of it that is not white space or punctuation
  lies inside text the policy restates verbatim: a `quote`, an `aside "text" "why"` (source
  text that states no rule: preamble, addressees, signature, date line), or the header's
  `title`. Text is matched with white space removed, as the checker matches quotes, and a
  sentence may be covered by several quotes together (one rule quoting each half).
- Numbering at the start of a sentence (`一、`, `(一)`, `2)`, `1.`, `第一条`, `4.3.1`) belongs to
  the structure and need not be quoted: `1.严格落实…。` is covered by a quote of `严格落实…。`.
  A heading — numbering followed by a title, as in `一、加强资金支持`, `(一)配套发展资金。` (a
  clause's heading is the first sentence of its line) or `1.3适用范围` and `1总则` (a bare
  number, as tables of contents write it) — is covered by the structure when a `section`,
  `clause` or `task` has that number and that title; otherwise its title must be quoted or set
  aside like any other text. A sentence with a comma inside that ends in 。 or ； is text, not a
  heading, whatever title a part takes from it: `clause 十 "本办法自2027年1月1日起施行，有效期5年"`
  covers nothing of `第十条 本办法自2027年1月1日起施行，有效期5年。`; quote it.
- Without a `source` in the header there is nothing to cover: no sentences, 100%.

The figures (`Coverage.total`, `covered`, `percent`, `summary()`) are what the docs show for
each document; `uncovered()` lists what a drafter still has to restate or set aside.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import Diagnostic, Severity, Span
from policyc.compiler.files import read_text
from policyc.compiler.i18n import _
from policyc.compiler.project import named_file

_ENDS = "。；;！？!?"
_PIECES = re.compile(rf"[^{_ENDS}]*[{_ENDS}]+|[^{_ENDS}]+")
_NUMERAL = "〇零一二两三四五六七八九十百千"
# Numbering at the start of a sentence: `一、`, `(一)`, `（1）`, `2)`, `1.`, `1、`, `第一条`,
# `1.3`, `4.3.1 ` (dotted, before a space or a title).
_NUMBERING = re.compile(
    rf"^\s*(?:[（(]?\s*(?P<a>[{_NUMERAL}\d]+)\s*[）)]|(?P<b>[{_NUMERAL}\d]+)\s*[、.．](?!\d)"
    rf"|第(?P<c>[{_NUMERAL}\d]+)[条章节部分项]|(?P<d>\d+(?:\.\d+)+)(?=[\s\u3400-\u9fff]))\s*"
)
# A bare number before a title (`1总则`, a heading or a table of contents entry): a heading only
# when a section, clause or task has that number and title, else ordinary text (`2023年…`).
_BARE_NUMBER = re.compile(r"^\s*(?P<d>\d+)(?=[\u3400-\u9fff])")


@attrs.frozen
class Sentence:
    line: int
    column: int  # 1-based, in characters
    text: str
    covered_by: str  # quote | aside | title | heading | "" (not covered)

    @property
    def covered(self) -> bool:
        return bool(self.covered_by)


@attrs.frozen
class Coverage:
    policy_file: str
    source_file: str  # as the header names it, relative to the policy file
    first_line: int
    last_line: int
    sentences: tuple[Sentence, ...]

    @property
    def total(self) -> int:
        return len(self.sentences)

    @property
    def covered(self) -> int:
        return sum(1 for s in self.sentences if s.covered)

    @property
    def percent(self) -> float:
        """Covered sentences in percent, 100.0 when there is nothing to cover."""
        return 100.0 * self.covered / self.total if self.total else 100.0

    def source_path(self) -> str:
        """The source file as a path from where the policy was named (`..` resolved)."""
        return os.path.normpath(Path(self.policy_file).parent / self.source_file)

    def uncovered(self) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if not s.covered)

    def summary(self) -> dict[str, object]:
        """The figures, for the docs and JSON: counts, percent (one decimal) and what is left."""
        return {
            "source": self.source_file,
            "lines": [self.first_line, self.last_line],
            "sentences": self.total,
            "covered": self.covered,
            "percent": round(self.percent, 1),
            "uncovered": [{"line": s.line, "text": s.text} for s in self.uncovered()],
        }

    def diagnostics(self) -> list[Diagnostic]:
        """A warning per uncovered sentence, at its place in the source file."""
        path = self.source_path()
        return [
            Diagnostic(
                Span(path, s.line, s.column, s.line, s.column + len(s.text)),
                _("no quote or aside covers this sentence"),
                severity=Severity.WARNING,
                code="uncovered-sentence",
            )
            for s in self.uncovered()
        ]

    def report(self) -> str:
        """`path: covered/total sentences (pct%)`, then `path:line: sentence` for each gap."""
        path = self.source_path()
        head = f"{self.policy_file}: {self.covered}/{self.total} sentences ({self.percent:.1f}%)"
        return "\n".join([head, *(f"{path}:{s.line}: {s.text}" for s in self.uncovered())])


def coverage(policy: CheckedPolicy) -> Coverage:
    header = policy.header
    empty = Coverage(policy.file.path, header.source_file, 0, 0, ())
    if not header.source_file:
        return empty
    try:
        path = named_file(Path(policy.file.path), header.source_file, "source")
        lines = read_text(path).splitlines()
    except (OSError, UnicodeDecodeError, ValueError):  # PathRefused is a ValueError
        return empty  # the checker has reported it
    first, last = header.source_first_line, header.source_last_line
    if not 1 <= first <= last <= len(lines):
        return empty
    numbered = [(number, lines[number - 1]) for number in range(first, last + 1)]
    marks = _Marks(numbered)
    for text, how in _restated(policy):
        marks.mark(text, how)
    headings = _headings(policy.file)
    sentences = [
        _judge(number, column, piece, marks, headings)
        for number, line in numbered
        for column, piece in _pieces(line)
    ]
    return Coverage(
        policy.file.path,
        header.source_file,
        first,
        last,
        tuple(s for s in sentences if s is not None),
    )


def _restated(policy: CheckedPolicy) -> Iterator[tuple[str, str]]:
    file = policy.file
    yield policy.header.title, "title"
    for aside in file.asides:
        yield aside.text, "aside"
    for section in file.sections:
        yield from ((q.text, "quote") for q in section.quotes)
    for clause in file.all_clauses():
        yield from ((q.text, "quote") for q in clause.quotes)
    for _owner, rule in file.all_rules():
        yield from ((q.text, "quote") for q in rule.quotes)
    for cap in file.shared_caps:  # a cap shared by several rules quotes its sentence too
        yield from ((q.text, "quote") for q in cap.quotes)
    for choice in file.choices:  # so does a `choose highest of …`
        yield choice.quote.text, "quote"
    for rounding in file.roundings:  # so does a rounding the document states
        if rounding.quote is not None:
            yield rounding.quote.text, "quote"


def _headings(file: n.PolicyFile) -> set[tuple[str, str]]:
    """(number, title) of every section, clause and task, white space removed — but not a title
    that is a sentence (`本办法自2027年1月1日起施行，有效期5年`: a clause says it in a title
    only, which no reader of `run` or the site sees as its text)."""
    found = {(s.number, _squeeze(s.title)) for s in file.sections}
    found |= {(c.number, _squeeze(c.title)) for c in file.all_clauses()}
    return found


def _is_sentence(text: str) -> bool:
    """A sentence, not a heading, though a part takes it for its title: it ends a sentence and
    has a comma inside (`本办法自2027年1月1日起施行，有效期5年。`); `配套发展资金。` and
    `系统实施流域治理,在统筹发展安全上实现新突破` are headings."""
    body = text.strip()
    return body.endswith(tuple(_ENDS)) and re.search(r"[，,]", body) is not None


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pieces(line: str) -> Iterator[tuple[int, str]]:
    for match in _PIECES.finditer(line):
        text = match.group()
        stripped = text.strip()
        if stripped:
            yield match.start() + 1 + (len(text) - len(text.lstrip())), stripped


def _is_content(ch: str) -> bool:
    return not ch.isspace() and unicodedata.category(ch)[0] not in "PSZ"


class _Marks:
    """Which characters of the source (white space removed) some restated text covers."""

    def __init__(self, numbered: list[tuple[int, str]]):
        # Per line, its text and the offset in `squeezed` of its first non-space character: a
        # character's offset is counted when asked (str.split drops exactly what isspace() is).
        self.lines: dict[int, tuple[str, int]] = {}
        pieces: list[str] = []
        size = 0
        for number, line in numbered:
            self.lines[number] = (line, size)
            piece = "".join(line.split())
            pieces.append(piece)
            size += len(piece)
        self.squeezed = "".join(pieces)
        self.how: list[str] = [""] * size

    def _offset(self, line: int, column: int) -> int | None:
        """The offset in `squeezed` of the character at (line, column), None for white space
        or a place outside the source lines."""
        entry = self.lines.get(line)
        if entry is None or not 1 <= column <= len(entry[0]) or entry[0][column - 1].isspace():
            return None
        source, start = entry
        return start + len("".join(source[: column - 1].split()))

    def _offsets(self, line: int, column: int, text: str) -> list[int | None]:
        """The offset of each character of `text` written at (line, column); counted along the
        line where `text` is the line's own text there (always, from `_judge`)."""
        entry = self.lines.get(line)
        if entry is None or column < 1 or not entry[0].startswith(text, column - 1):
            return [self._offset(line, column + i) for i in range(len(text))]
        source, start = entry
        offset = start + len("".join(source[: column - 1].split()))
        offsets: list[int | None] = []
        for ch in text:
            if ch.isspace():
                offsets.append(None)
            else:
                offsets.append(offset)
                offset += 1
        return offsets

    def mark(self, text: str, how: str) -> None:
        needle = _squeeze(text)
        if not needle:
            return
        at = self.squeezed.find(needle)
        while at >= 0:
            for offset in range(at, at + len(needle)):
                self.how[offset] = self.how[offset] or how
            at = self.squeezed.find(needle, at + 1)

    def covered_by(self, line: int, column: int, text: str) -> str:
        kinds: set[str] = set()
        for ch, offset in zip(text, self._offsets(line, column, text), strict=True):
            if not _is_content(ch):
                continue
            how = self.how[offset] if offset is not None else ""
            if not how:
                return ""
            kinds.add(how)
        return next((k for k in ("quote", "aside", "title") if k in kinds), "quote")


def _judge(
    line: int, column: int, text: str, marks: _Marks, headings: set[tuple[str, str]]
) -> Sentence | None:
    if not any(_is_content(ch) for ch in text):
        return None  # punctuation only
    numbering = _NUMBERING.match(text)
    if numbering is not None:
        title = _squeeze(text[numbering.end() :]).rstrip(_ENDS + "。.")
        if not any(_is_content(ch) for ch in title):
            return None  # numbering only
        number = next(g for g in numbering.groups() if g)
        if (number, title) in headings and not _is_sentence(text[numbering.end() :]):
            return Sentence(line, column, text, "heading")
        # The numbering is the structure's (`task 1`), not text a quote must repeat.
        rest = numbering.end()
        return Sentence(line, column, text, marks.covered_by(line, column + rest, text[rest:]))
    bare = _BARE_NUMBER.match(text)
    if bare is not None:
        title = _squeeze(text[bare.end() :]).rstrip(_ENDS + "。.")
        if (bare.group("d"), title) in headings:
            return Sentence(line, column, text, "heading")
    return Sentence(line, column, text, marks.covered_by(line, column, text))
