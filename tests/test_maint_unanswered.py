"""The opt-in unanswered-question log: what it stores, what it never stores, and concurrency."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest

from faqbot.reply import Choice, Kind, Reply
from faqbot.unanswered import UnansweredLog, UnansweredLogError, stored_text

FALLBACK = Reply(Kind.FALLBACK, "I can't answer that here.")
CLARIFY = Reply(Kind.CLARIFY, "Did you mean…", options=(Choice("fees", "What does it cost?"),))
ANSWER = Reply(Kind.ANSWER, "Sessions are talk only.", id="no-nudity", score=90)
CRISIS = Reply(Kind.CRISIS, "Please reach out now.", score=100)


@pytest.fixture
def log(tmp_path: Path) -> UnansweredLog:
    return UnansweredLog(tmp_path / "unanswered.sqlite3", today=lambda: date(2026, 11, 26))


def raw_rows(path: Path, table: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT * FROM {table}").fetchall()


@pytest.mark.parametrize("reply", [FALLBACK, CLARIFY])
def test_fallback_and_clarify_questions_are_stored(log: UnansweredLog, reply: Reply) -> None:
    assert log.record("can you prescribe viagra", reply) is True
    [stored] = log.questions()
    assert (stored.question, stored.kind, stored.day) == (
        "can you prescribe viagra",
        str(reply.kind),
        "2026-11-26",
    )


def test_answered_questions_are_not_stored(log: UnansweredLog) -> None:
    assert log.record("do i have to get naked", ANSWER) is False
    assert log.questions() == []


def test_crisis_messages_are_never_stored(log: UnansweredLog) -> None:
    assert log.record("i want to end it all, call me 212-555-0147", CRISIS) is False
    assert raw_rows(log.path, "unanswered") == []


def test_check_in_messages_are_never_stored(log: UnansweredLog) -> None:
    reply = FALLBACK._replace(checkin="If any of this touches you, these services help.")
    assert log.record("what counts as self harm, asking for a friend", reply) is False
    assert raw_rows(log.path, "unanswered") == []


def test_blank_questions_are_not_stored(log: UnansweredLog) -> None:
    assert log.record("   \n\t ", FALLBACK) is False
    assert log.questions() == []


def test_contact_details_are_redacted_before_storing(log: UnansweredLog) -> None:
    log.record("mail jane@example.com or call (212) 555-0147, see example.com", FALLBACK)
    [row] = raw_rows(log.path, "unanswered")
    assert row[3] == "mail [email] or call [phone], see [link]"


def test_only_the_date_is_stored_no_time_no_ip_no_session(log: UnansweredLog) -> None:
    log.record("what about tantra", FALLBACK)
    with sqlite3.connect(log.path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(unanswered)")]
        [(day,)] = db.execute("SELECT day FROM unanswered").fetchall()
    assert columns == ["id", "day", "kind", "question"]
    assert day == "2026-11-26"


def test_a_rating_stores_entry_id_rating_and_date_only(log: UnansweredLog) -> None:
    log.rate("no-nudity", helpful=False)
    with sqlite3.connect(log.path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(ratings)")]
    assert columns == ["id", "day", "entry_id", "helpful"]
    assert raw_rows(log.path, "ratings") == [(1, "2026-11-26", "no-nudity", 0)]


@pytest.mark.parametrize("bad_id", ["", "No Nudity", "x" * 101, "a;DROP TABLE", None, 3])
def test_a_rating_for_something_that_is_not_an_entry_id_is_refused(
    log: UnansweredLog, bad_id: object
) -> None:
    with pytest.raises(ValueError):
        log.rate(bad_id, helpful=True)  # type: ignore[arg-type]


def test_ratings_list_the_least_helpful_entries_first(log: UnansweredLog) -> None:
    for entry_id, helpful in [
        ("fees", True),
        ("fees", True),
        ("homework", False),
        ("homework", True),
        ("no-nudity", False),
    ]:
        log.rate(entry_id, helpful)
    summary = [(s.entry_id, s.helpful, s.not_helpful) for s in log.ratings()]
    assert summary == [("no-nudity", 0, 1), ("homework", 1, 1), ("fees", 2, 0)]


def test_long_questions_and_control_characters_are_trimmed() -> None:
    text = stored_text("why\x1b[31m is\nthis " + "word " * 500)
    assert text.startswith("why [31m is this word")
    assert len(text) <= 1000 and "\n" not in text


def test_since_and_purge_before_work_on_dates(tmp_path: Path) -> None:
    days = iter([date(2026, 1, 5), date(2026, 6, 1), date(2026, 11, 20), date(2026, 1, 6)])
    log = UnansweredLog(tmp_path / "log.db", today=lambda: next(days))
    for question in ("first", "second", "third"):
        log.record(question, FALLBACK)
    log.rate("fees", False)
    assert [q.question for q in log.questions(since=date(2026, 6, 1))] == ["second", "third"]
    purged = log.purge_before(date(2026, 6, 1))
    assert (purged.questions, purged.ratings) == (1, 1)
    assert [q.question for q in log.questions()] == ["second", "third"]
    assert log.ratings() == []


def test_the_log_uses_wal_mode(log: UnansweredLog) -> None:
    with sqlite3.connect(log.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_opening_a_missing_log_for_reading_says_so(tmp_path: Path) -> None:
    with pytest.raises(UnansweredLogError, match="no unanswered-question log"):
        UnansweredLog(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_a_file_that_is_not_a_database_gives_a_readable_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(UnansweredLogError, match=r"notes\.txt"):
        UnansweredLog(path)


def test_threads_sharing_one_log_lose_nothing(log: UnansweredLog) -> None:
    def write(worker: int) -> None:
        for number in range(50):
            log.record(f"thread {worker} question {number}", FALLBACK)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(log.questions()) == 8 * 50


def _write_from_process(path: str, worker: int, count: int) -> None:
    log = UnansweredLog(path)
    for number in range(count):
        log.record(f"worker {worker} question {number} mail w{worker}@example.com", FALLBACK)
        if number % 10 == 0:
            log.rate("fees", helpful=number % 20 == 0)


@pytest.mark.parametrize("start_method", ["spawn", "fork"])
def test_several_processes_writing_at_once_lose_and_corrupt_nothing(
    tmp_path: Path, start_method: str
) -> None:
    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{start_method} is not available here")
    path = tmp_path / "shared.sqlite3"
    UnansweredLog(path)  # created by the parent, as `serve` does before starting workers
    context = multiprocessing.get_context(start_method)
    workers, count = 6, 120
    processes = [
        context.Process(target=_write_from_process, args=(str(path), n, count))
        for n in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * workers
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    questions = {q.question for q in UnansweredLog(path).questions()}
    expected = {
        f"worker {w} question {n} mail [email]" for w in range(workers) for n in range(count)
    }
    assert questions == expected
    [fees] = UnansweredLog(path).ratings()
    assert fees.total == workers * (count // 10)


def _write_with_inherited_log(log: UnansweredLog, worker: int) -> None:
    for number in range(100):
        log.record(f"forked {worker} question {number}", FALLBACK)


def test_a_forked_worker_does_not_share_its_parents_connection(tmp_path: Path) -> None:
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("fork is not available here")
    log = UnansweredLog(tmp_path / "inherited.sqlite3")
    log.record("asked in the parent before forking", FALLBACK)
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_write_with_inherited_log, args=(log, n)) for n in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * 4
    assert len(log.questions()) == 1 + 4 * 100


def test_the_log_file_is_readable_by_its_owner_only(tmp_path):
    log = UnansweredLog(tmp_path / "log.sqlite3")
    log.record("what is tantra", Reply(Kind.FALLBACK, "referral"))
    for path in tmp_path.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path.name


def test_a_failed_purge_deletes_nothing(tmp_path, monkeypatch):
    log = UnansweredLog(tmp_path / "log.sqlite3", today=lambda: date(2026, 1, 1))
    log.record("what is tantra", Reply(Kind.FALLBACK, "referral"))
    log.rate("homework", True)
    db = sqlite3.connect(tmp_path / "log.sqlite3")
    db.execute(
        "CREATE TRIGGER refuse BEFORE DELETE ON ratings BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    db.commit()
    db.close()
    with pytest.raises(UnansweredLogError):
        log.purge_before(date(2027, 1, 1))
    assert len(log.questions()) == 1


@pytest.mark.parametrize(
    ("kind", "picked", "kept"),
    [
        (Kind.FALLBACK, False, True),
        (Kind.CLARIFY, False, True),
        (Kind.ANSWER, False, False),
        (Kind.CRISIS, False, False),
        (Kind.FALLBACK, True, False),
    ],
)
def test_one_core_rule_decides_what_any_front_end_may_log(kind, picked, kept):
    from faqbot.feedback import keep_unanswered, worth_keeping

    class Recorder:
        def __init__(self) -> None:
            self.seen: list[str] = []

        def record(self, question: str, reply: Reply) -> bool:
            self.seen.append(question)
            return True

        def rate(self, entry_id: str, helpful: bool) -> None: ...

    reply = Reply(kind, "text")
    log = Recorder()
    assert worth_keeping(reply, picked) is kept
    assert keep_unanswered(log, "a question", reply, picked) is kept
    assert log.seen == (["a question"] if kept else [])
    assert keep_unanswered(None, "a question", reply, picked) is False
