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

A case file belongs to a project too (`case_project`, for `policyc test CASE` naming no policy):
the folder given with `--root`; else the folder holding the `examples/` folder the case lies
under (`examples/<name>/` holds the cases of that project's `<name>.policy`); else the nearest
folder at or above the case's folder that holds a `policies/` folder or a `*.policy` file (a
drafter's own folder of `water.policy`, `units.policy` and `cases/`); else the current folder.
A project's policies (`project_policies`) are those in its `policies/` folder, else those lying
in the project folder itself — so that a policy outside any `policies/` folder and the cases in
its folder's `examples/<name>/` have the same project, whichever command reads them.

A name is refused when it is absolute, holds a NUL, or — once `..` and every symbolic link are
resolved (`Path.resolve`) — is not under the project's resolved folder. The caller reads the
resolved path it is given, never the name again, so a link swapped in after the check is not
followed to another place.

A project's policies are also told apart by their 文号: `run`'s `policy:` key, the service's
summaries, the site's pages and `duties` name a document by it, so two files restating one 文号
would be mixed up or one of them dropped. `same_number_errors` finds them (an error at the later
file's 文号, naming the first file and line); `check` over several files reports them, and
`serve` and `docs` refuse to start through `refuse_same_numbers`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

from policyc.compiler.errors_base import InputError
from policyc.compiler.i18n import _

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from pathlib import Path

    from policyc.compiler.errors import Diagnostic, Span
    from policyc.compiler.files import StrPath
    from policyc.compiler.nodes import Header
# pathlib (with fnmatch, urllib.parse and ipaddress behind it) is imported by the functions that
# hand a Path out: a warm `run` calls only `confined_to` and `project_folder` (issue 16).

__all__ = [
    "PathRefused",
    "case_project",
    "confined_to",
    "named_file",
    "project_folder",
    "project_policies",
    "project_root",
    "refuse_same_numbers",
    "root_reason",
    "same_number_errors",
]

PROJECT_MARKER = "policies"  # the folder a project keeps its policy files in
EXAMPLES = "examples"  # the folder a project keeps its example cases in, one folder a policy

_ROOT: ContextVar[str | None] = ContextVar("policyc_project_root", default=None)  # resolved


class PathRefused(ValueError):
    """A file name a policy may not read; the message says why and what is allowed."""


@contextlib.contextmanager
def confined_to(root: StrPath | None) -> Iterator[None]:
    """Within the block, every policy's project is `root` (None: found from each policy file).

    Raises InputError when `root` is not an existing folder."""
    if root is None:
        yield
        return
    if not os.path.isdir(root):
        raise InputError(_("--root {root}: not a folder").format(root=root))
    token = _ROOT.set(os.path.realpath(root))  # as Path.resolve, which calls it
    try:
        yield
    finally:
        _ROOT.reset(token)


def project_folder(policy_path: StrPath) -> str:
    """`project_root(policy_path)` as a str, found without pathlib (a warm `run`'s cache key)."""
    given = _ROOT.get()
    if given is not None:
        return given
    folder = above = os.path.dirname(os.path.abspath(policy_path))
    while True:  # the folder and each folder above it, as Path.parents lists them
        if os.path.basename(above) == PROJECT_MARKER:
            return os.path.realpath(os.path.dirname(above))
        parent = os.path.dirname(above)
        if parent == above:
            return os.path.realpath(folder)
        above = parent


def project_root(policy_path: StrPath) -> Path:
    """The resolved folder every file `policy_path` names must lie in (see the module doc)."""
    from pathlib import Path

    return Path(project_folder(policy_path))


def root_given() -> Path | None:
    """The resolved `--root DIR` of the command running, else None."""
    from pathlib import Path

    given = _ROOT.get()
    return None if given is None else Path(given)


def root_reason(policy_path: Path, shown: str = "") -> str:
    """Why `project_root(policy_path)` is the project, for a message: `given with --root`, `the
    folder above the policies/ folder … lies in`, or `the folder of …, which lies in no
    policies/ folder`. `shown` names the policy in it (default: `policy_path`)."""
    from pathlib import Path

    if _ROOT.get() is not None:
        return _("given with --root")
    name = shown or str(policy_path)
    folder = Path(os.path.abspath(policy_path)).parent
    for above in (folder, *folder.parents):
        if above.name == PROJECT_MARKER:
            return _("the folder above the policies/ folder {policy} lies in").format(policy=name)
    return _("the folder of {policy}, which lies in no policies/ folder").format(policy=name)


def case_project(case: Path) -> tuple[Path, str]:
    """The project of a case file or folder of cases (see the module doc) and why it is, for
    a message: (resolved folder, reason)."""
    from pathlib import Path

    given = _ROOT.get()
    if given is not None:
        return Path(given), _("given with --root")
    start = Path(os.path.abspath(case if case.is_dir() else case.parent))
    for folder in (start, *start.parents):
        if folder.parent.name == EXAMPLES:
            return folder.parent.parent.resolve(), _(
                "the folder holding the examples/ folder the case lies in"
            )
    for folder in (start, *start.parents):
        if (folder / PROJECT_MARKER).is_dir():
            return folder.resolve(), _(
                "the nearest folder above the case that holds a policies/ folder"
            )
        if any(p.is_file() for p in folder.glob("*.policy")):
            return folder.resolve(), _(
                "the nearest folder above the case that holds a .policy file"
            )
    return Path.cwd().resolve(), _(
        "the current folder: no folder above the case holds a policies/ folder or a .policy file"
    )


def project_policies(project: Path) -> list[Path]:
    """The policy files of `project`: those in its `policies/` folder, else those in the
    project folder itself, in name order."""
    folder = project / PROJECT_MARKER
    if not folder.is_dir():
        folder = project
    return sorted(p for p in folder.glob("*.policy") if p.is_file())


def named_file(policy_path: Path, written: str, what: str) -> Path:
    """The resolved path of the file a policy names as `written` (relative to the policy file).

    `what` is the header field, for the message (`source`, `units from`). Raises PathRefused
    naming the field and what is allowed; nothing is read here."""
    from pathlib import Path, PurePosixPath, PureWindowsPath

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
                "`{what}` names a file outside the policy's project `{root}` ({why}); expected "
                "{allowed}, or give the project with --root DIR"
            ).format(what=what, root=root, why=root_reason(policy_path), allowed=allowed)
        )
    return target


