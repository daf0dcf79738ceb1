"""Answer markup: only `[text](target)` links with safe schemes; everything else is text."""

from __future__ import annotations

import pytest

from faqbot.markup import Link, markup_problems, plain_text, segments


def test_segments_split_text_and_links():
    assert segments("Call [us](tel:+15550100) today") == [
        "Call ",
        Link("us", "tel:+15550100"),
        " today",
    ]


def test_terminal_text_keeps_web_addresses_but_not_phone_links():
    text = "See [our page](https://example.org) or call [555 0100](tel:5550100)."
    assert plain_text(text) == "See our page (https://example.org) or call 555 0100."


@pytest.mark.parametrize(
    "text",
    [
        "Call [{phone}](tel:+19177422624) during business hours.",
        "Write to [us](mailto:office@example.org) or read [this](https://example.org/faq).",
        "Your data: nothing is stored.",  # a colon in prose is not a link
        "Questions? [Ask](https://example.org) — or [call](tel:911).",
    ],
)
def test_safe_text_has_no_problems(text):
    assert markup_problems(text) == []


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("<b>No</b>", "raw HTML"),
        ("Click [here](javascript:alert(1))", "javascript:"),
        ("[ok](https://example.org) and [broken](ftp://example.org)", "ftp://"),
        ("[spaced](https://example.org/a b)", "https://example.org/a"),
        ("&lt;script&gt;", "raw HTML"),
    ],
)
def test_unsafe_or_broken_markup_is_reported(text, needle):
    problems = markup_problems(text)
    assert problems and any(needle in p for p in problems)
