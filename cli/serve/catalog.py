"""The policies a server answers for: every policy under the folders, compiled once at start.

A policy is addressed by its file's stem (`tzf-2023-1`), which is ASCII and stable; its 文号 is
in the summary. Unit registries (files without a `policy` header) are skipped, as `docs` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import InputError
from policyc.compiler.i18n import _
from policyc.compiler.parser import parse
from policyc.compiler.pipeline import CompiledPolicy, compile_policy, read_source
from policyc.compiler.project import refuse_same_numbers


@attrs.frozen
class Catalog:
    """The compiled policies by id (file stem), in file order."""

    policies: dict[str, CompiledPolicy]

    @property
    def checked(self) -> list[CheckedPolicy]:
        return [p.checked for p in self.policies.values()]

    def get(self, policy_id: str) -> CompiledPolicy | None:
        return self.policies.get(policy_id)


def load_catalog(paths: Sequence[Path]) -> Catalog:
    """Compile every policy under `paths` (folders searched recursively).

    Raises PolicyError for a policy that does not check or two that share a 文号
    (compiler/project.py), and InputError for a missing path, two files with the same stem, or
    no policy at all.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.rglob("*.policy")))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(_("{path}: no such file or folder").format(path=path))
    policies: dict[str, CompiledPolicy] = {}
    where: dict[str, Path] = {}
    headers = []
    for path in files:
        text = read_source(path)
        header = parse(text, str(path)).header
        if header is None:
            continue  # a unit registry
        headers.append((header, text))
        if path.stem in where:
            raise InputError(
                _(
                    "{path}: another policy file has the same name ({where_path_stem}); "
                    "a policy is served under its file name, which must be unique"
                ).format(
                    path=path,
                    where_path_stem=where[path.stem],
                )
            )
        where[path.stem] = path
    refuse_same_numbers(headers)  # before compiling: two files with one 文号 are refused
    for stem, path in where.items():
        policies[stem] = compile_policy(path)
    if not policies:
        raise InputError(
            _("no policies under {join_map_str_paths}").format(
                join_map_str_paths=", ".join(map(str, paths)),
            )
        )
    return Catalog(policies)


def summary(policy_id: str, policy: CompiledPolicy) -> dict[str, Any]:
    """What the policy list shows of one policy: 文号, title, issuer (the lead issuer) and
    issuers (every one, 联合发文), validity, counts."""
    checked = policy.checked
    header = checked.header
    return {
        "id": policy_id,
        "number": header.number,
        "title": header.title,
        "issuer": header.issuer.text if header.issuer else None,
        "issuers": [name.text for name in header.issuers],  # 联合发文: the lead issuer first
        "issued": header.issued.isoformat() if header.issued else None,
        "valid_from": header.valid_from.isoformat() if header.valid_from else None,
        "valid_until": checked.valid_until.isoformat() if checked.valid_until else None,
        "provisional": header.provisional,
        "clauses": checked.file.clause_count(),
        "rules": sum(1 for _ in checked.file.all_rules()),
        "inputs": len(checked.inputs),
    }
