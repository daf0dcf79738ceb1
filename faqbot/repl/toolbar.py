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


# Dropped first when the terminal is too narrow for every hint (the rest matter more).
LEAST_NEEDED = ("→", "Tab", "/help")


def fitting_hints(choices: int, width: int, practice: Practice) -> list[tuple[str, str]]:
    """The hints that fit in `width` columns, least needed dropped first; none cut in half."""
    hints = toolbar_hints(choices, practice)
    for key in LEAST_NEEDED:
        if _toolbar_width(hints) <= width:
            break
        hints = [hint for hint in hints if hint[0] != key]
    return hints


def _toolbar_width(hints: list[tuple[str, str]]) -> int:
    return sum(len(key) + len(action) + 3 for key, action in hints)


def create_toolbar(
    conversation: Conversation, width: Callable[[], int] | None = None
) -> Callable[[], StyleAndTextTuples]:
    """A callable prompt-toolkit redraws the toolbar from (at the terminal's width)."""
    columns = width or _terminal_columns

    def toolbar() -> StyleAndTextTuples:
        fragments: StyleAndTextTuples = []
        practice = conversation.bot.knowledge.practice
        for key, action in fitting_hints(len(conversation.choices), columns(), practice):
            fragments += [("class:bottom-toolbar.key", f" {key}"), ("", f" {action} ")]
        return fragments

    return toolbar


def _terminal_columns() -> int:
    from prompt_toolkit.application import get_app

    return get_app().output.get_size().columns
