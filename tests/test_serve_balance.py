"""Connections shared between serve's workers (policyc.serve.balance): a worker over its share
closes one connection after its answer each INTERVAL, a worker within it never does; dead and
silent workers' slots; several real workers answer every request of many connections."""

from __future__ import annotations

import asyncio
import http.client
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")

from policyc.serve import balance
from policyc.serve.app import create_app
from policyc.serve.balance import INTERVAL, STALE, WINDOW, Balancer, Shares, create_file
from policyc.serve.evaluate import evaluate_one
from tests.serve_helpers import REPO, running_server

ANSWER_HEADERS = [(b"content-type", b"text/plain"), (b"content-length", b"2")]


async def answer_ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": list(ANSWER_HEADERS)})
    await send({"type": "http.response.body", "body": b"ok"})


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def request(app: Balancer, port: int) -> list[tuple[bytes, bytes]]:
    """One request from client 127.0.0.1:port through `app`: the answer's headers."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [],
             "client": ("127.0.0.1", port)}  # fmt: skip
    asyncio.run(app(scope, receive, send))
    assert sent[1] == {"type": "http.response.body", "body": b"ok"}
    return list(sent[0]["headers"])


CLOSE = (b"connection", b"close")


@pytest.fixture()
def two_workers(tmp_path: Path) -> tuple[Balancer, Balancer, Clock]:
    path = create_file(str(tmp_path))
    clock = Clock()
    first = Balancer(answer_ok, Shares(path, pid=1001, alive=lambda pid: True), clock)
    second = Balancer(answer_ok, Shares(path, pid=1002, alive=lambda pid: True), clock)
    return first, second, clock


def test_over_share_closes_within_share_does_not(
    two_workers: tuple[Balancer, Balancer, Clock],
) -> None:
    few, many, clock = two_workers
    for port in range(1, 7):
        request(few, port)
    for port in range(101, 145):  # only each worker's first request looked at the counts
        request(many, port)
    clock.now += INTERVAL
    # 44 against the 1 the other published at its look: share ceil(45 / 2) = 23, 44 > 23…
    assert CLOSE in request(many, 101)
    assert many.closed >= 1
    # …but not the next before INTERVAL has passed,
    assert CLOSE not in request(many, 102)
    # and the other never does: its 6 against 43, share ceil(49 / 2) = 25.
    clock.now += INTERVAL
    assert CLOSE not in request(few, 1)


def test_the_counts_walk_to_even_and_stop(
    two_workers: tuple[Balancer, Balancer, Clock],
) -> None:
    few, many, clock = two_workers
    on_few, on_many = list(range(1, 7)), list(range(101, 145))
    for port in on_few:
        request(few, port)
    for port in on_many:
        request(many, port)
    closed_in_all = 0
    for _round in range(200):  # each round every connection asks once; a closed one reconnects
        clock.now += INTERVAL
        for worker, ports in ((few, on_few), (many, on_many)):
            for port in list(ports):
                if CLOSE in request(worker, port):
                    closed_in_all += 1
                    ports.remove(port)
                    new_port = 1000 + closed_in_all
                    # the new connection lands on the worker with fewer (here: alternately)
                    (on_few if closed_in_all % 2 else on_many).append(new_port)
                    assert CLOSE not in request(few if closed_in_all % 2 else many, new_port)
    assert sorted((len(on_few), len(on_many))) == [25, 25]
    assert closed_in_all >= 19  # at least 44 - 25 moved
    # even: a further round closes nothing
    clock.now += INTERVAL
    assert not any(CLOSE in request(few, p) for p in on_few)
    assert not any(CLOSE in request(many, p) for p in on_many)


def test_a_silent_worker_counts_zero_and_a_dead_one_not_at_all(tmp_path: Path) -> None:
    path = create_file(str(tmp_path))
    clock = Clock()
    alive = {2001: True, 2002: True}
    busy = Balancer(answer_ok, Shares(path, pid=2001, alive=alive.__getitem__), clock)
    Shares(path, pid=2002, alive=alive.__getitem__)  # a worker with no client: writes nothing
    for port in range(1, 5):
        request(busy, port)
    clock.now += INTERVAL
    # 4 connections, 2 live workers: share 2, so the busy worker closes one
    assert CLOSE in request(busy, 1)
    alive[2002] = False
    clock.now += STALE + INTERVAL
    # the silent worker's process is gone: one worker, share = all it holds
    assert CLOSE not in request(busy, 2)
    # and a new worker takes the dead one's slot, not a new one
    newcomer = Shares(path, pid=2003, alive=lambda pid: pid != 2002)
    assert newcomer.slot == 1


def test_connections_silent_for_a_window_are_not_counted(
    two_workers: tuple[Balancer, Balancer, Clock],
) -> None:
    first, second, clock = two_workers
    for port in range(1, 41):
        request(first, port)
    clock.now += WINDOW + INTERVAL  # those 40 went quiet (their clients left)
    request(second, 500)
    assert CLOSE not in request(first, 1)  # now 1 and 1: nothing to move
    assert len(first.seen) == 1


def test_many_connections_may_be_a_thirty_second_over_their_share(tmp_path: Path) -> None:
    path = create_file(str(tmp_path))
    clock = Clock()
    worker = Balancer(answer_ok, Shares(path, pid=1001, alive=lambda pid: True), clock)
    other = Shares(path, pid=1002, alive=lambda pid: True)  # its count published by hand
    for port in range(1, 104):
        request(worker, port)
    clock.now += INTERVAL
    other.publish(97, clock.now)
    # 103 against 97: share ceil(200 / 2) = 100, slack 100 // 32 = 3: 103 is not over 103
    assert CLOSE not in request(worker, 1)
    request(worker, 104)
    clock.now += INTERVAL
    other.publish(96, clock.now)
    # 104 against 96: 104 is over 103
    assert CLOSE in request(worker, 2)


def test_one_worker_has_no_balancer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(balance.BALANCE_VARIABLE, raising=False)
    assert Balancer.from_environment(answer_ok) is answer_ok


def test_an_unreadable_or_full_balance_file_serves_unbalanced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(balance.BALANCE_VARIABLE, str(tmp_path / "gone.balance"))
    assert Balancer.from_environment(answer_ok) is answer_ok
    full = create_file(str(tmp_path))
    for pid in range(3000, 3000 + balance.SLOTS):
        Shares(full, pid=pid, alive=lambda pid: True)
    monkeypatch.setattr(balance, "_process_alive", lambda pid: True)
    monkeypatch.setenv(balance.BALANCE_VARIABLE, str(full))
    assert Balancer.from_environment(answer_ok) is answer_ok
    monkeypatch.setenv(balance.BALANCE_VARIABLE, str(create_file(str(tmp_path))))
    assert isinstance(Balancer.from_environment(answer_ok), Balancer)


def test_two_real_workers_answer_every_request_of_many_connections() -> None:
    """30 keep-alive connections opened together, 20 requests each: every answer is the
    policy's, whether or not a worker closed the connection after it (the client reconnects)."""
    case = {"on": "2023-12-31", "inputs": {"申请人类型": "服装电商企业", "年发货量": "600万单"}}
    body = json.dumps(case, ensure_ascii=False).encode()
    with running_server("policies", workers=2) as base:
        port = int(base.rsplit(":", 1)[1])
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                       for _ in range(30)]  # fmt: skip
        for connection in connections:
            connection.connect()
        answers = []
        for _round in range(20):
            for connection in connections:
                connection.request(
                    "POST", "/v1/policies/tzf-2023-1/evaluate", body,
                    {"content-type": "application/json"},
                )  # fmt: skip
                response = connection.getresponse()
                answers.append((response.status, response.read()))
        for connection in connections:
            connection.close()
    assert len(answers) == 600
    assert {status for status, _ in answers} == {200}
    policy = create_app([REPO / "policies"]).state.catalog.get("tzf-2023-1")
    assert {text for _, text in answers} == {evaluate_one(policy, body, {}, ())}


