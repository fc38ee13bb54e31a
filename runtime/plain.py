"""Plain value classes for what `policyc run` imports: no attrs, built in microseconds.

Importing attrs, and building a class with it, cost a warm `policyc run` more than everything it
evaluates (issue 16); the classes the run path loads are written out by hand on this base
instead. A subclass names its fields in `_fields` (their order is the constructor's and
`__reduce__`'s; `__slots__ = _fields`), sets them in its own `__init__` with `_set`, and gets
what `attrs.frozen` gave it: equality and hash over the fields (only with an object of the
very same class), a repr naming them, fields that cannot be set or deleted (AttributeError),
pickling, and `evolve`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any


_set = object.__setattr__


class _Fields:
    """What both kinds of record share: equality over the fields (only with an object of the
    very same class), a repr naming them, pickling by the fields in order."""

    __slots__ = ("__weakref__",)  # as attrs' slotted classes, weakly referable
    _fields: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._fields)

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{self.__class__.__name__}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, tuple(getattr(self, f) for f in self._fields))


class Frozen(_Fields):
    """An immutable record of the fields its subclass lists in `_fields`."""

    __slots__ = ()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, *(getattr(self, f) for f in self._fields)))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self.__class__.__name__} is immutable (tried to set {name})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{self.__class__.__name__} is immutable (tried to delete {name})")

    def evolve(self, **changes: Any) -> Any:
        """A copy with `changes` (field name → value), as `attrs.evolve` makes one."""
        fields = {f: getattr(self, f) for f in self._fields}
        unknown = set(changes) - set(fields)
        if unknown:
            raise TypeError(f"{self.__class__.__name__} has no field {sorted(unknown)[0]}")
        fields.update(changes)
        return self.__class__(*fields.values())


class Record(_Fields):
    """A mutable record (`attrs.define`): equality over the fields, unhashable, a repr."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]
