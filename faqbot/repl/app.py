"""Putting the pieces together: a conversation in a terminal, or answers to piped lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from faqbot.bot import Bot
from faqbot.feedback import FeedbackLog
from faqbot.repl.conversation import Conversation
from faqbot.repl.loop import Shell, run_batch, run_interactive
from faqbot.repl.output import MAX_WIDTH, Printer, plain_writer

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output


def run_piped(
    bot: Bot, lines: Iterable[str], stdout: TextIO, log: FeedbackLog | None = None
) -> int:
    """Answer each line in plain text (numbers still pick choices); exit 0 at the end."""
    shell = Shell(Conversation(bot), Printer(plain_writer(stdout)), log)
    return run_batch(shell, lines)


def run_terminal(
    bot: Bot,
    history_path: str | None = None,
    log: FeedbackLog | None = None,
    colors: bool = True,
    input: Input | None = None,
    output: Output | None = None,
    printer: Printer | None = None,
) -> int:
    """The interactive conversation; `input`/`output`/`printer` are for tests."""
    from faqbot.repl.session import ask_more, build_session, color_depth, open_history

    conversation = Conversation(bot)
    session = build_session(conversation, open_history(history_path), colors, input, output)
    if printer is None:
        from faqbot.repl.output import styled_writer

        writer = styled_writer(session.output, color_depth(colors))
        printer = Printer(writer, lambda: terminal_width(session.output), gap="\n")
    printer.page_with(lambda: session.output.get_size().rows, lambda: ask_more(session))
    shell = Shell(conversation, printer, log, lambda: clear_screen(session))
    return run_interactive(shell, session)


def terminal_width(output: Output) -> int:
    """The session terminal's width, one column short of the edge, capped."""
    return min(output.get_size().columns - 1, MAX_WIDTH)


def clear_screen(session: PromptSession[str]) -> None:
    """Erase the terminal the session draws on."""
    output = session.output
    output.erase_screen()
    output.cursor_goto(0, 0)
    output.flush()
