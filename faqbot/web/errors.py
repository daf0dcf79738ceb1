"""One JSON shape for every error the server sends, whatever raised it.

    {"error": {"status": 422, "code": "invalid_request",
               "message": "The question is too long: at most 1000 characters.",
               "details": [{"field": "question", "message": "..."}]}}

`details` is always a list (empty unless a field is at fault).  Nothing a
visitor typed is echoed back, and no traceback ever reaches a client.  The
messages are the knowledge base's (`error_<status>` and `error_...` sentences in
practice.yaml or its language's defaults), read when the error is sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import Scope

from faqbot.language import get_language

logger = logging.getLogger("faqbot.web")

CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    431: "headers_too_large",
    500: "internal_error",
}
# Statuses with a sentence of their own (`error_<status>`); any other says `error_other`.
MESSAGES = frozenset({400, 403, 404, 405, 408, 413, 429, 431, 500})
Sentences = Mapping[str, str]


def error_body(
    status: int,
    message: str | None = None,
    details: list[dict] | None = None,
    sentences: Sentences | None = None,
) -> dict:
    """The error document for `status`, in `sentences` (default: English)."""
    sentences = sentences or get_language("en").messages
    name = f"error_{status}" if status in MESSAGES else "error_other"
    return {
        "error": {
            "status": status,
            "code": CODES.get(status, "error"),
            "message": message or sentences[name],
            "details": details or [],
        }
    }


def sentences_of(scope: Scope) -> Sentences | None:
    """The knowledge base's sentences for the app serving `scope` (see `install`)."""
    current = getattr(getattr(scope.get("app"), "state", None), "sentences", None)
    try:
        return current() if callable(current) else None
    except Exception:  # the failure being reported may be that very knowledge base's
        return None


def error_response(
    status: int,
    message: str | None = None,
    details: list[dict] | None = None,
    headers: Mapping[str, str] | None = None,
    sentences: Sentences | None = None,
) -> JSONResponse:
    """A JSON error response; middleware uses it directly, handlers through `install`."""
    all_headers = {"Cache-Control": "no-store", **(headers or {})}
    body = error_body(status, message, details, sentences)
    return JSONResponse(body, status, headers=all_headers)


def install(app: FastAPI, sentences: Callable[[], Sentences] | None = None) -> None:
    """Route every exception FastAPI or Starlette can raise to `error_response`, worded
    in `sentences()` (the current knowledge base's)."""
    app.state.sentences = sentences
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    detail = error.detail if isinstance(error.detail, str) else None
    message = detail if error.status_code not in MESSAGES or _is_custom(detail) else None
    sentences = sentences_of(request.scope)
    return error_response(error.status_code, message, headers=error.headers, sentences=sentences)


def _is_custom(detail: str | None) -> bool:
    # Starlette fills `detail` with the bare reason phrase ("Not Found"); ours are sentences.
    return bool(detail) and detail.endswith(".")


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = list(error.errors())
    sentences = sentences_of(request.scope) or get_language("en").messages
    if any(p.get("type") == "json_invalid" for p in problems):
        return error_response(400, sentences["error_invalid_json"], sentences=sentences)
    details = [_detail(p, sentences) for p in problems]
    message = details[0]["message"] if len(details) == 1 else sentences["error_invalid_fields"]
    return error_response(422, message, details, sentences=sentences)


def _detail(problem: Mapping[str, Any], sentences: Sentences) -> dict[str, str]:
    location = [str(part) for part in problem.get("loc", ()) if part != "body"]
    field = ".".join(location) or "body"
    if problem.get("type") == "string_too_long" and field == "question":
        limit = str(problem.get("ctx", {}).get("max_length"))
        return {
            "field": field,
            "message": sentences["error_question_too_long"].replace("{limit}", limit),
        }
    own = sentences.get(f"error_{problem.get('type')}")  # a code of ours, e.g. question_or_id
    message = str(own or problem.get("msg") or sentences["error_invalid_value"])
    return {"field": field, "message": message.removeprefix("Value error, ")}


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    # The type only: an exception's message could quote what a visitor typed.
    logger.error("unexpected %s while serving %s", type(error).__name__, request.url.path)
    return error_response(500, sentences=sentences_of(request.scope))
