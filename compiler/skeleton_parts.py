"""`policyc new`: the document's own numbering as structure, and each part's sentences as quotes.

`find_headings` finds the headings kept: a regulation's `第一章` chapters (sections) and `第一条`
articles (clauses, numbered through the document), else `一、` sections, `(一)` clauses, `1.`
tasks, or a plan's bare-numbered sections and dotted clauses (`1总则`, `1.3 适用范围`); a heading
repeated (a table of contents) stands once, where it is last. `structure` files every line under
the part it falls in, as `Part`s (a clause's title from its heading, each sentence a quote, the
units its assignment names), the rest (the signature, the lines before the first heading) as the
preamble.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from policyc.compiler.coverage import _ENDS, _PIECES
from policyc.compiler.coverage import _is_sentence as _covers_no_heading
from policyc.compiler.skeleton_dates import SIGNATURE_DATE
from policyc.compiler.skeleton_units import Resolver, read_units

NUMERAL = "〇零一二两三四五六七八九十百"
# A regulation's chapters and articles (第一章 总则, 第三条 …): articles are numbered through the
# document, and the items of an article (（一）, 一、, 1.) are its text.
CHAPTER = re.compile(rf"^第(?P<n>[{NUMERAL}]+)章\s*(?P<rest>.*)$")
ARTICLE = re.compile(rf"^第(?P<n>[{NUMERAL}]+)条\s*(?P<rest>.*)$")
_SECTION = re.compile(rf"^(?P<n>[{NUMERAL}]+)、\s*(?P<rest>.*)$")  # `三、` alone: untitled
CLAUSE = re.compile(rf"^[(（](?P<n>[{NUMERAL}]+)[)）]\s*(?P<rest>.+)$")
_TASK = re.compile(r"^(?P<n>\d+)[.．、](?!\d)\s*(?P<rest>.+)$")
_DOTTED = re.compile(r"^(?P<n>\d+(?:\.\d+)+)\s*(?P<rest>[\u3400-\u9fff].*)$")
_BARE = re.compile(r"^(?P<n>\d{1,2})\s*(?P<rest>[\u3400-\u9fff][^。；;，,]{0,20})$")

TITLE_LIMIT = 24  # a first sentence longer than this is text, not a title
_LIST_INTRODUCED = ("：", ":")  # a first sentence ending so introduces a list: never a title


@attrs.define
class Part:
    kind: str  # section | clause | task
    number: str
    title: str
    line: int
    quotes: list[str] = attrs.Factory(list)
    leads: list[str] = attrs.Factory(list)
    responsible: list[str] = attrs.Factory(list)
    cooperates: list[str] = attrs.Factory(list)
    deadline: str = ""  # the 完成时限 as written (`2027年6月底前`, `每季度`)
    unknown: list[str] = attrs.Factory(list)
    children: list[Part] = attrs.Factory(list)
    heading: str = ""  # the heading's text after the number
    own_line: str = ""  # an article's line as printed (`第三条 …`), its quotes' start
    in_header: str = ""  # the header's fields that hold this part's text (`valid`), if any
    # A section's sentences after its last clause (`以上各阶梯水价均含…`): written after its
    # clauses, as the document reads (the site shows them under `一、…（续）`).
    closing: list[str] = attrs.Factory(list)


def find_headings(lines: Sequence[tuple[int, str]]) -> dict[int, tuple[str, str, str]]:
    """line → (kind, number, rest) for every heading kept (a repeated one only where last)."""
    dotted = any(_DOTTED.match(t) for _, t in lines)
    found: dict[int, tuple[str, str, str]] = {}
    if any(ARTICLE.match(t) for _, t in lines):
        for number, text in lines:
            match = CHAPTER.match(text) or ARTICLE.match(text)
            if match:
                kind = "section" if match.re is CHAPTER else "clause"
                found[number] = (kind, match["n"], match["rest"].strip())
        return found
    for number, text in lines:
        if SIGNATURE_DATE.match(text):
            continue
        for kind, pattern in (
            ("section", _SECTION),
            ("clause", CLAUSE),
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
    # number repeated with another title in the same section restarts a list (the checker
    # allows a number once in a section): the first stands, the later ones are text of the part
    # they fall in. Each section may number its clauses again (compiler/numbering.py).
    kept: dict[tuple[str, str, str], tuple[int, str]] = {}
    section = ""
    for number, (kind, n, rest) in sorted(found.items()):
        if kind == "section":
            section = n
        key = (kind, "" if kind == "section" else section, n)
        earlier = kept.get(key)
        if earlier is None or _same_heading(earlier[1], rest):
            kept[key] = (number, rest)
    lines_kept = {number for number, _ in kept.values()}
    return {k: v for k, v in found.items() if k in lines_kept}


def _same_heading(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a) == re.sub(r"\s", "", b)


def structure(
    lines: Sequence[tuple[int, str]],
    headings: dict[int, tuple[str, str, str]],
    resolve: Resolver,
    signature: set[int],
) -> tuple[list[Part], list[str]]:
    parts: list[Part] = []
    preamble: list[str] = []
    section: Part | None = None
    current: Part | None = None
    trailing: list[str] = []  # lines without a number after a section's clause, so far
    # Whether a clause of this section went on past its own line: then the lines after its
    # last clause are that clause's too, as the others' are (a document of 1.1, 1.2 … with
    # paragraphs); in one of one-line clauses ((一)(二)(三)) they close the section.
    paragraphs = [False]

    def close() -> None:  # a section ends: the lines after its last clause are its own
        if section is None or len(section.children) < 2:
            trailing.clear()
            paragraphs[0] = False
            return
        last = section.children[-1]
        # An article's (第N条) later lines stay its own: a regulation continues an article.
        if current is last and not paragraphs[0] and not last.own_line:
            moved = [q for q in last.quotes if q in trailing]
            kept = [q for q in last.quotes if q not in moved]
            if kept:  # the clause keeps its own line's text
                last.quotes = kept
                section.closing += moved
        trailing.clear()
        paragraphs[0] = False

    for number, line in lines:
        text = line
        heading = headings.get(number)
        if heading is not None:
            kind, n, rest = heading
            if kind == "section":
                close()
            else:  # the next clause: those lines were the last one's text
                paragraphs[0] = paragraphs[0] or bool(trailing)
                trailing.clear()
            title, text = title_of(kind, rest)
            # A section of one sentence is untitled after the loop (when no clause follows it).
            if kind == "clause" and not text and _ends_sentence(rest) and re.search("[，,]", rest):
                # （二）对乙类人员给予补贴，每人每月200元。: text (`（一）配套发展资金。` a title)
                title, text = "", rest
            elif text and _covers_no_heading(rest[: len(rest) - len(text)]):
                text = rest  # `15.加快…建设,提高…能力。(牵头单位…)`: its title is quoted too
            part = Part(kind, n, title, number, heading=rest)
            if kind == "section":
                parts.append(part)
                section = current = part
            else:
                (section.children if section is not None else parts).append(part)
                current = part
            if ARTICLE.match(line):
                # An article files its whole line (`第三条 医疗救助` alone too) as quotes, so
                # that its first quote starts `第三条` and `run`, `duties` and the site label
                # the clause as the document does (docs/language.md §4).
                part.own_line = text = line
            if not text:
                continue
        elif current is not None and current is not section and section is not None:
            trailing += _sentences(text)
        if current is None or number in signature:
            preamble.append(text)
            continue
        current.quotes += _sentences(text)
        read_units(text, current, resolve)
    close()
    for part in walk_parts(parts):
        if part.kind in ("section", "clause") and part.title and one_sentence(part):
            # One sentence and nothing else (`三、城乡低保家庭每户每月免收水量5立方米。`): text,
            # not a title, whatever its length — untitled and marked, as a long one is.
            part.title = ""
    return parts, preamble


# What ends a heading's sentence: a mark that ends a quote's sentence (coverage `_ENDS`:
# 。；;！？!?), and a last `.` (a text typed with ASCII stops), though a quote is not split at one
# (`5.5元`).
_SENTENCE_ENDS = (*_ENDS, ".")


def _ends_sentence(heading: str) -> bool:
    """A heading that ends a sentence (`三、城乡低保家庭每户每月免收水量5立方米。`, at one of
    `_SENTENCE_ENDS`): the part's text, not its title, however short."""
    return heading.rstrip().endswith(_SENTENCE_ENDS)


