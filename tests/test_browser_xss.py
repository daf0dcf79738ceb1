"""Markup in a knowledge-base answer or in a visitor's message is shown as text and never runs.

The page is loaded with its CSP bypassed: the demo page's policy would block inline
script anyway, and this test must prove the widget itself never turns text into markup.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from faqbot.bot import Bot
from faqbot.web.app import create_app
from faqbot.web.config import WebSettings
from tests.conftest import KNOWLEDGE, live_server

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__xss=1;alert(1)">'
SCRIPT = "<script>window.__xss=2;alert(2)</script>"
LINK = "[click me](javascript:window.__xss=3)"


def hostile_knowledge(root: Path) -> Path:
    """A copy of the bundled knowledge base whose no-nudity answer carries markup."""
    root = Path(shutil.copytree(KNOWLEDGE, root))
    sessions = root / "faq" / "sessions.yaml"
    payload = f"Hostile answer {IMG} and {SCRIPT} and {LINK} end."
    # The first entry's folded answer block, up to its `related:` line.
    block = re.compile(r"(    answer: >-\n)(?:      .*\n)+?(?=    related:)")
    text, count = block.subn(f"    answer: '{payload}'\n", sessions.read_text("utf-8"), count=1)
    assert count == 1
    sessions.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    bot = Bot.load(hostile_knowledge(tmp_path_factory.mktemp("xss") / "knowledge"))
    assert IMG in bot.reply_for_id("no-nudity").answer
    with live_server(create_app(bot, WebSettings(rate_limit=None))) as url:
        yield url


@pytest.fixture
def page(chromium, base_url):
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    page.dialogs = []
    page.requests = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(base_url + "/")
    page.get_by_role("button", name="Questions? Chat with us").click()
    page.locator(".suggested button").first.wait_for()
    yield page
    context.close()


def assert_nothing_ran(page, base_url):
    page.wait_for_timeout(300)  # give an onerror handler time to fire, if there were one
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    assert base_url + "/x" not in page.requests
    shadow = "document.querySelector('#faqbot-widget').shadowRoot"
    assert page.evaluate(f"{shadow}.querySelectorAll('img, script, iframe').length") == 0
    assert page.evaluate(
        f"[...{shadow}.querySelectorAll('a')].every(a => !a.href.startsWith('javascript:'))"
    )


def test_markup_in_a_knowledge_base_answer_is_shown_as_text(page, base_url):
    page.get_by_role("button", name="Is there any nudity").first.click()
    answer = page.locator(".msg.bot", has_text="Hostile answer")
    answer.wait_for()
    shown = answer.inner_text()
    assert IMG in shown and SCRIPT in shown
    assert "click me" in shown
    assert_nothing_ran(page, base_url)


def test_markup_in_a_visitors_message_is_shown_as_text(page, base_url):
    message = f"{IMG} {SCRIPT} {LINK}"
    field = page.get_by_label("Your question")
    field.fill(message)
    field.press("Enter")
    page.locator(".msg.you").wait_for()
    assert page.locator(".msg.you").inner_text() == message
    page.locator(".msg.bot").nth(1).wait_for()
    page.reload()  # the restored transcript is rebuilt from sessionStorage the same way
    page.locator(".msg.you").wait_for()
    assert page.locator(".msg.you").inner_text() == message
    assert_nothing_ran(page, base_url)
