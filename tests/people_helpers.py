"""What the household and period tests share: one case file evaluated on the traced path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policyc.cases import load_case
from policyc.compiler.pipeline import CompiledPolicy


def run_case(policy: CompiledPolicy, folder: Path, text: str) -> dict[str, Any]:
    """Each rule's result (by name) for the case file `text`, written into `folder`."""
    path = folder / "case.yaml"
    path.write_text(text, encoding="utf-8")
    case = load_case(path, policy.checked)
    assert case.on is not None
    return {r.info.name: r for r in policy.evaluate(case.inputs, case.on, fast=False)}
