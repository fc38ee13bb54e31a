"""Where a policy may read: the files its header names stay inside the policy's project.

A policy file is untrusted text (a contributor's pull request, a drafter's upload), yet its
header names files that `check` reads and `docs` publishes: `source "…"` (the received text,
printed by `check --coverage` and put on the site's gazette page) and `units from "…"` (the
registry, whose first line a syntax error prints). So every such name is resolved here, once,
and refused unless it lands inside the policy's *project*:

- the folder given with `--root DIR` (`confined_to`), when there is one; else
- the folder that holds the nearest `policies/` folder above the policy file (for
  `repo/policies/x.policy`, `repo/`: the policies share `repo/sources/` and the registry);
- else, for a policy outside any `policies/` folder, the policy file's own folder.

A name is refused when it is absolute, holds a NUL, or — once `..` and every symbolic link are
resolved (`Path.resolve`) — is not under the project's resolved folder. The caller reads the
resolved path it is given, never the name again, so a link swapped in after the check is not
followed to another place.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path, PurePosixPath, PureWindowsPath

from policyc.compiler.errors_base import InputError
from policyc.compiler.i18n import _

__all__ = ["PathRefused", "confined_to", "named_file", "project_root"]

PROJECT_MARKER = "policies"  # the folder a project keeps its policy files in

_ROOT: ContextVar[Path | None] = ContextVar("policyc_project_root", default=None)


class PathRefused(ValueError):
    """A file name a policy may not read; the message says why and what is allowed."""


@contextlib.contextmanager
def confined_to(root: Path | None) -> Iterator[None]:
    """Within the block, every policy's project is `root` (None: found from each policy file).

    Raises InputError when `root` is not an existing folder."""
    if root is None:
        yield
        return
    if not root.is_dir():
        raise InputError(_("--root {root}: not a folder").format(root=root))
    token = _ROOT.set(root.resolve())
    try:
        yield
    finally:
        _ROOT.reset(token)


def project_root(policy_path: Path) -> Path:
    """The resolved folder every file `policy_path` names must lie in (see the module doc)."""
    given = _ROOT.get()
    if given is not None:
        return given
    folder = Path(os.path.abspath(policy_path)).parent
    for above in (folder, *folder.parents):
        if above.name == PROJECT_MARKER:
            return above.parent.resolve()
    return folder.resolve()


def named_file(policy_path: Path, written: str, what: str) -> Path:
    """The resolved path of the file a policy names as `written` (relative to the policy file).

    `what` is the header field, for the message (`source`, `units from`). Raises PathRefused
    naming the field and what is allowed; nothing is read here."""
    allowed = _(
        "a path relative to the policy file that stays inside the policy's project "
        "(no absolute path, no `..` or symbolic link leading out)"
    )
    if "\x00" in written:
        raise PathRefused(
            _("`{what}` names a file with a NUL character in it; expected {allowed}").format(
                what=what,
                allowed=allowed,
            )
        )
    if (
        PurePosixPath(written).is_absolute()
        or PureWindowsPath(written).is_absolute()
        or (PureWindowsPath(written).drive)
    ):
        raise PathRefused(
            _("`{what}` names an absolute path; expected {allowed}").format(
                what=what,
                allowed=allowed,
            )
        )
    root = project_root(policy_path)
    try:
        target = (Path(os.path.abspath(policy_path)).parent / written).resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise PathRefused(
            _("`{what}` names a file that cannot be resolved; expected {allowed}").format(
                what=what,
                allowed=allowed,
            )
        ) from None
    if not target.is_relative_to(root):
        raise PathRefused(
            _(
                "`{what}` names a file outside the policy's project `{root}`; expected {allowed}, "
                "or give the project with --root DIR"
            ).format(what=what, root=root, allowed=allowed)
        )
    return target
