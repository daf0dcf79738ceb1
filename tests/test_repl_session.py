"""Real prompt-toolkit sessions, fed keys through a pipe (prompt-toolkit's own test harness).

The session draws on a `DummyOutput`; what the REPL prints goes to a plain-text
printer, so the tests read what a visitor would read, never escape codes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from faqbot.bot import Bot
from faqbot.repl import app
from faqbot.repl.conversation import Conversation, Turn
from faqbot.repl.output import Printer, plain_writer
from faqbot.repl.session import open_history
from faqbot.reply import Kind

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
CTRL_C, CTRL_D, ENTER = "\x03", "\x04", "\r"


class Transcript:
    """What one session printed, and the turns it took."""

    def __init__(self) -> None:
        self.screen = io.StringIO()
        self.turns: list[Turn] = []

    @property
    def text(self) -> str:
        return self.screen.getvalue()

    @property
    def replies(self) -> list:
        return [turn.reply for turn in self.turns]


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe_input, create_app_session(pipe_input, DummyOutput()):
        yield pipe_input


def chat(bot: Bot, pipe: PipeInput, keys: str, **options) -> tuple[int, Transcript]:
    """Run a whole terminal session on `keys`; keep every turn it took."""
    transcript = Transcript()
    original_ask = Conversation.ask

    def recording_ask(self: Conversation, text: str) -> Turn:
        turn = original_ask(self, text)
        transcript.turns.append(turn)
        return turn

    pipe.send_text(keys)
    printer = Printer(plain_writer(transcript.screen), lambda: 80)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Conversation, "ask", recording_ask)
        status = app.run_terminal(bot, input=pipe, output=DummyOutput(), printer=printer, **options)
    return status, transcript


def test_welcome_then_a_question_then_goodbye_on_ctrl_d(bot: Bot, pipe: PipeInput) -> None:
    status, transcript = chat(bot, pipe, "do we have to get naked" + ENTER + CTRL_D)
    assert status == 0
    assert transcript.text.startswith("faqbot — ")
    assert bot.knowledge.practice.disclaimer[:40] in transcript.text.replace("\n", " ")
    assert [r.id for r in transcript.replies] == ["no-nudity"]
    assert "No — there is never any nudity" in transcript.text
    assert transcript.text.rstrip().endswith(bot.knowledge.practice.message("goodbye"))


def test_a_number_follows_the_suggestion_with_that_number(bot: Bot, pipe: PipeInput) -> None:
    keys = "do we have to get naked" + ENTER + "1" + ENTER + CTRL_D
    _, transcript = chat(bot, pipe, keys)
    first_follow_up = bot.reply_for_id("no-nudity").related[0]
    assert transcript.turns[1].picked == first_follow_up
    assert transcript.replies[1].id == first_follow_up.id


def test_a_clarify_choice_answers_the_option_picked(pipe: PipeInput, parking_bot: Bot) -> None:
    _, transcript = chat(parking_bot, pipe, "parking" + ENTER + "2" + ENTER + CTRL_D)
    clarify, picked = transcript.replies
    assert clarify.kind is Kind.CLARIFY
    assert "  1. Where can I park my car?\n  2. Where can I park my bike?" in transcript.text
    assert picked.id == clarify.options[1].id == "bike-parking"
    assert "There is a bike rack by the door." in transcript.text


def test_topics_lists_the_topics_a_screenful_at_a_time(bot: Bot, pipe: PipeInput) -> None:
    # DummyOutput is 40 rows tall: the list is longer, so Enter shows the rest.
    _, transcript = chat(bot, pipe, "/topics" + ENTER + ENTER + CTRL_D)
    for topic, choices in bot.topics().items():
        assert f"\n{topic}\n" in transcript.text
        assert choices[0].question in transcript.text
    assert "Type a number to read that answer." in transcript.text


def test_q_at_the_more_prompt_stops_the_list_and_its_numbers_still_work(
    bot: Bot, pipe: PipeInput
) -> None:
    _, transcript = chat(bot, pipe, "/topics" + ENTER + "q" + ENTER + "1" + ENTER + CTRL_D)
    *_, last_topic = bot.topics().values()
    assert last_topic[-1].question not in transcript.text
    assert "Type a number to read that answer." not in transcript.text
    first = next(iter(bot.topics().values()))[0]
    assert transcript.turns[0].picked == first


def test_a_number_beyond_the_choices_on_screen_says_how_many_there_are(
    pipe: PipeInput, parking_bot: Bot
) -> None:
    _, transcript = chat(parking_bot, pipe, "parking" + ENTER + "9" + ENTER + CTRL_D)
    assert len(transcript.turns) == 1  # "9" was not sent as a question
    assert "There are only 2 choices on screen: type a number from 1 to 2" in transcript.text


def test_why_shows_the_scores_behind_the_last_answer(bot: Bot, pipe: PipeInput) -> None:
    _, transcript = chat(bot, pipe, "can I come alone" + ENTER + "/why" + ENTER + CTRL_D)
    assert "question: can I come alone" in transcript.text
    assert f"decision: answer {transcript.replies[0].id}" in transcript.text


def test_an_empty_line_asks_nothing(bot: Bot, pipe: PipeInput) -> None:
    status, transcript = chat(bot, pipe, ENTER + "   " + ENTER + CTRL_D)
    assert status == 0
    assert transcript.turns == []


def test_ctrl_c_clears_a_half_typed_line(bot: Bot, pipe: PipeInput) -> None:
    keys = "something I regret typ" + CTRL_C + "do we have to get naked" + ENTER + CTRL_D
    _, transcript = chat(bot, pipe, keys)
    assert [t.text for t in transcript.turns] == ["do we have to get naked"]


def test_ctrl_c_on_an_empty_line_says_goodbye(bot: Bot, pipe: PipeInput) -> None:
    status, transcript = chat(bot, pipe, CTRL_C)
    assert status == 0
    assert transcript.text.rstrip().endswith(bot.knowledge.practice.message("goodbye"))


def test_quit_says_goodbye(bot: Bot, pipe: PipeInput) -> None:
    status, transcript = chat(bot, pipe, "/quit" + ENTER)
    assert status == 0
    assert transcript.text.rstrip().endswith(bot.knowledge.practice.message("goodbye"))


def test_history_is_kept_in_memory_unless_a_file_is_asked_for(
    bot: Bot, pipe: PipeInput, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    chat(bot, pipe, "do we have to get naked" + ENTER + CTRL_D)
    assert isinstance(open_history(None), InMemoryHistory)
    assert list(tmp_path.iterdir()) == []


def test_history_file_keeps_what_was_typed_when_asked(
    bot: Bot, pipe: PipeInput, tmp_path: Path
) -> None:
    history = tmp_path / "history"
    chat(bot, pipe, "do we have to get naked" + ENTER + CTRL_D, history_path=str(history))
    assert list(FileHistory(str(history)).load_history_strings()) == ["do we have to get naked"]
