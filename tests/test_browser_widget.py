"""The widget in Debian's Chromium against a real uvicorn server: what a visitor does and sees."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from faqbot.web.app import create_app
from faqbot.web.config import WebSettings
from tests.conftest import demo_page, live_server

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "widget.png"
LAUNCHER = "Questions? Chat with us"


@pytest.fixture(scope="module")
def base_url(lookalike_bot):
    with live_server(create_app(lookalike_bot, WebSettings(rate_limit=None))) as url:
        yield url


@pytest.fixture
def page(chromium, base_url):
    with demo_page(chromium, base_url, viewport={"width": 1280, "height": 800}) as page:
        yield page


def open_widget(page):
    page.get_by_role("button", name=LAUNCHER).click()
    page.locator(".suggested button").first.wait_for()


def ask(page, question: str):
    field = page.get_by_label("Your question")
    field.fill(question)
    field.press("Enter")


def last_bot_message(page):
    return page.locator(".msg.bot").last


def test_a_visitor_opens_the_widget_asks_and_follows_a_suggestion(page):
    open_widget(page)
    assert page.get_by_role("button", name=LAUNCHER).get_attribute("aria-expanded") == "true"
    ask(page, "is there nudity?")
    page.get_by_text("there is never any nudity").wait_for()
    page.locator(".related").last.get_by_role("button", name="Is there homework").click()
    page.get_by_text("Is there homework in sex therapy?", exact=True).last.wait_for()
    page.wait_for_function(
        "() => document.querySelector('#faqbot-widget').shadowRoot"
        ".querySelectorAll('.msg.bot').length === 3"
    )
    assert "homework" in last_bot_message(page).inner_text().lower()
    assert page.errors == []


def test_a_clarify_offers_options_and_picking_one_answers_it(page):
    open_widget(page)
    ask(page, "where can I park")
    options = page.get_by_role("group", name="Did you mean")
    options.wait_for()
    first = options.get_by_role("button").first
    chosen = first.inner_text()
    first.click()
    page.locator(".msg.you", has_text=chosen).wait_for()
    page.wait_for_function(
        "() => document.querySelector('#faqbot-widget').shadowRoot"
        ".querySelectorAll('.msg.bot').length === 3"
    )


def test_a_crisis_reply_stands_out_and_has_tappable_phone_links(page):
    open_widget(page)
    ask(page, "I want to kill myself")
    crisis = page.locator(".msg.crisis")
    crisis.wait_for()
    assert crisis.locator('a[href="tel:988"]').count() == 1
    assert crisis.locator('a[href="sms:741741"]').count() == 1
    assert crisis.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"


def test_the_widget_works_with_the_keyboard_alone(page):
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "faqbot-widget":
            break
    else:
        pytest.fail("Tab never reached the launcher")
    page.keyboard.press("Enter")
    page.locator(".suggested button").first.wait_for()
    focused = "document.activeElement.shadowRoot.activeElement"
    assert page.evaluate(f"{focused}.id") == "faqbot-input"
    page.keyboard.type("is there nudity?")
    page.keyboard.press("Enter")
    page.get_by_text("there is never any nudity").wait_for()
    while page.evaluate(f"{focused}.closest('.related') === null"):
        page.keyboard.press("Shift+Tab")  # the suggestions sit above the input
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#faqbot-widget').shadowRoot"
        ".querySelectorAll('.msg.bot').length === 3"
    )
    page.keyboard.press("Escape")
    assert page.locator("#faqbot-panel").is_hidden()
    assert page.evaluate(f"{focused}.classList.contains('launcher')")


def test_axe_finds_no_serious_or_critical_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    open_widget(page)
    ask(page, "is there nudity?")
    page.get_by_text("there is never any nudity").wait_for()
    ask(page, "I want to kill myself")
    page.locator(".msg.crisis").wait_for()
    violations = Axe().run(page).response["violations"]
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []


def test_on_a_360_px_phone_the_panel_fills_the_screen(chromium, base_url):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + "/")
    open_widget(page)
    box = page.locator("#faqbot-panel").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 360, 740)
    font_size = page.get_by_label("Your question").evaluate("e => getComputedStyle(e).fontSize")
    assert font_size == "16px"
    context.close()


def test_the_conversation_survives_a_reload_and_new_conversation_clears_it(page):
    open_widget(page)
    ask(page, "is there nudity?")
    page.get_by_text("there is never any nudity").wait_for()
    page.reload()
    page.get_by_text("there is never any nudity").wait_for()
    page.get_by_role("button", name="New conversation").click()
    page.locator(".suggested button").first.wait_for()
    assert page.get_by_text("there is never any nudity").count() == 0
    stored = page.evaluate("sessionStorage.getItem('faqbot:conversation')")
    assert "there is never any nudity" not in (stored or "")
    assert page.context.cookies() == []


def test_an_unreachable_server_shows_an_error_and_retry_works(page):
    open_widget(page)
    page.route("**/api/ask", lambda route: route.abort())
    ask(page, "is there nudity?")
    alert = page.get_by_role("alert")
    alert.get_by_text("can't reach the server").wait_for()
    page.unroute("**/api/ask")
    alert.get_by_role("button", name="Try again").click()
    page.get_by_text("there is never any nudity").wait_for()
    assert page.get_by_role("alert").count() == 0


def test_the_page_hears_ready_and_answer_events_without_the_visitors_words(page):
    page.evaluate("""() => { window.heard = [];
        document.addEventListener('faqbot:answer', e => window.heard.push(e.detail)); }""")
    open_widget(page)
    ask(page, "is there nudity?")
    page.wait_for_function("() => window.heard.length === 1")
    assert page.evaluate("window.heard") == [{"kind": "answer", "id": "no-nudity"}]


def host_page(page, base_url: str, attributes: str) -> None:
    """Serve a host page with the widget tag carrying `attributes` (no CSP of its own)."""
    html = (
        f"<!doctype html><html lang=en><head><title>Host</title></head><body><main>"
        f"<h1>Host</h1><a href='#'>first link</a></main>"
        f"<script src='{base_url}/widget.js' defer {attributes}></script></body></html>"
    )
    page.route(
        base_url + "/host.html", lambda route: route.fulfill(body=html, content_type="text/html")
    )
    page.goto(base_url + "/host.html")


def test_discreet_mode_offers_a_quick_exit_first_that_clears_everything(page, base_url):
    page.route("https://neutral.example/**", lambda route: route.fulfill(body="weather"))
    host_page(page, base_url, 'data-discreet="true" data-exit-url="https://neutral.example/"')
    page.get_by_role("button", name="Help", exact=True).click()
    page.locator(".suggested button").first.wait_for()
    ask(page, "is there nudity?")
    page.get_by_text("there is never any nudity").wait_for()
    page.get_by_role("button", name="Help", exact=True).focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.shadowRoot.activeElement.textContent")
    assert focused == "Quick exit"
    page.keyboard.press("Enter")
    page.wait_for_url("https://neutral.example/")
    page.goto(base_url + "/host.html")
    assert page.evaluate("sessionStorage.getItem('faqbot:conversation')") is None


def test_unknown_option_values_fall_back_to_defaults(page, base_url):
    host_page(
        page,
        base_url,
        'data-accent="url(javascript:alert(1))" data-position="middle" '
        'data-theme="neon" data-title="" data-open="true"',
    )
    page.locator(".suggested button").first.wait_for()
    host = page.locator("#faqbot-widget")
    assert host.get_attribute("data-position") == "right"
    assert host.get_attribute("data-theme") == "auto"
    assert page.locator("h2").inner_text() == "Questions about therapy"
    assert page.evaluate("document.activeElement === document.body")


@pytest.mark.parametrize(
    ("attributes", "scheme", "background"),
    [
        ("", "light", "rgb(255, 255, 255)"),
        ("", "dark", "rgb(27, 27, 31)"),  # "auto" follows the system
        ('data-theme="dark"', "light", "rgb(27, 27, 31)"),
        ('data-theme="light"', "dark", "rgb(255, 255, 255)"),
    ],
)
def test_the_panel_takes_the_theme_asked_for_or_the_systems(
    page, base_url, attributes, scheme, background
):
    page.emulate_media(color_scheme=scheme)
    host_page(page, base_url, attributes + ' data-open="true"')
    page.locator(".suggested button").first.wait_for()
    panel = page.locator("#faqbot-panel")
    assert panel.evaluate("e => getComputedStyle(e).backgroundColor") == background


def test_the_programmatic_api_opens_asks_and_destroys(page, base_url):
    host_page(page, base_url, "data-manual")
    page.wait_for_function("() => window.FaqBot !== undefined")
    assert page.locator("#faqbot-widget").count() == 0
    page.evaluate("""() => { window.bot = FaqBot.init({title: 'Ask us', position: 'left'});
        return window.bot.ask('is there nudity?'); }""")
    page.get_by_text("there is never any nudity").wait_for()
    assert page.locator("h2").inner_text() == "Ask us"
    assert page.locator(".typing").count() == 0
    page.evaluate("window.bot.destroy()")
    assert page.locator("#faqbot-widget").count() == 0


def test_screenshot_of_the_open_widget(page, tmp_path):
    """Set FAQBOT_UPDATE_SCREENSHOT=1 to refresh docs/widget.png for the README."""
    open_widget(page)
    ask(page, "is there nudity?")
    page.get_by_text("there is never any nudity").wait_for()
    page.get_by_label("Your question").blur()
    target = SCREENSHOT if os.environ.get("FAQBOT_UPDATE_SCREENSHOT") else tmp_path / "widget.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
