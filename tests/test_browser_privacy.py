"""The widget forgets what it should, when it should: Quick exit, New conversation, discreet
mode, the back/forward cache, corrupt storage, and what it tells the host page."""

from __future__ import annotations

import contextlib
import json

import pytest

from tests.test_browser_widget import ask, host_page, open_widget

pytestmark = pytest.mark.browser

STORE = "sessionStorage.getItem('faqbot:conversation')"
SHADOW = "document.querySelector('#faqbot-widget').shadowRoot"
NUDITY = "there is never any nudity"
PAGESHOW = "dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))"
DISCREET = 'data-discreet="true" data-exit-url="https://neutral.example/"'


def hold(page, pattern: str) -> list:
    """Intercept requests matching `pattern` and keep them waiting; returns the held routes."""
    held = []
    page.route(pattern, lambda route: held.append(route))
    return held


def wait_held(page, held: list, count: int = 1) -> None:
    for _ in range(250):
        if len(held) >= count:
            return
        page.wait_for_timeout(20)
    pytest.fail("the request never came")


def release(route) -> None:
    with contextlib.suppress(Exception):  # the widget aborted it: nothing left to release
        route.continue_()


def test_a_reply_in_flight_during_quick_exit_is_dropped_and_nothing_is_stored(page, base_url):
    # The exit page answers 204, so the navigation never commits and this page can be inspected
    # as it is between the click and its unloading.
    exits = []
    page.route("https://neutral.example/**", lambda r: (exits.append(r), r.fulfill(status=204)))
    host_page(page, base_url, DISCREET)
    page.get_by_role("button", name="Help", exact=True).click()
    page.locator(".suggested button").first.wait_for()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    asks = hold(page, "**/api/ask")
    ask(page, "is there nudity?")
    wait_held(page, asks)
    page.get_by_role("button", name="Quick exit").click()
    wait_held(page, exits)
    release(asks[0])
    page.wait_for_timeout(300)
    assert page.evaluate(STORE) is None
    assert page.evaluate(f"{SHADOW}.querySelectorAll('.msg, .typing, .error').length") == 0
    assert any(url.endswith("/api/ask") for url in failed)  # the fetch was aborted
    page.unroute("**/api/ask")
    ask(page, "is there nudity?")  # a reply that does arrive now is never stored
    page.get_by_text(NUDITY).wait_for()
    assert page.evaluate("sessionStorage.length") == 0


def test_a_reply_arriving_after_new_conversation_is_dropped(page):
    open_widget(page)
    asks = hold(page, "**/api/ask")
    ask(page, "is there nudity?")
    wait_held(page, asks)
    page.get_by_role("button", name="New conversation").click()
    page.locator(".suggested button").first.wait_for()
    release(asks[0])
    page.wait_for_timeout(300)
    assert page.get_by_text(NUDITY).count() == 0
    assert page.locator(".typing").count() == 0
    assert page.get_by_role("alert").count() == 0
    stored = json.loads(page.evaluate(STORE))
    assert stored["previousId"] is None
    assert [item["who"] for item in stored["items"]] == ["welcome"]
    page.unroute("**/api/ask")
    ask(page, "is there nudity?")  # the new conversation still works
    page.get_by_text(NUDITY).wait_for()
    assert page.errors == []


def test_discreet_mode_keeps_nothing_in_session_storage(page, base_url):
    host_page(page, base_url, DISCREET)
    page.get_by_role("button", name="Help", exact=True).click()
    page.locator(".suggested button").first.wait_for()
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    assert page.evaluate("sessionStorage.length") == 0
    page.reload()
    page.get_by_role("button", name="Help", exact=True).wait_for()
    assert page.get_by_text(NUDITY).count() == 0
    assert page.evaluate("sessionStorage.length") == 0


def test_in_discreet_mode_a_page_restored_from_the_cache_shows_no_chat(page, base_url):
    # Headless Chromium under Playwright keeps no back/forward cache, so the event is simulated.
    host_page(page, base_url, DISCREET)
    page.get_by_role("button", name="Help", exact=True).click()
    page.locator(".suggested button").first.wait_for()
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    page.evaluate(PAGESHOW)
    page.get_by_text(NUDITY).wait_for(state="detached")
    ask(page, "is there nudity?")  # and it still works
    page.get_by_text(NUDITY).wait_for()
    assert page.errors == []


