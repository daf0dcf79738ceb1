"""What each retrieval signal measures: a function from a `Match` to a value from 0 to 1.

A phrasing-level signal compares the question with one phrasing; an entry-level
one compares it with the entry as a whole.  `faqbot.retrieval.SIGNALS` names
them, says which level each is at, and the settings weigh them.
"""

from __future__ import annotations

from typing import NamedTuple

from rapidfuzz import fuzz

from faqbot.model import Entry
from faqbot.retrieval_index import PhrasingIndex, Query
from faqbot.semantic import COSINE_DECIMALS


class Match(NamedTuple):
    """A question beside one phrasing of an entry: what every signal function reads."""

    index: PhrasingIndex
    query: Query
    position: int
    # Summed rarity of the words the question and the phrasing share.
    shared: float

    @property
    def entry(self) -> Entry:
        """The entry the phrasing belongs to."""
        return self.index.owner(self.position)


def ratio(match: Match) -> float:
    """rapidfuzz's ratio of the two token lists, sorted (token_sort_ratio)."""
    return fuzz.ratio(match.query.sorted, match.index.sorted_tokens(match.position)) / 100


def wording(match: Match) -> float:
    """rapidfuzz's ratio of the question as typed and the phrasing, small words and all.

    Normalizing drops words that still tell two phrasings apart: "what is a sex
    therapist" and "should we see a sex therapist" share every token.
    """
    return fuzz.ratio(match.query.typed, match.index.typed(match.position)) / 100


def coverage(match: Match) -> float:
    """How much of the question's meaning (idf-weighted tokens) the phrasing has."""
    return match.shared / match.query.weight if match.query.weight else 0.0


def precision(match: Match) -> float:
    """How much of the phrasing's meaning the question has."""
    meaning = match.index.meaning(match.position)
    return match.shared / meaning if meaning else 0.0


def entry_coverage(match: Match) -> float:
    """How much of the question's meaning any phrasing of the entry has.

    Long questions mix words from several ways of asking the same thing.
    """
    return match.index.covered(match.query, match.entry.id)


def answer_coverage(match: Match) -> float:
    """The same over the entry's phrasings and its answer."""
    return match.index.covered(match.query, match.entry.id, with_answer=True)


def semantic(match: Match) -> float:
    """The cosine of the question's and the phrasing's sentence embeddings (0 if below)."""
    cosines = match.query.cosines
    return max(0.0, float(cosines[match.position])) if cosines is not None else 0.0


def entry_semantic(match: Match) -> float:
    """The mean cosine of the question to the entry's few closest phrasings (0 if below).

    A vote of the nearest ways of asking: with many paraphrases per entry, one stray
    paraphrase near the question says less than several.  Rounded as the cosines are,
    so entries written alike tie exactly.
    """
    closeness = match.query.closeness.get(match.entry.id, 0.0)
    return max(0.0, round(closeness, COSINE_DECIMALS))


def entry_words(match: Match) -> float:
    """The word model's probability for the entry (`faqbot.entry_words`; 0 untrained)."""
    return match.query.words.get(match.entry.id, 0.0)


def scope(match: Match) -> float:
    """How much nearer in meaning the question is to all the phrasings than to what the
    knowledge base marks out of scope (the same for every entry: it moves the bar)."""
    return match.query.scope
