"""What the widget's controller keeps between one event and the next: the follow-up context
(also after a reload), one question at a time, whether the panel was open, and one widget
per page however often `FaqBot.init` is called."""

from __future__ import annotations

import pytest

from tests.test_browser_privacy import NUDITY, SHADOW, hold, release, wait_held
from tests.test_browser_widget import LAUNCHER, ask, host_page, open_widget

pytestmark = pytest.mark.browser


def bot_messages(page, count: int) -> None:
    page.wait_for_function(f"() => {SHADOW}.querySelectorAll('.msg.bot').length === {count}")


def test_a_follow_up_carries_the_last_answer_across_a_reload_but_not_past_new(page):
    sent = []
    page.on("request", lambda r: r.url.endswith("/api/ask") and sent.append(r.post_data_json))
    open_widget(page)
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    page.reload()
    page.get_by_text(NUDITY).wait_for()
    ask(page, "is there homework?")
    bot_messages(page, 3)
    page.get_by_role("button", name="New conversation").click()
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    assert [body["context"] for body in sent] == [None, {"previous_id": "no-nudity"}, None]


def test_a_suggestion_picked_while_a_question_awaits_its_reply_is_ignored(page):
    asks = hold(page, "**/api/ask")
    open_widget(page)
    ask(page, "is there nudity?")
    wait_held(page, asks)
    send = page.get_by_role("button", name="Send", exact=True)
    assert send.is_disabled()
    page.locator(".suggested button").first.click()
    page.wait_for_timeout(200)
    assert len(asks) == 1
    assert page.locator(".msg.you").count() == 1
    release(asks[0])
    page.get_by_text(NUDITY).wait_for()
    assert page.locator(".typing").count() == 0
    assert send.is_enabled()
    assert page.locator(".msg.you").count() == 1


def test_the_launcher_closes_the_panel_too_and_a_reload_keeps_it_closed(page):
    open_widget(page)
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    launcher = page.get_by_role("button", name=LAUNCHER)
    launcher.click()
    assert page.locator("#faqbot-panel").is_hidden()
    assert launcher.get_attribute("aria-expanded") == "false"
    page.reload()
    launcher.wait_for()  # shown once the welcome is in, when the panel would have opened
    assert page.locator("#faqbot-panel").is_hidden()
    launcher.click()
    page.get_by_text(NUDITY).wait_for()


def title_is(page, title: str) -> None:
    page.wait_for_function(f"() => {SHADOW}.querySelector('h2').textContent === {title!r}")


def test_init_replaces_the_widget_and_an_old_destroy_leaves_the_new_one_alone(page, base_url):
    host_page(page, base_url, "data-manual")
    page.wait_for_function("() => window.FaqBot !== undefined")
    page.evaluate("""() => { window.first = FaqBot.init({title: 'First'});
        window.second = FaqBot.init({title: 'Second'}); }""")
    title_is(page, "Second")
    assert page.locator("#faqbot-widget").count() == 1
    page.evaluate("window.first.destroy()")
    assert page.locator("#faqbot-widget").count() == 1
    page.evaluate("window.second.ask('is there nudity?')")
    page.get_by_text(NUDITY).wait_for()
    page.evaluate("FaqBot.init({title: 'Third'})")  # the second one is still the current one
    title_is(page, "Third")
    assert page.locator("#faqbot-widget").count() == 1
    assert page.errors == []
