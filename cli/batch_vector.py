"""`policyc run POLICY --cases FILE.parquet` through the numpy engine, when it holds the policy
and the file: read with pyarrow row group by row group (batch_arrow.py), evaluated by
compiler/batch_vector*.py on every core (numpy works outside the GIL: one row group per
thread), summed into the same summary as the DuckDB path (batch_summary.summarise, given the
aggregates its SQL would have computed).

`VectorBatch.prepare` returns "" when the engine ran, else the reason it did not (the policy
holds a construct it does not, a value may pass 64 bits, the file holds anything but plain
values): the caller then runs the DuckDB path (cli/batch.py), which reads and checks the file
again and reports its problems.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from policyc.batch_arrow import ArrowFile, Refused, group_arrays, open_arrow, read_table
from policyc.batch_summary import summarise
from policyc.compiler.batch import RULE_STATUSES, STATUSES, BatchProgram
from policyc.compiler.batch_rules import APPLIES
from policyc.compiler.batch_sql import Unsupported
from policyc.compiler.batch_vector import LIMIT, Val
from policyc.compiler.batch_vector_rules import RuleResult, VectorProgram, vector_program
from policyc.compiler.i18n import _
from policyc.compiler.pipeline import CompiledPolicy

__all__ = ["CPU_STEPS", "SLICE", "VectorBatch", "reuse_memory"]

CPU_STEPS = ("open", "read", "check", "evaluate", "sums")  # VectorBatch.cpu's keys
SLICE = 131_072  # rows evaluated at once at most (see _run): DuckDB writes 122,880 a group


@attrs.define
class _Sums:
    """One rule's aggregates over some rows: cases per status (RULE_STATUSES' order), the sum
    of the amounts in units (None: none applies), the three largest, how many the cap bit."""

    counts: list[int]
    total: int | None = None
    largest: list[int] = attrs.field(factory=list)
    capped: int = 0

    def add(self, other: _Sums) -> None:
        self.counts = [a + b for a, b in zip(self.counts, other.counts, strict=True)]
        if other.total is not None:
            self.total = other.total + (self.total or 0)
        self.largest = sorted([*self.largest, *other.largest], reverse=True)[:3]
        self.capped += other.capped


class VectorBatch:
    """One batch run by the numpy engine: prepare (read, check, evaluate, sum), then summary().
    With `keep`, each row group's results are kept for rows()."""

    def __init__(
        self,
        policy: CompiledPolicy,
        readings: Mapping[str, str] | None = None,
        keep: bool = False,
        threads: int | None = None,
    ):
        self.policy = policy
        self.checked = policy.checked
        self.readings = dict(policy.namespace["READINGS"])
        self.readings.update(readings or {})
        self.keep = keep
        self.threads = threads or min(os.cpu_count() or 1, 8)
        self.count = 0
        self.day: date | None = None
        self.fallback_note = ""
        self.program: BatchProgram | None = None
        self.sums: list[_Sums] = []
        self.scales: list[int] = []  # each rule's amounts' scale
        self.kept: list[list[RuleResult]] = []  # per slice, in file order (keep)
        # CPU seconds by step (CPU_STEPS), every thread's added up: where the time goes.
        self.cpu: dict[str, float] = dict.fromkeys(CPU_STEPS, 0.0)

    def prepare(self, path: Path, day: date | None) -> str:
        """Read, check and evaluate the file: "" when done, else why the engine does not hold
        the policy or the file (nothing is reported: the DuckDB path reads the file again)."""
        if day is None:
            return _("no --on date")
        start = time.thread_time()
        file = open_arrow(path, self.checked)
        if isinstance(file, str):
            return file
        try:
            vector = vector_program(self.checked, self.readings, file.columns, day)
        except Unsupported as exc:
            return str(exc)
        self.cpu["open"] = time.thread_time() - start
        try:
            self._run(file, vector)
        except Refused as exc:
            return str(exc)
        self.day, self.count = day, file.count
        rules = tuple(r.info for r in vector.rules)
        self.program = BatchProgram(vector.policy, dict(self.readings), rules, "")
        return ""

    def _run(self, file: ArrowFile, vector: VectorProgram) -> None:
        members: dict[str, dict[str, int]] = {}

        def group(index: int) -> tuple[list[_Sums], list[list[RuleResult]], list[float]]:
            clock = [time.thread_time()]
            table = read_table(file, self.checked, index)
            clock.append(time.thread_time())
            count, env = group_arrays(file, self.checked, table, members)
            del table
            clock.append(time.thread_time())
            sums = [_Sums([0] * len(RULE_STATUSES)) for _ in vector.rules]
            kept = []
            # In slices of SLICE rows: each step's arrays stay in the cache, and the memory
            # they take is reused from one slice to the next rather than asked of the system.
            for start in range(0, count, SLICE):
                stop = min(count, start + SLICE)
                part = {name: _sliced(value, start, stop) for name, value in env.items()}
                results = vector.run(part, stop - start)
                clock.append(time.thread_time())
                for total, result, rule in zip(sums, results, vector.rules, strict=True):
                    total.add(_sums(result, rule.info.unit != ""))
                clock.append(time.thread_time())
                if self.keep:
                    kept.append(results)
            # CPU seconds of this thread by step (CPU_STEPS), the slices' added up.
            steps = [clock[1] - clock[0], clock[2] - clock[1]]
            steps.append(sum(b - a for a, b in zip(clock[2::2], clock[3::2], strict=False)))
            steps.append(sum(b - a for a, b in zip(clock[3::2], clock[4::2], strict=False)))
            return sums, kept, steps

        sums = [_Sums([0] * len(RULE_STATUSES)) for _ in vector.rules]
        if self.threads > 1 and file.groups > 1:
            with ThreadPoolExecutor(self.threads) as pool:
                parts = list(pool.map(group, range(file.groups)))
        else:
            parts = [group(i) for i in range(file.groups)]
        for part, results, steps in parts:
            for total, more in zip(sums, part, strict=True):
                total.add(more)
            self.kept += results
            for step, seconds in zip(CPU_STEPS[1:], steps, strict=True):
                self.cpu[step] += seconds
        self.sums = sums
        self.scales = [rule.scale for rule in vector.rules]

    def groups(self) -> list[tuple[Any, ...]]:
        """The one row (the year of --on, then per rule the aggregates) that summarise's SQL
        computes: per status a count, then for a rule with an amount the sum (None when no
        case applies), the three largest amounts and how many the cap bit."""
        assert self.program is not None and self.day is not None
        row: list[Any] = [self.day.year]
        for info, sums, scale in zip(self.program.rules, self.sums, self.scales, strict=True):
            row += sums.counts
            if info.unit:
                total = None if sums.total is None else _decimal(sums.total, scale)
                row += [total, [_decimal(x, scale) for x in sums.largest], sums.capped]
        return [tuple(row)]

    def summary(self) -> dict[str, Any]:
        return summarise(self, self.groups())  # type: ignore[arg-type]

    def rows(self) -> Iterator[tuple[int, dict[str, tuple[str, Decimal | None, Decimal | None]]]]:
        """(row, {rule: (status, amount, uncapped)}) for every case in file order, as
        Batch.rows gives them (kept results only)."""
        assert self.program is not None
        row = 0
        for results in self.kept:
            count = len(results[0].status) if results else 0
            for k in range(count):
                row += 1
                out: dict[str, tuple[str, Decimal | None, Decimal | None]] = {}
                for info, r in zip(self.program.rules, results, strict=True):
                    status = int(r.status[k])
                    amount = uncapped = None
                    if info.unit and status == APPLIES and r.amount is not None:
                        amount = _decimal(int(r.amount[k]), r.scale)
                        if r.capped is not None and r.capped[k] and r.before is not None:
                            uncapped = _decimal(int(r.before[k]), r.scale)
                    out[info.name] = (STATUSES[status], amount, uncapped)
                yield row, out


