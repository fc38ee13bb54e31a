"""Every shipped policy through the batch path, and the textile policy out of core.

The cases are the policy's own example cases (examples/<policy>/*.yaml), each written as a row
the way a `--cases` file holds it (a Parquet string per cell, read as unquoted YAML; a tally one
column per member; a daily series `;`-joined), repeated in turn up to N rows by DuckDB. Each
run is one `Batch` as `policyc run --cases` makes it: read and check the file, evaluate, sum.
"""

from __future__ import annotations

import datetime
import resource
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
POLICIES = sorted(p for p in (ROOT / "policies").glob("*.policy") if p.name != "units.policy")


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    return str(value)


def example_rows(policy: Path) -> list[dict[str, str]]:
    """The policy's example cases as rows of text cells, with their `on` date."""
    rows = []
    for path in sorted((ROOT / "examples" / policy.stem).glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        on = case.get("on", case.get(True))  # YAML 1.1 reads the key `on` as true
        row = {"on": _cell(on)} if on else {}
        for name, value in (case.get("inputs") or {}).items():
            if isinstance(value, dict):
                row.update({f"{name}.{member}": _cell(v) for member, v in value.items()})
            else:
                row[name] = _cell(value)
        rows.append(row)
    return rows


def write_cases(policy: Path, n: int, out: Path) -> int:
    """N rows of the policy's examples, repeated in turn, as a Parquet case file; returns how
    many distinct examples it repeats."""
    import duckdb

    rows = example_rows(policy)
    columns = sorted({c for row in rows for c in row})
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    # Spill beside the file written, not into `.tmp` of the current folder (DuckDB's default).
    spill = str(out.parent / ".duckdb-spill").replace("'", "''")
    con.execute(f"SET temp_directory = '{spill}'")
    con.execute(
        "CREATE TABLE examples (i INTEGER, " + ", ".join(f'"{c}" VARCHAR' for c in columns) + ")"
    )
    con.executemany(
        f"INSERT INTO examples VALUES ({', '.join('?' * (len(columns) + 1))})",
        [[i, *(row.get(c) for c in columns)] for i, row in enumerate(rows)],
    )
    selected = ", ".join(f'e."{c}"' for c in columns)
    con.execute(
        f"COPY (SELECT {selected} FROM range({n}) r JOIN examples e "
        f"ON r.range % {len(rows)} = e.i ORDER BY r.range) TO '{out}' (FORMAT parquet)"
    )
    con.close()
    return len(rows)


def run_policy(policy: Path, cases: Path, engine: str = "auto") -> dict[str, Any]:
    """One batch run in this process as `policyc run --cases` makes it (`engine` auto: the
    numpy engine when it holds the policy and the file, else the DuckDB query; duckdb: the
    query alone, the path every shipped policy took before the numpy engine held it): seconds
    and CPU seconds, cases, the engine that ran (and, for DuckDB under auto, why the numpy
    engine did not), entries (rules, targets, decisions), rules left to the per-case path,
    peak resident MB of this process."""
    from policyc.batch import Batch
    from policyc.batch_vector import VectorBatch, reuse_memory
    from policyc.compiler.pipeline import compile_policy

    compiled = compile_policy(policy)
    reuse_memory()  # as `policyc run` does
    start = time.perf_counter()
    cpu = time.process_time()
    why_not = ""
    if engine == "auto":
        vector = VectorBatch(compiled)
        why_not = vector.prepare(cases, None)
        if not why_not:
            vector.summary()
            assert vector.program is not None
            return {
                "policy": policy.stem,
                "engine": "numpy",
                "n": vector.count,
                "seconds": time.perf_counter() - start,
                "cpu_seconds": time.process_time() - cpu,
                "per_case_rules": 0,
                "per_case_why": {},
                "rules": len(vector.program.rules),
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
    with Batch(compiled) as batch:
        count = batch.load(cases, None)
        program = batch.evaluate(keep=False)
        batch.summary()
    return {
        "policy": policy.stem,
        "engine": "duckdb",
        "numpy_why_not": why_not,
        "n": count,
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu,
        "per_case_rules": sum(1 for r in program.rules if r.fallback),
        # Why, construct by construct: {reason: rules} (compiler/batch.py's BatchRule.fallback).
        "per_case_why": dict(Counter(r.fallback for r in program.rules if r.fallback)),
        "rules": len(program.rules),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
