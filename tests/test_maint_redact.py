"""Redaction before anything a visitor typed is stored: e-mails, phones and links go."""

from __future__ import annotations

import pytest

from faqbot.redact import redact


@pytest.mark.parametrize(
    "text",
    [
        "jane at gmail dot com",
        "jane@example.com",
        "Jane.Doe+therapy@mail.example.co.uk",
        "J_DOE99@GMAIL.COM",
        "jane (at) gmail (dot) com",
        "jane[at]gmail[dot]com",
        "first-last@sub-domain.org",
    ],
)
def test_email_addresses_are_redacted(text: str) -> None:
    redacted = redact(f"please write to {text} about it")
    assert redacted == "please write to [email] about it"


@pytest.mark.parametrize(
    "text",
    [
        "555 - 123 - 4567",
        "212-555-0147",
        "(212) 555-0147",
        "212.555.0147",
        "212 555 0147",
        "2125550147",
        "+1 212 555 0147",
        "+1 (212) 555-0147",
        "1-800-555-0199",
        "+44 20 7946 0958",
        "0044 20 7946 0958",
        "+49 30 901820",
        "+33 1 23 45 67 89",
        "020 7946 0958",
        "555-0147 ext",
    ],
)
def test_phone_numbers_are_redacted(text: str) -> None:
    redacted = redact(f"call me on {text} tonight")
    assert "[phone]" in redacted
    assert not any(ch.isdigit() for ch in redacted)


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com",
        "http://example.com/path?q=1&x=2",
        "https://www.my-clinic.org/booking#top",
        "www.example.net",
        "example.com",
        "myclinic.com/contact",
        "foo.co.uk/page",
        "ftp://files.example.org/a.txt",
    ],
)
def test_links_are_redacted(text: str) -> None:
    assert redact(f"i found {text} and") == "i found [link] and"


@pytest.mark.parametrize(
    "text",
    [
        "we met at work. now what",
        "we have been married 5 years",
        "2 sessions a week",
        "is it $150 per session or $150-200",
        "i am 35 and my partner is 40",
        "we have not had sex since 2019",
        "between 1-2 times a month",
        "can i book for 2026-12-03",
        "is 12/24/2026 open",
        "e.g. this or i.e. that",
        "hi.me and my wife",
        "ok.it hurts",
        "what is sex therapy",
        "3.5 hours",
        "room 101",
    ],
)
def test_ordinary_text_and_numbers_survive(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://example.com/a.", "see [link]."),
        ("mail jane@example.com. Then call", "mail [email]. Then call"),
        ("(call 212-555-0147)", "(call [phone])"),
        ("my site (example.com), ok", "my site ([link]), ok"),
    ],
)
def test_sentence_punctuation_around_redactions_is_kept(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_everything_in_one_message_is_redacted() -> None:
    text = "jane@example.com or 212-555-0147 or https://jane.example.com/me, 5 years"
    assert redact(text) == "[email] or [phone] or [link], 5 years"


# Issue 16, row 6: every example the red team got past redaction.
@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("write to jane.doe＠gmail.com", "[email]"),  # full-width @
        ("write to jane.d\u200boe@gmail.com", "[email]"),  # zero-width space
        ("write to j a n e d o e @ g m a i l . c o m", "[email]"),
        ("write to jane dot doe@gmail.com", "[email]"),
        ("write to jane dot doe at gmail dot com", "[email]"),
        ("call 917–555–0123", "[phone]"),  # en dash
        ("call 917—555—0123", "[phone]"),  # em dash
        ("call 917 555 O123", "[phone]"),  # letter O
        ("call nine one seven five five five zero one two three", "[phone]"),
        ("call 917 five five five 0123", "[phone]"),
        ("call ９１７５５５０１２３", "[phone]"),  # full-width digits
        ("find me on t.me/janedoe88", "[link]"),
        ("find me on bit.ly/3xYzAb", "[link]"),
        ("find me on linktr.ee/janedoe", "[link]"),
        ("find me on wa.me/19175550123", "[link]"),
        ("find me on facebook dot com slash jane.doe.88", "[link]"),
        ("find me on @jane_doe_88", "[handle]"),
    ],
)
def test_the_red_teams_examples_are_redacted(text: str, mark: str) -> None:
    redacted = redact(text)
    assert mark in redacted
    for leaked in ("jane", "doe", "917", "555", "0123", "nine", "3xyzab", "1917"):
        assert leaked not in redacted.lower()


def test_the_knowledge_bases_own_questions_survive_redaction(bot) -> None:
    from faqbot.redact import canonical

    phrasings = [p for e in bot.knowledge.entries for p in e.phrasings]
    changed = [p for p in phrasings if redact(p) != canonical(p)]
    assert not changed


@pytest.mark.parametrize(
    "text",
    ["one or two sessions a week", "oh well", "we have two kids, one is 5", "i am forty one"],
)
def test_number_words_in_ordinary_sentences_survive(text: str) -> None:
    assert redact(text) == text
