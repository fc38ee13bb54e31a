"""`policyc new`: a skeleton policy from the received text, for the drafter to fill in.

`skeleton(lines, ...)` reads the document's lines as the gazette prints them and writes:

- the header: the 文号 (the first line), the title (the lines up to the addressees), the issuer
  and the date (the signature lines at the end of the notice), each marked `TODO(drafter)`;
- the document's own numbering as structure: `一、` sections, `(一)` clauses, `1.` tasks, and in a
  plan numbered `1总则` / `1.3 适用范围` / `4.3.1`, bare-numbered sections and dotted clauses; a
  clause's title is its heading (`(一)配套发展资金。`), a task's its first sentence when short;
  a heading repeated (a table of contents) stands once, where it is last, the others set aside;
- each sentence of a clause as a `quote`; the units of `(牵头单位:…,责任单位:…)` as `lead` and
  `responsible`, resolved against the registry (an unknown unit is listed for the registry in
  a TODO comment and left out, so the skeleton checks);
- the addressees, the lines before the first heading and the signature as `aside`s;
- rules as TODO comments: the skeleton checks, with every sentence of the source covered.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

from policyc.compiler.coverage import _PIECES
from policyc.compiler.i18n import _

_NUMERAL = "〇零一二两三四五六七八九十百"
_DOCUMENT_NUMBER = re.compile(r"\S+〔\d{4}〕\d+号")
_SIGNATURE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_SECTION = re.compile(rf"^(?P<n>[{_NUMERAL}]+)、\s*(?P<rest>.+)$")
_CLAUSE = re.compile(rf"^[(（](?P<n>[{_NUMERAL}]+)[)）]\s*(?P<rest>.+)$")
_TASK = re.compile(r"^(?P<n>\d+)[.．、](?!\d)\s*(?P<rest>.+)$")
_DOTTED = re.compile(r"^(?P<n>\d+(?:\.\d+)+)\s*(?P<rest>[\u3400-\u9fff].*)$")
_BARE = re.compile(r"^(?P<n>\d{1,2})\s*(?P<rest>[\u3400-\u9fff][^。；;，,]{0,20})$")
_UNITS = re.compile(
    r"(?P<role>牵头单位|责任单位)\s*[:：]\s*(?P<names>[^)）。:：]*?)(?=[)）。]|$|[,，;；]\s*(?:牵头单位|责任单位))"
)
_TITLE_LIMIT = 24  # a first sentence longer than this is text, not a title


@attrs.define
class _Part:
    kind: str  # section | clause | task
    number: str
    title: str
    line: int
    quotes: list[str] = attrs.Factory(list)
    leads: list[str] = attrs.Factory(list)
    responsible: list[str] = attrs.Factory(list)
    unknown: list[str] = attrs.Factory(list)
    children: list[_Part] = attrs.Factory(list)
    heading: str = ""  # the heading's text after the number


Resolver = Callable[[str], str | None]


def skeleton(
    lines: Sequence[str],
    first: int,
    source: str,
    resolve: Resolver,
    registry: str = "",
) -> str:
    """The skeleton of the document at `lines` (the source's lines `first` … on).

    `source` is the source file as the policy names it, `registry` the registry file (or "");
    `resolve` maps a unit as written to its registry name, or None when it is unknown.
    """
    numbered = [(first + i, line.strip()) for i, line in enumerate(lines)]
    text_lines = [(number, line) for number, line in numbered if line]
    if not text_lines:
        raise ValueError(_("the lines given are blank"))
    last = first + len(lines) - 1
    asides: list[tuple[str, str]] = []
    doc_number_line = text_lines[0][1]
    doc_number = _DOCUMENT_NUMBER.search(doc_number_line)
    asides.append((doc_number_line, "文号, 写在 header 的 policy 中"))
    body = text_lines[1:]
    addressee = next((i for i, (_, t) in enumerate(body) if t.endswith((":", "："))), None)
    title_lines = body[:addressee] if addressee is not None else body[:1]
    title = "".join(t.replace(" ", "").replace("\u3000", "") for _, t in title_lines)
    rest = body[len(title_lines) :]
    if addressee is not None:
        asides.append((rest[0][1], "主送机关"))
        rest = rest[1:]
    issuer, issued = "", ""
    signature: set[int] = set()  # the signer's and the date's lines: asides, not clause text
    for i, (number, line) in enumerate(rest):
        date = _SIGNATURE_DATE.match(line)
        if date and i > 0:
            signature |= {number, rest[i - 1][0]}
            if not issued:
                issued = f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}"
                issuer = rest[i - 1][1]
    headings = _headings(rest)
    parts, preamble = _structure(rest, headings, resolve, signature)
    for line in preamble:
        what = "落款" if line == issuer or _SIGNATURE_DATE.match(line) else "TODO(drafter): 说明"
        asides.append((line, what))
    unknown = sorted({u for p in _walk(parts) for u in p.unknown})
    issuer_unit = resolve(issuer) if issuer else None
    out = [
        f"# Skeleton made by `policyc new` from {source} lines {first}–{last}.",
        "# TODO(drafter): confirm every field marked TODO, write the rules, then `policyc check`.",
    ]
    if unknown:
        out.append(f"# TODO(registry): units not in the registry: {'、'.join(unknown)}")
    out += [
        "",
        f"policy {_quote(doc_number[0] if doc_number else doc_number_line)} {{"
        "  # TODO(drafter): 文号",
        f"    title {_quote(title)}  # TODO(drafter): confirm the title",
    ]
    if issuer_unit:
        out.append(f"    issuer {issuer_unit}  # TODO(drafter): confirm (落款: {issuer})")
    if issued:
        out.append(f"    issued {issued}  # TODO(drafter): confirm (落款日期)")
    out.append(f"    source {_quote(source)} lines {first} to {last}")
    if registry:
        out.append(f"    units from {_quote(registry)}")
    out += ["}", ""]
    out += [f"aside {_quote(text)} {_quote(why)}" for text, why in asides]
    for part in parts:
        out += ["", *_render(part, 0)]
    from policyc.compiler.fmt import format_text

    return format_text("\n".join(out) + "\n", "<skeleton>")


def _headings(lines: Sequence[tuple[int, str]]) -> dict[int, tuple[str, str, str]]:
    """line → (kind, number, rest) for every heading kept (a repeated one only where last)."""
    dotted = any(_DOTTED.match(t) for _, t in lines)
    found: dict[int, tuple[str, str, str]] = {}
    for number, text in lines:
        if _SIGNATURE_DATE.match(text):
            continue
        for kind, pattern in (
            ("section", _SECTION),
            ("clause", _CLAUSE),
            ("clause", _DOTTED if dotted else None),
            ("section", _BARE if dotted else None),
            ("task", None if dotted else _TASK),
        ):
            match = pattern.match(text) if pattern is not None else None
            if match:
                found[number] = (kind, match["n"], match["rest"].strip())
                break
    # Items numbered `1.` that start again under each `(一)` clause are the clause's text (the
    # clause is the unit of the document); numbered on through the document, they are tasks.
    task_texts: dict[str, set[str]] = {}
    for kind, n, rest in found.values():
        if kind == "task":
            task_texts.setdefault(n, set()).add(re.sub(r"\s", "", rest))
    if any(len(texts) > 1 for texts in task_texts.values()):
        in_clause = False
        for number in sorted(found):
            kind = found[number][0]
            in_clause = kind == "clause" or (in_clause and kind == "task")
            if kind == "task" and in_clause:
                del found[number]
    # A number repeated with its title is a table of contents: the heading is the last one. A
    # number repeated with another title restarts a list (the checker allows a number once):
    # the first stands, the later ones are text of the part they fall in.
    kept: dict[tuple[str, str], tuple[int, str]] = {}
    for number, (kind, n, rest) in found.items():
        earlier = kept.get((kind, n))
        if earlier is None or _same_heading(earlier[1], rest):
            kept[(kind, n)] = (number, rest)
    lines_kept = {number for number, _ in kept.values()}
    return {k: v for k, v in found.items() if k in lines_kept}


def _same_heading(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a) == re.sub(r"\s", "", b)


def _structure(
    lines: Sequence[tuple[int, str]],
    headings: dict[int, tuple[str, str, str]],
    resolve: Resolver,
    signature: set[int],
) -> tuple[list[_Part], list[str]]:
    parts: list[_Part] = []
    preamble: list[str] = []
    section: _Part | None = None
    current: _Part | None = None
    for number, text in lines:
        heading = headings.get(number)
        if heading is not None:
            kind, n, rest = heading
            title, text = _title(kind, rest)
            part = _Part(kind, n, title, number, heading=rest)
            if kind == "section":
                parts.append(part)
                section = current = part
            else:
                (section.children if section is not None else parts).append(part)
                current = part
            if not text:
                continue
        if current is None or number in signature:
            preamble.append(text)
            continue
        current.quotes += [p for p in (x.strip() for x in _PIECES.findall(text)) if _worded(p)]
        _units(text, current, resolve)
    return parts, preamble


def _title(kind: str, rest: str) -> tuple[str, str]:
    """(title, the text after it) of a heading's line."""
    pieces = [p for p in _PIECES.findall(rest) if p.strip()]
    first = pieces[0].strip() if pieces else ""
    if kind in ("section", "clause") and len(pieces) == 1 and len(first) <= _TITLE_LIMIT:
        return first.rstrip("。"), ""
    if len(first) <= _TITLE_LIMIT and first.endswith("。") and len(pieces) > 1:
        return first.rstrip("。"), rest[len(pieces[0]) :]
    if kind == "clause" and "。" not in rest and len(rest) <= _TITLE_LIMIT:
        return rest, ""
    return "", rest


def _worded(piece: str) -> bool:
    return any(ch.isalnum() for ch in piece)


def _units(text: str, part: _Part, resolve: Resolver) -> None:
    for match in _UNITS.finditer(text):
        target = part.leads if match["role"] == "牵头单位" else part.responsible
        for written in re.split(r"[、,，;；]", match["names"]):
            name = written.strip()
            if not name:
                continue
            unit = resolve(name)
            if unit is None:
                part.unknown.append(name)
            elif unit not in target:
                target.append(unit)


def _walk(parts: Sequence[_Part]) -> list[_Part]:
    return [p for part in parts for p in (part, *_walk(part.children))]


def _render(part: _Part, depth: int) -> list[str]:
    pad = "    " * depth
    title = f" {_quote(part.title)}" if part.title or part.kind != "task" else ""
    lines = [f"{pad}{part.kind} {part.number}{title} {{"]
    inner = pad + "    "
    quotes = part.quotes or ([] if part.kind == "section" else [part.heading])
    lines += [f"{inner}quote {_quote(q)}" for q in quotes]
    if part.leads:
        lines.append(f"{inner}lead {', '.join(part.leads)}")
    if part.responsible:
        lines.append(f"{inner}responsible {', '.join(part.responsible)}")
    if part.unknown:
        lines.append(f"{inner}# TODO(registry): not in the registry: {'、'.join(part.unknown)}")
    if part.kind != "section" or not part.children:
        lines.append(f"{inner}# TODO(drafter): the rules of {part.kind} {part.number}")
    for child in part.children:
        lines += ["", *_render(child, depth + 1)]
    lines.append(f"{pad}}}")
    return lines


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def relative(path: Path, to: Path) -> str:
    """`path` as a policy file in folder `to` names it."""
    return Path(os.path.relpath(path.resolve(), to.resolve())).as_posix()
