"""The index of every phrasing: it picks a question's candidates and holds what signals read.

Each phrasing is normalized once at load time: its tokens (for the postings and
the rarity of what it shares with a question), its tokens sorted (for `ratio`),
its text as typed (for `wording`) and, with an encoder, its vector.  Which
signals there are and how they are weighed is `faqbot.retrieval`'s business.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import chain
from math import fsum
from typing import TYPE_CHECKING, NamedTuple

from rapidfuzz import fuzz, process, utils

from faqbot.entry_words import EntryWords, affordable
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
# The word model's probabilities are rounded as the cosines are: entries alike tie exactly.
WORD_DECIMALS = 6
Tokenize = Callable[[Sequence[str]], "list[tuple[int, ...]]"]


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
    # How much nearer in meaning to the phrasings than to the out-of-scope examples (0-1).
    scope: float = 0.0
    # Entry id -> mean cosine of its closest phrasings, for the candidate entries once known.
    closeness: Mapping[str, float] = {}  # never mutated: a shared empty default is safe
    # Entry id -> the word model's probability for it (faqbot.entry_words), when it read it.
    words: Mapping[str, float] = {}  # never mutated, as above


class View(NamedTuple):
    """One way of reading a message: the whole of it, or the sentence that asks."""

    text: str
    tokens: Sequence[str]
    # The text's unit vector from the sentence encoder, if it was embedded ...
    vector: numpy.ndarray | None = None
    # ... and its WordPiece token ids, for the word model.
    token_ids: tuple[int, ...] | None = None


class PhrasingIndex:
    """All phrasings of all entries, normalized once at load time."""

    def __init__(
        self,
        entries: Sequence[Entry],
        normalizer: Normalizer,
        settings: Settings,
        embed: Embed | None = None,
        out_of_scope: Sequence[str] = (),
        tokenize: Tokenize | None = None,
    ):
        """`normalizer` learns the phrasings' words (typos are corrected towards them).

        `embed` (texts -> unit vectors): with it, the semantic signals have vectors to use,
        and the `out_of_scope` examples (knowledge/out_of_scope.yaml) too.  `tokenize`
        (texts -> the encoder's token ids): with it, the word model is trained on the
        phrasings and those examples.
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
        # Each entry's phrasings sit together: positions start (included) to end (not).
        self._spans: dict[str, tuple[int, int]] = {}
        phrasings = _prepared(entries, normalizer)
        for entry in entries:
            start = len(self._texts)
            phrased = self._add_phrasings(entry, phrasings)
            self._spans[entry.id] = (start, len(self._texts))
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
        self._semantic = SemanticIndex(self._texts, embed, out_of_scope) if embed else None
        self._entry_ids = tuple(entry.id for entry in entries)
        self._words = _word_model(entries, out_of_scope, tokenize, settings) if tokenize else None

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

    def phrasing(self, position: int) -> str:
        """The phrasing at `position`, as the knowledge base writes it."""
        return self._texts[position]

    def shared(self, query: Query, position: int) -> float:
        """Summed rarity of the words the question and the phrasing at `position` share."""
        return fsum(self._idf[t] for t in query.tokens & self._tokens[position])

    def query(self, view: View) -> Query:
        """A view of a message (as typed, its tokens, its vector), as the signals read it."""
        query = frozenset(view.tokens)
        weight = fsum(self.idf(t) for t in query)
        cosines, scope = None, 0.0
        if self._semantic is not None and view.vector is not None:
            cosines = self._semantic.cosines(view.vector)
            scope = self._semantic.scope(view.vector, cosines)
        typed = utils.default_process(view.text)
        words = self._word_odds(view.token_ids)
        return Query(
            query, " ".join(sorted(view.tokens)), typed, weight, cosines, scope, words=words
        )

    def _word_odds(self, token_ids: tuple[int, ...] | None) -> dict[str, float]:
        """Entry id -> the word model's probability (none without the model or the ids)."""
        if self._words is None or token_ids is None:
            return {}
        found = self._words.probabilities([token_ids])[0].round(WORD_DECIMALS)
        return dict(zip(self._entry_ids, found.tolist(), strict=True))

    def covered(self, query: Query, entry_id: str, with_answer: bool = False) -> float:
        """Share of the question's meaning found in any phrasing of the entry (or its answer)."""
        tokens = (self._answer_tokens if with_answer else self._entry_tokens)[entry_id]
        found = fsum(self.idf(t) for t in query.tokens & tokens)
        return found / query.weight if query.weight else 0.0

    def closeness(self, query: Query, entry_ids: Sequence[str]) -> dict[str, float]:
        """Each entry's mean cosine to the question over its closest phrasings (0 unembedded).

        As many as `entry_semantic_phrasings` (fewer if the entry has fewer): several
        close ways of asking outvote one that happens to lie near the question.
        """
        if query.cosines is None or not entry_ids:
            return dict.fromkeys(entry_ids, 0.0)
        import numpy as np

        starts, ends = np.array([self._spans[i] for i in entry_ids]).T
        count = self._settings.entry_semantic_phrasings
        means = SemanticIndex.mean_of_largest_in_spans(query.cosines, starts, ends, count)
        return dict(zip(entry_ids, means.tolist(), strict=True))

    def sorted_tokens(self, position: int) -> str:
        """The phrasing's tokens, sorted and joined (as `Query.sorted`)."""
        return self._sorted[position]

    def typed(self, position: int) -> str:
        """The phrasing as rapidfuzz's default_process leaves it."""
        return self._typed[position]

    def meaning(self, position: int) -> float:
        """The summed rarity of the phrasing's tokens."""
        return self._weight[position]

    def candidate_positions(self, query: Query) -> list[int]:
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


def _word_model(
    entries: Sequence[Entry], out_of_scope: Sequence[str], tokenize: Tokenize, settings: Settings
) -> EntryWords | None:
    """The word model over the entries' phrasings, the out-of-scope examples one more class."""
    texts = [p for entry in entries for p in entry.phrasings]
    if not texts or not affordable(len(entries) + 1, len(texts) + len(out_of_scope)):
        return None
    labels = [n for n, entry in enumerate(entries) for _ in entry.phrasings]
    labels += [len(entries)] * len(out_of_scope)
    return EntryWords.trained(
        tokenize([*texts, *out_of_scope]), labels, len(entries), settings.word_model()
    )
