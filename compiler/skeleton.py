"""`policyc new`: a skeleton policy from the received text, for the drafter to fill in.

`skeleton(lines, ...)` reads the document's lines as the gazette prints them and writes:

- the header: the 文号 (the line before the addressees that looks like one, else the first
  line), the title (the other lines before the addressees; a masthead `…文件` is an aside), the
  issuer and the date (the signature lines at the end of the notice, the date in figures or in
  Chinese numerals; the notes under it, `(此件公开发布)`, are asides), and the validity sentence
  (`自2024年3月1日起施行,有效期至2026年12月31日` → `valid from 2024-03-01 until 2026-12-31`,
  `自发布之日起实施,有效期暂定3年` → `valid from <落款日期> for 3 年 provisional`, `由…负责解释`
  → `interpreted_by`; a unit not in the registry is a `TODO(registry)`), each marked
  `TODO(drafter)`, which `check` lists as warnings; an untitled section (`三、`) is marked too;
- the document's own numbering as structure: a regulation's `第一章` chapters as sections and
  `第一条` articles as clauses (numbered through the document; an article's `（一）` items are its
  text; its 文号, if the text prints none, is left to fill); else `一、` sections, `(一)` clauses,
  `1.` tasks, and in a
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

import calendar
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from policyc.compiler.coverage import _ENDS, _PIECES
from policyc.compiler.coverage import _is_sentence as _covers_no_heading
from policyc.compiler.i18n import _

if TYPE_CHECKING:
    from policyc.compiler.registry import Registry

_NUMERAL = "〇零一二两三四五六七八九十百"
_DOCUMENT_NUMBER = re.compile(r"\S+〔\d{4}〕\d+号")
_NUMBER_YEAR = re.compile(r"[〔\[［【(（]\s*(?:19|20)\d{2}")
# The 落款 date, in figures or in Chinese numerals as signatures print it (二〇二六年三月一日).
_DATE_DIGITS = "0-9〇零一二两三四五六七八九十"
_SIGNATURE_DATE = re.compile(
    rf"^([{_DATE_DIGITS}]{{4}})\s*年\s*([{_DATE_DIGITS}]{{1,3}})\s*月\s*([{_DATE_DIGITS}]{{1,3}})\s*日$"
)
# A regulation's chapters and articles (第一章 总则, 第三条 …): articles are numbered through the
# document, and the items of an article (（一）, 一、, 1.) are its text.
_CHAPTER = re.compile(rf"^第(?P<n>[{_NUMERAL}]+)章\s*(?P<rest>.*)$")
_ARTICLE = re.compile(rf"^第(?P<n>[{_NUMERAL}]+)条\s*(?P<rest>.*)$")
_AFTER_SIGNATURE = re.compile(r"^(?:[(（][^()（）]+[)）]|抄送\s*[:：].*)$")
_SECTION = re.compile(rf"^(?P<n>[{_NUMERAL}]+)、\s*(?P<rest>.*)$")  # `三、` alone: untitled
_CLAUSE = re.compile(rf"^[(（](?P<n>[{_NUMERAL}]+)[)）]\s*(?P<rest>.+)$")
_TASK = re.compile(r"^(?P<n>\d+)[.．、](?!\d)\s*(?P<rest>.+)$")
_DOTTED = re.compile(r"^(?P<n>\d+(?:\.\d+)+)\s*(?P<rest>[\u3400-\u9fff].*)$")
_BARE = re.compile(r"^(?P<n>\d{1,2})\s*(?P<rest>[\u3400-\u9fff][^。；;，,]{0,20})$")
# The 版记 at the foot of a notice: `临江市人民政府办公室2026年12月10日印发` (the office that
# printed it and the day), an aside like the signature, never the text of the last clause.
_IMPRINT = re.compile(
    rf"^\S*?\s*[{_DATE_DIGITS}]{{4}}\s*年\s*[{_DATE_DIGITS}]{{1,3}}\s*月\s*[{_DATE_DIGITS}]{{1,3}}"
    r"\s*日\s*印发$"
)
# A 分工方案's assignment of a task or clause (compiler/skeleton.py `_assignment`): its units and
# its 完成时限, each `LABEL：value`, in any order, in brackets or not, separated by ；or ，(a
# value's own ， or ；ends it only where the next label follows).
_ROLE_LABELS = {
    "牵头单位": "lead",
    "牵头部门": "lead",
    "责任单位": "responsible",
    "责任部门": "responsible",
    "配合单位": "cooperates",
    "配合部门": "cooperates",
    "完成时限": "deadline",
    "完成时间": "deadline",
    "时间节点": "deadline",
}
_LABELS = "|".join(_ROLE_LABELS)
_ASSIGNMENT = re.compile(
    rf"(?P<label>{_LABELS})\s*[:：]\s*(?P<value>.*?)\s*"
    rf"(?=[,，;；]?\s*(?:{_LABELS})\s*[:：]|[)）。]|[,，;；]?\s*$)"
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
    cooperates: list[str] = attrs.Factory(list)
    deadline: str = ""  # the 完成时限 as written (`2027年6月底前`, `每季度`)
    unknown: list[str] = attrs.Factory(list)
    children: list[_Part] = attrs.Factory(list)
    heading: str = ""  # the heading's text after the number
    own_line: str = ""  # an article's line as printed (`第三条 …`), its quotes' start
    in_header: str = ""  # the header's fields that hold this part's text (`valid`), if any
    # A section's sentences after its last clause (`以上各阶梯水价均含…`): written after its
    # clauses, as the document reads (the site shows them under `一、…（续）`).
    closing: list[str] = attrs.Factory(list)


Resolver = Callable[[str], str | None]


def registry_resolver(registry: Registry) -> Resolver:
    """The registry name of a unit as a document writes it: its name, an alias, or its full
    name (`unit 市发改委 "临江市发展和改革委员会"`: a notice signs with the full name); None
    for a unit the registry lacks. A full name two units share resolves to the first."""
    full_names: dict[str, str] = {}
    for unit in registry.units.values():
        if unit.full_name:
            full_names.setdefault(unit.full_name.strip(), unit.name)

    def resolve(name: str) -> str | None:
        unit = registry.resolve(name)
        return unit.name if unit is not None else full_names.get(name.strip())

    return resolve


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
    # The head (文号, title) ends at the addressees (`各乡镇人民政府:`), which come before the
    # first heading; a regulation in articles (第一章, 第一条) has none and starts at its first.
    first_heading = next(
        (i for i, (_, t) in enumerate(text_lines) if _CHAPTER.match(t) or _ARTICLE.match(t)),
        len(text_lines),
    )
    addressee = next(
        (i for i, (_, t) in enumerate(text_lines[:first_heading]) if t.endswith((":", "："))),
        None,
    )
    if addressee is not None:
        head = text_lines[:addressee]
    else:
        head = text_lines[: min(2, first_heading)] or text_lines[:1]
    # The 文号 is the line that looks like one, wherever the document prints it (a county's
    # notice often puts the title first); else the first line, as the gazette prints it; a
    # lone title line (a regulation printed without its 文号) is the title, the 文号 left to fill.
    number_at = next((i for i, (_, t) in enumerate(head) if _looks_like_number(t)), 0)
    no_number = len(head) == 1 and not _looks_like_number(head[0][1]) and first_heading == 1
    if no_number:
        number_at = -1
    doc_number_line = head[number_at][1]
    doc_number = _DOCUMENT_NUMBER.search(doc_number_line)
    title_lines = []
    for i, (_number, text) in enumerate(head):
        if i == number_at and not no_number:
            asides.append((text, "文号, 写在 header 的 policy 中"))
        elif text.endswith("文件") and len(text) <= _TITLE_LIMIT:  # the red-letter masthead
            asides.append((text, "发文机关标志"))
        else:
            title_lines.append(text)
    title = "".join(t.replace(" ", "").replace("\u3000", "") for t in title_lines)
    rest = text_lines[len(head) :]
    if addressee is not None:
        asides.append((rest[0][1], "主送机关"))
        rest = rest[1:]
    issuer, issued = "", ""
    after_signature: set[str] = set()
    signature: set[int] = set()  # the signer's and the date's lines: asides, not clause text
    for i, (number, line) in enumerate(rest):
        date = _SIGNATURE_DATE.match(line)
        if date and i > 0:
            signature |= {number, rest[i - 1][0]}
            if not issued:
                issued = _signature_iso(date)
                issuer = rest[i - 1][1]
                # The notes printed right under the 落款 ((此件公开发布), 抄送:…) are not the
                # text of the last clause; an attachment that follows (附件, 办法) is.
                for later, text in rest[i + 1 :]:
                    if not _AFTER_SIGNATURE.match(text) or _CLAUSE.match(text):
                        break
                    after_signature.add(text)
                    signature.add(later)
    imprint = _imprint_lines(rest)
    signature |= imprint
    headings = _headings(rest)
    validity = _validity(rest, headings, issued)
    if validity is not None and not validity.under_heading:
        signature.add(validity.line)  # an aside, not the text of the clause it follows
    parts, preamble = _structure(rest, headings, resolve, signature)
    if validity is not None:
        _mark_in_header(parts, validity)
    for line in preamble:
        if validity is not None and line == validity.text:
            what = "施行日期和有效期, 写在 header 的 valid 中"
            if validity.interpreter:
                what = "施行日期、有效期和解释单位, 写在 header 的 valid 与 interpreted_by 中"
        elif line == issuer or _SIGNATURE_DATE.match(line):
            what = "落款"
        elif line in after_signature:
            what = "落款之后的附注（公开方式、抄送等）"
        elif _IMPRINT.match(line):
            what = "版记（印发机关和印发日期）"
        else:
            what = "TODO(drafter): 说明"
        asides.append((line, what))
    unknown = sorted({u for p in _walk(parts) for u in p.unknown})
    issuer_unit = resolve(issuer) if issuer else None
    out = [
        "# "
        + _("Skeleton made by `policyc new` from {source} lines {first}–{last}.").format(
            source=source, first=first, last=last
        ),
        "# TODO(drafter): "
        + _("confirm every field marked TODO, write the rules, then `policyc check`."),
    ]
    if unknown and not registry:
        out.append(
            "# TODO(registry): "
            + _(
                "no unit registry was found, so no unit is resolved; units the text names: {units}"
            ).format(units="、".join(unknown))
        )
    elif unknown:
        out.append(
            "# TODO(registry): "
            + _("units not in the registry: {units}").format(units="、".join(unknown))
        )
    out += [
        "",
        f"policy {_quote(doc_number[0] if doc_number else doc_number_line)} {{"
        + (
            "  # TODO(drafter): "
            + _("文号 — the text prints none; write the one it was issued under")
            if no_number
            else "  # TODO(drafter): 文号"
        ),
        f"    title {_quote(title)}  # TODO(drafter): " + _("confirm the title"),
    ]
    if issuer_unit:
        out.append(
            f"    issuer {issuer_unit}  # TODO(drafter): "
            + _("confirm (落款: {issuer})").format(issuer=issuer)
        )
    elif issuer and not registry:
        # No registry was found to resolve it in: say so, not that the issuer is missing from one.
        out.append(
            "    # TODO(registry): "
            + _(
                "no unit registry was found (--units, units.policy beside the skeleton, "
                "policies/units.policy): declare the issuer {issuer} (落款) with `unit` in one, "
                "name it with `units from`, then write `issuer NAME`"
            ).format(issuer=issuer)
        )
    elif issuer:
        out.append(
            "    # TODO(registry): "
            + _(
                "the issuer {issuer} (落款) is not in the registry: add it, then write "
                "`issuer NAME`"
            ).format(issuer=issuer)
        )
    if issued:
        out.append(f"    issued {issued}  # TODO(drafter): " + _("confirm (落款日期)"))
    if validity is not None:
        out += validity.header(resolve, bool(registry))
    out.append(f"    source {_quote(source)} lines {first} to {last}")
    if registry:
        out.append(f"    units from {_quote(registry)}")
    out += ["}", ""]
    out += [f"aside {_quote(text)} {_quote(why)}" for text, why in asides]
    for part in parts:
        out += ["", *_render(part, 0)]
    from policyc.compiler.fmt import format_text

    return format_text("\n".join(out) + "\n", "<skeleton>")


def _imprint_lines(lines: Sequence[tuple[int, str]]) -> set[int]:
    """The lines of the 版记 (`…办公室2026年12月10日印发`): asides, whichever part they follow."""
    return {number for number, text in lines if _IMPRINT.match(text)}


def _looks_like_number(line: str) -> bool:
    """A 文号 (天政发〔2023〕1号, X政办发[2024]3号): a bracketed year, on a short line."""
    return len(line) <= _TITLE_LIMIT and _NUMBER_YEAR.search(line) is not None


@attrs.frozen
class _Validity:
    """The sentence that says when the document takes effect and for how long."""

    line: int
    text: str
    start: str  # YYYY-MM-DD
    until: str = ""  # the last day, YYYY-MM-DD (有效期至 includes it)
    term: str = ""  # `3 年`, `6 个月`
    provisional: bool = False  # 有效期暂定
    interpreter: str = ""  # 由…负责解释, as written
    interpreter_line: int = 0  # where it is written (its own article in a regulation)
    under_heading: bool = False  # the whole text of a heading of its own (9.5 预案实施时间)

    def header(self, resolve: Resolver, registry: bool = True) -> list[str]:
        """The header's `valid` line and `interpreted_by` (`registry`: whether a registry was
        found to resolve the interpreting unit in)."""
        where = "# TODO(drafter): " + _("confirm (第{line}行)").format(line=self.line)
        if self.until:
            valid = f"valid from {self.start} until {self.until}"
        elif self.term:
            valid = f"valid from {self.start} for {self.term}"
        else:
            valid = f"valid from {self.start}"
        lines = [f"    {valid}{' provisional' if self.provisional else ''}  {where}"]
        unit = resolve(self.interpreter) if self.interpreter else None
        if unit:
            lines.append(
                f"    interpreted_by {unit}  # TODO(drafter): "
                + _("confirm (第{line}行)").format(line=self.interpreter_line)
            )
        elif self.interpreter and not registry:
            lines.append(
                "    # TODO(registry): "
                + _(
                    "no unit registry was found: declare the interpreting unit {unit} "
                    "(第{line}行) with `unit` in one, name it with `units from`, then write "
                    "`interpreted_by NAME`"
                ).format(unit=self.interpreter, line=self.interpreter_line)
            )
        elif self.interpreter:
            lines.append(
                "    # TODO(registry): "
                + _(
                    "the interpreting unit {unit} (第{line}行) is not in the registry: add it, "
                    "then write `interpreted_by NAME`"
                ).format(unit=self.interpreter, line=self.interpreter_line)
            )
        return lines


_START = re.compile(
    r"自\s*(?:(?P<date>\d{4}年\d{1,2}月\d{1,2}日)|(?:发布|印发|公布|发文)之日)\s*起\s*(?:施行|实施|执行)"
)
_UNTIL = re.compile(r"有效期(?:至|到)\s*(?P<date>\d{4}年\d{1,2}月\d{1,2}日)")
_TERM = re.compile(
    rf"有效期(?P<provisional>暂定)?为?\s*(?P<n>\d+|[{_NUMERAL}]+)\s*(?P<measure>年|个月)"
)
_INTERPRETER = re.compile(r"由(?P<unit>[^,，。;；由]+?)负责解释")
_CHINESE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def _validity(
    lines: Sequence[tuple[int, str]], headings: dict[int, tuple[str, str, str]], issued: str
) -> _Validity | None:
    """The validity sentence among the document's lines:
    `自2024年3月1日起施行,有效期至2026年12月31日` → from 2024-03-01 until 2026-12-31;
    `自发布之日起实施,有效期暂定3年` → from the 落款 date for 3 年 provisional. A heading's line
    that says it (`（二）本办法自…起施行`, `第七条 本办法自…`) is the text of its part. None when
    no line says when it takes effect."""
    for at, (number, text) in enumerate(lines):
        start = _START.search(text)
        if start is None:
            continue
        article = number in headings  # the sentence is the text of the part it heads
        begins = _iso(start["date"]) if start["date"] else issued
        if not begins:
            continue  # 自发布之日起 with no 落款 date: nothing to write
        until = _UNTIL.search(text)
        term = _TERM.search(text)
        # A regulation says who interprets it in an article of its own (第五条 本办法由…负责解释).
        said = [(number, found)] if (found := _INTERPRETER.search(text)) else []
        said += [(n, found) for n, t in lines if (found := _INTERPRETER.search(t))]
        interpreter = said[0][1] if said else None
        return _Validity(
            number,
            text,
            begins,
            until=_iso(until["date"]) if until else "",
            term=f"{_count(term['n'])} {term['measure']}" if term and not until else "",
            provisional=bool(term and term["provisional"]),
            interpreter=interpreter["unit"].strip() if interpreter else "",
            interpreter_line=said[0][0] if said else number,
            under_heading=article or (at > 0 and _bare_heading(headings.get(lines[at - 1][0]))),
        )
    return None


def _bare_heading(heading: tuple[str, str, str] | None) -> bool:
    """A heading with its title only (`9.5 预案实施时间`): the next line is its text."""
    return heading is not None and not _title(heading[0], heading[2])[1]


def _signature_iso(date: re.Match[str]) -> str:
    """2026-03-01 from `2026年3月1日` or `二〇二六年三月一日`."""
    year = "".join(str(_CHINESE_DIGITS.get(c, c)) for c in date[1])
    return f"{year}-{_count(date[2]):02d}-{_count(date[3]):02d}"


def _iso(written: str) -> str:
    year, month, day = re.findall(r"\d+", written)
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _count(written: str) -> int:
    """3, 三, 十二 → the number."""
    if written.isdigit():
        return int(written)
    tens, _, units = written.partition("十")
    if "十" not in written:
        return _CHINESE_DIGITS.get(written, 0)
    return (_CHINESE_DIGITS.get(tens, 0) if tens else 1) * 10 + _CHINESE_DIGITS.get(units, 0)


def _headings(lines: Sequence[tuple[int, str]]) -> dict[int, tuple[str, str, str]]:
    """line → (kind, number, rest) for every heading kept (a repeated one only where last)."""
    dotted = any(_DOTTED.match(t) for _, t in lines)
    found: dict[int, tuple[str, str, str]] = {}
    if any(_ARTICLE.match(t) for _, t in lines):
        for number, text in lines:
            match = _CHAPTER.match(text) or _ARTICLE.match(text)
            if match:
                kind = "section" if match.re is _CHAPTER else "clause"
                found[number] = (kind, match["n"], match["rest"].strip())
        return found
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
            title, text = _title(kind, rest)
            # A section of one sentence is untitled after the loop (when no clause follows it).
            if kind == "clause" and not text and _ends_sentence(rest) and re.search("[，,]", rest):
                # （二）对乙类人员给予补贴，每人每月200元。: text (`（一）配套发展资金。` a title)
                title, text = "", rest
            elif text and _covers_no_heading(rest[: len(rest) - len(text)]):
                text = rest  # `15.加快…建设,提高…能力。(牵头单位…)`: its title is quoted too
            part = _Part(kind, n, title, number, heading=rest)
            if kind == "section":
                parts.append(part)
                section = current = part
            else:
                (section.children if section is not None else parts).append(part)
                current = part
            if _ARTICLE.match(line):
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
        _units(text, current, resolve)
    close()
    for part in _walk(parts):
        if part.kind in ("section", "clause") and part.title and _one_sentence(part):
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


def _one_sentence(part: _Part) -> bool:
    """The part says its heading's sentence and nothing else: the heading ends a sentence
    (`_ends_sentence`), no part is under it, and it quotes no more than its own line
    (`_only_title`: an article quotes its line, `第二条 …。`)."""
    return _ends_sentence(part.heading) and not part.children and _only_title(part)


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


def _sentences(text: str) -> list[str]:
    """The sentences of `text` a part quotes, stripped: those with a letter or a digit."""
    return [p for p in (x.strip() for x in _PIECES.findall(text)) if _worded(p)]


def _units(text: str, part: _Part, resolve: Resolver) -> None:
    """The assignment a line states (`（牵头单位：A；责任单位：B、C，D；配合单位：E；完成时限：
    2027年6月底前）`, the labels in any order): its units as the part's `lead`, `responsible` and
    `cooperates` (resolved; an unknown one listed in `part.unknown`), its 完成时限 as written in
    `part.deadline` (the first one the part states)."""
    for match in _ASSIGNMENT.finditer(text):
        role = _ROLE_LABELS[match["label"]]
        value = match["value"].strip()
        if role == "deadline":
            part.deadline = part.deadline or value
            continue
        target = {"lead": part.leads, "responsible": part.responsible}.get(role, part.cooperates)
        for written in re.split(r"[、,，;；]", value):
            name = written.strip()
            if not name:
                continue
            unit = resolve(name)
            if unit is None:
                part.unknown.append(name)
            elif unit not in target:
                target.append(unit)


_MONTH_END = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?:底|末)?(?:前|之前)?$")
_DAY = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:前|之前)?$")
_YEAR_END = re.compile(r"^(?P<y>\d{4})年(?:底|末)(?:前|之前)?$")
_HALF = re.compile(r"^(?P<y>\d{4})年(?P<h>上|下)半年(?:底|末)?(?:前|之前)?$")
_QUARTER = re.compile(r"^(?P<y>\d{4})年第?(?P<q>[一二三四1-4])季度(?:末|底)?(?:前|之前)?$")


def _deadline_day(written: str) -> str:
    """The last day (YYYY-MM-DD) a 完成时限 allows, `by` inclusive: 2027年6月底前 and 2027年6月
    → 2027-06-30, 2027年6月15日前 → 2027-06-15, 2027年底前 → 2027-12-31, 2027年上半年 →
    2027-06-30, 2027年第三季度 → 2027-09-30; "" for one that names no day (每季度, 长期坚持,
    持续推进) or one this does not read (2027年6月前: before June or by its end?)."""
    text = re.sub(r"\s", "", written)
    if (found := _DAY.match(text)) is not None:
        year, month, day = int(found["y"]), int(found["m"]), int(found["d"])
    elif (found := _MONTH_END.match(text)) is not None:
        year, month, day = int(found["y"]), int(found["m"]), 0
        if not re.search(r"月(?:底|末)", text) and text.endswith("前"):
            return ""  # 6月前: the month itself may be excluded
    elif (found := _YEAR_END.match(text)) is not None:
        year, month, day = int(found["y"]), 12, 31
    elif (found := _HALF.match(text)) is not None:
        year, month, day = int(found["y"]), 6 if found["h"] == "上" else 12, 0
    elif (found := _QUARTER.match(text)) is not None:
        quarter = "一二三四".find(found["q"]) + 1 or int(found["q"])
        year, month, day = int(found["y"]), 3 * quarter, 0
    else:
        return ""
    if not 1 <= month <= 12:
        return ""
    last = calendar.monthrange(year, month)[1]
    if day > last or (found.re is _DAY and day == 0):
        return ""
    return f"{year:04d}-{month:02d}-{day or last:02d}"


_EVERY_QUARTER = re.compile(r"^每(?:个)?季度(?:末|底)?(?:前|之前)?$")
_EVERY_MONTH_DAY = re.compile(r"^每月(?P<d>\d{1,2})日(?:前|之前)?$")
_EVERY_MONTH_END = re.compile(r"^每(?:个)?月(?:底|末)(?:前|之前)?$")
_STANDING = re.compile(r"^长期(?:坚持)?$")


def _recurring_by(written: str) -> str:
    """What a recurring or standing 完成时限 becomes after `by`: 每季度 → `每季度`, 每月25日前 →
    `每月 25 日`, 每月底前 → `每月底`, 长期坚持 → `长期`; "" for any other (a day past the 28th
    of each month is not in every month: not guessed)."""
    text = re.sub(r"\s", "", written)
    if _EVERY_QUARTER.match(text):
        return "每季度"
    if _EVERY_MONTH_END.match(text):
        return "每月底"
    if _STANDING.match(text):
        return "长期"
    if (found := _EVERY_MONTH_DAY.match(text)) is not None and 1 <= int(found["d"]) <= 28:
        return f"每月 {int(found['d'])} 日"
    return ""


def _deadline_note(part: _Part) -> str:
    """The TODO comment a part's 完成时限 becomes: the `by` its targets take, or why none."""
    recurring = _recurring_by(part.deadline)
    if recurring:
        return _(
            "完成时限 {written}: write each target of {kind} {number} with `by {by}` "
            "(a deadline that recurs or stands; confirm)"
        ).format(written=part.deadline, kind=part.kind, number=part.number, by=recurring)
    day = _deadline_day(part.deadline)
    if day:
        return _(
            "完成时限 {written}: write each target of {kind} {number} with `by {day}` "
            "(the last day it allows; confirm)"
        ).format(written=part.deadline, kind=part.kind, number=part.number, day=day)
    return _("完成时限 {written} names no day a target's `by` can hold: say it in a `note`").format(
        written=part.deadline
    )


