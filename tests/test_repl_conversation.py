"""The conversation and its commands, driven line by line without a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from faqbot.bot import Bot
from faqbot.repl.commands import COMMANDS, Outcome, help_lines
from faqbot.repl.conversation import Conversation
from faqbot.repl.loop import Shell, handle_line
from faqbot.repl.output import Printer, plain_writer
from faqbot.reply import Kind

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def make_shell(bot: Bot) -> tuple[Shell, io.StringIO]:
    screen = io.StringIO()
    return Shell(Conversation(bot), Printer(plain_writer(screen), lambda: 80)), screen


def test_a_new_conversation_offers_the_opening_suggestions(bot: Bot) -> None:
    conversation = Conversation(bot)
    assert conversation.choices == bot.suggestions()
    assert conversation.last is None


def test_no_nudity_question_gets_the_no_nudity_answer_and_its_follow_ups(bot: Bot) -> None:
    conversation = Conversation(bot)
    turn = conversation.ask("do we have to get naked")
    assert turn.reply.kind is Kind.ANSWER
    assert turn.reply.id == "no-nudity"
    assert turn.explanation is not None
    assert conversation.choices == turn.reply.related


def test_a_number_follows_the_choice_on_screen(bot: Bot) -> None:
    conversation = Conversation(bot)
    first = conversation.ask("do we have to get naked").reply
    turn = conversation.ask(" 2 ")
    assert turn.picked == first.related[1]
    assert turn.reply == bot.reply_for_id(first.related[1].id)
    assert turn.explanation is None


def test_a_number_at_the_start_picks_an_opening_suggestion(bot: Bot) -> None:
    turn = Conversation(bot).ask("1")
    assert turn.reply.id == bot.suggestions()[0].id


@pytest.mark.parametrize("text", ["0", "99", "-1", "1.5", "²", "one"])
def test_anything_but_a_listed_number_is_asked_as_a_question(bot: Bot, text: str) -> None:
    turn = Conversation(bot).ask(text)
    assert turn.picked is None
    assert turn.explanation is not None


def test_a_clarify_lists_options_and_a_number_picks_one(parking_bot: Bot) -> None:
    conversation = Conversation(parking_bot)
    clarify = conversation.ask("parking").reply
    assert clarify.kind is Kind.CLARIFY
    assert conversation.choices == clarify.options
    picked = conversation.ask("2").reply
    assert picked.id == clarify.options[1].id


def test_the_last_answer_is_the_context_of_the_next_question(bot: Bot) -> None:
    conversation = Conversation(bot)
    conversation.ask("do we have to get naked")
    assert conversation.context().previous_id == "no-nudity"
    conversation.ask("qwxz zzvv")  # a fallback has no id: the context stays
    assert conversation.context().previous_id == "no-nudity"


def test_reset_forgets_everything(bot: Bot) -> None:
    conversation = Conversation(bot)
    conversation.ask("do we have to get naked")
    conversation.reset()
    assert (conversation.last, conversation.previous_id) == (None, None)
    assert conversation.choices == bot.suggestions()


def test_an_empty_line_does_nothing(bot: Bot) -> None:
    shell, screen = make_shell(bot)
    assert handle_line(shell, "   ") is Outcome.CONTINUE
    assert shell.conversation.last is None
    assert screen.getvalue() == ""


def test_a_picked_number_shows_the_question_it_answers(bot: Bot) -> None:
    shell, screen = make_shell(bot)
    handle_line(shell, "1")
    assert screen.getvalue().startswith(bot.suggestions()[0].question + "\n")


def test_topics_lists_every_question_under_its_topic_numbered_through(bot: Bot) -> None:
    shell, screen = make_shell(bot)
    handle_line(shell, "/topics")
    text = screen.getvalue()
    every = [choice for choices in bot.topics().values() for choice in choices]
    for topic in bot.topics():
        assert f"{topic}\n" in text
    assert f"  {len(every)}. {every[-1].question}" in text
    handle_line(shell, str(len(every)))
    assert shell.conversation.last.reply.id == every[-1].id


def test_why_shows_the_candidates_and_scores_of_the_last_answer(bot: Bot) -> None:
    shell, screen = make_shell(bot)
    handle_line(shell, "/why")
    assert "Nothing to explain yet" in screen.getvalue()
    handle_line(shell, "do we have to get naked")
    handle_line(shell, "/why")
    text = screen.getvalue()
    assert "decision: answer no-nudity" in text
    assert "score" in text and "no-nudity" in text


def test_why_after_a_picked_number_says_no_matching_was_involved(bot: Bot) -> None:
    shell, screen = make_shell(bot)
    handle_line(shell, "1")
    handle_line(shell, "/why")
    assert "no matching was involved" in screen.getvalue()


def test_clear_starts_over(bot: Bot) -> None:
    shell, screen = make_shell(bot)
    cleared = []
    shell.clear_screen = lambda: cleared.append(True)
    handle_line(shell, "do we have to get naked")
    handle_line(shell, "/clear")
    assert cleared == [True]
    assert shell.conversation.last is None
    assert bot.knowledge.practice.disclaimer.split()[0] in screen.getvalue()


@pytest.mark.parametrize("line", ["/quit", "/exit", "/q", "/QUIT"])
def test_quit_and_its_aliases_end_the_loop(bot: Bot, line: str) -> None:
    shell, _ = make_shell(bot)
    assert handle_line(shell, line) is Outcome.QUIT


def test_an_unknown_command_says_so_and_points_to_help(bot: Bot) -> None:
    shell, screen = make_shell(bot)
    assert handle_line(shell, "/dance") is Outcome.CONTINUE
    assert "There is no command /dance. Type /help" in screen.getvalue()


def test_help_is_generated_from_the_registry(bot: Bot) -> None:
    shell, screen = make_shell(bot)
    handle_line(shell, "/help")
    for command in COMMANDS.values():
        assert f"/{command.name}" in screen.getvalue()
        assert command.summary(bot.knowledge.practice) in screen.getvalue()
    assert len(help_lines(bot.knowledge.practice)) == len(COMMANDS)


def test_every_command_the_issue_asks_for_is_registered() -> None:
    assert {"help", "topics", "why", "clear", "quit", "helpful", "unhelpful"} <= set(COMMANDS)
