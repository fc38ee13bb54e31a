"""Memory and time of compiling and running a policy of 1k, 10k and 100k rules (issue 17, §3).

`python benchmarks/scaling_memory.py [N ...]` generates a policy of N rules (100 to a clause,
each `when x >= i 元 amount i 元`), and, each in a fresh process, prints per stage the seconds
and the peak resident memory (MB) so far: read, Lark parse + AST, check, generate, compile (in
pieces, as `policyc run` does), the cache entry's size; then a whole `policyc run` with the
cache cold and warm. `--one-piece` also compiles the module in one piece, the way policyc did
before (in a child limited to 6 GB of address space, reported as "MemoryError" beyond).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
LIMIT = 6 * 2**30

STAGES = r"""
import marshal, pickle, resource, sys, time
from pathlib import Path
from policyc.compiler.parser import parse, _lark
from policyc.compiler.checker import check
from policyc.compiler.codegen import generate
from policyc.compiler.pipeline import compile_module, read_source

def mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

def stage(name, start):
    print(f"{name}\t{time.perf_counter() - start:.2f}\t{mb()}", flush=True)

_lark()
path, one_piece = Path(sys.argv[1]), sys.argv[2] == "1"
t = time.perf_counter(); text = read_source(path); stage("read", t)
t = time.perf_counter(); parsed = parse(text, str(path)); stage("parse+build", t)
t = time.perf_counter(); checked = check(parsed, text); stage("check", t)
t = time.perf_counter(); source = generate(checked); stage("generate", t)
print(f"source bytes\t{len(source.encode())}\t", flush=True)
t = time.perf_counter(); codes = compile_module(source, "<bench>"); stage("compile (pieces)", t)
t = time.perf_counter()
entry = len(pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL)) + len(marshal.dumps(codes))
stage("pickle+marshal", t)
print(f"entry bytes\t{entry}\t", flush=True)
if one_piece:
    del codes
    t = time.perf_counter()
    try:
        compile(source, "<bench>", "exec")
        stage("compile (one piece)", t)
    except MemoryError:
        print("compile (one piece)\tMemoryError\t", flush=True)
"""


def write_policy(folder: Path, rules: int) -> Path:
    sys.path.insert(0, str(ROOT))
    from tests.conftest import HEADER, QUOTE

    for name in ("source.txt", "units.policy"):
        (folder / name).write_bytes((MINI / name).read_bytes())
    parts = [HEADER, "input x: 元\n"]
    for first in range(0, rules, 100):
        body = "\n".join(
            f"  rule r{i} {{ when x >= {i} 元 amount {i} 元 }}"
            for i in range(first, min(rules, first + 100))
        )
        number = first // 100 + 1
        parts.append(f'clause {number} "条款" {{\n  {QUOTE}\n  responsible 市商务局\n{body}\n}}\n')
    path = folder / "p.policy"
    path.write_text("".join(parts), encoding="utf-8")
    (folder / "case.yaml").write_text("on: 2023-06-30\ninputs: {x: 500}\n", encoding="utf-8")
    return path


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def whole_run(path: Path, env: dict[str, str]) -> tuple[float, int]:
    """Seconds and peak MB of one `policyc run` process."""
    code = (
        "import resource, sys\nfrom policyc.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024\n"
        "sys.stderr.write(f'PEAK {peak}\\n')\n"
        "raise SystemExit(status)\n"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, "run", str(path), "--case", str(path.parent / "case.yaml")],
        capture_output=True, text=True, env=env, preexec_fn=_limit,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    peaks = [line for line in done.stderr.splitlines() if line.startswith("PEAK ")]
    if done.returncode != 0 or not peaks:
        return seconds, -1
    return seconds, int(peaks[-1].split()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000, 100_000])
    parser.add_argument("--one-piece", action="store_true")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; seconds and peak resident MB (ru_maxrss) per stage\n")
    for rules in args.sizes:
        with tempfile.TemporaryDirectory() as work:
            folder = Path(work)
            path = write_policy(folder, rules)
            print(f"== {rules} rules, policy {path.stat().st_size / 1e6:.1f} MB", flush=True)
            done = subprocess.run(
                [sys.executable, "-c", STAGES, str(path), "1" if args.one_piece else "0"],
                capture_output=True, text=True, preexec_fn=_limit,
            )  # fmt: skip
            for line in done.stdout.splitlines():
                name, *figures = line.split("\t")
                print(f"  {name:<22} " + "  ".join(f for f in figures if f))
            if done.returncode != 0:
                print(f"  failed: {done.stderr.strip().splitlines()[-1:]}")
            env = {**os.environ, "POLICYC_CACHE_DIR": str(folder / "cache")}
            env.pop("POLICYC_NO_CACHE", None)
            for label in ("run, cache cold", "run, cache warm"):
                seconds, peak = whole_run(path, env)
                print(f"  {label:<22} {seconds:.2f} s  {peak} MB", flush=True)


if __name__ == "__main__":
    main()
