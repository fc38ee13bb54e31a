"""The State Council's yearly 节假日安排 notices as a project restates them: loaded, checked, and
compiled for the runtime's calendar of working days (runtime/workdays.py).

A policy's notices are its own `holidays YEAR "文号" { … }` declarations and those of the file its
header names with `calendar from "calendar.policy"` (inside the policy's project, else refused,
as `units from`). Each notice is checked (`notice_problems`): its rest days and 调休 working days
lie in its year (or reach back to 12月29日–31日 of the year before, as 元旦 has: 2022年12月31日
rested for 2023, 2018年12月29日 worked for 2019), a range runs forwards, no day is both a rest
day and a working day nor in two holidays, a holiday is listed once, a working day is a weekend
day (a holiday resting on weekend days only is a warning, `weekend-holiday`: 2015年中秋节 did;
so is a notice without `complete`, which answers no day, `notice-incomplete`, or without
`source`, its quotes checked against nothing, `notice-without-source`), and each quote is in
the notice's text when the notice names it (`source "notice.txt"`, inside the project). A year
the `chinese-calendar` package knows too must agree with it, day by day (`package_conflicts`):
a difference is an error naming both. Problems are diagnostics with the place; nothing raises.

`plain(notices)` is what the generated module holds as `CALENDAR`: the complete years only, as
tuples of strings and ints (the runtime's `workdays.PlainNotices`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from policyc.compiler import nodes as n
from policyc.compiler.errors import Diagnostic, PolicyError, Severity, Span
from policyc.compiler.files import read_text
from policyc.compiler.i18n import _
from policyc.compiler.project import PathRefused, named_file
from policyc.runtime import workdays

_DAY = timedelta(days=1)
# A notice's 元旦 may reach back to 12月29日–31日 of the year before: rest days (2023年元旦 began
# on 2022年12月31日) and working days (2018年12月29日, a Saturday, for 2019年元旦).
_REACH_BACK_FIRST = 29


def _in_notice_year(day: date, year: int) -> bool:
    """Whether a notice for `year` may set `day`: a day of the year, or of its reach-back."""
    if day.year == year:
        return True
    return day.year == year - 1 and day.month == 12 and day.day >= _REACH_BACK_FIRST


def rest_days(rest: n.NoticeRest) -> list[date]:
    """Every day of a holiday's rest, `first` to `last` inclusive (none when written backwards,
    none past a year and its reach-back: the checks refuse such a rest before it is listed, so
    a notice's cost follows the days a year can have, never the dates written)."""
    if (rest.last - rest.first).days > 366 + 3:
        return []
    return [rest.first + _DAY * k for k in range((rest.last - rest.first).days + 1)]


def load_calendar_file(
    policy_path: Path, header: n.Header, diagnostics: list[Diagnostic], sources: dict[str, str]
) -> tuple[n.HolidayNotice, ...]:
    """The notices of the file the header names with `calendar from` (none when it names none).
    A file outside the project, unreadable or not parsed is a diagnostic at the header's name."""
    if not header.calendar_file:
        return ()
    from policyc.compiler.parser import parse  # late: the parser imports the builder
    from policyc.compiler.received_text import unreadable_why

    span = header.calendar_span if header.calendar_span.line else header.span
    try:
        path = named_file(policy_path, header.calendar_file, "calendar from")
    except PathRefused as exc:
        diagnostics.append(Diagnostic(span, str(exc)))
        return ()
    shown = str(policy_path.parent / header.calendar_file)  # named as the policy names it
    try:
        text = read_text(path)
        parsed = parse(text, shown)
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8
        diagnostics.append(
            Diagnostic(
                span,
                _("cannot read the holiday calendar `{file}`: {why}").format(
                    file=header.calendar_file, why=unreadable_why(exc)
                ),
            )
        )
        return ()
    except PolicyError as exc:
        diagnostics.extend(exc.diagnostics)
        sources.update(exc.sources)
        return ()
    sources[shown] = text
    if not parsed.notices:
        diagnostics.append(
            Diagnostic(
                span,
                _("the holiday calendar `{file}` declares no year").format(
                    file=header.calendar_file
                ),
                _('`holidays YEAR "文号" { title "…" … }`, a year\'s notice restated'),
            )
        )
    return parsed.notices


def notices_problems(
    notices: Iterable[n.HolidayNotice], sources: dict[str, str]
) -> list[Diagnostic]:
    """Every problem of the notices together: each one's own, a year declared twice, and a
    year the package knows too where they differ."""
    problems: list[Diagnostic] = []
    seen: dict[int, n.HolidayNotice] = {}
    for notice in notices:
        first = seen.setdefault(notice.year, notice)
        if first is not notice:
            problems.append(
                Diagnostic(
                    notice.year_span,
                    _("the year {year} is declared twice (first at {place})").format(
                        year=notice.year, place=_place(first.year_span)
                    ),
                    _("one `holidays` declaration a year"),
                )
            )
            continue
        own = notice_problems(notice, sources)
        problems.extend(own)
        if not any(problem.severity is Severity.ERROR for problem in own):
            problems.extend(package_conflicts(notice))
    return problems


