"""Normalization: the same meaning must reach the same tokens, whatever the spelling."""

from __future__ import annotations

import pytest

from faqbot.language import get_language
from faqbot.normalize import Normalizer, clean
from faqbot.words import WordSplitter

words = WordSplitter(get_language("en")).words


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    n = Normalizer(
        {
            "naked": "nude",
            "nudity": "nude",
            "have not had sex": "sexless",
            "assignments": "homework",
        }
    )
    n.learn(["is there nudity in sex therapy", "do we get homework", "therapist"])
    return n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Don't", ["do", "not"]),
        ("I’m here", ["i", "am", "here"]),  # typographic apostrophe
        ("we haven't", ["we", "have", "not"]),
        ("dont cant wont", ["do", "not", "can", "not", "will", "not"]),
        ("whats up", ["what", "is", "up"]),
        ("my self", ["myself"]),
        ("my bf", ["my", "boyfriend"]),
        ("ＦＵＬＬＷＩＤＴＨ", ["fullwidth"]),  # NFKC
    ],
)
def test_words_expand_contractions_and_chat_spellings(text, expected):
    assert words(text) == expected


def test_clean_removes_control_characters_and_terminal_escapes():
    assert clean("hi\x1b[31m there\x00\x07 you\x1b]0;title\x07") == "hi there you"


def test_clean_truncates_to_the_limit():
    assert clean("a" * 5000, max_chars=10) == "a" * 10


def test_synonyms_map_visitor_words_onto_the_canonical_token(normalizer):
    assert normalizer.tokens("Do I have to get NAKED?!") == normalizer.tokens("nudity")


def test_multi_word_synonyms_match_after_contractions(normalizer):
    assert "sexless" in normalizer.tokens("We haven't had sex in years")


def test_stop_words_are_dropped_but_negations_kept(normalizer):
    assert normalizer.tokens("is it not the homework") == ("not", "homework")


def test_questions_made_only_of_stop_words_keep_their_words(normalizer):
    assert normalizer.tokens("what can you do") != ()


def test_typos_are_corrected_towards_known_words(normalizer):
    assert normalizer.tokens("theripist") == normalizer.tokens("therapist")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("is there homework durign therapy", "is there homework during therapy"),
        ("something abotu nudity", "something about nudity"),
    ],
)
def test_mistyped_small_words_are_dropped_like_the_words_meant(bot, typed, meant):
    # Left unknown, "abotu" would weigh more than any known word in the question.
    assert bot.normalizer.tokens(typed) == bot.normalizer.tokens(meant)


def test_short_words_are_never_corrected(normalizer):
    assert normalizer.correct("sax") == "sax"


def test_stems_unify_inflections(normalizer):
    assert normalizer.tokens("assignment") != ()
    assert normalizer.tokens("assignments") == normalizer.tokens("homework")


@pytest.mark.parametrize("junk", ["", "   ", "\x00\x01\x02", "🙂🙂", "<<<>>>", "\u202e\u200b"])
def test_junk_gives_no_tokens_and_no_error(normalizer, junk):
    assert normalizer.tokens(junk) == ()
