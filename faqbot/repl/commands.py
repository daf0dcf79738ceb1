"""The slash commands: one registry, from which `/help` and command completion are generated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from faqbot.render.text import Fragments
from faqbot.reply import Choice, Kind

if TYPE_CHECKING:
    from faqbot.model import Practice
    from faqbot.repl.loop import Shell


class Outcome(Enum):
    """What the loop does after a line."""

    CONTINUE = "continue"
    QUIT = "quit"


Handler = Callable[["Shell", str], Outcome]


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command: its name and what it does (its help line is `repl_help_<name>`)."""

    name: str
    handler: Handler
    aliases: tuple[str, ...] = ()

    def summary(self, practice: Practice) -> str:
        """The one line of help, in the knowledge base's words."""
        return practice.message(f"repl_help_{self.name}")


COMMANDS: dict[str, Command] = {}


def command(name: str, aliases: tuple[str, ...] = ()) -> Callable[[Handler], Handler]:
    """Register a handler as `/name` (and its aliases)."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(name, handler, aliases)
        return handler

    return register


def find_command(word: str) -> Command | None:
    """The command `/word` names, by name or alias (case-insensitive)."""
    word = word.lower().lstrip("/")
    return next((c for c in COMMANDS.values() if word == c.name or word in c.aliases), None)


def run_command(shell: Shell, line: str) -> Outcome:
    """Run a `/command argument` line."""
    word, _, argument = line.strip().partition(" ")
    found = find_command(word)
    if found is None:
        shell.printer.note(shell.message("repl_no_command", command=word))
        return Outcome.CONTINUE
    return found.handler(shell, argument.strip())


def help_lines(practice: Practice) -> list[str]:
    """One line per command, aligned: the text of `/help`."""
    names = {c.name: "/" + ", /".join((c.name, *c.aliases)) for c in COMMANDS.values()}
    column = max(map(len, names.values()))
    return [f"  {names[c.name]:<{column}}  {c.summary(practice)}" for c in COMMANDS.values()]


@command("help", aliases=("?",))
def show_help(shell: Shell, argument: str) -> Outcome:
    """List the commands and the keys."""
    practice = shell.conversation.bot.knowledge.practice
    hints = [practice.message(f"repl_hint_{name}") for name in KEY_HINTS]
    lines = [practice.message("repl_commands"), *help_lines(practice), "", *hints]
    shell.printer.block([("", "\n".join(lines))])
    return Outcome.CONTINUE


# The hints under /help: messages `repl_hint_<name>`.
KEY_HINTS = ("ask", "tab", "keys")


@command("topics")
def show_topics(shell: Shell, argument: str) -> Outcome:
    """Print the questions grouped by topic, numbered through so a number picks one."""
    everything: list[Choice] = []
    fragments: Fragments = []
    for topic, choices in shell.conversation.bot.topics().items():
        numbered = shell.printer.numbered(choices, start=len(everything) + 1)
        fragments += [("class:heading", topic), ("", "\n"), *numbered, ("", "\n\n")]
        everything.extend(choices)
    shell.conversation.offer(tuple(everything))
    shell.printer.paged([*fragments, ("class:note", shell.message("repl_topics_hint"))])
    return Outcome.CONTINUE


@command("why")
def show_why(shell: Shell, argument: str) -> Outcome:
    """Explain the last reply: the candidates and their scores, or the choice picked."""
    from faqbot.render.explain import explanation_text

    turn = shell.conversation.last
    if turn is None:
        shell.printer.note(shell.message("repl_why_nothing"))
    elif turn.explanation is None:
        picked = turn.picked.question if turn.picked else turn.text
        note = shell.message("repl_why_picked", question=picked, id=turn.reply.id or "")
        shell.printer.note(note)
    else:
        from faqbot.wrapping import wrap_lines

        width = shell.printer.width
        table = wrap_lines(explanation_text(turn.explanation, width=width), width)
        shell.printer.block([("class:note", table)])
    return Outcome.CONTINUE


@command("clear")
def clear(shell: Shell, argument: str) -> Outcome:
    """Forget the conversation and clear the screen."""
    shell.conversation.reset()
    shell.clear_screen()
    shell.printer.welcome(shell.conversation.bot, stored=shell.log is not None)
    return Outcome.CONTINUE


@command("helpful")
def helpful(shell: Shell, argument: str) -> Outcome:
    """Rate the last answer as helpful."""
    return _rate(shell, helpful=True)


@command("unhelpful")
def unhelpful(shell: Shell, argument: str) -> Outcome:
    """Rate the last answer as not helpful."""
    return _rate(shell, helpful=False)


def _rate(shell: Shell, helpful: bool) -> Outcome:
    turn = shell.conversation.last
    if turn is None or turn.reply.kind is not Kind.ANSWER or turn.reply.id is None:
        shell.printer.note(shell.message("repl_rate_nothing"))
        return Outcome.CONTINUE
    if shell.log is None:
        shell.printer.note(shell.message("repl_rate_not_kept"))
        return Outcome.CONTINUE
    try:
        shell.log.rate(turn.reply.id, helpful)
    except Exception as error:  # an optional log must never end a visitor's conversation
        shell.printer.note(shell.message("repl_rate_failed", error=str(error)))
    else:
        shell.printer.note(shell.message("repl_rate_thanks"))
    return Outcome.CONTINUE


@command("quit", aliases=("exit", "q"))
def quit_(shell: Shell, argument: str) -> Outcome:
    """Leave the conversation."""
    return Outcome.QUIT
