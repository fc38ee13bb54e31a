"""What the batch tests share: a CSV of cases evaluated by the batch (DuckDB) path."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from policyc.compiler.pipeline import CompiledPolicy

Row = dict[str, tuple[str, Decimal | str | None, Decimal | None]]


def batch_csv(
    policy: CompiledPolicy, folder: Path, text: str, on: date | None
) -> tuple[dict[str, str], list[Row]]:
    """(each rule's fallback by name: why it is left to the per-case path, "" when SQL evaluates
    it; each row's results as `Batch.rows` gives them) for the CSV `text`, written into `folder`
    and evaluated on `on`. Skips the test without DuckDB (the `batch` extra)."""
    pytest.importorskip("duckdb")
    from policyc.batch import Batch

    path = folder / "c.csv"
    path.write_text(text, encoding="utf-8")
    with Batch(policy) as batch:
        batch.load(path, on)
        program = batch.evaluate(keep=True)
        rows = [results for _, results in batch.rows()]
    return {rule.name: rule.fallback for rule in program.rules}, rows
