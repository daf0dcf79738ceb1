"""Find the entries a question is about: an inverted index picks candidates, named signals rank.

Why not `process.extractOne(question, paraphrases, scorer=WRatio)`?  WRatio and
the partial scorers give short strings contained in long ones a near-perfect
score ("hi" swallows every question that starts with "hi"), token_set_ratio is
100 whenever one side's words are a subset of the other's, and extractOne
always returns something.  It is also linear in the knowledge base.

So a match is scored from the signals in `SIGNALS`, each a value from 0 to 1,
mixed by the weights in settings.yaml (`retrieval.weights`, one per signal):
score = 100 x the sum of weight x value.  A phrasing-level signal compares the
question with one phrasing (the entry's best phrasing counts); an entry-level
one compares it with the entry as a whole.  Adding a signal is one function in
`faqbot/retrieval_signals.py`, one row of `SIGNALS` here and one line in
settings.yaml.  A question that shares only common words with everything scores
low and falls back.  The candidates come from `faqbot/retrieval_index.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import mul
from typing import Literal, NamedTuple

from faqbot import retrieval_signals as measure
from faqbot.model import Entry
from faqbot.retrieval_index import PhrasingIndex, Query, View
from faqbot.retrieval_signals import Match

Level = Literal["phrasing", "entry"]


class Signal(NamedTuple):
    """One named term of the score: a function from a `Match` to a value from 0 to 1."""

    name: str
    level: Level
    value: Callable[[Match], float]


# Every term the score can have; settings.yaml gives each a weight (0 turns one off).
SIGNALS = (
    Signal("ratio", "phrasing", measure.ratio),
    Signal("wording", "phrasing", measure.wording),
    Signal("coverage", "phrasing", measure.coverage),
    Signal("precision", "phrasing", measure.precision),
    Signal("entry_coverage", "entry", measure.entry_coverage),
    Signal("answer_coverage", "entry", measure.answer_coverage),
    Signal("semantic", "phrasing", measure.semantic),
    Signal("entry_semantic", "entry", measure.entry_semantic),
    Signal("entry_words", "entry", measure.entry_words),
    Signal("scope", "entry", measure.scope),
)
SIGNAL_NAMES = tuple(signal.name for signal in SIGNALS)
# The signals that need the sentence encoder (its vectors, or its tokenizer for the word
# model): a message is embedded only when one weighs.
SEMANTIC_SIGNALS = ("semantic", "entry_semantic", "entry_words", "scope")
PHRASING_SIGNALS = tuple(signal for signal in SIGNALS if signal.level == "phrasing")
ENTRY_SIGNALS = tuple(signal for signal in SIGNALS if signal.level == "entry")
PHRASING_NAMES = tuple(signal.name for signal in PHRASING_SIGNALS)
PHRASING_VALUES = tuple(signal.value for signal in PHRASING_SIGNALS)


class Candidate(NamedTuple):
    """One entry's best-matching phrasing for a question, with the signals behind its score."""

    entry: Entry
    phrasing: str
    score: float
    # Signal name -> value from 0 to 1, for every signal in `SIGNALS`.
    signals: Mapping[str, float]
    # How much meaning (summed idf) the question and the phrasing share: a lone common
    # word fully covered ("times" -> "first time") is weak evidence however high the ratio.
    evidence: float = 0.0


class PhrasingEvidence(NamedTuple):
    """One candidate phrasing's signal values, before any weight."""

    phrasing: str
    # One value per signal of `PHRASING_SIGNALS`, in order (a tuple: this is the hot loop).
    values: tuple[float, ...]
    shared: float

    @property
    def signals(self) -> dict[str, float]:
        """The values by signal name."""
        return dict(zip(PHRASING_NAMES, self.values, strict=True))


class EntryEvidence(NamedTuple):
    """What every signal says about one candidate entry, before any weight (see `ranked`)."""

    entry: Entry
    phrasings: tuple[PhrasingEvidence, ...]
    signals: dict[str, float]


def ranked(found: Sequence[EntryEvidence], weights: Mapping[str, float]) -> list[Candidate]:
    """Entries ordered by score with `weights`, best first: each one's best phrasing counts."""
    phrasing_weights = tuple(weights[name] for name in PHRASING_NAMES)
    candidates = [_weighed(evidence, weights, phrasing_weights) for evidence in found]
    # On equal scores the closer wording wins; the id only keeps the order stable.
    candidates.sort(
        key=lambda c: (-c.score, -c.signals["wording"], -c.signals["ratio"], c.entry.id)
    )
    return candidates


def _weighed(
    evidence: EntryEvidence, weights: Mapping[str, float], phrasing_weights: tuple[float, ...]
) -> Candidate:
    scores = [sum(map(mul, phrasing_weights, p.values)) for p in evidence.phrasings]
    at = max(range(len(scores)), key=scores.__getitem__)  # the first of equals
    best = evidence.phrasings[at]
    entry_score = sum(weights[name] * value for name, value in evidence.signals.items())
    score = 100 * (scores[at] + entry_score)
    signals = {**best.signals, **evidence.signals}
    return Candidate(evidence.entry, best.phrasing, score, signals, best.shared)


class RetrievalIndex(PhrasingIndex):
    """The phrasing index that measures every signal of `SIGNALS` on its candidates."""

    def rank(self, text: str, tokens: Sequence[str], *more: View) -> list[Candidate]:
        """Entries ordered by their best phrasing's score, best first (one per entry).

        `text` is the question as typed (for the `wording` signal), `tokens` its tokens;
        `more`: other views of the same message (the best of them counts).
        """
        return ranked(self.evidence(View(text, tokens), *more), self._settings.weights)

    def evidence(self, *views: View) -> list[EntryEvidence]:
        """Every signal's value for each candidate entry and phrasing, before any weight.

        With several views of a message, an entry has the phrasings found by each and
        the best of each entry-level signal.  `rank` weighs these with the settings;
        `faqbot tune` weighs them many ways.
        """
        found: dict[str, EntryEvidence] = {}
        for view in views:
            for evidence in self._evidence_of(self.query(view)):
                found[evidence.entry.id] = _joined(found.get(evidence.entry.id), evidence)
        return list(found.values())

    def _evidence_of(self, query: Query) -> list[EntryEvidence]:
        found: dict[str, tuple[Match, list[PhrasingEvidence]]] = {}
        for position in self.candidate_positions(query):
            shared = self.shared(query, position)
            match = Match(self, query, position, shared)
            values = tuple([value(match) for value in PHRASING_VALUES])
            phrasing = PhrasingEvidence(self.phrasing(position), values, shared)
            found.setdefault(self.owner(position).id, (match, []))[1].append(phrasing)
        # Entry-level signals read what is measured once over all the candidate entries.
        known = query._replace(closeness=self.closeness(query, list(found)))
        return [
            EntryEvidence(
                match.entry, tuple(phrasings), _entry_signals(match._replace(query=known))
            )
            for match, phrasings in found.values()
        ]


def _entry_signals(match: Match) -> dict[str, float]:
    return {signal.name: signal.value(match) for signal in ENTRY_SIGNALS}


def _joined(old: EntryEvidence | None, new: EntryEvidence) -> EntryEvidence:
    """One entry's evidence from two views of a message: both's phrasings, the best signals."""
    if old is None:
        return new
    best = {name: max(value, new.signals[name]) for name, value in old.signals.items()}
    return EntryEvidence(old.entry, old.phrasings + new.phrasings, best)
