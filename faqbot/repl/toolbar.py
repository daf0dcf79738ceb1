"""The bottom toolbar: the keys that matter right now."""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.formatted_text import StyleAndTextTuples

from faqbot.model import Practice
from faqbot.repl.conversation import Conversation

# Each key and the message (`repl_key_<name>`) saying what it does.
KEYS = (("Tab", "questions"), ("→", "accept"), ("/help", "commands"), ("Ctrl-D", "quit"))


def toolbar_hints(choices: int, practice: Practice) -> list[tuple[str, str]]:
    """(key, what it does) pairs; the number keys only when choices are on screen."""
    hints = [(key, practice.message(f"repl_key_{name}")) for key, name in KEYS]
    pick = practice.message("repl_key_pick")
    if choices == 1:
        hints.insert(0, ("1", pick))
    elif choices > 1:
        hints.insert(0, (f"1-{choices}", pick))
    return hints


def create_toolbar(conversation: Conversation) -> Callable[[], StyleAndTextTuples]:
    """A callable prompt-toolkit redraws the toolbar from."""

    def toolbar() -> StyleAndTextTuples:
        fragments: StyleAndTextTuples = []
        practice = conversation.bot.knowledge.practice
        for key, action in toolbar_hints(len(conversation.choices), practice):
            fragments += [("class:bottom-toolbar.key", f" {key}"), ("", f" {action} ")]
        return fragments

    return toolbar
