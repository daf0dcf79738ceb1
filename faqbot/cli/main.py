"""`faqbot`: parse the command line and hand over to one command module.

Each command lives in its own module with `NAME`, `HELP`, `add_arguments` and
`run`; modules import heavy libraries (prompt-toolkit, FastAPI) only inside
`run`, so `faqbot ask` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from faqbot import __version__
from faqbot.cli.environment import Environment, ExitStatus

# Module names under faqbot.cli, in the order `faqbot --help` lists them.
COMMANDS = ("chat", "ask", "init", "check", "eval", "tune", "report", "serve", "widget")
DEFAULT_COMMAND = "chat"
TOP_LEVEL_FLAGS = ("-h", "--help", "--version")


def command_modules(names: Sequence[str] = COMMANDS):
    """The command modules that exist, by name (all of them, or those in `names`)."""
    modules = {}
    for name in names:
        try:
            modules[name] = importlib.import_module(f"faqbot.cli.{name}_command")
        except ModuleNotFoundError as error:
            if error.name != f"faqbot.cli.{name}_command":
                raise
    return modules


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser, one sub-command per module; with `command`, that sub-command only.

    Importing and describing every command costs more start-up time than
    answering a question, so `main` builds just the one it was asked to run.
    """
    parser = argparse.ArgumentParser(
        prog="faqbot",
        description="An offline FAQ assistant for a sex-therapy practice. "
        "Run without a command to chat.",
    )
    parser.add_argument("--version", action="version", version=f"faqbot {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = command_modules((command,)) if command in COMMANDS else {}
    for name, module in (modules or command_modules()).items():
        sub = commands.add_parser(
            name,
            help=module.HELP,
            description=module.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def _opens_chat(arguments: list[str]) -> bool:
    """`faqbot` alone, or with only chat's options (`faqbot --kb DIR`), opens the chat."""
    if not arguments:
        return True
    return arguments[0].startswith("-") and arguments[0] not in TOP_LEVEL_FLAGS


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Entry point of the `faqbot` console script; returns the exit status."""
    env = env or Environment()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if _opens_chat(arguments) and command_modules((DEFAULT_COMMAND,)):
        arguments.insert(0, DEFAULT_COMMAND)
    parser = build_parser(arguments[0] if arguments else None)
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if not getattr(args, "run", None):
        parser.print_help(env.stdout)
        return ExitStatus.USAGE
    try:
        return int(args.run(args, env))
    except KeyboardInterrupt:
        env.err("Interrupted.")
        return 130
    except BrokenPipeError:
        return ExitStatus.OK
