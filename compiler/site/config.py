"""Who the site is for and by: its name, its publisher and the dates its validity table is shown
on — from the policies themselves, or from a site configuration (`policyc docs --config FILE`).

Nothing here names a place: a county's policies publish a county's site. Without a
configuration the name is the place the issuers share (天门市人民政府 and 天门市人民政府办公室 give
天门市政策条款), the publisher is the issuers, and the reference dates are the dates the headers
write (issue, start, and the starting dates of a validity reading's options).

The configuration is TOML (read with the standard library's tomllib):

    name = "某县政策条款"            # the site's name (text, 1–60 characters)
    publisher = "某县人民政府"       # who publishes it (text, 1–60 characters)
    [[reference_dates]]              # replaces the dates taken from the headers
    date = 2023-03-31                # a TOML date
    label = "公报刊载日"              # what the date is (text, 1–40 characters)

Every key is checked: an unknown key, a wrong type or an empty text is a `DocsError` naming the
file, the line and the key (exit status 2 from the command line).
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path

import attrs

from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.i18n import _
from policyc.compiler.site.layout import DocsError

# The characters that end a place name in Chinese administrative names: 湖北省天门市, 某某县.
PLACE_ENDS = "省市县区州盟旗镇乡"
NAME_SUFFIX = "政策条款"
TEXT_LIMITS = {"name": 60, "publisher": 60, "label": 40}
TOP_KEYS = ("name", "publisher", "reference_dates")
DATE_KEYS = ("date", "label")


@attrs.frozen
class SiteConfig:
    """What a configuration file sets; None (or no dates) leaves it to the policies."""

    name: str | None = None
    publisher: str | None = None
    reference_dates: tuple[tuple[datetime.date, str], ...] | None = None


@attrs.frozen
class SiteIdentity:
    """The settled name, publisher and reference dates of one generation."""

    name: str
    publisher: str
    reference_dates: tuple[tuple[datetime.date, str], ...]


# ---- reading a configuration -----------------------------------------------------------------


def _key_line(lines: Sequence[str], key: str, after: int = 0) -> int:
    """The 1-based line where `key =` is written at or after line `after` (0 when not found)."""
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
    for number in range(after, len(lines)):
        if pattern.match(lines[number]):
            return number + 1
    return 0


def _table_lines(lines: Sequence[str], name: str) -> list[int]:
    """The 0-based lines of each `[[name]]` header, in order."""
    header = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
    return [i for i, line in enumerate(lines) if header.match(line)]


def _text(value: object, key: str, where: str) -> str:
    limit = TEXT_LIMITS[key.rsplit(".", 1)[-1]]
    if not isinstance(value, str):
        raise DocsError(
            _("{where}: `{key}`: expected text in quotes, got {shown_value}").format(
                where=where,
                key=key,
                shown_value=_shown(value),
            )
        )
    text = value.strip()
    if not text or len(text) > limit or any(ch in text for ch in "\r\n\t"):
        raise DocsError(
            _("{where}: `{key}`: expected one line of 1–{limit} characters, got {value!r}").format(
                where=where,
                key=key,
                limit=limit,
                value=value,
            )
        )
    return text


def _shown(value: object) -> str:
    kinds = {bool: "true/false", int: "a number", float: "a number", list: "a list"}
    kinds[dict] = "a table"
    return next((v for k, v in kinds.items() if type(value) is k), type(value).__name__)


def load_site_config(path: Path) -> SiteConfig:
    """Read and check a site configuration. Raises DocsError (file:line: key: what was expected)
    for a file that cannot be read, is not TOML, holds an unknown key or a bad value."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        why = exc.strerror or exc
        raise DocsError(
            _("{path}: cannot read the site configuration: {why}").format(
                path=path,
                why=why,
            )
        ) from None
    except UnicodeDecodeError:
        raise DocsError(
            _("{path}: the site configuration is not UTF-8 text").format(
                path=path,
            )
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        place = f"{path}:{found.group(1)}:{found.group(2)}" if found else str(path)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise DocsError(
            _("{place}: not valid TOML: {reason}").format(
                place=place,
                reason=reason,
            )
        ) from None
    lines = text.splitlines()

    def where(key: str, after: int = 0) -> str:
        line = _key_line(lines, key, after)
        return f"{path}:{line}" if line else str(path)

    for key in data:
        if key not in TOP_KEYS:
            raise DocsError(
                _("{where_key}: unknown key `{key}`; expected one of {join_TOP_KEYS}").format(
                    where_key=where(key),
                    key=key,
                    join_TOP_KEYS=", ".join(TOP_KEYS),
                )
            )
    name = _text(data["name"], "name", where("name")) if "name" in data else None
    publisher = (
        _text(data["publisher"], "publisher", where("publisher")) if "publisher" in data else None
    )
    dates: tuple[tuple[datetime.date, str], ...] | None = None
    if "reference_dates" in data:
        dates = _reference_dates(data["reference_dates"], lines, path)
    return SiteConfig(name=name, publisher=publisher, reference_dates=dates)


def _reference_dates(
    value: object, lines: Sequence[str], path: Path
) -> tuple[tuple[datetime.date, str], ...]:
    tables = _table_lines(lines, "reference_dates")
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        line = _key_line(lines, "reference_dates") or (tables[0] + 1 if tables else 0)
        raise DocsError(
            _(
                "{path}:{line}: `reference_dates`: expected [[reference_dates]] tables, each with "
                "date and label"
            ).format(path=path, line=line)
        )
    result: list[tuple[datetime.date, str]] = []
    for i, entry in enumerate(value):
        start = tables[i] if i < len(tables) else 0
        at = f"{path}:{start + 1}" if i < len(tables) else str(path)

        def where(key: str, start: int = start, at: str = at) -> str:
            line = _key_line(lines, key, start)
            return f"{path}:{line}" if line else at

        for key in entry:
            if key not in DATE_KEYS:
                raise DocsError(
                    _(
                        "{where_key}: unknown key `reference_dates[{i_1}].{key}`; "
                        "expected {and_join_DATE_KEYS}"
                    ).format(
                        where_key=where(key),
                        i_1=i + 1,
                        key=key,
                        and_join_DATE_KEYS=" and ".join(DATE_KEYS),
                    )
                )
        for key in DATE_KEYS:
            if key not in entry:
                raise DocsError(
                    _("{at}: `reference_dates[{i_1}]`: `{key}` is missing").format(
                        at=at,
                        i_1=i + 1,
                        key=key,
                    )
                )
        day = entry["date"]
        if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
            raise DocsError(
                _(
                    "{where_date}: `reference_dates[{i_1}].date`: expected a date written "
                    "2023-03-31 (no quotes, no time), got {shown_day}"
                ).format(
                    where_date=where("date"),
                    i_1=i + 1,
                    shown_day=_shown(day),
                )
            )
        label = _text(entry["label"], f"reference_dates[{i + 1}].label", where("label"))
        result.append((day, label))
    return tuple(result)


# ---- settling the identity --------------------------------------------------------------------


def issuer_names(policies: Sequence[CheckedPolicy]) -> list[str]:
    """The issuers' full names (through each policy's unit registry), each once, in order: a
    jointly issued policy's every issuer, its lead issuer first."""
    names: list[str] = []
    for policy in policies:
        for issuer in policy.header.issuers:
            unit = policy.registry.resolve(issuer.text)
            name = (unit.full_name or unit.name) if unit is not None else issuer.text
            if name not in names:
                names.append(name)
    return names


def shared_place(names: Sequence[str]) -> str:
    """The place every name starts with (`place_parts`): 天门市 for 天门市人民政府 and
    天门市人民政府办公室, 江城市 for 江城市城市管理综合执法局 alone (never 江城市城市, cut at the
    市 of 城市管理), 湖北省 for 湖北省天门市人民政府 and 湖北省武汉市人民政府; "" when they share
    none."""
    if not names:
        return ""
    shared = place_parts(names[0])
    for name in names[1:]:
        parts = place_parts(name)
        common = 0
        while common < min(len(shared), len(parts)) and shared[common] == parts[common]:
            common += 1
        shared = shared[:common]
    return "".join(shared)


# How high an administrative word stands: a place inside another is of a lower level (湖北省 >
# 天门市 > 某某区 > 某某镇).
_PLACE_LEVELS = {"省": 0, "市": 1, "州": 1, "盟": 1, "县": 2, "区": 2, "旗": 2, "镇": 3, "乡": 3}


# Words ending in an administrative word that name no place of their own (住房和城乡建设局,
# 社区服务中心, 城区管理科).
_NO_PLACE = (
    "城市",
    "城乡",
    "社区",
    "园区",
    "景区",
    "街区",
    "辖区",
    "市区",
    "郊区",
    "城区",
    "县区",
    "乡镇",
)


def place_parts(name: str) -> list[str]:
    """The places a unit's name starts with, each ending at the first administrative word
    (PLACE_ENDS) after at least one character, each inside the one before (of a lower level):
    [湖北省, 天门市] for 湖北省天门市人民政府; [江城市] for 江城市城市管理综合执法局 (城市 is
    no place inside 江城市: a 市 in a 市) and for 江城市住房和城乡建设局 (城乡, 社区 … name no
    place: `_NO_PLACE`); [] for 某某协会. 自治区 stands as high as a 省."""
    parts: list[str] = []
    level = -1
    rest = name
    while True:
        end = next((i for i, ch in enumerate(rest) if ch in PLACE_ENDS and i > 0), -1)
        if end < 0:
            return parts
        part = rest[: end + 1]
        here = 0 if part.endswith("自治区") else _PLACE_LEVELS[rest[end]]
        if here <= level or part in _NO_PLACE or "和" in part:
            return parts
        parts.append(part)
        level, rest = here, rest[end + 1 :]


def policy_dates(policies: Sequence[CheckedPolicy]) -> tuple[tuple[datetime.date, str], ...]:
    """The dates the headers write, each with what it is: a document's issue, its start when
    that differs, and the start of each option of a validity reading."""
    labels: dict[datetime.date, list[str]] = {}

    def add(day: datetime.date | None, label: str) -> None:
        if day is not None and label not in labels.setdefault(day, []):
            labels[day].append(label)

    for policy in policies:
        h = policy.header
        add(h.issued, f"{h.number}发布")
        if h.valid_from != h.issued:
            add(h.valid_from, f"{h.number}施行")
        for option in h.valid_options:
            if option.start not in (h.issued, h.valid_from):
                reading = h.valid_reading.text if h.valid_reading else ""
                add(option.start, f"{h.number}读法“{reading}”取“{option.option.text}”时的起始日")
    return tuple((day, "；".join(labels[day])) for day in sorted(labels))


def site_identity(
    policies: Sequence[CheckedPolicy], config: SiteConfig | None = None
) -> SiteIdentity:
    """The name, publisher and reference dates: the configuration's where it sets them, else
    derived from the policies' headers."""
    config = config or SiteConfig()
    issuers = issuer_names(policies)
    place = shared_place(issuers)
    if config.name is not None:
        name = config.name
    elif place:
        name = place + NAME_SUFFIX
    elif len(issuers) == 1:
        name = issuers[0] + NAME_SUFFIX
    else:
        name = NAME_SUFFIX
    publisher = config.publisher if config.publisher is not None else "、".join(issuers)
    dates = config.reference_dates
    return SiteIdentity(
        name=name,
        publisher=publisher,
        reference_dates=dates if dates is not None else policy_dates(policies),
    )
