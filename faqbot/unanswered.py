"""The opt-in log of questions the bot could not answer, and of visitors' ratings.

Nothing is written unless a maintainer passes `--log-unanswered PATH`.  What is
kept is the least that still helps improve the knowledge base:

* questions that got a fallback or a clarify, redacted (e-mails, phones, links),
  with the date only: no time, no IP address, no session id;
* ratings as entry id, helpful or not, and the date: never the question;
* never a message that triggered the crisis reply or a check-in.

Storage is the standard library's `sqlite3` in WAL mode with a busy timeout and
one statement per transaction, so several server workers (processes) and
threads can write at once.  Each thread of each process gets its own
connection; a forked worker opens a fresh one instead of sharing its parent's.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from faqbot.feedback import worth_keeping
from faqbot.model import ID_PATTERN
from faqbot.redact import redact
from faqbot.reply import Reply

MAX_STORED_CHARS = 1000
BUSY_TIMEOUT_MS = 10_000
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS unanswered (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        day TEXT NOT NULL,
        kind TEXT NOT NULL,
        question TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS unanswered_day ON unanswered (day)",
    """CREATE TABLE IF NOT EXISTS ratings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        day TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        helpful INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS ratings_day ON ratings (day)",
)


class UnansweredLogError(Exception):
    """The log cannot be opened or read; the message says why, for a maintainer."""


@dataclass(frozen=True, slots=True)
class UnansweredQuestion:
    """One stored question (already redacted)."""

    id: int
    day: str
    kind: str
    question: str


@dataclass(frozen=True, slots=True)
class RatingSummary:
    """How visitors rated one entry's answer."""

    entry_id: str
    helpful: int
    not_helpful: int

    @property
    def total(self) -> int:
        """All ratings of this entry."""
        return self.helpful + self.not_helpful

    @property
    def helpful_share(self) -> float:
        """Helpful ratings as a share of all (0.0 to 1.0)."""
        return self.helpful / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """How many rows `purge_before` deleted."""

    questions: int
    ratings: int


class UnansweredLog:
    """A SQLite file of unanswered questions and ratings; safe across threads and processes."""

    def __init__(
        self,
        path: Path | str,
        *,
        create: bool = True,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.path = Path(path)
        self._today = today
        self._local = threading.local()
        if not create and not self.path.is_file():
            raise UnansweredLogError(f"{self.path}: no unanswered-question log here")
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._run(lambda db: _create_schema(db))

    def record(self, question: str, reply: Reply) -> bool:
        """Store `question` (redacted) when it is `worth_keeping`; True if stored."""
        if not worth_keeping(reply):
            return False
        text = stored_text(question)
        if not text:
            return False
        row = (self._day(), str(reply.kind), text)
        self._run(
            lambda db: db.execute(
                "INSERT INTO unanswered (day, kind, question) VALUES (?, ?, ?)", row
            )
        )
        return True

    def rate(self, entry_id: str, helpful: bool) -> None:
        """Store one rating: the entry id, helpful or not, and today's date. Nothing else."""
        if not isinstance(entry_id, str) or len(entry_id) > 100 or not ID_PATTERN.match(entry_id):
            raise ValueError(f"not an entry id: {entry_id!r}")
        row = (self._day(), entry_id, int(bool(helpful)))
        self._run(
            lambda db: db.execute(
                "INSERT INTO ratings (day, entry_id, helpful) VALUES (?, ?, ?)", row
            )
        )

    def questions(self, since: date | None = None) -> list[UnansweredQuestion]:
        """Stored questions, oldest first, optionally only from `since` on."""
        query = "SELECT id, day, kind, question FROM unanswered WHERE day >= ? ORDER BY id"
        rows = self._run(lambda db: db.execute(query, (_day_text(since),)).fetchall())
        return [UnansweredQuestion(*row) for row in rows]

    def ratings(self, since: date | None = None) -> list[RatingSummary]:
        """Ratings per entry, least helpful share first (then most ratings first)."""
        query = """SELECT entry_id, SUM(helpful), SUM(1 - helpful) FROM ratings
                   WHERE day >= ? GROUP BY entry_id"""
        rows = self._run(lambda db: db.execute(query, (_day_text(since),)).fetchall())
        summaries = [RatingSummary(e, int(h), int(n)) for e, h, n in rows]
        return sorted(summaries, key=lambda s: (s.helpful_share, -s.total, s.entry_id))

    def purge_before(self, day: date) -> PurgeResult:
        """Delete every question and rating dated before `day`."""
        cutoff = (_day_text(day),)

        def purge(db: sqlite3.Connection) -> PurgeResult:
            with _transaction(db):  # both tables or neither
                questions = db.execute("DELETE FROM unanswered WHERE day < ?", cutoff).rowcount
                ratings = db.execute("DELETE FROM ratings WHERE day < ?", cutoff).rowcount
            return PurgeResult(questions, ratings)

        return self._run(purge)

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None and self._local.pid == os.getpid():
            connection.close()
        self._local.connection = None

    def _day(self) -> str:
        return self._today().isoformat()

    def _run(self, action):
        """Run `action(connection)`, turning SQLite failures into a sentence for a person."""
        try:
            return _retrying(lambda: action(self._connection()))
        except sqlite3.DatabaseError as error:
            raise UnansweredLogError(f"{self.path}: {error}") from error

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "connection", None) is None or local.pid != os.getpid():
            local.connection = _connect(self.path)
            local.pid = os.getpid()
        return local.connection


def stored_text(question: str) -> str:
    """What would be stored for `question`: redacted, one line, at most MAX_STORED_CHARS."""
    text = " ".join(_CONTROL.sub(" ", str(question)).split())
    return redact(text[: MAX_STORED_CHARS * 2])[:MAX_STORED_CHARS]


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """An explicit transaction: with isolation_level=None, `with db:` alone does not begin one."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _connect(path: Path) -> sqlite3.Connection:
    # The file holds what visitors typed: readable by its owner only.  SQLite gives the
    # -wal and -shm files the database file's permissions.
    if not path.exists():
        path.touch(mode=0o600)
    # isolation_level=None: each statement commits on its own unless `_transaction` groups them.
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _retrying(lambda: connection.execute("PRAGMA journal_mode = WAL"))
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def _create_schema(db: sqlite3.Connection) -> None:
    with _transaction(db):
        for statement in _SCHEMA:
            db.execute(statement)


def _retrying(action, attempts: int = 5):
    """Retry the rare 'database is locked' the busy timeout does not cover (WAL switch-over)."""
    for attempt in range(attempts):
        try:
            return action()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    return None


def _day_text(day: date | None) -> str:
    return day.isoformat() if day is not None else ""
