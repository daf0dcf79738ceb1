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
one compares it with the entry as a whole.  Adding a signal is one function
here and one line in settings.yaml.  A question that shares only common words
with everything scores low and falls back.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import chain
from math import fsum
from operator import mul
from typing import TYPE_CHECKING, Literal, NamedTuple

from rapidfuzz import fuzz, process, utils

from faqbot.model import Entry, Settings
from faqbot.normalize import Normalizer
from faqbot.semantic import Embed, SemanticIndex

if TYPE_CHECKING:
    import numpy

# Scores add word weights with math.fsum, which is exact: the order a set yields its words
# in varies with PYTHONHASHSEED and must never change a reply.
# A very common token's postings are only walked when rarer tokens found too few candidates;
# once there are enough, it re-weighs the candidates found instead (when that is cheaper).
LONG_POSTINGS = 500


class Query(NamedTuple):
    """A question as the signals read it."""

    tokens: frozenset[str]
    # The tokens sorted and joined (for `ratio`), and the text as rapidfuzz's
    # default_process leaves it (for `wording`).
    sorted: str
    typed: str
    # The summed rarity of its tokens.
    weight: float
    # Its cosine to every indexed phrasing, when the message was embedded.
    cosines: numpy.ndarray | None = None


class View(NamedTuple):
    """One way of reading a message: the whole of it, or the sentence that asks."""

    text: str
    tokens: Sequence[str]
    # The text's unit vector from the sentence encoder, if it was embedded.
    vector: numpy.ndarray | None = None


class Match(NamedTuple):
    """A question beside one phrasing of an entry: what every signal function reads."""

    index: RetrievalIndex
    query: Query
    position: int
    # Summed rarity of the words the question and the phrasing share.
    shared: float

    @property
    def entry(self) -> Entry:
        """The entry the phrasing belongs to."""
        return self.index.owner(self.position)


Level = Literal["phrasing", "entry"]


class Signal(NamedTuple):
    """One named term of the score: a function from a `Match` to a value from 0 to 1."""

    name: str
    level: Level
    value: Callable[[Match], float]


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


