"""Find the entries a question is about: an inverted index picks candidates, rapidfuzz reranks.

Why not `process.extractOne(question, paraphrases, scorer=WRatio)`?  WRatio and
the partial scorers give short strings contained in long ones a near-perfect
score ("hi" swallows every question that starts with "hi"), token_set_ratio is
100 whenever one side's words are a subset of the other's, and extractOne
always returns something.  It is also linear in the knowledge base.

So a match is scored from signals over normalized tokens:
- `ratio`: rapidfuzz's ratio of the two token lists, sorted (token_sort_ratio);
- `coverage`: how much of the question's meaning (idf-weighted tokens) the paraphrase has;
- `precision`: how much of the paraphrase's meaning the question has;
- `wording`: rapidfuzz's ratio of the question as typed and the paraphrase, small words
  and all.  Normalizing drops words that still tell two phrasings apart: "what is a sex
  therapist" and "should we see a sex therapist" share every token;
- `entry_coverage`: how much of the question's meaning any phrasing of the entry has
  (long questions mix words from several ways of asking the same thing);
- `answer_coverage`: the same over the entry's phrasings and its answer.
A question that shares only common words with everything scores low and falls back.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Sequence
from itertools import chain
from math import fsum
from typing import NamedTuple

from rapidfuzz import fuzz, process, utils

from faqbot.model import Entry, Settings
from faqbot.normalize import Normalizer

# Scores add word weights with math.fsum, which is exact: the order a set yields its words
# in varies with PYTHONHASHSEED and must never change a reply.
# A very common token's postings are only walked when rarer tokens found too few candidates;
# once there are enough, it re-weighs the candidates found instead (when that is cheaper).
LONG_POSTINGS = 500
# One phrasing's score, ratio, coverage, precision, wording, evidence and position.
Signals = tuple[float, float, float, float, float, float, int]


class Candidate(NamedTuple):
    """One entry's best-matching phrasing for a question, with the signals behind its score."""

    entry: Entry
    phrasing: str
    score: float
    ratio: float
    coverage: float
    precision: float
    wording: float = 0.0
    entry_coverage: float = 0.0
    answer_coverage: float = 0.0
    # How much meaning (summed idf) the question and the phrasing share: a lone common
    # word fully covered ("times" -> "first time") is weak evidence however high the ratio.
    evidence: float = 0.0


class Prepared(NamedTuple):
    """Every phrasing of some entries, in order, as typed and as tokens, and the words used."""

    # As rapidfuzz's default_process leaves it, for the `wording` signal.
    typed: list[str]
    tokens: list[tuple[str, ...]]
    vocabulary: set[str]


def prepare(entries: Sequence[Entry], normalizer: Normalizer) -> Prepared:
    """The typed form and tokens of every phrasing; `normalizer` learns their words first.

    A phrasing's tokens depend only on its own words once they are known (a known word
    is never taken for a typo), so entries can be prepared in parts, each with its own
    normalizer configured alike, and joined.
    """
    phrasings = [p for entry in entries for p in entry.phrasings]
    typed = list(map(utils.default_process, phrasings))
    split = list(map(normalizer.words_of_processed, phrasings, typed))
    vocabulary = set(chain.from_iterable(split))
    normalizer.learn_words([vocabulary])
    return Prepared(typed, list(map(normalizer.tokens_of_words, split)), vocabulary)


class RetrievalIndex:
    """All phrasings of all entries, normalized once at load time."""

    def __init__(
        self,
        entries: Sequence[Entry],
        normalizer: Normalizer,
        settings: Settings,
        prepared: Prepared | None = None,
    ):
        """`prepared`: `prepare(entries, normalizer)`, when the caller has it already."""
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
        prepared = prepared or prepare(entries, normalizer)
        phrasings = zip(prepared.tokens, prepared.typed, strict=True)
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

    def rank(
        self, text: str, tokens: Sequence[str], bonus: dict[str, float] | None = None
    ) -> list[Candidate]:
        """Entries ordered by their best phrasing's score, best first (one per entry).

        `text` is the question as typed (for the `wording` signal), `tokens` its tokens.
        """
        query = frozenset(tokens)
        if not query:
            return []
        query_sorted = " ".join(sorted(tokens))
        query_weight = fsum(self.idf(t) for t in query)
        typed = utils.default_process(text)
        # Each entry's best phrasing, as plain signals: a Candidate is built per entry, not
        # per phrasing scored.
        best: dict[str, Signals] = {}
        owner = self._owner
        for position in self._candidate_positions(query, typed):
            signals = self._score(position, query, query_sorted, query_weight, typed)
            entry_id = owner[position].id
            current = best.get(entry_id)
            if current is None or signals[0] > current[0]:
                best[entry_id] = signals
        bonus = bonus or {}
        ranked = [self._candidate(signals, query, query_weight, bonus) for signals in best.values()]
        # On equal scores the closer wording wins; the id only keeps the order stable.
        ranked.sort(key=lambda c: (-c.score, -c.wording, -c.ratio, c.entry.id))
        return ranked

    def _candidate_positions(self, query: frozenset[str], typed: str) -> list[int]:
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

    def _score(
        self,
        position: int,
        query: frozenset[str],
        query_sorted: str,
        query_weight: float,
        typed: str,
    ) -> Signals:
        shared = fsum(self._idf[t] for t in query & self._tokens[position])
        coverage = shared / query_weight
        precision = shared / self._weight[position]
        ratio = fuzz.ratio(query_sorted, self._sorted[position])
        wording = fuzz.ratio(typed, self._typed[position])
        settings = self._settings
        score = (
            settings.weight_ratio * ratio
            + settings.weight_wording * wording
            + 100 * settings.weight_coverage * coverage
            + 100 * settings.weight_precision * precision
        )
        return score, ratio, coverage, precision, wording, shared, position

    def _candidate(
        self, signals: Signals, query: frozenset[str], query_weight: float, bonus: dict[str, float]
    ) -> Candidate:
        """An entry's best phrasing with the entry-level signals (and any bonus) added."""
        score, ratio, coverage, precision, wording, shared, position = signals
        entry = self._owner[position]
        entry_coverage = self._covered(query, self._entry_tokens[entry.id]) / query_weight
        answer_coverage = self._covered(query, self._answer_tokens[entry.id]) / query_weight
        settings = self._settings
        score = score + 100 * (
            settings.weight_entry_coverage * entry_coverage
            + settings.weight_answer_coverage * answer_coverage
        )
        score = min(100.0, score + bonus.get(entry.id, 0.0))
        return Candidate(
            entry,
            self._texts[position],
            score,
            ratio,
            coverage,
            precision,
            wording,
            entry_coverage,
            answer_coverage,
            shared,
        )

    def _covered(self, query: frozenset[str], tokens: frozenset[str]) -> float:
        return fsum(self.idf(t) for t in query & tokens)


def _idf(entry_tokens: dict[str, frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency, each entry's phrasings being one document."""
    counts: dict[str, int] = {}
    for tokens in entry_tokens.values():
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
    total = len(entry_tokens) or 1
    return {token: math.log(1 + total / count) for token, count in counts.items()}
