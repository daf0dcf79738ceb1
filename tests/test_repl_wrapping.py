"""Text in a narrow terminal: wrapped on word boundaries, never inside a phone number or a
link; /why and the toolbar fit 60 columns; completions ranked by how well they match."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from faqbot.bot import Bot
from faqbot.loader import load_knowledge
from faqbot.markup import plain_text
from faqbot.render.text import reply_text
from faqbot.repl import app
from faqbot.repl.completion import QuestionIndex
from faqbot.repl.output import Printer, plain_writer
from faqbot.repl.toolbar import fitting_hints
from faqbot.wrapping import fill, wrap
from tests.test_repl_terminal import spawn_faqbot

ROOT = Path(__file__).resolve().parent.parent
CTRL_D, ENTER = "\x04", "\r"


@pytest.mark.parametrize("width", range(20, 101, 3))
def test_the_phone_number_and_every_word_stay_whole_at_any_width(bot: Bot, width: int) -> None:
    phone = bot.knowledge.practice.details["phone"]
    reply = bot.reply_for_id("book-consultation")
    text = reply_text(reply, width, bot.headings())
    assert phone in text.replace("\n", "\n")  # on one line
    source_words = set(plain_text(reply.answer).split())
    shown = text.split("\n\n")[0].split()
    assert set(shown) <= source_words  # no word was cut in two


def test_a_long_link_goes_whole_to_its_own_line_rather_than_being_broken() -> None:
    link = "https://www.example.org/a/long/path/to/the/booking-page"
    lines = fill(f"Book online at {link} any time of day.", 30).splitlines()
    assert link in lines


def test_paragraphs_keep_their_blank_line() -> None:
    assert wrap("one two\n\nthree", 40) == "one two\n\nthree"


def run_session(bot: Bot, keys: str, width: int) -> str:
    screen = io.StringIO()
    printer = Printer(plain_writer(screen), lambda: width)
    with create_pipe_input() as pipe, create_app_session(pipe, DummyOutput()):
        pipe.send_text(keys)
        app.run_terminal(bot, input=pipe, output=DummyOutput(), printer=printer)
    return screen.getvalue()


def test_why_at_60_columns_fits_and_breaks_no_word(bot: Bot) -> None:
    shown = run_session(bot, "does insurance reimburse this" + ENTER + "/why" + ENTER + CTRL_D, 60)
    why = shown[shown.index("question: does insurance") :]
    assert max(len(line) for line in why.splitlines()) <= 60
    # The longest words /why prints are its signals' names: each stays whole, by its value.
    assert re.search(r"answer_coverage \d", why)
    assert not re.search(r"answer_\s*\n\s*coverage", why)


@pytest.mark.parametrize("width", [100, 80, 60, 40])
def test_the_toolbar_drops_hints_rather_than_being_cut_off(width: int) -> None:
    hints = fitting_hints(3, width, load_knowledge().practice)
    assert sum(len(k) + len(a) + 3 for k, a in hints) <= width
    assert ("Ctrl-D", "quit") in hints and ("1-3", "pick") in hints


def test_on_a_60_column_terminal_the_toolbar_still_says_how_to_quit() -> None:
    child = spawn_faqbot(rows=24, columns=60)
    try:
        # prompt-toolkit asks where the cursor is before drawing the toolbar: answer row 20.
        child.expect_exact("\x1b[6n")
        child.send("\x1b[20;1R")
        child.expect_exact("Ctrl-D")
        child.expect_exact("quit")
    finally:
        child.terminate(force=True)


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("is th", "Is there"),
        ("what is", "What is sex therapy?"),
        ("do i have to br", "Do I have to bring my partner"),
    ],
)
def test_completions_that_start_like_the_typed_words_come_first(
    bot: Bot, typed: str, first: str
) -> None:
    questions = [e.question for e in QuestionIndex(bot.knowledge.entries).matching(typed)]
    assert questions[0].startswith(first), questions[:3]


def test_is_th_offers_is_there_homework_before_what_is_sex_therapy(bot: Bot) -> None:
    questions = [e.question for e in QuestionIndex(bot.knowledge.entries).matching("is th")]
    homework = questions.index("Is there homework in sex therapy?")
    later = questions[homework + 1 :]
    assert homework < 2 and "What is sex therapy?" not in questions[:homework]
    assert all(not q.lower().startswith("is th") for q in later)
