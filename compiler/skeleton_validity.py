"""`policyc new`: the sentence that says when the document takes effect and for how long
(`自2024年3月1日起施行,有效期至2026年12月31日`, `自发布之日起实施,有效期暂定3年`) and who interprets
it (`由…负责解释`), written as the header's `valid` and `interpreted_by`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from policyc.compiler.i18n import _
from policyc.compiler.skeleton_dates import count_written, iso_day
from policyc.compiler.skeleton_parts import NUMERAL, title_of
from policyc.compiler.skeleton_units import Resolver


@attrs.frozen
class Validity:
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
    rf"有效期(?P<provisional>暂定)?为?\s*(?P<n>\d+|[{NUMERAL}]+)\s*(?P<measure>年|个月)"
)
_INTERPRETER = re.compile(r"由(?P<unit>[^,，。;；由]+?)负责解释")


def find_validity(
    lines: Sequence[tuple[int, str]], headings: dict[int, tuple[str, str, str]], issued: str
) -> Validity | None:
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
        begins = iso_day(start["date"]) if start["date"] else issued
        if not begins:
            continue  # 自发布之日起 with no 落款 date: nothing to write
        until = _UNTIL.search(text)
        term = _TERM.search(text)
        # A regulation says who interprets it in an article of its own (第五条 本办法由…负责解释).
        said = [(number, found)] if (found := _INTERPRETER.search(text)) else []
        said += [(n, found) for n, t in lines if (found := _INTERPRETER.search(t))]
        interpreter = said[0][1] if said else None
        return Validity(
            number,
            text,
            begins,
            until=iso_day(until["date"]) if until else "",
            term=f"{count_written(term['n'])} {term['measure']}" if term and not until else "",
            provisional=bool(term and term["provisional"]),
            interpreter=interpreter["unit"].strip() if interpreter else "",
            interpreter_line=said[0][0] if said else number,
            under_heading=article or (at > 0 and _bare_heading(headings.get(lines[at - 1][0]))),
        )
    return None


def _bare_heading(heading: tuple[str, str, str] | None) -> bool:
    """A heading with its title only (`9.5 预案实施时间`): the next line is its text."""
    return heading is not None and not title_of(heading[0], heading[2])[1]
