"""The knowledge base as plain, frozen values: what the loader produces and the bot reads."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from faqbot.reply import Resource
from faqbot.word_features import LexicalSettings

# An entry id: kebab-case, stable once published (links and logs refer to it).
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# `{name}` in a sentence: a practice detail, filled at load, or a value a front end fills in.
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# The shipped knowledge/settings.yaml's `retrieval.weights`.
DEFAULT_WEIGHTS = {
    "ratio": 0.077,
    "wording": 0.169,
    "coverage": 0.0,
    "precision": 0.0,
    "entry_coverage": 0.034,
    "answer_coverage": 0.053,
    "semantic": 0.124,
    "entry_semantic": 0.0,
    "entry_words": 0.167,
    "scope": 0.376,
}


class Entry(NamedTuple):
    """One question the practice answers, with the ways visitors ask it."""

    id: str
    question: str
    paraphrases: tuple[str, ...]
    answer: str
    related: tuple[str, ...]
    topic: str
    path: Path
    line: int
    # Shared empty defaults are safe: nothing mutates a loaded knowledge base.
    review: dict[str, str] = {}  # noqa: RUF012 (never mutated, see above)
    # Line of each paraphrase (same order) and of each field, for messages that point at one.
    paraphrase_lines: tuple[int, ...] = ()
    field_lines: dict[str, int] = {}  # noqa: RUF012

    @property
    def phrasings(self) -> tuple[str, ...]:
        """Everything retrieval matches against: the canonical question first."""
        return (self.question, *self.paraphrases)


class Settings(NamedTuple):
    """Retrieval and decision thresholds (knowledge/settings.yaml)."""

    # The defaults are the shipped knowledge/settings.yaml, which documents each one.
    # Signal name (faqbot.retrieval.SIGNALS) -> its weight in the score.
    weights: dict[str, float] = DEFAULT_WEIGHTS
    # Weight of a word the knowledge base never uses, relative to the rarest known word.
    unknown_word_weight: float = 0.5
    # Politeness ("hello", "thanks") weighs this much inside a longer question.
    courtesy_weight: float = 0.25
    # Default: the language's (faqbot/languages/), when settings.yaml names none.
    courtesy_words: tuple[str, ...] = ()
    typo_similarity: float = 80
    typo_min_length: int = 4
    candidates: int = 60
    # How many phrasings closest in meaning join the lexical candidates.
    semantic_candidates: int = 20
    # How many of an entry's closest phrasings the `entry_semantic` signal averages.
    entry_semantic_phrasings: int = 3
    # The `entry_words` model's training (faqbot.entry_words): inverse L2 strength, Adam
    # rounds and step.
    entry_words_c: float = 16.0
    entry_words_rounds: int = 60
    entry_words_step: float = 0.1
    answer: float = 52.9
    clarify_margin: float = 0.5
    clarify: float = 52.9
    # Between `clarify` and `answer`, an entry this far ahead of the next is answered.
    clear_lead: float = 2.5
    # Below this much shared meaning (summed idf) only an exact match is answered.
    min_evidence: float = 0.0
    # Below this `scope` (nearer in meaning to an out-of-scope example than to any
    # phrasing, at 0.5) only an exact match is answered.
    min_scope: float = 0.5
    max_options: int = 3
    max_question_chars: int = 1000
    # Largest knowledge file read (bytes); `faqbot.knowledge_files` has why.
    max_file_bytes: int = 50_000_000
    # `faqbot check --strict`: about what a chat bubble on a phone shows without scrolling,
    # and how many ways of asking an entry needs before visitors' wordings find it.
    max_answer_words: int = 90
    min_paraphrases: int = 5
    # `faqbot report`: how alike two unanswered questions must be to share a group.
    group_similarity: float = 70
    # The knowledge base's language: its words and default sentences, faqbot/languages/<it>.yaml.
    language: str = "en"

    def word_model(self) -> LexicalSettings:
        """How the `entry_words` model is trained."""
        return LexicalSettings(self.entry_words_c, self.entry_words_rounds, self.entry_words_step)


# Between the phrases of one part of an `a + b` signal in `Safety.signals` ("he hits me |
# she hits me + tonight"): each part is expanded on its own.
ALTERNATIVES = " | "


class Safety(NamedTuple):
    """Crisis signals and resources (knowledge/safety.yaml)."""

    message: str
    after_resources: str
    resources: tuple[Resource, ...]
    # category -> phrases, with <group> references already expanded (each part of an
    # `a + b` signal apart, its phrases joined by ALTERNATIVES).
    signals: dict[str, Sequence[str]]
    # Everyday phrases that contain a signal ("it hit me that"); a signal inside one is ignored.
    exceptions: tuple[str, ...] = ()
    # Shown above the resources.
    heading: str = ""
    # One line for a web page: where to turn in a crisis (empty: the contacts, listed).
    summary: str = ""
    # The check-in line, and the phrases (category -> phrases) that ask for it.
    checkin: str = ""
    checkin_signals: dict[str, Sequence[str]] = {}  # noqa: RUF012 (never mutated)
    # category -> the resources its reply shows, in order (all of them when not listed).
    by_category: dict[str, tuple[Resource, ...]] = {}  # noqa: RUF012
    # language -> the same, in that language (knowledge/safety.<language>.yaml).
    translations: dict[str, Safety] = {}  # noqa: RUF012
    # Words that show a message is in this file's language (for a translation).
    language_words: frozenset[str] = frozenset()
    # The exemplar bank the learned detector is trained on (knowledge/safety_examples/),
    # as (text, category, language) triples (faqbot.safety_bank.Exemplar; an ExemplarTable).
    examples: Sequence[tuple[str, str, str]] = ()
    # The learned detector's lines (`model:` in safety.yaml; faqbot.safety_model).
    model_settings: dict[str, float] = {}  # noqa: RUF012
    # A message with one of `jokes` ("lol") and none of `not_joking` ("not kidding") makes
    # its crisis signals weak: the learned detector must confirm them.
    jokes: tuple[str, ...] = ()
    not_joking: tuple[str, ...] = ()

    def resources_for(self, category: str | None) -> tuple[Resource, ...]:
        """The resources a reply about `category` shows, in order."""
        return self.by_category.get(category or "") or self.resources


class Practice(NamedTuple):
    """Who the practice is and every sentence the bot and its front ends say on their own.

    Each sentence map holds the language's defaults (faqbot/languages/) overridden by
    practice.yaml, with the practice's details filled in.
    """

    details: dict[str, str]
    disclaimer: str
    messages: dict[str, str]
    # Entry ids offered as chips: when a conversation starts, and after a fallback.
    suggestions: dict[str, tuple[str, ...]] = {}  # noqa: RUF012 (never mutated)
    # The chat widget's words (sent in /api/welcome) and the demo page's text.
    widget: dict[str, str] = {}  # noqa: RUF012
    page: dict[str, str] = {}  # noqa: RUF012

    def message(self, name: str, **values: str) -> str:
        """A sentence by name ('fallback', 'welcome', ...), with `values` for its `{...}`."""
        text = self.messages.get(name, "")
        if not values:
            return text
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)

    def greeting(self, stored: bool) -> str:
        """The welcome whose privacy sentence is true: `welcome_logging` when questions and
        ratings are stored (`--log-unanswered`), else `welcome` ("nothing ... is stored")."""
        return self.message("welcome_logging" if stored else "welcome")


class WordList:
    """A large, read-only set of words (common_words.txt) that is cheap to unpickle.

    A start from the cache would otherwise spend 5 ms hashing 30,000 words that
    only a typo ever looks up: the cache holds them as one string, and the set
    is built the first time a word is looked up.
    """

    __slots__ = ("_text", "_words")

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._words: frozenset[str] | None = frozenset(words)
        self._text = ""

    def __contains__(self, word: object) -> bool:
        return word in self._set()

    def __iter__(self) -> Iterator[str]:
        return iter(self._set())

    def __len__(self) -> int:
        return len(self._set())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordList) and self._set() == other._set()

    def __hash__(self) -> int:
        return hash(self._set())

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return _word_list_from_text, ("\n".join(sorted(self._set())),)

    def _set(self) -> frozenset[str]:
        words = self._words
        if words is None:  # two threads may both build it: the same set, no harm done
            words = self._words = frozenset(self._text.split("\n")) if self._text else frozenset()
        return words


def _word_list_from_text(text: str) -> WordList:
    """Unpickling: keep the text, build the set on the first lookup."""
    words = WordList()
    words._words, words._text = None, text
    return words


class KnowledgeBase(NamedTuple):
    """Everything the bot knows, loaded and validated."""

    root: Path
    entries: tuple[Entry, ...]
    practice: Practice
    settings: Settings
    safety: Safety
    # variant phrase (as written) -> canonical word
    synonyms: dict[str, str]
    topics: tuple[str, ...] = ()
    # Real words of the language: never "corrected" as typos (knowledge/common_words.txt).
    common_words: WordList = WordList()
    # Messages the bot must not answer (knowledge/out_of_scope.yaml): the `scope` signal.
    out_of_scope: tuple[str, ...] = ()
