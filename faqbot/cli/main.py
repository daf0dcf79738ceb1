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
COMMANDS = ("chat", "ask", "check", "eval", "report", "serve", "widget")
DEFAULT_COMMAND = "chat"


def command_modules():
    """The command modules that exist, by name."""
    modules = {}
    for name in COMMANDS:
        try:
            modules[name] = importlib.import_module(f"faqbot.cli.{name}_command")
        except ModuleNotFoundError as error:
            if error.name != f"faqbot.cli.{name}_command":
                raise
    return modules


def build_parser() -> argparse.ArgumentParser:
    """The full parser, one sub-command per module."""
    parser = argparse.ArgumentParser(
        prog="faqbot",
        description="An offline FAQ assistant for a sex-therapy practice. "
        "Run without a command to chat.",
    )
    parser.add_argument("--version", action="version", version=f"faqbot {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in command_modules().items():
        sub = commands.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Entry point of the `faqbot` console script; returns the exit status."""
    env = env or Environment()
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not arguments or arguments[0].startswith("--kb") or arguments[0] in ("--history",):
        if DEFAULT_COMMAND in command_modules():
            arguments.insert(0, DEFAULT_COMMAND)
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
