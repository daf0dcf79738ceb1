"""The read-eval-print loop, kept apart from building the prompt (see `session`).

`handle_line` is the whole "eval" step, shared by the interactive prompt and by
piped input, so both follow numbered choices and understand the same commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from faqbot.repl.commands import Outcome, run_command
from faqbot.repl.conversation import Conversation, Turn
from faqbot.repl.output import Printer
from faqbot.reply import Reply

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession


class FeedbackLog(Protocol):
    """Where unanswered questions and ratings go (`faqbot.unanswered.UnansweredLog`)."""

    def record(self, question: str, reply: Reply) -> bool:
        """Keep a question the bot could not answer (the log decides what it keeps)."""
        ...

    def rate(self, entry_id: str, helpful: bool) -> None:
        """Keep a visitor's rating of an answer."""
        ...


@dataclass
class Shell:
    """What a command or a line can act on: the conversation, the printer, the log."""

    conversation: Conversation
    printer: Printer
    log: FeedbackLog | None = None
    clear_screen: Callable[[], None] = field(default=lambda: None)


def handle_line(shell: Shell, line: str) -> Outcome:
    """Answer one line: nothing for a blank one, a command for `/...`, else a reply."""
    text = line.strip()
    if not text:
        return Outcome.CONTINUE
    if text.startswith("/"):
        return run_command(shell, text)
    turn = shell.conversation.ask(text)
    _record(shell, turn)
    bot = shell.conversation.bot
    shell.printer.reply(turn.reply, turn.picked.question if turn.picked else None, bot.headings())
    return Outcome.CONTINUE


def _record(shell: Shell, turn: Turn) -> None:
    # Picked choices are answers by construction; only typed questions can go unanswered.
    # A crisis message never leaves memory, whatever the log would do with it.
    if shell.log is None or turn.picked is not None or turn.reply.sensitive:
        return
    try:
        shell.log.record(turn.text, turn.reply)
    except Exception as error:  # an optional log must never end a visitor's conversation
        shell.printer.note(f"(Could not write the log of unanswered questions: {error})")


def goodbye_text(shell: Shell) -> str:
    """The practice's goodbye (practice.yaml, or the default when it has none)."""
    return shell.conversation.bot.knowledge.practice.message("goodbye")


def run_interactive(shell: Shell, session: PromptSession[str]) -> int:
    """Welcome, then prompt until /quit, Ctrl-D or Ctrl-C on an empty line; say goodbye."""
    shell.printer.welcome(shell.conversation.bot)
    while True:
        try:
            line = session.prompt()
        except (EOFError, KeyboardInterrupt):
            break
        if handle_line(shell, line) is Outcome.QUIT:
            break
    shell.printer.goodbye(goodbye_text(shell))
    return 0


def run_batch(shell: Shell, lines: Iterable[str]) -> int:
    """Answer lines read from a pipe: plain replies only, no welcome, exit 0 at the end."""
    for line in lines:
        if handle_line(shell, line) is Outcome.QUIT:
            break
    return 0
