"""The safety layer: does a message signal danger?  It runs before retrieval, always.

Signals are whole phrases from knowledge/safety.yaml, matched on word stems in
order, so "killing myself" matches "kill myself" while "stress is killing our
sex life" matches nothing.  Misspelled long words are corrected towards the
signals' own words first ("sucidal" -> "suicidal", "froces" -> "forces"), and a stem also matches a
longer form of itself ("unal" in "unaliving"), because Snowball does not always
stem a word and its inflections alike.  The check is stateless: nothing said
earlier in a conversation can switch it off.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from faqbot.language import Language, get_language
from faqbot.words import WordSplitter

# An unknown word (not in the knowledge base, not a common word of the language) at least
# this long, one edit (two for longer words) from a signal word, counts as that word:
# "msyelf" -> "myself", "froces" -> "forces", "saef" -> "safe".
TYPO_MIN_LENGTH = 3
LONG_WORD = 6
# A phrase stem this long also matches words that start with it.
PREFIX_MIN_LENGTH = 4
# Pathological input (a megabyte of junk) must not make the fuzzy step slow.
MAX_WORDS_TO_CORRECT = 2000

Phrase = tuple[str, ...]


def _key(token: str) -> str:
    return token[:PREFIX_MIN_LENGTH]


def _same(text_token: str, phrase_token: str) -> bool:
    if text_token == phrase_token:
        return True
    return len(phrase_token) >= PREFIX_MIN_LENGTH and text_token.startswith(phrase_token)


class PhraseMatcher:
    """Finds phrases (as stem tuples) in a stemmed message.

    Phrases are filed under the keys of their first two words, so a message word
    is only compared with the few phrases that can start there ("my" alone starts
    hundreds once groups are expanded).
    """

    def __init__(self, phrases: Iterable[tuple[Phrase, Any]]) -> None:
        self._one: dict[str, list[tuple[Phrase, Any]]] = {}
        self._two: dict[tuple[str, str], list[tuple[Phrase, Any]]] = {}
        for phrase, label in phrases:
            if len(phrase) == 1:
                self._one.setdefault(_key(phrase[0]), []).append((phrase, label))
            else:
                key = (_key(phrase[0]), _key(phrase[1]))
                self._two.setdefault(key, []).append((phrase, label))

    def matches(self, stems: list[str]) -> Iterable[tuple[int, int, Any]]:
        """(start, end, label) of every phrase found, left to right."""
        keys = [_key(token) for token in stems]
        for start, key in enumerate(keys):
            candidates = self._one.get(key, [])
            if start + 1 < len(keys):
                candidates = candidates + self._two.get((key, keys[start + 1]), [])
            for phrase, label in candidates:
                end = start + len(phrase)
                if end <= len(stems) and all(map(_same, stems[start:end], phrase)):
                    yield start, end, label


# A signal is a phrase, or several (`a + b`) that must all appear in the message.  Each part
# is labelled (category, signal number, how many parts, this part's number): plain tuples,
# because the built detector is cached with pickle and thousands of objects load slowly.
Label = tuple[str, int, int, int]


class CrisisDetector:
    """Finds the first crisis category a message signals, or None."""

    def __init__(
        self,
        signals: dict[str, tuple[str, ...]],
        exceptions: Iterable[str] = (),
        common_words: Container[str] = frozenset(),
        ordinary_words: Iterable[str] = (),
        language: Language | None = None,
    ) -> None:
        """Neither `common_words` (real words of the language) nor `ordinary_words` (the
        knowledge base's vocabulary) are corrected, and a word clearly closer to an ordinary
        word than to a signal word is taken to be the ordinary word.  `language` gives the
        words, fillers and stemmer (default: English)."""
        self._language = language = language or get_language("en")
        self._words = WordSplitter(language).words
        stop_words = language.stop_words
        signal_words: set[str] = set()
        phrases: list[tuple[Phrase, Label]] = []
        for category, texts in signals.items():
            for text in texts:
                parts = [self._stemmed(part) for part in text.split(" + ")]
                if not all(stems for _, stems in parts):
                    continue
                signal = len(phrases)
                for number, (raw, stems) in enumerate(parts):
                    phrases.append((stems, (category, signal, len(parts), number)))
                    signal_words.update(raw)
        self._signals = PhraseMatcher(phrases)
        excepted = [self._stemmed(text) for text in exceptions]
        self._exceptions = PhraseMatcher((stems, "exception") for _, stems in excepted if stems)
        # Exception words are targets too, so a typo cannot turn an exception into a signal.
        signal_words.update(word for raw, _ in excepted for word in raw)
        self._targets = sorted(w for w in signal_words if len(w) >= TYPO_MIN_LENGTH)
        ordinary = set(ordinary_words)
        self._ordinary = sorted((ordinary | stop_words) - signal_words)
        # Kept apart, not merged: the big word list stays one shared object in the cache.
        self._common = common_words
        self._known = frozenset(ordinary) | stop_words | signal_words

    def detect(self, text: str) -> str | None:
        """The crisis category `text` signals (e.g. 'suicide'), or None."""
        stems = self._stems(text)
        excused = {
            i for start, end, _ in self._exceptions.matches(stems) for i in range(start, end)
        }
        found: dict[int, set[int]] = {}
        for start, end, (category, signal, parts, number) in self._signals.matches(stems):
            if excused.intersection(range(start, end)):
                continue
            found.setdefault(signal, set()).add(number)
            if len(found[signal]) == parts:
                return category
        return None

    def _stems(self, text: str) -> list[str]:
        budget = MAX_WORDS_TO_CORRECT
        result: list[str] = []
        corrections: dict[str, str] = {}
        fillers = self._language.fillers
        for word in self._words(text):
            if word in fillers:
                continue
            unknown = word not in self._known and word not in self._common
            if unknown and len(word) >= TYPO_MIN_LENGTH and budget > 0:
                if word not in corrections:
                    budget -= 1
                    corrections[word] = self._correct(word)
                word = corrections[word]
            result.append(self._language.stem(word))
        return result

    def _stemmed(self, phrase: str) -> tuple[list[str], Phrase]:
        raw = [w for w in self._words(phrase) if w not in self._language.fillers]
        return raw, tuple(map(self._language.stem, raw))

    def _correct(self, word: str) -> str:
        edits = 2 if len(word) >= LONG_WORD else 1
        match = process.extractOne(
            word, self._targets, scorer=DamerauLevenshtein.distance, score_cutoff=edits
        )
        if match is None:
            return word
        # A word clearly closer to an everyday word is not a signal: "terapist" is one edit
        # from "therapist", two from "rapist".  On a tie, safety first: "kil" is "kill".
        ordinary = process.extractOne(
            word, self._ordinary, scorer=DamerauLevenshtein.distance, score_cutoff=match[1] - 1
        )
        return word if ordinary is not None else match[0]
