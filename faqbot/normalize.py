"""Turn any text into the tokens retrieval compares: one function for questions and answers alike.

The same pipeline runs over the knowledge base at load time and over each
question, so "Do we have to get NAKED?!" and the paraphrase "is there nudity"
meet on the same token (`nude`).  Steps: split into words (`faqbot.words`: clean
Unicode, lower-case, expand contractions and chat spellings), correct typos
against the knowledge base's own words, stem (Snowball), map synonyms, drop stop
words.  Every word list and the stemmer come from the knowledge base's `Language`.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from itertools import compress, count, filterfalse, pairwise

from rapidfuzz import fuzz, process

from faqbot.language import Language, get_language
from faqbot.model import Settings
from faqbot.words import WordSplitter, clean

__all__ = ["MAX_CACHED", "Normalizer", "clean"]

# Word caches are emptied beyond this size: a flood of made-up words must not grow memory.
MAX_CACHED = 100_000


class Normalizer:
    """The full pipeline, configured with a knowledge base's synonyms and vocabulary."""

    def __init__(
        self,
        synonyms: dict[str, str],
        typo_similarity: float = 84,
        typo_min_length: int = 4,
        real_words: Container[str] = frozenset(),
        language: Language | None = None,
    ) -> None:
        """`language` gives the word lists and the stemmer (default: English)."""
        self.language = language or get_language("en")
        self._splitter = WordSplitter(self.language)
        self.words = self._splitter.words
        self.words_of_processed = self._splitter.words_of_processed
        self._stem_word = self.language.stem
        # Real words of the language are never typos, even when close to a known one.
        self._real_words = real_words
        self._typo_similarity = typo_similarity
        self._typo_min_length = typo_min_length
        self._synonyms = self._stemmed_synonyms(synonyms)
        # One-word synonyms are a plain lookup; only where a longer one starts is there a search.
        self._single = {key[0]: value for key, value in self._synonyms.items() if len(key) == 1}
        self._longest: dict[str, int] = {}
        for key in self._synonyms:
            if len(key) > 1:
                self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))
        self._pairs = {key[:2] for key in self._synonyms if len(key) > 1}
        stop_words = self.language.stop_words
        self._stop_stems = frozenset(map(self._stem_word, stop_words))
        self._known: set[str] = set()
        self._by_initial: dict[str, list[str]] = {}
        self._corrections: dict[str, str] = {}
        # word -> stem of its correction: the same few thousand words make up every text.
        self._stems: dict[str, str] = {}
        # stem -> its one-word synonym's token, or "" for a stop word or a number.
        self._meaning: dict[str, str] = {}
        # Small words are typed wrong too ("abotu", "durign"): left as they are, an unknown
        # word weighs more than any known one and pulls the question away from its entry.
        self.learn_words([sorted(stop_words)])

    @classmethod
    def configured(
        cls, synonyms: dict[str, str], settings: Settings, real_words: Container[str]
    ) -> Normalizer:
        """A normalizer set up as a knowledge base's settings say (every bot builds one so)."""
        language = get_language(settings.language)
        return cls(
            synonyms, settings.typo_similarity, settings.typo_min_length, real_words, language
        )

    def learn(self, texts: Iterable[str]) -> None:
        """Add the words of `texts` to the vocabulary that typos are corrected towards."""
        self.learn_words(map(self.words, texts))

    def learn_words(self, texts: Iterable[Iterable[str]]) -> None:
        """`learn` for texts already split by `words()`."""
        new = {word for text in texts for word in text} - self._known
        if not new:
            return  # nothing a cached correction or stem depends on has changed
        self._known |= new
        for word in sorted(new):
            if len(word) >= self._typo_min_length and word.isalpha():
                self._by_initial.setdefault(word[0], []).append(word)
        self._corrections = {}
        self._stems = {}

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every word the knowledge base uses (before stemming)."""
        return frozenset(self._known)

    def tokens(self, text: str) -> tuple[str, ...]:
        """The meaningful, stemmed, synonym-mapped tokens of `text`, in order."""
        return self.tokens_of_words(self.words(text))

    def tokens_of_words(self, text: list[str]) -> tuple[str, ...]:
        """`tokens` for a text already split by `words()`."""
        # Caches are read with .get and written whole: a server's threads share this object,
        # and another thread may clear a cache between a check and a read.
        # map() and `None in` loop in C: this runs for every phrasing of a large knowledge base.
        known = self._stems
        stems = list(map(known.get, text))
        if None in stems:  # a word seen for the first time
            stems = [known.get(w) or self._stem(w) for w in text]
        mapped = self._multi_word_mapped(stems)
        if mapped is None:
            # No longer synonym here: each stem maps on its own (most texts).
            found = list(map(self._meaning.get, stems))
            if None in found:  # a stem seen for the first time
                found = [self._meaning_of(s) for s in stems]
            meaningful = tuple(filter(None, found))
            if meaningful:
                return meaningful
            # map(single.get, x, x) is [single.get(s, s) for s in x], looped in C.
            mapped = list(map(self._single.get, stems, stems))
        mapped = list(filterfalse(str.isdigit, mapped))
        meaningful = tuple(filterfalse(self._stop_stems.__contains__, mapped))
        # "what can you do?" is all stop words, yet a fair question: keep them then.
        return meaningful or tuple(mapped)

    def correct(self, word: str) -> str:
        """`word`, or the known word it is most likely a misspelling of."""
        if word in self._known or len(word) < self._typo_min_length or not word.isalpha():
            return word
        if word in self._real_words:
            return word
        corrected = self._corrections.get(word)
        if corrected is None:
            if len(self._corrections) > MAX_CACHED // 2:
                self._corrections = {}
            # People rarely mistype a word's first letter; requiring it keeps real words
            # ("rain", "park") from being "corrected" into known ones ("brain", "spark").
            targets = self._by_initial.get(word[0], ())
            match = process.extractOne(
                word, targets, scorer=fuzz.ratio, score_cutoff=self._typo_similarity
            )
            corrected = match[0] if match else word
            self._corrections[word] = corrected
        return corrected

    def _meaning_of(self, stem: str) -> str:
        """The token `stem` stands for on its own, or "" when it carries no meaning."""
        meaning = self._meaning
        if len(meaning) > MAX_CACHED:
            meaning = self._meaning = {}
        token = self._single.get(stem, stem)
        found = "" if token.isdigit() or token in self._stop_stems else token
        meaning[stem] = found
        return found

    def _stem(self, word: str) -> str:
        if len(self._stems) > MAX_CACHED:
            self._stems = {}
        stemmed = self._stem_word(self.correct(word))
        self._stems[word] = stemmed
        return stemmed

    def _multi_word_mapped(self, stems: list[str]) -> list[str] | None:
        """`stems` with every synonym mapped, or None when no multi-word synonym occurs."""
        pairs = self._pairs
        # A longer synonym can only start where its first two stems stand side by side;
        # most texts have no such pair, and checking that is one loop in C.
        if pairs.isdisjoint(pairwise(stems)):
            return None
        single, longest, synonyms = self._single, self._longest, self._synonyms
        result: list[str] = []
        index = 0
        for start in compress(count(), map(pairs.__contains__, pairwise(stems))):
            if start < index:
                continue  # inside a synonym already replaced
            for size in range(min(longest[stems[start]], len(stems) - start), 1, -1):
                match = synonyms.get(tuple(stems[start : start + size]))
                if match is not None:
                    result.extend(map(single.get, stems[index:start], stems[index:start]))
                    result.append(match)
                    index = start + size
                    break
        if not index:
            return None  # pairs that start no synonym ("are you" without "a bot")
        result.extend(map(single.get, stems[index:], stems[index:]))
        return result

    def _stemmed_synonyms(self, synonyms: dict[str, str]) -> dict[tuple[str, ...], str]:
        stemmed: dict[tuple[str, ...], str] = {}
        for variant, canonical in synonyms.items():
            key = tuple(map(self._stem_word, self.words(variant)))
            if key:
                stemmed[key] = self._stem_word(canonical)
        return stemmed
