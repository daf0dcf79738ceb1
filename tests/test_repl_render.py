"""What the REPL prints: styled and plain output agree, crises stand out, and golden screens."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from prompt_toolkit.output.plain_text import PlainTextOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from faqbot.bot import Bot
from faqbot.render.text import fragments_text, reply_fragments, reply_text
from faqbot.repl.conversation import Conversation
from faqbot.repl.loop import Shell, handle_line
from faqbot.repl.output import Printer, plain_writer, styled_writer, welcome_fragments
from faqbot.reply import Kind

GOLDEN = Path(__file__).resolve().parent / "golden"
WIDTH = 72  # pinned, so the golden screens do not depend on the terminal running the tests
QUESTIONS = ["do we have to get naked", "help", "qwxz zzvv", "", "i want to kill myself"]


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; FAQBOT_UPDATE_GOLDEN=1 rewrites it (review the diff)."""
    path = GOLDEN / name
    if os.environ.get("FAQBOT_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; see check_golden"


def replies(bot: Bot) -> list:
    typed = [bot.reply(q) for q in QUESTIONS]
    return typed + [bot.reply_for_id(e.id) for e in bot.knowledge.entries]


@pytest.mark.parametrize("width", [30, 72, 100])
def test_styled_fragments_read_exactly_like_the_plain_reply(bot: Bot, width: int) -> None:
    for reply in replies(bot):
        assert fragments_text(reply_fragments(reply, width)) == reply_text(reply, width)


def test_a_crisis_reply_puts_the_resources_first_in_their_own_style(bot: Bot) -> None:
    reply = bot.reply("i want to kill myself")
    assert reply.kind is Kind.CRISIS
    fragments = reply_fragments(reply, WIDTH, bot.headings())
    assert fragments[0] == ("class:crisis.heading", bot.knowledge.safety.heading)
    resources = [text for style, text in fragments if style == "class:crisis.resource"]
    assert len(resources) == len(reply.resources)


def test_a_crisis_reply_is_printed_in_colour_on_a_colour_terminal(bot: Bot) -> None:
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: None, term="xterm-256color")  # type: ignore[arg-type]
    Printer(styled_writer(output), lambda: WIDTH).reply(bot.reply("i want to kill myself"))
    assert "\x1b[" in screen.getvalue()
    assert "Call or text 988" in screen.getvalue()


def test_a_crisis_reply_is_never_cut_short(bot: Bot) -> None:
    screen = io.StringIO()
    Printer(plain_writer(screen), lambda: 40).reply(bot.reply("i want to kill myself"))
    for resource in bot.reply("i want to kill myself").resources:
        assert resource.contact in screen.getvalue()


def test_styled_writer_prints_plain_text_on_a_plain_output(bot: Bot) -> None:
    screen = io.StringIO()
    Printer(styled_writer(PlainTextOutput(screen)), lambda: WIDTH).reply(bot.reply("naked"))
    printed = screen.getvalue().replace("\r\n", "\n")
    assert printed == reply_text(bot.reply("naked"), WIDTH) + "\n\n"


def test_welcome_says_what_faqbot_is_and_how_to_leave(bot: Bot) -> None:
    text = fragments_text(welcome_fragments(bot, WIDTH))
    flat = " ".join(text.split())
    assert " ".join(bot.knowledge.practice.disclaimer.split()) in flat
    assert flat.count("not a therapist") == 1
    assert "Ctrl-D" in text
    assert "/help" in text
    for number, choice in enumerate(bot.suggestions(), start=1):
        assert f"  {number}. {choice.question}" in text


def test_welcome_screen_golden(bot: Bot) -> None:
    check_golden("repl_welcome.txt", fragments_text(welcome_fragments(bot, WIDTH)) + "\n")


def test_help_screen_golden(bot: Bot) -> None:
    screen = io.StringIO()
    handle_line(Shell(Conversation(bot), Printer(plain_writer(screen), lambda: WIDTH)), "/help")
    check_golden("repl_help.txt", screen.getvalue())
