"""The API against its own OpenAPI schema: generated requests (valid and invalid) get no
500, and every response matches what the schema documents (status, content type,
headers, body).  Plus the two places where the schema and the server disagree about
what a valid request is, pinned as known bugs."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from faqbot.web.app import create_app
from faqbot.web.config import WebSettings

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.unsupported_method,
    checks.allow_header_conformance,
]


@pytest.fixture(scope="module")
def app(bot):
    return create_app(bot, WebSettings(rate_limit=None))


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_schema_and_never_fails(case):
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def client(web_client):
    return web_client()


def test_the_schema_says_a_question_or_an_id_is_required(client):
    ask = client.get("/openapi.json").json()["components"]["schemas"]["AskRequest"]
    assert "oneOf" in ask or "anyOf" in ask or ask.get("required")


@pytest.mark.parametrize("helpful", [0, 1, "yes", "true"])
def test_feedback_helpful_must_be_a_json_boolean(client, helpful):
    response = client.post("/api/feedback", json={"id": "homework", "helpful": helpful})
    assert response.status_code == 422


HOSTILE_BODIES = [
    (b'{"question": "\\ud800 naked"}', "application/json"),  # a lone surrogate
    (b'{"question": "hi", "context": ' + b"[" * 5000 + b"]" * 5000 + b"}", "application/json"),
    (b'{"question": "hi", "context": ' + b'{"a":' * 2000 + b"1" + b"}" * 2001, "application/json"),
    (b"\xff\xfe{}", "application/json"),
    (b"", "application/json"),
    (b'{"question": "hi"}', "text/plain"),
    (b"question=hi", "application/x-www-form-urlencoded"),
    (b'{"question": "hi", "question": "\\u0000\\u001b[2J"}', "application/json"),
]


@pytest.mark.parametrize(("body", "content_type"), HOSTILE_BODIES)
def test_hostile_bodies_get_a_reply_or_a_json_error_never_a_500(client, body, content_type):
    response = client.post("/api/ask", content=body, headers={"content-type": content_type})
    assert response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/json"
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"status", "code", "message", "details"}
    else:
        assert response.json()["kind"] in {"answer", "clarify", "fallback", "crisis"}
