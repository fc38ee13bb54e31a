"""The message catalogue read back as plain data (issue 16).

`gettext.GNUTranslations` decodes every message of a `.mo` file when it opens it: some 900
messages cost a warm `policyc run` more than evaluating its case. The first read keeps the
decoded messages and the catalogue's plural rule in the private cache (compiler/cache.py's
blobs: each authenticated by this user's key before it is unmarshalled), named by the file's
path, size, inode and times (a rewritten `.mo` changes its change time, which no program sets
back) and the marshal format; later reads unmarshal them.

`translations(path)` returns an object with `gettext(message)` and `ngettext(singular,
plural, n)` as `GNUTranslations` answers them; OSError for a catalogue that cannot be read.
"""

from __future__ import annotations

import gettext
import marshal
import os

from policyc.compiler.digests import blake2b

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run`
if TYPE_CHECKING:
    from collections.abc import Callable

_FORMAT = "policyc-catalogue-1"
_MISSING = object()


class Catalogue(gettext.NullTranslations):
    """A catalogue's messages (`{msgid: text, (msgid, form): text}`, as GNUTranslations keeps
    them) and its `Plural-Forms` rule ("" for the English rule)."""

    def __init__(self, messages: dict[object, str], plural_forms: str):
        super().__init__()
        self.messages = messages
        self.plural_forms = plural_forms
        self.plural = _plural_rule(plural_forms)

    def gettext(self, message: str) -> str:
        found = self.messages.get(message, _MISSING)
        if found is _MISSING:
            found = self.messages.get((message, self.plural(1)), _MISSING)
        return message if found is _MISSING else found  # type: ignore[return-value]

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self.messages.get((msgid1, self.plural(n)), _MISSING)
        if found is _MISSING:
            return msgid1 if n == 1 else msgid2
        return found  # type: ignore[return-value]


def _plural_rule(plural_forms: str) -> Callable[[int], int]:
    """The function of `n` a `Plural-Forms` header gives (`nplurals=1; plural=0;`), as
    GNUTranslations builds it; the English rule without one."""
    if not plural_forms:
        return lambda n: int(n != 1)
    return gettext.c2py(plural_forms.split(";")[1].split("plural=")[1])


def translations(path: str) -> gettext.NullTranslations:
    """The catalogue at `path` (a `.mo` file), from the cache when it holds this file as it is
    now. Raises OSError if the file cannot be read."""
    from policyc.compiler import cache

    info = os.stat(path)
    digest = blake2b(digest_size=32)
    digest.update(
        f"{_FORMAT}\0{cache.python_tag()}\0{os.path.abspath(path)}\0{info.st_size} "
        f"{info.st_ino} {info.st_mtime_ns} {info.st_ctime_ns}".encode("utf-8", "surrogateescape")
    )
    name = "catalogue-" + digest.hexdigest()
    body = cache.load_blob(name)
    if body is not None:
        try:
            messages, plural_forms = marshal.loads(body)
            if isinstance(messages, dict) and isinstance(plural_forms, str):
                return Catalogue(messages, plural_forms)
        except (EOFError, ValueError, TypeError, IndexError):
            pass  # authentic but not of this format: read the file again
    with open(path, "rb") as handle:
        parsed = gettext.GNUTranslations(handle)
    messages = getattr(parsed, "_catalog", None)  # where GNUTranslations keeps them
    if not isinstance(messages, dict):
        return parsed
    plural_forms = parsed.info().get("plural-forms", "")
    try:
        _plural_rule(plural_forms)
        cache.store_blob(name, marshal.dumps((messages, plural_forms)))
    except (ValueError, IndexError, SyntaxError, RecursionError):
        return parsed  # a rule this module does not read as GNUTranslations does
    return parsed
