"""The pipeline in one place: read → parse → check → generate → load.

`compile_policy` is the whole compiler as a reader would describe it; each stage lives in its own
module (parser, checker, codegen), and the docs generator reads the same checked policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

import attrs

from policyc.compiler import cache
from policyc.compiler.errors import Diagnostic, InputError
from policyc.compiler.files import read_text
from policyc.runtime.evaluation import Ctx, RuleInfo, RuleResult

if TYPE_CHECKING:
    from policyc.compiler.checker import CheckedPolicy


@attrs.frozen
class CompiledPolicy:
    checked: CheckedPolicy
    python_source: str
    namespace: dict[str, Any]

    @property
    def switchable_readings(self) -> set[str]:
        """Readings a run may choose: those not marked `documentary` (see the checker)."""
        return set(self.checked.switchable_readings)

    @property
    def rules(self) -> tuple[RuleInfo, ...]:
        return self.namespace["RULES"]  # type: ignore[no-any-return]

    def evaluate(
        self,
        inputs: Mapping[str, Any],
        on: date,
        readings: Mapping[str, str] | None = None,
        received: Iterable[str] = (),
        explain: bool = False,
    ) -> list[RuleResult]:
        """Every rule's result for one case, in document order."""
        chosen = dict(self.namespace["READINGS"])
        chosen.update(readings or {})
        ctx = Ctx(inputs, on, chosen, *self.checked.validity_under(chosen), explain)
        done = frozenset(received)
        results = []
        for info, function in zip(self.rules, self.namespace["FUNCTIONS"], strict=True):
            if info.role == "decision":
                results.append(ctx.run_decision(info, function))
            elif info.role == "target":
                results.append(ctx.run_target(info, function))
            else:
                results.append(ctx.run_rule(info, function, done))
        return results


def check_references(policies: list[CheckedPolicy]) -> list[Diagnostic]:
    """Every `refers` must name a loaded document and, when it says so, a clause, task or
    section of it. The caller loads the documents (a folder's policies)."""
    numbers: dict[str, set[str]] = {}
    for policy in policies:
        keys = {f"{c.kind} {c.number}" for c in policy.file.all_clauses()}
        keys |= {f"section {s.number}" for s in policy.file.sections}
        numbers[policy.header.number] = keys
    problems: list[Diagnostic] = []
    for policy in policies:
        for _, ref in policy.references:
            if ref.document not in numbers:
                known = ", ".join(sorted(numbers)) or "none"
                problems.append(
                    Diagnostic(
                        ref.span, f"`{ref.document}` is not a loaded policy", f"one of {known}"
                    )
                )
            elif ref.kind and f"{ref.kind} {ref.number}" not in numbers[ref.document]:
                problems.append(
                    Diagnostic(ref.span, f"{ref.document} has no {ref.kind} {ref.number}")
                )
    return problems


def read_source(path: Path) -> str:
    try:
        return read_text(path)
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected a policy file") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    except ValueError as exc:  # a NUL in the path
        raise InputError(f"{path!r}: not a usable file name ({exc})") from None


def check_policy(path: Path) -> CheckedPolicy:
    # Imported here: a cached `run` never needs the parser, Lark or the checker's passes.
    from policyc.compiler.checker import check
    from policyc.compiler.parser import parse

    text = read_source(path)
    return check(parse(text, str(path)), text)


def compile_policy(path: Path) -> CompiledPolicy:
    """The policy compiled, from the cache when nothing it depends on has changed."""
    text = read_source(path)
    key = cache.cache_key(path, text)
    hit = cache.load(key)
    if hit is not None:
        checked, source, code = hit
        return CompiledPolicy(checked, source, _execute(code))
    from policyc.compiler.codegen import generate

    checked = check_policy(path)
    source = generate(checked)
    code = compile(source, f"<policyc: {path}>", "exec")
    cache.store(key, checked, source, code)
    return CompiledPolicy(checked, source, _execute(code))


def _execute(code: CodeType) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    return namespace
