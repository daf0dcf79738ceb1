"""Retrieval on tiny indexes: what decides the order when normalized words are not enough."""

from __future__ import annotations

from pathlib import Path

import pytest

from faqbot.model import Entry, Settings
from faqbot.normalize import Normalizer
from faqbot.retrieval import RetrievalIndex


def _entry(entry_id: str, question: str) -> Entry:
    return Entry(entry_id, question, (), "An answer.", (), "Topic", Path("t.yaml"), 1)


def _index(entries: list[Entry], settings: Settings | None = None) -> RetrievalIndex:
    normalizer = Normalizer({})
    normalizer.learn(entry.question for entry in entries)
    return RetrievalIndex(entries, normalizer, settings or Settings())


def _ranked_ids(index: RetrievalIndex, typed: str) -> list[str]:
    return [c.entry.id for c in index.rank(typed, Normalizer({}).tokens(typed))]


@pytest.fixture
def lookalikes() -> RetrievalIndex:
    """Two questions that normalize to the same words ("sex", "therapist")."""
    return _index(
        [
            _entry("a-what-is-it", "What is a sex therapist?"),
            _entry("b-should-we", "Should we have a sex therapist?"),
        ]
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("what is a sex therapist", "a-what-is-it"),
        ("so what is a sex therapist", "a-what-is-it"),
        ("should we have a sex therapist", "b-should-we"),
        ("should we both have a sex therapist?", "b-should-we"),
    ],
)
def test_questions_with_the_same_words_are_told_apart_by_their_wording(lookalikes, typed, expected):
    tokens = Normalizer({}).tokens(typed)
    assert tokens == ("sex", "therapist")  # the meaningful words alone cannot decide
    first, second = lookalikes.rank(typed, tokens)
    assert first.entry.id == expected
    assert first.score > second.score  # the wording is evidence, not a coin toss


def test_the_words_that_carry_meaning_outweigh_a_closer_wording():
    index = _index(
        [
            _entry("bring-partner", "Can I bring my partner to the first session?"),
            _entry("bring-dog", "Can I bring my dog?"),
        ]
    )
    # Literally closer to "can i bring my dog", but about the partner.
    assert _ranked_ids(index, "can i bring my partner")[0] == "bring-partner"


def test_when_too_many_phrasings_share_the_words_the_closest_wordings_are_reranked():
    # Every entry is about diabetes; only the small words say which one is meant. With room
    # for three candidates, the first three indexed must not take the places by default.
    questions = [
        "Is there homework for diabetes?",
        "Where do we meet for diabetes?",
        "What does it cost for diabetes?",
        "Is it only couples for diabetes?",
        "Who is the therapist for diabetes?",
        "How do I contact you about diabetes?",
    ]
    entries = [_entry(f"entry-{i}", q) for i, q in enumerate(questions)]
    index = _index(entries, Settings(candidates=3))
    assert _ranked_ids(index, "how do i reach you about diabetes")[0] == "entry-5"
    assert _ranked_ids(index, "who is she? for diabetes")[0] == "entry-4"
