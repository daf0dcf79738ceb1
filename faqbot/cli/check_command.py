"""Validate the knowledge base; list every problem as `file:line: message`.

Exits 0 when the knowledge base is sound, 3 when it has errors.
"""

from __future__ import annotations

import argparse

from faqbot.cli.common import add_kb_option, load_bot
from faqbot.cli.environment import Environment, ExitStatus

NAME = "check"
HELP = "validate the knowledge base and list every problem as file:line: message"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `faqbot check`."""
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also warn about overdue reviews, long answers, few paraphrases, "
        "entries no evaluation question covers and self-synonyms",
    )
    parser.add_argument(
        "--eval",
        action="append",
        metavar="FILE",
        default=None,
        help="evaluation set(s) for --strict coverage (default: tests/eval/*.yaml)",
    )
    add_kb_option(parser)


def run(args: argparse.Namespace, env: Environment) -> int:
    """Load, then look deeper; print problems and a one-line summary."""
    from faqbot.check import find_problems

    bot = load_bot(args, env)
    if bot is None:
        return ExitStatus.KNOWLEDGE_ERROR
    problems = find_problems(bot)
    if args.strict:
        problems += _strict_warnings(bot, args)
    for problem in problems:
        env.err(str(problem))
    errors = sum(1 for p in problems if p.severity == "error")
    knowledge = bot.knowledge
    phrasings = sum(len(e.phrasings) for e in knowledge.entries)
    summary = (
        f"{len(knowledge.entries)} entries, {phrasings} questions and paraphrases, "
        f"{len(knowledge.topics)} topics in {knowledge.root}"
    )
    if errors:
        env.err(f"{errors} problem(s) found ({summary}).")
        return ExitStatus.KNOWLEDGE_ERROR
    env.out(f"OK: {summary}.")
    return ExitStatus.OK


def _strict_warnings(bot, args: argparse.Namespace) -> list:
    from pathlib import Path

    from faqbot.review import default_eval_files, review_warnings

    files = [Path(f) for f in args.eval] if args.eval else default_eval_files(bot.knowledge.root)
    return review_warnings(bot, files)
