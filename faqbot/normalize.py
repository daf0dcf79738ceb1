"""Turn any text into the tokens retrieval compares: one function for questions and answers alike.

The same pipeline runs over the knowledge base at load time and over each
question, so "Do we have to get NAKED?!" and the paraphrase "is there nudity"
meet on the same token (`nude`).  Steps: clean Unicode and control characters,
lower-case, expand contractions and chat spellings, correct typos against the
knowledge base's own words, stem (Snowball), map synonyms, drop stop words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable
from functools import lru_cache
from itertools import compress, count, filterfalse, pairwise

import snowballstemmer
from rapidfuzz import fuzz, process

from faqbot.model import Settings

# Control characters and terminal escape sequences never carry meaning in a question.
_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles and the like
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor movement
    r"|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
_APOSTROPHES = ("’", "‘", "`", "´")
# Contractions written out, in one pass; the alternatives are tried in this order.
_CONTRACTIONS = {
    "can't": "can not",
    "won't": "will not",
    "n't": " not",
    "'re": " are",
    "'m": " am",
    "'ve": " have",
    "'ll": " will",
    "'d": " would",
    "'s": "",
}
# The lookahead changes no match; it lets the regex engine skip to where one can start,
# several times faster on a long answer.
_CONTRACTION = re.compile(r"(?=[cwn'])(?:\bcan't\b|\bwon't\b|n't\b|'(?:re|m|ve|ll|d|s)\b)")
_WORD = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")  # the same, for lower-case ASCII text (and faster)

# How people type in chat, written out; shared with the safety layer ("bf hits me").
CHAT_SPELLINGS: dict[str, str] = {
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "cant": "can not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "havent": "have not",
    "hasnt": "has not",
    "hadnt": "had not",
    "wont": "will not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "couldnt": "could not",
    "im": "i am",
    "ive": "i have",
    "youre": "you are",
    "theyre": "they are",
    "whats": "what is",
    "thats": "that is",
    "theres": "there is",
    "hes": "he is",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "u": "you",
    "ur": "your",
    "r": "are",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "thanx": "thanks",
    "ty": "thank you",
    "abt": "about",
    "w": "with",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "idk": "i do not know",
    "ppl": "people",
    "sth": "something",
    "smth": "something",
}
# Word caches are emptied beyond this size: a flood of made-up words must not grow memory.
MAX_CACHED = 100_000
_JOINED = {("my", "self"): "myself", ("him", "self"): "himself", ("her", "self"): "herself"}
# The words `words()` writes out or joins: a text with none of them is done once split.
_WRITTEN_OUT = frozenset(CHAT_SPELLINGS) | {second for _, second in _JOINED}

# Function words only: negations, "who", "why", "alone" and "myself" carry meaning here.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "me",
        "more",
        "most",
        "my",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "whatever",
        "when",
        "where",
        "which",
        "while",
        "whom",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "can",
        "may",
        "might",
        "must",
        "shall",
        "also",
        "really",
        "like",
        "get",
        "got",
        "go",
        "going",
        "want",
        "wanted",
        "please",
        "ok",
        "okay",
        "um",
        "uh",
        "lol",
        "anyone",
        "somebody",
        "someone",
        "one",
        "thing",
        "things",
        "kind",
        "sort",
        "actually",
        "maybe",
        "even",
        "still",
        "yes",
        "yeah",
        "much",
        "many",
        "lot",
        "lots",
        "bit",
        "im",
        "ya",
        "wondering",
        "wonder",
        "curious",
        "dumb",
        "silly",
        "stupid",
        "quick",
        "guess",
        "basically",
        "honestly",
        "literally",
        "us",
        "every",
        "ever",
        "something",
        "anything",
        "everything",
        "whenever",
        "because",
        "instead",
        "now",
        "ago",
    ]
)

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of one lower-case word, cached: the vocabulary is small."""
    return _stemmer.stemWord(word)


def clean(text: str, max_chars: int | None = None) -> str:
    """Unicode-normalize, drop control characters and escape sequences, collapse spaces."""
    if max_chars is not None:
        text = text[:max_chars]
    return " ".join(_unescaped(text).split())


def _unescaped(text: str) -> str:
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():  # every escape starts with a non-printable character
        text = _ESCAPES.sub(" ", text)
    return text


def words(text: str) -> list[str]:
    """Lower-case words with contractions and chat spellings written out."""
    # Not `clean`: how many spaces stand between words changes none of the steps below.
    if _is_plain(text):
        # Nothing to unescape, normalize or write out (most text): straight to the words.
        return _written_out_words(_ASCII_WORD.findall(text.lower()))
    return _written_out_words(_words_of_unusual(text))


