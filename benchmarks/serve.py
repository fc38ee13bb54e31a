"""Load on `policyc serve`: random textile cases posted to /v1/…/evaluate on loopback.

Starts `policyc serve policies --workers 2` (uvicorn with httptools and uvloop, access log off)
on a free 127.0.0.1 port, warms it up, then posts each of the random bodies once over a fixed
number of keep-alive connections, each sending its next body as soon as its answer is in, and
prints throughput, latency p50/p99/max, errors, the CPU the server used per evaluation and its
memory (the uvicorn process and its workers, RSS) after the warm-up and at the end. Per worker:
whether uvloop and httptools are loaded, its CPU during the run (requests are in about that
ratio), and how the clients' connections were shared between the workers (sampled every 0.25 s;
an uneven share is a long wait for the fuller worker's clients: serve/balance.py evens it).

    .venv/bin/pip install -q '.[bench]' && apt-get install wrk
    .venv/bin/python benchmarks/serve.py [--workers 2] [--clients 50] [--evaluations 20000]
    .venv/bin/python benchmarks/serve.py --evaluations 60000  # RSS sampled during the run:
                                                              # does it level off?
    .venv/bin/python benchmarks/serve.py --client httpx     # without wrk
    .venv/bin/python benchmarks/serve.py --server uvicorn   # the app under bare uvicorn: no
                                                            # sharing of connections (balance.py)
    .venv/bin/python benchmarks/serve.py --server granian --server-option=--task-impl=rust
                                                            # under granian (pip install granian)
    .venv/bin/python benchmarks/serve.py --server floor     # the floor: the same stack (uvicorn,
                                                            # 2 workers, balance, wrk) answering
                                                            # a fixed 32 kB without evaluating
    .venv/bin/python benchmarks/serve.py --paced-rate 2500  # the paced run at another rate
                                                            # (0: the closed loop alone)
    .venv/bin/python benchmarks/serve.py --pin-workers      # A/B: worker k on core k only

Two runs on the same server. First the closed loop (the goal's figures, the `goals` line): each
client sends its next body as soon as its answer is in, so the server is saturated and latency
is what Little's law makes it at that throughput. Then a paced run (benchmarks/paced.py, its own
process, fresh random cases): the same number of keep-alive connections offering a fixed total
rate, --paced-rate (2,000/s, the goal's rate), each connection at an even pace (wrk2's
schedule), latency measured from each request's intended send time so that a stall is charged
to every request due during it (coordinated omission; wrk's own figures, and wrk2-less Lua
pacing, time from the actual send). It prints the offered and achieved rate, latency
p50/p90/p99/max from the intended send and from the actual one, and the client's own lateness
(its timers' millisecond resolution, on a loaded machine more): latency at the goal's rate,
said as what it is, beside the goal's closed-loop figure, never instead of it. Where its slowest
1% lie: per worker (each connection's port, seen on a worker while the run goes on), and in time
(how many fall in each 100 ms of due time: a few full spans are stalls holding up every request
due then — a worker without a core, a collection —, many spans of one are slowness request by
request). When the server answers slower than offered, it says so: the queue then grows for the
whole run and the latency with it.

Two load clients. wrk (the default; C, Debian's `wrk` package, one thread, a Lua script posting
the pre-generated bodies in turn and ending the run when the last is answered) spends about
0.1 ms of CPU per request, so the two cores are mostly the server's. httpx (Python over
asyncio) spends several times that on the same two cores, so its figures understate what the
server can do; it needs nothing beyond the bench extra. (aiohttp's client would sit between
the two; it is not a dependency of the project.)

The goals (issue 13) on a 2-core machine: ≥ 2,000 evaluations/s, p99 ≤ 25 ms, 0 errors, no
memory growth. With 50 clients always waiting, Little's law ties the two: latency ≈ 50 /
throughput, so p99 ≤ 25 ms needs about 3,000/s. The client runs on the same machine and takes
CPU from the server: the load average printed beside the figures says how busy the machine
already was (above about 0.5 the wall-clock figures are the other processes' as much as the
server's), and the server's CPU per evaluation what two free cores would serve. The bound,
then: two cores give 2,000 ms of CPU a second to the server (CPU per evaluation) and the client
(its ms per request) together, so throughput ≤ 2,000 / (server + client ms), and the mean latency
is 50 clients / throughput; p99 can only come below 25 ms when that mean is well below it.

Memory (issue 13: no growth). The server's RSS rises while its stores fill — each bounded, the
largest the still-needed plans (cli/needs.py, an LRU of 2,048 per policy: random textile cases
met 3,810 sets of undetermined results in 60,000) — and then stays: on the shared machine (load
4.0, runs taken in turns) the 60,000-evaluation run gave +27.4 MiB by 15,000, then +5.1, +3.5,
+0.7 MiB per further 15,000, +38.2 in all (main before: +38.5, +8.8, +3.4, +2.1, +52.5 in all;
over 20,000, +31 against +39 in three pairs of runs); in one process driving the app directly
(no HTTP), +10.4 MiB from 2,000 to 60,000 cases, +0.4 of it after 40,000 (before: +21.5, +3.1).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the bench extra's; imported where used, so random_case needs neither
    import psutil

REPO = Path(__file__).resolve().parent.parent
POLICY_ID = "tzf-2023-1"
KINDS = (
    "服装生产加工类企业",
    "服装电商企业",
    "纺织企业",
    "面料企业",
    "辅料企业",
    "物流企业",
    "推荐者",
    "人力资源服务机构",
    "新招员工",
    "返乡创业人员",
)
# Quantities: (input, measure, largest value); some are written with 万 and the measure.
QUANTITIES = (
    ("年发货量", "单", 20_000_000),
    ("口罩发货量", "单", 100_000),
    ("其他纺织品发货量", "单", 500_000),
    ("满6个月不满1年人数", "人", 80),
    ("满1年人数", "人", 80),
    ("用工企业常年用工人数", "人", 400),
    ("养老保险个人缴费", "元", 20_000),
    ("自主品牌产品年销售额", "元", 100_000_000),
    ("以往最高自主品牌产品年销售额", "元", 100_000_000),
    ("年销售收入", "元", 1_200_000_000),
    ("以往最高年销售收入", "元", 1_200_000_000),
    ("改造项目投资额", "元", 30_000_000),
    ("年房租", "元", 500_000),
    ("从业人员数", "人", 300),
)
PARTS_OF_SHIPMENTS = ("口罩发货量", "其他纺织品发货量")  # `part of 年发货量`
BOOLS = ("用工企业为纺织服装企业", "天门籍", "新进规", "小进规", "认定中国驰名商标")
DATES = ("成立日期", "入驻日期", "劳动合同起始日期")


def random_case(rng: random.Random) -> dict[str, Any]:
    inputs: dict[str, Any] = {"申请人类型": rng.choice(KINDS)}
    for name, measure, top in rng.sample(QUANTITIES, rng.randint(2, 8)):
        value = rng.randint(0, top)
        if value >= 10_000 and rng.random() < 0.3:
            inputs[name] = f"{value / 10_000:.4f}".rstrip("0").rstrip(".") + f"万{measure}"
        else:
            inputs[name] = value
    whole = inputs.get("年发货量")
    for part in PARTS_OF_SHIPMENTS:  # the policy refuses parts larger than their whole
        if part in inputs and (not isinstance(whole, int) or not isinstance(inputs[part], int)):
            del inputs[part]
    if isinstance(whole, int):
        left = whole
        for part in PARTS_OF_SHIPMENTS:
            if part in inputs:
                inputs[part] = rng.randint(0, left)
                left -= inputs[part]
    for name in rng.sample(BOOLS, rng.randint(0, 3)):
        inputs[name] = rng.random() < 0.5
    for name in rng.sample(DATES, rng.randint(0, 2)):
        inputs[name] = (
            f"{rng.randint(2022, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
    on = f"{rng.randint(2023, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {"on": on, "inputs": inputs}


FLOOR_BYTES = "POLICYC_FLOOR_BYTES"  # the size of `--server floor`'s fixed answer


def floor_app() -> Any:
    """`--server floor`'s ASGI app (a uvicorn factory): every request read to its end and
    answered 200 with the same JSON of os.environ[FLOOR_BYTES] bytes in one Content-Length
    body, as the evaluate route sends an answer, behind serve's Balancer when the balance file
    is named: what the stack and the client cost with nothing evaluated."""
    from policyc.serve.balance import Balancer

    size = int(os.environ.get(FLOOR_BYTES, "32000"))
    answer = b'{"floor":"' + b"x" * max(0, size - 12) + b'"}'
    head = [(b"content-length", str(len(answer)).encode()), (b"content-type", b"application/json")]

    async def floor(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": head})
        await send({"type": "http.response.body", "body": answer})

    return Balancer.from_environment(floor)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_cpu(process: psutil.Process) -> float:
    import psutil

    """CPU seconds (user + system) the server and its workers have used so far."""
    total = 0.0
    for p in (process, *process.children(recursive=True)):
        with contextlib.suppress(psutil.NoSuchProcess):
            times = p.cpu_times()
            total += times.user + times.system
    return total


def workers_of(process: psutil.Process) -> list[psutil.Process]:
    """uvicorn's worker processes (multiprocessing's spawned children, not its tracker)."""
    import psutil

    found = []
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if any("spawn_main" in part for part in child.cmdline()):
                found.append(child)
    return found or [process]  # one worker: uvicorn serves in the process itself


def worker_cpu(worker: psutil.Process) -> tuple[float, float]:
    """CPU seconds the worker has used so far: in its own code (user) and in the kernel's
    (system: the sockets' reads and writes, loopback's TCP for both ends of each write)."""
    times = worker.cpu_times()
    return float(times.user), float(times.system)


def waited_for_core(worker: psutil.Process) -> float:
    """Seconds the worker's threads have spent runnable but waiting for a core (Linux's
    /proc/PID/task/*/schedstat, second field; 0 elsewhere): a worker waiting holds up every
    request queued on it, which is the latency's tail on a busy machine."""
    total = 0
    for stat in Path(f"/proc/{worker.pid}/task").glob("*/schedstat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int(stat.read_text().split()[1])
    return total / 1e9


