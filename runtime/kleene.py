"""Three-valued logic over plain values, for the fast path's generated code
(compiler/fastpath.py): True, False or an `Unknown`, with the traced path's results (`Ctx.all`,
`Ctx.any`, `Ctx.not_`) without its lambdas. Re-exported by runtime/evaluation.py, whose
`__all__` generated modules import.
"""

from __future__ import annotations

from collections.abc import Mapping

from policyc.runtime.results import Unknown

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any, TypeAlias

Value: TypeAlias = "Any"


def missing_of(
    inputs: Mapping[str, Value], names: tuple[str, ...], found: Unknown | None
) -> Unknown | None:
    """The fast path's unknown (compiler/fastpath.py): the inputs among `names` the case does
    not give, merged after `found` as `unknown()` merges; `found` when it gives them all."""
    for name in names:  # the usual answer, every one given, without building a tuple
        if name not in inputs:
            break
    else:
        return found
    gone = tuple(name for name in names if name not in inputs)
    if found is None:
        return Unknown(gone)
    return Unknown(tuple(dict.fromkeys(found.names + gone)))


def k_all(values: tuple[bool | Unknown, ...]) -> bool | Unknown:
    found: Unknown | None = None
    for value in values:
        if value is False:
            return False
        if value is not True:
            found = k_merge(found, value)
    return True if found is None else found


def k_any(values: tuple[bool | Unknown, ...]) -> bool | Unknown:
    found: Unknown | None = None
    for value in values:
        if value is True:
            return True
        if value is not False:
            found = k_merge(found, value)
    return False if found is None else found


def k_not(value: bool | Unknown) -> bool | Unknown:
    return value if value.__class__ is Unknown else not value


def k_merge(found: Unknown | None, value: Unknown) -> Unknown:
    """`value` after `found`, as `unknown()` merges them."""
    if found is None or found.names == value.names:
        return value if found is None else found
    return Unknown(tuple(dict.fromkeys(found.names + value.names)))


class _StillUnknown(Exception):
    """A three-valued define was unknown where the fast path needs a plain value."""


def known(value: Value) -> Value:
    if value.__class__ is Unknown:
        raise _StillUnknown(value)
    return value