def reuse_memory() -> None:
    """Ask glibc's malloc to keep the memory numpy's temporaries free for the next ones (a
    threshold of 32 MB before it maps a block of its own, 256 MB before it gives freed memory
    back), instead of returning it and faulting fresh pages in at every step: about a third of
    the engine's CPU time on 1,000,000 cases (benchmarks/run.py) went to those page faults.
    For the `policyc run` process only (it exits when the batch is done); elsewhere (not glibc)
    nothing happens."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, 256 << 20)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        return


def _sliced(value: Val, start: int, stop: int) -> Val:
    """Rows start…stop of an input (a constant stays itself)."""

    def cut(array: Any) -> Any:
        return array[start:stop] if np.ndim(array) else array

    return Val(cut(value.v), None if value.known is None else cut(value.known), value.na)


def _sums(result: RuleResult, amounts: bool) -> _Sums:
    status = result.status
    counts = [int(np.count_nonzero(status == STATUSES.index(s))) for s in RULE_STATUSES]
    sums = _Sums(counts)
    if not amounts or result.amount is None or counts[APPLIES] == 0:
        return sums
    sums.total = _exact_sum(result.amount, result.bound)
    sums.largest = _largest(result.amount, status)
    sums.capped = int(np.count_nonzero(result.capped)) if result.capped is not None else 0
    return sums


def _exact_sum(units: np.ndarray, bound: int) -> int:
    """The exact sum of int64 units: in one pass when no partial sum can pass 64 bits (every
    value at most `bound`), else in two halves of 32 bits (no partial sum of up to 2^31 values
    overflows)."""
    if bound * len(units) <= LIMIT:
        return int(np.sum(units))
    high = int(np.sum(units >> 32, dtype=np.int64))
    low = int(np.sum(units & 0xFFFFFFFF, dtype=np.int64))
    return (high << 32) + low


def _largest(amounts: np.ndarray, status: np.ndarray) -> list[int]:
    """The three largest amounts of the cases the rule applies to (fewer when fewer apply),
    largest first, as DuckDB's max(a, 3). Where it does not apply the amount is 0: when the
    third largest of all is above 0, the three are amounts paid, without selecting them."""
    if amounts.size > 3:
        top = np.partition(amounts, -3)[-3:]
        if top.min() > 0:
            return sorted((int(x) for x in top), reverse=True)
    paid = amounts[status == APPLIES]
    top = np.sort(np.partition(paid, -3)[-3:] if paid.size > 3 else paid)[::-1]
    return [int(x) for x in top]


def _decimal(units: int, scale: int) -> Decimal:
    return Decimal(units).scaleb(-scale)