def fast_parts(worker: psutil.Process) -> str:
    """Which of uvloop's and httptools' compiled modules the worker has loaded."""
    paths = [m.path for m in worker.memory_maps()]
    found = [name for name, mark in (("uvloop", "/uvloop/"), ("httptools", "/httptools/"))
             if any(mark in path for path in paths)]  # fmt: skip
    return " + ".join(found) or "neither uvloop nor httptools"


class ConnectionSampler:
    """Counts each worker's established connections on `port` every `every` seconds, in a
    thread, while the load runs: how the clients' connections are shared between workers; and
    the server's RSS (`server_rss` of `server`, bytes) at each sample, with its time
    (`time.monotonic`), to see memory level off or grow during a long run (`rss_at`)."""

    def __init__(
        self, workers: list[psutil.Process], port: int, server: psutil.Process, every: float = 0.25
    ):
        import threading

        self.workers, self.port, self.server, self.every = workers, port, server, every
        self.samples: list[list[int]] = []
        self.rss: list[tuple[float, int]] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _count(self, worker: psutil.Process) -> int:
        import psutil

        try:
            connections = worker.net_connections(kind="tcp")
        except psutil.Error:
            return 0
        return sum(1 for c in connections if c.laddr and c.laddr.port == self.port
                   and c.status == psutil.CONN_ESTABLISHED)  # fmt: skip

    def _run(self) -> None:
        while not self.done.wait(self.every):
            self.samples.append([self._count(w) for w in self.workers])
            self.rss.append((time.monotonic(), server_rss(self.server)))

    def rss_at(self, started: float, seconds: float, fractions: tuple[float, ...]) -> list[int]:
        """The RSS sampled last before each fraction of the run's `seconds` from `started` (a
        closed loop answers at a steady rate, so a fraction of the time is about that fraction
        of the evaluations); none without a sample by then."""
        out = []
        for fraction in fractions:
            before = [rss for when, rss in self.rss if when <= started + fraction * seconds]
            if before:
                out.append(before[-1])
        return out

    def __enter__(self) -> ConnectionSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()

    def summary(self, clients: int) -> str:
        """The shares at the first sample, and over the samples with every client connected,
        the commonest and the most uneven ("first 6 / 44; all 50 connected: mostly 25 / 25,
        at worst 24 / 26")."""
        if not self.samples:
            return "no sample (a run shorter than the sampling interval)"
        full = [tuple(s) for s in self.samples if sum(s) == clients]
        said = f"first {' / '.join(map(str, self.samples[0]))}"
        if full:
            common = max(set(full), key=full.count)
            uneven = max(full, key=lambda s: max(s) - min(s))
            said += (
                f"; all {clients} connected ({len(full)} samples): mostly "
                f"{' / '.join(map(str, common))}, at worst {' / '.join(map(str, uneven))}"
            )
        return said


