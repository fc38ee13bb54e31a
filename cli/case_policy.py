"""Which policy a case is for, when `policyc test CASE…` names no policy.

A case says it in one of two ways, tried in this order:

- where it lies: a case under `examples/<name>/` is for `policies/<name>.policy` of the same
  project (the folder holding both `examples/` and `policies/`);
- what it says: its `policy:` key (the 文号, `天政发〔2023〕1号`) is the `policy "…"` of one
  policy file under the project's `policies/` folder (the nearest one above the case, else the
  current folder's).

When neither finds exactly one policy, the error says what to write.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from policyc.compiler.errors import InputError, PolicyError
from policyc.compiler.i18n import _

CASE_SUFFIXES = (".yaml", ".yml", ".json")


def names_cases(path: Path) -> bool:
    """Whether `policyc test PATH` names a case (or a folder of cases) rather than a policy."""
    if path.is_dir():
        return not any(path.glob("*.policy"))
    return path.suffix.lower() in CASE_SUFFIXES


def policies_for(paths: Sequence[Path]) -> list[tuple[Path, list[Path]]]:
    """(policy file, its cases) for each policy the cases at `paths` name, in the order first
    named; a folder is one path (its cases are for one policy). Raises InputError saying what
    to write when a case names no policy, or one that no file holds."""
    found: dict[Path, list[Path]] = {}
    for path in paths:
        if not path.exists():
            raise InputError(_("{path}: no such file or folder").format(path=path))
        found.setdefault(policy_of(path), []).append(path)
    return list(found.items())


def policy_of(case: Path) -> Path:
    """The policy file `case` (a case file or a folder of them) is for; see the module doc."""
    by_place = _by_place(case)
    if by_place is not None:
        return by_place
    number = _policy_key(case)
    policies = _project_policies(case)
    if number:
        matching = [p for p in policies if _number_of(p) == number]
        if len(matching) == 1:
            return matching[0]
        if len(matching) > 1:
            listed = ", ".join(map(str, matching))
            raise InputError(
                _("{case}: `policy: {number}` is the 文号 of {listed}; {write}").format(
                    case=case, number=number, listed=listed, write=_write(case)
                )
            )
        where = policies[0].parent if policies else Path("policies")
        raise InputError(
            _("{case}: no policy under {where} is `{number}`; {write}").format(
                case=case, where=where, number=number, write=_write(case)
            )
        )
    raise InputError(
        _("{case}: which policy is it for? {write}").format(case=case, write=_write(case))
    )


def _write(case: Path) -> str:
    return _(
        "write `policyc test POLICY {case}`, or put the case under examples/<policy file "
        "name>/, or give it a `policy:` key with the policy's 文号"
    ).format(case=case)


def _by_place(case: Path) -> Path | None:
    """`policies/<name>.policy` for a case anywhere below `examples/<name>/`."""
    start = (case if case.is_dir() else case.parent).resolve()
    for folder in (start, *start.parents):
        if folder.parent.name == "examples":
            policy = folder.parent.parent / "policies" / f"{folder.name}.policy"
            return _shown(policy) if policy.is_file() else None
    return None


def _policy_key(case: Path) -> str:
    """The `policy:` of the case file (the first case file of a folder), or ""."""
    from policyc.cases import read_case_file

    files = [case]
    if case.is_dir():
        files = sorted(f for f in case.iterdir() if f.suffix.lower() in CASE_SUFFIXES)
    for file in files[:1]:
        with contextlib.suppress(InputError):  # its problems are `test`'s to report
            node = read_case_file(file)
            if isinstance(node.value, dict) and "policy" in node.value:
                return str(node.value["policy"].value)
    return ""


def _project_policies(case: Path) -> list[Path]:
    start = (case if case.is_dir() else case.parent).resolve()
    for folder in (start, *start.parents):
        if (folder / "policies").is_dir():
            return sorted(_shown(p) for p in (folder / "policies").glob("*.policy"))
    return sorted(Path("policies").glob("*.policy"))


def _number_of(policy: Path) -> str:
    from policyc.compiler.parser import parse
    from policyc.compiler.pipeline import read_source

    with contextlib.suppress(InputError, PolicyError):
        header = parse(read_source(policy), str(policy)).header
        return header.number if header is not None else ""
    return ""


def _shown(path: Path) -> Path:
    """`path` relative to the current folder when it lies below it (as messages name files)."""
    with contextlib.suppress(ValueError):
        return path.resolve().relative_to(Path.cwd().resolve())
    return path
