"""A policy's AST as plain data that `marshal` can hold, and back: for the parse cache.

`policyc check` parses every file on every run; Lark's lexer and parser are most of its time.
The parser keeps each file's AST in the private cache (compiler/cache.py), keyed by the file's
name and text and the compiler's own code. An entry is authenticated before it is unmarshalled,
and even then it can only name classes of the AST (`compiler/nodes.py`, `node_exprs.py`,
`node_rules.py`, and `Span`): no pickle, nothing that runs code.

Encoding: every tuple in the output is tagged — ("n", class name, field values) for an attrs
node, ("t", items) for a tuple, ("l", items) for a list, ("d", pairs) for a dict, ("D", ordinal)
for a date — and str, int, bool and None stand for themselves.
"""

from __future__ import annotations

import datetime
from typing import Any

import attrs

from policyc.compiler import node_exprs, node_rules, nodes
from policyc.compiler.errors import Span
from policyc.compiler.i18n import _

# The only classes an entry may name: those the AST's modules define (nodes.py names them all).
_AST_MODULES = frozenset((nodes.__name__, node_exprs.__name__, node_rules.__name__))
_CLASSES: dict[str, type] = {
    name: cls
    for name, cls in vars(nodes).items()
    if isinstance(cls, type) and attrs.has(cls) and cls.__module__ in _AST_MODULES
}
_CLASSES["Span"] = Span
_FIELD_NAMES = {cls: tuple(f.name for f in attrs.fields(cls)) for cls in _CLASSES.values()}
_new = object.__new__
_set = object.__setattr__


class NotPlainData(ValueError):
    """A value the encoding does not hold (the AST is then not cached)."""


def encode(value: Any) -> Any:
    """`value` (an AST node, or anything inside one) as marshal-able plain data."""
    kind = type(value)
    if value is None or kind in (str, int, bool):
        return value
    if kind is tuple:
        return ("t", tuple(encode(v) for v in value))
    if kind is list:
        return ("l", tuple(encode(v) for v in value))
    if kind is dict:
        return ("d", tuple((encode(k), encode(v)) for k, v in value.items()))
    if kind is datetime.date:
        return ("D", value.toordinal())
    name = kind.__name__
    if _CLASSES.get(name) is kind:
        return ("n", name, tuple(encode(getattr(value, f.name)) for f in attrs.fields(kind)))
    raise NotPlainData(f"cannot keep a {name} in the parse cache")


def decode(data: Any) -> Any:
    """The value `encode` was given; raises ValueError for data it did not write."""
    kind = type(data)
    if data is None or kind is str or kind is int or kind is bool:
        return data
    if kind is not tuple or not data:
        raise ValueError(_("not an encoded AST"))
    tag = data[0]
    # `map` rather than a generator: a file's AST is some ten thousand nodes, decoded on every
    # `policyc check` of an unchanged file.
    if tag == "n":
        cls = _CLASSES.get(data[1])
        if cls is None:
            raise ValueError(_("not an AST class: {data_1!r}").format(data_1=data[1]))
        names = _FIELD_NAMES[cls]
        values = data[2]
        if len(names) != len(values):
            raise ValueError(
                _("{data_1} has {len_names} fields").format(
                    data_1=data[1],
                    len_names=len(names),
                )
            )
        # Set field by field, as unpickling does: the entry is authenticated and was written
        # from a node that had passed its validators.
        node: Any = _new(cls)
        for name, value in zip(names, map(decode, values), strict=True):
            _set(node, name, value)
        return node
    if tag == "t":
        return tuple(map(decode, data[1]))
    if tag == "l":
        return list(map(decode, data[1]))
    if tag == "d":
        return {decode(k): decode(v) for k, v in data[1]}
    if tag == "D":
        return datetime.date.fromordinal(data[1])
    raise ValueError(_("unknown tag {tag!r}").format(tag=tag))
