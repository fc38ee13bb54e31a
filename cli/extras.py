"""Optional features and the extra that brings each: one line naming it when it is missing.

The base install (`pip install policyc`) runs check, run, test, docs and duties; anything that
needs more is an extra in `pyproject.toml`, and a command that needs one calls `require` before
importing it, so a user without it reads what to install instead of a traceback.
"""

from __future__ import annotations

from policyc.compiler.errors_base import InputError
from policyc.compiler.i18n import _


class MissingExtra(InputError):
    """A feature's packages are not installed; the message names the extra."""


def require(module: str, extra: str, feature: str) -> None:
    """Raise MissingExtra unless `module` can be imported.

    `feature` names what needs it, as the user typed it (`--cases`, `serve`); `extra` is the
    extra of `pyproject.toml` that installs `module`.
    """
    import importlib.util  # here: a `run` of one case requires nothing (issue 16)

    if importlib.util.find_spec(module) is None:
        raise MissingExtra(
            _(
                "{feature} needs {module}, which the base install does not bring: "
                "pip install 'policyc[{extra}]' (in a checkout: pip install '.[{extra}]')"
            ).format(
                feature=feature,
                module=module,
                extra=extra,
            )
        )
