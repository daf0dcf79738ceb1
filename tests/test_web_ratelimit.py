"""Who the rate limit counts as one client, and what it counts (issue 16, row 3)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from faqbot.web.ratelimit import RateLimit, client_address, trusted_networks


async def ok(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def scope(peer: str, *forwarded: str) -> dict:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return {"type": "http", "client": (peer, 1234), "headers": headers}


PROXY = trusted_networks(["127.0.0.1", "10.0.0.0/8"])


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy():
    assert client_address(scope("127.0.0.1", "203.0.113.9")) == "127.0.0.1"
    assert client_address(scope("198.51.100.1", "203.0.113.9"), PROXY) == "198.51.100.1"


def test_through_a_trusted_proxy_the_right_most_untrusted_address_is_the_client():
    # The visitor prepended a lie; the proxies appended what they saw.
    seen = scope("127.0.0.1", "1.2.3.4, 203.0.113.9, 10.1.2.3")
    assert client_address(seen, PROXY) == "203.0.113.9"


def test_values_that_are_not_addresses_are_skipped():
    assert client_address(scope("127.0.0.1", "203.0.113.9, not-an-ip-7"), PROXY) == "203.0.113.9"
    assert client_address(scope("127.0.0.1", "not-an-ip-7"), PROXY) == "127.0.0.1"


def test_several_forwarded_for_headers_are_read_as_one_list():
    seen = scope("127.0.0.1", "203.0.113.9", "198.51.100.7")
    assert client_address(seen, PROXY) == "198.51.100.7"


def test_made_up_forwarded_values_do_not_mint_fresh_buckets():
    limiter = RateLimit(ok, "2/minute", trusted_proxies=["127.0.0.1"])
    client = TestClient(limiter, client=("127.0.0.1", 1000))
    statuses = [
        client.get("/api/x", headers={"X-Forwarded-For": f"not-an-ip-{n}"}).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 429, 429]


def test_visitors_behind_one_trusted_proxy_each_get_their_own_bucket():
    limiter = RateLimit(ok, "1/minute", trusted_proxies=["127.0.0.1"])
    client = TestClient(limiter, client=("127.0.0.1", 1000))
    first = client.get("/api/x", headers={"X-Forwarded-For": "203.0.113.1"})
    second = client.get("/api/x", headers={"X-Forwarded-For": "203.0.113.2"})
    again = client.get("/api/x", headers={"X-Forwarded-For": "203.0.113.1"})
    assert (first.status_code, second.status_code, again.status_code) == (200, 200, 429)


@pytest.mark.parametrize("path", ["/", "/widget.js", "/demo.css", "/favicon.ico", "/healthz"])
def test_static_files_and_health_are_not_counted(web_client, path):
    client = web_client(rate_limit="1/minute")
    client.get("/api/topics")
    assert client.get("/api/topics").status_code == 429
    assert all(client.get(path).status_code != 429 for _ in range(3))


def test_a_limited_visitor_gets_the_json_error_with_retry_after(web_client):
    client = web_client(rate_limit="1/minute")
    client.get("/api/welcome")
    limited = client.get("/api/welcome")
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 60


def test_a_bad_proxy_entry_is_named():
    with pytest.raises(ValueError, match="not-a-network"):
        trusted_networks(["10.0.0.0/8", "not-a-network"])
