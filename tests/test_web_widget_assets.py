"""How the widget's file is served (compressed, cached under its version) and what it allows."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from faqbot.markup import ALLOWED_SCHEMES
from faqbot.web.assets import VERSIONED_CACHE, asset

WIDGET = Path(__file__).resolve().parent.parent / "faqbot" / "web" / "static" / "widget.js"


@pytest.fixture
def client(web_client):
    return web_client()


def test_the_widget_allows_exactly_the_link_schemes_answers_may_use():
    declared = re.search(r"var SCHEMES = (\[[^\]]*\]);", WIDGET.read_text(encoding="utf-8"))
    assert declared, "widget.js no longer declares SCHEMES"
    assert tuple(json.loads(declared.group(1))) == ALLOWED_SCHEMES


def test_the_widget_is_sent_gzipped_to_a_browser_that_accepts_it(client):
    response = client.get("/widget.js", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.content == WIDGET.read_bytes()  # httpx decompressed it
    assert int(response.headers["content-length"]) < WIDGET.stat().st_size / 2


def test_a_client_without_gzip_gets_the_plain_file(client):
    response = client.get("/widget.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers
    assert response.content == WIDGET.read_bytes()


def test_the_versioned_url_is_cached_for_a_year_and_any_other_briefly(client):
    version = asset("widget.js").version
    assert client.get(f"/widget.js?v={version}").headers["cache-control"] == VERSIONED_CACHE
    for stale in ("/widget.js", "/widget.js?v=0123456789ab"):
        assert "max-age=600" in client.get(stale).headers["cache-control"]


def test_a_revalidation_with_the_current_etag_gets_304(client):
    etag = client.get("/widget.js").headers["etag"]
    assert client.get("/widget.js", headers={"If-None-Match": etag}).status_code == 304


def test_the_compressed_form_is_reproducible():
    assert gzip.decompress(asset("widget.js").gzipped) == WIDGET.read_bytes()


def test_the_demo_page_names_a_favicon_that_exists(client):
    page = client.get("/").text
    assert '<link rel="icon" href="/favicon.svg"' in page
    response = client.get("/favicon.svg")
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
