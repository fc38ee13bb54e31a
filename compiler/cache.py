"""A cache of compiled policies, keyed by the content of everything the compiled form depends on.

`policyc run` on an unchanged policy then skips parsing, checking and generating (and importing
Lark and jinja2). The key hashes the policy text, the unit registry and the source text it
names, the grammar, and policyc's own version, so any change invalidates the entry. Entries are
written to a temporary file and renamed into place, so two processes compiling at once each
see either no entry or a whole one.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import pickle
import re
import tempfile
from pathlib import Path
from typing import Any

from policyc import __version__

# Where the header names its dependencies; a plain scan, so that a cache hit parses nothing.
_DEPENDENCIES = re.compile(r'^\s*(?:units\s+from|source)\s+"((?:[^"\\\n]|\\.)*)"', re.MULTILINE)
_FORMAT = 1


def cache_dir() -> Path | None:
    """`POLICYC_CACHE_DIR`, else the user's cache folder; None when caching is turned off."""
    if os.environ.get("POLICYC_NO_CACHE"):
        return None
    configured = os.environ.get("POLICYC_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policyc"


def cache_key(path: Path, text: str) -> str:
    digest = hashlib.sha256(f"policyc {__version__} format {_FORMAT}\n".encode())
    digest.update(_compiler_fingerprint())
    digest.update(str(path.resolve()).encode())
    digest.update(text.encode())
    for name in _DEPENDENCIES.findall(text):
        dependency = path.parent / name
        digest.update(name.encode())
        try:
            if not dependency.is_file():
                raise OSError("not a regular file")
            digest.update(dependency.read_bytes())
        except (OSError, ValueError):
            digest.update(b"<unreadable>")  # the checker reports it; never cache a guess
    return digest.hexdigest()


@functools.cache
def _compiler_fingerprint() -> bytes:
    """The compiler's own code, templates, runtime and grammar: an entry compiled by another
    build of policyc (an upgrade, or an edit in a working copy) is never reused."""
    package = Path(__file__).parent.parent
    digest = hashlib.sha256()
    for folder in ("compiler", "runtime", "grammar"):
        for file in sorted((package / folder).rglob("*")):
            if file.suffix in (".py", ".j2", ".lark"):
                digest.update(file.name.encode())
                digest.update(file.read_bytes())
    return digest.digest()


def load(key: str) -> tuple[Any, str, Any] | None:
    """(checked policy, Python source, code object) for `key`, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = (folder / f"{key}.pickle").read_bytes()
        checked, source, code_bytes = pickle.loads(data)
        return checked, source, marshal.loads(code_bytes)
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError,
            ImportError):  # fmt: skip
        return None  # absent, truncated or from another version: compile afresh


def store(key: str, checked: Any, source: str, code: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(
            (checked, source, marshal.dumps(code)), protocol=pickle.HIGHEST_PROTOCOL
        )
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as handle:
            handle.write(data)
        os.replace(handle.name, folder / f"{key}.pickle")
    except OSError:
        return  # a cache that cannot be written only costs time
