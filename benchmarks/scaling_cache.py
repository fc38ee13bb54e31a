"""`policyc run` on a policy padded with 1×, 10×, 100× blank lines stays linear (issue 17, §3).

`python benchmarks/scaling_cache.py [BLANK_LINES ...]` (default 1,000, 10,000, 100,000) prints,
for a small policy with that many blank lines before its first clause:

- the cache key of that text (compiler/cache.py), in process;
- the regex policyc used to find the registry and source files for the key until issue 17
  (`^\\s*(?:units\\s+from|source)\\s+"…"` over the whole text): quadratic in blank lines, shown
  for comparison only, with a time limit;
- whole `policyc run` processes: the cache turned off, then cold, then warm.

Times are the best of three (whole processes: one each), on whatever else the machine runs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"

OLD_DEPENDENCIES = r'^\s*(?:units\s+from|source)\s+"((?:[^"\\\n]|\\.)*)"'
OLD_LIMIT = 60.0  # seconds the old scan may take before it is reported as "> 60 s"


def write_policy(folder: Path, blank_lines: int) -> Path:
    sys.path.insert(0, str(ROOT))
    from tests.conftest import HEADER, QUOTE

    for name in ("source.txt", "units.policy"):
        (folder / name).write_bytes((MINI / name).read_bytes())
    rule = "rule r { amount 1 元 }"
    clause = f'clause 七 "降低物流成本" {{\n  {QUOTE}\n  responsible 市商务局\n  {rule}\n}}\n'
    path = folder / "p.policy"
    path.write_text(HEADER + "\n" * blank_lines + clause, encoding="utf-8")
    (folder / "case.yaml").write_text("on: 2023-06-30\ninputs: {}\n", encoding="utf-8")
    return path


def best_of(repeats: int, action) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def _old_scan(text: str) -> None:
    re.compile(OLD_DEPENDENCIES, re.MULTILINE).findall(text)


def old_scan_seconds(text: str) -> str:
    process = multiprocessing.Process(target=_old_scan, args=(text,))
    start = time.perf_counter()
    process.start()
    process.join(OLD_LIMIT)
    if process.is_alive():
        process.kill()
        process.join()
        return f"> {OLD_LIMIT:.0f} s"
    return f"{time.perf_counter() - start:.3f} s"


def run_seconds(path: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    case = path.parent / "case.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(path), "--case", str(case)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"policyc run failed: {done.stderr}")
    return time.perf_counter() - start


def main() -> None:
    from policyc.compiler import cache

    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000, 100_000])
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    header = (
        f"{'blank lines':>12} {'cache key':>10} {'old scan':>10} "
        f"{'run, no cache':>14} {'run, cold':>10} {'run, warm':>10}"
    )
    print(header)
    for blank_lines in args.sizes:
        with tempfile.TemporaryDirectory() as work:
            path = write_policy(Path(work), blank_lines)
            text = path.read_text(encoding="utf-8")
            key = best_of(3, lambda: cache.cache_key(path, text))  # noqa: B023
            old = old_scan_seconds(text)
            env = {k: v for k, v in os.environ.items() if k != "POLICYC_NO_CACHE"}
            env["POLICYC_CACHE_DIR"] = str(Path(work) / "cache")
            off = run_seconds(path, {**env, "POLICYC_NO_CACHE": "1"})
            cold = run_seconds(path, env)
            warm = run_seconds(path, env)
            print(
                f"{blank_lines:>12,} {key * 1000:>8.2f}ms {old:>10} "
                f"{off:>12.2f} s {cold:>8.2f} s {warm:>8.2f} s",
                flush=True,
            )


if __name__ == "__main__":
    main()
