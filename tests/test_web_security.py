"""Security headers, opt-in CORS, per-address rate limiting and logs without visitor text."""

from __future__ import annotations

import logging
import re

import pytest

PAGE = "https://www.practice.example"


@pytest.fixture
def client(web_client):
    return web_client()


def test_the_demo_page_has_a_strict_content_security_policy(client):
    headers = client.get("/").headers
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/widget.js", "/api/topics", "/healthz", "/nope"])
def test_every_other_response_may_load_nothing_and_is_never_sniffed(client, path):
    headers = client.get(path).headers
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_api_answers_are_never_cached(client):
    assert (
        client.post("/api/ask", json={"question": "homework"}).headers["cache-control"]
        == "no-store"
    )


def test_cors_is_off_by_default(client):
    response = client.post("/api/ask", json={"question": "homework"}, headers={"Origin": PAGE})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/api/ask", headers={"Origin": PAGE, "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_a_listed_origin_is_echoed_with_vary_and_without_credentials(web_client):
    client = web_client(origins=(PAGE,))
    response = client.post("/api/ask", json={"question": "homework"}, headers={"Origin": PAGE})
    assert response.headers["access-control-allow-origin"] == PAGE
    assert "Origin" in response.headers["vary"]
    assert "access-control-allow-credentials" not in response.headers


def test_a_listed_origin_gets_its_preflight_answered(web_client):
    client = web_client(origins=(PAGE,))
    response = client.options(
        "/api/ask",
        headers={
            "Origin": PAGE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == PAGE
    assert "POST" in response.headers["access-control-allow-methods"]
    assert response.headers["access-control-allow-headers"] == "Content-Type"
    assert "Origin" in response.headers["vary"]


def test_an_unlisted_origin_gets_no_cors_headers(web_client):
    client = web_client(origins=(PAGE,))
    other = {"Origin": "https://evil.example"}
    response = client.post("/api/ask", json={"question": "homework"}, headers=other)
    assert "access-control-allow-origin" not in response.headers
    assert "Origin" in response.headers["vary"]
    preflight = client.options(
        "/api/ask", headers={**other, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 403
    assert "access-control-allow-origin" not in preflight.headers


def test_too_many_requests_get_429_with_retry_after(web_client):
    client = web_client(rate_limit="3/minute")
    statuses = [
        client.post("/api/ask", json={"question": "homework"}).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/topics")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60


def test_healthz_is_never_rate_limited(web_client):
    client = web_client(rate_limit="1/minute")
    client.get("/api/topics")
    assert all(client.get("/healthz").status_code == 200 for _ in range(5))


def test_the_limit_counts_each_client_address_separately():
    from fastapi.testclient import TestClient

    from faqbot.web.ratelimit import RateLimit

    async def ok(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    limiter = RateLimit(ok, "1/minute")
    first = TestClient(limiter, client=("10.0.0.1", 1000))
    second = TestClient(limiter, client=("10.0.0.2", 1000))
    assert first.get("/api/x").status_code == 200
    assert first.get("/api/x").status_code == 429
    assert second.get("/api/x").status_code == 200


def test_a_rate_limited_browser_can_read_retry_after(web_client):
    client = web_client(origins=(PAGE,), rate_limit="1/minute")
    client.get("/api/topics", headers={"Origin": PAGE})
    limited = client.get("/api/topics", headers={"Origin": PAGE})
    assert limited.headers["access-control-allow-origin"] == PAGE
    assert "Retry-After" in limited.headers["access-control-expose-headers"]


def test_server_logs_hold_no_question_text_at_the_default_level(web_client, caplog, tmp_path):
    secret = "zebrafinch mortgage"
    client = web_client(log_unanswered=str(tmp_path / "u.sqlite3"))
    with caplog.at_level(logging.INFO):
        for body in (
            {"question": secret},
            {"question": secret + " is there nudity"},
            {"question": secret * 200},
            {"question": 5, "id": secret},
        ):
            client.post("/api/ask", json=body)
    assert caplog.records, "the API should log something at INFO"
    assert "zebrafinch" not in caplog.text
    assert all("zebrafinch" not in str(r.args) for r in caplog.records)


@pytest.mark.parametrize("path", ["/healthz", "/api/welcome", "/api/topics", "/", "/widget.js"])
def test_head_works_wherever_get_does_and_sends_no_body(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


def test_the_api_docs_are_off_by_default(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").status_code == 200  # the schema itself is plain JSON


def test_the_api_docs_when_asked_for_load_nothing_from_another_host(web_client):
    client = web_client(docs=True)
    page = client.get("/docs")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "http" not in policy and "script-src 'self';" in policy
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/docs-assets/") for s in sources)
    assert all(client.get(s).status_code == 200 for s in sources)
    assert client.get("/docs-assets/index.html").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_too_many_headers_get_431(client):
    headers = {f"x-h{n}": "1" for n in range(150)}
    response = client.get("/healthz", headers=headers)
    assert response.status_code == 431
    assert response.json()["error"]["code"] == "headers_too_large"


def test_a_body_that_stops_half_way_gets_408_after_the_deadline():
    import asyncio

    from faqbot.web.security import BodySizeLimit

    async def app(scope, receive, send):
        raise AssertionError("the app must not see a body that never finished")

    sent: list[dict] = []

    async def receive():
        if not sent:
            sent.append({})
            return {"type": "http.request", "body": b'{"quest', "more_body": True}
        await asyncio.sleep(10)

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "headers": [], "path": "/api/ask"}
    asyncio.run(BodySizeLimit(app, max_bytes=1000, timeout=0.1)(scope, receive, send))
    assert sent[1]["status"] == 408
