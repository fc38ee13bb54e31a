"""The ASGI application: the JSON API, the forms, the OpenAPI document, one error shape.

`create_app(paths)` compiles the policies once and returns the Starlette app; uvicorn's workers
build theirs through `app_from_environment`, which reads the folders `serve` put in
POLICYC_SERVE_PATHS, with the evaluate route's short way in front (`policyc.serve.fast`) and,
with several workers, the sharing of connections between them (`policyc.serve.balance`).
A request never gets a traceback: API paths answer JSON errors, pages answer an HTML page, and
anything unforeseen is a 500 with one line (and a bug to fix).
"""

from __future__ import annotations

import gc
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policyc.compiler.i18n import _, language_from_header, use_language
from policyc.serve import api, web
from policyc.serve.balance import Balancer
from policyc.serve.catalog import Catalog, load_catalog
from policyc.serve.evaluate import MAX_BODY_BYTES, RequestError
from policyc.serve.fast import FastEvaluate
from policyc.serve.openapi import openapi_document

PATHS_VARIABLE = "POLICYC_SERVE_PATHS"
STATIC = Path(__file__).parent / "static"
log = logging.getLogger("policyc.serve")


def create_app(paths: Sequence[Path]) -> Starlette:
    """The app serving every policy under `paths`; raises PolicyError or InputError."""
    return build_app(load_catalog(paths))


def app_from_environment() -> ASGIApp:
    """The factory uvicorn's workers call (the folders come as a JSON list in the environment).

    The objects built so far — the compiled policies, the app — live as long as the worker:
    they are moved out of the garbage collector's generations (`gc.freeze`), so that its full
    collections, which come every few thousand requests, no longer walk them (measured in
    process on a busy machine: a full collection 39 → 9 ms of CPU)."""
    paths = json.loads(os.environ.get(PATHS_VARIABLE, '["policies"]'))
    app = create_app([Path(p) for p in paths])
    served = Balancer.from_environment(FastEvaluate(app, app.state.catalog))
    gc.collect()
    gc.freeze()
    return served


def build_app(catalog: Catalog) -> Starlette:
    document = openapi_document()

    async def openapi(request: Request) -> Response:
        return JSONResponse(document)

    routes = [
        *api.ROUTES,
        Route("/openapi.json", openapi, methods=["GET"]),
        *web.ROUTES,
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            RequestError: _request_error,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
        middleware=[Middleware(RequestLanguage), Middleware(BodyLimit, limit=MAX_BODY_BYTES)],
    )
    app.state.catalog = catalog
    return app


class RequestLanguage:
    """A request whose `Accept-Language` prefers English (`en-US,en;q=0.9`) or Chinese gets its
    messages in that language; any other request, the server's own (policyc.compiler.i18n)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = None
        if scope["type"] == "http":
            chosen = language_from_header(Headers(scope=scope).get("accept-language", ""))
        if chosen is None:
            await self.app(scope, receive, send)
            return
        with use_language(chosen):
            await self.app(scope, receive, send)


class BodyLimit:
    """A request body over `limit` bytes is a RequestError 413, raised where the body is read,
    so that the app's handlers answer it in the API's or the pages' shape. The declared length
    is trusted for an early answer, and the bytes that arrive are counted all the same."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared.isdigit() and int(declared) > self.limit:
                raise self.too_large()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise self.too_large()
            return message

        await self.app(scope, limited, send)

    def too_large(self) -> RequestError:
        return RequestError(
            413,
            _("the request body is over {limit} bytes").format(
                limit=self.limit,
            ),
        )


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/v1/") or request.url.path == "/openapi.json"


async def _request_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestError)
    if _wants_json(request):
        return api.error_response(exc)
    return web.error_page(request, exc.status, exc.message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    words = {
        404: _("no such page"),
        405: _("this method is not allowed here"),
        413: _("the request body is over {MAX_BODY_BYTES} bytes").format(
            MAX_BODY_BYTES=MAX_BODY_BYTES,
        ),
    }
    message = words.get(exc.status_code, str(exc.detail))
    headers = dict(exc.headers or {})
    if _wants_json(request):
        body = {"error": message, "problems": [{"field": None, "message": message}]}
        return JSONResponse(body, status_code=exc.status_code, headers=headers)
    return web.error_page(request, exc.status_code, message, headers)


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s", request.url.path)
    message = _("internal error: {type_exc____name} (a bug in policyc)").format(
        type_exc____name=type(exc).__name__,
    )
    if _wants_json(request):
        body = {"error": message, "problems": []}
        return JSONResponse(body, status_code=500)
    return HTMLResponse(message, status_code=500)
