"""`policyc new`: the head of a document — its 文号, title and the lines set aside before its text.

Two layouts:

- a notice: the head ends at the addressees (`各乡镇人民政府：`); the 文号 is the line that looks
  like one (`天政发〔2023〕1号`), a masthead `…文件` an aside, the other lines the title;
- a regulation printed as the gazette prints one: its name, its 题注
  (`（2003年4月27日中华人民共和国国务院令第375号公布　根据…修订）`), the 令号 it was issued under
  (`国务院令第586号`) with its date, then `第一章` / `第一条`. The 令号 is the 文号 (printed
  alone, else the 题注's, marked for the drafter to confirm), its issuer the body before `令`
  (`国务院`), else the one the 题注 says adopted it (`国务院第136次常务会议通过`); the name is the
  title, the 题注, 令号 and date asides.

In both, a head line that is a sentence (`【说明】本文件为虚构的测试文件……。`) is a note, not the
title: an aside for the drafter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from policyc.compiler.skeleton_dates import DATE_DIGITS, SIGNATURE_DATE, signature_iso
from policyc.compiler.skeleton_parts import NUMERAL, TITLE_LIMIT

DOCUMENT_NUMBER = re.compile(r"\S+〔\d{4}〕\d+号")
_NUMBER_YEAR = re.compile(r"[〔\[［【(（]\s*(?:19|20)\d{2}")
# A sentence mark anywhere: a title has none (`关于印发…办法的通知`), a note before it does.
_SENTENCE_MARK = re.compile(r"[。；;！？!?]")
# A 令号 printed alone (`国务院令第586号`, `中华人民共和国国务院令　第586号`, `某市人民政府令第5号`)
# and one inside a 题注 (`…中华人民共和国国务院令第375号公布`).
_DECREE_LINE = re.compile(rf"^(?P<issuer>[^\s\d{NUMERAL}()（）]+?)令\s*第\s*[\d{NUMERAL}]+\s*号$")
_DECREE_IN_NOTE = re.compile(
    rf"(?:^|[日\s(（])(?P<number>(?P<issuer>[^\s\d{NUMERAL}()（）《》，,、]+?)"
    rf"令\s*第\s*[\d{NUMERAL}]+\s*号)"
)
# The body that adopted it, in a 题注: `2003年4月16日国务院第5次常务会议通过`, `…第十三届全国人民
# 代表大会常务委员会第七次会议通过` (the 届 is no part of the body's name).
_MEETING = re.compile(
    rf"日\s*(?:第[\d{NUMERAL}]+届)?(?P<issuer>[^\s\d()（）《》，,、]+?)第[\d{NUMERAL}]+次"
    r"(?:全体|常务|主任)?会议"
)
# A 题注: the whole line in brackets, with a date and what happened on it.
_NOTE = re.compile(
    rf"^[(（].*[{DATE_DIGITS}]{{4}}\s*年.*(?:公布|通过|发布|修订|修正|施行|批准).*[)）]$"
)
_COUNTRY = "中华人民共和国"


@attrs.define
class Head:
    """What the head gives the header; `length` is how many of the text lines it takes."""

    length: int
    number: str  # the 文号 as the policy writes it (or the title line, the 文号 left to fill)
    # How the 文号 was found: "printed" (a line of the head), "note" (the 题注's 令号, to
    # confirm), "none" (the text prints none: the title line stands in, to replace).
    number_found: str
    title: str
    asides: list[tuple[str, str]]
    addressee: bool = False  # the line after the head is the addressees
    issuer: str = ""  # as printed (`国务院`), "" when the signature at the end gives it
    issuer_from: str = ""  # where the issuer was read (`令号 国务院令第586号`), for the drafter
    issued: str = ""  # ISO date, "" when the signature at the end gives it
    other_numbers: list[str] = attrs.Factory(list)  # the 题注's other 令号s, beside "printed"


def read_head(text_lines: Sequence[tuple[int, str]], first_heading: int) -> Head:
    """The head of the document whose non-blank lines are `text_lines`, its first `第一章` or
    `第一条` at index `first_heading` (len(text_lines) when it has none)."""
    addressee = next(
        (i for i, (_, t) in enumerate(text_lines[:first_heading]) if t.endswith((":", "："))),
        None,
    )
    if addressee is None and first_heading < len(text_lines):
        decree = _read_decree_head([t for _, t in text_lines[:first_heading]])
        if decree is not None:
            return decree
    if addressee is not None:
        lines = [t for _, t in text_lines[:addressee]]
    else:
        lines = [t for _, t in text_lines[: min(2, first_heading)] or text_lines[:1]]
    # The 文号 is the line that looks like one, wherever the document prints it (a county's
    # notice often puts the title first); else the first line, as the gazette prints it; a
    # lone title line (a regulation printed without its 文号) is the title, the 文号 left to fill.
    number_at = next((i for i, t in enumerate(lines) if looks_like_number(t)), 0)
    no_number = len(lines) == 1 and not looks_like_number(lines[0]) and first_heading == 1
    if no_number:
        number_at = -1
    asides: list[tuple[str, str]] = []
    title_lines: list[str] = []
    notes: list[str] = []
    for i, text in enumerate(lines):
        if i == number_at:
            asides.append((text, "文号, 写在 header 的 policy 中"))
        elif text.endswith("文件") and len(text) <= TITLE_LIMIT:  # the red-letter masthead
            asides.append((text, "发文机关标志"))
        elif is_sentence(text):
            notes.append(text)
            asides.append((text, "TODO(drafter): 说明（标题前的一句话, 不是标题）"))
        else:
            title_lines.append(text)
    if not title_lines:  # nothing but sentences: the title is the drafter's to shorten
        title_lines = notes
        asides = [a for a in asides if a[0] not in notes]
    number_line = lines[number_at] if not no_number else lines[0]
    number = DOCUMENT_NUMBER.search(number_line)
    return Head(
        length=len(lines),
        number=number[0] if number else number_line,
        number_found="none" if no_number else "printed",
        title=title_text(title_lines),
        asides=asides,
        addressee=addressee is not None,
    )


def _read_decree_head(lines: Sequence[str]) -> Head | None:
    """The head of a regulation with a 题注 or a 令号 before its first article; None if it has
    neither (then it is read as a notice's head)."""
    printed = len(lines)
    lines = _notes_joined(lines)
    kinds: list[str] = []
    for text in lines:
        if _NOTE.match(text):
            kinds.append("note")
        elif _DECREE_LINE.match(text):
            kinds.append("decree")
        elif SIGNATURE_DATE.match(text):
            kinds.append("date")
        elif is_sentence(text):
            kinds.append("sentence")
        else:
            kinds.append("")
    if "note" not in kinds and "decree" not in kinds:
        return None
    # The name is the last run of other lines (before the 题注, if there is one): a 令 printed
    # first (令号, its sentence, `总理　温家宝`, the date) comes before the name.
    end = kinds.index("note") if "note" in kinds else len(kinds)
    title_at = [i for i in range(end) if kinds[i] == ""]
    run: list[int] = []
    for i in reversed(title_at):
        if run and i != run[-1] - 1:
            break
        run.append(i)
    title_run = sorted(run)
    notes = [m for i, k in enumerate(kinds) if k == "note" for m in _notes_of(lines[i])]
    decrees = [lines[i] for i, k in enumerate(kinds) if k == "decree"]
    dates = [lines[i] for i, k in enumerate(kinds) if k == "date"]
    asides: list[tuple[str, str]] = []
    for i, (text, kind) in enumerate(zip(lines, kinds, strict=True)):
        if i in title_run:
            continue
        if kind == "note":
            why = "题注（公布、修改的日期和令号）"
        elif kind == "decree":
            first = text == decrees[0]
            why = "令号, 写在 header 的 policy 中" if first else "令号"
        elif kind == "date":
            why = "公布日期, 写在 header 的 issued 中" if text == dates[0] else "日期"
        elif i + 1 < len(kinds) and kinds[i + 1] == "date":
            why = "签署人"  # `总理　温家宝` above the date
        else:
            why = "TODO(drafter): 说明（标题前的一句话, 不是标题）"
        asides.append((text, why))
    note_numbers = [m["number"] for m in notes]
    others: list[str] = []
    if decrees:
        number, found = re.sub(r"\s", "", decrees[0]), "printed"
        others = [n for n in dict.fromkeys(note_numbers) if n != number]
        decree = _DECREE_LINE.match(decrees[0])
        assert decree is not None
        issuer, issuer_from = decree["issuer"], "令号 " + number
    elif note_numbers:
        number, found = note_numbers[-1], "note"
        issuer, issuer_from = notes[-1]["issuer"], "题注"
    else:
        number, found = "", "none"
        issuer, issuer_from = "", ""
    meetings = [m for i, k in enumerate(kinds) if k == "note" for m in _MEETING.finditer(lines[i])]
    if not issuer and meetings:
        issuer, issuer_from = meetings[0]["issuer"], "题注"
    title = title_text([lines[i] for i in title_run])
    date = SIGNATURE_DATE.match(dates[0]) if dates else None
    return Head(
        length=printed,
        number=number or title,
        number_found=found,
        title=title,
        asides=asides,
        issuer=_without_country(issuer),
        issuer_from=issuer_from,
        issued=signature_iso(date) if date else "",
        other_numbers=others,
    )


_NOTE_LINES = 4  # the most lines one 题注 is printed on (a long revision history wraps)


def _notes_joined(lines: Sequence[str]) -> list[str]:
    """The lines with a 题注 the page broke over several lines joined into one: a line that
    opens a bracket it does not close, and the lines up to the one closing it (at most
    `_NOTE_LINES` in all). A bracket never closed within them leaves the lines as printed."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        text = lines[i]
        if text.startswith(("(", "（")) and _depth(text) > 0:
            for end in range(i + 1, min(i + _NOTE_LINES, len(lines))):
                joined = "".join(line.strip() for line in lines[i : end + 1])
                if _depth(joined) <= 0:
                    out.append(joined)
                    i = end + 1
                    break
            else:
                out.append(text)
                i += 1
            continue
        out.append(text)
        i += 1
    return out


def _depth(text: str) -> int:
    """How many brackets `text` leaves open."""
    return sum(text.count(c) for c in "(（") - sum(text.count(c) for c in ")）")


def _notes_of(note: str) -> list[re.Match[str]]:
    return list(_DECREE_IN_NOTE.finditer(note))


def _without_country(issuer: str) -> str:
    """`中华人民共和国国务院` → `国务院`, as registries name it; `中华人民共和国主席` stays."""
    rest = issuer.removeprefix(_COUNTRY)
    return rest if len(rest) >= 3 else issuer


# Latin letters and figures: a space between two of them parts words (`Wi-Fi 6`); a space
# between Chinese characters, or between one and a Latin word, is the page's layout.
_WORD_CHAR = re.compile(r"[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_LAYOUT_SPACE = re.compile(r"[ \t\u3000\u00a0]+")


def title_text(lines: Sequence[str]) -> str:
    """The title the lines print, as the text gives it minus its layout: the lines joined where
    the page broke them (`关于印发《…》的` / `通知`), a run of spaces between Chinese characters
    dropped (`通　知`, `的 通知`: the page spreads the title), one kept between two Latin words or
    figures (`Wi-Fi 6`, a line broken between two words joins with one)."""

    def spaced(before: str, after: str) -> str:
        return " " if _WORD_CHAR.match(before[-1:]) and _WORD_CHAR.match(after[:1]) else ""

    def within(line: str) -> str:
        parts = _LAYOUT_SPACE.split(line.strip())
        out = parts[0]
        for part in parts[1:]:
            out += spaced(out, part) + part
        return out

    title = ""
    for line in (within(text) for text in lines):
        title += spaced(title, line) + line if title else line
    return title


def is_sentence(line: str) -> bool:
    """A line with a sentence mark (`。；！？`): a note or text, never a title."""
    return _SENTENCE_MARK.search(line) is not None


def looks_like_number(line: str) -> bool:
    """A 文号 (天政发〔2023〕1号, X政办发[2024]3号): a bracketed year, on a short line."""
    return len(line) <= TITLE_LIMIT and _NUMBER_YEAR.search(line) is not None
