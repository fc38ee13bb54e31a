"""policyc's benchmarks, in one run: `python benchmarks/run.py` (needs the `bench` extra).

1. The three rules of rules.policy on the same random cases in three engines (engines.py):
   cases per second at N = 10,000 and N = 1,000,000, peak memory at 1,000,000 (each engine in a
   process of its own), and each engine's totals, set against the exact ones (integer 分).
2. One case of the whole textile policy, in process (`CompiledPolicy.evaluate`, no --explain):
   median and p99 latency.
3. Whole processes: `policyc run` on one case with a warm cache, and `policyc check policies/`.

Timings are the best of several repeats (the median for latencies and whole processes), on
whatever else the machine is running: the table says how many cores it had.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import engines  # noqa: E402

SIZES = (10_000, 1_000_000)
ENGINES = ("batch", "batch-query", "openfisca", "numpy")
TEXTILE = ROOT / "policies" / "tzf-2023-1.policy"
CASE = ROOT / "examples" / "tzf-2023-1" / "07-logistics-capped.yaml"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(engine: str, n: int, parquet: Path) -> dict[str, Any]:
    """One engine at one size, in this process: the best of the repeats."""
    repeats = 5 if n <= 100_000 else 3
    if engine in ("batch", "batch-query"):
        run = engines.run_batch if engine == "batch" else engines.run_batch_query
        results = [run(parquet) for _ in range(repeats)]
    else:
        arrays = engines.generate(n)
        if engine == "numpy":
            results = [engines.run_numpy(arrays) for _ in range(repeats)]
        else:
            system = engines.openfisca_system()
            results = [engines.run_openfisca(arrays, system) for _ in range(repeats)]
    seconds = min(r[0] for r in results)
    return {
        "engine": engine,
        "n": n,
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "totals": {k: str(v) for k, v in results[0][1].items()},
    }


def engine_table(workdir: Path) -> list[dict[str, Any]]:
    rows = []
    for n in SIZES:
        parquet = workdir / f"cases-{n}.parquet"
        engines.write_parquet(engines.generate(n), parquet)
        for engine in ENGINES:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--engine",
                    engine,
                    "--n",
                    str(n),
                    "--parquet",
                    str(parquet),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            rows.append(json.loads(out.stdout))
    return rows


def one_case_latency() -> tuple[float, float, int]:
    from policyc.cases import load_case
    from policyc.compiler.pipeline import compile_policy

    policy = compile_policy(TEXTILE)
    case = load_case(CASE, policy.checked)
    assert case.on is not None
    for _ in range(500):
        policy.evaluate(case.inputs, case.on, case.readings, case.received)
    times = []
    for _ in range(20_000):
        start = time.perf_counter_ns()
        policy.evaluate(case.inputs, case.on, case.readings, case.received)
        times.append(time.perf_counter_ns() - start)
    times.sort()
    rules = len(policy.rules)
    return statistics.median(times) / 1000, times[int(len(times) * 0.99)] / 1000, rules


def whole_process(args: list[str], repeats: int) -> float:
    policyc = Path(sys.executable).parent / "policyc"
    subprocess.run([str(policyc), *args], check=True, capture_output=True, cwd=ROOT)  # warm
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([str(policyc), *args], check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _rate(row: dict[str, Any]) -> float:
    return float(row["n"] / row["seconds"])


def report(
    rows: list[dict[str, Any]], latency: tuple[float, float, int], run_s: float, check_s: float
) -> str:
    lines = [f"policyc benchmarks — {os.cpu_count()} cores, Python {sys.version.split()[0]}", ""]
    head = f"{'engine':<12}{'N':>11}{'cases/s':>14}{'seconds':>10}{'peak MB':>9}  totals (元): "
    lines.append(head + " / ".join(engines.RULES) + "   vs exact")
    exact = {r["n"]: r["totals"] for r in rows if r["engine"] == "numpy"}
    for r in rows:
        totals = r["totals"]
        diffs = [Decimal(totals[k]) - Decimal(exact[r["n"]][k]) for k in engines.RULES]
        verdict = "exact" if not any(diffs) else "off by " + " / ".join(f"{d:+,.2f}" for d in diffs)
        shown = " / ".join(f"{Decimal(totals[k]):,.2f}" for k in engines.RULES)
        lines.append(
            f"{r['engine']:<12}{r['n']:>11,}{_rate(r):>14,.0f}{r['seconds']:>10.4f}"
            f"{r['peak_mb']:>9.0f}  {shown}   {verdict}"
        )
    by = {(r["engine"], r["n"]): r for r in rows}
    big = SIZES[-1]
    ratio = _rate(by[("batch", big)]) / _rate(by[("openfisca", big)])
    query_ratio = _rate(by[("batch-query", big)]) / _rate(by[("openfisca", big)])
    median, p99, rules = latency
    lines += [
        "",
        "batch = file → totals (read and check a Parquet file, evaluate, sum); batch-query = the "
        "generated query over cases already in DuckDB; openfisca = inputs already in numpy "
        "arrays; numpy = integer 分 by hand (the exact reference).",
        "",
        f"{'target':<58}{'measured':>14}{'goal':>10}  met",
        _target(f"batch ÷ OpenFisca cases/s at N = {big:,}", ratio, 2.0, "×", higher=True),
        _target(
            "batch-query ÷ OpenFisca cases/s (not the target, for scale)",
            query_ratio,
            2.0,
            "×",
            higher=True,
        ),
        _target(f"one case, whole textile policy ({rules} rules), median µs", median, 20, "µs"),
        _target("one case, whole textile policy, p99 µs", p99, float("inf"), "µs"),
        _target("policyc run, one case, warm cache, whole process ms", run_s * 1000, 100, "ms"),
        _target("policyc check policies/, whole process ms", check_s * 1000, 300, "ms"),
    ]
    return "\n".join(lines) + "\n"


def _target(label: str, value: float, goal: float, unit: str, higher: bool = False) -> str:
    if goal == float("inf"):
        return f"{label:<58}{value:>12.1f}{unit:>2}{'–':>10}  –"
    met = value >= goal if higher else value <= goal
    return f"{label:<58}{value:>12.2f}{unit:>2}{goal:>8g}{unit:>2}  {'yes' if met else 'NO'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--parquet", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args()
    if args.engine:  # one measurement, in a process of its own (for its peak memory)
        print(json.dumps(measure(args.engine, args.n, args.parquet)))
        return 0
    with tempfile.TemporaryDirectory(prefix="policyc-bench-") as work:
        env_cache = os.environ.setdefault("POLICYC_CACHE_DIR", str(Path(work) / "cache"))
        del env_cache
        rows = engine_table(Path(work))
        latency = one_case_latency()
        run_s = whole_process(["run", str(TEXTILE), "--case", str(CASE)], 15)
        check_s = whole_process(["check", "policies/"], 7)
    print(report(rows, latency, run_s, check_s), end="")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"rows": rows, "latency_us": latency[:2], "run_s": run_s, "check_s": check_s},
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
