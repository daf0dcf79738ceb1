"""Run an evaluation set through the bot and measure what matters to visitors.

Each case of an evaluation set (`faqbot/eval_set.py`) is asked on its own, a
follow-up right after the answer it follows.  The same `Bot.reply` every front
end uses is measured, nothing else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from faqbot.bot import Bot, Context
from faqbot.eval_set import SECTIONS, Case, EvalSet
from faqbot.reply import Kind, Reply


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the bot did with one case, and whether that was right."""

    case: Case
    reply: Reply

    @property
    def passed(self) -> bool:
        """Right kind, right entry, and none of the forbidden ones."""
        reply, case = self.reply, self.case
        if reply.id is not None and reply.id in case.forbidden:
            return False
        if case.section == "crisis":
            return reply.kind is Kind.CRISIS
        if case.section == "concern":
            # Deserves a safety line with the resources: a check-in, or the crisis reply.
            return reply.kind is Kind.CRISIS or bool(reply.checkin)
        if case.section == "out_of_scope" or (case.section == "follow_ups" and not case.expect):
            return reply.kind is Kind.FALLBACK
        if case.section == "not_crisis" and case.expect is None:
            return reply.kind is not Kind.CRISIS
        return reply.kind is Kind.ANSWER and reply.id == case.expect

    @property
    def clarified(self) -> bool:
        """A clarify reply that offers the expected entry among its options."""
        return self.reply.kind is Kind.CLARIFY and any(
            option.id == self.case.expect for option in self.reply.options
        )

    @property
    def got(self) -> str:
        """A short label for what the bot did: an entry id or the reply kind."""
        return self.reply.id or str(self.reply.kind)


@dataclass(frozen=True, slots=True)
class EvalResult:
    """All outcomes, with the rates the README and the tests quote."""

    outcomes: tuple[Outcome, ...]
    by_section: dict[str, tuple[Outcome, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        grouped = {
            name: tuple(o for o in self.outcomes if o.case.section == name) for name in SECTIONS
        }
        object.__setattr__(self, "by_section", grouped)

    def rate(self, section: str, test: Callable[[Outcome], bool]) -> float:
        """Share of a section's outcomes for which `test` holds (1.0 for an empty section)."""
        outcomes = self.by_section[section]
        return sum(map(test, outcomes)) / len(outcomes) if outcomes else 1.0

    @property
    def top1(self) -> float:
        """In-scope questions answered straight away with the right entry."""
        return self.rate("in_scope", lambda o: o.passed)

    @property
    def clarify_resolved(self) -> float:
        """In-scope questions that got a clarify offering the right entry."""
        return self.rate("in_scope", lambda o: o.clarified)

    @property
    def fallback_rate(self) -> float:
        """Out-of-scope questions that fell back to the referral."""
        return self.rate("out_of_scope", lambda o: o.passed)

    @property
    def follow_up_rate(self) -> float:
        """Follow-ups that got the entry, or the fallback, they must get."""
        return self.rate("follow_ups", lambda o: o.passed)

    @property
    def crisis_recall(self) -> float:
        """Crisis messages that raised the safety layer."""
        return self.rate("crisis", lambda o: o.passed)

    @property
    def false_alarms(self) -> int:
        """Harmless messages (not crisis, not concern) that got the crisis reply."""
        return sum(
            1
            for o in self.outcomes
            if o.case.section not in ("crisis", "concern") and o.reply.kind is Kind.CRISIS
        )

    @property
    def forbidden_hits(self) -> int:
        """Answers with an id the case says must never be given."""
        return sum(1 for o in self.outcomes if o.reply.id in o.case.forbidden)

    @property
    def misses(self) -> tuple[Outcome, ...]:
        """Every outcome that did not pass, in file order."""
        return tuple(o for o in self.outcomes if not o.passed)

    def confused_pairs(self, limit: int = 10) -> list[tuple[tuple[str, str], int]]:
        """(expected, got) pairs among in-scope misses, most frequent first."""
        pairs = Counter(
            (o.case.expect or "", o.got)
            for o in self.by_section["in_scope"]
            if not o.passed and not o.clarified
        )
        return pairs.most_common(limit)


def evaluate(bot: Bot, eval_set: EvalSet | Iterable[Case]) -> EvalResult:
    """Ask the bot every case's question (each on its own; a follow-up after its answer)."""
    cases = eval_set.cases if isinstance(eval_set, EvalSet) else tuple(eval_set)
    return EvalResult(tuple(Outcome(case, _asked(bot, case)) for case in cases))


def _asked(bot: Bot, case: Case) -> Reply:
    return bot.reply(case.question, Context(previous_id=case.previous) if case.previous else None)
