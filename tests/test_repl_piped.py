"""`faqbot chat` when standard input is not a terminal: plain answers, line by line."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from faqbot.bot import Bot
from faqbot.cli.environment import Environment
from faqbot.cli.main import main
from faqbot.render.text import reply_text

ESCAPE = re.compile(r"\x1b")
WIDTH = 80


@pytest.fixture(autouse=True)
def terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDTH))


def run_piped(lines: str, *argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    env = Environment(stdin=io.StringIO(lines), stdout=stdout, stderr=stderr, environ={})
    status = main(list(argv), env=env)
    return status, stdout.getvalue(), stderr.getvalue()


def test_piped_questions_get_plain_answers_and_exit_zero_at_the_end(bot: Bot) -> None:
    status, out, err = run_piped("do we have to get naked\n")
    assert status == 0
    assert err == ""
    assert out == reply_text(bot.reply("do we have to get naked"), WIDTH) + "\n\n"


def test_no_escape_codes_and_no_welcome_when_piped() -> None:
    _, out, _ = run_piped("do we have to get naked\n/topics\n/help\n", "chat")
    assert not ESCAPE.search(out)
    assert "welcome" not in out.lower()


def test_a_number_follows_the_choice_when_piped_too(bot: Bot) -> None:
    _, out, _ = run_piped("do we have to get naked\n1\n")
    follow_up = bot.reply_for_id("no-nudity").related[0]
    expected = reply_text(bot.reply_for_id(follow_up.id), WIDTH)
    assert out.endswith(f"{follow_up.question}\n{expected}\n\n")


def test_piped_input_understands_commands_and_stops_at_quit(bot: Bot) -> None:
    _, out, _ = run_piped("/topics\n/quit\ndo we have to get naked\n")
    assert next(iter(bot.topics())) in out
    assert "nudity, touching" not in out


def test_empty_input_prints_nothing_and_exits_zero() -> None:
    assert run_piped("") == (0, "", "")


def test_a_missing_final_newline_and_blank_lines_are_fine(bot: Bot) -> None:
    status, out, _ = run_piped("\n\n   \nhow much does it cost")
    assert status == 0
    assert out.startswith(reply_text(bot.reply("how much does it cost"), WIDTH))


def test_a_broken_knowledge_base_is_reported_not_raised(tmp_path) -> None:
    status, _, err = run_piped("hello\n", "chat", "--kb", str(tmp_path / "nowhere"))
    assert status == 3
    assert "The knowledge base has problems" in err


def test_chat_is_the_default_command_and_has_help() -> None:
    from faqbot.cli import chat_command

    assert chat_command.NAME == "chat"
    assert chat_command.HELP
    status, _, _ = run_piped("", "chat", "--help")
    assert status == 0


def test_importing_the_chat_command_does_not_import_prompt_toolkit() -> None:
    code = (
        "import sys, faqbot.cli.main as m; m.build_parser(); print('prompt_toolkit' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_piped_chat_does_not_import_prompt_toolkit() -> None:
    code = (
        "import io, sys\n"
        "from faqbot.cli.environment import Environment\n"
        "from faqbot.cli.main import main\n"
        "lines = io.StringIO('do we have to get naked\\n1\\n')\n"
        "env = Environment(stdin=lines, stdout=io.StringIO())\n"
        "main([], env=env)\n"
        "print('prompt_toolkit' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
