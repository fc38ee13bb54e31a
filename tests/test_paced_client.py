"""benchmarks/paced.py: the paced load client's schedule, percentiles and figures, worked by hand,
and the client against a small server that stalls, to see a stall charged to every request that
was due during it (coordinated omission) rather than only to the one in flight."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import paced


def test_schedule_is_wrk2s_round_robin_at_even_steps() -> None:
    # 2,000/s: a request every 1/2000 s = 0.5 ms, in turn over 2 connections
    assert paced.intended_times(5, 2000, 2) == [
        (0, Fraction(0)),
        (1, Fraction(1, 2000)),
        (0, Fraction(2, 2000)),
        (1, Fraction(3, 2000)),
        (0, Fraction(4, 2000)),
    ]


def test_each_connection_offers_its_share_of_the_rate() -> None:
    # 2,000/s over 50 connections: each every 50 / 2000 s = 25 ms (40/s); request 50 is
    # connection 0's second, request 51 connection 1's second, 0.5 ms after
    plan = paced.intended_times(102, 2000, 50)
    assert plan[50] == (0, Fraction(25, 1000))
    assert plan[51] == (1, Fraction(51, 2000))
    assert plan[100] == (0, Fraction(50, 1000))
    assert plan[49] == (49, Fraction(49, 2000))


def test_schedule_is_exact_over_a_long_run() -> None:
    # 3 a second: 1/3 s is no float; request 3 is at 1 s exactly, request 30,000 at 10,000 s
    plan = paced.intended_times(30_001, 3, 1)
    assert plan[3] == (0, Fraction(1))
    assert plan[30_000] == (0, Fraction(10_000))


@pytest.mark.parametrize(("rate", "connections"), [(0, 50), (-1, 50), (2000, 0)])
def test_schedule_refuses_a_rate_or_connections_not_above_0(rate: float, connections: int) -> None:
    with pytest.raises(ValueError, match="above 0"):
        paced.intended_times(10, rate, connections)


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # 1 … 100, in reverse
    assert paced.percentile(values, 0.5) == 50.0  # ceil(50) = 50th smallest
    assert paced.percentile(values, 0.9) == 90.0
    assert paced.percentile(values, 0.99) == 99.0
    assert paced.percentile(values, 1) == 100.0
    assert paced.percentile(values, 0.01) == 1.0
    assert paced.percentile(values, 0.995) == 100.0  # ceil(99.5) = 100th
    assert paced.percentile(values, 0.985) == 99.0  # ceil(98.5) = 99th


def test_percentile_reads_the_fraction_exactly() -> None:
    values = [float(v) for v in range(1, 101)]
    # 0.07 × 100 is 7.000000000000001 in floats (ceil 8); exactly it is 7: the 7th smallest
    assert paced.percentile(values, 0.07) == 7.0
    # 20,000 values: p99 is the 19,800th smallest (ceil(19,800)), not the 19,801st
    many = [float(v) for v in range(1, 20_001)]
    assert paced.percentile(many, 0.99) == 19_800.0
    assert paced.percentile(many, "0.9999") == 19_998.0
    three = [3.0, 1.0, 2.0]
    assert paced.percentile(three, 0.5) == 2.0  # ceil(1.5) = 2nd
    assert paced.percentile(three, Fraction(1, 3)) == 1.0  # ceil(1) = 1st
    assert paced.percentile(three, Fraction(1, 3) + Fraction(1, 10**9)) == 2.0


@pytest.mark.parametrize("fraction", [0, -0.5, 1.01])
def test_percentile_refuses_a_fraction_outside_0_to_1(fraction: float) -> None:
    with pytest.raises(ValueError, match="fraction"):
        paced.percentile([1.0, 2.0], fraction)


def test_percentile_refuses_no_values() -> None:
    with pytest.raises(ValueError, match="values"):
        paced.percentile([], 0.5)


def test_summary_figures_by_hand() -> None:
    # three requests due at 0, 10 and 20 ms; the second's connection was still busy when it
    # was due (sent 5 ms late, waiting for its previous answer)
    intended = [0.000, 0.010, 0.020]
    sent = [0.001, 0.015, 0.020]
    done = [0.005, 0.030, 0.021]
    free = [True, False, True]
    out = paced.summary(intended, sent, done, free)
    approx = pytest.approx
    assert out["answered"] == 3
    assert out["achieved"] == approx(100.0)  # 3 answers in 30 ms (first due → last answer)
    # latency from the intended send: 5, 20, 1 ms → p50 the 2nd smallest (5), p90 and p99 the
    # 3rd (20)
    assert out["latency"] == approx({"p50": 5.0, "p90": 20.0, "p99": 20.0, "max": 20.0})
    # from the actual send: 4, 15, 1 ms
    assert out["service"] == approx({"p50": 4.0, "p90": 15.0, "p99": 15.0, "max": 15.0})
    # the client's own lateness, free connections only: 1 and 0 ms
    assert out["lateness"] == approx({"p50": 0.0, "p90": 1.0, "p99": 1.0, "max": 1.0})


def test_bursts_count_the_slowest_per_span_of_due_time() -> None:
    due = [0.00, 0.01, 0.05, 0.15, 0.31, 0.32]
    latency = [0.001, 0.050, 0.060, 0.002, 0.070, 0.003]
    # the median (ceil(3) = 3rd smallest) is 3 ms; above it: 50 and 60 ms due in the first
    # 100 ms, 70 ms due in the fourth (0.31 s)
    assert paced.bursts(due, latency, fraction="0.5") == [2, 1]
    # 100 evenly slow requests but one: the slowest 1% is that one, a span of 1
    even = [0.005] * 99 + [0.5]
    assert paced.bursts([k / 100 for k in range(100)], even) == [1]
    # a wider window puts the first three slow ones together
    assert paced.bursts(due, latency, fraction="0.5", window=0.5) == [3]


def test_request_bytes() -> None:
    body = b'{"on":"2024-01-01"}'
    assert paced.request_bytes("http://127.0.0.1:8123/v1/x/evaluate", body) == (
        b"POST /v1/x/evaluate HTTP/1.1\r\nHost: 127.0.0.1:8123\r\n"
        b"Content-Type: application/json\r\nContent-Length: 19\r\n\r\n" + body
    )


# ---- against a server ---------------------------------------------------------------------------

STALL = 0.2  # s: the first request's answer is held this long


class _Server:
    """uvicorn in a thread with an app answering `{}`, holding the first request STALL seconds,
    answering request number 6 (from 1) with `Connection: close`, and request body `bad` with 400."""

    def __init__(self) -> None:
        import uvicorn

        self.count = 0

        async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                return
            body = b""
            while True:
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            self.count += 1
            if self.count == 1:
                await asyncio.sleep(STALL)
            headers = [(b"content-type", b"application/json")]
            if self.count == 6:
                headers.append((b"connection", b"close"))
            status = 400 if body == b"bad" else 200
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": b"{}"})

        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/evaluate"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def test_a_stall_is_charged_to_every_request_due_during_it() -> None:
    pytest.importorskip("httptools")
    pytest.importorskip("uvicorn")
    # one connection, 100 requests/s: due at 0, 10, 20 … ms; the first answer comes after 200 ms,
    # so requests 1 … 19 were due during the stall and each waits at least until it ends
    with _Server() as url:
        measured = paced.measure(url, [b"{}"] * 30, rate=100, connections=1)
    assert measured.errors == 0
    assert measured.status == [200] * 30
    for k in range(30):
        assert measured.sent[k] >= measured.due[k]  # never sent early
        assert measured.done[k] > measured.sent[k]
    assert measured.done[0] - measured.due[0] >= STALL
    for k in range(1, 20):
        waited = measured.done[k] - measured.due[k]
        assert waited >= STALL - k * 0.010, k  # from its intended send, the stall's rest
        assert not measured.free[k]  # its connection was busy when it was due
    # the server's 6th answer (request 5) closed the connection: 6 requests on the first
    # connection's port, the rest on the one opened again
    assert measured.port[:6] == [measured.port[0]] * 6 and measured.port[0] > 0
    assert measured.port[6:] == [measured.port[6]] * 24 and measured.port[6] != measured.port[0]
    # what a closed loop would have timed from the actual send is far less for those requests
    assert measured.done[5] - measured.sent[5] < measured.done[5] - measured.due[5]


def test_a_closed_connection_is_opened_again_and_a_bad_status_counted() -> None:
    pytest.importorskip("httptools")
    pytest.importorskip("uvicorn")
    bodies = [b"{}"] * 12
    bodies[8] = b"bad"
    with _Server() as url:
        measured = paced.measure(url, bodies, rate=1000, connections=2)
    # request 6 of the server's count was answered with `Connection: close`: its connection
    # was opened again and every request was answered
    assert all(measured.done)
    assert sorted(measured.status) == [200] * 11 + [400]
    assert measured.status[8] == 400
    assert measured.errors == 1
    assert len(set(measured.port)) == 3  # two connections and the one opened again
