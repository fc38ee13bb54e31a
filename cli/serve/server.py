"""`policyc serve`: compile the policies, then run uvicorn with the app on the given address."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from policyc.compiler.errors import InputError
from policyc.compiler.i18n import _, ngettext
from policyc.serve.balance import BALANCE_VARIABLE, create_file, remove_file
from policyc.serve.catalog import load_catalog

MAX_WORKERS = 64


def serve(paths: Sequence[Path], host: str, port: int, workers: int) -> int:
    """Serve until interrupted; InputError (exit 2) for a bad address, port or worker count,
    PolicyError for a policy that does not check — before anything listens."""
    if not 0 < port < 65536:
        raise InputError(_("--port {port}: expected a port from 1 to 65535").format(port=port))
    if not 1 <= workers <= MAX_WORKERS:
        raise InputError(
            _("--workers {workers}: expected 1 to {MAX_WORKERS}").format(
                workers=workers,
                MAX_WORKERS=MAX_WORKERS,
            )
        )
    catalog = load_catalog(paths)  # errors now, not in each worker
    _check_free(host, port)
    import uvicorn

    from policyc.serve.app import PATHS_VARIABLE

    os.environ[PATHS_VARIABLE] = json.dumps([str(p.resolve()) for p in paths])
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(
        ngettext(
            "policyc: serving {count} policies at http://{shown}:{port}/ "
            "(API /v1/, OpenAPI /openapi.json; {workers} worker)\n",
            "policyc: serving {count} policies at http://{shown}:{port}/ "
            "(API /v1/, OpenAPI /openapi.json; {workers} workers)\n",
            workers,
        ).format(count=len(catalog.policies), shown=shown, port=port, workers=workers)
    )
    if not _is_loopback(host):
        sys.stderr.write(
            _("policyc: warning: {host} is reachable from other machines\n").format(
                host=host,
            )
        )
    balance = None
    if workers > 1:
        with contextlib.suppress(OSError):  # no temporary folder: the workers serve unbalanced
            balance = create_file()
    if balance is not None:
        os.environ[BALANCE_VARIABLE] = str(balance)
    try:
        uvicorn.run(
            "policyc.serve.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=False,
            # scope["client"] is the peer itself: the balance counts connections by it, and no
            # route reads a client's address (X-Forwarded-For is for logs, and there are none)
            proxy_headers=False,
            timeout_keep_alive=30,  # a client's pooled connection outlives a busy moment
            log_level="warning",
        )
    finally:
        if balance is not None:
            remove_file(balance)
    return 0


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _check_free(host: str, port: int) -> None:
    """A clear message when the address cannot be bound, instead of uvicorn's log and exit 1."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(
            _("--host {host}: not an address this machine knows ({exc})").format(
                host=host,
                exc=exc,
            )
        ) from None
    family, kind, proto, _canonical, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise InputError(
                _("{host}:{port}: cannot listen there ({exc_strerror})").format(
                    host=host,
                    port=port,
                    exc_strerror=exc.strerror,
                )
            ) from None
