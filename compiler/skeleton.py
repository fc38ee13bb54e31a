"""`policyc new`: a skeleton policy from the received text, for the drafter to fill in.

`skeleton(lines, ...)` reads the document's lines as the gazette prints them and writes:

- the header: the 文号 (the line before the addressees that looks like one, else the first
  line), the title (the other lines before the addressees; a masthead `…文件` and a sentence
  are asides; a regulation's name, before its 题注 and 令号, which give its 文号 and issuer), the
  issuer and the date (the signature lines at the end of the notice, the date in figures or in
  Chinese numerals; the notes under it, `(此件公开发布)`, are asides), and the validity sentence
  (`自2024年3月1日起施行,有效期至2026年12月31日` → `valid from 2024-03-01 until 2026-12-31`,
  `自发布之日起实施,有效期暂定3年` → `valid from <落款日期> for 3 年 provisional`, `由…负责解释`
  → `interpreted_by`; a unit not in the registry is a `TODO(registry)`), each marked
  `TODO(drafter)`, which `check` lists as warnings; an untitled section (`三、`) is marked too
  (an article, `第三条 …`, has no title to mark);
- the document's own numbering as structure: a regulation's `第一章` chapters as sections and
  `第一条` articles as clauses (numbered through the document; an article's `（一）` items are its
  text; its 文号, if the text prints none, is left to fill); else `一、` sections, `(一)` clauses,
  `1.` tasks, and in a
  plan numbered `1总则` / `1.3 适用范围` / `4.3.1`, bare-numbered sections and dotted clauses; a
  clause's title is its heading (`(一)配套发展资金。`), a task's its first sentence when short
  (never one ending in `：`, which introduces a list);
  a heading repeated (a table of contents) stands once, where it is last, the others set aside;
- each sentence of a clause as a `quote`; the units of `(牵头单位:…,责任单位:…)` as `lead` and
  `responsible`, resolved against the registry (an unknown unit is listed for the registry in
  a TODO comment and left out, so the skeleton checks);
- the addressees, the lines before the first heading and the signature as `aside`s;
- rules as TODO comments: the skeleton checks, with every sentence of the source covered.

This module reads the header (issuer, date, asides) and assembles the skeleton; each other job
has its module: `skeleton_head` (文号, title, a regulation's 题注 and 令号), `skeleton_parts`
(numbering, quotes), `skeleton_units` (the units a part names), `skeleton_validity` (the
validity sentence), `skeleton_deadlines` (完成时限 as `by`), `skeleton_dates` (落款 and 版记
dates, Chinese numerals), `skeleton_render` (a part as text).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from policyc.compiler.i18n import _
from policyc.compiler.skeleton_dates import IMPRINT, SIGNATURE_DATE, signature_iso
from policyc.compiler.skeleton_head import Head, read_head
from policyc.compiler.skeleton_parts import (
    ARTICLE,
    CHAPTER,
    CLAUSE,
    find_headings,
    structure,
    walk_parts,
)
from policyc.compiler.skeleton_render import mark_in_header, policy_string, render_part
from policyc.compiler.skeleton_signers import SIGNER_LINES, issuer_lines, signers
from policyc.compiler.skeleton_units import Resolver, registry_resolver
from policyc.compiler.skeleton_validity import find_validity

__all__ = ["Resolver", "registry_resolver", "relative", "skeleton"]

_AFTER_SIGNATURE = re.compile(r"^(?:[(（][^()（）]+[)）]|抄送\s*[:：].*)$")


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
    # The head (文号, title) ends at the addressees (`各乡镇人民政府:`), which come before the
    # first heading; a regulation in articles (第一章, 第一条) has none and starts at its first.
    first_heading = next(
        (i for i, (_, t) in enumerate(text_lines) if CHAPTER.match(t) or ARTICLE.match(t)),
        len(text_lines),
    )
    head = read_head(text_lines, first_heading)
    asides = list(head.asides)
    rest = text_lines[head.length :]
    if head.addressee:
        asides.append((rest[0][1], "主送机关"))
        rest = rest[1:]
    issuers, issued = [head.issuer] if head.issuer else [], head.issued
    after_signature: set[str] = set()
    signature: set[int] = set()  # the signers' and the date's lines: asides, not clause text
    signer_lines: set[str] = set()
    for i, (number, line) in enumerate(rest):
        date = SIGNATURE_DATE.match(line)
        if date and i > 0:
            signed, taken = signers([text for _, text in rest[max(0, i - SIGNER_LINES) : i]])
            signature |= {number, *(n for n, _ in rest[i - taken : i])}
            signer_lines |= {text for _, text in rest[i - taken : i]}
            if not issued:
                issued = signature_iso(date)
                # A regulation's head gave the issuer already (its 令号, its 题注).
                issuers = issuers or signed
                # The notes printed right under the 落款 ((此件公开发布), 抄送:…) are not the
                # text of the last clause; an attachment that follows (附件, 办法) is.
                for later, text in rest[i + 1 :]:
                    if not _AFTER_SIGNATURE.match(text) or CLAUSE.match(text):
                        break
                    after_signature.add(text)
                    signature.add(later)
    imprint = _imprint_lines(rest)
    signature |= imprint
    headings = find_headings(rest)
    validity = find_validity(rest, headings, issued)
    if validity is not None and not validity.under_heading:
        signature.add(validity.line)  # an aside, not the text of the clause it follows
    parts, preamble = structure(rest, headings, resolve, signature)
    if validity is not None:
        mark_in_header(parts, validity)
    for line in preamble:
        if validity is not None and line == validity.text:
            what = "施行日期和有效期, 写在 header 的 valid 中"
            if validity.interpreter:
                what = "施行日期、有效期和解释单位, 写在 header 的 valid 与 interpreted_by 中"
        elif line in signer_lines or SIGNATURE_DATE.match(line):
            what = "落款"
        elif line in after_signature:
            what = "落款之后的附注（公开方式、抄送等）"
        elif IMPRINT.match(line):
            what = "版记（印发机关和印发日期）"
        else:
            what = "TODO(drafter): 说明"
        asides.append((line, what))
    unknown = sorted({u for p in walk_parts(parts) for u in p.unknown})
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
        f"policy {policy_string(head.number)} {{  # TODO(drafter): " + _number_note(head),
        f"    title {policy_string(head.title)}  # TODO(drafter): " + _("confirm the title"),
    ]
    out += issuer_lines(issuers, head.issuer_from or "落款", resolve, bool(registry))
    if issued:
        date_note = (
            _("confirm (the date printed under the 令号)")
            if head.issued
            else _("confirm (落款日期)")
        )
        out.append(f"    issued {issued}  # TODO(drafter): " + date_note)
    if validity is not None:
        out += validity.header(resolve, bool(registry))
    out.append(f"    source {policy_string(source)} lines {first} to {last}")
    if registry:
        out.append(f"    units from {policy_string(registry)}")
    out += ["}", ""]
    out += [f"aside {policy_string(text)} {policy_string(why)}" for text, why in asides]
    for part in parts:
        out += ["", *render_part(part, 0)]
    from policyc.compiler.fmt import format_text

    return format_text("\n".join(out) + "\n", "<skeleton>")


def _number_note(head: Head) -> str:
    """The TODO after the 文号: what the drafter confirms or writes."""
    if head.number_found == "none":
        return _("文号 — the text prints none; write the one it was issued under")
    if head.number_found == "note":
        return _(
            "文号 — the 令号 the 题注 names ({number}); a revised text is issued under a 令号 "
            "of its own: confirm which"
        ).format(number=head.number)
    if head.other_numbers:
        return _(
            "文号 — the 令号 printed with the text; the 题注 also names {numbers}: confirm "
            "which this text was issued under"
        ).format(numbers="、".join(head.other_numbers))
    return "文号"


def _imprint_lines(lines: Sequence[tuple[int, str]]) -> set[int]:
    """The lines of the 版记 (`…办公室2026年12月10日印发`): asides, whichever part they follow."""
    return {number for number, text in lines if IMPRINT.match(text)}


def relative(path: Path, to: Path) -> str:
    """`path` as a policy file in folder `to` names it."""
    return Path(os.path.relpath(path.resolve(), to.resolve())).as_posix()
