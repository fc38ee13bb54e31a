"""Start `policyc serve` for a test: a real uvicorn process on a free 127.0.0.1 port, and a small
HTTP client over the standard library (so that the tests need nothing beyond the `serve` extra).
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_server(*paths: str, workers: int = 1, timeout: float = 90) -> Iterator[str]:
    """`policyc serve PATHS --port FREE --workers N` from the repository; yields the base URL."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "policyc",
                "serve",
                *paths,
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"policyc serve exited: {log.read().decode()[-3000:]}")
                try:
                    if request(base, "GET", "/v1/health")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("policyc serve did not answer /v1/health in time")
                time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)


def request(
    base: str,
    method: str,
    path: str,
    body: bytes | None = None,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of one request; a 4xx or 5xx is returned, not raised."""
    sent = urllib.request.Request(
        base + urllib.parse.quote(path, safe="/?=&%"), data=body, method=method
    )
    if body is not None:
        sent.add_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        sent.add_header(name, value)
    try:
        with urllib.request.urlopen(sent, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(base: str, path: str) -> tuple[int, Any]:
    status, _, body = request(base, "GET", path)
    return status, json.loads(body)


def post_json(base: str, path: str, text: str) -> tuple[int, Any]:
    status, _, body = request(base, "POST", path, text.encode("utf-8"))
    return status, json.loads(body)


def json_text(value: Any) -> str:
    """Case data as JSON text with exact numbers (a Decimal is written as the number it is)."""
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(
                f"{json.dumps(str(k), ensure_ascii=False)}:{json_text(v)}" for k, v in value.items()
            )
            + "}"
        )
    if isinstance(value, list):
        return "[" + ",".join(json_text(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


def declared_only(base: str, path: str, length: int, content_type: str) -> tuple[int, str]:
    """Send a request's head declaring a `length`-byte body and none of it; the status and body
    of the answer. (Sending the body too races with a server that answers 413 early and closes.)
    """
    host, port = base.removeprefix("http://").rsplit(":", 1)
    head = (
        f"POST {urllib.parse.quote(path)} HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=60) as connection:
        connection.sendall(head.encode())
        received = b""
        while b"\r\n\r\n" not in received:
            received += connection.recv(65536)
        header, _, body = received.partition(b"\r\n\r\n")
        size = int(re.search(rb"(?i)content-length: *(\d+)", header)[1])  # type: ignore[index]
        while len(body) < size:
            body += connection.recv(65536)
    return int(header.split()[1]), body.decode("utf-8")
