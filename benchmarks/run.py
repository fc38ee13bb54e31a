"""policyc's benchmarks, in one run: `python benchmarks/run.py` (needs the `bench` extra).

1. The three rules of rules.policy on the same random cases in each engine (engines.py: policyc's
   batch as `policyc run --cases` runs it, here the numpy engine; the DuckDB path beside it;
   OpenFisca; numpy by hand):
   cases per second at N = 10,000 and N = 1,000,000 in wall-clock and in process CPU time (every
   thread), peak memory at 1,000,000 (each engine in a process of its own), and each engine's
   totals, set against the exact ones (integer 分).
2. One case of the whole textile policy, in process (`CompiledPolicy.evaluate`, no --explain):
   median and p99 latency, in wall-clock time and in this thread's CPU time; then every example
   case of the policy in turn (CPU median and p99).
3. Whole processes: `policyc run` on one case with a warm cache, and `policyc check policies/`
   (wall-clock and CPU medians; `python -c pass` beside them for scale). The package is
   byte-compiled first, as an installed one is (pip compiles it; a source checkout run with
   PYTHONDONTWRITEBYTECODE would otherwise compile every module on every start). `run` is
   measured twice: from this environment's editable install (its import hook runs at every
   start), and from policyc as `pip install .` installs it, in an environment of its own that
   reads the dependencies from this one (`installed_python`). The commands take turns, round
   by round. `--processes` measures this section alone (`--repeats` rounds); `--baseline VENV`
   adds another checkout's policyc (VENV's editable install, e.g. main's, and that checkout
   installed) to the same rounds, for a before/after under the same load. `--instructions`
   adds each process's instructions as valgrind counts them (`instructions`): on a shared
   machine whose load moves the times, the count is the same from one run to the next.
4. Every shipped policy through the batch path (policies_batch.py): its example cases repeated
   to --policy-cases rows of a Parquet file (every cell text, a per-row `on`), cases per
   second by the engine `policyc run --cases` picks (numpy where it holds the policy), against
   the DuckDB query alone on the same file (the path before), in turns. `--policies` measures
   this section alone.
5. Out of core: --big textile cases (10,000,000) from Parquet through the batch path, in a
   process of its own: seconds and peak resident memory (DuckDB capped at
   policyc.batch_read.MEMORY_LIMIT, spilling to the batch's private folder).

Timings are the best of several repeats (the median for latencies and whole processes), on
whatever else the machine is running: the table says how many cores it had and the load
average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
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
import policies_batch  # noqa: E402

SIZES = (10_000, 1_000_000)
# batch = what `policyc run --cases FILE.parquet` runs for rules.policy: the numpy engine
# (cli/batch_vector.py); batch-duckdb = the DuckDB query it falls back to for what numpy does not
# hold (the batch path before the numpy engine).
ENGINES = ("batch", "batch-duckdb", "batch-query", "openfisca", "numpy")
TEXTILE = ROOT / "policies" / "tzf-2023-1.policy"
CASE = ROOT / "examples" / "tzf-2023-1" / "07-logistics-capped.yaml"
PACKAGE_FOLDERS = ("cli", "compiler", "runtime")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def process_cpu() -> float:
    """This process's CPU seconds so far, every thread (DuckDB's too), user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(engine: str, n: int, parquet: Path) -> dict[str, Any]:
    """One engine at one size, in this process: the best of the repeats, in wall-clock time and
    in CPU time (on a loaded machine, the wall clock counts the others' work too). Five repeats
    for every engine and size: with the best of three at 1,000,000 cases, the batch ÷
    OpenFisca ratio moved from 1.9 to 2.3 × between quiet runs."""
    repeats = 5
    runs: list[tuple[float, dict[str, Decimal]]] = []
    cpus: list[float] = []

    def timed(run: Any, *args: Any) -> None:
        before = process_cpu()
        runs.append(run(*args))
        cpus.append(process_cpu() - before)
        if stages and stages[-1]:  # a batch engine: CPU over the span its wall time covers
            cpus[-1] = sum(cpu for _, cpu in stages[-1].values())

    stages: list[dict[str, tuple[float, float]]] = []
    steps: list[dict[str, float]] = []
    if engine == "batch":
        for _ in range(repeats):
            stages.append({})
            steps.append({})
            timed(engines.run_vector, parquet, stages[-1], None, steps[-1])
    elif engine == "batch-duckdb":
        for _ in range(repeats):
            stages.append({})
            timed(engines.run_batch, parquet, stages[-1])
    elif engine == "batch-query":
        for _ in range(repeats):
            timed(engines.run_batch_query, parquet)
    else:
        arrays = engines.generate(n)
        if engine == "numpy":
            for _ in range(repeats):
                timed(engines.run_numpy, arrays)
        else:
            system = engines.openfisca_system()
            for _ in range(repeats):
                timed(engines.run_openfisca, arrays, system)
    fastest = min(range(len(runs)), key=lambda i: runs[i][0])
    return {
        "engine": engine,
        "n": n,
        "seconds": min(r[0] for r in runs),
        "cpu_seconds": min(cpus),
        "peak_mb": peak_mb(),
        "totals": {k: str(v) for k, v in runs[0][1].items()},
        # The fastest run's stages (engines.STAGES, VECTOR_STAGES): where file → totals spends
        # its time.
        **({"stages": stages[fastest]} if stages else {}),
        **({"cpu_steps": steps[fastest]} if steps else {}),
        **({"read_alone": engines.read_alone(parquet)} if engine == "batch" else {}),
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


def one_case_latency() -> dict[str, float]:
    from policyc.cases import load_case
    from policyc.compiler.pipeline import compile_policy

    policy = compile_policy(TEXTILE)
    case = load_case(CASE, policy.checked)
    assert case.on is not None
    for _ in range(500):
        policy.evaluate(case.inputs, case.on, case.readings, case.received)
    figures: dict[str, float] = {"rules": len(policy.rules)}
    for label, clock in (("wall", time.perf_counter_ns), ("cpu", time.thread_time_ns)):
        times = []
        for _ in range(20_000):
            start = clock()
            policy.evaluate(case.inputs, case.on, case.readings, case.received)
            times.append(clock() - start)
        times.sort()
        figures[f"{label}_median"] = statistics.median(times) / 1000
        figures[f"{label}_p99"] = times[int(len(times) * 0.99)] / 1000
    # Every example case of the policy, in turn (cases of many kinds: runtime/fast.py's plans).
    cases = [load_case(path, policy.checked) for path in sorted(CASE.parent.glob("*.yaml"))]
    times = []
    for _ in range(40):
        for each in cases:
            assert each.on is not None
            start = time.thread_time_ns()
            policy.evaluate(each.inputs, each.on, each.readings, each.received)
            times.append(time.thread_time_ns() - start)
    times.sort()
    figures["examples"] = len(cases)
    figures["examples_cpu_median"] = statistics.median(times) / 1000
    figures["examples_cpu_p99"] = times[int(len(times) * 0.99)] / 1000
    return figures


def whole_process(command: list[str], repeats: int) -> tuple[float, float]:
    """(wall, CPU) medians in seconds of running `command` from the project folder."""
    return whole_processes({"": command}, repeats)[""]


def whole_processes(commands: dict[str, list[str]], repeats: int) -> dict[str, tuple[float, float]]:
    """(wall, CPU) medians in seconds of running each command from the project folder, the
    commands taking turns in each of `repeats` rounds (so that a change in the machine's load
    falls on all of them alike), after one warming run each."""
    for command in commands.values():
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)  # warm
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
            walls[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {
        name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in commands
    }


def instructions(command: list[str]) -> int | None:
    """The instructions the process `command` executes, run once from the project folder under
    valgrind's callgrind (whose count, unlike a time, does not move with the machine's load);
    None without valgrind or when it reports no count."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    done = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    counted = re.search(r"Collected : (\d+)", done.stderr)
    return int(counted.group(1)) if counted else None


def policyc(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "policyc"), *args]


def installed_python(work: Path, source: Path = ROOT, name: str = "installed") -> Path:
    """The Python of a virtual environment holding policyc as `pip install .` installs it (not
    the editable install of the checkout, whose import hook costs every start some 10-15 ms):
    policyc built and installed into it, its dependencies read from this environment's
    site-packages (named in a .pth file, so this environment's own .pth hooks do not run)."""
    venv = work / name
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True
    )
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    ours = subprocess.run(
        [sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    (Path(purelib) / "dependencies.pth").write_text(ours + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--target", purelib, str(source)],
        check=True, capture_output=True, cwd=work,
    )  # fmt: skip
    subprocess.run([str(python), "-m", "compileall", "-q", purelib], capture_output=True)
    return python


def every_policy(workdir: Path, n: int, rounds: int = 3) -> list[dict[str, Any]]:
    """Each shipped policy's file through the batch path as `policyc run --cases` takes it
    (the numpy engine where it holds the policy), and through the DuckDB query alone (the
    path before), each run in a process of its own, the two taking turns `rounds` times: the
    fastest run of each by CPU time (`duckdb_*`: the query's)."""
    rows = []
    for policy in policies_batch.POLICIES:
        cases = workdir / f"{policy.stem}.parquet"
        examples = policies_batch.write_cases(policy, n, cases)
        runs: dict[str, list[dict[str, Any]]] = {"auto": [], "duckdb": []}
        for _ in range(rounds):
            for engine in runs:
                args = ["--policy", str(policy), "--parquet", str(cases), "--path", engine]
                runs[engine].append(_in_own_process(args))
        best = min(runs["auto"], key=lambda r: r["cpu_seconds"])
        query = min(runs["duckdb"], key=lambda r: r["cpu_seconds"])
        rows.append(
            best
            | {
                "examples": examples,
                "duckdb_seconds": query["seconds"],
                "duckdb_cpu_seconds": query["cpu_seconds"],
                "duckdb_per_case_rules": query["per_case_rules"],
                "duckdb_per_case_why": query["per_case_why"],
            }
        )
        cases.unlink()
    return rows


def out_of_core(workdir: Path, n: int) -> dict[str, Any]:
    cases = workdir / "textile-big.parquet"
    policies_batch.write_cases(TEXTILE, n, cases)
    try:
        return _in_own_process(["--policy", str(TEXTILE), "--parquet", str(cases)])
    finally:
        cases.unlink()


def _in_own_process(args: list[str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _rate(row: dict[str, Any], seconds: str = "seconds") -> float:
    return float(row["n"] / max(row[seconds], 1e-9))


def policy_lines(policies: list[dict[str, Any]]) -> list[str]:
    """Section 4's table: each shipped policy's engine and cases per second, before and after."""
    lines = [
        f"{'policy (batch path, its examples repeated)':<28}{'engine':>7}{'rules':>6}"
        f"{'per case':>9}{'N':>9}{'cases/s':>12}{'CPU cases/s':>13}{'before CPU':>12}"
        f"{'×':>7}{'peak MB':>9}",
    ]
    for p in policies:
        before = p.get("duckdb_cpu_seconds", p["cpu_seconds"])
        lines.append(
            f"{p['policy']:<28}{p.get('engine', 'duckdb'):>7}{p['rules']:>6}"
            f"{p['per_case_rules']:>9}{p['n']:>9,}"
            f"{p['n'] / p['seconds']:>12,.0f}{p['n'] / p['cpu_seconds']:>13,.0f}"
            f"{p['n'] / before:>12,.0f}{before / p['cpu_seconds']:>6.1f}×{p['peak_mb']:>9.0f}"
        )
    for p in policies:
        reasons = p.get("per_case_why", {}).items()
        why = "; ".join(f"{count} × {reason}" for reason, count in reasons)
        if why:
            lines.append(f"  {p['policy']} case by case: {why}")
        if p.get("numpy_why_not"):
            lines.append(f"  {p['policy']} not by the numpy engine: {p['numpy_why_not']}")
    lines += [
        "(engine: numpy where it holds the policy and the file, else duckdb, as `policyc run "
        "--cases` picks; rules: its entries (rules, targets, decisions); per case: rules the "
        "query cannot express, evaluated case by case; before CPU: CPU cases/s of the DuckDB "
        "query alone on the same file, the path every shipped policy took before; ×: before "
        "CPU s ÷ this CPU s; the fastest of 3 runs each, in turns)",
    ]
    return lines


def report(
    rows: list[dict[str, Any]],
    latency: dict[str, float],
    processes: dict[str, tuple[float, float]],
    policies: list[dict[str, Any]],
    big: dict[str, Any] | None,
    loads: tuple[float, float],
    counted: dict[str, int | None] | None = None,
) -> str:
    lines = [
        f"policyc benchmarks — {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"load average {loads[0]:.1f} at the start, {loads[1]:.1f} at the end",
        "",
    ]
    head = (
        f"{'engine':<12}{'N':>11}{'cases/s':>14}{'seconds':>10}{'CPU cases/s':>13}{'CPU s':>8}"
        f"{'peak MB':>9}  totals (元): "
    )
    lines.append(head + " / ".join(engines.RULES) + "   vs exact")
    exact = {r["n"]: r["totals"] for r in rows if r["engine"] == "numpy"}
    for r in rows:
        totals = r["totals"]
        diffs = [Decimal(totals[k]) - Decimal(exact[r["n"]][k]) for k in engines.RULES]
        verdict = "exact" if not any(diffs) else "off by " + " / ".join(f"{d:+,.2f}" for d in diffs)
        shown = " / ".join(f"{Decimal(totals[k]):,.2f}" for k in engines.RULES)
        lines.append(
            f"{r['engine']:<12}{r['n']:>11,}{_rate(r):>14,.0f}{r['seconds']:>10.4f}"
            f"{_rate(r, 'cpu_seconds'):>13,.0f}{r['cpu_seconds']:>8.3f}"
            f"{r['peak_mb']:>9.0f}  {shown}   {verdict}"
        )
    by = {(r["engine"], r["n"]): r for r in rows}
    large = SIZES[-1]
    ratio = _rate(by[("batch", large)]) / _rate(by[("openfisca", large)])
    query_ratio = _rate(by[("batch-query", large)]) / _rate(by[("openfisca", large)])
    duckdb_ratio = _rate(by[("batch-duckdb", large)]) / _rate(by[("openfisca", large)])
    cpu_ratio = _rate(by[("batch", large)], "cpu_seconds") / _rate(
        by[("openfisca", large)], "cpu_seconds"
    )
    for r in rows:
        if "stages" in r:
            lines.append(
                f"  {r['engine']} at N = {r['n']:,}, its fastest run by stage, wall / CPU s: "
                + "; ".join(f"{k} {w:.3f} / {c:.3f}" for k, (w, c) in r["stages"].items())
            )
        if "cpu_steps" in r:
            lines.append(
                "    its CPU s by step, every thread's added up: "
                + "; ".join(f"{k} {c:.3f}" for k, c in r["cpu_steps"].items())
            )
        if "read_alone" in r:
            lines.append(
                "    pyarrow's read alone (every row group on one thread, nothing checked), the "
                f"floor of its read step: {r['read_alone']:.3f} CPU s"
            )
    lines += [
        "",
        "batch = file → totals as `policyc run --cases` runs them (read and check a Parquet file, "
        "evaluate, sum), here by the numpy engine (pyarrow, int64 fixed point); batch-duckdb = "
        "the same by the DuckDB query (the path for what the numpy engine does not hold); "
        "batch-query = the generated query over cases already in DuckDB; openfisca = inputs "
        "already in numpy arrays; numpy = integer 分 by hand (the exact reference).",
        "",
    ]
    lines += policy_lines(policies)
    lines += [
        "",
        f"{'target':<58}{'measured':>14}{'goal':>10}  met",
        _target(f"batch ÷ OpenFisca cases/s at N = {large:,}", ratio, 2.0, "×", higher=True),
        _target("  the same in CPU time", cpu_ratio, 2.0, "×", higher=True),
        _target(
            "batch-duckdb ÷ OpenFisca cases/s (the DuckDB path, for scale)",
            duckdb_ratio,
            2.0,
            "×",
            higher=True,
        ),
        _target(
            "batch-query ÷ OpenFisca cases/s (not the target, for scale)",
            query_ratio,
            2.0,
            "×",
            higher=True,
        ),
        _target(
            f"one case, whole textile policy ({latency['rules']:.0f} rules), median µs",
            latency["wall_median"],
            20,
            "µs",
        ),
        _target("one case, whole textile policy, p99 µs", latency["wall_p99"], float("inf"), "µs"),
        _target("  the same in CPU time, median µs", latency["cpu_median"], 20, "µs"),
        _target("  the same in CPU time, p99 µs", latency["cpu_p99"], float("inf"), "µs"),
        _target(
            f"  every example case ({latency['examples']:.0f}) in turn, CPU median µs",
            latency["examples_cpu_median"],
            float("inf"),
            "µs",
        ),
        _target(
            "  every example case in turn, CPU p99 µs",
            latency["examples_cpu_p99"],
            float("inf"),
            "µs",
        ),
    ]
    lines += process_lines(processes, counted)
    if big is not None:
        lines += [
            _target(
                f"out of core: {big['n']:,} textile cases from Parquet, peak MB",
                big["peak_mb"],
                2048,
                "MB",
            ),
            _target("  their cases/s", big["n"] / big["seconds"], float("inf"), ""),
        ]
    return "\n".join(lines) + "\n"


PROCESS_ROWS = (
    ("run", "policyc run, one case, warm cache, whole process ms", 100.0),
    ("run_installed", "  the same, policyc installed (not editable), ms", 100.0),
    ("check", "policyc check policies/, whole process ms", 300.0),
    ("python", "python -c pass, whole process ms (for scale)", float("inf")),
    ("python_installed", "  the same, in the installed environment, ms", float("inf")),
    ("baseline_run", "baseline: policyc run, one case, warm cache, ms", 100.0),
    ("baseline_run_installed", "baseline: the same, installed (not editable), ms", 100.0),
    ("baseline_check", "baseline: policyc check policies/, ms", 300.0),
)


def process_lines(
    processes: dict[str, tuple[float, float]], counted: dict[str, int | None] | None = None
) -> list[str]:
    """The whole-process rows of the targets table, for the processes measured; with `counted`
    (`instructions` by process), each one's count in millions."""
    lines = []
    for key, label, goal in PROCESS_ROWS:
        if key in processes:
            wall, cpu = processes[key]
            lines.append(_target(label, wall * 1000, goal, "ms"))
            lines.append(_target("  the same in CPU time, ms", cpu * 1000, goal, "ms"))
            if counted and counted.get(key) is not None:
                millions = counted[key] / 1e6  # type: ignore[operator]
                lines.append(_target("  the same in instructions, millions", millions, *NO_GOAL))
    return lines


NO_GOAL = (float("inf"), "M")


def count_instructions(commands: dict[str, list[str]]) -> dict[str, int | None]:
    """`instructions` of each command, after one run of it (a warm cache)."""
    counted = {}
    for name, command in commands.items():
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        counted[name] = instructions(command)
    return counted


def baseline_kind(baseline: Path) -> tuple[str, Path]:
    """What `--baseline` names: ("checkout", the folder) for a policyc checkout (pyproject.toml);
    for a virtual environment (bin/python) whose policyc is importable, ("venv-editable", its
    checkout) when installed editable, ("venv-installed", its site-packages) when installed.
    SystemExit with a message saying what it takes for anything else (a venv's site-packages, a
    venv without policyc, no such folder)."""
    takes = (
        "expected a policyc checkout (a folder with pyproject.toml) or a virtual environment "
        "with policyc installed in it (a folder with bin/python), e.g. --baseline ../main or "
        "--baseline ../main/.venv"
    )
    if (baseline / "pyproject.toml").is_file():
        return "checkout", baseline
    python = baseline / "bin" / "python"
    if not python.exists():
        venv = next((p for p in baseline.resolve().parents if (p / "pyvenv.cfg").is_file()), None)
        hint = f" (it is inside the virtual environment {venv}: give that)" if venv else ""
        raise SystemExit(f"--baseline {baseline}: {takes}{hint}")
    found = subprocess.run(
        [str(python), "-c",
         "import pathlib, policyc; print(pathlib.Path(policyc.__file__).resolve().parents[1])"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if found.returncode != 0:
        said = found.stderr.strip().splitlines()
        raise SystemExit(
            f"--baseline {baseline}: its Python cannot import policyc ({said[-1] if said else ''});"
            f" {takes}"
        )
    source = Path(found.stdout.strip())
    if (source / "pyproject.toml").is_file():
        return "venv-editable", source
    return "venv-installed", source


def measure_processes(
    work: Path, repeats: int, baseline: Path | None = None, count: bool = False
) -> tuple[dict[str, tuple[float, float]], dict[str, int | None]]:
    """Section 3: the whole processes, taking turns; with `baseline` (a venv whose `policyc` is
    another checkout installed editable, e.g. main's), the same from it and from that checkout
    installed, in the same rounds; `baseline` a checkout itself: that checkout installed. With
    `count`, also each `run` and `python` process's `instructions` (else an empty dict)."""
    installed = installed_python(work)
    run_args = ["run", str(TEXTILE), "--case", str(CASE)]
    commands = {
        "run": policyc(*run_args),
        "run_installed": [str(installed), "-m", "policyc", *run_args],
        "python": [sys.executable, "-c", "pass"],
        "python_installed": [str(installed), "-c", "pass"],
    }
    if baseline is not None:
        kind, source = baseline_kind(baseline)
        if kind == "checkout":
            other = installed_python(work, source, "baseline")
            commands["baseline_run_installed"] = [str(other), "-m", "policyc", *run_args]
        else:  # a venv: its policyc, and that checkout installed (or the venv's, installed)
            commands["baseline_run"] = [str(baseline / "bin" / "policyc"), *run_args]
            other = (
                installed_python(work, source, "baseline")
                if kind == "venv-editable"
                else baseline / "bin" / "python"
            )
            commands["baseline_run_installed"] = [str(other), "-m", "policyc", *run_args]
    measured = whole_processes(commands, repeats)
    checks = {"check": policyc("check", "policies/")}
    if "baseline_run" in commands and baseline is not None:
        checks["baseline_check"] = [str(baseline / "bin" / "policyc"), "check", "policies/"]
    measured.update(whole_processes(checks, max(3, repeats // 2)))
    return measured, count_instructions(commands) if count else {}


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
    parser.add_argument("--policy", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--path", choices=("auto", "duckdb"), default="auto", help=argparse.SUPPRESS
    )
    parser.add_argument("--policy-cases", type=int, default=20_000, help="rows per policy")
    parser.add_argument("--big", type=int, default=10_000_000, help="out-of-core rows (0: skip)")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument(
        "--processes", action="store_true", help="only section 3, the whole processes"
    )
    parser.add_argument(
        "--policies", action="store_true", help="only section 4, every shipped policy"
    )
    parser.add_argument("--repeats", type=int, default=15, help="rounds of the whole processes")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each run's instructions under valgrind (the same under any load)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="VENV_OR_CHECKOUT",
        help="also measure the policyc of this venv (e.g. main's) or checkout, taking turns",
    )
    args = parser.parse_args()
    if args.baseline is not None:  # what it names, said now rather than after the first sections
        baseline_kind(args.baseline)
    if args.engine:  # one measurement, in a process of its own (for its peak memory)
        print(json.dumps(measure(args.engine, args.n, args.parquet)))
        return 0
    if args.policy:
        print(json.dumps(policies_batch.run_policy(args.policy, args.parquet, args.path)))
        return 0
    start_load = os.getloadavg()[0]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *(str(ROOT / d) for d in PACKAGE_FOLDERS)],
        check=True,
        capture_output=True,
    )
    if args.policies:
        with tempfile.TemporaryDirectory(prefix="policyc-bench-") as work:
            policies = every_policy(Path(work), args.policy_cases)
        loads = (start_load, os.getloadavg()[0])
        print(f"{os.cpu_count()} cores, load average {loads[0]:.1f} at the start, "
              f"{loads[1]:.1f} at the end")  # fmt: skip
        print("\n".join(policy_lines(policies)))
        if args.json:
            args.json.write_text(json.dumps({"policies": policies, "load": loads}, indent=2))
        return 0
    if args.processes:
        with tempfile.TemporaryDirectory(prefix="policyc-bench-") as work:
            os.environ.setdefault("POLICYC_CACHE_DIR", str(Path(work) / "cache"))
            processes, counted = measure_processes(
                Path(work), args.repeats, args.baseline, args.instructions
            )
        loads = (start_load, os.getloadavg()[0])
        print(f"{os.cpu_count()} cores, load average {loads[0]:.1f} at the start, "
              f"{loads[1]:.1f} at the end; medians of {args.repeats} rounds")  # fmt: skip
        print("\n".join(process_lines(processes, counted)))
        if args.json:
            args.json.write_text(
                json.dumps(
                    {"processes_s": processes, "instructions": counted, "load": loads}, indent=2
                )
            )
        return 0
    with tempfile.TemporaryDirectory(prefix="policyc-bench-") as work:
        os.environ.setdefault("POLICYC_CACHE_DIR", str(Path(work) / "cache"))
        rows = engine_table(Path(work))
        latency = one_case_latency()
        processes, counted = measure_processes(
            Path(work), args.repeats, args.baseline, args.instructions
        )
        policies = every_policy(Path(work), args.policy_cases)
        big = out_of_core(Path(work), args.big) if args.big else None
    loads = (start_load, os.getloadavg()[0])
    print(report(rows, latency, processes, policies, big, loads, counted), end="")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "rows": rows,
                    "latency_us": latency,
                    "processes_s": processes,
                    "instructions": counted,
                    "policies": policies,
                    "out_of_core": big,
                    "load": loads,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
