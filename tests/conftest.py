"""Fixtures shared by several test files: the bundled bot, a knowledge-base copy, web clients,
a live server and Chromium."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from faqbot.bot import Bot
from faqbot.bot_cache import CACHE_ENV

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# The run's own faqbot cache (start-up cache and embedding store), and what it replaced.
RUN_CACHE = pytest.StashKey[tuple[Path, str | None]]()


def pytest_configure(config: pytest.Config) -> None:
    """Bots built by tests and by the commands they run cache here, not in ~/.cache/faqbot.

    Set before collection, since some test modules build a bot at import, and inherited
    by pytest-xdist's workers, which then share one embedding store.  The store starts
    with a copy of this user's vectors for the current model: they are the model's output
    for the knowledge base's texts, nothing else, and encoding all 18,000 of them again
    costs two minutes of one core.  On a machine without them, the first build encodes.
    """
    if hasattr(config, "workerinput"):
        return  # an xdist worker: its controller has set the cache already
    folder = Path(tempfile.mkdtemp(prefix="faqbot-test-cache-"))
    _copy_this_users_vectors(folder)
    config.stash[RUN_CACHE] = (folder, os.environ.get(CACHE_ENV))
    os.environ[CACHE_ENV] = str(folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    if RUN_CACHE not in config.stash:
        return
    folder, before = config.stash[RUN_CACHE]
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before
    shutil.rmtree(folder, ignore_errors=True)


def _copy_this_users_vectors(folder: Path) -> None:
    """The current model's embedding store from the user's cache, if it is theirs alone."""
    from faqbot.bot_cache import cache_dir
    from faqbot.embedding_store import store_file
    from faqbot.encoder import EncoderError, model_sha256
    from faqbot.private_files import unsafe_reason

    users = cache_dir()
    try:
        source = store_file(users, model_sha256()) if users else None
    except EncoderError:
        return
    if source is None or not source.is_file() or unsafe_reason(source.lstat()):
        return
    if unsafe_reason(source.parent.stat()):
        return
    shutil.copyfile(source, folder / source.name, follow_symlinks=False)


@pytest.fixture(scope="session")
def bot() -> Bot:
    """The bot over the bundled knowledge base, loaded once."""
    return Bot.load(KNOWLEDGE)


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled knowledge base that a test may edit."""
    return Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))


# Two entries sharing a paraphrase, so "where can I park" can only get a clarify.
LOOKALIKES = """\
topic: Visiting the office
entries:
  - id: car-parking
    question: Where can I park my car?
    paraphrases: [where can i park, parking for my car, car parking]
    answer: There is a garage on the corner.
    related: [bike-parking]
  - id: bike-parking
    question: Where can I park my bike?
    paraphrases: [where can i park, parking for my bike, bike parking]
    answer: There is a bike rack by the door.
    related: [car-parking]
"""


@pytest.fixture(scope="session")
def lookalike_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    """The bundled knowledge plus two look-alike entries, so "where can I park" gets a clarify."""
    root = Path(shutil.copytree(KNOWLEDGE, tmp_path_factory.mktemp("kb") / "knowledge"))
    (root / "faq" / "visiting.yaml").write_text(LOOKALIKES, encoding="utf-8")
    return Bot.load(root)


@pytest.fixture
def web_client(bot: Bot) -> Callable:
    """`web_client(**settings)`: a TestClient for an app with those WebSettings (no rate limit)."""
    from fastapi.testclient import TestClient

    from faqbot.web.app import create_app
    from faqbot.web.config import WebSettings

    def make(with_bot: Bot | None = None, unanswered=None, **settings) -> TestClient:
        settings.setdefault("rate_limit", None)
        app = create_app(with_bot or bot, WebSettings(**settings), unanswered=unanswered)
        return TestClient(app, raise_server_exceptions=False)

    return make


@contextmanager
def live_server(app) -> Iterator[str]:
    """Run `app` under uvicorn on a free loopback port in a thread; yield its base URL."""
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@contextmanager
def demo_page(browser, base_url: str, **context_options) -> Iterator:
    """The demo page in a fresh browser context; `page.errors` collects its script errors."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(base_url + "/")
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium driven by Playwright, launched once per test module.

    Not per session: Playwright's sync API keeps an event loop running in the main
    thread while it is open, which breaks later tests that call `asyncio.run`.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def base_url(bot):
    """The shipped bot on a live server, once per module (a module may serve another bot)."""
    from faqbot.web.app import create_app
    from faqbot.web.config import WebSettings

    with live_server(create_app(bot, WebSettings(rate_limit=None))) as url:
        yield url


@pytest.fixture
def page(chromium, base_url):
    """The demo page at `base_url`, in a fresh browser context for each test."""
    with demo_page(chromium, base_url) as page:
        yield page


# Two entries so alike that "parking" needs a clarify (with a clarify margin of 3 points:
# the shipped margin is fitted, and a REPL test must not hang on it).
VISITING = """\
topic: Visiting the office
entries:
  - id: car-parking
    question: Where can I park my car?
    paraphrases: [parking for my car, car parking]
    answer: There is a garage on the corner.
    related: [bike-parking]
  - id: bike-parking
    question: Where can I park my bike?
    paraphrases: [parking for my bike, bike parking]
    answer: There is a bike rack by the door.
    related: [car-parking]
"""


@pytest.fixture(scope="module")
def parking_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    """The bundled knowledge plus two entries so alike that "parking" needs a clarify."""
    root = tmp_path_factory.mktemp("kb") / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    Path(root, "faq", "visiting.yaml").write_text(VISITING, encoding="utf-8")
    settings = Path(root, "settings.yaml")
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"clarify_margin: \S+", "clarify_margin: 3", text), "utf-8")
    return Bot.load(root)


@pytest.fixture(scope="session")
def redis_uri() -> Iterator[str]:
    """A real `redis-server` on a free loopback port, for the shared rate limit.

    Without redis-server the test is skipped on a developer's machine, but fails under
    CI=true: there the shared limit must be proven, not assumed.
    """
    import os
    import sys

    sys.path.insert(0, str(KNOWLEDGE.parent / "benchmarks"))
    from live_server import redis_server

    try:
        with redis_server() as uri:
            yield uri
    except FileNotFoundError as error:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{error}; the README's test command installs it", pytrace=False)
        pytest.skip(str(error))
