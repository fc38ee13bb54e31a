"""Which policy a case is for, when `policyc test CASE…` names no policy.

A case says it in one of two ways, tried in this order:

- where it lies: a case under `examples/<name>/` is for `policies/<name>.policy` of the same
  project (the folder holding both `examples/` and `policies/`), else for `<name>.policy` beside
  `examples/` (a drafter's own folder, without `policies/`);
- what it says: its `policy:` key (the 文号, `天政发〔2023〕1号`) is the `policy "…"` of one
  of its project's policies (compiler/project.py `case_project`: `--root`, else the folder
  above `examples/`, else the nearest folder above the case holding `policies/` or a `.policy`
  file, else the current folder; its `policies/*.policy`, else its own `*.policy`).

When neither finds exactly one policy, the error names the project taken and why, and only the
advice the case does not follow already.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from policyc.compiler.errors import InputError, PolicyError
from policyc.compiler.i18n import _
from policyc.compiler.project import (
    EXAMPLES,
    case_project,
    project_policies,
    project_root,
    root_given,
)

CASE_SUFFIXES = (".yaml", ".yml", ".json")


def names_cases(path: Path) -> bool:
    """Whether `policyc test PATH` names a case (or a folder of cases) rather than a policy."""
    if path.is_dir():
        return not any(path.glob("*.policy"))
    return path.suffix.lower() in CASE_SUFFIXES


def test_pairs(policy: Path | None, cases: Sequence[Path]) -> list[tuple[Path, list[Path]]]:
    """(policy file, its case paths) for `policyc test [POLICY] [CASE…]`: without a policy,
    every policy of the project (`--root`, else the current folder: its `policies/*.policy`,
    else its own `*.policy`) that has an `examples/<name>/` folder there; with cases only,
    each case's policy (`policies_for`); with a policy and no case, its project's
    `examples/<name>/` (the folder `policyc docs` takes its worked examples from). Raises
    InputError when there is nothing to test. A folder of policies named alone (`policyc test
    mine/`, a drafter's own project) is that project, tested as without a policy."""
    if policy is not None and not cases and _is_project(policy):
        return _project_pairs(policy.resolve())
    if policy is None:
        return _project_pairs(root_given() or Path.cwd().resolve())
    if names_cases(policy):  # `policyc test CASE…`: each case says its policy
        return policies_for([policy, *cases])
    return [(policy, list(cases) or [_shown(project_root(policy) / EXAMPLES / policy.stem)])]


def _is_project(path: Path) -> bool:
    """A folder holding policies (`*.policy`, or a `policies/` folder), not cases."""
    return path.is_dir() and (any(path.glob("*.policy")) or (path / "policies").is_dir())


def _project_pairs(project: Path) -> list[tuple[Path, list[Path]]]:
    """Each policy of `project` with its `examples/<name>/` cases; InputError when none has."""
    pairs = [
        (_shown(p), [_shown(project / EXAMPLES / p.stem)])
        for p in project_policies(project)
        if (project / EXAMPLES / p.stem).is_dir()
    ]
    if not pairs:
        raise InputError(
            _(
                "{project}: no policies/<name>.policy (nor <name>.policy) with "
                "examples/<name>/ cases to test"
            ).format(project=_shown(project))
        )
    return pairs


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
    under = _examples_name(case)
    by_place = _by_place(case, under)
    if by_place is not None:
        return by_place
    number = _policy_key(case)
    project, why = case_project(case)
    policies = [_shown(p) for p in project_policies(project)]
    where = _("{case}: its project is {project} ({why}), whose policies are {listed}").format(
        case=case,
        project=project,
        why=why,
        listed=", ".join(map(str, policies)) or _("none"),
    )
    if number:
        matching = [p for p in policies if _number_of(p) == number]
        if len(matching) == 1:
            return matching[0]
        if len(matching) > 1:
            listed = ", ".join(map(str, matching))
            raise InputError(
                _("{case}: `policy: {number}` is the 文号 of {listed}; {write}").format(
                    case=case, number=number, listed=listed, write=_write(case, under, number)
                )
            )
        raise InputError(
            _("{where}; none is `policy: {number}`; {write}").format(
                where=where, number=number, write=_write(case, under, number)
            )
        )
    raise InputError(
        _("{where}; which policy is the case for? {write}").format(
            where=where, write=_write(case, under, number)
        )
    )


def _write(case: Path, under: tuple[Path, str] | None, number: str) -> str:
    """What to write, leaving out what the case does already: it lies under examples/<name>/
    (`under`), it has a `policy:` key (`number`)."""
    if under is None and not number:
        return _(
            "write `policyc test POLICY {case}`, or put the case under examples/<policy file "
            "name>/, or give it a `policy:` key with the policy's 文号"
        ).format(case=case)
    if under is None:
        return _(
            "write `policyc test POLICY {case}`, or put the case under examples/<policy file "
            "name>/, or --root DIR for the project that holds the policy"
        ).format(case=case)
    examples, name = under
    missing = _(
        "{case} lies under {examples}, but neither {in_policies} nor {beside} exists"
    ).format(
        case=case,
        examples=_shown(examples),
        in_policies=_shown(examples.parent.parent / "policies" / f"{name}.policy"),
        beside=_shown(examples.parent.parent / f"{name}.policy"),
    )
    if number:
        return _(
            "{missing}; write `policyc test POLICY {case}`, or name the folder after the "
            "policy file"
        ).format(missing=missing, case=case)
    return _(
        "{missing}; write `policyc test POLICY {case}`, or name the folder after the policy "
        "file, or give the case a `policy:` key with the policy's 文号"
    ).format(missing=missing, case=case)


def _examples_name(case: Path) -> tuple[Path, str] | None:
    """(the folder `examples/<name>`, name) the case lies below, else None."""
    start = Path(os.path.abspath(case if case.is_dir() else case.parent))
    for folder in (start, *start.parents):
        if folder.parent.name == EXAMPLES:
            return folder, folder.name
    return None


def _by_place(case: Path, under: tuple[Path, str] | None) -> Path | None:
    """`policies/<name>.policy` for a case anywhere below `examples/<name>/`, else
    `<name>.policy` beside `examples/`, else None."""
    if under is None:
        return None
    folder, name = under
    project = folder.parent.parent
    for policy in (project / "policies" / f"{name}.policy", project / f"{name}.policy"):
        if policy.is_file():
            return _shown(policy)
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
