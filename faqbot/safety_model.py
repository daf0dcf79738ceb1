"""The learned safety detector: sentence embeddings against the exemplar bank.

Rules only know the wordings their authors saw; the bank (faqbot.safety_bank)
teaches the detector what crisis messages *mean*.  It is trained at every
knowledge-base build, deterministically, from the bank's vectors (the FAQ's own
phrasings join it as `none` examples), and pickled with the bot into the start-up
cache.  A message's pieces (faqbot.sentences) are encoded in one call; the most
worrying piece decides.

Scoring is nearest neighbours with a margin: a piece's crisis score is the mean
similarity of its `neighbours` closest crisis examples minus that of its closest
harmless (`none`) or check-in (`concern`) examples, so a message must be nearer to
what people in danger write than to anything harmless.  The concern score is the
same for the `concern` examples against the rest.  Why this and not a linear
classifier on the vectors: see `benchmarks/safety_eval.py` and the README (measured on the
dev sets).

Beside the margin, a word model (faqbot.lexical_head) trained on the same bank reads the
pieces' tokens; its log-odds, scaled into the margin's units, count when they are higher:
the encoder blurs single words that the word model weighs.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from faqbot.lexical_head import LexicalHead, LexicalSettings
from faqbot.safety_bank import CONCERN, NONE, Exemplar
from faqbot.safety_check import ModelScore, Neighbour
from faqbot.sentences import MIN_CLAUSE_WORDS

if TYPE_CHECKING:
    import numpy

# Examples shown in an explanation.
SHOWN_NEIGHBOURS = 3
# Messages scored in one matrix product by `score_many`: a block of similarities is a row
# of the bank's length per piece (128 one-sentence phrasings by 18,000 examples: 9 MB).
SCORED_BLOCK = 128


class TextEncoder(Protocol):
    """What the detector needs of an encoder (`faqbot.encoder.Encoder` is one)."""

    def encode(self, texts: Sequence[str]) -> numpy.ndarray: ...


class ModelSettings(NamedTuple):
    """The detector's lines (knowledge/safety.yaml, `model:`), fitted on the dev set."""

    # Crisis at or above this margin; a check-in from `checkin_line` up to it.
    crisis_line: float = 0.06
    checkin_line: float = 0.0
    # A weak crisis signal (`~` in safety.yaml) is a crisis from this margin (else a check-in).
    weak_rule_line: float = 0.03
    # Examples averaged on each side of the margin.
    neighbours: int = 3
    # Subtracted from each sentence's margin (not the whole message's): a short piece
    # out of its context is weaker evidence.
    piece_penalty: float = 0.06
    # The word model's log-odds in the margin's units: scale * log-odds + shift (scale 0: off).
    lexical_scale: float = 0.02
    lexical_shift: float = -0.01
    # ...and counts only where the neighbours' margin is at least this (they do not disagree).
    lexical_floor: float = 0.0
    # Its training: inverse L2 strength, Adam rounds and step (faqbot.lexical_head).
    lexical_c: float = 16.0
    lexical_rounds: int = 150
    lexical_step: float = 0.05

    def lexical(self) -> LexicalSettings:
        """The word model's training settings."""
        return LexicalSettings(self.lexical_c, int(self.lexical_rounds), self.lexical_step)


