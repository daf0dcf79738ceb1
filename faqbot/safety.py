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

from array import array
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from faqbot.canonical import CanonData, Canonicalizer, load_canon_data
from faqbot.language import Language, get_language
from faqbot.model import ALTERNATIVES
from faqbot.phrase_matcher import Phrase, PhraseMatcher, TextTable
from faqbot.words import WordSplitter

# An unknown word (not in the knowledge base, not a common word of the language) at least
# this long, one edit (two from LONG_WORD letters) from a signal word, counts as that word:
# "msyelf" -> "myself", "froces" -> "forces", "saef" -> "safe".  Two edits on a shorter
# word reach real words and names: "overuse" -> "overdose", "modesto" -> "molest".
TYPO_MIN_LENGTH = 3
LONG_WORD = 8
# Signal words this short are never a correction's target.
SHORT_SIGNAL = 3
# Pathological input (a megabyte of junk) must not make the fuzzy step slow.
MAX_WORDS_TO_CORRECT = 2000


def _any(found: Iterable[object]) -> bool:
    return next(iter(found), None) is not None


class _Reader:
    """How the rules read one language: its words, without fillers, as stems."""

    def __init__(self, language: Language) -> None:
        self.words = WordSplitter(language).words
        self.fillers = language.fillers
        self.stem = language.stem
        self.stop_words = language.stop_words

    def stemmed(self, phrase: str) -> tuple[list[str], Phrase]:
        """The words of `phrase` (fillers dropped) and their stems."""
        raw = [w for w in self.words(phrase) if w not in self.fillers]
        return raw, tuple(map(self.stem, raw))


# A signal is a phrase, or several (`a + b`) that must all appear in the message.
Span = tuple[int, int]
Found = tuple[str, int, list[Span], str]


class RuleMatch(NamedTuple):
    """The rule that fired: `level` is "crisis" or "checkin"; `signal` as written in YAML.

    `weak`: a one-word signal, or one written `~ phrase` in the safety file: one an
    everyday sentence can hold ("what percentage of suicides are men?"); a learned
    detector must confirm it."""

    level: str
    category: str
    signal: str
    weak: bool = False


class _Signals:
    """Signals of one level (crisis or check-in), and the text each was written as."""

    def __init__(
        self,
        signals: dict[str, Sequence[str]],
        canon: Callable[[str, bool], str],
        reader: _Reader,
    ) -> None:
        # Per signal: weak (1) or not, and its number of parts; arrays, not lists of
        # 100,000 Python objects, for the same reason as below.
        self.weak = array("B")
        self.words: set[str] = set()
        # Per phrase (groups expanded), in the matcher's order: the signal it belongs to,
        # which part of it, and the phrase as written.  Arrays and one string, not tuples:
        # the built detector is cached with pickle, and 78,000 tuples load slowly.
        self._signal = array("I")
        self._part = array("B")
        # Per signal: its category, as a number into `_category_names`.
        self._category_names: list[str] = list(signals)
        self._category = array("B")
        self._parts = array("B")
        written_phrases: list[str] = []
        stemmed: list[Phrase] = []
        for category, texts in signals.items():
            for written in texts:
                # `~ phrase`: weak (see RuleMatch).
                marked = written.startswith("~")
                text = written[1:].strip() if marked else written
                # Each part of `a + b` lists its phrases apart (support_files.ALTERNATIVES).
                parts = [
                    [(alt, *reader.stemmed(canon(alt, False))) for alt in part.split(ALTERNATIVES)]
                    for part in text.split(" + ")
                ]
                parts = [[alt for alt in part if alt[2]] for part in parts]
                if not all(parts):
                    continue
                signal = len(self.weak)
                for number, part in enumerate(parts):
                    for alt, raw, stems in part:
                        self._signal.append(signal)
                        self._part.append(number)
                        stemmed.append(stems)
                        written_phrases.append(alt)
                        self.words.update(raw)
                one_word = len(parts) == 1 and len(parts[0][0][2]) == 1
                self.weak.append(marked or one_word)
                self._category.append(self._category_names.index(category))
                self._parts.append(len(parts))
        self.phrases = TextTable(written_phrases)
        self.matcher = PhraseMatcher(stemmed)

    def found(self, stems: list[str], excused: set[int]) -> Iterator[Found]:
        """(category, signal number, spans of its parts, the signal as matched: its phrase,
        or its parts' phrases joined by " + ") for each signal complete in `stems`."""
        seen: dict[int, dict[int, tuple[Span, int]]] = {}
        for start, end, phrase in self.matcher.matches(stems):
            if excused.intersection(range(start, end)):
                continue
            signal, number = self._signal[phrase], self._part[phrase]
            spans = seen.setdefault(signal, {})
            if number in spans:
                continue
            spans[number] = ((start, end), phrase)
            if len(spans) == self._parts[signal]:
                matched = [spans[n] for n in range(len(spans))]
                text = " + ".join(self.phrases[p] for _, p in matched)
                category = self._category_names[self._category[signal]]
                yield category, signal, [span for span, _ in matched], text


