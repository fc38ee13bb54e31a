"""How a part of a document is named to people: the one place a section's, clause's or task's
label is made, in the document's own style.

A label is read from the part's number and, where the document numbers so, from its quotes:

- a clause is `（二）` by default, `第三条` when its first quote starts `第三条`,
  and `二（一）` where it is shown apart from its section and the document numbers its
  clauses again in each section (`alone=True`; compiler/numbering.py);
- a section is `二、` (`2.` for an Arabic number) by default, `第二章` when it quotes its own
  heading so (节, 编, 部分 alike), or when its first clause is a `第N条`: a regulation numbered
  by 条 groups its articles in 章;
- a task is `任务 29`;
- a number that is not a numeral (`section 预期目标`, a label policyc's author gave a part the
  document left unnumbered) stands as written.

`policyc duties` (text and JSON), `policyc run`'s headings, the site's headings and the web form
all use these functions, so a part is called the same everywhere. Nothing here reads more than
the part's node: no registry, no received text.
"""

from __future__ import annotations

import re

from policyc.compiler import nodes as n

_NUMERAL = re.compile(r"[0-9一二三四五六七八九十百千〇零两]+")
# The words a regulation numbers its parts with: 第二章, 第一节, 第三编, 第二部分.
SECTION_WORDS = ("章", "节", "编", "部分")


def own_label(part: n.Section | n.Clause) -> str:
    """The label the document itself gives the part, read from the quotes, or "":

    - a clause whose first quote starts `第三条` is `第三条`;
    - a section quoting its own heading (`quote "第二章 救助对象和标准"`) is `第二章` (节, 编,
      部分 alike);
    - a section quoting none whose first clause is a `第N条` is `第二章`: a regulation numbered
      by 条 groups its articles in 章."""
    if isinstance(part, n.Clause):
        first = part.quotes[0].text.lstrip() if part.quotes else ""
        label = f"第{part.number}条"
        return label if part.kind == "clause" and _starts_label(first, label) else ""
    for quote in part.quotes:
        for word in SECTION_WORDS:
            label = f"第{part.number}{word}"
            if _starts_label(quote.text.lstrip(), label):
                return label
    clauses = [c for c in part.clauses if c.kind == "clause"]
    if clauses and own_label(clauses[0]):
        return f"第{part.number}章"
    return ""


def _starts_label(text: str, label: str) -> bool:
    """`第一条 为保障…` starts `第一条`; `第一条之一` or `第十一条` does not start `第一条`."""
    if not text.startswith(label):
        return False
    rest = text[len(label) :]
    return not rest or not (rest[0] in "之零一二三四五六七八九十百千" or rest[0].isdigit())


def part_place(part: n.Section | n.Clause, alone: bool = False) -> str:
    """The part's label without its title: `第三条`, `（二）`, `第二章`, `二、`, `2.`, `任务 29`.

    `alone`: the part is shown apart from its section (a duty, a run's heading, the index of
    amounts), so a clause of a document numbering again in each section keeps its section's
    number in front, `二（一）`; a clause numbered through, or a `第N条`, is the same either way."""
    own = own_label(part)
    if not _NUMERAL.fullmatch(part.number):
        return part.number
    if isinstance(part, n.Section):
        return own or (f"{part.number}." if part.number.isdigit() else f"{part.number}、")
    if part.kind == "task":
        return f"任务 {part.number}"
    if own:
        return own
    section = part.key.split(".", 1)[0] if alone and part.key else ""
    return f"{section}（{part.number}）"


def part_heading(part: n.Section | n.Clause, alone: bool = False) -> str:
    """The label and the title as a heading reads: `（一）目的`, `一、总则`, `2. 目标`,
    `第三条 医疗救助`, `第二章 救助对象和标准`, `任务 3：…`; the label alone for a part
    without a title (`一`, not `一、`, for a section)."""
    place = part_place(part, alone)
    if not part.title:
        return place.rstrip("、.") if isinstance(part, n.Section) else place
    if place.endswith("、") or place.endswith("）"):
        return place + part.title
    if isinstance(part, n.Clause) and part.kind == "task":
        return f"{place}：{part.title}"
    return f"{place} {part.title}"
