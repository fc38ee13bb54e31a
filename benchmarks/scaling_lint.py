"""Cost of the lint's check of ranges split between the rules of a clause, at 1×, 10× and
100× rules: `python benchmarks/scaling_lint.py`.

A clause of N rules `when x 不少于 i 人 and x 不满 i+1 人`: each rule's range ends where the next
one's begins, so every rule meets another (the case the check looks for, matched through a table
of where ranges start rather than by comparing every pair). The rate column shows whether the
cost per rule stays flat as N grows. Nothing here is asserted: speed goals are figures, never
timed tests (tests/test_lint.py checks the answer at 3,000 rules).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from policyc.compiler.lint import lint
from policyc.compiler.pipeline import check_policy

HEADER = """policy "测试〔2023〕9号" {{
    title "测试"
    issuer 天门市人民政府
    issued 2023-01-06
    source "source.txt" lines 1 to 1
}}
unit 天门市人民政府 "天门市人民政府"
input x: 人
clause 一 "一" {{
    quote "第一句。"
{rules}
}}
"""


def seconds(count: int, folder: Path) -> float:
    rules = "\n".join(
        f"    rule r{i} {{ when x 不少于 {i} 人 and x 不满 {i + 1} 人 amount 1 元 }}"
        for i in range(count)
    )
    (folder / "source.txt").write_text("一、第一句。\n", encoding="utf-8")
    path = folder / f"lint-{count}.policy"
    path.write_text(HEADER.format(rules=rules), encoding="utf-8")
    policy = check_policy(path)
    runs = []
    for _ in range(3):
        started = time.process_time()
        found = lint(policy)
        runs.append(time.process_time() - started)
    assert not [d for d in found if d.code == "ranges-meet"], "the ranges are cleanly cut"
    return statistics.median(runs)


def main() -> int:
    print(f"lint of a clause of N rules (CPU seconds, median of 3; {sys.version.split()[0]})")
    with tempfile.TemporaryDirectory() as temp:
        for count in (300, 3_000, 30_000):
            taken = seconds(count, Path(temp))
            print(f"  N = {count:>6,}: {taken:8.3f} s  ({taken / count * 1e6:7.1f} µs/rule)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
