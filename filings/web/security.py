"""What keeps the page to its one clerk: the Host check, the token, the body limit, the CSRF check
and the headers that keep the browser from loading anything from elsewhere.

`Guard` wraps the whole app (plain ASGI, so it sees every request, static files and event streams
too); `read_form` is the one way a route reads a form, and it refuses any form whose CSRF field
does not match the browser's cookie.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from filings.errors import FilingsError
from filings.inputs.limits import Limits, exceeded

TOKEN_COOKIE = "filings_token"
TOKEN_HEADER = "x-filings-token"
CSRF_COOKIE = "filings_csrf"
CSRF_FIELD = "csrf"
MIN_TOKEN = 16
# The form's other fields and multipart's own headers, on top of the roster itself.
FORM_OVERHEAD = 64 * 1024
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
HEADERS = {
    # Nothing from another origin: no fonts, scripts or styles fetched, no framing by other sites.
    "content-security-policy": "default-src 'self'; frame-ancestors 'self'; form-action 'self'; "
    "base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",  # detainees' data stays out of the browser's disk cache
}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None) -> None:
    """Only this computer may reach the page, unless every request must carry a token."""
    if token is not None and len(token) < MIN_TOKEN:
        raise FilingsError(
            f"--token: {len(token)} characters; a token needs at least "
            f"{MIN_TOKEN}, so no one can guess it"
        )
    if not is_loopback(host) and token is None:
        raise FilingsError(
            f"--host {host}: other computers could reach this page; give --token "
            "TOKEN as well, and every request must then carry it"
        )


def same(given: str | None, expected: str) -> bool:
    """Compare secrets in constant time."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class TooLarge(Exception):
    """The request's body went past the upload limit."""


class Guard:
    """Every request: a Host this server answers to (so a page elsewhere cannot rebind a name to
    127.0.0.1 and read ours), the token when there is one, a body no larger than an upload may
    be, and headers that keep the browser to this server alone."""

    def __init__(self, app: ASGIApp, *, limits: Limits, token: str | None, loopback: bool):
        self.app, self.token, self.loopback = app, token, loopback
        self.limits = limits
        self.max_body = limits.file_bytes + FORM_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        refusal = self._refusal(request)
        if refusal is not None:
            return await _with_headers(refusal)(scope, receive, send)
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *_raw(HEADERS)]
            await send(message)

        try:
            await self.app(scope, self._counted(receive), sending)
        except TooLarge:
            if started:
                raise
            await self._too_large()(scope, receive, send)

    def _refusal(self, request: Request) -> Response | None:
        if self.loopback and _host_name(request.headers.get("host", "")) not in LOOPBACK_NAMES:
            return PlainTextResponse(
                f"This server answers only to {', '.join(LOOPBACK_NAMES)}.", 400
            )
        if self.token is not None:
            refused = self._token_refusal(request)
            if refused is not None:
                return refused
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            return self._too_large()
        return None

    def _token_refusal(self, request: Request) -> Response | None:
        query = request.query_params.get("token")
        if request.method == "GET" and same(query, self.token):
            # The first visit: keep the token in a cookie and take it out of the address bar.
            params = request.query_params.multi_items()
            rest = urlencode([(k, v) for k, v in params if k != "token"])
            response = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""), 303)
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
            return response
        given = request.headers.get(TOKEN_HEADER) or request.cookies.get(TOKEN_COOKIE)
        if not same(given, self.token):
            return PlainTextResponse(
                "This server needs its token: open the address `filings "
                "serve` printed, which ends in ?token=…",
                403,
            )
        return None

    def _too_large(self) -> Response:
        error = exceeded("upload", "file_mb", f"larger than {self.limits.file_mb:g} MB")
        return _with_headers(PlainTextResponse(error.message, 413))

    def _counted(self, receive: Receive) -> Receive:
        received = 0

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise TooLarge
            return message

        return counting


def _host_name(header: str) -> str:
    """`[::1]:8000` -> `[::1]`, `localhost:8000` -> `localhost`."""
    return header.split("]")[0] + "]" if header.startswith("[") else header.rsplit(":", 1)[0]


def _raw(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]


def _with_headers(response: Response) -> Response:
    response.headers.update(HEADERS)
    return response


# --- forms -------------------------------------------------------------------------------------


class FormRefused(Exception):
    """A form that did not come from one of our own pages, or could not be read."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def csrf_token(request: Request) -> tuple[str, bool]:
    """This browser's CSRF token, and whether it is new (and so must be set as a cookie)."""
    token = request.cookies.get(CSRF_COOKIE, "")
    if len(token) >= 32 and token.isascii():
        return token, False
    return secrets.token_urlsafe(32), True


def set_csrf_cookie(response: Response, token: str) -> None:
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")


async def read_form(request: Request, limits: Limits) -> FormData:
    """The request's form, once its CSRF field matches this browser's cookie. An uploaded file
    is held in memory (at most the upload limit, which Guard enforces), never spooled to the
    system's temporary folder: nothing of a roster is kept outside OUT."""
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("multipart/form-data"):
            parser = MultiPartParser(request.headers, request.stream(), max_files=1, max_fields=50)
            parser.spool_max_size = limits.file_bytes + FORM_OVERHEAD
            form = await parser.parse()
        else:
            form = await request.form(max_files=0, max_fields=50)
    except MultiPartException as exc:
        raise FormRefused(f"The form could not be read: {exc.message}", 400) from None
    except TooLarge:  # a body sent without its length, cut off at the limit
        error = exceeded("upload", "file_mb", f"larger than {limits.file_mb:g} MB")
        raise FormRefused(error.message, 413) from None
    cookie = request.cookies.get(CSRF_COOKIE)
    field = form.get(CSRF_FIELD)
    if not (isinstance(field, str) and cookie and same(field, cookie)):
        await form.close()
        raise FormRefused(
            "This form did not come from this page (its security code does not "
            "match). Go back, reload the page and send it again."
        )
    return form
