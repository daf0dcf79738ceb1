"""The state of one conversation: the last turn, the numbered choices on screen, the context.

Nothing here is written anywhere: a conversation lives in memory and is gone
when the REPL ends (or on `/clear`).
"""

from __future__ import annotations

from dataclasses import dataclass

from faqbot.bot import Bot, Context, Explanation
from faqbot.reply import Choice, Reply


@dataclass(frozen=True, slots=True)
class Turn:
    """One thing the visitor typed and what the bot replied."""

    text: str
    reply: Reply
    # The evidence behind the reply; None when a numbered choice was picked.
    explanation: Explanation | None = None
    picked: Choice | None = None


class Conversation:
    """Turns visitor lines into replies, remembering what a follow-up needs."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.turns: list[Turn] = []
        self.choices: tuple[Choice, ...] = ()
        self.previous_id: str | None = None
        self.reset()

    def reset(self) -> None:
        """Forget everything; offer the opening suggestions again."""
        self.turns = []
        self.choices = self.bot.suggestions()
        self.previous_id = None

    @property
    def last(self) -> Turn | None:
        """The most recent turn, if any."""
        return self.turns[-1] if self.turns else None

    def context(self) -> Context:
        """What the next question is asked in the light of."""
        return Context(previous_id=self.previous_id)

    def choice_for(self, text: str) -> Choice | None:
        """The on-screen choice a typed number picks (None for anything else)."""
        text = text.strip()
        if not (text.isascii() and text.isdigit()):
            return None
        number = int(text)
        return self.choices[number - 1] if 1 <= number <= len(self.choices) else None

    def ask(self, text: str) -> Turn:
        """Reply to a line: a number picks a choice, anything else is a question."""
        choice = self.choice_for(text)
        turn = self._pick(text, choice) if choice else self._question(text)
        self._remember(turn)
        return turn

    def offer(self, choices: tuple[Choice, ...]) -> None:
        """Put a numbered list on screen (e.g. `/topics`) so its numbers can be typed."""
        self.choices = choices

    def _question(self, text: str) -> Turn:
        explanation = self.bot.explain(text, self.context(), limit=5)
        return Turn(text, explanation.reply, explanation)

    def _pick(self, text: str, choice: Choice) -> Turn:
        return Turn(text, self.bot.reply_for_id(choice.id), picked=choice)

    def _remember(self, turn: Turn) -> None:
        self.turns.append(turn)
        self.choices = turn.reply.options or turn.reply.related
        # A clarify or fallback has no id; the last answered topic stays the context.
        self.previous_id = turn.reply.id or self.previous_id
