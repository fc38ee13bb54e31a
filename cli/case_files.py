"""Case files read safely (YAML or JSON), every value with the place it was written.

`read_case_file(path)` and `read_case_text(text, name, as_json)` return a `Node` tree (numbers as
exact Decimal from their text, never float; dates as dates; YAML's aliases converted once);
they raise InputError for what is not a readable case (a folder, a file over `MAX_CASE_BYTES`,
not UTF-8, invalid syntax, nesting past `MAX_DEPTH`, NaN) and `DuplicateKeys` (a ProblemsError
carrying the tree read with each key's first value) for keys written twice. `read_json_data`
reads a JSON body as plain data by the C parser, falling back to the locating reader only for
a body with a problem to report; `plain_data` / `wrap_plain` convert between the two shapes.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from policyc.compiler.errors_base import InputError
from policyc.compiler.i18n import _, json_reason
from policyc.problems import Problem, ProblemsError
from policyc.runtime.dates import parse_iso_date
from policyc.runtime.plain import Frozen, _set

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, TypeAlias

    import yaml

    from policyc.compiler.files import StrPath

# json and yaml are imported where a case is read in their format: a `run` of a JSON case never
# imports yaml, whose import costs more than the rest of reading a case (issue 16).

MAX_CASE_BYTES = 5_000_000
MAX_DEPTH = 32


class Where(Frozen):
    """A place in a case file, for messages."""

    _fields = ("path", "line", "column")
    __slots__ = _fields

    path: str
    line: int
    column: int

    def __init__(self, path: str, line: int = 0, column: int = 0):
        _set(self, "path", path)
        _set(self, "line", line)
        _set(self, "column", column)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}" if self.line else self.path

    def problem(self, message: str, field: str | None = None) -> Problem:
        return Problem(message, self.path, self.line or None, self.column or None, field)


class Node(Frozen):
    """A case-file value with where it was written."""

    _fields = ("value", "where", "text")
    __slots__ = _fields

    value: Any  # str | Decimal | bool | date | None | list[Node] | dict[str, Node]
    where: Where
    # An unquoted scalar's text as written (a YAML plain scalar, a CSV cell), which an input of
    # an enum reads as a member when YAML's type for it does not fit (`yes`, `12`); else None.
    text: str | None

    def __init__(self, value: Any, where: Where, text: str | None = None):
        _set(self, "value", value)
        _set(self, "where", where)
        _set(self, "text", text)


def read_case_file(path: StrPath, remember: bool = False) -> Node:
    """The parsed file as `Node`s; raises InputError for anything that is not a readable case.
    With `remember` (`run`'s one case), a YAML case that reads cleanly is kept in the private
    cache by its name and text, and read back from it unchanged (case_cache.py)."""
    try:
        if os.path.isdir(path):  # os.path: a warm `run` imports no pathlib (issue 16)
            raise InputError(
                _("{path}: is a folder, expected a case file (.yaml or .json)").format(
                    path=path,
                )
            )
        if os.path.exists(path) and not os.path.isfile(path):
            raise InputError(
                _("{path}: not a regular file, expected a case file (.yaml or .json)").format(
                    path=path,
                )
            )
        size = os.stat(path).st_size
        if size > MAX_CASE_BYTES:
            raise InputError(
                _("{path}: {size} bytes is too large for a case file").format(
                    path=path,
                    size=size,
                )
            )
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise InputError(_("{path}: no such file").format(path=path)) from None
    except OSError as exc:
        raise InputError(
            _("{path}: cannot read ({exc_strerror})").format(
                path=path,
                exc_strerror=exc.strerror,
            )
        ) from None
    text = utf8_text(raw, str(path))
    as_json = os.path.splitext(path)[1].lower() == ".json"
    if remember and not as_json:
        from policyc import case_cache

        found = case_cache.load(text, str(path))
        if found is not None:
            return found
        node = read_case_text(text, str(path), as_json)
        case_cache.store(text, str(path), node)
        return node
    return read_case_text(text, str(path), as_json)


class _Offsets:
    """Line and column (1-based, in characters) of an offset into a text."""

    def __init__(self, text: str):
        self.starts = [0]
        at = text.find("\n")
        while at != -1:
            self.starts.append(at + 1)
            at = text.find("\n", at + 1)

    def where(self, path: str, offset: int) -> Where:
        line = bisect_right(self.starts, offset)
        return Where(path, line, offset - self.starts[line - 1] + 1)


class _JsonObject(Frozen):
    """A JSON object as parsed: its pairs in order and each key's offset."""

    _fields = ("pairs", "key_offsets")
    __slots__ = _fields

    pairs: list[tuple[str, Any]]
    key_offsets: list[int]

    def __init__(self, pairs: list[tuple[str, Any]], key_offsets: list[int]):
        _set(self, "pairs", pairs)
        _set(self, "key_offsets", key_offsets)


class _JsonArray(Frozen):
    _fields = ("items", "offsets")
    __slots__ = _fields
    items: list[Any]
    offsets: list[int]

    def __init__(self, items: list[Any], offsets: list[int]):
        _set(self, "items", items)
        _set(self, "offsets", offsets)


_Scan: TypeAlias = "Callable[[str, int], tuple[Any, int]]"


def _recording(scan_once: _Scan, spans: list[tuple[int, int]]) -> _Scan:
    """`scan_once` that notes where each value it reads starts and ends."""

    def scan(text: str, index: int) -> tuple[Any, int]:
        value, end = scan_once(text, index)
        spans.append((index, end))
        return value, end

    return scan


def _located_object(
    text_and_end: tuple[str, int],
    strict: bool,
    scan_once: _Scan,
    object_hook: Any,
    object_pairs_hook: Any,
    memo: dict[str, str] | None = None,
) -> tuple[_JsonObject, int]:
    # The standard library's object parser, with each member value's span noted: a member's
    # key is the first `"` after the previous member (only `,` and whitespace lie between),
    # which places every key without a JSON parser of our own.
    import json.decoder

    text, start = text_and_end
    spans: list[tuple[int, int]] = []
    pairs, end = json.decoder.JSONObject(  # type: ignore[attr-defined]
        (text, start), strict, _recording(scan_once, spans), None, list, memo
    )
    key_offsets: list[int] = []
    boundary = start
    for value_start, value_end in spans:
        key_offsets.append(text.index('"', boundary, value_start))
        boundary = value_end
    return _JsonObject(pairs, key_offsets), end


def _located_array(text_and_end: tuple[str, int], scan_once: _Scan) -> tuple[_JsonArray, int]:
    import json.decoder

    text, start = text_and_end
    spans: list[tuple[int, int]] = []
    items, end = json.decoder.JSONArray(  # type: ignore[attr-defined]
        (text, start), _recording(scan_once, spans)
    )
    return _JsonArray(items, [value_start for value_start, _ in spans]), end


def from_json(text: str, path: str) -> Node:
    import json
    import json.scanner

    def reject(constant: str) -> Any:
        raise InputError(
            _("{path}: `{constant}` is not a number a case may hold").format(
                path=path,
                constant=constant,
            )
        )

    # The pure-Python scanner, because only it lets objects and arrays note their places.
    decoder = json.JSONDecoder(parse_float=Decimal, parse_int=Decimal, parse_constant=reject)
    decoder.parse_object = _located_object  # type: ignore[attr-defined]
    decoder.parse_array = _located_array  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        data = decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            _("{path}:{exc_lineno}:{exc_colno}: invalid JSON: {exc_msg}").format(
                path=path,
                exc_lineno=exc.lineno,
                exc_colno=exc.colno,
                exc_msg=json_reason(exc.msg),
            )
        ) from None
    except RecursionError:
        raise InputError(_("{path}: nested too deeply").format(path=path)) from None
    places = _JsonPlaces(path, _Offsets(text), [])
    first = len(text) - len(text.lstrip())
    root = _wrap_json(data, places.at(first), 0, places)
    if places.duplicates:
        raise DuplicateKeys(places.duplicates, root)
    return root


