"""The slash commands: one registry, from which `/help` and command completion are generated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from faqbot.cli.render import Fragments
from faqbot.reply import Choice, Kind

if TYPE_CHECKING:
    from faqbot.repl.loop import Shell


class Outcome(Enum):
    """What the loop does after a line."""

    CONTINUE = "continue"
    QUIT = "quit"


Handler = Callable[["Shell", str], Outcome]


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command: its name, one line of help, and what it does."""

    name: str
    summary: str
    handler: Handler
    aliases: tuple[str, ...] = ()


COMMANDS: dict[str, Command] = {}


def command(name: str, summary: str, aliases: tuple[str, ...] = ()) -> Callable[[Handler], Handler]:
    """Register a handler as `/name` (and its aliases)."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(name, summary, handler, aliases)
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
        shell.printer.note(f"There is no command {word}. Type /help to see the commands.")
        return Outcome.CONTINUE
    return found.handler(shell, argument.strip())


def help_lines() -> list[str]:
    """One line per command, aligned: the text of `/help`."""
    names = {c.name: "/" + ", /".join((c.name, *c.aliases)) for c in COMMANDS.values()}
    column = max(map(len, names.values()))
    return [f"  {names[c.name]:<{column}}  {c.summary}" for c in COMMANDS.values()]


@command("help", "show this list", aliases=("?",))
def show_help(shell: Shell, argument: str) -> Outcome:
    """List the commands and the keys."""
    lines = ["Commands:", *help_lines(), "", *KEY_HINTS]
    shell.printer.block([("", "\n".join(lines))])
    return Outcome.CONTINUE


KEY_HINTS = [
    "Type a question in your own words, or the number of a choice on screen.",
    "Tab shows matching questions; → accepts the grey suggestion.",
    "Ctrl-C clears the line (on an empty line it leaves); Ctrl-D leaves.",
]


@command("topics", "list every question I can answer, by topic")
def show_topics(shell: Shell, argument: str) -> Outcome:
    """Print the questions grouped by topic, numbered through so a number picks one."""
    everything: list[Choice] = []
    fragments: Fragments = []
    for topic, choices in shell.conversation.bot.topics().items():
        numbered = shell.printer.numbered(choices, start=len(everything) + 1)
        fragments += [("class:heading", topic), ("", "\n"), *numbered, ("", "\n\n")]
        everything.extend(choices)
    shell.conversation.offer(tuple(everything))
    shell.printer.paged([*fragments, ("class:note", "Type a number to read that answer.")])
    return Outcome.CONTINUE


@command("why", "show the candidates and scores behind the last reply")
def show_why(shell: Shell, argument: str) -> Outcome:
    """Explain the last reply: the candidates and their scores, or the choice picked."""
    from faqbot.cli.explain import explanation_text

    turn = shell.conversation.last
    if turn is None:
        shell.printer.note("Nothing to explain yet: ask a question first.")
    elif turn.explanation is None:
        picked = turn.picked.question if turn.picked else turn.text
        shell.printer.note(
            f"You picked “{picked}” by number, so it was answered directly "
            f"(entry {turn.reply.id}); no matching was involved."
        )
    else:
        from faqbot.wrapping import wrap_lines

        table = wrap_lines(explanation_text(turn.explanation), shell.printer.width)
        shell.printer.block([("class:note", table)])
    return Outcome.CONTINUE


@command("clear", "clear the screen and start the conversation over")
def clear(shell: Shell, argument: str) -> Outcome:
    """Forget the conversation and clear the screen."""
    shell.conversation.reset()
    shell.clear_screen()
    shell.printer.welcome(shell.conversation.bot)
    return Outcome.CONTINUE


@command("helpful", "tell the practice the last answer helped")
def helpful(shell: Shell, argument: str) -> Outcome:
    """Rate the last answer as helpful."""
    return _rate(shell, helpful=True)


@command("unhelpful", "tell the practice the last answer did not help")
def unhelpful(shell: Shell, argument: str) -> Outcome:
    """Rate the last answer as not helpful."""
    return _rate(shell, helpful=False)


def _rate(shell: Shell, helpful: bool) -> Outcome:
    turn = shell.conversation.last
    if turn is None or turn.reply.kind is not Kind.ANSWER or turn.reply.id is None:
        shell.printer.note("There is no answer to rate yet.")
        return Outcome.CONTINUE
    if shell.log is None:
        shell.printer.note(
            "Thank you. (Ratings are kept only when faqbot runs with --log-unanswered.)"
        )
        return Outcome.CONTINUE
    try:
        shell.log.rate(turn.reply.id, helpful)
    except Exception as error:  # an optional log must never end a visitor's conversation
        shell.printer.note(f"(Could not keep the rating: {error})")
    else:
        shell.printer.note("Thank you — noted.")
    return Outcome.CONTINUE


@command("quit", "leave (Ctrl-D does the same)", aliases=("exit", "q"))
def quit_(shell: Shell, argument: str) -> Outcome:
    """Leave the conversation."""
    return Outcome.QUIT