def words_of_processed(text: str, processed: str) -> list[str]:
    """`words(text)`, given `processed`, rapidfuzz's `default_process(text)`.

    For plain ASCII text (most paraphrases) default_process has done the work
    already: lower case, and a space for anything that is not a letter or digit.
    An index needs both, and a split is many times cheaper than a regex.
    """
    if _is_plain(text):
        return _written_out_words(processed.split())
    return words(text)


def _is_plain(text: str) -> bool:
    """Printable ASCII with no apostrophe: nothing to unescape, normalize or expand."""
    return text.isascii() and text.isprintable() and "'" not in text and "`" not in text


def _written_out_words(found: list[str]) -> list[str]:
    """`found` with chat spellings written out and split words ("my self") joined."""
    if _WRITTEN_OUT.isdisjoint(found):
        return found  # nothing to write out or join
    result: list[str] = []
    for word in found:
        expanded = CHAT_SPELLINGS.get(word, word)
        if result and (result[-1], expanded) in _JOINED:
            result[-1] = _JOINED[(result[-1], expanded)]
        elif expanded is word:
            result.append(word)
        else:
            result.extend(expanded.split())
    return result


def _words_of_unusual(text: str) -> list[str]:
    """`words` up to the chat spellings, for text with escapes, apostrophes or non-ASCII."""
    lowered = _unescaped(text).casefold()
    if "`" in lowered or not lowered.isascii():  # every other variant is outside ASCII
        for variant in _APOSTROPHES:  # str.replace is many times faster than str.translate
            if variant in lowered:
                lowered = lowered.replace(variant, "'")
    if "'" in lowered:  # every contraction has one; most text has none
        lowered = _CONTRACTION.sub(_contraction_written_out, lowered)
    return (_ASCII_WORD if lowered.isascii() else _WORD).findall(lowered)


def _contraction_written_out(match: re.Match[str]) -> str:
    return _CONTRACTIONS[match.group()]


class Normalizer:
    """The full pipeline, configured with a knowledge base's synonyms and vocabulary."""

    def __init__(
        self,
        synonyms: dict[str, str],
        typo_similarity: float = 84,
        typo_min_length: int = 4,
        real_words: Container[str] = frozenset(),
    ) -> None:
        # Real words of the language are never typos, even when close to a known one.
        self._real_words = real_words
        self._typo_similarity = typo_similarity
        self._typo_min_length = typo_min_length
        self._synonyms = _stemmed_synonyms(synonyms)
        # One-word synonyms are a plain lookup; only where a longer one starts is there a search.
        self._single = {key[0]: value for key, value in self._synonyms.items() if len(key) == 1}
        self._longest: dict[str, int] = {}
        for key in self._synonyms:
            if len(key) > 1:
                self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))
        self._pairs = {key[:2] for key in self._synonyms if len(key) > 1}
        self._stop_stems = frozenset(stem(word) for word in STOP_WORDS)
        self._known: set[str] = set()
        self._by_initial: dict[str, list[str]] = {}
        self._corrections: dict[str, str] = {}
        # word -> stem of its correction: the same few thousand words make up every text.
        self._stems: dict[str, str] = {}
        # stem -> its one-word synonym's token, or "" for a stop word or a number.
        self._meaning: dict[str, str] = {}
        # Small words are typed wrong too ("abotu", "durign"): left as they are, an unknown
        # word weighs more than any known one and pulls the question away from its entry.
        self.learn_words([sorted(STOP_WORDS)])

    @classmethod
    def configured(
        cls, synonyms: dict[str, str], settings: Settings, real_words: Container[str]
    ) -> Normalizer:
        """A normalizer set up as a knowledge base's settings say (every bot builds one so)."""
        return cls(synonyms, settings.typo_similarity, settings.typo_min_length, real_words)

    def learn(self, texts: Iterable[str]) -> None:
        """Add the words of `texts` to the vocabulary that typos are corrected towards."""
        self.learn_words(words(text) for text in texts)

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
        return self.tokens_of_words(words(text))

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
        stemmed = stem(self.correct(word))
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


def _stemmed_synonyms(synonyms: dict[str, str]) -> dict[tuple[str, ...], str]:
    stemmed: dict[tuple[str, ...], str] = {}
    for variant, canonical in synonyms.items():
        key = tuple(stem(word) for word in words(variant))
        if key:
            stemmed[key] = stem(canonical)
    return stemmed
