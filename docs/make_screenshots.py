"""Make the phone-sized screenshots of the widget in docs/ (light, dark, discreet, crisis).

    python docs/make_screenshots.py          (from the repository root; needs Chromium)

Each is the demo page at 360 x 740 CSS pixels, as a visitor on a phone sees it, made
with Debian's Chromium through Playwright against a real `faqbot serve` app.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
CHROMIUM = "/usr/bin/chromium"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
SHOTS = ("light", "dark", "discreet", "crisis")
MAX_BYTES = 150_000
DISCREET_PAGE = (
    "<!doctype html><html lang=en><head><meta name=viewport content='width=device-width'>"
    "<title>Notes</title></head><body><main><h1>Notes</h1></main>"
    "<script src='/widget.js' data-discreet='true' defer></script></body></html>"
)


@contextmanager
def server() -> Iterator[str]:
    """The app for the repository's knowledge base on a free loopback port."""
    import uvicorn

    from faqbot.bot import Bot
    from faqbot.web.app import create_app
    from faqbot.web.config import WebSettings

    app = create_app(Bot.load(ROOT / "knowledge"), WebSettings(rate_limit=None))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{running.servers[0].sockets[0].getsockname()[1]}"
    finally:
        running.should_exit = True
        thread.join(timeout=5)


def ask(page, question: str) -> None:
    field = page.get_by_label("Your question")
    field.fill(question)
    field.press("Enter")


def shoot(browser, url: str, name: str) -> Path:
    """One screenshot, `docs/widget-phone-<name>.png`."""
    scheme = "dark" if name == "dark" else "light"
    context = browser.new_context(color_scheme=scheme, **PHONE)
    page = context.new_page()
    if name == "discreet":
        page.route(
            url + "/notes.html", lambda r: r.fulfill(body=DISCREET_PAGE, content_type="text/html")
        )
        page.goto(url + "/notes.html")
        page.get_by_role("button", name="Help", exact=True).click()
    else:
        page.goto(url + "/")
        page.locator(".launcher").click()
    page.locator(".suggested button").first.wait_for()
    question = "I want to kill myself" if name == "crisis" else "do we have to get undressed?"
    ask(page, question)
    page.locator(".msg.crisis" if name == "crisis" else ".related").first.wait_for()
    page.get_by_label("Your question").blur()
    page.wait_for_timeout(200)
    path = DOCS / f"widget-phone-{name}.png"
    page.screenshot(path=str(path))
    context.close()
    return path


def main() -> int:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    with server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name in SHOTS:
            path = shoot(browser, url, name)
            size = path.stat().st_size
            print(f"{path.relative_to(ROOT)}: {size:,} bytes")
            if size > MAX_BYTES:
                print(f"  over {MAX_BYTES:,} bytes", file=sys.stderr)
                return 1
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
