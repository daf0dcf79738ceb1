"""Read a message the way the safety layer needs it: one spelling for each word meant.

People in distress, and people testing a filter, write "k1ll mys3lf", "s u i c i d e",
"diiiie", "su\u200bicide" or "🔫".  Before any rule or model looks at a message it is
canonicalised here: NFKC, format characters (zero-width, soft hyphen, bidi controls)
dropped, accents dropped ("está" matches "esta"), emoji read as words, leetspeak and
runs of one letter undone, and spaced-out letters joined.  A rewrite that does not give
a real word is not made ("b4" stays "b4").  The data lives in
faqbot/languages/safety/canon.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

CANON_FILE = Path(__file__).parent / "languages" / "safety" / "canon.yaml"
# Three or more of one letter: "diiiie", "noooo".
_RUN = re.compile(r"([^\W\d_])\1{2,}")
# A word-like token as leetspeak writes it: letters, digits and the symbols that stand in.
_LETTERS = re.compile(r"[^\W\d_]+")
_LEET_TOKEN = re.compile(r"[a-z0-9$@!|]+")
# Single letters, each followed by the same kind of separator, three or more of them.
_SPACED = re.compile(r"(?<![^\W_])(?:[^\W\d_](?P<sep>[ .\-*_·]+)){2,}[^\W\d_](?![^\W_])")
_SEPARATORS = re.compile(r"[ .\-*_·]+")
_VOWEL_DIGITS = frozenset("013")
# A number with a unit or an ordinal ("3am", "2nd", "5mg", "10yo") is not leetspeak.
_QUANTITY = re.compile(
    r"\d+(?:st|nd|rd|th|am|pm|s|k|m|h|d|x|yo|yr|yrs|mg|ml|kg|lb|lbs|ft|cm|mm|min|hr|hrs)?"
)
_WORD_GAP = re.compile(r" {2,}")


class CanonData(NamedTuple):
    """The tables canonicalisation reads (faqbot/languages/safety/canon.yaml)."""

    leetspeak: dict[str, str]
    emoji: dict[str, str]
    clause_starts: tuple[str, ...]
    single_letter_words: frozenset[str] = frozenset()
    algospeak: dict[str, str] = {}  # noqa: RUF012 (never mutated)


@lru_cache(maxsize=4)
def load_canon_data(path: Path = CANON_FILE) -> CanonData:
    """The canonicalisation tables; a broken file is a `KnowledgeError` with its line."""
    from faqbot.errors import KnowledgeError, Problem
    from faqbot.yaml_source import LineMap, read_yaml

    data = read_yaml(path)
    if not isinstance(data, LineMap):
        raise KnowledgeError([Problem(path, 1, "expected a mapping at the top")])
    tables = {}
    for name in ("leetspeak", "emoji", "algospeak"):
        table = data.get(name) or {}
        if not isinstance(table, dict):
            raise KnowledgeError([Problem(path, data.line_of(name), f"`{name}` must map")])
        tables[name] = {str(key): str(value) for key, value in table.items()}
    clauses = tuple(str(item).lower() for item in data.get("clause_starts") or ())
    singles = frozenset(str(item).lower() for item in data.get("single_letter_words") or ())
    return CanonData(tables["leetspeak"], tables["emoji"], clauses, singles, tables["algospeak"])


class Canonicalizer:
    """Turns a message into the one spelling rules and the model read (see the module)."""

    def __init__(self, data: CanonData, known: Container[str]) -> None:
        """`known`: real words (common words, the knowledge base's and the signals' own)."""
        self._known = known
        self._leet = str.maketrans(data.leetspeak)
        self._leet_chars = frozenset(data.leetspeak)
        # Longest first, so a sequence with a modifier wins over its first character.
        self._emoji_words = {_without_marks(key): value for key, value in data.emoji.items()}
        emoji = sorted(self._emoji_words, key=len, reverse=True)
        self._emoji = re.compile("|".join(map(re.escape, emoji))) if emoji else None
        self._single_words = data.single_letter_words
        self._algospeak = {key.lower(): value for key, value in data.algospeak.items()}
        spoken = sorted(self._algospeak, key=len, reverse=True)
        pattern = "|".join(map(re.escape, spoken))
        self._spoken = re.compile(rf"(?<![^\W_])(?:{pattern})(?![^\W_])") if spoken else None

    def __call__(self, text: str, algospeak: bool = True) -> str:
        """`text` canonicalised: lower case, one spelling per word (see the module).

        `algospeak=False` for the rules' own phrases: a maintainer's "unalive" stays itself."""
        text = _without_marks(unicodedata.normalize("NFKC", text))
        if self._emoji is not None and not text.isascii():
            text = self._emoji.sub(self._emoji_word, text)
        text = text.lower()
        if not self._leet_chars.isdisjoint(text):  # most text has no digit or symbol at all
            text = _LEET_TOKEN.sub(self._leet_word, text)
        text = _SPACED.sub(self._joined, text)
        if _RUN.search(text):
            text = _LETTERS.sub(self._run, text)
        return self._spoken.sub(self._meant, text) if self._spoken and algospeak else text

    def _meant(self, match: re.Match[str]) -> str:
        return self._algospeak[match.group()]

    def _emoji_word(self, match: re.Match[str]) -> str:
        return f" {self._emoji_words.get(match.group(), '')} "

    def _leet_word(self, match: re.Match[str]) -> str:
        token = match.group()
        core = token.rstrip("!|")
        if self._leet_chars.isdisjoint(core) or _QUANTITY.fullmatch(core):
            return token
        if not any(char.isalpha() for char in core):
            return token
        word = core.translate(self._leet)
        word = self._collapsed(word) or word
        tail = token[len(core) :]
        # Two letters only through a digit that stands for a vowel: "h3 h1t m3" is "he hit
        # me", but "hi!" stays, and so does "b4" ("before" in text speak, not "ba").
        shortest = 2 if _VOWEL_DIGITS.intersection(core) else 3
        return word + tail if len(word) >= shortest and word in self._known else token

    def _joined(self, match: re.Match[str]) -> str:
        spelled = match.group()
        if all(letter in self._single_words for letter in _SEPARATORS.sub("", spelled)):
            return spelled  # "u r a": single-letter words, not a spelled-out word
        # A wider gap between the letters is a gap between words: "h e  h i t s  m e".
        return " ".join(_SEPARATORS.sub("", word) for word in _WORD_GAP.split(spelled))

    def _run(self, match: re.Match[str]) -> str:
        word = match.group()
        return self._collapsed(word) or _RUN.sub(_two_of, word)

    def collapse(self, word: str) -> str:
        """`word` with runs of one letter undone: "diiiie" -> "die", "noooo" -> "no"."""
        return self._collapsed(word) or word

    def _collapsed(self, word: str) -> str | None:
        if not _RUN.search(word):
            return None
        for size in (2, 1):
            variant = _RUN.sub(lambda m, n=size: m.group(1) * n, word)
            if variant in self._known:
                return variant
        return None


def _two_of(match: re.Match[str]) -> str:
    return match.group(1) * 2


def _without_marks(text: str) -> str:
    """No format characters (zero-width, soft hyphen, bidi), variation selectors or accents."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    kept = (c for c in decomposed if unicodedata.category(c) not in ("Mn", "Cf"))
    return unicodedata.normalize("NFC", "".join(kept))