class SafetyModel:
    """Scores a message's pieces against the exemplar bank (see the module)."""

    def __init__(
        self,
        examples: Sequence[Exemplar],
        vectors: numpy.ndarray,
        settings: ModelSettings,
        encoder: Callable[[], TextEncoder],
        lexical: LexicalHead | None = None,
    ) -> None:
        """`vectors`: one unit row per example; `encoder()` gives the encoder at run time;
        `lexical`: the word model trained on the same examples (None: the margin alone)."""
        import numpy as np

        # Rows grouped crisis, concern, none (stable within each): each group is a slice,
        # and a slice of the similarities is a view, not a copy.
        rank = {NONE: 2, CONCERN: 1}
        order = sorted(range(len(examples)), key=lambda i: rank.get(examples[i].category, 0))
        self._texts = [examples[i].text for i in order]
        self._categories = [examples[i].category for i in order]
        self._vectors = np.ascontiguousarray(np.asarray(vectors)[order], dtype=np.float32)
        groups = [rank.get(category, 0) for category in self._categories]
        self._slices = [slice(bisect_left(groups, g), bisect_right(groups, g)) for g in range(3)]
        self._encoder = encoder
        self.crisis_line = settings.crisis_line
        self.checkin_line = settings.checkin_line
        self.weak_rule_line = settings.weak_rule_line
        self._k = max(1, int(settings.neighbours))
        # The check-in line in the margins' float32, rounded up: a piece held there sits on
        # the line, not a hair below it (float32(0.01) < 0.01).
        held = np.float32(settings.checkin_line)
        if float(held) < settings.checkin_line:
            held = np.nextafter(held, np.float32(np.inf))
        self._held_line = float(held)
        self._piece_penalty = settings.piece_penalty
        self._lexical = lexical
        self._lexical_scale = settings.lexical_scale
        self._lexical_shift = settings.lexical_shift
        self._lexical_floor = settings.lexical_floor

    def score(self, pieces: list[str], encoder: TextEncoder | None = None) -> ModelScore:
        """The score of the most worrying of `pieces` (all encoded in one call).

        `encoder`: the message's own (`faqbot.encoder.MessageEncoder`), shared with
        retrieval; by default the one this model was trained with."""
        vectors = (encoder or self._encoder()).encode(pieces)
        return self._scored(pieces, vectors @ self._vectors.T, self._word_margins(pieces, encoder))

    def score_vectors(self, pieces: list[str], vectors: numpy.ndarray) -> ModelScore:
        """`score` for pieces already encoded."""
        return self._scored(pieces, vectors @ self._vectors.T, self._word_margins(pieces))

    def score_many(
        self, piece_lists: Sequence[list[str]], vectors: Sequence[numpy.ndarray]
    ) -> list[ModelScore]:
        """`score_vectors` of many messages: one matrix product per block of messages, since
        one piece at a time spends its time reading the whole bank from memory."""
        import numpy as np

        scores: list[ModelScore] = []
        for start in range(0, len(piece_lists), SCORED_BLOCK):
            block = piece_lists[start : start + SCORED_BLOCK]
            similarity = np.concatenate(vectors[start : start + SCORED_BLOCK]) @ self._vectors.T
            words = self._word_margins([piece for pieces in block for piece in pieces])
            ends = np.cumsum([len(pieces) for pieces in block])
            rows = zip(block, ends - [len(pieces) for pieces in block], ends, strict=True)
            scores += [
                self._scored(pieces, similarity[s:e], None if words is None else words[s:e])
                for pieces, s, e in rows
            ]
        return scores

    def _word_margins(
        self, pieces: list[str], encoder: TextEncoder | None = None
    ) -> numpy.ndarray | None:
        """The word model's score of each piece, in the margin's units (None: no word model)."""
        if self._lexical is None:
            return None
        # The message's encoder tokenizes as the trained one does (the same tokenizer file).
        tokenizer: Any = encoder if hasattr(encoder, "token_ids") else self._encoder()
        ids = tokenizer.token_ids(pieces)
        return self._lexical.log_odds(ids) * self._lexical_scale + self._lexical_shift

    def _scored(
        self, pieces: list[str], similarity: numpy.ndarray, words: numpy.ndarray | None
    ) -> ModelScore:
        """The score of the most worrying piece, from its similarities to every example and
        the word model's scores (`words`)."""
        import numpy as np

        crisis, concern, harmless = (self._top(similarity[:, part]) for part in self._slices)
        crisis_margin = crisis - np.maximum(harmless, concern)
        concern_margin = concern - np.maximum(harmless, crisis)
        if words is not None:  # heard where the neighbours lean crisis
            heard = crisis_margin >= self._lexical_floor
            crisis_margin = np.where(heard, np.maximum(crisis_margin, words), crisis_margin)
        crisis_margin[1:] -= self._piece_penalty  # the first piece is the whole message
        _hold_short_pieces(pieces, crisis_margin, crisis, harmless, self._held_line)
        worst = int(crisis_margin.argmax())
        return ModelScore(
            float(crisis_margin[worst]),
            float(concern_margin.max()),
            self._nearest_crisis_category(similarity[worst]),
            pieces[worst],
            self._nearest(similarity[worst]),
            None if words is None else float(words[worst]),
        )

    def _top(self, similarity: numpy.ndarray) -> numpy.ndarray:
        """Per piece, the mean similarity of its `k` nearest examples (-1: no examples)."""
        import numpy as np

        count = similarity.shape[1]
        if not count:
            return np.full(similarity.shape[0], -1.0, dtype=np.float32)
        k = min(self._k, count)
        return np.partition(similarity, count - k, axis=1)[:, -k:].mean(axis=1)

    def _nearest(self, row: numpy.ndarray) -> tuple[Neighbour, ...]:
        import numpy as np

        shown = min(SHOWN_NEIGHBOURS, len(row))
        found = np.argpartition(-row, shown - 1)[:shown] if shown else []
        order = sorted(found, key=lambda i: (-row[i], i))
        return tuple(
            Neighbour(self._texts[i], self._categories[i], round(float(row[i]), 3)) for i in order
        )

    def _nearest_crisis_category(self, row: numpy.ndarray) -> str:
        """The category of the crisis example nearest to a piece ('' without any)."""
        crisis = self._slices[0]
        if crisis.stop == crisis.start:
            return ""
        return self._categories[crisis.start + int(row[crisis].argmax())]


def _hold_short_pieces(
    pieces: list[str],
    crisis_margin: numpy.ndarray,
    crisis: numpy.ndarray,
    harmless: numpy.ndarray,
    checkin_line: float,
) -> None:
    """Hold, in place, a short piece's crisis margin down to a check-in, when the message
    reads harmless (its margin is below zero) and is nearer a harmless example than the
    piece is to a crisis one.

    A sentence of a few words means little alone, as a short clause does (the splitter
    joins those): "i've decided" and "i'm ready" end messages of people about to die and
    of people about to book a first session, and the message says which.  Such a piece
    still earns the check-in line beside the answer ("how do i book? i can't anymore"),
    never the crisis reply on its own; a short piece near a crisis example stays free to
    decide: "what are your fees? goodbye everyone"."""
    if crisis_margin[0] >= 0:
        return
    for i in range(1, len(pieces)):
        short = len(pieces[i].split()) < MIN_CLAUSE_WORDS
        if short and crisis[i] < harmless[0]:
            crisis_margin[i] = min(crisis_margin[i], max(crisis_margin[0], checkin_line))
