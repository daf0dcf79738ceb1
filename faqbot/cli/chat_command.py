"""Talk with faqbot in the terminal (the default when `faqbot` is run with no command).

  faqbot                         (same as `faqbot chat`)
  faqbot chat --history ~/.faqbot_history
  echo "do I have to get naked?" | faqbot chat     (plain answers, one per line read)

Type a question in your own words, or the number of a suggestion to follow it.
/help lists the commands (/topics, /why, /clear, /helpful, /unhelpful, /quit);
Ctrl-D leaves.  Nothing you type is kept unless --history or --log-unanswered
is given.
"""

from __future__ import annotations

import argparse

from faqbot.cli.common import add_kb_option, load_bot
from faqbot.cli.environment import Environment, ExitStatus

NAME = "chat"
HELP = "talk with faqbot in the terminal (the default command)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `faqbot chat`."""
    parser.add_argument(
        "--history",
        metavar="FILE",
        default=None,
        help="keep what you type in FILE for the up arrow "
        "(default: in memory only, forgotten on exit)",
    )
    parser.add_argument(
        "--log-unanswered",
        metavar="PATH",
        default=None,
        help="store questions faqbot could not answer (redacted) and "
        "/helpful, /unhelpful ratings in PATH (default: store nothing)",
    )
    add_kb_option(parser)


def run(args: argparse.Namespace, env: Environment) -> int:
    """A conversation on a terminal; plain answers, line by line, otherwise."""
    bot = load_bot(args, env)
    if bot is None:
        return ExitStatus.KNOWLEDGE_ERROR
    log = _open_log(args.log_unanswered, env)
    if log is False:
        return ExitStatus.ERROR
    if env.stdin_isatty and env.stdout_isatty:
        from faqbot.repl.app import run_terminal

        return run_terminal(bot, args.history, log, env.colors)
    from faqbot.repl.app import run_piped

    return run_piped(bot, env.input_lines(), env.stdout, log)


def _open_log(path: str | None, env: Environment):
    """The unanswered-question log, None when not asked for, False after printing why it failed."""
    if path is None:
        return None
    from faqbot.unanswered import UnansweredLog, UnansweredLogError

    try:
        return UnansweredLog(path)
    except (UnansweredLogError, OSError) as error:
        env.err(f"faqbot: cannot open the log {path}: {error}")
        return False
