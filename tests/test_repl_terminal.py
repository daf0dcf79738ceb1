"""End to end: `python -m faqbot` in a real pseudo-terminal, checked as a person would see it."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from faqbot.bot import Bot
from faqbot.markup import plain_text

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60  # generous: the machine running the tests may be slow and shared
# Cursor movement, colours and the like: what pexpect sees besides the text.
ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][A-Z0-9]|[=>])")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


def screen_text(raw: str) -> str:
    """What the terminal showed, roughly: escape codes dropped, line ends unified."""
    return ESCAPES.sub("", raw).replace("\r\n", "\n").replace("\r", "\n")


def spawn_faqbot(rows: int = 40, columns: int = 100) -> pexpect.spawn:
    """`python -m faqbot` on a pseudo-terminal of that size, without colour."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "PYTHONPATH": str(ROOT)}
    env.pop("FAQBOT_KB", None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "faqbot"],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        dimensions=(rows, columns),
        timeout=TIMEOUT,
    )


@pytest.fixture
def faqbot():
    child = spawn_faqbot()
    yield child
    if child.isalive():
        child.terminate(force=True)


# Text is matched exactly and never across a style change (a bold number, say), since
# escape codes sit between differently styled fragments even when NO_COLOR is set.
def type_line(child, text: str) -> None:
    child.send(text + "\r")


def opening_words(text: str, count: int = 5) -> str:
    """The first words of an answer: on its first line whatever the width."""
    return " ".join(plain_text(text).split()[:count])


def test_a_visitor_asks_follows_a_suggestion_browses_topics_and_leaves(faqbot, bot: Bot) -> None:
    follow_up = bot.reply_for_id("no-nudity").related[0]
    faqbot.expect_exact("welcome")
    faqbot.expect_exact("not a therapist")
    faqbot.expect_exact("Ctrl-D")
    faqbot.expect_exact("you ›")

    type_line(faqbot, "do we have to get naked")
    faqbot.expect_exact("No — there is never any nudity")
    faqbot.expect_exact("You could also ask:")
    faqbot.expect_exact(follow_up.question)
    faqbot.expect_exact("you ›")

    type_line(faqbot, "1")
    faqbot.expect_exact(opening_words(bot.reply_for_id(follow_up.id).answer))
    faqbot.expect_exact("you ›")

    type_line(faqbot, "/topics")
    faqbot.expect_exact("-- more")  # 40 rows: the list is paged
    faqbot.send("\r")
    *_, last_topic = bot.topics().values()
    faqbot.expect_exact(last_topic[-1].question)
    faqbot.expect_exact("Type a number to read that answer.")
    faqbot.expect_exact("you ›")

    faqbot.sendcontrol("d")
    faqbot.expect_exact("Goodbye")
    faqbot.expect(pexpect.EOF)
    faqbot.close()
    assert faqbot.exitstatus == 0
    assert "Traceback" not in screen_text(faqbot.before or "")


def test_no_colour_codes_when_no_color_is_set(faqbot) -> None:
    faqbot.expect_exact("you ›")
    type_line(faqbot, "i want to kill myself")
    faqbot.expect_exact("Call or text 988")
    faqbot.expect_exact("you ›")
    shown = faqbot.before
    faqbot.sendcontrol("c")
    faqbot.expect(pexpect.EOF)
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m|\x1b\[38;", shown)


def test_ctrl_c_on_an_empty_line_leaves_with_a_goodbye_not_a_traceback(faqbot) -> None:
    faqbot.expect_exact("you ›")
    faqbot.send("half a question")
    faqbot.sendcontrol("c")
    faqbot.sendcontrol("c")
    faqbot.expect_exact("Goodbye")
    faqbot.expect(pexpect.EOF)
    faqbot.close()
    assert faqbot.exitstatus == 0
    assert "Traceback" not in screen_text(faqbot.before or "")
