"""The check's cache: what `policyc check` found in one file, kept as plain data (JSON).

Each entry lives in policyc's private, authenticated cache (compiler/cache.py: a 0700 folder,
each entry under an HMAC of the user's key, verified before it is decoded; never a pickle). Its
name hashes everything the result depends on besides the other files the checker read:

- the file's path as given, its absolute path, the project it may read from (`--root`), and its
  text;
- policyc's own code (the compiler fingerprint, and the command's modules the caller names:
  the messages and their layout are made there), the Python version;
- the language of the messages (they are translated), and the options (`--strict`, `--format`,
  `--coverage`).

The entry records every other file the checker read (path, BLAKE2b-256, as files.recording_reads
notes them: the unit registry, the received text, policies referred to), and a hit requires
each to hash the same now. A result is any JSON value; the caller gives it its shape.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from policyc.compiler import cache
from policyc.compiler.files import Dependency, digest_of
from policyc.compiler.i18n import language

_FORMAT = 1


@functools.cache
def code_digest(code: tuple[Path, ...]) -> bytes:
    """policyc's own code (the compiler fingerprint) and the files `code`, read once."""
    digest = hashlib.sha256(cache.compiler_fingerprint())
    for file in code:
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.digest()


def result_key(path: Path, text: str, options: Sequence[str], code: tuple[Path, ...] = ()) -> str:
    """The entry's name for `path` holding `text`, checked with `options` (words the caller
    chooses, in a fixed order) by policyc with its own code plus the files `code`."""
    from policyc.compiler.project import project_folder

    digest = hashlib.sha256(f"policyc check {_FORMAT}\n".encode())
    digest.update(code_digest(code))
    digest.update(cache.python_tag().encode() + b"\0")
    digest.update(language().encode() + b"\0")
    digest.update("\0".join(options).encode() + b"\0\0")
    digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(project_folder(path).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return "check-" + digest.hexdigest()


class Digests:
    """Each file's digest now, computed once per run (a registry many policies load)."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        if path not in self.known:
            self.known[path] = digest_of(Path(path))
        return self.known[path]


def load(key: str, digests: Digests) -> Any | None:
    """The result kept under `key`, or None: absent, not authentic, not plain JSON, or a file
    the checker read then hashes differently now."""
    body = cache.load_entry(key)
    if body is None:
        return None
    try:
        entry = json.loads(body.decode("utf-8"))
        dependencies = entry["read"]
        for path, digest in dependencies:
            if digests(str(path)) != digest:
                return None
        return entry["result"]
    except (ValueError, TypeError, KeyError):
        return None  # authentic but of another shape: checked afresh


def store(key: str, result: Any, dependencies: Sequence[Dependency]) -> None:
    """Keep `result` (JSON data) under `key` with the files the checker read; a cache that
    cannot be written only costs time."""
    try:  # ASCII: a file name that is not UTF-8 (surrogate escapes) is kept as \u escapes
        body = json.dumps({"read": sorted(set(dependencies)), "result": result})
    except (TypeError, ValueError):
        return
    cache.store_entry(key, body.encode("ascii"))