def notice_problems(notice: n.HolidayNotice, sources: dict[str, str]) -> list[Diagnostic]:
    """One notice's problems: its days, its holidays and its quotes (see the module docstring)."""
    problems: list[Diagnostic] = []
    year = notice.year
    rested: dict[date, n.NoticeRest] = {}
    holidays: dict[str, n.NoticeRest] = {}
    for rest in notice.rests:
        first = holidays.setdefault(rest.holiday.text, rest)
        if first is not rest:
            problems.append(
                Diagnostic(
                    rest.holiday.span,
                    _(
                        "`{holiday}` is listed twice in the notice of {year} (first at {place})"
                    ).format(holiday=rest.holiday.text, year=year, place=_place(first.span)),
                    _("each holiday once, with its rest days: `元旦: 2027-01-01 to 2027-01-03`"),
                )
            )
        if rest.last < rest.first:
            problems.append(
                Diagnostic(
                    rest.span,
                    _("`{holiday}` ends on {last}, before it begins on {first}").format(
                        holiday=rest.holiday.text, first=rest.first, last=rest.last
                    ),
                    _("the first rest day, then `to` the last"),
                )
            )
        outside = next((d for d in (rest.first, rest.last) if not _in_notice_year(d, year)), None)
        if outside is not None:  # said before the days are listed: `to 9999-12-31` lists none
            problems.append(_outside(rest.span, outside, year))
            continue
        days = rest_days(rest)
        if days and all(day.weekday() >= 5 for day in days):
            problems.append(_weekend_only(rest, days))
        for day in days:
            if not _in_notice_year(day, year):
                problems.append(_outside(rest.span, day, year))
                break
            other = rested.setdefault(day, rest)
            if other is not rest:
                problems.append(
                    Diagnostic(
                        rest.span,
                        _("{day} is a rest day of both `{first}` and `{second}`").format(
                            day=day, first=other.holiday.text, second=rest.holiday.text
                        ),
                        _("each rest day in one holiday"),
                    )
                )
    worked: set[date] = set()
    for work in notice.works:
        day = work.day
        if not _in_notice_year(day, year):
            problems.append(_outside(work.span, day, year))
        elif day.weekday() < 5:
            problems.append(
                Diagnostic(
                    work.span,
                    _("{day} is a {weekday}: a weekday works anyway").format(
                        day=day, weekday=_weekday(day)
                    ),
                    _("a Saturday or Sunday the notice makes a working day (调休上班)"),
                )
            )
        elif day in rested:
            problems.append(
                Diagnostic(
                    work.span,
                    _("{day} is both a working day and a rest day of `{holiday}`").format(
                        day=day, holiday=rested[day].holiday.text
                    ),
                    _("a day either rests or works"),
                )
            )
        elif day in worked:
            problems.append(
                Diagnostic(work.span, _("{day} is listed twice as a working day").format(day=day))
            )
        worked.add(day)
    problems.extend(_quote_problems(notice, sources))
    problems.extend(unused_or_unchecked(notice))
    return problems


def unused_or_unchecked(notice: n.HolidayNotice) -> list[Diagnostic]:
    """Warnings for a notice that checks yet does less than it seems: one without `complete`
    answers no day (`plain` leaves it out, so a deadline 顺延 reaches into its year is refused
    after `check --strict` passed: `notice-incomplete`); one without `source` has its quotes,
    which decide real deadlines, checked against nothing (`notice-without-source`)."""
    found: list[Diagnostic] = []
    if not notice.complete:
        found.append(
            Diagnostic(
                notice.year_span,
                _(
                    "the notice of {year} is not declared `complete`: it is checked but answers "
                    "no day, and a deadline in {year} the package does not know is refused"
                ).format(year=notice.year),
                _("`complete` once every rest day and 调休 working day of the notice is listed"),
                severity=Severity.WARNING,
                code="notice-incomplete",
            )
        )
    if not notice.source_file:
        found.append(
            Diagnostic(
                notice.year_span,
                _(
                    "the notice of {year} names no `source`: its quotes cannot be checked "
                    "against the published text"
                ).format(year=notice.year),
                _('`source "notice.txt"`, the notice as published, inside the project'),
                severity=Severity.WARNING,
                code="notice-without-source",
            )
        )
    return found


def _weekend_only(rest: n.NoticeRest, days: list[date]) -> Diagnostic:
    # A warning, not an error: a notice has set a holiday on a weekend day alone (2015年中秋节,
    # 9月27日, a Sunday), but more often a weekend restated as a holiday is a misread range.
    return Diagnostic(
        rest.span,
        _(
            "`{holiday}` rests on weekend days only ({days}): it moves no working day; "
            "check that the notice says so"
        ).format(holiday=rest.holiday.text, days=", ".join(day.isoformat() for day in days)),
        severity=Severity.WARNING,
        code="weekend-holiday",
    )


