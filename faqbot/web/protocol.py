"""uvicorn's h11 protocol with the connection limits it lacks: a request-head deadline and 431.

uvicorn (0.54) arms its keep-alive timer only after a response, so a connection
that never sends a complete request head (an idle socket, or a slowloris sending
one byte a second) is kept for ever.  Here every connection must deliver a whole
request head within `FAQBOT_REQUEST_TIMEOUT` seconds of opening (or of its previous
response), else it is closed.  h11 caps an incomplete head at
`h11_max_incomplete_event_size` bytes and hints 431; uvicorn answers every
protocol error with 400, so this class sends the status h11 suggests.

httptools is faster but has no head-size cap at all (a 19 MB head is buffered
whole), which is why `faqbot serve` uses this class.  The body's own deadline is
an ASGI concern (`faqbot.web.security.BodySizeLimit`).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT_ENV = "FAQBOT_REQUEST_TIMEOUT"
DEFAULT_HEAD_TIMEOUT = 10.0
REASONS = {400: b"Bad Request", 431: b"Request Header Fields Too Large"}


class _Connection(h11.Connection):
    """An h11 connection that remembers the status its last protocol error suggested."""

    refused_status = 400

    def next_event(self) -> Any:
        try:
            return super().next_event()
        except h11.RemoteProtocolError as error:
            self.refused_status = error.error_status_hint
            raise


class GuardedH11Protocol(H11Protocol):
    """H11Protocol plus a deadline for each request head and 431 for an oversized one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conn = _Connection(h11.SERVER, self.conn._max_incomplete_event_size)
        self.head_timeout = float(os.environ.get(HEAD_TIMEOUT_ENV) or DEFAULT_HEAD_TIMEOUT)
        self._head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_deadline()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # a whole head has arrived (or an error)
            self._disarm_head_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_head_deadline()

    def send_400_response(self, msg: str) -> None:
        status = self.conn.refused_status if self.conn.refused_status in REASONS else 400
        body = b"Request header fields too large." if status == 431 else msg.encode("ascii")
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
        for event in (
            h11.Response(status_code=status, headers=headers, reason=REASONS[status]),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()

    def _arm_head_deadline(self) -> None:
        self._disarm_head_deadline()
        self._head_deadline = self.loop.call_later(self.head_timeout, self._head_too_slow)

    def _disarm_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()