def server_rss(process: psutil.Process) -> int:
    import psutil

    """The RSS of the server and all its workers, in bytes."""
    total = 0
    for p in (process, *process.children(recursive=True)):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total


async def drive(
    url: str, bodies: list[bytes], clients: int
) -> tuple[list[float], int, list[str], float]:
    """Post every body with `clients` concurrent connections: latencies (s), errors, samples of
    what went wrong, wall time."""
    import httpx

    latencies: list[float] = []
    errors = 0
    problems: list[str] = []
    next_index = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"content-type": "application/json"}
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def one_client() -> None:
            nonlocal next_index, errors
            while next_index < len(bodies):
                body = bodies[next_index]
                next_index += 1
                start = time.perf_counter()
                try:
                    answer = await client.post(url, content=body, headers=headers)
                    ok = answer.status_code == 200
                    if not ok and len(problems) < 5:
                        problems.append(f"{answer.status_code}: {answer.text[:300]}")
                except httpx.HTTPError as exc:
                    ok = False
                    if len(problems) < 5:
                        problems.append(repr(exc))
                latencies.append(time.perf_counter() - start)
                errors += not ok

        began = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        return latencies, errors, problems, time.perf_counter() - began


def _event_loop_runner() -> Any:
    """uvloop's runner when installed (the serve extra brings it): the client's CPU is taken
    from the same cores as the server's, so it should spend as little as it can."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run


_WRK_TIME = re.compile(r"([\d.]+)(us|ms|s|m|h)\b")  # wrk's units: 1.02m is a minute and a bit
_WRK_SCALE = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def _wrk_seconds(text: str) -> float:
    match = _WRK_TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"wrk printed a time this script cannot read: {text!r}")
    return float(match[1]) * _WRK_SCALE[match[2]]


def _lua_long_string(text: str) -> str:
    """`text` as a Lua long string literal, whose level no `]=…]` inside can close early."""
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def drive_wrk(
    url: str, bodies: list[bytes], clients: int, close: bool = False, threads: int = 1
) -> tuple[int, float, float, float, float, int, list[str], float]:
    """Post each body once with wrk (`threads` threads sharing `clients` keep-alive connections,
    each posting its next body as soon as its answer is in; thread k posts bodies k, k + threads,
    …), stopping when every body has been answered: requests, wall time, p50, p99 and max
    latency (s), errors (non-2xx and socket errors), wrk's lines about them, and wrk's own CPU
    seconds. `close`: each request on a new connection (`Connection: close`), to see what
    keep-alive saves."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit(
            "--client wrk needs wrk on PATH (Debian: apt-get install wrk), or use --client httpx"
        )
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "bodies.lua"
        literals = ",\n".join(_lua_long_string(b.decode()) for b in bodies)
        script.write_text(
            f"local bodies = {{\n{literals}\n}}\n"
            f"local folder = {_lua_long_string(folder)}\n"
            f"local threads = {threads}\n"
            "local made, sent, answered, mine = 0, 0, 0, 0\n"
            'local headers = {["Content-Type"] = "application/json"}\n'
            + ('headers["Connection"] = "close"\n' if close else "")
            + "setup = function(thread)\n"  # in wrk's main state, before each thread's init
            "  made = made + 1\n"
            '  thread:set("id", made)\n'
            "end\n"
            "init = function(args)\n"
            "  for i = id, #bodies, threads do mine = mine + 1 end\n"
            "end\n"
            "request = function()\n"
            "  local index = id + (sent % mine) * threads\n"
            "  sent = sent + 1\n"
            '  return wrk.format("POST", nil, headers, bodies[index])\n'
            "end\n"
            "response = function(status, headers, body)\n"
            "  answered = answered + 1\n"
            "  if answered == mine then\n"
            "    wrk.thread:stop()\n"
            '    io.open(folder .. "/finished-" .. id, "w"):close()\n'
            "  end\n"
            "end\n",
            encoding="utf-8",
        )
        finished = [Path(folder) / f"finished-{k}" for k in range(1, threads + 1)]
        # wrk runs for its -d unless interrupted: the script marks when each thread's bodies
        # have been answered (and it stops sending), and SIGINT ends wrk then, which prints
        # its figures.
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        command = [wrk, f"-t{threads}", f"-c{clients}", "-d3600s", "--timeout", "30s",
                   "--latency", "-s", str(script), url]  # fmt: skip
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
            while not all(f.exists() for f in finished) and process.poll() is None:
                time.sleep(0.005)
            process.send_signal(signal.SIGINT)
            out, _ = process.communicate()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    requests = re.search(r"(\d+) requests in ([\d.]+\w+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    stats = re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", out, re.M)
    if requests is None or p50 is None or p99 is None or stats is None:
        raise SystemExit(f"wrk's output could not be read:\n{out}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = (int(non_2xx[1]) if non_2xx else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0
    )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    said = [line.strip() for line in out.splitlines() if "errors" in line or "Non-2xx" in line]
    return (
        int(requests[1]),
        _wrk_seconds(requests[2]),
        _wrk_seconds(p50[1]),
        _wrk_seconds(p99[1]),
        _wrk_seconds(stats[1]),
        errors,
        said,
        cpu,
    )


