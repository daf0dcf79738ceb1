"""Retrieval on tiny indexes: what decides the order when normalized words are not enough."""

from __future__ import annotations

from pathlib import Path

import pytest

from faqbot.decide import decide
from faqbot.model import Entry, Settings
from faqbot.normalize import Normalizer
from faqbot.reply import Kind
from faqbot.retrieval import Candidate, RetrievalIndex, _tie_broken


def _entry(entry_id: str, question: str) -> Entry:
    return Entry(entry_id, question, (), "An answer.", (), (), "Topic", Path("t.yaml"), 1)


@pytest.fixture
def lookalikes() -> RetrievalIndex:
    """Two questions that normalize to the same words ("sex", "therapist")."""
    entries = [
        _entry("a-what-is-it", "What is a sex therapist?"),
        _entry("b-should-we", "Should we have a sex therapist?"),
    ]
    normalizer = Normalizer({})
    normalizer.learn(entry.question for entry in entries)
    return RetrievalIndex(entries, normalizer, Settings())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("what is a sex therapist", "a-what-is-it"),
        ("so what is a sex therapist", "a-what-is-it"),
        ("should we have a sex therapist", "b-should-we"),
        ("should we both have a sex therapist?", "b-should-we"),
    ],
)
def test_an_exact_tie_goes_to_the_wording_closest_to_what_was_typed(lookalikes, typed, expected):
    normalizer = Normalizer({})
    tokens = normalizer.tokens(typed)
    assert tokens == ("sex", "therapist")  # a real tie: the words alone cannot decide
    ranked = lookalikes.rank(tokens, text=typed)
    assert ranked[0].score == ranked[1].score
    assert ranked[0].entry.id == expected


def test_a_small_difference_in_wording_does_not_overturn_the_score():
    ranked = [
        _candidate("car-parking", "where can i park my car", 85.6),
        _candidate("bike-parking", "where can i park my bike", 85.1),
    ]
    reordered = _tie_broken(ranked, "parking", Settings(clarify_margin=2))
    assert [c.entry.id for c in reordered] == ["car-parking", "bike-parking"]


def _candidate(entry_id: str, phrasing: str, score: float) -> Candidate:
    return Candidate(_entry(entry_id, phrasing), phrasing, score, 80.0, 1.0, 1.0)


def test_entries_too_close_to_call_are_ordered_with_wording_and_the_rest_by_score():
    ranked = [
        _candidate("book-consultation", "how do i get an appointment with josephine", 95.1),
        _candidate("about-therapist", "tell me about josephine", 94.8),
        _candidate("confidentiality", "do you tell anyone about josephine", 91.0),
    ]
    reordered = _tie_broken(ranked, "tell me about josephine please", Settings(clarify_margin=2))
    assert [c.entry.id for c in reordered] == [
        "about-therapist",  # 0.3 behind on score, much closer in wording
        "book-consultation",
        "confidentiality",  # 4.1 behind: beyond the margin, stays where its score puts it
    ]


def test_a_near_tie_put_first_by_wording_is_still_offered_not_dropped():
    # The best score is above the clarify bar; the one put first by wording is just below.
    settings = Settings(clarify=63, answer=67, clarify_margin=2)
    ranked = [
        _candidate("closest-wording", "what is sex", 62.5),
        _candidate("best-score", "what is duty sex", 63.5),
    ]
    decision = decide(ranked, settings)
    assert decision.kind is Kind.CLARIFY
    assert [c.entry.id for c in decision.chosen] == ["closest-wording", "best-score"]
