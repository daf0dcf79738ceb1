"""Per-client rate limiting with the `limits` library: 429 and `Retry-After` when exceeded.

The counters live in memory (`MemoryStorage`), so each server worker counts on
its own: with `--workers N` a client may get up to N times the limit.  The
client is the connection's address; behind a reverse proxy, uvicorn's
`--forwarded-allow-ips` makes that the visitor's address from X-Forwarded-For.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from faqbot.web.errors import error_response, sentences_of

EXEMPT_PATHS = frozenset({"/healthz"})


class RateLimit:
    """Allows each client address `rate` requests (e.g. "60/minute"); /healthz is exempt."""

    def __init__(self, app: ASGIApp, rate: str) -> None:
        self.app = app
        self.item: RateLimitItem = parse(rate)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        client = client_address(scope)
        if self.limiter.hit(self.item, client):
            await self.app(scope, receive, send)
            return
        retry_after = self.retry_after(client)
        headers = {"Retry-After": str(retry_after)}
        refusal = error_response(429, headers=headers, sentences=sentences_of(scope))
        await refusal(scope, receive, send)

    def retry_after(self, client: str) -> int:
        """Whole seconds until `client` may send again (at least 1)."""
        reset_at = self.limiter.get_window_stats(self.item, client).reset_time
        return max(1, math.ceil(reset_at - time.time()))


def client_address(scope: Scope) -> str:
    """The peer's address as the server sees it (after uvicorn's proxy-header handling)."""
    client = scope.get("client")
    return client[0] if client else "unknown"
