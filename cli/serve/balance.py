"""Keep-alive connections shared evenly between `policyc serve`'s workers.

uvicorn's workers accept from one listening socket, and uvloop (libuv) accepts every connection
waiting at that moment: 50 keep-alive clients connecting together were split 6 / 44 between two
workers (measured, benchmarks/serve.py). Each worker answers its own connections in turn, so the
clients of the worker holding 44 waited about 44 answers for each of theirs, the others 6: the
latency's tail is the imbalance.

With more than one worker, `serve` makes a small shared file (its path in BALANCE_VARIABLE) with
a slot per worker: the worker's pid, how many connections it answered in the last WINDOW seconds
and when it last wrote them. Each worker's `Balancer`, the outermost ASGI layer, notes every
request's client — (host, port), one connection; uvicorn runs without proxy headers so that it
is the peer's own — and at most every INTERVAL seconds publishes its count and reads the others'.
A worker holding more than its share, ceil(total / workers alive) (from 32 connections each,
more than 1/32 over it), answers the request in hand with `Connection: close` (any HTTP/1.1
client then opens a new connection, which the kernel hands to whichever worker accepts
first), at most one each INTERVAL: the counts walk to even
(6 / 44 → 25 / 25 within about a second under load). A slot not written for STALE seconds
counts 0 connections while its process lives (a worker with no clients writes nothing), and
not at all once its process is gone; a new worker takes a free or dead one's slot.
Requests, answers and every other header are untouched; one worker, no file, no Balancer.
The file is named after the serve's PID and removed when serving ends; one left behind by a
serve killed outright is removed by the next serve to start (`remove_orphans`).
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import mmap
import os
import struct
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BALANCE_VARIABLE = "POLICYC_SERVE_BALANCE"
WINDOW = 1.0  # s: a connection counts while it sent a request this recently
INTERVAL = 0.02  # s: between two looks at the counts (so at most one close each)
STALE = 0.5  # s: a slot not written this long counts 0 connections
SLACK = 32  # a worker may hold share // SLACK over its share (none below 32 connections each),
# so that many connections' counts, a little noisy, do not keep some reconnecting
_SLOT = struct.Struct("<qqd")  # pid, connections, time.monotonic() of the write (24 bytes)
SLOTS = 64  # as many as serve's MAX_WORKERS


def create_file(folder: str | None = None) -> Path:
    """A new zeroed balance file of SLOTS slots, `policyc-serve-PID-….balance` in `folder`
    (the temporary folder by default). The caller removes it when serving ends; a serve that
    could not (SIGKILL, a power cut) left its file behind, and the next one to start removes
    the files whose serve is gone (`remove_orphans`)."""
    folder = folder if folder is not None else tempfile.gettempdir()
    remove_orphans(folder)
    descriptor, name = tempfile.mkstemp(
        prefix=f"policyc-serve-{os.getpid()}-", suffix=".balance", dir=folder
    )
    with os.fdopen(descriptor, "wb") as out:
        out.write(bytes(_SLOT.size * SLOTS))
    return Path(name)


def remove_orphans(folder: str, alive: Callable[[int], bool] | None = None) -> list[Path]:
    """Removes the balance files in `folder` whose serve process (the PID in the name) is no
    longer running; returns them. Another user's files, or a running serve's, are kept."""
    alive = alive or _process_alive
    removed = []
    for path in Path(folder).glob("policyc-serve-*-*.balance"):
        pid_text = path.name.removeprefix("policyc-serve-").partition("-")[0]
        if not pid_text.isdigit() or alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):  # another's file, or removed meanwhile
            path.unlink()
            removed.append(path)
    return removed


class Shares:
    """This worker's slot in a balance file and the others' counts (the file's format above)."""

    def __init__(self, path: Path, pid: int | None = None,
                 alive: Callable[[int], bool] | None = None):  # fmt: skip
        self.pid = os.getpid() if pid is None else pid
        self.alive = alive or _process_alive
        with open(path, "r+b") as handle:
            self.memory = mmap.mmap(handle.fileno(), _SLOT.size * SLOTS)
            fcntl.flock(handle, fcntl.LOCK_EX)  # two workers starting together take two slots
            try:
                self.slot = self._claim()
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _claim(self) -> int:
        for index in range(SLOTS):
            pid, _count, _when = _SLOT.unpack_from(self.memory, index * _SLOT.size)
            if pid in (0, self.pid) or not self.alive(pid):
                _SLOT.pack_into(self.memory, index * _SLOT.size, self.pid, 0, 0.0)
                return index
        raise RuntimeError(f"the balance file has no free slot of {SLOTS}")

    def publish(self, count: int, now: float) -> None:
        _SLOT.pack_into(self.memory, self.slot * _SLOT.size, self.pid, count, now)

    def share(self, now: float) -> int:
        """ceil(connections of every live worker / live workers): the most one should hold."""
        total = workers = 0
        for index in range(SLOTS):
            pid, count, when = _SLOT.unpack_from(self.memory, index * _SLOT.size)
            if pid == 0:
                continue
            if now - when <= STALE:
                total += count
            elif pid != self.pid and not self.alive(pid):
                continue
            workers += 1
        return math.ceil(total / workers) if workers else 0


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Balancer:
    """The ASGI app `app`, closing after its answer a connection this worker holds over its
    share (see the module's text). `clock` is time.monotonic, a parameter for the tests."""

    def __init__(self, app: ASGIApp, shares: Shares,
                 clock: Callable[[], float] = time.monotonic):  # fmt: skip
        self.app = app
        self.shares = shares
        self.clock = clock
        self.seen: dict[object, float] = {}  # client (host, port) → when its last request came
        self.next_look = 0.0
        self.closed = 0  # connections this worker asked to close (for the curious)

    @classmethod
    def from_environment(cls, app: ASGIApp) -> ASGIApp:
        """`app` behind a Balancer when `serve` named a balance file, else `app` itself (also
        when the file cannot be read or has no free slot: the workers serve unbalanced)."""
        path = os.environ.get(BALANCE_VARIABLE)
        if not path:
            return app
        try:
            shares = Shares(Path(path))
        except (OSError, ValueError, RuntimeError):
            return app
        return cls(app, shares)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client") if scope["type"] == "http" else None
        if client is None:
            await self.app(scope, receive, send)
            return
        now = self.clock()
        self.seen[client] = now
        if now < self.next_look or not self._over_share(now):
            await self.app(scope, receive, send)
            return
        del self.seen[client]
        self.shares.publish(len(self.seen), now)
        self.closed += 1

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", ()), (b"connection", b"close")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, closing)

    def _over_share(self, now: float) -> bool:
        """Publishes this worker's count; whether it holds more than its share."""
        self.next_look = now + INTERVAL
        horizon = now - WINDOW
        for client in [c for c, when in self.seen.items() if when < horizon]:
            del self.seen[client]
        count = len(self.seen)
        self.shares.publish(count, now)
        share = self.shares.share(now)
        return count > share + share // SLACK


def remove_file(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
