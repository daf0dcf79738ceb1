"""Turn the unanswered-question log into a to-do list for the next knowledge-base edit.

Similar questions are grouped (rapidfuzz over the bot's own normalized tokens,
so "cost" and "price" or "naked" and "nudity" already meet), biggest groups
first, each with a few sample questions and the existing entry that came
closest.  Ratings are summarised per entry, least helpful first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process

from faqbot.bot import Bot
from faqbot.model import Settings
from faqbot.unanswered import RatingSummary, UnansweredLog, UnansweredQuestion

GROUP_SIMILARITY = Settings().group_similarity  # when no knowledge base says otherwise


@dataclass(frozen=True, slots=True)
class ClosestEntry:
    """The existing entry retrieval ranked first for a group's most typical question."""

    id: str
    question: str
    score: float


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """Questions that ask roughly the same thing, most frequent wording first."""

    questions: tuple[str, ...]
    count: int
    kinds: dict[str, int]
    closest: ClosestEntry | None

    def sample(self, size: int) -> tuple[str, ...]:
        """Up to `size` different wordings of this group's question."""
        return self.questions[:size]


@dataclass(frozen=True, slots=True)
class UnansweredReport:
    """Everything `faqbot report` shows."""

    since: date | None
    total: int
    groups: tuple[QuestionGroup, ...]
    ratings: tuple[RatingSummary, ...]

    @property
    def least_helpful(self) -> tuple[RatingSummary, ...]:
        """Entries with at least one 'not helpful', least helpful share first."""
        return tuple(r for r in self.ratings if r.not_helpful)


def build_report(
    log: UnansweredLog, bot: Bot, since: date | None = None, similarity: float | None = None
) -> UnansweredReport:
    """Read the log and group what it holds (similarity: settings.yaml's `group_similarity`)."""
    if similarity is None:
        similarity = bot.knowledge.settings.group_similarity
    rows = log.questions(since)
    groups = tuple(
        _describe(g, rows, bot)
        for g in group_questions([row.question for row in rows], bot, similarity)
    )
    return UnansweredReport(since, len(rows), groups, tuple(log.ratings(since)))


def group_questions(
    questions: list[str], bot: Bot, similarity: float = GROUP_SIMILARITY
) -> list[list[str]]:
    """Cluster questions (with repeats) by similarity; biggest group first, then first seen."""
    counts = Counter(questions)
    keys = {question: comparison_key(question, bot) for question in counts}
    groups: list[list[str]] = []  # distinct comparison keys of each group
    members: dict[str, list[str]] = {}  # comparison key -> questions with it
    for question, _ in counts.most_common():
        key = keys[question]
        if key not in members:
            _place(key, groups, similarity)
        members.setdefault(key, []).append(question)
    expanded = [
        [q for key in group for q in members[key] for _ in range(counts[q])] for group in groups
    ]
    return sorted(expanded, key=len, reverse=True)  # stable: ties keep first-seen order


def _place(key: str, groups: list[list[str]], similarity: float) -> None:
    """Add `key` to the group it resembles most *on average*, or start a new group.

    Average rather than nearest member: with the nearest one, chains form
    ("iphone" ~ "phone number" ~ "phone sex" ...) and unrelated questions end
    up together.
    """
    best, best_score = None, similarity
    for group in _candidate_groups(key, groups, similarity):
        sample = group[:20]
        score = sum(question_similarity(key, other) for other in sample) / len(sample)
        if score >= best_score:
            best, best_score = group, score
    if best is None:
        groups.append([key])
    else:
        best.append(key)


def _candidate_groups(key: str, groups: list[list[str]], similarity: float):
    """Groups with at least one member that could be `similarity` alike (a cheap native test)."""
    for group in groups:
        # token_set_ratio >= question_similarity always, so this only drops true non-matches.
        if process.extractOne(
            key, group[:20], scorer=fuzz.token_set_ratio, score_cutoff=similarity
        ):
            yield group


def question_similarity(first: str, second: str, **_: object) -> float:
    """0-100; word order does not matter, and a question contained in another counts half.

    `token_set_ratio` alone calls "park" and "park situation" identical (good) but
    also "sex" and every question mentioning sex (bad); averaging it with
    `token_sort_ratio` keeps the first and rejects the second.
    """
    return (fuzz.token_sort_ratio(first, second) + fuzz.token_set_ratio(first, second)) / 2


def comparison_key(question: str, bot: Bot) -> str:
    """What grouping compares: the bot's normalized tokens (stems, synonyms, no stop words)."""
    tokens = bot.normalizer.tokens(question)
    return " ".join(tokens) if tokens else " ".join(question.lower().split())


def _describe(group: list[str], rows: list[UnansweredQuestion], bot: Bot) -> QuestionGroup:
    wordings = tuple(q for q, _ in Counter(group).most_common())
    members = set(wordings)
    kinds = Counter(row.kind for row in rows if row.question in members)
    return QuestionGroup(wordings, len(group), dict(kinds), closest_entry(wordings[0], bot))


def closest_entry(question: str, bot: Bot) -> ClosestEntry | None:
    """The entry the bot ranks first for `question`, whatever its score."""
    candidates = bot.explain(question, limit=1).candidates
    if not candidates:
        return None
    best = candidates[0]
    return ClosestEntry(best.entry.id, best.entry.question, round(best.score, 1))
