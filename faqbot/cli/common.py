"""Options and steps several commands share: choosing and loading the knowledge base."""

from __future__ import annotations

import argparse

from faqbot.cli.environment import Environment, ExitStatus
from faqbot.errors import KnowledgeError


def add_kb_option(parser: argparse.ArgumentParser) -> None:
    """`--kb DIR`: which knowledge base to use (default: $FAQBOT_KB, else the bundled one)."""
    parser.add_argument(
        "--kb",
        metavar="DIR",
        default=None,
        help="knowledge base folder (default: $FAQBOT_KB, else the bundled one)",
    )


def load_bot(args: argparse.Namespace, env: Environment):
    """The bot for `--kb`, or None after printing every problem as `file:line: message`."""
    from faqbot.bot import Bot

    notice = bundled_notice(args.kb, env)
    if notice:
        env.err(notice)
    try:
        return Bot.load(args.kb, cache=True)
    except KnowledgeError as error:
        env.err("The knowledge base has problems:")
        for problem in error.problems:
            env.err(f"  {problem}")
        return None


def read_eval_set(path: str, env: Environment):
    """The evaluation set at `path`, or None after printing its problems as file:line."""
    from faqbot.eval_set import load_eval_set

    try:
        return load_eval_set(path)
    except (KnowledgeError, OSError) as error:
        problems = getattr(error, "problems", None)
        lines = "\n  ".join(str(p) for p in problems) if problems else str(error)
        env.err(f"The evaluation set cannot be used:\n  {lines}")
        return None


def bundled_notice(kb: str | None, env: Environment) -> str | None:
    """A warning when the bundled knowledge base is read although ./knowledge exists.

    After `pip install`, edits to a `knowledge/` folder in the working directory are
    not what a command reads: say so before anything else, and how to read that folder.
    """
    from pathlib import Path

    from faqbot.paths import ENV_VARIABLE, bundled_knowledge_dir

    if kb or env.environ.get(ENV_VARIABLE):
        return None
    here = Path.cwd() / "knowledge"
    bundled = bundled_knowledge_dir()
    if not here.is_dir() or here.resolve() == bundled.resolve():
        return None
    return (
        f"faqbot: reading the bundled knowledge base ({bundled}), not ./knowledge; "
        f"to use that folder, add --kb knowledge or set {ENV_VARIABLE}=knowledge."
    )


def eval_set_and_bot(args: argparse.Namespace, env: Environment):
    """(`args.file`'s evaluation set, the bot for `--kb`), or the exit status after printing
    their problems: `eval` and `tune` read both the same way."""
    eval_set = read_eval_set(args.file, env)
    if eval_set is None:
        return ExitStatus.ERROR
    bot = load_bot(args, env)
    if bot is None:
        return ExitStatus.KNOWLEDGE_ERROR
    return eval_set, bot
