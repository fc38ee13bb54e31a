"""The pages about all documents together: every unit with what each document asks of it, and
the home page's table of which document is in force on which date."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from policyc.compiler.site.layout import UNITS_DIR, SiteLinks
from policyc.compiler.site.markdown import json_in_html, link, md
from policyc.compiler.site.policy_view import PolicyView
from policyc.compiler.site.views import UnitDuties, UnitView, ValidityTable

ROLE_ORDER = ("牵头单位", "责任单位", "配合单位", "解释单位", "发文单位")


def unit_views(views: Sequence[PolicyView], site: SiteLinks) -> tuple[UnitView, ...]:
    """Every unit of every registry, with what each document asks of it, sorted by name."""
    merged: dict[str, tuple[str, list[str], str]] = {}
    for view in views:
        for unit in view.policy.registry.units.values():
            full, aliases, kind = merged.get(unit.name, (unit.full_name, [], unit.kind))
            merged[unit.name] = (full or unit.full_name, [*aliases, *unit.aliases], kind)
    # unit -> document -> role -> links (from units/)
    refs: dict[str, dict[str, dict[str, list[str]]]] = {}
    for view in views:
        for unit_name, ref in view.unit_refs:
            by_role = refs.setdefault(unit_name, {}).setdefault(ref.number, {})
            links = by_role.setdefault(ref.role, [])
            text = link(ref.text or "本文件", f"../{ref.href}")
            if text not in links:
                links.append(text)
    documents = {v.header.number: v for v in views}
    result = []
    for name in sorted(merged):
        full, aliases, kind = merged[name]
        duties: list[UnitDuties] = []
        totals: dict[str, int] = {}
        for number, view in documents.items():
            named = refs.get(name, {}).get(number)
            if not named:
                continue
            roles = tuple((role, tuple(named[role])) for role in ROLE_ORDER if role in named)
            for role, found in roles:
                totals[role] = totals.get(role, 0) + len(found)
            title = f"{number} {view.header.title}".strip()
            duties.append(
                UnitDuties(
                    md(title), link("文件全文", f"../{view.page}"), f"doc-{view.stem}", roles
                )
            )
        page = site.units[name]
        result.append(
            UnitView(
                name=md(name),
                nav_title=name,
                page=page,
                link=link(name, page.removeprefix(f"{UNITS_DIR}/")),
                full_name=md(full) if full else "—",
                aliases=tuple(md(a) for a in sorted(set(aliases))),
                kind="单位组" if kind == "group" else "单位",
                documents=tuple(duties),
                counts=" · ".join(
                    f"{role.removesuffix('单位')} {totals[role]}"
                    for role in ROLE_ORDER
                    if role in totals
                )
                or "—",
            )
        )
    return tuple(result)


def _status(view: PolicyView, day: datetime.date, replaced_on: datetime.date | None) -> str:
    """Whether a document is in force on `day`, as `policyc run` judges it (a document without
    a validity period is in force), and before its issue date not yet issued."""
    h = view.header
    if h.issued is not None and day < h.issued:
        return "尚未发布"
    if replaced_on is not None and day >= replaced_on:
        return "已被替代"
    if h.valid_from is None:
        return "有效（未定期限）"
    if day < h.valid_from:
        return "尚未施行"
    until = view.policy.valid_until
    if until is not None and day > until:
        return "已失效"
    return "有效"


def validity_table(
    views: Sequence[PolicyView],
    reference: Sequence[tuple[datetime.date, str]],
) -> ValidityTable:
    """The fixed dates: the reference dates, and the last day of each validity period with the
    day after it, each with what it is; a document by row, a date by column."""
    labels: dict[datetime.date, list[str]] = {}
    for day, label in reference:
        labels.setdefault(day, []).append(md(label))
    for view in views:
        until = view.policy.valid_until
        if until is not None:
            number = md(view.header.number)
            labels.setdefault(until, []).append(f"{number}有效期最后一日")
            if until < datetime.date.max:  # a period that ends on 9999-12-31 never lapses
                labels.setdefault(until + datetime.timedelta(days=1), []).append(f"{number}失效")
    replaced: dict[str, datetime.date] = {}
    for view in views:
        start = view.header.valid_from or view.header.issued
        for number in view.header.replaces:
            if start is not None and (number not in replaced or start < replaced[number]):
                replaced[number] = start
    days = sorted(labels)
    rows = []
    data = []
    for view in views:
        h = view.header
        replaced_on = replaced.get(h.number)
        rows.append(
            (
                link(h.number, view.page),
                view.validity(),
                *(_status(view, day, replaced_on) for day in days),
            )
        )
        until = view.policy.valid_until
        data.append(
            {
                "number": h.number,
                "issued": h.issued.isoformat() if h.issued else None,
                "from": h.valid_from.isoformat() if h.valid_from else None,
                "until": until.isoformat() if until else None,
                "replaced": replaced_on.isoformat() if replaced_on else None,
            }
        )
    # Inside <script type="application/json">: `</` must not close the element.
    payload = json_in_html(data)
    return ValidityTable(
        head=("文件", "有效期", *(day.isoformat() for day in days)),
        rows=tuple(rows),
        dates=tuple(f"{day.isoformat()}：{'；'.join(labels[day])}" for day in days),
        data=payload,
    )


# ---- rendering -----------------------------------------------------------------------------


# What a YAML double-quoted scalar may not hold as it is: characters outside YAML's printable