def test_a_pageshow_from_the_cache_with_an_empty_store_clears_the_log(page):
    open_widget(page)
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    page.evaluate("sessionStorage.clear()")  # e.g. a Quick exit on a later page of this tab
    page.evaluate(PAGESHOW)
    page.get_by_text(NUDITY).wait_for(state="detached")
    page.locator(".suggested button").first.wait_for()
    assert NUDITY not in (page.evaluate(STORE) or "")


def test_a_pageshow_with_a_stored_conversation_keeps_it(page):
    open_widget(page)
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    page.evaluate(PAGESHOW)
    assert page.get_by_text(NUDITY).count() == 1


@pytest.mark.parametrize(
    "stored",
    [
        '{"items": 5}',
        "[]",
        '"x"',
        "5",
        "null",
        "{not json",
        '{"items": [5]}',
        '{"items": [{"who": "welcome", "data": null}]}',
        '{"items": [{"who": "bot", "reply": {"answer": "x", "related": "abc"}}]}',
        '{"items": [], "previousId": {"x": 1}}',
    ],
)
def test_corrupt_session_storage_is_ignored_and_the_chat_starts_fresh(page, stored):
    page.evaluate("s => sessionStorage.setItem('faqbot:conversation', s)", stored)
    page.reload()
    open_widget(page)
    assert page.locator(".msg.bot").count() == 1  # only the greeting
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    assert page.errors == []


def test_events_say_which_answer_but_never_crisis_nor_the_visitors_words(page):
    page.evaluate("""() => { window.heard = [];
        document.addEventListener('faqbot:answer', e => window.heard.push(e.detail)); }""")
    open_widget(page)
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    ask(page, "I want to kill myself")
    page.locator(".msg.crisis").wait_for()
    ask(page, "zebra quantum")
    page.wait_for_function("() => window.heard.length === 2")
    page.wait_for_timeout(200)
    assert page.evaluate("window.heard") == [
        {"kind": "answer", "id": "no-nudity"},
        {"kind": "fallback"},
    ]


def welcome_kept(page) -> None:
    """Wait until the page's own welcome has arrived: kept after a `sessionStorage.clear()`,
    it would be read on the reload instead of the one the test serves."""
    page.locator(".launcher").wait_for()


def with_headings(page, base_url: str, headings: dict) -> None:
    def fulfill(route):
        data = route.fetch().json()
        data["headings"].update(headings)
        route.fulfill(json=data)

    page.route(base_url + "/api/welcome", fulfill)
    welcome_kept(page)
    page.evaluate("sessionStorage.clear()")  # the welcome is kept for the tab's session
    page.reload()  # the widget asks for the welcome as the page loads


def test_headings_come_from_the_knowledge_base(page, base_url, bot):
    mine = {
        "start_heading": "Start here:",
        "related_heading": "Also popular:",
        "fallback_heading": "Perhaps one of these:",
    }
    with_headings(page, base_url, mine)
    open_widget(page)
    notes = page.locator(".note")
    assert "Start here:" in notes.all_inner_texts()
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    page.get_by_text("Also popular:", exact=True).wait_for()
    ask(page, "zebra quantum")
    page.get_by_text("Perhaps one of these:", exact=True).wait_for()
    ask(page, "I want to kill myself")
    crisis = page.locator(".msg.crisis")
    crisis.wait_for()
    lead = crisis.locator("p").first
    assert lead.inner_text() == bot.headings()["crisis_heading"]
    assert lead.evaluate("p => p.nextElementSibling.tagName") == "UL"  # above the resources
    assert "You could also ask:" not in notes.all_inner_texts()


def test_without_the_welcome_no_launcher_is_shown_and_the_console_says_why(page, base_url):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.route(base_url + "/api/welcome", lambda route: route.abort())
    welcome_kept(page)
    page.evaluate("sessionStorage.clear()")
    page.reload()
    page.wait_for_function("() => window.FaqBot !== undefined")
    page.wait_for_timeout(300)
    assert page.locator(".launcher").is_hidden()
    assert any("did not send its welcome" in m for m in messages)
    assert page.errors == []