class RetrievalIndex:
    """All phrasings of all entries, normalized once at load time."""

    def __init__(
        self,
        entries: Sequence[Entry],
        normalizer: Normalizer,
        settings: Settings,
        embed: Embed | None = None,
    ):
        """`normalizer` learns the phrasings' words (typos are corrected towards them).

        `embed` (texts -> unit vectors): with it, the semantic signals have vectors to use.
        """
        self._settings = settings
        self._normalizer = normalizer
        self._owner: list[Entry] = []
        self._texts: list[str] = []
        self._typed: list[str] = []
        self._tokens: list[frozenset[str]] = []
        self._sorted: list[str] = []
        self._postings: dict[str, list[int]] = {}
        self._entry_tokens: dict[str, frozenset[str]] = {}
        self._answer_tokens: dict[str, frozenset[str]] = {}
        phrasings = _prepared(entries, normalizer)
        for entry in entries:
            phrased = self._add_phrasings(entry, phrasings)
            self._entry_tokens[entry.id] = phrased
            self._answer_tokens[entry.id] = phrased | set(normalizer.tokens(entry.answer))
        # Rarity is judged on the ways of asking only: answers repeat key words across entries.
        self._idf = _idf(self._entry_tokens)
        courtesy = {t for word in settings.courtesy_words for t in normalizer.tokens(word)}
        for token in courtesy & self._idf.keys():
            self._idf[token] *= settings.courtesy_weight
        self._unknown_idf = math.log(1 + max(len(entries), 1)) * settings.unknown_word_weight
        idf = self._idf.__getitem__
        self._weight: list[float] = [fsum(map(idf, ts)) for ts in self._tokens]
        self._semantic = SemanticIndex(self._texts, embed) if embed else None

    @property
    def embedded(self) -> bool:
        """Whether phrasings have vectors (the semantic signals are 0 without them)."""
        return self._semantic is not None

    def __len__(self) -> int:
        return len(self._texts)

    def _add_phrasings(
        self, entry: Entry, prepared: Iterator[tuple[tuple[str, ...], str]]
    ) -> frozenset[str]:
        """Index `entry`'s phrasings (each one's tokens and typed form next in `prepared`)."""
        # Local names: this loop runs once per phrasing of a large knowledge base.
        owner, texts, typed_texts = self._owner, self._texts, self._typed
        phrasing_tokens, sorted_tokens, postings = self._tokens, self._sorted, self._postings
        added: list[frozenset[str]] = []
        for phrasing in entry.phrasings:
            tokens, typed = next(prepared)
            if not tokens:
                continue
            position = len(texts)
            unique = frozenset(tokens)
            owner.append(entry)
            texts.append(phrasing)
            typed_texts.append(typed)
            phrasing_tokens.append(unique)
            sorted_tokens.append(" ".join(sorted(tokens)))
            added.append(unique)
            for token in unique:
                if token in postings:
                    postings[token].append(position)
                else:
                    postings[token] = [position]
        return frozenset().union(*added)

    def idf(self, token: str) -> float:
        """How informative a token is: rare across entries means high."""
        return self._idf.get(token, self._unknown_idf)

    def owner(self, position: int) -> Entry:
        """The entry of the phrasing at `position`."""
        return self._owner[position]

    def query(self, view: View) -> Query:
        """A view of a message (as typed, its tokens, its vector), as the signals read it."""
        query = frozenset(view.tokens)
        weight = fsum(self.idf(t) for t in query)
        cosines = None
        if self._semantic is not None and view.vector is not None:
            cosines = self._semantic.cosines(view.vector)
        typed = utils.default_process(view.text)
        return Query(query, " ".join(sorted(view.tokens)), typed, weight, cosines)

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
        for position in self._candidate_positions(query):
            shared = fsum(self._idf[t] for t in query.tokens & self._tokens[position])
            match = Match(self, query, position, shared)
            values = tuple([value(match) for value in PHRASING_VALUES])
            phrasing = PhrasingEvidence(self._texts[position], values, shared)
            found.setdefault(self._owner[position].id, (match, []))[1].append(phrasing)
        return [
            EntryEvidence(
                match.entry,
                tuple(phrasings),
                {signal.name: signal.value(match) for signal in ENTRY_SIGNALS},
            )
            for match, phrasings in found.values()
        ]

    def covered(self, query: Query, entry_id: str, with_answer: bool = False) -> float:
        """Share of the question's meaning found in any phrasing of the entry (or its answer)."""
        tokens = (self._answer_tokens if with_answer else self._entry_tokens)[entry_id]
        found = fsum(self.idf(t) for t in query.tokens & tokens)
        return found / query.weight if query.weight else 0.0

    def sorted_tokens(self, position: int) -> str:
        """The phrasing's tokens, sorted and joined (as `Query.sorted`)."""
        return self._sorted[position]

    def typed(self, position: int) -> str:
        """The phrasing as rapidfuzz's default_process leaves it."""
        return self._typed[position]

    def meaning(self, position: int) -> float:
        """The summed rarity of the phrasing's tokens."""
        return self._weight[position]

    def _candidate_positions(self, query: Query) -> list[int]:
        """The lexical candidates, then the closest in meaning not among them."""
        lexical = self._lexical_candidates(query.tokens, query.typed) if query.tokens else []
        if query.cosines is None:
            return lexical
        nearest = SemanticIndex.nearest(query.cosines, self._settings.semantic_candidates)
        seen = set(lexical)
        return lexical + [p for p in nearest if p not in seen]

    def _lexical_candidates(self, query: frozenset[str], typed: str) -> list[int]:
        overlap: dict[int, float] = {}
        limit = self._settings.candidates
        phrasing_tokens = self._tokens
        for token in sorted(query, key=lambda t: (-self.idf(t), t)):
            postings = self._postings.get(token, ())
            weight = self._idf.get(token, 0.0)
            if len(overlap) >= limit and len(postings) > max(LONG_POSTINGS, len(overlap)):
                # Too common to bring candidates of its own, it still tells apart those found
                # ("first session" among a thousand entries about one city).
                for position in [p for p in overlap if token in phrasing_tokens[p]]:
                    overlap[position] += weight
                continue
            # The same sums as `overlap.get(position, 0.0) + weight` per position, in C loops.
            for position in overlap.keys() & postings:
                overlap[position] += weight
            overlap.update(dict.fromkeys([p for p in postings if p not in overlap], weight))
        if len(overlap) <= limit:
            return list(overlap)
        chosen = heapq.nlargest(limit, overlap, key=lambda p: (overlap[p], -p))
        return self._closest_wording_at_the_cut(chosen, overlap, typed)

    def _closest_wording_at_the_cut(
        self, chosen: list[int], overlap: dict[int, float], typed: str
    ) -> list[int]:
        """`chosen`, with the places tied at the cut given to the closest wordings.

        A question whose only meaningful word is its subject ("how do i contact you
        about diabetes") shares exactly that much with every phrasing about diabetes;
        the first ones indexed are no better than the rest.
        """
        cut = overlap[chosen[-1]]
        above = [p for p in chosen if overlap[p] > cut]
        places = len(chosen) - len(above)
        tied = [p for p, weight in overlap.items() if weight == cut]
        if len(tied) <= places:
            return chosen
        wordings = self._typed
        closest = process.extract(
            typed, [wordings[p] for p in tied], scorer=fuzz.ratio, limit=places
        )
        return above + [tied[i] for _, _, i in closest]


