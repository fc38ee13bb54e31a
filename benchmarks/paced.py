"""A paced load client: keep-alive connections offering a fixed total rate, latency measured
from each request's *intended* send time (so a stall is not hidden: coordinated omission).

`benchmarks/serve.py` runs it beside its closed loop (wrk, each client sending its next body as
soon as its answer is in), which measures latency only at saturation, where Little's law makes
it clients / throughput. This one asks what latency is at a given rate, say the goal's 2,000/s.

The schedule is wrk2's (Gil Tene's): request i of n is meant to leave at start + i / rate, on
connection i mod connections, so each connection offers rate / connections requests a second
at evenly staggered times. A connection still waiting for its previous answer when its next
request is due sends it as soon as that answer is in, and the wait counts in the request's
latency: a server that stalls for 100 ms is charged for every request that should have been sent
during those 100 ms, as a person at a counter would wait for them, instead of for the one
request that was in flight (which is all a closed loop, or wrk's `delay()`, would see).

Printed: a JSON object (see `summary`) on stdout. The client's own timing is part of what it
measures: its timers fire up to about a millisecond late (the event loop's resolution), and
`lateness` says how late it sent the requests whose connection was free when they were due.

    python benchmarks/paced.py URL BODIES --rate 2000 --connections 50

BODIES: a file of request bodies, one JSON document a line, each posted once in turn. Needs
httptools (the serve extra) to read the answers; uvloop when installed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast
from urllib.parse import urlsplit


def intended_times(count: int, rate: float, connections: int) -> list[tuple[int, Fraction]]:
    """For each of `count` requests, (the connection that sends it, when it is meant to leave in
    seconds after the start): request i on connection i mod `connections` at i / `rate`. Exact
    (Fractions: no drift over a long run). ValueError for a rate or connections not above 0."""
    if rate <= 0 or connections <= 0:
        raise ValueError("the rate and the connections must be above 0")
    step = 1 / Fraction(rate)
    return [(i % connections, i * step) for i in range(count)]


def percentile(values: Sequence[float], fraction: float | str | Fraction) -> float:
    """The nearest-rank percentile: the smallest value that at least `fraction` (0 < f ≤ 1, read
    exactly, so 0.99 is 99/100) of `values` do not exceed — the ceil(fraction × n)-th smallest.
    ValueError for no values or a fraction outside (0, 1]."""
    share = Fraction(str(fraction)) if isinstance(fraction, float) else Fraction(fraction)
    if not values or not 0 < share <= 1:
        raise ValueError("a percentile needs values and a fraction in (0, 1]")
    rank = math.ceil(share * len(values))
    return sorted(values)[rank - 1]


def summary(
    intended: Sequence[float],
    sent: Sequence[float],
    done: Sequence[float],
    was_free: Sequence[bool],
) -> dict[str, Any]:
    """The figures of a paced run from each answered request's times (seconds, one clock): when
    it was meant to leave, when it left, when its answer was in, and whether its connection was
    free when it was due. `latency`: answer − intended (what a user waits); `service`: answer −
    sent (what a closed loop measures); `lateness`: sent − intended for the requests whose
    connection was free (the client's own delay, part of `latency`). Each of them p50, p90,
    p99 and max, in ms; `achieved`: answers per second from the first intended send to the last
    answer."""

    def figures(values: list[float]) -> dict[str, float]:
        if not values:
            return {}
        return {
            "p50": percentile(values, "0.5") * 1000,
            "p90": percentile(values, "0.9") * 1000,
            "p99": percentile(values, "0.99") * 1000,
            "max": max(values) * 1000,
        }

    latency = [d - i for i, d in zip(intended, done, strict=True)]
    service = [d - s for s, d in zip(sent, done, strict=True)]
    lateness = [s - i for i, s, free in zip(intended, sent, was_free, strict=True) if free]
    span = max(done) - min(intended) if done else 0.0
    return {
        "answered": len(done),
        "achieved": len(done) / span if span > 0 else 0.0,
        "latency": figures(latency),
        "service": figures(service),
        "lateness": figures(lateness),
    }


class _Connection(asyncio.Protocol):
    """One keep-alive connection sending its share of the requests on schedule; a connection the
    server closes (`Connection: close`, e.g. serve's balancing) is opened again and goes on."""

    def __init__(self, run: _Run, index: int):
        self.run, self.index = run, index
        self.queue = run.mine[index]  # indices of its requests, in order
        self.position = 0
        self.transport: asyncio.Transport | None = None
        self.parser: Any = None
        self.in_flight: int | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.opened = False
        self.port = 0  # this end's port: which worker holds the connection, seen from the server

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        import httptools

        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self.port = int(self.transport.get_extra_info("sockname")[1])
        self.parser = httptools.HttpResponseParser(self)  # a new connection's answers
        if self.opened:  # opened again after the server closed it: go on with the schedule
            self.next()
        self.opened = True

    def data_received(self, data: bytes) -> None:
        import httptools

        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self.run.fail(f"connection {self.index}: unreadable answer ({exc})")
            self._give_up()

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if self.in_flight is not None:  # closed under a request: it failed
            self.run.fail(f"connection {self.index}: closed before an answer ({exc})")
            self.in_flight = None
            self.position += 1
        if self.position < len(self.queue) and not self.run.finished.done():
            self.run.reconnect(self)

    # httptools' callbacks
    def on_message_complete(self) -> None:
        request = self.in_flight
        if request is None:
            return
        self.in_flight = None
        status = self.parser.get_status_code()
        self.run.answered(request, time.perf_counter(), status)
        self.position += 1
        if not self.parser.should_keep_alive():
            assert self.transport is not None
            self.transport.close()  # connection_lost opens a new one
            return
        self.next()

    # sending
    def start(self) -> None:
        self.next()

    def next(self) -> None:
        if self.position >= len(self.queue) or self.transport is None:
            return
        request = self.queue[self.position]
        due = self.run.due[request]
        wait = due - time.perf_counter()
        if wait > 0:
            self.timer = asyncio.get_running_loop().call_later(wait, self._send, request, True)
        else:
            self._send(request, False)

    def _send(self, request: int, was_free: bool) -> None:
        self.timer = None
        if self.transport is None:
            return
        now = time.perf_counter()
        if now < self.run.due[request]:  # the loop's timer fired early (its ms resolution)
            wait = self.run.due[request] - now
            self.timer = asyncio.get_running_loop().call_later(wait, self._send, request, True)
            return
        self.in_flight = request
        self.run.sent[request] = now
        self.run.local_port[request] = self.port
        self.run.free[request] = was_free
        self.transport.write(self.run.requests[request])

    def _give_up(self) -> None:
        self.in_flight = None
        self.position = len(self.queue)
        if self.transport is not None:
            self.transport.close()
        self.run.check_finished()


class _Run:
    def __init__(self, host: str, port: int, requests: list[bytes], rate: float, connections: int):
        self.connections: list[_Connection] = []
        self.host, self.port, self.requests = host, port, requests
        plan = intended_times(len(requests), rate, connections)
        self.mine: list[list[int]] = [[] for _ in range(connections)]
        for request, (connection, _when) in enumerate(plan):
            self.mine[connection].append(request)
        self.offsets = [float(when) for _c, when in plan]
        self.due: list[float] = []
        self.sent = [0.0] * len(requests)
        self.done = [0.0] * len(requests)
        self.free = [False] * len(requests)
        self.status = [0] * len(requests)
        self.local_port = [0] * len(requests)
        self.errors = 0
        self.problems: list[str] = []
        self.left = len(requests)
        self.finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def answered(self, request: int, when: float, status: int) -> None:
        self.done[request], self.status[request] = when, status
        if status != 200:
            self.fail(f"request {request}: status {status}")
        self.left -= 1
        self.check_finished()

    def fail(self, problem: str) -> None:
        self.errors += 1
        if len(self.problems) < 5:
            self.problems.append(problem)

    def check_finished(self) -> None:
        if not self.finished.done() and (
            self.left <= 0 or all(c.position >= len(c.queue) for c in self.connections)
        ):
            self.finished.set_result(None)

    def reconnect(self, connection: _Connection) -> None:
        async def again() -> None:
            try:
                await asyncio.get_running_loop().create_connection(
                    lambda: connection, self.host, self.port
                )
            except OSError as exc:
                self.fail(f"connection {connection.index}: cannot connect again ({exc})")
                connection._give_up()

        asyncio.get_running_loop().create_task(again())

    async def go(self, lead: float = 0.05, quiet: float = 30.0) -> None:
        loop = asyncio.get_running_loop()
        self.connections = [_Connection(self, i) for i in range(len(self.mine))]
        for c in self.connections:
            await loop.create_connection(lambda c=c: c, self.host, self.port)  # type: ignore[misc]
        start = time.perf_counter() + lead
        self.due = [start + offset for offset in self.offsets]
        for c in self.connections:
            c.start()
        while True:  # until every request is answered or failed, or nothing moves for `quiet` s
            left = self.left
            done, _pending = await asyncio.wait({self.finished}, timeout=quiet)
            if done:
                return
            if self.left == left:
                self.errors += self.left
                self.problems.append(f"{self.left} requests unanswered after {quiet:g} s")
                return


def request_bytes(url: str, body: bytes) -> bytes:
    """The HTTP/1.1 POST of `body` (JSON) to `url`'s path, keep-alive."""
    parts = urlsplit(url)
    head = (
        f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


@dataclass
class Measured:
    """Each request's times (time.perf_counter seconds; 0.0 for none): when it was due, sent and
    answered; whether its connection was free when it was due; its answer's status (0: none);
    the local port of the connection that sent it (0: not sent); the errors counted (a status
    other than 200, a connection lost under a request, an unreadable answer) and up to 5 of
    them said."""

    due: list[float]
    sent: list[float]
    done: list[float]
    free: list[bool]
    status: list[int]
    port: list[int]
    errors: int
    problems: list[str]


def measure(url: str, bodies: Sequence[bytes], rate: float, connections: int) -> Measured:
    """Post every body once to `url` (http://host:port/path), paced: request i due at
    start + i / rate on connection i mod connections (`intended_times`). Runs its own event
    loop (uvloop's when installed). OSError when the first connections cannot be opened."""
    parts = urlsplit(url)
    requests = [request_bytes(url, body) for body in bodies]

    async def main() -> _Run:
        paced = _Run(parts.hostname or "127.0.0.1", parts.port or 80, requests, rate, connections)
        try:
            await paced.go()
        finally:
            for c in getattr(paced, "connections", ()):
                if c.timer is not None:
                    c.timer.cancel()
                if c.transport is not None:
                    c.transport.close()
        return paced

    try:
        import uvloop
    except ImportError:
        paced = asyncio.run(main())
    else:
        paced = uvloop.run(main())
    return Measured(
        paced.due,
        paced.sent,
        paced.done,
        paced.free,
        paced.status,
        paced.local_port,
        paced.errors,
        paced.problems,
    )


def run(
    url: str, bodies: Sequence[bytes], rate: float, connections: int, records: bool = False
) -> dict[str, Any]:
    """`measure`, said: the figures of `summary` over the answered requests plus `offered` (the
    rate asked for), `connections`, `requests`, `errors`, `problems`, `client_cpu` (s of CPU
    this process spent, user and system), `bursts` (`bursts` of the slowest 1%); with `records`,
    also `records`: [due (s from the first due), latency (ms), local port] per answered
    request."""
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    paced = measure(url, bodies, rate, connections)
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    answered = [i for i, when in enumerate(paced.done) if when]
    out = summary(
        [paced.due[i] for i in answered],
        [paced.sent[i] for i in answered],
        [paced.done[i] for i in answered],
        [paced.free[i] for i in answered],
    )
    first = min((paced.due[i] for i in answered), default=0.0)
    latency = [paced.done[i] - paced.due[i] for i in answered]
    due = [paced.due[i] - first for i in answered]
    out.update(
        bursts=bursts(due, latency) if answered else [],
        offered=rate,
        connections=connections,
        requests=len(bodies),
        errors=paced.errors,
        problems=paced.problems,
        client_cpu=(cpu_after.ru_utime - cpu_before.ru_utime)
        + (cpu_after.ru_stime - cpu_before.ru_stime),
    )
    if records:
        out["records"] = [
            [d, lat * 1000, paced.port[i]] for d, lat, i in zip(due, latency, answered, strict=True)
        ]
    return out


def bursts(
    due: Sequence[float], latency: Sequence[float], fraction: str = "0.99", window: float = 0.1
) -> list[int]:
    """How the slowest requests (latency above the `fraction` percentile) fall in time: the
    number of them in each `window`-second span of due time that holds any, most first. A few
    large counts: stalls that hold up every request due during them (a worker without a core,
    a collection); many counts of 1: slowness spread request by request."""
    bound = percentile(latency, fraction)
    spans: dict[int, int] = {}
    for when, waited in zip(due, latency, strict=True):
        if waited > bound:
            key = math.floor(when / window)
            spans[key] = spans.get(key, 0) + 1
    return sorted(spans.values(), reverse=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("bodies", help="a file of request bodies, one JSON document a line")
    parser.add_argument("--rate", type=float, default=2000.0, help="requests a second, in all")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--records", action="store_true", help="also each request's due time, latency and port"
    )
    args = parser.parse_args(argv)
    with open(args.bodies, "rb") as handle:
        bodies = [line.rstrip(b"\n") for line in handle if line.strip()]
    if args.rate <= 0 or args.connections <= 0:
        parser.error("--rate and --connections must be above 0")
    json.dump(run(args.url, bodies, args.rate, args.connections, args.records), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