_MONTHLY_IN_SENTENCE = re.compile(r"每月(?P<d>\d{1,2})日(?:前|之前)")
_POSTPONED_IN_SENTENCE = re.compile(r"遇(?:法定)?节假日(?:则)?顺延")


def _sentence_deadlines(quotes: Sequence[str]) -> list[str]:
    """A duty's monthly deadline written in a sentence rather than a 完成时限 (`各牵头单位于每月
    25日前将任务进展情况报送…，遇节假日顺延。`): the `by` a target counting it takes, with
    `遇节假日顺延` when the sentence extends it over holidays."""
    notes = []
    for quote in quotes:
        found = _MONTHLY_IN_SENTENCE.search(quote)
        if found is None:
            continue
        written = found.group(0)
        by = _recurring_by(written)
        if not by:
            notes.append(
                _("{written}: not every month has that day; say it in a `note`").format(
                    written=written
                )
            )
            continue
        if _POSTPONED_IN_SENTENCE.search(quote):
            by += " 遇节假日顺延"
        notes.append(
            _("{written}: a target counting it takes `by {by}`").format(written=written, by=by)
        )
    return notes


def _walk(parts: Sequence[_Part]) -> list[_Part]:
    return [p for part in parts for p in (part, *_walk(part.children))]


def _mark_in_header(parts: Sequence[_Part], validity: _Validity) -> None:
    """Mark the parts whose text the header already holds (`第十条 本办法自…起施行` → `valid`,
    `第九条 本办法由…负责解释` → `interpreted_by`): they state no rule of their own."""
    for part in _walk(parts):
        fields = []
        if part.line == validity.line:
            fields.append("valid")
        if validity.interpreter and part.line == validity.interpreter_line:
            fields.append("interpreted_by")
        part.in_header = " / ".join(dict.fromkeys(fields))


