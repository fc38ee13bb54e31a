"""The evaluate route's short way (policyc.serve.fast) answers every request exactly as the app
behind it does — status, headers and bytes — whether it answers it (a good case) or hands it on
(a bad case, a query, another language, a body over the limit, sent in pieces or not)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")

from policyc.serve.app import create_app
from policyc.serve.evaluate import MAX_BODY_BYTES
from policyc.serve.fast import FastEvaluate

REPO = Path(__file__).resolve().parent.parent
GOOD = json.dumps(
    {"on": "2023-12-31", "inputs": {"申请人类型": "服装电商企业", "年发货量": "600万单"}},
    ensure_ascii=False,
).encode()
BAD = json.dumps(
    {"on": "2023-12-31", "inputs": {"年发货量": "很多单"}}, ensure_ascii=False
).encode()


HANDED_ON: list[str] = []  # the paths the short way gave to the app


@pytest.fixture(scope="module")
def apps() -> tuple[Any, FastEvaluate]:
    app = create_app([REPO / "policies"])

    async def behind(scope: Any, receive: Any, send: Any) -> None:
        HANDED_ON.append(scope["path"])
        await app(scope, receive, send)

    return app, FastEvaluate(behind, app.state.catalog)


def call(
    app: Any,
    path: str,
    pieces: list[bytes],
    query: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    method: str = "POST",
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    sent_headers = (
        headers
        if headers is not None
        else [
            (b"content-type", b"application/json"),
            (b"content-length", str(sum(map(len, pieces))).encode()),
        ]
    )
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query,
        "root_path": "", "headers": sent_headers, "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000), "state": {},
    }  # fmt: skip
    messages = [
        {"type": "http.request", "body": p, "more_body": i < len(pieces) - 1}
        for i, p in enumerate(pieces)
    ]
    out: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        out.append(message)

    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in out if m["type"] == "http.response.body")
    return out[0]["status"], sorted(out[0]["headers"]), body


EVALUATE = "/v1/policies/tzf-2023-1/evaluate"
CASES = {
    "good": (EVALUATE, [GOOD], b"", None, "POST"),
    "good in pieces": (EVALUATE, [GOOD[:10], GOOD[10:]], b"", None, "POST"),
    "bad case": (EVALUATE, [BAD], b"", None, "POST"),
    "not json": (EVALUATE, [b"{"], b"", None, "POST"),
    "explain": (EVALUATE, [GOOD], b"explain=true", None, "POST"),
    "unknown policy": ("/v1/policies/nope/evaluate", [GOOD], b"", None, "POST"),
    "english": (
        EVALUATE,
        [BAD],
        b"",
        [(b"accept-language", b"en"), (b"content-length", str(len(BAD)).encode())],
        "POST",
    ),
    "no length": (EVALUATE, [GOOD], b"", [(b"content-type", b"application/json")], "POST"),
    "declared over the limit": (
        EVALUATE,
        [b"{}"],
        b"",
        [(b"content-length", str(MAX_BODY_BYTES + 1).encode())],
        "POST",
    ),
    "over the limit in pieces": (
        EVALUATE,
        [b" " * (MAX_BODY_BYTES // 2)] * 3,
        b"",
        [(b"content-length", b"10")],
        "POST",
    ),
    "get": (EVALUATE, [b""], b"", None, "GET"),
    "health": ("/v1/health", [b""], b"", None, "GET"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_short_way_answers_as_the_app_does(apps: tuple[Any, FastEvaluate], name: str):
    app, fast = apps
    path, pieces, query, headers, method = CASES[name]
    expected = call(app, path, pieces, query, headers, method)
    HANDED_ON.clear()
    assert call(fast, path, pieces, query, headers, method) == expected
    handed_on = list(HANDED_ON)
    assert handed_on == ([] if name.startswith("good") else [path])
    if name.startswith("good"):
        assert expected[0] == 200
        assert json.loads(expected[2])["results"]
    elif name in ("bad case", "english"):
        assert expected[0] == 422
