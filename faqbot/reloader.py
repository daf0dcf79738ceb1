"""Serve the newest *working* knowledge base: reload on change, keep the old one on a broken edit.

`ReloadingBot.current()` is what a server calls per request.  It looks at the
size and modification time of every YAML file under the knowledge folder (a
few `stat` calls, at most once per `interval` seconds) and, when something
changed, loads the folder again.  A knowledge base that fails to load is
reported (file:line, through `on_problems`) and the previous bot keeps
answering; the next change is tried again.  Swapping is one attribute
assignment of an immutable `Bot`, so requests in flight keep the bot they
started with.

A server may call `start()` to do the checking on a background thread
instead, so no request ever waits for a reload.

A change is read only once it has settled: the files' sizes and times must be
the same `settle` seconds after the change was seen, so a file still being
written is not served half-read.  A knowledge base that `faqbot serve` would
refuse (raw HTML, unsafe links: `faqbot.check.serving_problems`) is refused
here too.  Both outcomes are logged at the default level.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from faqbot.bot import Bot
from faqbot.errors import KnowledgeError, Problem
from faqbot.fingerprint import knowledge_fingerprint

LOGGER = logging.getLogger("faqbot.reload")

ProblemsCallback = Callable[[list[Problem]], None]
ReloadCallback = Callable[[Bot], None]


def log_problems(problems: list[Problem]) -> None:
    """The default `on_problems`: one warning per problem, as `file:line: message`."""
    LOGGER.warning("not reloaded: still serving the previous knowledge base, because:")
    for problem in problems:
        LOGGER.warning("  %s", problem)


class ReloadingBot:
    """Holds the current `Bot` and replaces it when the knowledge files change and load cleanly."""

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        bot: Bot | None = None,
        interval: float = 1.0,
        settle: float = 0.5,
        on_problems: ProblemsCallback | None = None,
        on_reload: ReloadCallback | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bot = bot or Bot.load(root)  # a broken KB at start-up raises KnowledgeError
        self.root = Path(root) if root is not None else self._bot.knowledge.root
        self.interval = interval
        self.settle = settle
        self._on_problems = on_problems or log_problems
        self._on_reload = on_reload
        self._clock = clock
        self._fingerprint = knowledge_fingerprint(self.root)
        self._last_check = clock()
        self._check_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.problems: tuple[Problem, ...] = ()

    def current(self) -> Bot:
        """The bot to answer with now (checks for edits at most once per `interval`)."""
        if self._thread is None and self._clock() - self._last_check >= self.interval:
            self._check_without_waiting()
        return self._bot

    def check_now(self) -> bool:
        """Look for changes now; True when a new knowledge base was loaded and swapped in."""
        with self._check_lock:
            return self._check()

    def start(self) -> None:
        """Check every `interval` seconds on a daemon thread; `current()` then never does I/O."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, name="faqbot-reload", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the background thread started by `start()` (if any)."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stop.set()
            thread.join(timeout=5)

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self.check_now()

    def _check_without_waiting(self) -> None:
        # Another thread is already checking: answer with the current bot rather than queue up.
        if self._check_lock.acquire(blocking=False):
            try:
                self._check()
            finally:
                self._check_lock.release()

    def _check(self) -> bool:
        self._last_check = self._clock()
        fingerprint = knowledge_fingerprint(self.root)
        if fingerprint == self._fingerprint:
            return False
        if not self._settled(fingerprint):
            return False  # still being written: the next check looks again
        # Remember what we are about to read: a file saved *during* the load changes the
        # fingerprint again, so the next check loads once more.
        self._fingerprint = fingerprint
        return self._reload()

    def _settled(self, fingerprint: object) -> bool:
        """True when the files still look like `fingerprint` after `settle` seconds."""
        self._stop.wait(self.settle)
        return knowledge_fingerprint(self.root) == fingerprint

    def _reload(self) -> bool:
        from faqbot.check import serving_problems

        try:
            bot = Bot.load(self.root)
            refused = [p for p in serving_problems(bot) if p.severity == "error"]
        except KnowledgeError as error:
            refused = list(error.problems)
        except Exception as error:  # never let a reload take the server down
            refused = [Problem(self.root, 0, f"could not reload: {error}")]
        if refused:
            self._report(refused)
            return False
        self._bot = bot
        self.problems = ()
        LOGGER.info("reloaded: %d entries from %s", len(bot.knowledge.entries), self.root)
        if self._on_reload is not None:
            self._on_reload(bot)
        return True

    def _report(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        self._on_problems(problems)
