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
classifier: see `benchmarks/safety_eval.py` and the README (measured on the dev sets).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from faqbot.safety_bank import CONCERN, CRISIS_CATEGORIES, NONE, Exemplar
from faqbot.safety_check import ModelScore, Neighbour

if TYPE_CHECKING:
    import numpy

# Examples shown in an explanation.
SHOWN_NEIGHBOURS = 3


class TextEncoder(Protocol):
    """What the detector needs of an encoder (`faqbot.encoder.Encoder` is one)."""

    def encode(self, texts: Sequence[str]) -> numpy.ndarray: ...


class ModelSettings(NamedTuple):
    """The detector's lines (knowledge/safety.yaml, `model:`), fitted on the dev set."""

    crisis_line: float = 0.05
    checkin_line: float = 0.0
    neighbours: int = 3


class SafetyModel:
    """Scores a message's pieces against the exemplar bank (see the module)."""

    def __init__(
        self,
        examples: Sequence[Exemplar],
        vectors: numpy.ndarray,
        settings: ModelSettings,
        encoder: Callable[[], TextEncoder],
    ) -> None:
        """`vectors`: one unit row per example; `encoder()` gives the encoder at run time."""
        import numpy as np

        self._texts = [example.text for example in examples]
        self._categories = [example.category for example in examples]
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        categories = np.array(self._categories)
        self._crisis = np.isin(categories, sorted(CRISIS_CATEGORIES))
        self._concern = categories == CONCERN
        self._none = categories == NONE
        self._encoder = encoder
        self.crisis_line = settings.crisis_line
        self.checkin_line = settings.checkin_line
        self._k = max(1, settings.neighbours)

    def score(self, pieces: list[str]) -> ModelScore:
        """The score of the most worrying of `pieces` (all encoded in one call)."""
        vectors = self._encoder().encode(pieces)
        return self.score_vectors(pieces, vectors)

    def score_vectors(self, pieces: list[str], vectors: numpy.ndarray) -> ModelScore:
        """`score` for pieces already encoded."""
        similarity = vectors @ self._vectors.T
        crisis = self._top(similarity, self._crisis)
        concern = self._top(similarity, self._concern)
        harmless = self._top(similarity, self._none)
        crisis_margin = crisis - _maximum(harmless, concern)
        concern_margin = concern - _maximum(harmless, crisis)
        worst = int(crisis_margin.argmax())
        nearest = self._nearest(similarity[worst])
        category = next((n.category for n in nearest if n.category in CRISIS_CATEGORIES), "")
        if not category:
            category = self._nearest_crisis_category(similarity[worst])
        return ModelScore(
            float(crisis_margin[worst]),
            float(concern_margin.max()),
            category,
            pieces[worst],
            nearest,
        )

    def _top(self, similarity: numpy.ndarray, mask: numpy.ndarray) -> numpy.ndarray:
        """Per piece, the mean similarity of its `k` nearest examples within `mask`."""
        import numpy as np

        if not mask.any():
            return np.full(similarity.shape[0], -1.0, dtype=np.float32)
        chosen = similarity[:, mask]
        k = min(self._k, chosen.shape[1])
        return np.partition(chosen, chosen.shape[1] - k, axis=1)[:, -k:].mean(axis=1)

    def _nearest(self, row: numpy.ndarray) -> tuple[Neighbour, ...]:
        import numpy as np

        order = np.argsort(-row, kind="stable")[:SHOWN_NEIGHBOURS]
        return tuple(
            Neighbour(self._texts[i], self._categories[i], round(float(row[i]), 3)) for i in order
        )

    def _nearest_crisis_category(self, row: numpy.ndarray) -> str:
        import numpy as np

        if not self._crisis.any():
            return ""
        masked = np.where(self._crisis, row, -2.0)
        return self._categories[int(masked.argmax())]


def _maximum(a: numpy.ndarray, b: numpy.ndarray) -> numpy.ndarray:
    return a * (a >= b) + b * (b > a)
