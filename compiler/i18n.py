"""The language policyc speaks: Chinese by default, English when the locale asks for it.

Messages are written in English in the code, wrapped in `_("…")` (`ngettext` for plurals), with
named placeholders filled afterwards (`_("{field}: expected a date").format(field=…)`), so that a
translation may reorder them. The Chinese catalogue is `locale/zh_CN/LC_MESSAGES/policyc.po`,
compiled to the `.mo` beside it and read at run time with the standard library's `gettext`;
Babel extracts, updates and compiles it (`python tools/catalogue.py`). English is the
messages as written (no catalogue).

The language is chosen once per process from the environment, in gettext's order: the first of
LANGUAGE (a colon-separated list: its first entry policyc speaks), LC_ALL, LC_MESSAGES, LANG
that is set and not empty. A value starting with `en` means English; `zh` (and anything else,
`C`, `POSIX`, `C.UTF-8`, or nothing set) means Chinese. `use_language` switches it for the
current thread or task (a served request's `Accept-Language`).

argparse's own words (`usage:`, `error:`, `the following arguments are required`) come from its
gettext domain; `install_argparse` points argparse at the `argparse` catalogue beside ours.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
from collections.abc import Iterator, Mapping

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    import gettext

DOMAIN = "policyc"
ARGPARSE_DOMAIN = "argparse"
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")  # a str: no pathlib on `run`
CHINESE, ENGLISH = "zh_CN", "en"
LANGUAGES = (CHINESE, ENGLISH)
_ENVIRONMENT_ORDER = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language_from_environment(environ: Mapping[str, str]) -> str:
    """`zh_CN` or `en` for the variables in `environ`, as the module docstring says."""
    for variable in _ENVIRONMENT_ORDER:
        value = environ.get(variable, "")
        if not value:
            continue
        entries = value.split(":") if variable == "LANGUAGE" else [value]
        for entry in entries:
            spoken = _spoken(entry)
            if spoken:
                return spoken
        if variable != "LANGUAGE":
            return CHINESE
    return CHINESE


def _spoken(entry: str) -> str:
    """The language of one locale name policyc speaks, or "" for one it does not."""
    lowered = entry.strip().lower()
    if lowered.startswith("en"):
        return ENGLISH
    if lowered.startswith("zh"):
        return CHINESE
    return ""


def language_from_header(header: str) -> str | None:
    """The language an HTTP `Accept-Language` header prefers among ours (`en-US,en;q=0.9` →
    `en`), or None when it names neither (the server's own language then)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        spoken = _spoken(tag)
        if spoken and weight > 0:
            ranked.append((-weight, position, spoken))
    return min(ranked)[2] if ranked else None


@functools.cache
def catalogue(language: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The translations of `domain` into `language`: the compiled catalogue for Chinese, the
    messages as written (NullTranslations) for English. Raises OSError if the Chinese catalogue
    is missing (a broken install)."""
    import gettext  # here: a run that translates no message never imports it (issue 16)

    if language == ENGLISH:
        return gettext.NullTranslations()
    from policyc.compiler.catalogues import translations  # decoded once, then cached

    return translations(os.path.join(LOCALE_DIR, language, "LC_MESSAGES", f"{domain}.mo"))


@functools.cache
def _default_language() -> str:
    import os

    return language_from_environment(os.environ)


_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "policyc_language", default=None
)


def language() -> str:
    """The language messages are given in now: `zh_CN` or `en`."""
    return _chosen.get() or _default_language()


@contextlib.contextmanager
def use_language(chosen: str) -> Iterator[None]:
    """Give messages in `chosen` (`zh_CN` or `en`) inside the block, in this thread or task."""
    if chosen not in LANGUAGES:
        raise ValueError(
            _("unknown language {chosen!r}: expected one of {languages}").format(
                chosen=chosen, languages=", ".join(LANGUAGES)
            )
        )
    token = _chosen.set(chosen)
    try:
        yield
    finally:
        _chosen.reset(token)


def _(message: str) -> str:
    """`message` (an English msgid) in the current language."""
    return catalogue(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the current language."""
    return catalogue(language()).ngettext(singular, plural, count)


def _argparse_gettext(message: str) -> str:
    return catalogue(language(), ARGPARSE_DOMAIN).gettext(message)


def _argparse_ngettext(singular: str, plural: str, count: int) -> str:
    return catalogue(language(), ARGPARSE_DOMAIN).ngettext(singular, plural, count)


def install_argparse() -> None:
    """Make argparse's own messages speak the current language. argparse looks its words up
    through the module-level names `_` and `ngettext` it imported from gettext (whose global
    domain the application would otherwise have to claim); those names are pointed here."""
    import argparse

    argparse._ = _argparse_gettext  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_ngettext  # type: ignore[attr-defined]


def json_reason(msg: str) -> str:
    """The standard library's JSON decoder message (`exc.msg`) in the user's language, with
    what to write instead; a message it does not know stands as it is."""
    reasons = {
        "Expecting value": _(
            "a value was expected here (a number, a string in double quotes, true, false, "
            "null, {…} or […])"
        ),
        "Expecting property name enclosed in double quotes": _(
            "a key in double quotes was expected here (JSON quotes every key, and allows no "
            "comma after the last item)"
        ),
        "Expecting ',' delimiter": _("a comma was expected here, between two items"),
        "Expecting ':' delimiter": _("a colon was expected here, after the key"),
        "Extra data": _("more text after the end of the JSON value"),
        "Unterminated string starting at": _("a string starts here and has no closing quote"),
        "Invalid control character at": _(
            "a tab or a line break inside a string: write it as \\t or \\n"
        ),
        "Invalid \\escape": _("a backslash JSON does not know: write a backslash as \\\\"),
    }
    return reasons.get(msg, msg)
