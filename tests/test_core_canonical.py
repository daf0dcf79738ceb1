"""Safety canonicalisation: disguised crisis words are read as meant; real words stay real."""

from __future__ import annotations

import pytest

from faqbot.canonical import Canonicalizer, load_canon_data
from faqbot.reply import Kind

KNOWN = frozenset(
    {"kill", "myself", "suicide", "die", "no", "help", "me", "want", "to", "he", "hit", "again"}
    | {"in", "ba", "ed", "st", "am", "some", "one", "my", "family", "touches"}
)


@pytest.fixture(scope="module")
def canon() -> Canonicalizer:
    return Canonicalizer(load_canon_data(), KNOWN)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("s u i c i d e", "suicide"),
        ("s.u.i.c.i.d.e", "suicide"),
        ("k i l l myself", "kill myself"),
        # A wider gap between spelled-out letters separates words.
        ("h e  h i t s  m e", "he hits me"),
        ("h u r t  h e r", "hurt her"),
        ("k1ll mys3lf", "kill myself"),
        ("$uicide", "suicide"),
        ("k!ll me!!", "kill me!!"),
        ("diiiie", "die"),
        ("noooo", "no"),
        ("su\u200bici\u00adde", "suicide"),  # zero-width space and soft hyphen
        ("\u202ekill\u202c myself", "kill myself"),  # bidi controls
        ("ＫＩＬＬ myself", "kill myself"),  # full-width letters (NFKC)
        ("está", "esta"),
        # Short words and words that start with a digit too: the pronouns carry the meaning.
        ("h3 h1t m3 4g41n", "he hit me again"),
        ("s0m3 0n3 1n my f4m1ly t0uch3s m3", "some one in my family touches me"),
    ],
)
def test_disguised_words_are_read_as_the_word_meant(canon, written, read):
    assert canon(written) == read


@pytest.mark.parametrize(
    "text", ["13yo", "10pm", "u r a star", "b4 the session", "2nd visit", "3d", "1st", "3am", "5mg"]
)
def test_numbers_and_one_letter_words_are_left_alone(canon, text):
    assert canon(text) == text


def test_emoji_are_read_as_words(canon):
    assert canon("i want to 🔫 myself").split() == ["i", "want", "to", "shoot", "myself"]
    assert "coffin" in canon("⚰️ soon")


@pytest.mark.parametrize(
    "message",
    [
        "s u i c i d e",
        "i want to k1ll mys3lf",
        "i want to diiiie",
        "i want to 🔫 myself",
        "i want to kil my self",
        "su\u200bicidal again",
    ],
)
def test_disguised_crisis_messages_get_the_crisis_reply(bot, message):
    assert bot.reply(message).kind is Kind.CRISIS


@pytest.mark.parametrize(
    "message",
    ["💀", "lmao 💀💀 that session sounded awkward", "🔪 cooking class as a date idea?"],
)
def test_emoji_alone_are_evidence_not_a_crisis(bot, message):
    assert bot.reply(message).kind is not Kind.CRISIS


@pytest.mark.parametrize(
    "message",
    [
        "kyi",  # three-letter signals (kys, kms) match only as written
        "do you overuse homework",  # not "overdose"
        "we met in modesto",  # a name, not "molested"
        "we went shoping together",  # a typo of "shopping", not "groping"
    ],
)
def test_typo_correction_never_makes_a_real_word_or_name_a_crisis_word(bot, message):
    assert bot.explain(message).crisis is None


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("been thinking about unaliving myself", "been thinking about killing myself"),
        ("i wanna kms", "i wanna kill myself"),
        ("sewer slide is looking good", "suicide is looking good"),
    ],
)
def test_algospeak_is_read_as_meant(canon, written, read):
    assert canon(written) == read


def test_algospeak_in_the_rules_own_phrases_is_left_as_written(canon):
    assert canon("unalive", algospeak=False) == "unalive"


def test_words_that_merely_contain_algospeak_are_left_alone(bot):
    assert bot.reply("stress is killing our sex life").kind is not Kind.CRISIS
    assert bot.explain("kmsl that was funny").crisis is None
