"""The REPL's own keys (prompt-toolkit's Emacs defaults do the rest)."""

from __future__ import annotations

from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent


def create_key_bindings() -> KeyBindings:
    """Key bindings for the faqbot prompt."""
    bindings = KeyBindings()

    @bindings.add("c-c")
    def _(event: KeyPressEvent) -> None:
        """Ctrl-C clears the line; on an empty line it leaves, like Ctrl-D."""
        buffer = event.app.current_buffer
        if buffer.text:
            buffer.reset()
        else:
            event.app.exit(exception=EOFError)

    return bindings