class _AnyOf:
    """Membership in any of several word collections, without merging them."""

    def __init__(self, *collections: Container[str]) -> None:
        self._collections = collections

    def __contains__(self, word: object) -> bool:
        return any(word in collection for collection in self._collections)

    def __iter__(self) -> Iterator[str]:
        for collection in self._collections:
            if isinstance(collection, Iterable):
                yield from collection


class CrisisDetector:
    """Finds the first crisis category a message signals, or None."""

    def __init__(
        self,
        signals: dict[str, Sequence[str]],
        exceptions: Iterable[str] = (),
        common_words: Container[str] = frozenset(),
        ordinary_words: Iterable[str] = (),
        checkin_signals: dict[str, Sequence[str]] | None = None,
        canon: CanonData | None = None,
        language: Language | None = None,
        jokes: Iterable[str] = (),
        not_joking: Iterable[str] = (),
        foreign_words: Container[str] = frozenset(),
    ) -> None:
        """Neither `common_words` (real words of the language), `foreign_words` (real
        words of the other languages the rules read: German "beraten" is not "beaten")
        nor `ordinary_words` (the knowledge base's vocabulary) are corrected, and a word
        clearly closer to an ordinary word than to a signal word is taken to be the ordinary
        word.  A crisis signal inside a `checkin_signals` phrase ("what is suicide") asks
        for a check-in, not a crisis.
        A message that marks itself a joke (`jokes`: "lol", "jk"; unless `not_joking`: "not
        kidding") makes every crisis signal weak: hyperbole ("this commute makes me want to
        die lol") is common, so the learned detector must confirm it.
        `language` gives the words, fillers and stemmer (default: English)."""
        self._reader = reader = _Reader(language or get_language("en"))
        ordinary = set(ordinary_words)
        common_words = _AnyOf(common_words, foreign_words)
        # Signal words are only known once the signals are read, through the canonicalizer:
        # the set it is given is filled in below.
        known: set[str] = set()
        self._canon = Canonicalizer(canon or load_canon_data(), _AnyOf(known, common_words))
        self._crisis = _Signals(signals, self._canon, reader)
        self._checkin = _Signals(checkin_signals or {}, self._canon, reader)
        signal_words = self._crisis.words | self._checkin.words
        excepted = [reader.stemmed(self._canon(text, False)) for text in exceptions]
        self._exceptions = PhraseMatcher(stems for _, stems in excepted if stems)
        self._jokes = self._phrases(jokes)
        self._not_joking = self._phrases(not_joking)
        # Exception words are targets too, so a typo cannot turn an exception into a signal.
        signal_words.update(word for raw, _ in excepted for word in raw)
        # Short signals ("kys", "kms") match only as written: one edit from a three-letter
        # word is half the alphabet ("kyi", "kid").
        self._targets = sorted(w for w in signal_words if len(w) > SHORT_SIGNAL)
        self._ordinary = sorted((ordinary | reader.stop_words) - signal_words)
        # Kept apart, not merged: the big word list stays one shared object in the cache.
        self._common = common_words
        self._known = frozenset(ordinary) | reader.stop_words | signal_words
        known.update(self._known)

    def _phrases(self, texts: Iterable[str]) -> PhraseMatcher:
        stemmed = (self._reader.stemmed(self._canon(text, False))[1] for text in texts)
        return PhraseMatcher(stems for stems in stemmed if stems)

    def _joking(self, stems: list[str]) -> bool:
        """The message says it is joking ("lol") and not that it is not ("not kidding")."""
        return _any(self._jokes.matches(stems)) and not _any(self._not_joking.matches(stems))

    def detect(self, text: str) -> str | None:
        """The crisis category `text` signals (e.g. 'suicide'), or None."""
        found = self.match(text)
        return found.category if found is not None and found.level == "crisis" else None

    def match(self, text: str, canonical: bool = False) -> RuleMatch | None:
        """The first crisis rule `text` matches (a weak one only when no other does); else
        the first check-in rule; else None.

        `canonical`: `text` is canonical already (see `canonical`)."""
        words, stems = self._read(text if canonical else self.canonical(text))
        excused = {
            i for start, end, _ in self._exceptions.matches(stems) for i in range(start, end)
        }
        checkins = list(self._checkin.found(stems, excused))
        inside = {i for *_, spans, _ in checkins for start, end in spans for i in range(start, end)}
        # Where a check-in matched a stem but not the word as written ("committed suicide"
        # stems like "commit suicide"): worked out only for a crisis phrase inside one.
        differ: set[int] | None = None
        weak: RuleMatch | None = None
        for category, signal, spans, text in self._crisis.found(stems, excused):
            if all(inside.issuperset(range(start, end)) for start, end in spans):
                # Inside a check-in phrase, unless the crisis phrase is word for word what
                # was written just where the check-in phrase is not ("how do i commit
                # suicide" inside "committed suicide"; not "suicide" in "die by suicide").
                if differ is None:
                    differ = inside - self._checkin_as_written(words, stems)
                covered = {i for start, end in spans for i in range(start, end)}
                if not (differ & covered and self._as_written(words, spans, text)):
                    continue
            found = RuleMatch("crisis", category, text)
            if not self._crisis.weak[signal] and not self._joking(stems):
                return found
            weak = weak or found._replace(weak=True)
        if weak is not None:
            return weak
        if checkins:
            category, _, _, text = checkins[0]
            return RuleMatch("checkin", category, text)
        return None

    def words(self, text: str) -> list[str]:
        """The words of `text`, split as the rules split them (the detector's language)."""
        return self._reader.words(text)

    def knows_a_word(self, words: Iterable[str]) -> bool:
        """Whether any of `words` (as `words` splits them) is a real word: of the language,
        of the knowledge base, of a signal or exception, or one of its small words."""
        return any(w in self._known or w in self._common for w in words)

    def canonical(self, text: str) -> str:
        """`text` as the rules read it (see `faqbot.canonical`)."""
        return self._canon(text)

    def _as_written(self, words: list[str], spans: list[Span], matched: str) -> bool:
        """Whether each part of a matched signal (`found`'s text) is, word for word, the
        message's words at its span (after typo correction, before stemming)."""
        parts = matched.split(" + ")
        return len(parts) == len(spans) and all(
            len(self._same_words(words, start, end, part)) == end - start
            for part, (start, end) in zip(parts, spans, strict=True)
        )

    def _checkin_as_written(self, words: list[str], stems: list[str]) -> set[int]:
        """The positions where some check-in phrase has the message's very word."""
        phrases = self._checkin.phrases
        return {
            i
            for start, end, number in self._checkin.matcher.matches(stems)
            for i in self._same_words(words, start, end, phrases[number])
        }

    def _same_words(self, words: list[str], start: int, end: int, phrase: str) -> set[int]:
        """The positions in `start:end` where `phrase`, as written (fillers dropped, read
        as a message is), has the message's word: a match by stem may differ in tense."""
        written = self._reader.stemmed(self._canon(phrase, False))[0]
        # A phrase matches as many words as it has; not strict, so a mismatch could never
        # stop the safety check.
        pairs = zip(range(start, end), written, strict=False)
        return {i for i, word in pairs if words[i] == word}

    def _read(self, text: str) -> tuple[list[str], list[str]]:
        """The message's words (fillers dropped, typos corrected) and their stems."""
        budget = MAX_WORDS_TO_CORRECT
        result: list[str] = []
        written: list[str] = []
        corrections: dict[str, str] = {}
        reader = self._reader
        for word in reader.words(text):
            if word in reader.fillers:
                continue
            unknown = word not in self._known and word not in self._common
            if unknown and len(word) >= TYPO_MIN_LENGTH and budget > 0:
                if word not in corrections:
                    budget -= 1
                    corrections[word] = self._correct(word)
                word = corrections[word]
            written.append(word)
            result.append(reader.stem(word))
        return written, result

    def _correct(self, word: str) -> str:
        edits = 2 if len(word) >= LONG_WORD else 1
        match = process.extractOne(
            word, self._targets, scorer=DamerauLevenshtein.distance, score_cutoff=edits
        )
        if match is None:
            return word
        # A word clearly closer to an everyday word is not a signal: "terapist" is one edit
        # from "therapist", two from "rapist"; "shoping" one from "shopping".  On a tie,
        # safety first: "kil" is "kill".
        closer = match[1] - 1
        if closer >= 0 and self._near_ordinary(word, closer):
            return word
        return match[0]

    def _near_ordinary(self, word: str, edits: int) -> bool:
        """Whether an ordinary or common word lies within `edits` of `word`."""
        for words_list in (self._ordinary, self._common_near(len(word))):
            found = process.extractOne(
                word, words_list, scorer=DamerauLevenshtein.distance, score_cutoff=edits
            )
            if found is not None:
                return True
        return False

    def _common_near(self, length: int) -> list[str]:
        """Common words of `length` letters, one more or one less (built on first need for
        every length at once and kept, never pickled: 70,000 words are too many to gather
        again for each unknown word)."""
        near = self.__dict__.get("_common_near_length")
        if near is None:
            by_length: dict[int, list[str]] = {}
            for common in self._common if isinstance(self._common, Iterable) else ():
                by_length.setdefault(len(common), []).append(common)
            near = {
                n: [w for m in (n - 1, n, n + 1) for w in by_length.get(m, ())]
                for n in range(1, max(by_length, default=0) + 2)
            }
            self._common_near_length = near
        return near.get(length, [])

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_common_near_length", None)
        return state
