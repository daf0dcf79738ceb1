"""Help a visitor discover what to ask: completion and grey suggestions from the KB's questions.

A question matches what is typed when most typed words (and always the one
being typed) start a word of the question or of one of its paraphrases, in any
order, or nearly are one (a typo).  The bot's own retrieval then adds what
synonyms find.  The canonical question is what gets inserted, so "do we have
to get na" offers "Is there any nudity or sex in sex therapy sessions?".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from prompt_toolkit.auto_suggest import AutoSuggest, Suggestion
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from rapidfuzz import fuzz

from faqbot.model import Entry, Settings

DEFAULTS = Settings()

WORDS = re.compile(r"[\w']+")
MAX_COMPLETIONS = 12
MIN_COVERAGE = 0.6


def words(text: str) -> tuple[str, ...]:
    """Lower-cased words, punctuation dropped."""
    return tuple(WORDS.findall(text.lower()))


def word_matches(typed: str, word: str, settings: Settings = DEFAULTS) -> bool:
    """A typed word matches a word it starts, or one it nearly is (as settings.yaml says
    a typo is near)."""
    if word.startswith(typed):
        return True
    if len(typed) < settings.typo_min_length:
        return False
    return fuzz.ratio(typed, word) >= settings.typo_similarity


def coverage(
    phrasing: tuple[str, ...], typed: tuple[str, ...], settings: Settings = DEFAULTS
) -> float:
    """Share of the typed words the phrasing matches; 0 unless it matches the last one.

    The last word is the one being typed, so it is the one a completion must fit.
    """
    *complete, last = typed
    if not any(word_matches(last, w, settings) for w in phrasing):
        return 0.0
    hits = 1 + sum(any(word_matches(t, w, settings) for w in phrasing) for t in complete)
    return hits / len(typed)


def closeness(phrasing: tuple[str, ...], typed: tuple[str, ...]) -> int:
    """0 when the phrasing starts with the typed words, 1 when it holds them in a row, else 2.

    "is th" is closer to "Is there homework…" (its start) than to "What is sex
    therapy?" (both words, apart): coverage alone ranks them equal.
    """
    *complete, last = typed
    for start in range(len(phrasing) - len(typed) + 1):
        window = phrasing[start : start + len(typed)]
        if list(window[:-1]) == complete and window[-1].startswith(last):
            return 0 if start == 0 else 1
    return 2


@dataclass(frozen=True, slots=True)
class Ranking:
    """What the bot's own retrieval makes of the typed text."""

    ids: tuple[str, ...] = ()
    # The safety layer would answer this text: offer no questions while it is typed.
    crisis: bool = False


Ranker = Callable[[str], Ranking]


class QuestionIndex:
    """The knowledge base's phrasings, split into words once."""

    def __init__(
        self,
        entries: Iterable[Entry],
        ranker: Ranker | None = None,
        settings: Settings = DEFAULTS,
    ) -> None:
        """`settings`: the knowledge base's, for how near a typo must be."""
        self.entries = tuple(entries)
        self._settings = settings
        self._by_id = {e.id: e for e in self.entries}
        self._phrasings = [tuple(words(p) for p in e.phrasings) for e in self.entries]
        self._ranker = ranker

    def matching(self, text: str, limit: int = MAX_COMPLETIONS) -> list[Entry]:
        """Entries for the typed text: word matches, best first, then what retrieval adds."""
        typed = words(text)
        if not typed:
            return list(self.entries[:limit])
        ranking = self.rank(text)
        if ranking.crisis:
            return []
        found = self._word_matches(typed)
        found += [self._by_id[i] for i in ranking.ids if self._by_id[i] not in found]
        return found[:limit]

    def rank(self, text: str) -> Ranking:
        """The retrieval's view of `text` (nothing when there is no retrieval)."""
        return self._ranker(text) if self._ranker else Ranking()

    def _word_matches(self, typed: tuple[str, ...]) -> list[Entry]:
        scored = []
        for position, (entry, phrasings) in enumerate(
            zip(self.entries, self._phrasings, strict=True)
        ):
            scores = [coverage(p, typed, self._settings) for p in phrasings]
            best = max(scores)
            if best >= MIN_COVERAGE:
                # The question is what gets inserted, so its wording counts first.
                near = (closeness(phrasings[0], typed), min(closeness(p, typed) for p in phrasings))
                # Then ties go to the entry whose own question matched, then to KB order.
                scored.append((-best, near, scores[0] < best, position, entry))
        return [entry for *_, entry in sorted(scored, key=lambda row: row[:4])]

    def continuation(self, text: str) -> str | None:
        """The rest of the first question (then paraphrase) that starts with `text`."""
        if self.rank(text).crisis:
            return None
        lowered = text.lower()
        questions = (e.question for e in self.entries)
        paraphrases = (p for e in self.entries for p in e.paraphrases)
        for phrasing in (*questions, *paraphrases):
            if len(phrasing) > len(text) and phrasing.lower().startswith(lowered):
                return phrasing[len(text) :]
        return None


class QuestionCompleter(Completer):
    """Completes slash commands, and questions from the knowledge base."""

    def __init__(self, index: QuestionIndex, commands: Mapping[str, str]) -> None:
        self.index = index
        self.commands = commands

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        """Commands after `/`; questions once two letters are typed (or on Tab)."""
        text = document.text_before_cursor
        if text.lstrip().startswith("/"):
            yield from self._commands(text)
        elif _worth_completing(text, complete_event.completion_requested):
            for entry in self.index.matching(text):
                yield Completion(entry.question, -len(text), display_meta=entry.topic)

    def _commands(self, text: str) -> Iterator[Completion]:
        typed = text.strip().lower()
        for name, summary in self.commands.items():
            if f"/{name}".startswith(typed):
                yield Completion(f"/{name}", -len(text), display_meta=summary)


def _worth_completing(text: str, requested: bool) -> bool:
    stripped = text.strip()
    if stripped.isdigit():
        return False  # a number picks a choice; offering questions would get in the way
    return requested or len(stripped) >= 2


class QuestionSuggest(AutoSuggest):
    """Grey text after the cursor: the rest of a question that starts like the typed text."""

    def __init__(self, index: QuestionIndex, commands: Iterable[str]) -> None:
        self.index = index
        self.commands = tuple(f"/{name}" for name in commands)

    def get_suggestion(self, buffer: Buffer, document: Document) -> Suggestion | None:
        """A suggestion for the text typed so far, or None."""
        text = document.text
        if text.startswith("/"):
            rest = next((c[len(text) :] for c in self.commands if c.startswith(text.lower())), "")
            return Suggestion(rest) if rest else None
        if len(text.strip()) < 2 or text.strip().isdigit():
            return None
        rest = self.index.continuation(text)
        return Suggestion(rest) if rest else None
