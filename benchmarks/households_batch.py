"""Household cases per second through `policyc run --cases --members` (issue 12).

N households of the county fixture (tests/fixtures/county-household/), 1 to 6 members each, a
month or a year, incomes by one value, by month or by year, are written as a cases CSV and a
members CSV; one PeopleBatch reads and checks them, evaluates every case and sums the results,
as `policyc run --cases` does. CPU time (time.process_time) per phase, then households per
second, and the peak resident memory; and, for scale, the per-case runtime alone on the same
cases (CompiledPolicy.evaluate in a loop, the cases already read).

    .venv/bin/python benchmarks/households_batch.py [N] [--repeat K]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
POLICY = HERE.parent / "tests" / "fixtures" / "county-household" / "county-household.policy"
ROLES = ("配偶", "子女", "子女", "其他成员")


def write_households(n: int, folder: Path, seed: int = 1) -> tuple[Path, Path]:
    """N households as a cases file and a members file in `folder`."""
    rng = random.Random(seed)
    cases, members = folder / "cases.csv", folder / "members.csv"
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    with (
        cases.open("w", encoding="utf-8", newline="") as c,
        members.open("w", encoding="utf-8", newline="") as m,
    ):
        case_out, member_out = csv.writer(c), csv.writer(m)
        case_out.writerow(["id", "period"])
        member_out.writerow(
            ["case", "member", "role", "出生日期", "月收入", *[f"月收入[{p}]" for p in months]]
        )
        for k in range(1, n + 1):
            year = rng.random() < 0.2
            case_out.writerow([f"户{k}", "2026" if year else rng.choice(months)])
            roles = ["申请人", *rng.sample(ROLES, rng.randint(0, 4))]
            for j, role in enumerate(roles):
                born = (
                    f"{rng.randint(1940, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                )
                income = f"{rng.randint(0, 400000) / 100:.2f}"
                by_month = [income] * 12 if year else [""] * 12
                member_out.writerow(
                    [f"户{k}", f"成员{j}", role, born, "" if year else income, *by_month]
                )
    return cases, members


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from policyc.batch_people import PeopleBatch
    from policyc.batch_progress import Progress
    from policyc.compiler.pipeline import compile_policy

    policy = compile_policy(POLICY)
    with tempfile.TemporaryDirectory() as folder:
        cases, members = write_households(args.n, Path(folder))
        print(f"{args.n:,} households, {sum(1 for _ in members.open()) - 1:,} members")
        for _ in range(args.repeat):
            with PeopleBatch(policy, {}, Progress(False)) as batch:
                t0 = time.process_time()
                batch.load_people(cases, None, members)
                t1 = time.process_time()
                batch.evaluate()
                t2 = time.process_time()
                batch.summary()
                t3 = time.process_time()
                loose = [case for _, _, case in batch.cases]
            t4 = time.process_time()
            for case in loose:
                assert case.on is not None
                policy.evaluate(case.inputs, case.on)
            t5 = time.process_time()
            print(
                f"read+check {t1 - t0:6.2f}s  evaluate {t2 - t1:6.2f}s  sum {t3 - t2:5.2f}s  "
                f"= {args.n / (t3 - t0):8,.0f} households/s CPU   "
                f"(per-case runtime alone: {args.n / (t5 - t4):8,.0f}/s)"
            )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory {peak:,.0f} MB (the files are held in memory, row by row)")


if __name__ == "__main__":
    main()
