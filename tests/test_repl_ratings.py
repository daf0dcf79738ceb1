"""Ratings and the opt-in log of unanswered questions, from the REPL."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from faqbot.bot import Bot
from faqbot.cli.environment import Environment
from faqbot.cli.main import main
from faqbot.repl.conversation import Conversation
from faqbot.repl.loop import Shell, handle_line
from faqbot.repl.output import Printer, plain_writer
from faqbot.reply import Kind, Reply


class FakeLog:
    """Stands in for `faqbot.unanswered.UnansweredLog`: remembers the calls."""

    def __init__(self, broken: bool = False) -> None:
        self.recorded: list[tuple[str, Kind]] = []
        self.ratings: list[tuple[str, bool]] = []
        self.broken = broken

    def record(self, question: str, reply: Reply) -> bool:
        if self.broken:
            raise OSError("disk full")
        self.recorded.append((question, reply.kind))
        return True

    def rate(self, entry_id: str, helpful: bool) -> None:
        if self.broken:
            raise OSError("disk full")
        self.ratings.append((entry_id, helpful))


def shell_with(bot: Bot, log: FakeLog | None) -> tuple[Shell, io.StringIO]:
    screen = io.StringIO()
    return Shell(Conversation(bot), Printer(plain_writer(screen), lambda: 80), log), screen


def test_helpful_and_unhelpful_rate_the_last_answer(bot: Bot) -> None:
    log = FakeLog()
    shell, screen = shell_with(bot, log)
    handle_line(shell, "do we have to get naked")
    handle_line(shell, "/helpful")
    handle_line(shell, "1")
    handle_line(shell, "/unhelpful")
    follow_up = bot.reply_for_id("no-nudity").related[0].id
    assert log.ratings == [("no-nudity", True), (follow_up, False)]
    assert screen.getvalue().count("Thank you — noted.") == 2


@pytest.mark.parametrize("before", [[], ["qwxz zzvv"], ["i want to kill myself"]])
def test_there_is_nothing_to_rate_without_an_answer(bot: Bot, before: list[str]) -> None:
    log = FakeLog()
    shell, screen = shell_with(bot, log)
    for line in before:
        handle_line(shell, line)
    handle_line(shell, "/helpful")
    assert log.ratings == []
    assert "There is no answer to rate yet." in screen.getvalue()


def test_without_a_log_a_rating_is_not_thanked_for_and_says_it_is_not_kept(bot: Bot) -> None:
    shell, screen = shell_with(bot, None)
    handle_line(shell, "do we have to get naked")
    handle_line(shell, "/helpful")
    note = screen.getvalue().rsplit("\n\n", 2)[-2]
    assert "Ratings are not kept" in note and "thank" not in note.lower()


def test_the_welcome_promises_nothing_is_stored_only_without_a_log(bot: Bot) -> None:
    for log, promise in ((None, True), (FakeLog(), False)):
        shell, screen = shell_with(bot, log)
        handle_line(shell, "/clear")
        assert ("nothing you type here is stored" in " ".join(screen.getvalue().split())) is promise


def test_only_typed_questions_the_bot_could_not_answer_reach_the_log(bot: Bot) -> None:
    # Answers, picked numbers and crises never reach it (faqbot.feedback.worth_keeping).
    log = FakeLog()
    shell, _ = shell_with(bot, log)
    lines = ["do we have to get naked", "1", "i want to kill myself", "qwxz zzvv", "/topics", ""]
    for line in lines:
        handle_line(shell, line)
    assert log.recorded == [("qwxz zzvv", Kind.FALLBACK)]


def test_a_failing_log_never_ends_the_conversation(bot: Bot) -> None:
    shell, screen = shell_with(bot, FakeLog(broken=True))
    handle_line(shell, "qwxz zzvv")
    handle_line(shell, "/topics")
    handle_line(shell, "do we have to get naked")
    handle_line(shell, "/helpful")
    text = screen.getvalue()
    assert "Could not write the log of unanswered questions: disk full" in text
    assert "Could not keep the rating: disk full" in text
    assert "No — there is never any nudity" in text


def test_log_unanswered_stores_only_unanswered_questions_and_ratings(tmp_path: Path) -> None:
    from faqbot.unanswered import UnansweredLog

    path = tmp_path / "log.sqlite"
    lines = "do we have to get naked\n/helpful\nqwxz zzvv call me on 555-123-4567\n"
    env = Environment(stdin=io.StringIO(lines), stdout=io.StringIO(), stderr=io.StringIO())
    assert main(["chat", "--log-unanswered", str(path)], env=env) == 0
    log = UnansweredLog(path, create=False)
    stored = [q.question for q in log.questions()]
    assert len(stored) == 1 and stored[0].startswith("qwxz zzvv")
    assert "555-123-4567" not in stored[0]
    assert [(r.entry_id, r.helpful) for r in log.ratings()] == [("no-nudity", 1)]


def test_nothing_is_written_without_log_unanswered(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    env = Environment(stdin=io.StringIO("qwxz zzvv\n/helpful\n"), stdout=io.StringIO())
    assert main(["chat"], env=env) == 0
    assert list(tmp_path.iterdir()) == []


def test_an_unusable_log_path_is_an_error_for_a_person(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    stderr = io.StringIO()
    env = Environment(stdin=io.StringIO(""), stdout=io.StringIO(), stderr=stderr)
    assert main(["chat", "--log-unanswered", str(blocker / "log.sqlite")], env=env) == 1
    assert "cannot open the log" in stderr.getvalue()
