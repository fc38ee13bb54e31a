"""Each YAML case file's parse kept by its content, as each policy's is (issue 16).

Importing PyYAML compiles a dozen regular expressions: it cost a warm `run` more than reading
the cached policy, evaluating the case and writing the answer together. A YAML case that parsed
cleanly is kept in the private cache (compiler/cache.py: a 0700 folder, each entry authenticated
by this user's key before it is read) as plain data that `marshal` holds, keyed by the file's
name and text, this module's and case_files.py's own files and PyYAML's (their size, inode and
times, as the compiler's fingerprint): a case run again — the answer, then `--all`, `--explain`,
another `--reading` or `--on` — is read back without YAML. A case never seen, changed by a
byte, or with a problem to report is parsed by PyYAML as before; its problems are never kept.

Encoding of a Node: (value, line, column, text), the path being the file's; a value is a str,
bool or None as itself, ("m", ((key, node), …)) for a mapping, ("l", (node, …)) for a list,
("d", text) for a Decimal and ("t", ISO text) for a date.
"""

from __future__ import annotations

import marshal
import os
import sys
from datetime import date
from decimal import Decimal

from policyc.compiler import cache
from policyc.compiler.digests import sha256

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

    from policyc.case_files import Node

_FORMAT = b"policyc-case-1"
_MOST_NODES = 100_000  # a case this large is parsed each time (a case file holds at most 5 MB)


def _code_signature() -> bytes:
    """What the parse depends on besides the text: the reading code and PyYAML, by file."""
    files = [__file__, os.path.join(os.path.dirname(__file__), "case_files.py")]
    origin = _origin("yaml")
    if origin:
        files.append(origin)
    parts = []
    for name in files:
        try:
            info = os.stat(name)
        except OSError:
            parts.append(f"{name} missing")
            continue
        parts.append(f"{name} {info.st_size} {info.st_ino} {info.st_mtime_ns} {info.st_ctime_ns}")
    return "\n".join(parts).encode("utf-8", "surrogateescape")


def _origin(module: str) -> str | None:
    """The file a top-level `module` would be imported from, as importlib.util.find_spec's
    `origin` (the finders asked in turn), without importing it or importlib.util (issue 16)."""
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        spec = find(module, None) if find is not None else None
        if spec is not None:
            return spec.origin  # type: ignore[no-any-return]
    return None


def _name(text: str, path: str) -> str:
    digest = sha256(_FORMAT + b"\0" + _code_signature() + b"\0")
    digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return "case-" + digest.hexdigest()


def load(text: str, path: str) -> Node | None:
    """The parse of the YAML case `text` read from `path`, when the cache holds it."""
    name = _name(text, path)
    body = cache.load_entry(name)
    if body is None:
        return None
    try:
        return _decode(marshal.loads(body), path)
    except (EOFError, ValueError, TypeError, IndexError, KeyError, ArithmeticError):
        return None  # authentic but not of this format: parse again


def store(text: str, path: str, node: Node) -> None:
    """Keep the parse of a YAML case that read without a problem. A case whose anchors share a
    part (`*a`) is not kept: written out, nine levels of ten references are a billion values."""
    if cache.cache_dir() is None:
        return  # caching is off: nothing to encode
    try:
        body = marshal.dumps(_encode(node, set()))
    except (ValueError, TypeError, _Shared):
        return
    cache.store_entry(_name(text, path), body)


class _Shared(Exception):
    """A node reached twice (a YAML alias): the case is parsed again each time instead."""


def _encode(node: Node, seen: set[int]) -> tuple[Any, ...]:
    if id(node) in seen or len(seen) > _MOST_NODES:
        raise _Shared
    seen.add(id(node))
    return (_encode_value(node.value, seen), node.where.line, node.where.column, node.text)


def _encode_value(value: Any, seen: set[int]) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Decimal):
        return ("d", str(value))
    if isinstance(value, date):
        return ("t", value.isoformat())
    if isinstance(value, dict):
        return ("m", tuple((key, _encode(item, seen)) for key, item in value.items()))
    if isinstance(value, list):
        return ("l", tuple(_encode(item, seen) for item in value))
    raise TypeError(type(value))  # not a value a case file holds: not kept


def _decode(data: Any, path: str) -> Node:
    from policyc.case_files import Node, Where

    def node(encoded: Any) -> Node:
        value, line, column, text = encoded
        if not (isinstance(line, int) and isinstance(column, int)):
            raise TypeError(line, column)
        if text is not None and not isinstance(text, str):
            raise TypeError(text)
        return Node(decode(value), Where(path, line, column), text)

    def decode(value: Any) -> Any:
        if value is None or isinstance(value, bool | str):
            return value
        tag, content = value
        if tag == "d":
            return Decimal(content)
        if tag == "t":
            return date.fromisoformat(content)
        if tag == "m":
            return {str(key): node(item) for key, item in content}
        if tag == "l":
            return [node(item) for item in content]
        raise ValueError(tag)  # not of this format: the entry is parsed again

    return node(data)
