"""Per-client rate limiting with the `limits` library: 429 and `Retry-After` when exceeded.

Only the API (`/api/...`) is counted: the page, `/widget.js` and its styles are
static, and a visitor sharing an address with many others must still get the
launcher (and so the widget's own "please wait" message) when the API says 429.

Where the counts live is a `limits` storage URI: `memory://` (the default)
counts in each worker process on its own, so `--workers N` allows up to N times
the limit; `redis://host:port` shares one count between every worker and machine
(the moving window is one atomic Lua script there, so the limit holds exactly).

The client is the connection's address, unless that address is a trusted proxy
(`--forwarded-allow-ips`): then it is the right-most address in X-Forwarded-For
that is not itself a trusted proxy.  Entries that are not IP addresses are
skipped, so a client cannot mint fresh buckets by sending made-up values.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from collections.abc import Iterable

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from faqbot.web.errors import error_response, sentences_of

logger = logging.getLogger("faqbot.web")

COUNTED_PREFIX = "/api/"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class RateLimitStorageError(Exception):
    """The rate-limit storage URI is malformed or its server does not answer."""


def open_storage(uri: str) -> Storage:
    """The `limits` storage for `uri`, checked to answer (a Redis server must be up)."""
    try:
        storage = storage_from_string(uri)
        reachable = storage.check()
    except Exception as error:  # limits raises several types for a bad URI or driver
        raise RateLimitStorageError(f"{uri}: {error}") from error
    if not reachable:
        raise RateLimitStorageError(f"{uri}: the storage server does not answer")
    return storage


class RateLimit:
    """Allows each client `rate` requests to the API (e.g. "60/minute")."""

    def __init__(
        self,
        app: ASGIApp,
        rate: str,
        storage: str = "memory://",
        trusted_proxies: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.item: RateLimitItem = parse(rate)
        self.limiter = MovingWindowRateLimiter(open_storage(storage))
        self.trusted = trusted_networks(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(COUNTED_PREFIX):
            await self.app(scope, receive, send)
            return
        client = client_address(scope, self.trusted)
        if self._allowed(client):
            await self.app(scope, receive, send)
            return
        retry_after = self.retry_after(client)
        headers = {"Retry-After": str(retry_after)}
        refusal = error_response(429, headers=headers, sentences=sentences_of(scope))
        await refusal(scope, receive, send)

    def _allowed(self, client: str) -> bool:
        try:
            return self.limiter.hit(self.item, client)
        except Exception as error:  # a storage outage must not take the API down with it
            logger.warning("rate limit storage failed (%s); request let through", error)
            return True

    def retry_after(self, client: str) -> int:
        """Whole seconds until `client` may send again (at least 1)."""
        reset_at = self.limiter.get_window_stats(self.item, client).reset_time
        return max(1, math.ceil(reset_at - time.time()))


def trusted_networks(proxies: Iterable[str]) -> tuple[Network, ...]:
    """`["127.0.0.1", "10.0.0.0/8"]` as networks; raises ValueError naming a bad entry."""
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy.strip(), strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or network: {proxy!r}") from None
    return tuple(networks)


def client_address(scope: Scope, trusted: tuple[Network, ...] = ()) -> str:
    """The client's address: the peer's, or through trusted proxies, the first untrusted hop."""
    client = scope.get("client")
    peer = client[0] if client else "unknown"
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    forwarded = Headers(scope=scope).getlist("x-forwarded-for")
    hops = [hop.strip() for value in forwarded for hop in value.split(",")]
    for hop in reversed(hops):
        address = _ip(hop)
        if address is not None and not any(address in net for net in trusted):
            return str(address)
    return peer


def _is_trusted(peer: str, trusted: tuple[Network, ...]) -> bool:
    address = _ip(peer)
    return address is not None and any(address in network for network in trusted)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