def one_sentence(part: Part) -> bool:
    """The part says its heading's sentence and nothing else: the heading ends a sentence
    (`_ends_sentence`), no part is under it, and it quotes no more than its own line
    (`only_title`: an article quotes its line, `第二条 …。`)."""
    return _ends_sentence(part.heading) and not part.children and only_title(part)


def title_of(kind: str, rest: str) -> tuple[str, str]:
    """(title, the text after it) of a heading's line."""
    pieces = [p for p in _PIECES.findall(rest) if p.strip()]
    first = pieces[0].strip() if pieces else ""
    if first.endswith(_LIST_INTRODUCED):
        # `贷款额度按下列各项分别计算，取其中最低者确定：` introduces the list after it: text.
        return "", rest
    if kind in ("section", "clause") and len(pieces) == 1 and len(first) <= TITLE_LIMIT:
        return first.rstrip("。"), ""
    if len(first) <= TITLE_LIMIT and first.endswith("。") and len(pieces) > 1:
        return first.rstrip("。"), rest[len(pieces[0]) :]
    if kind == "clause" and "。" not in rest and len(rest) <= TITLE_LIMIT:
        return rest, ""
    return "", rest


def _worded(piece: str) -> bool:
    return any(ch.isalnum() for ch in piece)


def _sentences(text: str) -> list[str]:
    """The sentences of `text` a part quotes, stripped: those with a letter or a digit."""
    return [p for p in (x.strip() for x in _PIECES.findall(text)) if _worded(p)]


def walk_parts(parts: Sequence[Part]) -> list[Part]:
    return [p for part in parts for p in (part, *walk_parts(part.children))]


def only_title(part: Part) -> bool:
    """The part says nothing but its title: no quote, or an article's one quote its own line."""
    return not part.quotes or part.quotes == _sentences(part.own_line)
