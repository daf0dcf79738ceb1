"""The demo page and the widget's files, served from the package's `static/` folder."""

from __future__ import annotations

import html
from functools import cache
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from faqbot.web.routes import BotProvider

STATIC = files("faqbot.web") / "static"
# The widget is embedded by other sites, so caches may keep it for a while.
WIDGET_CACHE = "public, max-age=600"


@cache
def static_text(name: str) -> str:
    """A file from `static/`, read once per process."""
    return (STATIC / name).read_text(encoding="utf-8")


def pages_router(current_bot: BotProvider) -> APIRouter:
    """`/`, `/widget.js` and `/demo.css` (not part of the API schema)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def demo_page() -> HTMLResponse:
        return HTMLResponse(demo_html(current_bot().knowledge.practice.details))

    @router.get("/widget.js")
    def widget_js() -> Response:
        return Response(
            static_text("widget.js"),
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": WIDGET_CACHE},
        )

    @router.get("/demo.css")
    def demo_css() -> Response:
        return Response(static_text("demo.css"), media_type="text/css; charset=utf-8")

    return router


def demo_html(details: dict[str, str]) -> str:
    """The demo page with the practice's details filled in (escaped)."""
    page = static_text("demo.html")
    for key in ("name", "therapist", "location", "phone", "phone_link", "hours"):
        page = page.replace("{{" + key + "}}", html.escape(details.get(key, ""), quote=True))
    return page