def drive_paced(
    url: str,
    bodies: list[bytes],
    rate: float,
    connections: int,
    server: psutil.Process,
    workers: list[psutil.Process],
) -> dict[str, Any]:
    """benchmarks/paced.py posting each body once at `rate` in all over `connections`, in its own
    process (its timers are not held up by this one's sampling): its figures, plus the server's
    CPU (`server_cpu`, s), each worker's wait for a core (`waited`, s), the load average before
    (`load`) and per worker (`per_worker`, `worker_latency`) the requests it answered and their
    latency p50/p99 (ms) and how many of the slowest 1% — the connections' ports seen on each
    worker every 0.1 s while the run goes on."""
    port = int(url.split(":")[2].split("/")[0])
    holder: dict[int, int] = {}  # the client's port → the worker holding that connection
    with (
        tempfile.NamedTemporaryFile("wb", suffix=".jsonl") as file,
        tempfile.TemporaryFile() as said,  # not a pipe: its records would fill one, unread
        tempfile.TemporaryFile() as complaints,
    ):
        file.write(b"\n".join(bodies) + b"\n")
        file.flush()
        load = os.getloadavg()[0]
        cpu_start = server_cpu(server)
        wait_start = [waited_for_core(w) for w in workers]
        command = [sys.executable, str(REPO / "benchmarks" / "paced.py"), url, file.name,
                   "--rate", str(rate), "--connections", str(connections), "--records"]  # fmt: skip
        with subprocess.Popen(command, stdout=said, stderr=complaints) as client:
            while client.poll() is None:
                for k, worker in enumerate(workers):
                    with contextlib.suppress(Exception):
                        for c in worker.net_connections(kind="tcp"):
                            if c.laddr and c.laddr.port == port and c.raddr:
                                holder[c.raddr.port] = k
                time.sleep(0.1)
        said.seek(0)
        complaints.seek(0)
        out, err = said.read(), complaints.read()
    if client.returncode != 0:
        raise SystemExit(f"the paced client failed:\n{err.decode(errors='replace')}")
    figures: dict[str, Any] = json.loads(out)
    figures["server_cpu"] = server_cpu(server) - cpu_start
    figures["waited"] = [waited_for_core(w) - b for w, b in zip(workers, wait_start, strict=True)]
    figures["load"] = load
    records = figures.pop("records")
    if records:
        from paced import percentile as nearest_rank

        slow = nearest_rank([r[1] for r in records], "0.99")
        figures["per_worker"] = []
        for k in [*range(len(workers)), None]:  # None: a connection seen on no worker
            mine = [r[1] for r in records if holder.get(r[2]) == k]
            if mine:
                figures["per_worker"].append(
                    (
                        "unseen" if k is None else str(k + 1),
                        len(mine),
                        nearest_rank(mine, "0.5"),
                        nearest_rank(mine, "0.99"),
                        sum(1 for v in mine if v > slow),
                    )
                )
    return figures


