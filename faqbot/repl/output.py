"""Printing to the visitor: replies, the welcome, topic lists, notes.

A `Printer` builds formatted-text fragments (via `faqbot.render.text`) and hands
them to a writer: `plain_writer` drops the styles (piped input, tests),
`styled_writer` prints them with prompt-toolkit.  Replies are never paged, so a
crisis reply's resources are always on screen, and they come first; only long
lists (`/topics`) are, when a terminal says how tall it is.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TextIO

from faqbot.render.text import (
    Fragments,
    fragments_text,
    numbered_fragments,
    reply_fragments,
    wrap,
)
from faqbot.reply import Choice, Reply

if TYPE_CHECKING:
    from prompt_toolkit.output import ColorDepth, Output

    from faqbot.bot import Bot

Writer = Callable[[Fragments], None]
# Asked between pages: True to go on, False to stop.
More = Callable[[], bool]

MAX_WIDTH = 100

# Classes used by `faqbot.render.text` and this module.  Colour is an extra, never the
# only signal: crisis replies also carry their heading, and NO_COLOR keeps bold.
STYLE = {
    "title": "bold",
    "disclaimer": "italic",
    "heading": "bold",
    "note": "#888888",
    "choice.number": "bold #5f87ff",
    "crisis.heading": "bold #ff5f5f",
    "crisis.resource": "bold #ff5f5f",
    "crisis.answer": "#ff8787",
    "checkin": "bold #ffaf5f",
    "checkin.resource": "#ffaf5f",
    "prompt": "bold #5f87ff",
    "goodbye": "bold",
}


def terminal_width() -> int:
    """The terminal's width, capped so lines stay readable (as `faqbot ask` wraps)."""
    return min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH)


def plain_writer(stream: TextIO) -> Writer:
    """A writer that prints only the text: no escape codes at all."""

    def write(fragments: Fragments) -> None:
        stream.write(fragments_text(fragments))
        stream.flush()

    return write


def styled_writer(output: Output, color_depth: ColorDepth | None = None) -> Writer:
    """A writer that prints through prompt-toolkit with faqbot's style."""
    from prompt_toolkit import print_formatted_text
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.styles import Style

    style = Style.from_dict(STYLE)

    def write(fragments: Fragments) -> None:
        print_formatted_text(
            FormattedText(fragments),
            end="",
            style=style,
            output=output,
            color_depth=color_depth,
            include_default_pygments_style=False,
        )

    return write


class Printer:
    """Everything the REPL shows, as whole blocks followed by a blank line."""

    def __init__(
        self, write: Writer, width: Callable[[], int] = terminal_width, gap: str = ""
    ) -> None:
        self._write = write
        self._width = width
        # Printed before each block: a blank line under the prompt in a terminal.
        self._gap = gap
        self._rows: Callable[[], int] | None = None
        self._more: More | None = None

    def page_with(self, rows: Callable[[], int], more: More) -> None:
        """Page long lists: `rows()` is the terminal's height, `more()` asks to go on."""
        self._rows, self._more = rows, more

    def paged(self, fragments: Fragments) -> None:
        """A block split into screenfuls when it is taller than the terminal."""
        lines = split_lines(fragments)
        if self._rows is None or self._more is None or len(lines) + 2 <= self._rows():
            self.block(fragments)
            return
        page = max(self._rows() - 2, 1)  # room for the "more" prompt
        for start in range(0, len(lines), page):
            chunk = [part for line in lines[start : start + page] for part in line]
            self._write([("", self._gap if start == 0 else ""), *chunk])
            if start + page >= len(lines):
                break
            if not self._more():
                break
        self._write([("", "\n")])

    @property
    def width(self) -> int:
        """The width text is wrapped to now (the terminal may have been resized)."""
        return self._width()

    def block(self, fragments: Fragments) -> None:
        """Print fragments as one block with a blank line after it."""
        self._write([("", self._gap), *fragments, ("", "\n\n")])

    def reply(
        self, reply: Reply, title: str | None = None, headings: Mapping[str, str] | None = None
    ) -> None:
        """A bot reply, choices numbered; `title` names the question a number picked."""
        heading: Fragments = [("class:title", wrap(title, self.width)), ("", "\n")] if title else []
        self.block([*heading, *reply_fragments(reply, self.width, headings)])

    def note(self, text: str) -> None:
        """A short message from the REPL itself (not from the bot)."""
        self.block([("class:note", wrap(text, self.width))])

    def choices(self, heading: str, choices: tuple[Choice, ...]) -> None:
        """A heading over numbered choices."""
        self.block([("class:heading", heading), ("", "\n"), *self.numbered(choices)])

    def numbered(self, choices: tuple[Choice, ...], start: int = 1) -> Fragments:
        """Numbered choice lines, wrapped to the current width."""
        return numbered_fragments(choices, self.width, start)

    def welcome(self, bot: Bot, stored: bool = False) -> None:
        """Who is talking, what it can answer, the disclaimer once, and how to leave."""
        self.block(welcome_fragments(bot, self.width, stored))

    def goodbye(self, text: str) -> None:
        """The last line of a session."""
        self._write([("class:goodbye", wrap(text, self.width)), ("", "\n")])


def split_lines(fragments: Fragments) -> list[Fragments]:
    """The fragments cut into lines, each keeping its styles and ending in a newline."""
    lines: list[Fragments] = [[]]
    for style, text in fragments:
        parts = text.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines[-1].append(("", "\n"))
                lines.append([])
            if part:
                lines[-1].append((style, part))
    if lines[-1]:
        lines[-1].append(("", "\n"))
    else:
        lines.pop()
    return lines


def welcome_fragments(bot: Bot, width: int, stored: bool = False) -> Fragments:
    """The opening screen: title, welcome, disclaimer, first suggestions, how to leave."""
    practice = bot.knowledge.practice
    title = practice.message("repl_title") if practice.details.get("name") else "faqbot"
    fragments: Fragments = [("class:title", wrap(title, width)), ("", "\n\n")]
    fragments += [("", wrap(practice.greeting(stored), width)), ("", "\n\n")]
    fragments += [("class:disclaimer", wrap(practice.disclaimer, width)), ("", "\n\n")]
    suggestions = bot.suggestions()
    if suggestions:
        fragments += [("class:heading", practice.message("start_heading")), ("", "\n")]
        fragments += [*numbered_fragments(suggestions, width), ("", "\n\n")]
    return [*fragments, ("class:note", wrap(practice.message("repl_leave_hint"), width))]
