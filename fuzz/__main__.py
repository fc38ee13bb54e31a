"""`python -m fuzz [--seconds N] [--jobs J] [TARGET ...]`: fuzz each target for N seconds.

The corpus grows under fuzz/corpus/TARGET/ (seeded from the repo's policies, fixtures and
examples on every run); a crash, a timeout (an input taking over --timeout seconds) or an input
that needs over --rss-mb of memory is written under fuzz/findings/TARGET/ and named in the
summary. Exit status 1 when anything was found.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fuzz.targets import REPO, TARGETS, seeds

HERE = Path(__file__).resolve().parent
KEYWORDS = re.compile(r'"([^"\\]+)"')


def dictionary(path: Path) -> None:
    """A libFuzzer dictionary: every keyword and symbol of the grammar, plus measures and
    boundary words, so that mutations speak the language."""
    grammar = (REPO / "grammar" / "policy.lark").read_text(encoding="utf-8")
    words = set(KEYWORDS.findall(grammar))
    words |= {"元", "万元", "亿元", "美元", "人", "单", "月", "年", "元/人", "元/月/间", "%", "种"}
    words |= {"2023-01-06", "2026-01-05", "9999-12-31", "0", "0.2", "100", "-", "\n", "{", "}"}
    words |= {"on:", "inputs:", "received:", "readings:", "expect:", "policy:", "&a", "*a", "!!"}
    path.write_text("".join(f'"{_escape(w)}"\n' for w in sorted(words)), encoding="ascii")


def _escape(word: str) -> str:
    return "".join(
        chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else f"\\x{b:02X}"
        for b in word.encode("utf-8")
    )


def run_target(name: str, seconds: int, timeout: int, rss_mb: int, scratch: Path) -> dict[str, str]:
    corpus = HERE / "corpus" / name
    findings = HERE / "findings" / name
    seed_dir = scratch / f"seeds-{name}"
    for folder in (corpus, findings, seed_dir):
        folder.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(seeds(name)):
        shutil.copy(seed, seed_dir / f"{i:04d}-{seed.name}")
    words = scratch / "policy.dict"
    dictionary(words)
    log = HERE / "findings" / f"{name}.log"
    command = [
        sys.executable, "-m", "fuzz.harness", name,
        f"-max_total_time={seconds}", f"-timeout={timeout}", f"-rss_limit_mb={rss_mb}",
        "-max_len=100000", "-print_final_stats=1", f"-dict={words}",
        f"-artifact_prefix={findings}/", str(corpus), str(seed_dir),
    ]  # fmt: skip
    with log.open("w", encoding="utf-8") as out:
        status = subprocess.run(
            command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, check=False
        ).returncode
    text = log.read_text(encoding="utf-8", errors="replace")
    stats = dict(re.findall(r"stat::(\w+):\s*(\d+)", text))
    crashes = sorted(p.name for p in findings.iterdir() if p.suffix != ".txt")
    return {
        "target": name,
        "status": str(status),
        "executions": stats.get("number_of_executed_units", "?"),
        "per_second": stats.get("average_exec_per_sec", "?"),
        "coverage": (re.findall(r"cov: (\d+)", text) or ["?"])[-1],
        "corpus": str(sum(1 for _ in corpus.iterdir())),
        "findings": ", ".join(crashes) or "none",
        "log": str(log.relative_to(REPO)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__)
    parser.add_argument(
        "targets", nargs="*", metavar="TARGET", help=f"{', '.join(TARGETS)} (default: all)"
    )
    parser.add_argument("--seconds", type=int, default=60, help="per target (default 60)")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take")
    parser.add_argument("--rss-mb", type=int, default=2048, help="memory one process may use")
    parser.add_argument("--jobs", type=int, default=1, help="targets fuzzed at once")
    args = parser.parse_args()
    names = args.targets or list(TARGETS)
    unknown = [name for name in names if name not in TARGETS]
    if unknown:
        parser.error(f"unknown target {', '.join(unknown)}; the targets are {', '.join(TARGETS)}")
    with tempfile.TemporaryDirectory(prefix="policyc-fuzz-") as tmp:
        scratch = Path(tmp)
        if args.jobs > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(args.jobs) as pool:
                reports = list(
                    pool.map(
                        lambda n: run_target(n, args.seconds, args.timeout, args.rss_mb, scratch),
                        names,
                    )
                )
        else:
            reports = [
                run_target(n, args.seconds, args.timeout, args.rss_mb, scratch) for n in names
            ]
    found = False
    for report in reports:
        print("  ".join(f"{k}={v}" for k, v in report.items()))
        found = found or report["findings"] != "none"
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