def same_number_errors(numbers: Iterable[tuple[str, Span]]) -> list[Diagnostic]:
    """One error per 文号 already written by an earlier file of `numbers` ((文号, where it is
    written), in the order the files were read), at the later one, naming the first's file and
    line. A file seen twice (the same path) is not a clash."""
    from policyc.compiler.errors import Diagnostic

    first: dict[str, Span] = {}
    errors: list[Diagnostic] = []
    for number, span in numbers:
        seen = first.setdefault(number, span)
        if seen is span or seen.file == span.file:
            continue
        errors.append(
            Diagnostic(
                span,
                _(
                    "文号 “{number}” is already the 文号 of {file}:{line}: two policy files "
                    "restate the same document, and `run`, the site, the service and `duties` "
                    "would mix them up"
                ).format(number=number, file=seen.file, line=seen.line),
                _("one policy file per 文号: merge the two files, or correct this 文号"),
            )
        )
    return errors


def refuse_same_numbers(headers: Iterable[tuple[Header, str]]) -> None:
    """Raise PolicyError (with `same_number_errors`' messages) when two of the policies share a
    文号; `headers` holds each policy's header and its file's text, in file order."""
    from policyc.compiler.errors import PolicyError

    listed = list(headers)
    errors = same_number_errors((header.number, header.number_span) for header, _text in listed)
    if errors:
        texts = {header.number_span.file: text for header, text in listed}
        raise PolicyError(errors, texts)
