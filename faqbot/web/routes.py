"""The JSON API: ask, feedback, welcome, topics and health.

No `from __future__ import annotations` here: the ask endpoint's body model is
built at start-up (it carries the knowledge base's question limit), and FastAPI
can only see a locally built class through a real, evaluated annotation.
"""

import logging
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from faqbot.bot import Bot, Context
from faqbot.feedback import FeedbackLog, keep_unanswered
from faqbot.reply import Reply
from faqbot.web.schemas import (
    ErrorModel,
    FeedbackRequest,
    HealthModel,
    ReplyModel,
    TopicsModel,
    WelcomeModel,
    ask_request_model,
)

logger = logging.getLogger("faqbot.web")

BotProvider = Callable[[], Bot]
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorModel, "description": description}
    for status, description in (
        (400, "The body is not valid JSON."),
        (413, "The body is too large."),
        (422, "A field is missing, of the wrong type or too long."),
        (429, "Too many requests from this address; see Retry-After."),
    )
}


def api_router(current_bot: BotProvider, log: FeedbackLog | None) -> APIRouter:
    """All JSON routes, answering from whatever bot `current_bot` returns at the time."""
    router = APIRouter()
    ask_request = ask_request_model(current_bot().knowledge.settings.max_question_chars)

    @router.post("/api/ask", response_model=ReplyModel, responses=ERRORS, tags=["chat"])
    async def ask(request: ask_request) -> Response:  # type: ignore[valid-type]
        """Answer a question, or the entry a visitor picked (`id`). The server keeps no state."""
        # One hand-off to a worker thread for the whole answer: a plain `def` endpoint costs
        # FastAPI several, and answering on the event loop itself starved new connections
        # at 64 concurrent clients.
        reply = await run_in_threadpool(_answer, current_bot(), log, request)
        logger.debug("ask: %s %s", reply.kind, reply.id or "-")
        # Already JSON in the documented shape (ReplyModel, pinned by a test): returning a
        # Response skips re-validating it, which cost more than answering the question.
        return Response(reply.to_json(), media_type="application/json")

    @router.post("/api/feedback", status_code=204, responses=ERRORS, tags=["chat"])
    def feedback(request: FeedbackRequest) -> Response:
        """Say whether an answer helped; kept only when the maintainer turned logging on
        (then `/api/welcome` says `"feedback_stored": true`)."""
        if log is not None and current_bot().entry(request.id) is not None:
            try:
                log.rate(request.id, request.helpful)
            except Exception:  # a rating is optional: the visitor never sees a failure for it
                logger.warning("could not store a rating", exc_info=True)
        return Response(status_code=204)

    @router.get("/api/welcome", response_model=WelcomeModel, tags=["chat"])
    def welcome() -> dict[str, Any]:
        """The greeting, disclaimer, suggested questions and headings a conversation starts with."""
        return welcome_payload(current_bot(), feedback_stored=log is not None)

    @router.get("/api/topics", response_model=TopicsModel, tags=["browse"])
    def topics() -> dict[str, Any]:
        """Every question the bot knows, grouped by topic."""
        grouped = current_bot().topics().items()
        return {
            "topics": [
                {"title": title, "entries": [_choice(c) for c in choices]}
                for title, choices in grouped
            ]
        }

    @router.get("/healthz", response_model=HealthModel, tags=["operations"])
    def healthz() -> dict[str, Any]:
        """Liveness and readiness: a knowledge base is loaded. Never rate-limited."""
        return {"status": "ok", "entries": len(current_bot().knowledge.entries)}

    return router


def _answer(bot: Bot, log: FeedbackLog | None, request: Any) -> Reply:
    """The reply to one ask request; questions (not picked ids) may be logged."""
    if request.id is not None:
        return bot.reply_for_id(request.id)
    reply = bot.reply(request.question, Context.from_mapping(request.context))
    _record(log, request.question, reply)
    return reply


def _record(log: FeedbackLog | None, question: str, reply: Reply) -> None:
    # The visitor still gets the answer when the log cannot be written.
    try:
        keep_unanswered(log, question, reply)
    except Exception as error:
        logger.warning("could not record an unanswered question: %s", type(error).__name__)


def welcome_payload(bot: Bot, feedback_stored: bool = False) -> dict[str, Any]:
    """What `/api/welcome` returns for `bot`: everything the widget shows before a question,
    every sentence it says on its own (`strings`), and its language."""
    practice = bot.knowledge.practice
    return {
        "strings": practice.widget,
        "language": bot.knowledge.settings.language,
        "direction": bot.normalizer.language.direction,
        "feedback_stored": feedback_stored,
        "greeting": practice.greeting(feedback_stored),  # its privacy sentence agrees
        "disclaimer": practice.disclaimer,
        "suggestions": [_choice(c) for c in bot.suggestions()],
        "max_question_chars": bot.knowledge.settings.max_question_chars,
        "headings": bot.headings(),
    }


def _choice(choice: Any) -> dict[str, str]:
    return {"id": choice.id, "question": choice.question}
