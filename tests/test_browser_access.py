"""The widget for every visitor: phones and keyboards, screen readers, right-to-left pages,
and messages that say what happened (Debian's Chromium, a real uvicorn server)."""

from __future__ import annotations

import pytest

from faqbot.web.app import create_app
from faqbot.web.config import WebSettings
from tests.conftest import demo_page, live_server
from tests.test_browser_widget import ask, host_page, open_widget

pytestmark = pytest.mark.browser

SHADOW = "document.querySelector('#faqbot-widget').shadowRoot"
FOCUSED = f"{SHADOW}.activeElement"
STORE = "sessionStorage.getItem('faqbot:conversation') || ''"
NUDITY = "there is never any nudity"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


class KeptRatings:
    """A feedback log that keeps ratings, so the server says feedback is stored."""

    def __init__(self) -> None:
        self.ratings: list[tuple[str, bool]] = []

    def record(self, question, reply) -> bool:
        return False

    def rate(self, entry_id: str, helpful: bool) -> None:
        self.ratings.append((entry_id, helpful))


@pytest.fixture(scope="module")
def ratings() -> KeptRatings:
    return KeptRatings()


@pytest.fixture(scope="module")
def rating_url(bot, ratings):
    app = create_app(bot, WebSettings(rate_limit=None), unanswered=ratings)
    with live_server(app) as url:
        yield url


@pytest.fixture
def page(chromium, base_url):
    with demo_page(chromium, base_url, viewport={"width": 1280, "height": 800}) as page:
        yield page


@pytest.fixture
def phone(chromium, base_url):
    with demo_page(chromium, base_url, **PHONE) as page:
        yield page


def focus_is_in_the_widget(page) -> bool:
    return page.evaluate("document.activeElement.id === 'faqbot-widget'")


def test_on_a_phone_tab_never_leaves_the_open_panel_and_the_page_cannot_scroll(phone):
    open_widget(phone)
    ask(phone, "is there nudity?")
    phone.get_by_text(NUDITY).wait_for()
    for press in ("Tab", "Shift+Tab"):
        for _ in range(25):
            phone.keyboard.press(press)
            assert focus_is_in_the_widget(phone), f"{press} left the panel"
            assert phone.evaluate(f"{FOCUSED}.closest('.panel') !== null")
    assert phone.evaluate("getComputedStyle(document.documentElement).overflow") == "hidden"
    phone.mouse.wheel(0, 600)
    phone.wait_for_timeout(100)
    assert phone.evaluate("window.scrollY") == 0
    phone.keyboard.press("Escape")
    assert phone.evaluate("getComputedStyle(document.documentElement).overflow") == "visible"
    assert phone.evaluate(f"{FOCUSED}.classList.contains('launcher')")
    phone.mouse.wheel(0, 600)
    phone.wait_for_function("() => window.scrollY > 0")


def test_on_a_desktop_the_panel_neither_traps_focus_nor_locks_the_page(page):
    open_widget(page)
    assert page.evaluate("getComputedStyle(document.documentElement).overflow") == "visible"
    page.get_by_role("button", name="Send").focus()
    page.keyboard.press("Tab")
    assert not focus_is_in_the_widget(page)


def test_every_control_is_at_least_44_px_on_a_touch_screen(chromium, rating_url):
    with demo_page(chromium, rating_url, **PHONE) as phone:
        open_widget(phone)
        ask(phone, "is there nudity?")
        phone.get_by_text("Was this helpful?").wait_for()
        sizes = phone.evaluate(
            f"""() => [...{SHADOW}.querySelectorAll('button, input')]
            .filter(e => e.getClientRects().length)
            .map(e => [e.textContent || e.id, e.getBoundingClientRect().width,
                       e.getBoundingClientRect().height])"""
        )
    small = [(name, w, h) for name, w, h in sizes if w < 44 or h < 44]
    assert len(sizes) > 8 and small == []


def axe_problems(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in violations
        if v["impact"] in ("moderate", "serious", "critical")
    ]


def test_axe_finds_nothing_moderate_or_worse_with_one_banner(page):
    open_widget(page)
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    ask(page, "I want to kill myself")
    page.locator(".msg.crisis").wait_for()
    assert axe_problems(page) == []
    banners = page.evaluate(
        f"""() => document.querySelectorAll('header, [role=banner]').length
        + {SHADOW}.querySelectorAll('header, [role=banner]').length"""
    )
    assert banners == 1  # the demo site's own header


def test_axe_finds_nothing_moderate_or_worse_in_discreet_mode_on_a_phone(chromium, base_url):
    with demo_page(chromium, base_url, **PHONE) as phone:
        host_page(phone, base_url, 'data-discreet="true"')
        phone.get_by_role("button", name="Help", exact=True).click()
        phone.locator(".suggested button").first.wait_for()
        assert axe_problems(phone) == []


RTL_HOST = (
    "<!doctype html><html lang=ar dir=rtl><head><title>مضيف</title></head><body><main>"
    "<h1>مرحبا</h1></main><script src='{url}/widget.js' defer></script></body></html>"
)


