"""Pure ASGI middleware: security headers, an opt-in CORS allow-list and a body-size cap.

Written by hand rather than with Starlette's CORS middleware so refusals use the
one JSON error shape and so the behaviour fits in one screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from faqbot.web.errors import error_response, sentences_of

# The demo page loads only same-origin script and style (the widget's styles are a
# constructed stylesheet inside its shadow root, which style-src does not govern).
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# Everything else (JSON, widget.js) is never a document: it may load nothing at all.
RESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'"
# `--docs` serves Swagger UI from the swagger-ui-bundle-v2 package: every file from this
# server, so the policy names no other host; Swagger UI sets inline style attributes.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def content_security_policy(path: str) -> str:
    """The policy for a response to `path`."""
    if path == "/docs":
        return DOCS_CSP
    return PAGE_CSP if path == "/" else RESOURCE_CSP


class SecurityHeaders:
    """Adds CSP, nosniff and no-referrer to every response; `no-store` to the API's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = content_security_policy(path)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                if path == "/":
                    headers["X-Frame-Options"] = "DENY"
                if path.startswith("/api/") and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Cors:
    """Cross-origin access for the listed origins only; no credentials, ever.

    With no origins this adds nothing, so browsers refuse cross-origin reads.
    """

    def __init__(self, app: ASGIApp, origins: Iterable[str]) -> None:
        self.app = app
        self.origins = frozenset(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.origins:
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        origin = request_headers.get("origin")
        allowed = origin in self.origins
        if scope["method"] == "OPTIONS" and "access-control-request-method" in request_headers:
            await self._preflight(origin if allowed else None, scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.add_vary_header("Origin")
                if allowed and origin:
                    headers["Access-Control-Allow-Origin"] = origin
                    headers["Access-Control-Expose-Headers"] = "Retry-After"
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, origin: str | None, scope: Scope, receive: Receive, send: Send):
        if origin is None:
            sentences = sentences_of(scope)
            response: Response = error_response(
                403, headers={"Vary": "Origin"}, sentences=sentences
            )
        else:
            response = Response(
                status_code=204,
                headers={
                    "Access-Control-Allow-Origin": origin,
                    "Access-Control-Allow-Methods": "GET, POST",
                    "Access-Control-Allow-Headers": "Content-Type",
                    "Access-Control-Max-Age": "600",
                    "Vary": "Origin",
                },
            )
        await response(scope, receive, send)


class HeaderCountLimit:
    """Refuses a request with more than `max_headers` header lines with 431.

    The server's head-size cap (16 KiB) bounds the bytes; this bounds the count,
    which costs per-header work in every layer above.
    """

    def __init__(self, app: ASGIApp, max_headers: int) -> None:
        self.app = app
        self.max_headers = max_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and len(scope["headers"]) > self.max_headers:
            await error_response(431, headers={"Connection": "close"})(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodySizeLimit:
    """Refuses request bodies over `max_bytes` with 413, before any route reads them,
    and bodies that take longer than `timeout` seconds to arrive with 408.

    The body is read here (it is small by definition) and replayed to the app, so a
    chunked upload without Content-Length is capped as well.  The deadline means a
    client that sends half a body and stops holds a worker for `timeout` at most.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await error_response(413, sentences=sentences_of(scope))(scope, receive, send)
            return
        try:
            async with asyncio.timeout(self.timeout):
                body = await self._read_capped(receive)
        except TimeoutError:
            await error_response(408, headers={"Connection": "close"})(scope, receive, send)
            return
        if body is None:
            await error_response(413, sentences=sentences_of(scope))(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read_capped(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
