"""Building the prompt: completer, auto-suggest, toolbar, history, keys and style."""

from __future__ import annotations

import os
from collections.abc import Callable

from prompt_toolkit import PromptSession
from prompt_toolkit.application import get_app
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.output import ColorDepth, Output
from prompt_toolkit.styles import Style

from faqbot.bot import Bot
from faqbot.repl.commands import COMMANDS
from faqbot.repl.completion import (
    MAX_COMPLETIONS,
    QuestionCompleter,
    QuestionIndex,
    QuestionSuggest,
    Ranker,
    Ranking,
)
from faqbot.repl.conversation import Conversation
from faqbot.repl.key_bindings import create_key_bindings
from faqbot.repl.output import STYLE
from faqbot.repl.toolbar import create_toolbar

SESSION_STYLE = {**STYLE, "placeholder": "#888888", "bottom-toolbar.key": "bold"}


def placeholder(text: str) -> Callable[[], StyleAndTextTuples]:
    """The hint in an empty prompt, gone once the line is done (so Ctrl-D leaves no trace)."""
    return lambda: [] if get_app().is_done else [("class:placeholder", text)]


def open_history(path: str | None) -> History:
    """In memory unless a file is asked for: what people type here is sensitive."""
    return FileHistory(os.path.expanduser(path)) if path else InMemoryHistory()


def retrieval_ranker(bot: Bot) -> Ranker:
    """Entries the bot's retrieval would consider for a text (at least a clarify score)."""
    threshold = bot.knowledge.settings.clarify

    def rank(text: str) -> Ranking:
        explanation = bot.explain(text, limit=MAX_COMPLETIONS)
        ids = tuple(c.entry.id for c in explanation.candidates if c.score >= threshold)
        return Ranking(ids, crisis=explanation.crisis is not None)

    return rank


MORE_PROMPT = [("class:note", "-- more: Enter for the next page, q to stop -- ")]


def ask_more(session: PromptSession[str]) -> bool:
    """Between pages of a long list: go on unless the visitor types q (or Ctrl-C / Ctrl-D)."""
    pager: PromptSession[str] = PromptSession(
        MORE_PROMPT,
        input=session.input,
        output=session.output,
        style=Style.from_dict(SESSION_STYLE),
        include_default_pygments_style=False,
        key_bindings=create_key_bindings(),
    )
    try:
        answer = pager.prompt()
    except (EOFError, KeyboardInterrupt):
        return False
    return answer.strip().lower() not in ("q", "quit")


def color_depth(colors: bool) -> ColorDepth | None:
    """No colour at all when the environment says so; else prompt-toolkit's choice."""
    return None if colors else ColorDepth.DEPTH_1_BIT


def build_session(
    conversation: Conversation,
    history: History | None = None,
    colors: bool = True,
    input: Input | None = None,
    output: Output | None = None,
) -> PromptSession[str]:
    """The prompt for one conversation."""
    knowledge = conversation.bot.knowledge
    ranker = retrieval_ranker(conversation.bot)
    index = QuestionIndex(knowledge.entries, ranker, knowledge.settings)
    practice = knowledge.practice
    summaries = {name: c.summary(practice) for name, c in COMMANDS.items()}
    return PromptSession(
        [("class:prompt", practice.message("repl_prompt"))],
        completer=QuestionCompleter(index, summaries),
        auto_suggest=QuestionSuggest(index, summaries),
        complete_while_typing=True,
        bottom_toolbar=create_toolbar(conversation),
        placeholder=placeholder(practice.message("repl_placeholder")),
        history=history or InMemoryHistory(),
        key_bindings=create_key_bindings(),
        style=Style.from_dict(SESSION_STYLE),
        include_default_pygments_style=False,
        color_depth=color_depth(colors),
        input=input,
        output=output,
    )
