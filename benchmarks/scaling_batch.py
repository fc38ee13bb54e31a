"""How the batch path's cost grows with its input (issue 17 §3): `python scaling_batch.py`.

1. Garbage through --cases: N rows whose every value is bad (a distinct text in a count column
   and in a date column), loaded and checked by `Batch.load` until it refuses the file, at
   N = 10,000, 100,000 and 1,000,000. Before, each bad value started a scan of the whole file
   (1,000,000 rows ran past 45 minutes); now one grouped pass per column reads each distinct
   value once and stops after 20 problems.
2. The batch query for a rule whose `when` is an all_of over k schedule conditions, at k = 10,
   100 and 1,000: the size of the generated SQL and the time to generate it and to run it on
   1,000 cases. Before, the NotApplicable flag repeated every earlier condition for each later
   one (k² terms; 1,000 conditions ran out of memory).

Prints figures and the ratio to the 1× step; asserts nothing (the unit tests check behaviour).

Measured 2026-11-30 on the shared 2-core machine (load average about 10, so absolute times are
loose; the ratios are the point):

    garbage rows   10,000: 0.47 s   100,000: 0.77 s   1,000,000: 5.90 s (was > 45 min)
    all_of k       10: 14,345 SQL chars, ran 1.27 s    100: 136,925 (9.5×), 8.61 s
                   1,000: 1,362,725 (95×), generated in 0.15 s, ran 99.6 s on 1,000 cases
                   (was: out of memory)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEXTILE = ROOT / "policies" / "tzf-2023-1.policy"
FIXTURES = ROOT / "tests" / "fixtures" / "mini"

from policyc.batch import Batch, BatchError  # noqa: E402
from policyc.compiler.batch import generate_batch  # noqa: E402
from policyc.compiler.pipeline import compile_policy  # noqa: E402


def garbage(folder: Path, rows: int) -> Path:
    path = folder / f"garbage-{rows}.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("on,申请人类型,用工企业常年用工人数,劳动合同起始日期\n")
        for i in range(rows):
            handle.write(f"2023-12-31,推荐者,x{i},?{i}\n")
    return path


def time_garbage(folder: Path, sizes: list[int]) -> None:
    policy = compile_policy(TEXTILE)
    print("1. garbage rows through --cases (load and check until refused)")
    print(f"   {'rows':>10}  {'seconds':>8}  {'× of 1×':>8}  last line of the message")
    first = 0.0
    for rows in sizes:
        path = garbage(folder, rows)
        start = time.perf_counter()
        with Batch(policy) as batch:
            try:
                batch.load(path, None)
                message = "(accepted?)"
            except BatchError as exc:
                message = str(exc).splitlines()[-1]
        seconds = time.perf_counter() - start
        first = first or seconds
        print(f"   {rows:>10,}  {seconds:8.2f}  {seconds / first:8.1f}  {message}")
        path.unlink()


def all_of_policy(folder: Path, k: int) -> Path:
    for name in ("source.txt", "units.policy"):
        shutil.copy(FIXTURES / name, folder / name)
    sys.path.insert(0, str(ROOT))
    from tests.conftest import PolicyFactory

    factory = PolicyFactory(folder)
    items = ", ".join(
        f'"c{i}": schedule from 入驻日期 {{ year 1 to 3: 1 元 }} >= 1 元' for i in range(k)
    )
    return factory.write(
        factory.clause(
            f"  rule r {{ when all_of {{ {items} }} amount 1 元 }}",
            "input 入驻日期: date optional\n",
        )
    )


def time_all_of(folder: Path, sizes: list[int]) -> None:
    print("2. all_of over k schedule conditions: the batch query")
    print(f"   {'k':>6}  {'SQL chars':>10}  {'× of 1×':>8}  {'generate s':>10}  {'run s':>7}")
    cases = folder / "dates.csv"
    with cases.open("w", encoding="utf-8") as handle:
        handle.write("on,入驻日期\n")
        for i in range(1000):
            handle.write(f"2024-0{1 + i % 9}-1{i % 10},2023-0{1 + i % 9}-0{1 + i % 9}\n")
    first = 0
    for k in sizes:
        sub = folder / f"k{k}"
        sub.mkdir()
        policy = compile_policy(all_of_policy(sub, k))
        start = time.perf_counter()
        program = generate_batch(policy.checked, policy.namespace["READINGS"])
        generated = time.perf_counter() - start
        first = first or len(program.sql)
        start = time.perf_counter()
        with Batch(policy) as batch:
            batch.load(cases, None)
            batch.evaluate()
            statuses = {r["r"][0] for _, r in batch.rows()}
        ran = time.perf_counter() - start
        print(
            f"   {k:>6,}  {len(program.sql):>10,}  {len(program.sql) / first:8.1f}  "
            f"{generated:10.3f}  {ran:7.2f}  {sorted(statuses)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10× smaller garbage files")
    args = parser.parse_args()
    sizes = [1_000, 10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    with tempfile.TemporaryDirectory(prefix="policyc-scaling-") as temp:
        folder = Path(temp)
        time_garbage(folder, sizes)
        print()
        time_all_of(folder, [10, 100, 1000])


if __name__ == "__main__":
    main()
