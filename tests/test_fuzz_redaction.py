"""Property tests for redaction (issue 16, row 6): generate an address or a phone number,
dress it up the ways people slip contact details past a filter, and check none survives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from faqbot.redact import redact, redactor

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "@.0123456789abcdefghijklmnopqrstuvwxyz"}
DASHES = ["-", "–", "—", "‒", "−"]
DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

letters = st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)
# A digit in the local part keeps it from ever matching a word of the sentence around it.
local_parts = st.builds(lambda a, d, b: f"{a}{d}{b}", letters, st.integers(0, 99), letters)
tlds = st.sampled_from(["com", "org", "net", "co.uk", "de", "io"])
addresses = st.builds(lambda local, host, tld: (local, host, tld), local_parts, letters, tlds)


def sprinkle(draw, text: str) -> str:
    """Zero-width characters at a few random places."""
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(ZERO_WIDTH)) + text[at:]
    return text


def full_width(draw, text: str) -> str:
    return "".join(FULL_WIDTH.get(c, c) if draw(st.booleans()) else c for c in text)


@st.composite
def dressed_addresses(draw) -> tuple[str, str]:
    local, host, tld = draw(addresses)
    style = draw(st.sampled_from(["plain", "spelt", "spaced", "brackets", "dotted-local"]))
    if style == "plain":
        text = f"{local}@{host}.{tld}"
    elif style == "spelt":
        text = f"{local} at {host} dot {tld.replace('.', ' dot ')}"
    elif style == "spaced":
        text = " ".join(f"{local}@{host}.{tld}")
    elif style == "brackets":
        text = f"{local} (at) {host} [dot] {tld}"
    else:
        text = f"{local[:3]} dot {local[3:]}@{host}.{tld}"
    if draw(st.booleans()):
        text = full_width(draw, text)
    return sprinkle(draw, text), local


@st.composite
def dressed_numbers(draw) -> tuple[str, str]:
    digits = "".join(str(d) for d in draw(st.lists(st.integers(0, 9), min_size=10, max_size=11)))
    groups = [digits[:3], digits[3:6], digits[6:]]
    sep = draw(st.sampled_from([" ", "", ".", " - ", *DASHES]))
    parts = []
    for group in groups:
        chars = []
        for ch in group:
            how = draw(st.sampled_from(["digit", "digit", "word", "O"]))
            if how == "word":
                chars.append(f" {DIGIT_WORDS[int(ch)]} ")
            elif how == "O" and ch == "0":
                chars.append(draw(st.sampled_from(["O", "o"])))
            else:
                chars.append(ch)
        parts.append(" ".join("".join(chars).split()))
    text = sep.join(parts)
    if draw(st.booleans()):
        text = full_width(draw, text)
    return sprinkle(draw, text), digits


def squeezed(text: str) -> str:
    """Letters and digits only, lower case, without the redaction marks."""
    for mark in redactor().marks.values():
        text = text.replace(mark, " ")
    return re.sub(r"[^a-z0-9]", "", text.lower())


@settings(max_examples=300, deadline=None)
@given(dressed_addresses(), st.sampled_from(["write to {} please", "{}", "my mail: {}!"]))
def test_no_dressed_up_address_survives(address, sentence) -> None:
    text, local = address
    assert squeezed(local) not in squeezed(redact(sentence.format(text)))


@settings(max_examples=300, deadline=None)
@given(dressed_numbers(), st.sampled_from(["call me on {} tonight", "{}", "text {}, ok?"]))
def test_no_dressed_up_phone_number_survives(number, sentence) -> None:
    text, _ = number
    redacted = redact(sentence.format(text))
    assert not any(ch.isdigit() for ch in redacted), (text, redacted)
    spelt = [w for w in re.findall(r"[a-z]+", redacted.lower()) if w in DIGIT_WORDS]
    assert not spelt, (text, redacted)
