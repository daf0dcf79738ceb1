"""The read-eval-print loop, kept apart from building the prompt (see `session`).

`handle_line` is the whole "eval" step, shared by the interactive prompt and by
piped input, so both follow numbered choices and understand the same commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from faqbot.feedback import FeedbackLog, keep_unanswered
from faqbot.model import Practice
from faqbot.repl.commands import Outcome, run_command
from faqbot.repl.conversation import Conversation, Turn
from faqbot.repl.output import Printer

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession


@dataclass
class Shell:
    """What a command or a line can act on: the conversation, the printer, the log."""

    conversation: Conversation
    printer: Printer
    log: FeedbackLog | None = None
    clear_screen: Callable[[], None] = field(default=lambda: None)

    def message(self, name: str, **values: str) -> str:
        """A sentence of the knowledge base's (practice.yaml `messages:`), values filled."""
        return self.conversation.bot.knowledge.practice.message(name, **values)


def handle_line(shell: Shell, line: str) -> Outcome:
    """Answer one line: nothing for a blank one, a command for `/...`, else a reply."""
    text = line.strip()
    if not text:
        return Outcome.CONTINUE
    if text.startswith("/"):
        return run_command(shell, text)
    if text.isascii() and text.isdigit() and shell.conversation.choice_for(text) is None:
        practice = shell.conversation.bot.knowledge.practice
        shell.printer.note(no_such_choice(len(shell.conversation.choices), practice))
        return Outcome.CONTINUE
    turn = shell.conversation.ask(text)
    _record(shell, turn)
    bot = shell.conversation.bot
    shell.printer.reply(turn.reply, turn.picked.question if turn.picked else None, bot.headings())
    return Outcome.CONTINUE


def no_such_choice(choices: int, practice: Practice) -> str:
    """What to say when a number picks nothing (rather than asking it as a question)."""
    if choices <= 1:
        return practice.message("repl_no_choices" if choices == 0 else "repl_one_choice")
    return practice.message("repl_few_choices", choices=str(choices))


def _record(shell: Shell, turn: Turn) -> None:
    try:
        keep_unanswered(shell.log, turn.text, turn.reply, picked=turn.picked is not None)
    except Exception as error:  # an optional log must never end a visitor's conversation
        shell.printer.note(shell.message("repl_log_failed", error=str(error)))


def goodbye_text(shell: Shell) -> str:
    """The practice's goodbye (practice.yaml, or the default when it has none)."""
    return shell.conversation.bot.knowledge.practice.message("goodbye")


def run_interactive(shell: Shell, session: PromptSession[str]) -> int:
    """Welcome, then prompt until /quit, Ctrl-D or Ctrl-C on an empty line; say goodbye."""
    shell.printer.welcome(shell.conversation.bot, stored=shell.log is not None)
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
