"""`faqbot serve --docs` in a real Chromium: Swagger UI renders every operation from this
server's own files, under its CSP, without one request to another host (issue 16, row 8)."""

from __future__ import annotations

import pytest

from faqbot.web.app import create_app
from faqbot.web.config import WebSettings
from tests.conftest import live_server

pytestmark = pytest.mark.browser


def test_the_api_docs_render_offline_under_their_csp(chromium, bot):
    app = create_app(bot, WebSettings(rate_limit=None, docs=True))
    with live_server(app) as url:
        page = chromium.new_page()
        problems: list[str] = []
        requests: list[str] = []
        page.on("console", lambda message: problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url + "/docs")
        page.wait_for_selector(".opblock", timeout=10_000)
        operations = page.locator(".opblock").count()
        page.close()
    assert operations == len([p for p in app.openapi()["paths"].values() for _ in p])
    assert not problems  # a CSP violation is reported on the console
    assert all(r.startswith(url) or r.startswith("data:") for r in requests), requests
