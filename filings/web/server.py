"""Run the page: check the address is safe to serve on, bind it, hand the address to the caller
(the CLI prints it and opens the browser), then serve until stopped."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from urllib.parse import quote

from filings.errors import FilingsError
from filings.web.desk import Settings
from filings.web.security import check_binding


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the server starts: a browser opened at once is simply
    queued until the server accepts it, and port 0 picks a free port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host.strip("[]"), port), family=family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise FilingsError(
                f"{host}:{port}: in use by another program; choose another --port"
            ) from None
        raise FilingsError(
            f"--host {host}: cannot listen there ({exc.strerror or exc}); "
            "give an address of this computer"
        ) from None


def address(host: str, port: int, token: str | None) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown and not shown.startswith("[") else shown
    return f"http://{shown}:{port}/" + (f"?token={quote(token, safe='')}" if token else "")


def serve(settings: Settings, ready: Callable[[str], None]) -> None:
    """Serve the page until interrupted; `ready(url)` is called once the address is bound."""
    import uvicorn

    from filings.web.app import create_app

    check_binding(settings.host, settings.token)
    sock = bind(settings.host, settings.port)
    # No access log: addresses name people's documents (and a first visit carries the token).
    config = uvicorn.Config(
        create_app(settings), log_level="warning", access_log=False, timeout_graceful_shutdown=2
    )
    ready(address(settings.host, sock.getsockname()[1], settings.token))
    uvicorn.Server(config).run(sockets=[sock])
