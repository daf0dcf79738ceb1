"""Discovering what to ask: completion, grey suggestions and the toolbar."""

from __future__ import annotations

import pytest
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from faqbot.bot import Bot
from faqbot.loader import load_knowledge
from faqbot.repl.commands import COMMANDS
from faqbot.repl.completion import QuestionCompleter, QuestionIndex, QuestionSuggest
from faqbot.repl.conversation import Conversation
from faqbot.repl.session import retrieval_ranker
from faqbot.repl.toolbar import create_toolbar, toolbar_hints

ENGLISH = load_knowledge().practice
SUMMARIES = {name: c.summary(ENGLISH) for name, c in COMMANDS.items()}


@pytest.fixture(scope="module")
def index(bot: Bot) -> QuestionIndex:
    return QuestionIndex(bot.knowledge.entries, retrieval_ranker(bot))


def completions(index: QuestionIndex, text: str, tab: bool = False) -> list[str]:
    completer = QuestionCompleter(index, SUMMARIES)
    event = CompleteEvent(completion_requested=tab)
    return [c.text for c in completer.get_completions(Document(text), event)]


def suggestion(index: QuestionIndex, text: str) -> str | None:
    found = QuestionSuggest(index, COMMANDS).get_suggestion(Buffer(), Document(text))
    return found.text if found else None


NUDITY = "Is there any nudity or sex in sex therapy sessions?"


@pytest.mark.parametrize(
    "typed",
    ["do we have to get na", "naked", "nudity", "nakd", "NAKED??", "clothes off"],
)
def test_nudity_question_is_offered_for_what_visitors_type(
    index: QuestionIndex, typed: str
) -> None:
    assert NUDITY in completions(index, typed)


def test_the_completion_replaces_the_whole_line(index: QuestionIndex, bot: Bot) -> None:
    completer = QuestionCompleter(index, {})
    first = next(completer.get_completions(Document("nake"), CompleteEvent()))
    assert (first.text, first.start_position) == (NUDITY, -4)


def test_questions_whose_own_wording_matches_come_first(index: QuestionIndex) -> None:
    assert completions(index, "homework")[0] == "Is there homework in sex therapy?"


def test_one_letter_or_a_number_offers_nothing_until_tab(index: QuestionIndex, bot: Bot) -> None:
    assert completions(index, "i") == []
    assert completions(index, "2") == []
    assert completions(index, "2", tab=True) == []
    assert len(completions(index, "", tab=True)) >= min(len(bot.knowledge.entries), 12)


def test_slash_completes_commands(index: QuestionIndex) -> None:
    assert completions(index, "/t") == ["/topics"]
    assert set(completions(index, "/")) == {f"/{name}" for name in COMMANDS}


def test_a_crisis_message_is_offered_no_questions(index: QuestionIndex) -> None:
    assert completions(index, "i want to kill myself") == []
    assert completions(index, "i want to kill myself", tab=True) == []
    assert suggestion(index, "i want to die") is None


@pytest.mark.parametrize(
    ("typed", "rest"),
    [
        ("What is sex th", "erapy?"),
        ("how much", " does sex therapy cost, and do you take insurance?"),
        ("/to", "pics"),
        ("x", None),
        ("1", None),
        ("zzzz", None),
    ],
)
def test_grey_suggestion_continues_a_question_as_typed(
    index: QuestionIndex, typed: str, rest: str | None
) -> None:
    assert suggestion(index, typed) == rest


def test_toolbar_shows_the_numbers_that_pick_a_choice(bot: Bot) -> None:
    conversation = Conversation(bot)
    toolbar = create_toolbar(conversation)
    assert f" 1-{len(bot.suggestions())}" in "".join(text for _, text in toolbar())
    conversation.ask("i want to kill myself")
    assert "pick" not in "".join(text for _, text in toolbar())
    assert "Ctrl-D" in "".join(text for _, text in toolbar())


def test_toolbar_hints_for_a_single_choice() -> None:
    assert toolbar_hints(1, ENGLISH)[0] == ("1", "pick")


def test_how_near_a_typo_must_be_comes_from_the_knowledge_bases_settings(bot: Bot) -> None:
    from faqbot.model import Settings

    lenient = QuestionIndex(bot.knowledge.entries, settings=bot.knowledge.settings)
    strict = QuestionIndex(bot.knowledge.entries, settings=Settings(typo_min_length=20))
    typo = "homewrok"  # spelt so in no phrasing: only typo correction can find the entry
    assert not any(typo in p for e in bot.knowledge.entries for p in (e.question, *e.paraphrases))
    assert "homework" in [e.id for e in lenient.matching(typo)]
    assert "homework" not in [e.id for e in strict.matching(typo)]