def _render(part: _Part, depth: int) -> list[str]:
    pad = "    " * depth
    title = f" {_quote(part.title)}" if part.title or part.kind != "task" else ""
    lines = [f"{pad}{part.kind} {part.number}{title} {{"]
    if not part.title and part.kind != "task":
        untitled = _("the document gives {kind} {number} no title")
        lines[0] += "  # TODO(drafter): " + untitled.format(kind=part.kind, number=part.number)
    elif part.title and _only_title(part) and not part.children and part.kind != "task":
        # A one-sentence part whose sentence became its title (`第九条 本办法由…负责解释。`):
        # as much a guess as an empty title, so marked as one.
        own = _("the title of {kind} {number} is its own sentence: shorten it or confirm")
        lines[0] += "  # TODO(drafter): " + own.format(kind=part.kind, number=part.number)
    inner = pad + "    "
    quotes = part.quotes or ([] if part.kind == "section" else [part.heading])
    if not quotes and _one_sentence(part):
        # A section whose one sentence became its title (`三、城乡低保家庭每户每月免收水量
        # 5立方米。`): the sentence is its text too, quoted, as a clause's is.
        quotes = [part.heading]
    lines += [f"{inner}quote {_quote(q)}" for q in quotes]
    if part.leads:
        lines.append(f"{inner}lead {', '.join(part.leads)}")
    if part.responsible:
        lines.append(f"{inner}responsible {', '.join(part.responsible)}")
    if part.cooperates:
        lines.append(f"{inner}cooperates {', '.join(part.cooperates)}")
    if part.deadline:
        lines.append(f"{inner}# TODO(drafter): " + _deadline_note(part))
    lines += [f"{inner}# TODO(drafter): " + note for note in _sentence_deadlines(quotes)]
    if part.unknown:
        lines.append(
            f"{inner}# TODO(registry): "
            + _("not in the registry: {units}").format(units="、".join(part.unknown))
        )
    if part.in_header:
        lines.append(
            f"{inner}# "
            + _("written in the header's {fields}: no rule of its own").format(
                fields=part.in_header
            )
        )
    elif part.kind != "section" or not part.children:
        lines.append(
            f"{inner}# TODO(drafter): "
            + _("the rules of {kind} {number}").format(kind=part.kind, number=part.number)
        )
    for child in part.children:
        lines += ["", *_render(child, depth + 1)]
    if part.closing:
        last = part.children[-1].number if part.children else ""
        lines += [
            "",
            f"{inner}# TODO(drafter): "
            + _(
                "the sentences after clause {number} are taken as the section's closing text: "
                "move them into clause {number} if they are its own"
            ).format(number=last),
            *(f"{inner}quote {_quote(q)}" for q in part.closing),
        ]
    lines.append(f"{pad}}}")
    return lines


def _only_title(part: _Part) -> bool:
    """The part says nothing but its title: no quote, or an article's one quote its own line."""
    return not part.quotes or part.quotes == _sentences(part.own_line)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def relative(path: Path, to: Path) -> str:
    """`path` as a policy file in folder `to` names it."""
    return Path(os.path.relpath(path.resolve(), to.resolve())).as_posix()
