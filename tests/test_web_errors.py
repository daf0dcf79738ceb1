"""Bad input never gets a 500, and every error, whatever its cause, has one JSON shape."""

from __future__ import annotations

import pytest

from faqbot.web.schemas import ErrorModel


@pytest.fixture
def client(web_client):
    return web_client()


def assert_error_shape(response, status: int) -> dict:
    """The one shape: {"error": {status, code, message, details: [{field, message}]}}."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status
    assert body["error"]["message"].strip()
    ErrorModel.model_validate(body)
    assert "Traceback" not in response.text
    return body["error"]


def post_raw(client, body: bytes, content_type: str = "application/json"):
    return client.post("/api/ask", content=body, headers={"content-type": content_type})


def test_invalid_json_is_a_400(client):
    error = assert_error_shape(post_raw(client, b'{"question": "hi"'), 400)
    assert error["code"] == "bad_request"


@pytest.mark.parametrize(
    "body",
    [
        b'{"question": 42}',
        b'{"question": ["a"]}',
        b'{"question": null, "id": 7}',
        b'{"question": "hi", "context": "not an object"}',
        b"[]",
        b'"just a string"',
        b"null",
    ],
)
def test_wrong_types_are_a_422_naming_the_field(client, body):
    error = assert_error_shape(post_raw(client, body), 422)
    assert error["details"]


@pytest.mark.parametrize("body", [b"{}", b'{"context": {}}'])
def test_neither_question_nor_id_is_a_422(client, body):
    error = assert_error_shape(post_raw(client, body), 422)
    assert "either `question` or `id`" in error["message"]


def test_both_question_and_id_is_a_422(client):
    error = assert_error_shape(client.post("/api/ask", json={"question": "a", "id": "b"}), 422)
    assert "not both" in error["message"]


def test_unknown_fields_are_a_422(client):
    assert_error_shape(client.post("/api/ask", json={"question": "a", "name": "Al"}), 422)


def test_a_question_over_the_limit_is_a_422_with_a_clear_message(client, bot):
    limit = bot.knowledge.settings.max_question_chars
    assert client.post("/api/ask", json={"question": "a" * limit}).status_code == 200
    error = assert_error_shape(client.post("/api/ask", json={"question": "a" * (limit + 1)}), 422)
    assert error["message"] == f"The question is too long: at most {limit} characters."
    assert error["details"] == [{"field": "question", "message": error["message"]}]


def test_the_error_never_echoes_what_the_visitor_typed(client, bot):
    secret = "my-husband-bob " * 100
    response = client.post("/api/ask", json={"question": secret})
    assert "bob" not in response.text


def test_a_one_megabyte_body_is_a_413(client):
    body = b'{"question": "' + b"a" * 1_000_000 + b'"}'
    assert_error_shape(post_raw(client, body), 413)


def test_a_large_chunked_body_without_content_length_is_a_413(client):
    def chunks():
        yield b'{"question": "'
        for _ in range(100):
            yield b"a" * 10_000
        yield b'"}'

    response = client.post(
        "/api/ask", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_error_shape(response, 413)


def test_a_wrong_method_is_a_405_that_says_which_are_allowed(client):
    response = client.get("/api/ask")
    assert_error_shape(response, 405)
    assert response.headers["allow"] == "POST"


def test_an_unknown_path_is_a_404_in_json(client):
    assert_error_shape(client.get("/nothing/here"), 404)


def test_feedback_with_a_non_boolean_is_a_422(client):
    assert_error_shape(
        client.post("/api/feedback", json={"id": "homework", "helpful": "maybe"}), 422
    )


def test_an_unexpected_failure_is_a_500_in_the_same_shape_without_a_traceback(web_client, bot):
    calls = []

    def provider():  # the first call (at start-up) works; every request then fails
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("secret internals")
        return bot

    response = web_client(with_bot=provider).post("/api/ask", json={"question": "hi"})
    error = assert_error_shape(response, 500)
    assert error["code"] == "internal_error"
    assert "secret internals" not in response.text


def test_a_rate_limited_request_has_the_same_shape(web_client):
    client = web_client(rate_limit="1/minute")
    client.get("/api/topics")
    assert_error_shape(client.get("/api/topics"), 429)
