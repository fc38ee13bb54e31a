"""The message catalogue, kept with Babel (the `dev` extra): extract, update, compile, check.

    python tools/catalogue.py update    # the .po files from the source (new msgids untranslated,
                                        # vanished ones dropped), then their .mo
    python tools/catalogue.py compile   # the .mo of each .po
    python tools/catalogue.py check     # every msgid without a Chinese translation; exit 1 if any

Two domains: `policyc`, the messages of `babel.cfg`'s files, and `argparse`, the words of the
running Python's argparse (`usage:`, `error:` …), which `policyc.compiler.i18n` installs. Both
live in `compiler/locale/zh_CN/LC_MESSAGES/` and ship in the wheel. The files are written without
source locations and sorted by msgid, so that two branches adding messages merge cleanly and the
.mo is a function of the .po alone (`tests/test_i18n.py` recompiles and compares).
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
LOCALE_DIR = REPO / "compiler" / "locale"
LANGUAGE = "zh_CN"
DOMAINS = ("policyc", "argparse")
# Fixed header dates: the files change only when their messages do.
_EPOCH = datetime(2026, 12, 1, tzinfo=UTC)


def po_path(domain: str) -> Path:
    return LOCALE_DIR / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"


def template(domain: str) -> Catalog:
    """Every msgid the source holds for `domain` (plural msgids as (singular, plural))."""
    found = Catalog(domain=domain, project="policyc", creation_date=_EPOCH, fuzzy=False)
    if domain == "argparse":
        extracted = (
            (argparse.__file__, *message)
            for message in extract_from_file("python", argparse.__file__)
        )
    else:
        with (REPO / "babel.cfg").open(encoding="utf-8") as mapping:
            method_map, options_map = parse_mapping_cfg(mapping)
        extracted = extract_from_dir(REPO, method_map, options_map)
    for filename, lineno, message, comments, context in extracted:
        found.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return found


def read(domain: str) -> Catalog:
    with po_path(domain).open("rb") as handle:
        return read_po(handle, locale=LANGUAGE, domain=domain)


def po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, sort_output=True, ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(domain: str) -> bytes:
    """The compiled catalogue of `domain`'s .po (fuzzy entries left out)."""
    out = io.BytesIO()
    write_mo(out, read(domain), use_fuzzy=False)
    return out.getvalue()


def update(domain: str) -> None:
    path = po_path(domain)
    if path.exists():
        catalog = read(domain)
    else:
        catalog = Catalog(
            locale=LANGUAGE,
            domain=domain,
            project="policyc",
            creation_date=_EPOCH,
            revision_date=_EPOCH,
            fuzzy=False,
        )
    catalog.update(template(domain), no_fuzzy_matching=True, update_header_comment=False)
    catalog.creation_date = _EPOCH
    catalog.revision_date = _EPOCH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(po_text(catalog))


def compile_all() -> None:
    for domain in DOMAINS:
        po_path(domain).with_suffix(".mo").write_bytes(mo_bytes(domain))


def untranslated(domain: str) -> list[str]:
    """The msgids of the source that the .po leaves untranslated, fuzzy or lacks."""
    catalog = read(domain)
    missing = []
    for message in template(domain):
        if not message.id:
            continue
        entry = catalog.get(message.id)
        strings = entry.string if entry is not None else ""
        filled = all(strings) if isinstance(strings, tuple) else bool(strings)
        if entry is None or entry.fuzzy or not filled:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "update":
        for domain in DOMAINS:
            update(domain)
        compile_all()
    elif command == "compile":
        compile_all()
    elif command == "check":
        missing = [(d, m) for d in DOMAINS for m in untranslated(d)]
        for domain, msgid in missing:
            print(f"{domain}: untranslated: {msgid!r}")
        return 1 if missing else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
