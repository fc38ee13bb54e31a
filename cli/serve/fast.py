"""The evaluate route's short way: `POST /v1/policies/{id}/evaluate` answered without Starlette.

The load goal (issue 13) is one evaluation after another on this route; Starlette's layers
(error and language middleware, the body limit, routing over every route, the Request and
Response objects) cost about a tenth of the server's CPU per evaluation. `FastEvaluate` sits
in front of the app: a request it recognises — that method and path, a known policy, no query,
no `Accept-Language`, a declared body within MAX_BODY_BYTES — has its body read and evaluated
by `policyc.serve.evaluate.evaluate_one`, whose bytes are the answer. Anything else, and any
request whose evaluation raises (a bad case, an internal error), goes to the app with its body
replayed, so every problem is answered by the same handlers in the same shape as before: the
short way only ever answers 200 with the bytes the app would send.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policyc.compiler.pipeline import CompiledPolicy
from policyc.serve.catalog import Catalog
from policyc.serve.evaluate import MAX_BODY_BYTES, evaluate_one

_ROUTE = re.compile(r"/v1/policies/([^/]+)/evaluate")
_NO_QUERY: dict[str, str] = {}


class FastEvaluate:
    """The ASGI app `app` with the evaluate route's successful answers given directly."""

    def __init__(self, app: ASGIApp, catalog: Catalog):
        self.app = app
        self.catalog = catalog

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        policy = self._policy_for(scope)
        if policy is None:
            await self.app(scope, receive, send)
            return
        received: list[Message] = []
        size = 0
        while True:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request":
                break  # the client left: the app sees it as it would have
            size += len(message.get("body", b""))
            if size > MAX_BODY_BYTES or not message.get("more_body", False):
                break
        if size <= MAX_BODY_BYTES and received[-1]["type"] == "http.request":
            raw = b"".join(m.get("body", b"") for m in received)
            try:
                answer = evaluate_one(policy, raw, _NO_QUERY, ())
            except Exception:  # the app answers it, in its own shape
                answer = None
            if answer is not None:
                await send({
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-length", str(len(answer)).encode()),
                        (b"content-type", b"application/json"),
                    ],
                })  # fmt: skip
                await send({"type": "http.response.body", "body": answer})
                return
        await self.app(scope, _replay(received, receive), send)

    def _policy_for(self, scope: Scope) -> CompiledPolicy | None:
        """The compiled policy a request may take the short way to, or None."""
        if scope["type"] != "http" or scope["method"] != "POST" or scope["query_string"]:
            return None
        match = _ROUTE.fullmatch(scope["path"])
        if match is None:
            return None
        length = None
        for name, value in scope["headers"]:
            if name == b"accept-language":
                return None  # the language middleware's business
            if name == b"content-length":
                length = value
        if length is None or not length.isdigit() or int(length) > MAX_BODY_BYTES:
            return None
        return self.catalog.get(match[1])


def _replay(received: list[Message], receive: Receive) -> Receive:
    """`receive` giving the messages already read first, then the rest as they come."""
    pending = list(received)

    async def again() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return again