def print_paced(paced: dict[str, Any], rate: float) -> None:
    """The paced run's lines (benchmarks/paced.py's figures, as `drive_paced` returns them)."""

    def said(figures: dict[str, float]) -> str:
        if not figures:  # no answer at all (every request failed) or no free connection
            return "none"
        return ", ".join(f"{k} {figures[k]:.1f}" for k in ("p50", "p90", "p99", "max")) + " ms"

    count = paced["requests"]
    print(
        f"paced: {rate:,.0f} requests/s offered in all over {paced['connections']} connections "
        f"(benchmarks/paced.py: each connection at its own even pace, wrk2's schedule), "
        f"{count} further evaluations of fresh random cases; load average before "
        f"{paced['load']:.2f}"
    )
    print(f"  achieved    {paced['achieved']:,.0f} answers/s, errors {paced['errors']}")
    if paced["achieved"] < 0.95 * rate:
        print(
            "  behind      the server answered slower than offered: requests queued for the whole "
            "run, so the latency below grows with the run's length (not a steady figure)"
        )
    for problem in paced["problems"]:
        print(f"    {problem}")
    print(f"  latency     {said(paced['latency'])} (from each request's intended send time)")
    print(f"  service     {said(paced['service'])} (from its actual send, as a closed loop times)")
    print(
        f"  client      its own lateness sending a request whose connection was free: "
        f"{said(paced['lateness'])} (in the latency); CPU {paced['client_cpu']:.1f} s "
        f"({paced['client_cpu'] / count * 1000:.2f} ms per request)"
    )
    bursts = paced["bursts"]
    print(
        f"  slowest 1%  {sum(bursts)} requests in {len(bursts)} spans of 100 ms (by due time), "
        f"the fullest {', '.join(map(str, bursts[:5]))}: a few full spans are stalls holding up "
        "every request due then, many spans of 1 slowness request by request"
    )
    for name, answered, p50, p99, slowest in paced.get("per_worker", []):
        print(
            f"  worker {name:<5}{answered:>6} answers, latency p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"{slowest} of the slowest 1%"
        )
    print(
        f"  server      CPU {paced['server_cpu'] / count * 1000:.2f} ms per evaluation; each "
        f"worker runnable but without a core "
        f"{' / '.join(f'{w:.1f}' for w in paced['waited'])} s"
    )
    print(
        f"  at {rate:,.0f}/s  p99 {paced['latency'].get('p99', float('nan')):.1f} ms from the "
        "intended send "
        f"(the goals line above is the closed loop's, at saturation)"
    )