def _outside(span: Span, day: date, year: int) -> Diagnostic:
    return Diagnostic(
        span,
        _("{day} is outside {year}, the year this notice arranges").format(day=day, year=year),
        _("a day of {year}, or of 12月29日–31日 of {before}, where 元旦 may reach back").format(
            year=year, before=year - 1
        ),
    )


def _weekday(day: date) -> str:
    return workdays._WEEKDAYS[day.weekday()]


def _place(span: Span) -> str:
    return f"{span.file}:{span.line}:{span.column}"


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _quote_problems(notice: n.HolidayNotice, sources: dict[str, str]) -> list[Diagnostic]:
    """Each quote against the notice's text, when the notice names it (white space ignored,
    as a policy's quotes against its source)."""
    if not notice.source_file:
        return []
    from policyc.compiler.received_text import unreadable_why

    try:
        path = named_file(Path(notice.span.file), notice.source_file, "source")
        text = _squeezed(read_text(path))
    except PathRefused as exc:
        return [Diagnostic(notice.source_span, str(exc))]
    except (OSError, ValueError) as exc:
        return [
            Diagnostic(
                notice.source_span,
                _("cannot read the notice's text `{file}`: {why}").format(
                    file=notice.source_file, why=unreadable_why(exc)
                ),
            )
        ]
    quotes = [rest.quote for rest in notice.rests] + [work.quote for work in notice.works]
    return [
        Diagnostic(
            quote.span,
            _("this quote is not in the notice's text `{file}`").format(file=notice.source_file),
            _("the notice's words exactly as published"),
        )
        for quote in quotes
        if _squeezed(quote.text) not in text
    ]


def package_conflicts(notice: n.HolidayNotice) -> list[Diagnostic]:
    """Where a year the `chinese-calendar` package knows too differs from the notice: a rest day
    the package works, a working day it rests, and — the notice being complete — a weekday the
    package rests or a weekend day it works that the notice does not list."""
    first, last = workdays.package_days()
    if not first.year <= notice.year <= last.year:
        return []
    table = workdays._table()
    version = _package_version()
    rested = {day: rest for rest in notice.rests for day in rest_days(rest)}
    worked = {work.day: work for work in notice.works}
    problems: list[Diagnostic] = []

    def conflict(span: Span, day: date, notice_says: str, package_says: str) -> None:
        problems.append(
            Diagnostic(
                span,
                _(
                    "{day}: the notice {number} says {notice_says}, chinese-calendar {version} "
                    "says {package_says}"
                ).format(
                    day=day,
                    number=notice.number,
                    notice_says=notice_says,
                    version=version,
                    package_says=package_says,
                ),
                _("the notice's days exactly as published; where both know a year they agree"),
            )
        )

    for day, rest in rested.items():
        if table.is_workday(day):
            conflict(rest.span, day, _("a rest day"), _("a working day"))
    for day, work in worked.items():
        if not table.is_workday(day):
            conflict(work.span, day, _("a working day"), _("a rest day"))
    if notice.complete:
        day = max(date(notice.year - 1, 12, _REACH_BACK_FIRST), first)
        end = date(notice.year, 12, _REACH_BACK_FIRST - 1)  # the days after are the next notice's
        while day <= end:
            weekend = day.weekday() >= 5
            # A weekday the package rests in the reach-back is 元旦's: the notice's to list too.
            if not weekend and day not in rested and not table.is_workday(day):
                conflict(notice.year_span, day, _("nothing (a working day)"), _("a rest day"))
            elif weekend and day not in worked and day not in rested and table.is_workday(day):
                conflict(notice.year_span, day, _("nothing (a rest day)"), _("a working day"))
            day += _DAY
    return problems


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinese-calendar")
    except PackageNotFoundError:
        return "?"


def incomplete(notices: Iterable[n.HolidayNotice]) -> tuple[tuple[int, str], ...]:
    """(year, 文号) of each notice not declared `complete`, by year: the generated module's
    `CALENDAR_INCOMPLETE`, named when a day of that year is refused."""
    return tuple(sorted((notice.year, notice.number) for notice in notices if not notice.complete))


def plain(notices: Iterable[n.HolidayNotice]) -> workdays.PlainNotices:
    """The complete notices as the generated module's `CALENDAR` holds them, by year."""
    return tuple(
        (
            notice.year,
            notice.number,
            tuple(
                (day.isoformat(), rest.holiday.text)
                for rest in notice.rests
                for day in rest_days(rest)
            ),
            tuple(work.day.isoformat() for work in notice.works),
        )
        for notice in sorted(notices, key=lambda notice: notice.year)
        if notice.complete
    )