class DuplicateKeys(ProblemsError):
    """Keys written twice in a case file. `root` is the file read with each key's first value,
    so that `load_case` reports the file's other problems beside these, all at once."""

    def __init__(self, problems: list[Problem], root: Node):
        super().__init__(problems)
        self.root = root


class _JsonPlaces(Frozen):
    _fields = ("path", "offsets", "duplicates")
    __slots__ = _fields
    path: str
    offsets: _Offsets
    duplicates: list[Problem]

    def __init__(self, path: str, offsets: _Offsets, duplicates: list[Problem]):
        _set(self, "path", path)
        _set(self, "offsets", offsets)
        _set(self, "duplicates", duplicates)

    def at(self, offset: int) -> Where:
        return self.offsets.where(self.path, offset)


def _wrap_json(value: Any, where: Where, depth: int, places: _JsonPlaces) -> Node:
    if depth > MAX_DEPTH:
        raise InputError(_("{where}: nested too deeply").format(where=where))
    if isinstance(value, _JsonObject):
        items: dict[str, Node] = {}
        for (key, item), offset in zip(value.pairs, value.key_offsets, strict=True):
            key_where = places.at(offset)
            if key in items:
                places.duplicates.append(_duplicate(key, items[key].where, key_where))
                continue
            # A field's problems are reported where its name is written.
            items[key] = Node(_wrap_json(item, key_where, depth + 1, places).value, key_where)
        return Node(items, where)
    if isinstance(value, _JsonArray):
        return Node(
            [
                _wrap_json(item, places.at(offset), depth + 1, places)
                for item, offset in zip(value.items, value.offsets, strict=True)
            ],
            where,
        )
    return Node(value, where)