def test_a_balance_file_names_its_serve(tmp_path: Path) -> None:
    import os

    path = create_file(str(tmp_path))
    assert path.name.startswith(f"policyc-serve-{os.getpid()}-") and path.suffix == ".balance"
    assert path.stat().st_size == 24 * balance.SLOTS


def test_files_left_by_a_killed_serve_are_removed_by_the_next(tmp_path: Path) -> None:
    """A serve killed with SIGKILL cannot remove its file: the next serve to start removes the
    files whose process is gone, and only those."""
    import os
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid names no process now (reused only after the pid space wraps)
    left = tmp_path / f"policyc-serve-{gone.pid}-abc123.balance"
    left.write_bytes(bytes(24 * balance.SLOTS))
    running = tmp_path / f"policyc-serve-{os.getpid()}-def456.balance"  # this process: alive
    running.write_bytes(b"")
    other = tmp_path / "policyc-serve-k2j3h4.balance"  # no pid in its name: not ours to judge
    other.write_bytes(b"")
    fresh = create_file(str(tmp_path))
    assert not left.exists()
    assert running.exists() and other.exists() and fresh.exists()


def test_orphans_are_judged_by_the_pid_in_their_name(tmp_path: Path) -> None:
    for pid in (11, 12, 13):
        (tmp_path / f"policyc-serve-{pid}-x.balance").write_bytes(b"")
    (tmp_path / "policyc-serve-12-x.other").write_bytes(b"")
    removed = balance.remove_orphans(str(tmp_path), alive=lambda pid: pid == 12)
    assert sorted(p.name for p in removed) == ["policyc-serve-11-x.balance",
                                               "policyc-serve-13-x.balance"]  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "policyc-serve-12-x.balance", "policyc-serve-12-x.other",
    ]  # fmt: skip