def percentile(values: list[float], fraction: float) -> float:
    from paced import percentile as nearest_rank

    return nearest_rank(values, fraction)


def main() -> int:
    import httpx
    import psutil

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--evaluations", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--client", choices=("wrk", "httpx"), default="wrk")
    parser.add_argument(
        "--server", choices=("serve", "uvicorn", "granian", "floor"), default="serve",
        help="serve: `policyc serve`; uvicorn: the same app under uvicorn without the balance "
        "file; granian: the same app under granian (A/Bs); floor: serve's stack (uvicorn, "
        "workers, balance) answering a fixed answer of --floor-bytes without evaluating",
    )  # fmt: skip
    parser.add_argument(
        "--server-option", action="append", default=[],
        help="an option for the server's command line (repeatable), e.g. --task-impl=rust",
    )  # fmt: skip
    parser.add_argument(
        "--close", action="store_true", help="wrk: a new connection per request (no keep-alive)"
    )
    parser.add_argument(
        "--wrk-threads", type=int, default=1,
        help="wrk's threads (1: the least client CPU; 2: its two event loops on the two cores)",
    )  # fmt: skip
    parser.add_argument(
        "--floor-bytes", type=int, default=32_000,
        help="--server floor: the fixed answer's size (a textile answer is about 32,000)",
    )  # fmt: skip
    parser.add_argument(
        "--pin-workers", action="store_true",
        help="an A/B: after the warm-up, worker k may run on core k mod cores only (the client "
        "is left free)",
    )  # fmt: skip
    parser.add_argument(
        "--paced-rate", type=float, default=2000.0,
        help="after the closed loop, a paced run offering this many requests/s in all over the "
        "same number of connections, latency from each request's intended send time "
        "(benchmarks/paced.py); 0: none",
    )  # fmt: skip
    args = parser.parse_args()

    rng = random.Random(args.seed)
    bodies = [
        json.dumps(random_case(rng), ensure_ascii=False).encode() for _ in range(args.evaluations)
    ]
    warmup = bodies[: min(500, len(bodies))]
    paced_bodies = [  # fresh cases: the closed loop's would meet the server's warm stores
        json.dumps(random_case(rng), ensure_ascii=False).encode()
        for _ in range(args.evaluations if args.paced_rate > 0 else 0)
    ]
    paced = None
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    if args.server == "granian":
        command = [
            sys.executable, "-m", "granian", "--interface", "asgi", "--factory",
            "--workers", str(args.workers), "--no-ws", "--http", "1", "--loop", "uvloop",
            "--log-level", "warning", "--host", "127.0.0.1", "--port", str(port),
            *args.server_option, "policyc.serve.app:app_from_environment",
        ]  # fmt: skip
    elif args.server == "floor":
        command = [
            sys.executable, "-m", "uvicorn", "--factory", "--workers", str(args.workers),
            "--no-access-log", "--http", "httptools", "--loop", "uvloop", "--log-level",
            "warning", "--timeout-keep-alive", "30", "--host", "127.0.0.1", "--port", str(port),
            "--no-proxy-headers", "--app-dir", str(REPO / "benchmarks"), *args.server_option,
            "serve:floor_app",
        ]  # fmt: skip
    elif args.server == "uvicorn":
        command = [
            sys.executable, "-m", "uvicorn", "--factory", "--workers", str(args.workers),
            "--no-access-log", "--http", "httptools", "--loop", "uvloop", "--log-level",
            "warning", "--timeout-keep-alive", "30", "--host", "127.0.0.1", "--port", str(port),
            *args.server_option, "policyc.serve.app:app_from_environment",
        ]  # fmt: skip
    else:
        command = [
            sys.executable, "-m", "policyc", "serve", "policies", "--port", str(port),
            "--workers", str(args.workers), *args.server_option,
        ]  # fmt: skip
    environment = {**os.environ, "POLICYC_SERVE_PATHS": json.dumps([str(REPO / "policies")])}
    balance = None
    if args.server == "floor":
        from policyc.serve.balance import BALANCE_VARIABLE, create_file

        environment[FLOOR_BYTES] = str(args.floor_bytes)
        if args.workers > 1:  # shared as `serve` shares them
            balance = create_file()
            environment[BALANCE_VARIABLE] = str(balance)
    server = subprocess.Popen(
        command,
        env=environment,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}/v1/policies/{POLICY_ID}/evaluate"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                log.seek(0)
                sys.stderr.write(log.read().decode(errors="replace"))
                return 2
            try:
                if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                sys.stderr.write("the server did not come up in 120 s\n")
                return 2
            time.sleep(0.2)
        process = psutil.Process(server.pid)
        run = _event_loop_runner()
        run(drive(url, warmup, args.clients))  # every worker has answered a few
        time.sleep(1.5)  # the workers' balance forgets the warm-up's connections (1 s window)
        workers = workers_of(process)
        if args.pin_workers:
            for k, worker in enumerate(workers):
                worker.cpu_affinity([k % (os.cpu_count() or 1)])
        parts = ", ".join(sorted({fast_parts(w) for w in workers}))
        rss_start = server_rss(process)
        load = os.getloadavg()
        cpu_start, own_start = server_cpu(process), time.process_time()
        worker_start = [worker_cpu(w) for w in workers]
        wait_start = [waited_for_core(w) for w in workers]
        started = time.monotonic()
        with ConnectionSampler(workers, port, process) as sampler:
            if args.client == "wrk":
                count, seconds, p50, p99, slowest, errors, problems, own_used = drive_wrk(
                    url, bodies, args.clients, args.close, args.wrk_threads
                )
            else:
                latencies, errors, problems, seconds = run(drive(url, bodies, args.clients))
                count = len(latencies)
                p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
                slowest = max(latencies)
        cpu_used, own_used = (
            server_cpu(process) - cpu_start,
            own_used if args.client == "wrk" else time.process_time() - own_start,
        )
        worker_end = [worker_cpu(w) for w in workers]
        worker_user = [e[0] - b[0] for e, b in zip(worker_end, worker_start, strict=True)]
        worker_system = [e[1] - b[1] for e, b in zip(worker_end, worker_start, strict=True)]
        worker_used = [u + k for u, k in zip(worker_user, worker_system, strict=True)]
        worker_waited = [waited_for_core(w) - b for w, b in zip(workers, wait_start, strict=True)]
        rss_end = server_rss(process)
        if paced_bodies:
            paced = drive_paced(url, paced_bodies, args.paced_rate, args.clients, process, workers)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if balance is not None:
            from policyc.serve.balance import remove_file

            remove_file(balance)

    mib = 1024 * 1024
    print(
        f"{args.server}: {args.workers} workers, {args.clients} clients ({args.client}"
        f"{f' -t{args.wrk_threads}' if args.client == 'wrk' else ''}"
        f"{', a connection per request' if args.close else ''}"
        f"{', workers pinned to a core each' if args.pin_workers else ''}), "
        f"{count} evaluations of random {POLICY_ID} cases on loopback"
    )
    print(f"  cores {os.cpu_count()}, load average before the run {load[0]:.2f} {load[1]:.2f}")
    print(f"  time        {seconds:.2f} s")
    print(f"  throughput  {count / seconds:,.0f} evaluations/s")
    print(
        f"  latency     p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
        f"max {slowest * 1000:.1f} ms"
    )
    print(
        f"  CPU         server {cpu_used / count * 1000:.2f} ms per evaluation "
        f"(so {args.workers} free cores would serve "
        f"{args.workers * count / cpu_used:,.0f}/s); client {own_used:.1f} s in all "
        f"({own_used / count * 1000:.2f} ms per request)"
    )
    print(
        f"  workers     {parts}; CPU each {' / '.join(f'{u:.1f}' for u in worker_used)} s "
        f"(requests in about that ratio), of which in the kernel "
        f"{sum(worker_system) / sum(worker_used) * 100:.0f}% "
        f"({sum(worker_system) / count * 1000:.2f} ms per evaluation)"
    )
    print(
        f"  waiting     each worker runnable but without a core "
        f"{' / '.join(f'{w:.1f}' for w in worker_waited)} s of the {seconds:.1f} s "
        f"(the other processes', the client's and each other's turns)"
    )
    print(f"  connections per worker: {sampler.summary(args.clients)}")
    print(f"  errors      {errors}")
    for problem in problems:
        print(f"    {problem}")
    print(
        f"  server RSS  {rss_start / mib:.1f} MiB after warm-up, "
        f"{rss_end / mib:.1f} MiB at the end ({(rss_end - rss_start) / mib:+.1f} MiB)"
    )
    quarters = (0.25, 0.5, 0.75, 1.0)
    during = sampler.rss_at(started, seconds, quarters)
    if len(during) == len(quarters):  # sampled every 0.25 s: a run of a few seconds or more
        print(
            "  RSS during  "
            + ", ".join(
                f"{rss / mib:.1f} MiB at {fraction * count:,.0f}"
                for fraction, rss in zip(quarters, during, strict=True)
            )
            + " evaluations (about: by time)"
        )
    cores = os.cpu_count() or 1
    per_request = (cpu_used + own_used) / count  # server and client CPU, on the same cores
    # the cores are shared by server and client; the server uses at most a core per worker
    ceiling = min(cores / per_request, args.workers / (cpu_used / count))
    print(
        f"  goals       ≥ 2,000 evaluations/s: {'met' if count / seconds >= 2000 else 'missed'}; "
        f"p99 ≤ 25 ms: {'met' if p99 <= 0.025 else 'missed'}; "
        f"0 errors: {'met' if not errors else 'missed'}"
    )
    print(
        f"  the bound   {per_request * 1000:.2f} ms of CPU per request (server and client) on "
        f"{cores} cores: at most {ceiling:,.0f} requests/s, so {args.clients} clients wait at "
        f"least {args.clients / ceiling * 1000:.1f} ms on average (Little's law)"
    )
    if load[0] > 0.5:
        print(
            f"  note        the machine was busy (load {load[0]:.2f}): the wall-clock figures "
            "are the other processes' as much as the server's; the CPU figures hold"
        )
    if paced is not None:
        print_paced(paced, args.paced_rate)
    return 1 if errors or (paced is not None and paced["errors"]) else 0


if __name__ == "__main__":
    raise SystemExit(main())
