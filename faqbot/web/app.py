"""`create_app`: build the FastAPI application around a bot (or a callable returning one).

    app = create_app(Bot.load(), WebSettings(rate_limit=None))

Nothing lives at module level: tests, fuzzers and `uvicorn --factory` each build
their own app.  `app_from_env` is the factory `faqbot serve --workers N` hands to
uvicorn; it reads `FAQBOT_*` variables (see `faqbot.web.config`).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from fastapi import FastAPI

from faqbot import __version__
from faqbot.bot import Bot
from faqbot.feedback import FeedbackLog
from faqbot.web import errors
from faqbot.web.config import WebSettings
from faqbot.web.head import HeadAsGet
from faqbot.web.pages import pages_router
from faqbot.web.ratelimit import RateLimit
from faqbot.web.routes import BotProvider, api_router
from faqbot.web.security import BodySizeLimit, Cors, HeaderCountLimit, SecurityHeaders

DESCRIPTION = (
    "Answers common questions about sex therapy from a curated knowledge base. "
    "Stateless: send back `context.previous_id` for follow-ups, or `id` for a picked option. "
    'Every error has the shape `{"error": {status, code, message, details}}`.'
)


def create_app(
    bot: Bot | BotProvider,
    settings: WebSettings | None = None,
    unanswered: FeedbackLog | None = None,
) -> FastAPI:
    """The application; `bot` may be a callable so a reloader can swap knowledge bases."""
    settings = settings or WebSettings()
    current_bot = _provider(bot)
    log = unanswered if unanswered is not None else _unanswered_log(settings)
    # The API docs pages are off unless asked for (`--docs`), and then served offline.
    app = FastAPI(
        title="faqbot",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
    )
    errors.install(app, lambda: current_bot().knowledge.practice.messages)
    app.include_router(api_router(current_bot, log))
    app.include_router(pages_router(current_bot))
    if settings.docs:
        from faqbot.web.docs_pages import docs_router

        app.include_router(docs_router())
    _add_middleware(app, settings)
    return app


def _add_middleware(app: FastAPI, settings: WebSettings) -> None:
    # Added innermost first: headers wrap everything, so even a 429 or 413 carries them.
    app.add_middleware(
        BodySizeLimit, max_bytes=settings.max_body_bytes, timeout=settings.request_timeout
    )
    if settings.rate_limit:
        app.add_middleware(
            RateLimit,
            rate=settings.rate_limit,
            storage=settings.rate_limit_storage,
            trusted_proxies=settings.trusted_proxies,
        )
    app.add_middleware(HeaderCountLimit, max_headers=settings.max_headers)
    app.add_middleware(Cors, origins=settings.origins)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)


def app_from_env() -> FastAPI:
    """The app configured by `FAQBOT_*` environment variables (for uvicorn workers)."""
    settings = WebSettings.from_environ(os.environ)
    return create_app(bot_provider(settings), settings)


def bot_provider(settings: WebSettings, bot: Bot | None = None) -> BotProvider:
    """`bot` (by default loaded, from the cache `faqbot serve` has just filled), or with
    `watch` a provider that starts there and follows edits to the knowledge base.

    Every worker of `faqbot serve --workers N` starts here: reading the bot the command
    cached is several times faster than building it again (0.5 s against 2 s or more at
    100,000 paraphrases).
    """
    if bot is None:
        bot = Bot.load(settings.kb, cache=True)  # a broken knowledge base raises here
    if not settings.watch:
        return lambda: bot
    from faqbot.reloader import ReloadingBot

    bots = ReloadingBot(settings.kb, bot=bot)
    bots.start()  # checks on a daemon thread, so no request waits for a reload
    return bots.current


def _provider(bot: Bot | BotProvider) -> Callable[[], Bot]:
    if isinstance(bot, Bot):
        return lambda: bot
    return bot


def _unanswered_log(settings: WebSettings) -> FeedbackLog | None:
    if not settings.log_unanswered:
        return None
    from faqbot.unanswered import UnansweredLog  # issue 5, imported only when asked for

    return UnansweredLog(settings.log_unanswered)
