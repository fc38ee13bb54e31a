"""`policyc new`: a part written as policy text — its heading, quotes, units and the TODO
comments the drafter fills in — and the marks of the parts the header already holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policyc.compiler.i18n import _
from policyc.compiler.skeleton_deadlines import (
    application_notes,
    deadline_note,
    sentence_deadlines,
)
from policyc.compiler.skeleton_parts import Part, one_sentence, only_title, walk_parts
from policyc.compiler.skeleton_validity import Validity


def mark_in_header(parts: Sequence[Part], validity: Validity) -> None:
    """Mark the parts whose text the header already holds (`第十条 本办法自…起施行` → `valid`,
    `第九条 本办法由…负责解释` → `interpreted_by`): they state no rule of their own."""
    for part in walk_parts(parts):
        fields = []
        if part.line == validity.line:
            fields.append("valid")
        if validity.interpreter and part.line == validity.interpreter_line:
            fields.append("interpreted_by")
        part.in_header = " / ".join(dict.fromkeys(fields))


def render_part(part: Part, depth: int) -> list[str]:
    pad = "    " * depth
    title = f" {policy_string(part.title)}" if part.title or part.kind != "task" else ""
    lines = [f"{pad}{part.kind} {part.number}{title} {{"]
    if not part.title and part.kind != "task" and not part.own_line:
        # A regulation's articles (第三条 …) have no titles: the site heads one `第三条` from
        # its first quote, so an empty title is no gap for the drafter to fill.
        untitled = _("the document gives {kind} {number} no title")
        lines[0] += "  # TODO(drafter): " + untitled.format(kind=part.kind, number=part.number)
    elif part.title and only_title(part) and not part.children and part.kind != "task":
        # A one-sentence part whose sentence became its title (`第九条 本办法由…负责解释。`):
        # as much a guess as an empty title, so marked as one.
        own = _("the title of {kind} {number} is its own sentence: shorten it or confirm")
        lines[0] += "  # TODO(drafter): " + own.format(kind=part.kind, number=part.number)
    inner = pad + "    "
    quotes = part.quotes or ([] if part.kind == "section" else [part.heading])
    if not quotes and one_sentence(part):
        # A section whose one sentence became its title (`三、城乡低保家庭每户每月免收水量
        # 5立方米。`): the sentence is its text too, quoted, as a clause's is.
        quotes = [part.heading]
    lines += [f"{inner}quote {policy_string(q)}" for q in quotes]
    if part.leads:
        lines.append(f"{inner}lead {', '.join(part.leads)}")
    if part.responsible:
        lines.append(f"{inner}responsible {', '.join(part.responsible)}")
    if part.cooperates:
        lines.append(f"{inner}cooperates {', '.join(part.cooperates)}")
    if part.deadline:
        lines.append(f"{inner}# TODO(drafter): " + deadline_note(part))
    lines += [f"{inner}# TODO(drafter): " + note for note in sentence_deadlines(quotes)]
    lines += [f"{inner}# TODO(drafter): " + note for note in application_notes(quotes)]
    lines += [f"{inner}# TODO(drafter): " + note for note in outside_standards(quotes)]
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
        lines += ["", *render_part(child, depth + 1)]
    if part.closing:
        last = part.children[-1].number if part.children else ""
        lines += [
            "",
            f"{inner}# TODO(drafter): "
            + _(
                "the sentences after clause {number} are taken as the section's closing text: "
                "move them into clause {number} if they are its own"
            ).format(number=last),
            *(f"{inner}quote {policy_string(q)}" for q in part.closing),
        ]
    lines.append(f"{pad}}}")
    return lines


# 按《XX办法》（鄂政发〔2016〕5号）规定的标准执行 / 依照《…》有关规定执行: a standard set by
# another document, its name and, when printed right after it, its 文号.
_OUTSIDE_STANDARD = re.compile(
    r"(?:按照|按|依照|依据|参照)《(?P<title>[^《》]+)》"
    r"(?:[(（](?P<number>[^()（）]*?〔\d{4}〕\d+号)[)）])?"
    r"[^。；，]{0,8}?(?:规定|标准|执行)"
)


def outside_standards(quotes: Sequence[str]) -> list[str]:
    """A TODO for each document the sentences defer a standard to (按《XX办法》规定的标准执行):
    cite it with `refers outside`, its amount `unspecified`, unless the project restates it."""
    notes: list[str] = []
    for quote in quotes:
        for found in _OUTSIDE_STANDARD.finditer(quote):
            number = f' "{found["number"]}"' if found["number"] else ""
            notes.append(
                _(
                    "the standard is set by 《{title}》: unless the project restates it, write "
                    '`amount unspecified "…"` and `refers outside "{title}"{number}`, not a '
                    "figure taken from it"
                ).format(title=found["title"], number=number)
            )
    return list(dict.fromkeys(notes))


def policy_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
