"""Ask one question (or many, one per line on standard input) and print the reply.

faqbot ask "do I have to get naked?"
faqbot ask --json "how much does it cost"
faqbot ask --json - < questions.txt     (one JSON object per line, in order)
faqbot ask --explain "can I come alone"  (candidates, scores, matched paraphrases)
"""

from __future__ import annotations

import argparse
import shutil

from faqbot.cli.common import add_kb_option, load_bot
from faqbot.cli.environment import Environment, ExitStatus

NAME = "ask"
HELP = "answer one question and exit (use - to read questions from standard input)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `faqbot ask`."""
    parser.add_argument("question", nargs="*", help="the question, or - to read lines from stdin")
    parser.add_argument("--json", action="store_true", help="print the Reply as JSON")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="show the top candidates, their scores and the paraphrase matched",
    )
    add_kb_option(parser)


def run(args: argparse.Namespace, env: Environment) -> int:
    """Answer the question(s) given."""
    if not " ".join(args.question).strip():
        env.err(
            'faqbot ask: give a question, e.g. faqbot ask "is there homework?", '
            "or - to read questions from standard input"
        )
        return ExitStatus.USAGE
    bot = load_bot(args, env)
    if bot is None:
        return ExitStatus.KNOWLEDGE_ERROR
    reading_stdin = args.question == ["-"]
    questions = env.input_lines() if reading_stdin else iter([" ".join(args.question)])
    for question in questions:
        _answer_one(bot, question, args, env)
    return ExitStatus.OK


def _answer_one(bot, question: str, args: argparse.Namespace, env: Environment) -> None:
    from faqbot.render.text import reply_text

    width = min(shutil.get_terminal_size((80, 24)).columns, 100)
    if args.explain:
        from faqbot.render.explain import explanation_text
        from faqbot.wrapping import wrap_lines

        text = explanation_text(bot.explain(question), json_output=args.json, width=width)
        env.out(text if args.json else wrap_lines(text, width))
    elif args.json:
        env.out(bot.reply(question).to_json())
    else:
        env.out(reply_text(bot.reply(question), width, bot.headings()))
