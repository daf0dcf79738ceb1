"""The demo page and the widget's files, served from the package's `static/` folder."""

from __future__ import annotations

import html
from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from faqbot.web.assets import STATIC, asset, widget_path
from faqbot.web.routes import BotProvider


@cache
def static_text(name: str) -> str:
    """A file from `static/`, read once per process."""
    return (STATIC / name).read_text(encoding="utf-8")


def pages_router(current_bot: BotProvider) -> APIRouter:
    """`/`, `/widget.js`, `/demo.css` and `/favicon.svg` (not part of the API schema)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def demo_page() -> HTMLResponse:
        return HTMLResponse(demo_html(current_bot().knowledge.practice.details))

    @router.get("/widget.js")
    def widget_js(request: Request) -> Response:
        return widget_response(request)

    @router.get("/demo.css")
    def demo_css() -> Response:
        return Response(static_text("demo.css"), media_type="text/css; charset=utf-8")

    @router.get("/favicon.svg")
    def favicon() -> Response:
        return Response(asset("favicon.svg").body, media_type="image/svg+xml")

    return router


def widget_response(request: Request) -> Response:
    """widget.js, gzipped when the client accepts it, cached for a year under its version."""
    widget = asset("widget.js")
    headers = {
        "Cache-Control": widget.cache_control(request.query_params.get("v")),
        "ETag": f'"{widget.version}"',
        "Vary": "Accept-Encoding",
    }
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    body = widget.body
    if "gzip" in request.headers.get("accept-encoding", ""):
        body = widget.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


def demo_html(details: dict[str, str]) -> str:
    """The demo page with the practice's details filled in (escaped)."""
    page = static_text("demo.html").replace("{{widget_src}}", widget_path())
    for key in ("name", "therapist", "location", "phone", "phone_link", "hours"):
        page = page.replace("{{" + key + "}}", html.escape(details.get(key, ""), quote=True))
    return page
