"""One JSON shape for every error the server sends, whatever raised it.

    {"error": {"status": 422, "code": "invalid_request",
               "message": "The question is too long: at most 1000 characters.",
               "details": [{"field": "question", "message": "..."}]}}

`details` is always a list (empty unless a field is at fault).  Nothing a
visitor typed is echoed back, and no traceback ever reaches a client.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

logger = logging.getLogger("faqbot.web")

CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "internal_error",
}
MESSAGES = {
    400: "The request could not be read.",
    403: "This origin is not allowed.",
    404: "There is nothing at this address.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
    429: "Too many requests; please wait a moment and try again.",
    500: "Something went wrong on our side. Please try again later.",
}


def error_body(status: int, message: str | None = None, details: list[dict] | None = None) -> dict:
    """The error document for `status`."""
    return {
        "error": {
            "status": status,
            "code": CODES.get(status, "error"),
            "message": message or MESSAGES.get(status, "The request failed."),
            "details": details or [],
        }
    }


def error_response(
    status: int,
    message: str | None = None,
    details: list[dict] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A JSON error response; middleware uses it directly, handlers through `install`."""
    all_headers = {"Cache-Control": "no-store", **(headers or {})}
    return JSONResponse(error_body(status, message, details), status, headers=all_headers)


def install(app: FastAPI) -> None:
    """Route every exception FastAPI or Starlette can raise to `error_response`."""
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    detail = error.detail if isinstance(error.detail, str) else None
    message = detail if error.status_code not in MESSAGES or _is_custom(detail) else None
    return error_response(error.status_code, message, headers=error.headers)


def _is_custom(detail: str | None) -> bool:
    # Starlette fills `detail` with the bare reason phrase ("Not Found"); ours are sentences.
    return bool(detail) and detail.endswith(".")


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = list(error.errors())
    if any(p.get("type") == "json_invalid" for p in problems):
        return error_response(400, "The request body is not valid JSON.")
    details = [_detail(p) for p in problems]
    message = details[0]["message"] if len(details) == 1 else "The request has invalid fields."
    return error_response(422, message, details)


def _detail(problem: Mapping[str, Any]) -> dict[str, str]:
    location = [str(part) for part in problem.get("loc", ()) if part != "body"]
    field = ".".join(location) or "body"
    if problem.get("type") == "string_too_long" and field == "question":
        limit = problem.get("ctx", {}).get("max_length")
        return {"field": field, "message": f"The question is too long: at most {limit} characters."}
    message = str(problem.get("msg", "Invalid value.")).removeprefix("Value error, ")
    return {"field": field, "message": message}


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    # The type only: an exception's message could quote what a visitor typed.
    logger.error("unexpected %s while serving %s", type(error).__name__, request.url.path)
    return error_response(500)