def _ratio(match: Match) -> float:
    """rapidfuzz's ratio of the two token lists, sorted (token_sort_ratio)."""
    return fuzz.ratio(match.query.sorted, match.index.sorted_tokens(match.position)) / 100


def _wording(match: Match) -> float:
    """rapidfuzz's ratio of the question as typed and the phrasing, small words and all.

    Normalizing drops words that still tell two phrasings apart: "what is a sex
    therapist" and "should we see a sex therapist" share every token.
    """
    return fuzz.ratio(match.query.typed, match.index.typed(match.position)) / 100


def _coverage(match: Match) -> float:
    """How much of the question's meaning (idf-weighted tokens) the phrasing has."""
    return match.shared / match.query.weight if match.query.weight else 0.0


def _precision(match: Match) -> float:
    """How much of the phrasing's meaning the question has."""
    meaning = match.index.meaning(match.position)
    return match.shared / meaning if meaning else 0.0


def _entry_coverage(match: Match) -> float:
    """How much of the question's meaning any phrasing of the entry has.

    Long questions mix words from several ways of asking the same thing.
    """
    return match.index.covered(match.query, match.entry.id)


def _answer_coverage(match: Match) -> float:
    """The same over the entry's phrasings and its answer."""
    return match.index.covered(match.query, match.entry.id, with_answer=True)


def _semantic(match: Match) -> float:
    """The cosine of the question's and the phrasing's sentence embeddings (0 if below)."""
    cosines = match.query.cosines
    return max(0.0, float(cosines[match.position])) if cosines is not None else 0.0


# Every term the score can have; settings.yaml gives each a weight (0 turns one off).
SIGNALS = (
    Signal("ratio", "phrasing", _ratio),
    Signal("wording", "phrasing", _wording),
    Signal("coverage", "phrasing", _coverage),
    Signal("precision", "phrasing", _precision),
    Signal("entry_coverage", "entry", _entry_coverage),
    Signal("answer_coverage", "entry", _answer_coverage),
    Signal("semantic", "phrasing", _semantic),
)
SIGNAL_NAMES = tuple(signal.name for signal in SIGNALS)
# The signals that need the sentence encoder: a message is embedded only when one weighs.
SEMANTIC_SIGNALS = ("semantic",)
PHRASING_SIGNALS = tuple(signal for signal in SIGNALS if signal.level == "phrasing")
ENTRY_SIGNALS = tuple(signal for signal in SIGNALS if signal.level == "entry")
PHRASING_NAMES = tuple(signal.name for signal in PHRASING_SIGNALS)
PHRASING_VALUES = tuple(signal.value for signal in PHRASING_SIGNALS)


def _joined(old: EntryEvidence | None, new: EntryEvidence) -> EntryEvidence:
    """One entry's evidence from two views of a message: both's phrasings, the best signals."""
    if old is None:
        return new
    best = {name: max(value, new.signals[name]) for name, value in old.signals.items()}
    return EntryEvidence(old.entry, old.phrasings + new.phrasings, best)


def _prepared(
    entries: Sequence[Entry], normalizer: Normalizer
) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every phrasing's tokens and typed form, in order, once `normalizer` knows their words."""
    phrasings = [p for entry in entries for p in entry.phrasings]
    # As rapidfuzz's default_process leaves it, for the `wording` signal.
    typed = list(map(utils.default_process, phrasings))
    split = list(map(normalizer.words_of_processed, phrasings, typed))
    normalizer.learn_words([set(chain.from_iterable(split))])
    tokens = list(map(normalizer.tokens_of_words, split))
    return zip(tokens, typed, strict=True)


def _idf(entry_tokens: dict[str, frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency, each entry's phrasings being one document."""
    counts: dict[str, int] = {}
    for tokens in entry_tokens.values():
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
    total = len(entry_tokens) or 1
    return {token: math.log(1 + total / count) for token, count in counts.items()}
