"""Retrieval on a tiny index: what decides the order when normalized words are not enough."""

from __future__ import annotations

from pathlib import Path

import pytest

from faqbot.model import Entry, Settings
from faqbot.normalize import Normalizer
from faqbot.retrieval import RetrievalIndex


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
def test_an_exact_tie_goes_to_the_wording_closest_to_what_was_typed(
    lookalikes, typed, expected
):
    normalizer = Normalizer({})
    tokens = normalizer.tokens(typed)
    assert tokens == ("sex", "therapist")  # a real tie: the words alone cannot decide
    ranked = lookalikes.rank(tokens, text=typed)
    assert ranked[0].score == ranked[1].score
    assert ranked[0].entry.id == expected
