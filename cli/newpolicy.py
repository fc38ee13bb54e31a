"""`policyc new SOURCE --lines A-B [-o FILE] [--units REGISTRY]`: a skeleton policy from the
received text (compiler/skeleton.py). Without `-o` the skeleton goes to stdout; with it, the
file is written only if it does not exist yet (a drafter's work is never overwritten). The
registry is `--units`, else `units.policy` beside the output, else `policies/units.policy` of the
output's project (`--root DIR`, else the folder above its `policies/`, else its own folder:
compiler/project.py); a source or registry outside that project is refused, naming the project
and why it is the project."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from policyc.compiler.errors import Diagnostic, InputError
from policyc.compiler.i18n import _
from policyc.compiler.pipeline import read_source
from policyc.compiler.project import project_root, root_given, root_reason
from policyc.compiler.registry import Registry, registry_units
from policyc.compiler.skeleton import registry_resolver, relative, skeleton


def parse_lines(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[-–:]\s*(\d+)\s*", text)
    if match is None or not 1 <= int(match[1]) <= int(match[2]):
        raise InputError(
            _("--lines {text}: expected FIRST-LAST, two line numbers, as in 42-108").format(
                text=text,
            )
        )
    return int(match[1]), int(match[2])


def run_new(source: Path, lines: str, out: Path | None, units: Path | None) -> int:
    first, last = parse_lines(lines)
    all_lines = read_source(source).splitlines()  # counted as `check` counts them
    if last > len(all_lines):
        raise InputError(
            _("--lines {lines}: {source} has {len_all_lines} lines").format(
                lines=lines,
                source=source,
                len_all_lines=len(all_lines),
            )
        )
    folder = out.parent if out is not None else Path(".")
    target = out if out is not None else Path("skeleton.policy")
    root = project_root(target)
    shown = str(out) if out is not None else _("the skeleton written here")
    if not source.resolve().is_relative_to(root):
        sources = root / "sources"
        raise InputError(
            _(
                "{source}: lies outside the project {root} ({why}), where `check` would refuse "
                "to read it; copy it into the project (as {copy}) and name that copy, or give "
                "the project with --root DIR"
            ).format(
                source=source,
                root=root,
                why=root_reason(target, shown),
                copy=(sources if sources.is_dir() else root) / source.name,
            )
        )
    if units is None:
        # The registry of the skeleton's own project: beside it, else the project's policies/
        # (never the current folder's, which may be another project's).
        beside = (folder / "units.policy", root / "policies" / "units.policy")
        units = next((p for p in beside if p.is_file()), None)
    elif not units.resolve().is_relative_to(root):
        raise InputError(
            _(
                "--units {units}: lies outside the project {root} ({why}), where `check` would "
                "refuse to read it; copy the registry into the project and name that copy, or "
                "give the project with --root DIR"
            ).format(units=units, root=root, why=root_reason(target, shown))
        )
    registry = _registry(units) if units is not None else Registry()

    resolve = registry_resolver(registry)
    text = skeleton(
        all_lines[first - 1 : last],
        first,
        relative(source, folder),
        resolve,
        relative(units, folder) if units is not None else "",
    )
    if out is None:
        sys.stdout.write(text)
        sys.stderr.write(
            _(
                "policyc new: the skeleton names its files relative to this folder "
                '(`source "{source}"`); save it here, or give -o FILE to name '
                "them relative to FILE's folder\n"
            ).format(source=relative(source, folder))
        )
        return 0
    try:
        with out.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise InputError(
            _("{out}: exists already; choose another file or remove it").format(
                out=out,
            )
        ) from None
    except FileNotFoundError:
        raise InputError(
            _(
                "{out}: no folder {folder}; create it first, or choose a file in a folder that "
                "exists"
            ).format(out=out, folder=out.parent)
        ) from None
    except OSError as exc:
        raise InputError(
            _("{out}: cannot write ({exc_strerror_or_exc})").format(
                out=out,
                exc_strerror_or_exc=exc.strerror or exc,
            )
        ) from None
    todos = text.count("TODO(")
    given = root_given()  # `check` needs the same project to read what the skeleton names
    check = f"policyc check --root {given} {out}" if given is not None else f"policyc check {out}"
    sys.stderr.write(
        _(
            "wrote {out}: {todos} places marked TODO to fill; then `{check}` "
            "(it lists what is left as warnings)\n"
        ).format(out=out, todos=todos, check=check)
    )
    return 0


def _registry(path: Path) -> Registry:
    """The units of the registry `--units` names. One that does not parse raises the parser's
    PolicyError, told as `check` tells it: `file:line:col`, the line and a caret."""
    registry = Registry()
    problems: list[Diagnostic] = []  # the registry's own problems are `check`'s to report
    for decl in registry_units(str(path), read_source(path)):
        registry.add(decl, problems)
    return registry