def rtl_host(page, base_url: str) -> None:
    html = RTL_HOST.format(url=base_url)
    page.route(base_url + "/rtl.html", lambda r: r.fulfill(body=html, content_type="text/html"))
    page.goto(base_url + "/rtl.html")


def test_on_a_right_to_left_page_the_widget_keeps_its_knowledge_bases_language(page, base_url):
    rtl_host(page, base_url)
    open_widget(page)
    ask(page, "is there homework?")
    page.locator(".msg.bot").nth(1).wait_for()
    host = page.locator("#faqbot-widget")
    assert (host.get_attribute("lang"), host.get_attribute("dir")) == ("en", "ltr")
    directions = page.evaluate(
        f"() => [...{SHADOW}.querySelectorAll('.msg')].map(m => getComputedStyle(m).direction)"
    )
    assert set(directions) == {"ltr"}


def test_a_right_to_left_knowledge_base_turns_the_widget_right_to_left(page, base_url):
    def arabic(route):
        data = route.fetch().json()
        route.fulfill(json={**data, "language": "ar", "direction": "rtl"})

    page.route(base_url + "/api/welcome", arabic)
    page.evaluate("sessionStorage.clear()")
    page.reload()
    open_widget(page)
    host = page.locator("#faqbot-widget")
    assert (host.get_attribute("lang"), host.get_attribute("dir")) == ("ar", "rtl")
    assert page.locator(".msg.bot").first.evaluate("m => getComputedStyle(m).direction") == "rtl"