def _duplicate(key: str, first: Where, again: Where) -> Problem:
    return again.problem(
        _(
            "`{key}` is written twice, first at {first_line}:{first_column} and again here; "
            "keep one (a case must not say two things about one field)"
        ).format(
            key=key,
            first_line=first.line,
            first_column=first.column,
        ),
        key,
    )


def from_yaml(text: str, path: str) -> Node:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        place = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        raise InputError(
            _("{place}: invalid YAML: {exc_problem}").format(
                place=place,
                exc_problem=exc.problem,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(_("{path}: invalid YAML: {exc}").format(path=path, exc=exc)) from None
    except RecursionError:
        raise InputError(_("{path}: nested too deeply").format(path=path)) from None
    if root is None:
        raise InputError(
            _("{path}: the file is empty; expected a case with `inputs:`").format(
                path=path,
            )
        )
    duplicates: list[Problem] = []
    converted = _convert(root, path, 0, {}, duplicates)
    if duplicates:
        raise DuplicateKeys(duplicates, converted)
    return converted


_BOOLS = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}


def _convert(
    node: yaml.Node, path: str, depth: int, seen: dict[int, Node], duplicates: list[Problem]
) -> Node:
    import yaml

    # Aliases come back as the same node object: convert each once, so that anchors which
    # expand exponentially cost nothing.
    if id(node) in seen:
        return seen[id(node)]
    where = Where(path, node.start_mark.line + 1, node.start_mark.column + 1)
    if depth > MAX_DEPTH:
        raise InputError(_("{where}: nested too deeply").format(where=where))
    result: Node
    if isinstance(node, yaml.MappingNode):
        items: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(_("{where}: a key must be a plain name").format(where=where))
            # A field's problems are reported where its name is written.
            key_where = Where(path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            key = str(key_node.value)
            if key in items:
                duplicates.append(_duplicate(key, items[key].where, key_where))
                continue
            value = _convert(value_node, path, depth + 1, seen, duplicates)
            items[key] = Node(value.value, key_where, value.text)
        result = Node(items, where)
    elif isinstance(node, yaml.SequenceNode):
        result = Node([_convert(v, path, depth + 1, seen, duplicates) for v in node.value], where)
    else:
        plain = isinstance(node, yaml.ScalarNode) and node.style is None
        result = Node(scalar_value(node, where), where, str(node.value) if plain else None)
    seen[id(node)] = result
    return result


def scalar_value(node: yaml.Node, where: Where) -> Any:
    text = str(node.value)
    tag = node.tag.rsplit(":", 1)[-1]
    if tag in ("int", "float"):
        cleaned = text.replace("_", "")
        if cleaned.lower().lstrip("+-") in (".nan", ".inf"):
            raise InputError(
                _("{where}: `{text}` is not a number a case may hold").format(
                    where=where,
                    text=text,
                )
            )
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            return text  # 0x1F and the like: left as text, rejected by the field's check
        return number
    if tag == "bool":
        return _BOOLS.get(text.lower(), text)
    if tag == "null":
        return None
    if tag == "timestamp":
        try:
            return parse_iso_date(text)
        except ValueError:
            return text  # reported by the field that holds it, with the field's name
    return text


def utf8_text(raw: bytes, name: str) -> str:
    """A case's bytes (a file's, an upload's, a request's) as text; InputError naming `name`
    and the offset of the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(name, exc.start) from None


def not_utf8(path: Path) -> InputError:
    """The error for a file of cases read as a UTF-8 text stream that met a byte that is not:
    the stream's UnicodeDecodeError counts from its buffer, not from the file (42,007 in a
    JSON Lines file was `byte 1049`), so the file is read again, in chunks of 64 KiB, for the
    offset of its first bad byte, worded as `utf8_text` words it."""
    import codecs  # only on this error path

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0  # bytes given to the decoder so far
    try:
        with path.open("rb") as handle:
            while True:
                chunk = handle.read(1 << 16)
                held = len(decoder.getstate()[0])  # the last chunk's unfinished character
                try:
                    decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as exc:
                    return _not_utf8(str(path), offset - held + exc.start)
                if not chunk:
                    break
                offset += len(chunk)
    except OSError:
        pass
    return InputError(_("{path}: not UTF-8 text").format(path=path))  # changed since it was read


def _not_utf8(name: str, offset: int) -> InputError:
    return InputError(
        _("{name}: not UTF-8 text (bad byte at offset {exc_start})").format(
            name=name, exc_start=offset
        )
    )


def read_case_text(text: str, name: str, as_json: bool) -> Node:
    """A case's text parsed as `read_case_file` parses a file (JSON or YAML): numbers exact,
    places named after `name`; raises InputError."""
    if len(text.encode("utf-8")) > MAX_CASE_BYTES:
        raise InputError(_("{name}: too large for a case file").format(name=name))
    if not text.strip():
        raise InputError(
            _("{name}: the file is empty; expected a case with `inputs:`").format(
                name=name,
            )
        )
    if as_json:
        return from_json(text, name)
    return from_yaml(text, name)


class _Unplain(Exception):
    """The fast JSON reading met something only the locating reader words well."""


def _pairs_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Unplain
    return found


def _refuse_constant(constant: str) -> Any:
    raise _Unplain


def _shallow(value: Any, depth: int = 0) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, dict):
        return all(_shallow(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return all(_shallow(v, depth + 1) for v in value)
    return True


def read_json_data(text: str, name: str) -> Any:
    """A JSON case (or list of cases) as plain data, exactly `plain_data(read_case_text(text,
    name, as_json=True))`, read by the standard library's C parser: the web service reads
    every body this way. Only a body with a problem to report (invalid JSON, a key written
    twice, NaN, too deep) is read again by the locating reader, for its `line:column`
    messages; raises InputError as `read_case_text` does."""
    # A character is at most 4 bytes in UTF-8: a short text needs no encoding to be measured.
    small = len(text) <= MAX_CASE_BYTES // 4 or len(text.encode("utf-8")) <= MAX_CASE_BYTES
    if small and text.strip():
        try:
            data = _plain_decoder().decode(text)
        except (ValueError, _Unplain, RecursionError):
            pass
        else:
            # Fewer brackets than MAX_DEPTH: nested no deeper, whatever they hold (a bracket
            # inside a string only counts one more); else the nesting is measured.
            if text.count("{") + text.count("[") <= MAX_DEPTH or _shallow(data):
                return data
    return plain_data(read_case_text(text, name, as_json=True))


_DECODER: list[Any] = []  # the decoder read_json_data reads with, made on first use


def _plain_decoder() -> Any:
    """One `json.JSONDecoder` for every body: `json.loads(text, **options)` makes a decoder and
    its C scanner anew for each call, a third of the parse of a case. The scanner keeps no
    state between calls but a cache of keys already read, which it clears after each (shared
    by threads, a cleared cache only reads a key again)."""
    if not _DECODER:
        import json

        _DECODER.append(
            json.JSONDecoder(
                parse_float=Decimal,
                parse_int=Decimal,
                parse_constant=_refuse_constant,
                object_pairs_hook=_pairs_once,
            )
        )
    return _DECODER[0]


def plain_data(node: Node) -> Any:
    """A parsed case as plain data: dicts, lists, Decimal, str, bool, date, None."""
    return _plain(node)


def wrap_plain(value: Any, where: Where, depth: int) -> Node:
    if depth > MAX_DEPTH:
        raise InputError(_("{where}: nested too deeply").format(where=where))
    if isinstance(value, dict):
        return Node({str(k): wrap_plain(v, where, depth + 1) for k, v in value.items()}, where)
    if isinstance(value, list):
        return Node([wrap_plain(v, where, depth + 1) for v in value], where)
    return Node(value, where)


def _plain(node: Node) -> Any:
    if isinstance(node.value, dict):
        return {k: _plain(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [_plain(v) for v in node.value]
    return node.value
