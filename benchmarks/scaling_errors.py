"""Cost of reporting problems at 1×, 10× and 100×: `python benchmarks/scaling_errors.py`.

1. `policyc check` on a policy with N rules that each name an unknown input (N check errors).
2. `policyc check --coverage` on a policy whose source text has N sentences no quote covers.
3. In process: rendering a `PolicyError` of N diagnostics over an N-line source, the mechanism
   both go through (the line index and the cap on printed problems).

Each figure is the median of a few whole runs (seconds), with the lines written to stderr; the
rate column shows whether the cost per problem stays flat as N grows (linear), which is what
these figures are for. Nothing here is asserted: speed goals are figures, never timed tests.

Figures (2 cores shared with other jobs, load 5-10; seconds, median of 3):

    what                      1× (200)   10× (2,000)   100× (20,000)
    check, N errors    before     2.62          7.83    (138 s reported in issue 17)
                       after      2.01          7.13           67.83  (3.4 ms/error, flat)
    check --coverage   before     1.46          3.91    -
                       after      2.98          3.63            9.44  (60,000 lines printed)
    render N of N      before    0.018         3.369    (quadratic: ~340 s extrapolated)
      (in process)     after     0.003         0.099           1.118  (56 µs/problem, flat)

After the change `check` prints 100 problems and "… and N more"; what remains of its time
with 20,000 errors is parsing and checking (Lark's LALR parser, linear), not rendering.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = 200  # problems at 1×
REPEATS = 3

HEADER = """policy "测试〔2023〕9号" {{
    title "测试"
    issuer 天门市人民政府
    issued 2023-01-06
    source "source.txt" lines 1 to {lines}
    units from "units.policy"
}}
input 人数: 人 optional
"""
CLAUSE = 'clause 一 "一" {\n  quote "第一句。"\n'
UNITS = 'unit 天门市人民政府 "天门市人民政府"\n'


def _write_errors_policy(folder: Path, count: int) -> Path:
    (folder / "units.policy").write_text(UNITS, encoding="utf-8")
    (folder / "source.txt").write_text("一、第一句。\n", encoding="utf-8")
    rules = "".join(
        f"  rule 规则{i} {{ when 人数{i} 5 人 以上 amount 1 元 }}\n" for i in range(count)
    )
    text = HEADER.format(lines=1) + CLAUSE + rules + "}\n"
    path = folder / "errors.policy"
    path.write_text(text, encoding="utf-8")
    return path


def _write_coverage_policy(folder: Path, count: int) -> Path:
    (folder / "units.policy").write_text(UNITS, encoding="utf-8")
    sentences = "".join(f"第{i}句话没有被引用。\n" for i in range(count))
    (folder / "source.txt").write_text("一、第一句。\n" + sentences, encoding="utf-8")
    rule = "  rule 规则 { when 人数 5 人 以上 amount 1 元 }\n"
    text = HEADER.format(lines=count + 1) + CLAUSE + rule + "}\n"
    path = folder / "coverage.policy"
    path.write_text(text, encoding="utf-8")
    return path


def _time_process(args: list[str], cwd: Path) -> tuple[float, int]:
    times: list[float] = []
    lines = 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "policyc", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
        lines = done.stderr.count("\n")
    return statistics.median(times), lines


def _time_render(count: int) -> float:
    from policyc.compiler.errors import Diagnostic, PolicyError, Span

    source = "".join(f"第{i}行 rule 规则{i} {{ amount 1 元 }}\n" for i in range(count))
    diagnostics = [
        Diagnostic(Span("p.policy", i + 1, 4, i + 1, 9), f"problem {i}") for i in range(count)
    ]
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        PolicyError(diagnostics, {"p.policy": source}).render(limit=count)  # every one printed
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=100, choices=(1, 10, 100), help="largest scale")
    scales = [s for s in (1, 10, 100) if s <= parser.parse_args().max]
    print(f"problems at 1× = {BASE}; median of {REPEATS} runs; seconds")
    print(f"{'what':<28}{'scale':>6}{'N':>8}{'seconds':>10}{'µs per N':>10}{'lines':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            count = BASE * scale
            folder = Path(tmp) / f"errors{scale}"
            folder.mkdir()
            path = _write_errors_policy(folder, count)
            seconds, lines = _time_process(["check", path.name], folder)
            print(
                f"{'check, N errors':<28}{scale:>5}×{count:>8}{seconds:>10.2f}"
                f"{seconds / count * 1e6:>10.0f}{lines:>8}"
            )
        for scale in scales:
            count = BASE * scale
            folder = Path(tmp) / f"coverage{scale}"
            folder.mkdir()
            path = _write_coverage_policy(folder, count)
            seconds, lines = _time_process(["check", "--coverage", path.name], folder)
            print(
                f"{'check --coverage, N gaps':<28}{scale:>5}×{count:>8}{seconds:>10.2f}"
                f"{seconds / count * 1e6:>10.0f}{lines:>8}"
            )
    for scale in scales:
        count = BASE * scale
        seconds = _time_render(count)
        print(
            f"{'render N of N (in process)':<28}{scale:>5}×{count:>8}{seconds:>10.3f}"
            f"{seconds / count * 1e6:>10.1f}{count * 2:>8}"
        )


if __name__ == "__main__":
    main()
