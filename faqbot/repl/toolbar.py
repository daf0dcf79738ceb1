"""The bottom toolbar: the keys that matter right now."""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.formatted_text import StyleAndTextTuples

from faqbot.repl.conversation import Conversation


def toolbar_hints(choices: int) -> list[tuple[str, str]]:
    """(key, what it does) pairs; the number keys only when choices are on screen."""
    hints = [
        ("Tab", "questions"),
        ("→", "accept suggestion"),
        ("/help", "commands"),
        ("Ctrl-D", "quit"),
    ]
    if choices == 1:
        hints.insert(0, ("1", "pick"))
    elif choices > 1:
        hints.insert(0, (f"1-{choices}", "pick"))
    return hints


def create_toolbar(conversation: Conversation) -> Callable[[], StyleAndTextTuples]:
    """A callable prompt-toolkit redraws the toolbar from."""

    def toolbar() -> StyleAndTextTuples:
        fragments: StyleAndTextTuples = []
        for key, action in toolbar_hints(len(conversation.choices)):
            fragments += [("class:bottom-toolbar.key", f" {key}"), ("", f" {action} ")]
        return fragments

    return toolbar
