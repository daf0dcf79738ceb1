"""`ReloadingBot`: picks up good edits, keeps serving the old knowledge base on broken ones."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from faqbot.errors import KnowledgeError, Problem
from faqbot.reloader import ReloadingBot, knowledge_fingerprint
from faqbot.reply import Kind

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
NEW_ENTRY = """
  - id: parking-nearby
    question: Is there parking near the office?
    paraphrases:
      - where can i park my car
      - is there a car park close by
      - parking near the practice
    answer: There is a public car park two minutes' walk from the office.
"""
QUESTION = "where can i park my car"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
    bump_mtime(path)


def bump_mtime(path: Path) -> None:
    # Coarse file-system clocks: make sure the edit is visible as a change.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_good_edit_is_picked_up(kb: Path) -> None:
    bots = ReloadingBot(kb, interval=0)
    assert bots.current().reply(QUESTION).id != "parking-nearby"
    append(kb / "faq" / "practical.yaml", NEW_ENTRY)
    assert bots.current().reply(QUESTION).id == "parking-nearby"


def test_a_broken_edit_keeps_the_old_bot_and_reports_file_and_line(kb: Path) -> None:
    reported: list[list[Problem]] = []
    bots = ReloadingBot(kb, interval=0, on_problems=reported.append)
    before = bots.current()
    practical = kb / "faq" / "practical.yaml"
    lines_before = len(practical.read_text(encoding="utf-8").splitlines())
    append(practical, "\n  - id: Broken Entry\n    question: oops\n")
    assert bots.current() is before
    assert bots.current().reply("do i have to get naked").id == "no-nudity"
    [problems] = reported
    assert all(p.path == practical for p in problems)
    assert any(p.line > lines_before and "missing" in p.message for p in problems)
    assert bots.problems == tuple(problems)


def test_a_fixed_edit_after_a_broken_one_is_picked_up(kb: Path) -> None:
    reported: list[list[Problem]] = []
    bots = ReloadingBot(kb, interval=0, on_problems=reported.append)
    practical = kb / "faq" / "practical.yaml"
    original = practical.read_text(encoding="utf-8")
    practical.write_text(original + "\n  - id: half-written\n", encoding="utf-8")
    bump_mtime(practical)
    assert bots.check_now() is False
    practical.write_text(original + NEW_ENTRY, encoding="utf-8")
    bump_mtime(practical)
    assert bots.check_now() is True
    assert bots.current().reply(QUESTION).id == "parking-nearby"
    assert bots.problems == ()
    assert len(reported) == 1


def test_invalid_yaml_is_reported_not_raised(kb: Path) -> None:
    reported: list[list[Problem]] = []
    bots = ReloadingBot(kb, interval=0, on_problems=reported.append)
    append(kb / "synonyms.yaml", "\nbroken: [unclosed\n")
    assert bots.current().reply("do i have to get naked").kind is Kind.ANSWER
    assert reported and all("synonyms.yaml" in str(p) for p in reported[0])


def test_a_new_topic_file_and_a_deleted_one_count_as_changes(kb: Path) -> None:
    bots = ReloadingBot(kb, interval=0)
    (kb / "faq" / "parking.yaml").write_text(
        f"topic: Parking\nentries:{NEW_ENTRY}", encoding="utf-8"
    )
    assert bots.current().reply(QUESTION).id == "parking-nearby"
    (kb / "faq" / "parking.yaml").unlink()
    assert bots.current().reply(QUESTION).id != "parking-nearby"


def test_checks_are_throttled_to_the_interval(kb: Path) -> None:
    now = [100.0]
    bots = ReloadingBot(kb, interval=1.0, clock=lambda: now[0])
    append(kb / "faq" / "practical.yaml", NEW_ENTRY)
    now[0] += 0.5
    assert bots.current().entry("parking-nearby") is None
    now[0] += 0.6
    assert bots.current().entry("parking-nearby") is not None


def test_nothing_is_reloaded_when_nothing_changed(kb: Path) -> None:
    reloads = []
    bots = ReloadingBot(kb, interval=0, on_reload=reloads.append)
    first = bots.current()
    assert bots.check_now() is False
    assert bots.current() is first and reloads == []


def test_a_broken_knowledge_base_at_start_up_raises(kb: Path) -> None:
    (kb / "practice.yaml").write_text("messages: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        ReloadingBot(kb)


def test_the_background_thread_reloads_without_any_request(kb: Path) -> None:
    reloaded = threading.Event()
    bots = ReloadingBot(kb, interval=0.05, on_reload=lambda bot: reloaded.set())
    bots.start()
    try:
        append(kb / "faq" / "practical.yaml", NEW_ENTRY)
        # A bound on a whole rebuild (about 4 s idle, far more on a loaded CI machine), not
        # a speed claim: the event either comes or it does not.
        assert reloaded.wait(timeout=60)
        assert bots.current().entry("parking-nearby") is not None
    finally:
        bots.stop()


def test_many_threads_asking_during_reloads_always_get_a_working_bot(kb: Path) -> None:
    bots = ReloadingBot(kb, interval=0)
    failures: list[BaseException] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                assert bots.current().reply("do i have to get naked").id == "no-nudity"
            except BaseException as error:  # collected and re-raised in the main thread
                failures.append(error)
                return

    askers = [threading.Thread(target=ask) for _ in range(4)]
    for asker in askers:
        asker.start()
    practical = kb / "faq" / "practical.yaml"
    for _ in range(3):
        append(practical, "\n")
        time.sleep(0.05)
    stop.set()
    for asker in askers:
        asker.join()
    assert failures == []


def test_the_fingerprint_covers_every_yaml_file(kb: Path) -> None:
    names = {name for name, _, _ in knowledge_fingerprint(kb)}
    assert {"practice.yaml", "synonyms.yaml", "faq/practical.yaml"} <= names


# Issue 16, row 5: a reload that cannot hang, be flooded or serve a file half-written.


def reloaded_within(bots: ReloadingBot, seconds: float) -> bool:
    """check_now() on another thread; False when it had not returned after `seconds`."""
    done = threading.Event()
    threading.Thread(target=lambda: (bots.check_now(), done.set()), daemon=True).start()
    return done.wait(seconds)


def test_a_fifo_in_the_folder_does_not_block_the_reload_and_is_reported(kb: Path) -> None:
    reported: list[list[Problem]] = []
    bots = ReloadingBot(kb, interval=0, settle=0, on_problems=reported.append)
    os.mkfifo(kb / "faq" / "pipe.yaml")
    assert reloaded_within(bots, 5)
    assert any("a FIFO, not a regular file" in str(p) for p in reported[-1])
    (kb / "faq" / "pipe.yaml").unlink()
    append(kb / "faq" / "practical.yaml", NEW_ENTRY)
    assert bots.check_now() and bots.current().reply(QUESTION).id == "parking-nearby"


def test_a_link_to_dev_zero_is_refused_without_reading_it(kb: Path) -> None:
    reported: list[list[Problem]] = []
    bots = ReloadingBot(kb, interval=0, settle=0, on_problems=reported.append)
    (kb / "faq" / "zero.yaml").symlink_to("/dev/zero")
    assert reloaded_within(bots, 5)
    assert any("link to outside the knowledge folder" in str(p) for p in reported[-1])


def test_a_device_inside_the_folder_is_not_read_either(kb: Path) -> None:
    from faqbot.knowledge_files import read_text_file

    with pytest.raises(KnowledgeError, match="a character device"):
        read_text_file(Path("/dev/zero"))


def test_a_file_over_the_size_cap_is_refused(kb: Path) -> None:
    settings = kb / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("max_file_bytes: 50000000", "max_file_bytes: 2000"))
    with pytest.raises(KnowledgeError, match=r"larger than limits\.max_file_bytes"):
        ReloadingBot(kb)


def test_a_link_inside_the_folder_is_still_read(kb: Path) -> None:
    (kb / "faq" / "practical.yaml").rename(kb / "practical-original.yaml")
    (kb / "faq" / "practical.yaml").symlink_to(kb / "practical-original.yaml")
    assert ReloadingBot(kb).current().knowledge.entries


def extra_entry(n: int) -> str:
    return (
        f"  - id: extra-{n}\n    question: Is there a quorvex number {n}?\n"
        f"    paraphrases: [quorvex {n} please, tell me about quorvex {n}]\n"
        f"    answer: Quorvex {n} is fine.\n"
    )


def test_a_file_still_being_written_is_not_read_half_written(kb: Path) -> None:
    target = kb / "faq" / "extra.yaml"
    bots = ReloadingBot(kb, interval=0, settle=0.5)
    entries_before = len(bots.current().knowledge.entries)
    stop = threading.Event()

    def write_slowly() -> None:
        # Whole entries at a time, so the file is valid at every moment: only waiting
        # for it to settle keeps the half-written version out.
        with target.open("w", encoding="utf-8") as handle:
            handle.write("topic: Extra\nentries:\n")
            n = 0
            while not stop.wait(0.05):
                handle.write(extra_entry(n))
                handle.flush()
                n += 1

    writer = threading.Thread(target=write_slowly)
    writer.start()
    try:
        time.sleep(0.2)
        assert not bots.check_now()
        assert len(bots.current().knowledge.entries) == entries_before
    finally:
        stop.set()
        writer.join()
    written = target.read_text(encoding="utf-8").count("- id: extra-")
    assert bots.check_now()
    assert len(bots.current().knowledge.entries) == entries_before + written


def test_a_reload_that_serve_would_refuse_is_refused(kb: Path) -> None:
    reported: list[list[Problem]] = []
    bots = ReloadingBot(kb, interval=0, settle=0, on_problems=reported.append)
    append(kb / "faq" / "practical.yaml", NEW_ENTRY.replace("There is", "<script>x</script>"))
    assert not bots.check_now()
    assert reported and bots.current().reply(QUESTION).id != "parking-nearby"


def test_reloads_and_failed_reloads_are_logged_at_the_default_level(kb: Path, caplog) -> None:
    bots = ReloadingBot(kb, interval=0, settle=0)
    with caplog.at_level("INFO", logger="faqbot.reload"):
        append(kb / "faq" / "practical.yaml", NEW_ENTRY)
        bots.check_now()
        append(kb / "faq" / "practical.yaml", "\n  - id: Broken Entry\n")
        bots.check_now()
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("reloaded: ") and f"entries from {kb}" in m for m in messages)
    assert any(
        r.levelname == "WARNING" and "not reloaded" in r.getMessage() for r in caplog.records
    )


def test_serve_logs_faqbot_lines_at_info_beside_uvicorns():
    from faqbot.cli.serve_uvicorn import log_config

    assert log_config()["loggers"]["faqbot"]["level"] == "INFO"
