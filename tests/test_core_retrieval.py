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
    """Two questions that normalize to the same words ("sex", "therapist"), read by the
    lexical signals alone (no encoder), `wording` among them."""
    weights = {**Settings().weights, "wording": 0.2}
    return _index(
        [
            _entry("a-what-is-it", "What is a sex therapist?"),
            _entry("b-should-we", "Should we have a sex therapist?"),
        ],
        Settings(weights=weights),
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
    # Weights under which the wording decides among the candidates: what is tested here is
    # that the cut lets the closest wordings in at all (the one asked for cannot win if not).
    by_wording = {**Settings().weights, "ratio": 0.15, "wording": 0.15, "coverage": 0.05}
    index = _index(entries, Settings(candidates=3, weights=by_wording))
    assert _ranked_ids(index, "how do i reach you about diabetes")[0] == "entry-5"
    assert _ranked_ids(index, "who is she? for diabetes")[0] == "entry-4"


def test_every_signal_of_the_table_has_a_weight_in_the_shipped_settings():
    from faqbot.loader import load_knowledge
    from faqbot.retrieval import SIGNAL_NAMES

    assert tuple(load_knowledge().settings.weights) == SIGNAL_NAMES


@pytest.mark.parametrize(
    "question",
    ["is there homework", "can i come without my partner", "how much does it cost", "sex"],
)
def test_the_explained_terms_add_up_to_the_score(question):
    from faqbot.bot import Bot
    from faqbot.render.explain import explanation_dict

    explained = explanation_dict(Bot.load().explain(question, limit=10))
    assert explained["candidates"]
    for candidate in explained["candidates"]:
        assert sum(candidate["terms"].values()) == pytest.approx(candidate["score"], abs=0.1)
        assert set(candidate["terms"]) == {n for n, w in explained["weights"].items() if w}


@pytest.mark.parametrize(
    ("message", "asking"),
    [
        (
            "I've been asking my girlfriend for months and she keeps saying no… "
            "How do I get her on board?",
            "How do I get her on board",
        ),
        ("we tried everything. is it too late for us? i hope not", "is it too late for us"),
        ("is there homework?", None),  # the whole message asks already
        ("my husband and i never have sex anymore", None),  # nothing asks
    ],
)
def test_the_sentence_that_asks_is_read_apart_from_the_story(message, asking):
    from faqbot.message_views import asking_sentence

    assert asking_sentence(message) == asking


def _fake_embedding(meanings: dict[str, list[float]]):
    """Texts -> unit vectors chosen by the test: what a sentence encoder would say."""
    import numpy as np

    def embed(texts):
        rows = np.array([meanings.get(t, [0.0, 0.0, 1.0]) for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    return embed


def test_an_entry_found_only_by_meaning_is_a_candidate():
    import numpy as np

    from faqbot.retrieval import View

    entries = [
        _entry("online-sessions", "Can we meet by video call?"),
        _entry("location", "Where is the office?"),
    ]
    meanings = {"Can we meet by video call?": [1.0, 0.0, 0.0], "Where is the office?": [0, 1, 0]}
    weights = {**Settings().weights, "semantic": 0.5}
    normalizer = Normalizer({})
    normalizer.learn(entry.question for entry in entries)
    index = RetrievalIndex(
        entries, normalizer, Settings(weights=weights), _fake_embedding(meanings)
    )
    telehealth = np.array([0.96, 0.28, 0.0], dtype=np.float32)  # no word in common
    ranked = index.rank(
        "do you offer telehealth", (), View("do you offer telehealth", (), telehealth)
    )
    assert [c.entry.id for c in ranked][:1] == ["online-sessions"]
    assert ranked[0].signals["semantic"] == pytest.approx(0.96, abs=1e-6)
    assert index.rank("do you offer telehealth", ()) == []  # without its vector: nothing


def test_scope_is_how_much_nearer_a_question_is_to_the_phrasings_than_to_what_is_outside():
    import numpy as np

    from faqbot.retrieval import View

    entries = [_entry("first-session", "What happens in the first session?")]
    meanings = {
        "What happens in the first session?": [1.0, 0.0, 0.0],
        "book me a flight to paris": [0.0, 1.0, 0.0],
        "what's the weather today": [0.0, 0.0, 1.0],
    }
    weights = {**Settings().weights, "semantic": 0.5, "scope": 0.5}
    normalizer = Normalizer({})
    normalizer.learn(entry.question for entry in entries)
    index = RetrievalIndex(
        entries,
        normalizer,
        Settings(weights=weights),
        _fake_embedding(meanings),
        out_of_scope=["book me a flight to paris", "what's the weather today"],
    )

    def scope(vector: list[float]) -> float:
        view = View("first flight", ("first",), np.array(vector, dtype=np.float32))
        return index.rank("first flight", ("first",), view)[0].signals["scope"]

    # (1 + cosine to the nearest phrasing - the mean of the two nearest outside) / 2
    assert scope([1.0, 0.0, 0.0]) == pytest.approx(1.0)
    assert scope([0.0, 1.0, 0.0]) == pytest.approx(0.25)
    assert scope([0.6, 0.8, 0.0]) < scope([0.8, 0.6, 0.0])


def _voters(**settings) -> RetrievalIndex:
    """Three entries read by meaning alone: several close phrasings, one lucky one, one only."""
    entries = [
        Entry(
            "several",
            "Is there parking?",
            ("Where can I park?", "Can I leave my car?"),
            "An answer.",
            (),
            "Topic",
            Path("t.yaml"),
            1,
        ),
        Entry(
            "lucky",
            "Do you park cars?",
            ("What is your fee?", "Who are you?"),
            "An answer.",
            (),
            "Topic",
            Path("t.yaml"),
            1,
        ),
        _entry("single", "Is the street busy?"),
    ]
    near, far = [0.8, 0.6, 0.0], [0.0, 0.0, 1.0]
    meanings = {
        "Is there parking?": near,
        "Where can I park?": near,
        "Can I leave my car?": near,
        "Do you park cars?": [0.9, 0.43589, 0.0],
        "What is your fee?": far,
        "Who are you?": far,
        "Is the street busy?": [0.7, 0.71414, 0.0],
    }
    weights = {**{name: 0.0 for name in Settings().weights}, "entry_semantic": 1.0}
    normalizer = Normalizer({})
    normalizer.learn(p for entry in entries for p in entry.phrasings)
    chosen = Settings(weights=weights)._replace(**settings)
    return RetrievalIndex(entries, normalizer, chosen, _fake_embedding(meanings))


def _by_meaning(index: RetrievalIndex) -> dict[str, dict[str, float]]:
    import numpy as np

    from faqbot.retrieval import View

    view = View("parking", (), np.array([1.0, 0.0, 0.0], dtype=np.float32))
    return {c.entry.id: dict(c.signals) for c in index.rank("parking", (), view)}


def test_several_close_phrasings_outvote_one_lucky_phrasing():
    signals = _by_meaning(_voters())
    assert signals["lucky"]["semantic"] > signals["several"]["semantic"]  # its best is closer
    assert signals["several"]["entry_semantic"] == pytest.approx(0.8, abs=1e-5)
    assert signals["lucky"]["entry_semantic"] == pytest.approx(0.3, abs=1e-5)  # (0.9 + 0 + 0) / 3
    assert next(iter(signals)) == "several"


def test_an_entry_with_fewer_phrasings_than_the_vote_averages_those_it_has():
    assert _by_meaning(_voters())["single"]["entry_semantic"] == pytest.approx(0.7, abs=1e-5)


def test_a_vote_of_one_phrasing_is_the_best_phrasing_s_cosine():
    for signals in _by_meaning(_voters(entry_semantic_phrasings=1)).values():
        assert signals["entry_semantic"] == pytest.approx(signals["semantic"], abs=1e-6)


def test_without_vectors_the_vote_is_zero():
    found = _voters().rank("where can i park", ("park",))
    assert found and all(c.signals["entry_semantic"] == 0.0 for c in found)


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_the_vote_over_many_entries_at_once_is_each_entry_s_own(count):
    import numpy as np

    from faqbot.semantic import SemanticIndex

    rng = np.random.default_rng(count)
    cosines = np.round(rng.uniform(-1, 1, 60).astype(np.float32), 6)
    starts, ends = np.array([0, 5, 6, 30, 31]), np.array([5, 6, 30, 31, 60])
    together = SemanticIndex.mean_of_largest_in_spans(cosines, starts, ends, count)
    spans = zip(starts, ends, strict=True)
    alone = [SemanticIndex.mean_of_largest(cosines[s:e], count) for s, e in spans]
    assert together == pytest.approx(alone, abs=1e-6)