@pytest.fixture(scope="module")
def foreign_url(base_url):
    """Another site (another port, so another origin) whose page embeds the widget."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    script = f"<script src='{base_url}/widget.js'></script>"
    html = f"<!doctype html><html lang=en><title>x</title>{script}"
    app = Starlette(routes=[Route("/", lambda request: HTMLResponse(html))])
    with live_server(app) as url:
        yield url


def test_a_page_whose_origin_the_server_does_not_allow_is_told_why_in_the_console(
    page, foreign_url
):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(foreign_url + "/")
    page.wait_for_function("() => window.FaqBot !== undefined")
    for _ in range(100):
        if any(e.startswith("faqbot:") for e in errors):
            break
        page.wait_for_timeout(30)
    cause = [e for e in errors if e.startswith("faqbot:")]
    assert cause and f"does not allow requests from {foreign_url} (CORS)" in cause[0]
    assert f"faqbot serve --origins {foreign_url}" in cause[0]
    assert page.locator(".launcher").is_hidden()  # no chat that cannot work


def test_a_chip_pressed_with_the_keyboard_moves_focus_to_the_input_and_leaves_the_tab_order(page):
    open_widget(page)
    chip = page.locator(".suggested button").first
    chip.focus()
    page.keyboard.press("Enter")
    page.locator(".msg.bot").nth(1).wait_for()
    assert page.evaluate(f"{FOCUSED}.id") == "faqbot-input"
    tab_stops = page.evaluate(
        f"() => [...{SHADOW}.querySelectorAll('.suggested button')].map(b => b.tabIndex)"
    )
    assert set(tab_stops) == {-1}
    assert page.locator(".related button").first.evaluate("b => b.tabIndex") == 0
    page.reload()  # a restored conversation keeps only the last reply's chips in the tab order
    page.locator(".related button").first.wait_for()
    tab_stops = page.evaluate(
        f"() => [...{SHADOW}.querySelectorAll('.chips button')].map(b => b.tabIndex)"
    )
    related = page.locator(".related button").count()
    assert tab_stops.count(0) == related and tab_stops.count(-1) == len(tab_stops) - related


def test_crisis_turns_are_never_written_to_session_storage(page):
    open_widget(page)
    ask(page, "I want to kill myself")
    page.locator(".msg.crisis").wait_for()
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    stored = page.evaluate(STORE)
    assert "nudity" in stored
    assert "kill" not in stored and "crisis" not in stored and "988" not in stored
    page.reload()
    page.get_by_text(NUDITY).wait_for()
    assert page.locator(".msg.crisis").count() == 0


CHECKIN = {
    "kind": "answer",
    "id": "no-nudity",
    "question": "Is there nudity?",
    "answer": "No, there is never any nudity.",
    "score": 90.0,
    "options": [],
    "related": [],
    "resources": [{"name": "988 Lifeline", "contact": "call or text 988", "link": "tel:988"}],
    "checkin": "It sounds like things are hard right now. If you need someone to talk to:",
}


def test_a_check_in_shows_above_the_answer_with_its_resources_and_stays_in_memory(page, base_url):
    page.route(base_url + "/api/ask", lambda route: route.fulfill(json=CHECKIN))
    open_widget(page)
    ask(page, "my partner left and nothing matters, do I have to undress?")
    checkin = page.locator(".checkin")
    checkin.wait_for()
    assert checkin.locator('a[href="tel:988"]').count() == 1
    order = page.locator(".msg.bot").last.evaluate(
        "m => [...m.children].map(c => c.className || c.tagName)"
    )
    assert order[0] == "checkin"
    stored = page.evaluate(STORE)
    assert "undress" not in stored and "988" not in stored and "checkin" not in stored


def test_discreet_mode_has_a_neutral_title_and_escape_twice_is_the_quick_exit(page, base_url):
    page.route("https://neutral.example/**", lambda route: route.fulfill(body="weather"))
    host_page(page, base_url, 'data-discreet="true" data-exit-url="https://neutral.example/"')
    page.get_by_role("button", name="Help", exact=True).click()
    page.locator(".suggested button").first.wait_for()
    assert page.locator("h2").inner_text() == "Help"
    assert page.get_by_role("button", name="Quick exit").get_attribute("aria-keyshortcuts")
    ask(page, "is there nudity?")
    page.get_by_text(NUDITY).wait_for()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url("https://neutral.example/")


def test_a_rate_limited_visitor_is_told_plainly_and_can_retry_after_the_wait(page, base_url):
    limited = {"error": {"status": 429, "code": "rate_limited", "message": "x", "details": []}}
    page.route(
        base_url + "/api/ask",
        lambda route: route.fulfill(status=429, json=limited, headers={"Retry-After": "1"}),
    )
    open_widget(page)
    ask(page, "is there nudity?")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "sending messages quickly" in alert.inner_text()
    assert "seconds" not in alert.inner_text().replace("a few seconds", "")
    again = alert.get_by_role("button", name="Try again")
    assert again.is_disabled()
    page.unroute(base_url + "/api/ask")
    page.wait_for_timeout(1100)
    again.click()
    page.get_by_text(NUDITY).wait_for()


def test_the_input_has_the_knowledge_bases_placeholder(page, bot):
    open_widget(page)
    placeholder = page.get_by_label("Your question").get_attribute("placeholder")
    assert placeholder == bot.knowledge.practice.widget["placeholder"]


def test_a_reply_arriving_while_the_panel_is_closed_marks_the_launcher(page, base_url):
    open_widget(page)
    held = []
    page.route(base_url + "/api/ask", lambda route: held.append(route))
    ask(page, "is there nudity?")
    page.wait_for_function("() => true")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(20)
    page.keyboard.press("Escape")
    held[0].continue_()
    marker = page.locator(".unread")
    marker.wait_for()
    assert "new reply" in page.locator(".launcher").inner_text()
    page.locator(".launcher").click()
    assert marker.is_hidden()


def test_feedback_is_asked_for_and_thanked_only_when_the_server_keeps_it(
    chromium, base_url, rating_url, ratings
):
    with demo_page(chromium, base_url) as page:
        open_widget(page)
        ask(page, "is there nudity?")
        page.get_by_text(NUDITY).wait_for()
        assert page.get_by_text("Was this helpful?").count() == 0
    with demo_page(chromium, rating_url) as page:
        open_widget(page)
        ask(page, "is there nudity?")
        page.get_by_role("button", name="Helpful: Yes").click()
        page.get_by_text("Thank you for the feedback.").wait_for()
    for _ in range(50):
        if ratings.ratings:
            break
        page.wait_for_timeout(20)
    assert ratings.ratings == [("no-nudity", True)]


def test_the_demo_page_loads_without_a_single_failed_request(chromium, base_url):
    context = chromium.new_context()
    page = context.new_page()
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("pageerror", lambda error: failed.append(str(error)))
    page.goto(base_url + "/")
    open_widget(page)
    page.wait_for_timeout(300)
    context.close()
    assert failed == []


def test_a_crisis_reply_in_another_language_shows_its_own_heading(page, base_url):
    spanish = {
        **CHECKIN,
        "kind": "crisis",
        "id": None,
        "checkin": "",
        "answer": "Lo siento mucho.",
        "resources_heading": "Por favor, busca ayuda ahora:",
    }
    page.route(base_url + "/api/ask", lambda route: route.fulfill(json=spanish))
    open_widget(page)
    ask(page, "quiero morir")
    crisis = page.locator(".msg.crisis")
    crisis.wait_for()
    assert crisis.locator("p").first.inner_text() == "Por favor, busca ayuda ahora:"


def test_the_welcome_is_fetched_once_per_tab_not_on_every_page_view(page, base_url):
    # goto() returns on `load`, which does not wait for the widget's /api/welcome: on a
    # busy machine the first page's welcome may still be in flight, and a reload then
    # rightly fetches it again.  The first page view is over once its welcome is kept.
    key = f"faqbot:welcome:{base_url}"
    page.wait_for_function("key => sessionStorage.getItem(key) !== null", arg=key)
    welcomes = []
    page.on("request", lambda r: welcomes.append(r.url) if "/api/welcome" in r.url else None)
    page.reload()
    page.goto(base_url + "/?another-page")
    page.locator(".launcher").wait_for()
    assert welcomes == []  # the first page view of this tab already has it
    stored = page.evaluate("Object.keys(sessionStorage)")
    assert stored == [key]


def test_a_corrupt_stored_welcome_is_ignored_and_fetched_again(page, base_url):
    page.evaluate(f"sessionStorage.setItem('faqbot:welcome:{base_url}', '{{\"strings\": 3}}')")
    page.reload()
    open_widget(page)
    assert page.locator("#faqbot-title").inner_text() == "Questions about therapy"
