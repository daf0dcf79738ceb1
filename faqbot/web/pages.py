"""The demo page and the widget's files, served from the package's `static/` folder."""

from __future__ import annotations

import html
import re
from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from faqbot.markup import segments
from faqbot.model import KnowledgeBase, Safety
from faqbot.web.assets import STATIC, asset, widget_path
from faqbot.web.routes import BotProvider

# `{{name}}` in demo.html: a sentence of the page (practice.yaml `page:`), a detail or a value.
PLACEHOLDER = re.compile(r"\{\{([a-z_0-9]+)\}\}")


@cache
def static_text(name: str) -> str:
    """A file from `static/`, read once per process."""
    return (STATIC / name).read_text(encoding="utf-8")


def pages_router(current_bot: BotProvider) -> APIRouter:
    """`/`, `/widget.js`, `/demo.css` and `/favicon.svg` (not part of the API schema)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def demo_page() -> HTMLResponse:
        return HTMLResponse(demo_html(current_bot().knowledge))

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


def demo_html(knowledge: KnowledgeBase) -> str:
    """The demo page in the knowledge base's words, its details filled in (escaped)."""
    practice, safety = knowledge.practice, knowledge.safety
    values = {
        **{key: practice.details.get(key, "") for key in ("name", "phone_link")},
        **practice.page,
        "lang": knowledge.settings.language,
        "crisis_line": safety.summary or crisis_line(safety),
        "widget_src": widget_path(),
    }
    page = static_text("demo.html")
    return PLACEHOLDER.sub(lambda m: html_text(values.get(m.group(1), "")), page)


def crisis_line(safety: Safety) -> str:
    """The crisis heading and every resource's contact, for a page that says it in one line."""
    return " ".join([safety.heading, *(f"{r.name}: {r.contact}." for r in safety.resources)])


def html_text(text: str) -> str:
    """`text` escaped for HTML, its `[text](target)` links (allowed schemes only) as <a>."""
    parts = []
    for part in segments(text):
        if isinstance(part, str) or not part.allowed:
            parts.append(html.escape(part if isinstance(part, str) else part.text, quote=True))
        else:
            target, shown = html.escape(part.target, quote=True), html.escape(part.text)
            parts.append(f'<a href="{target}">{shown}</a>')
    return "".join(parts)
