"""A word-level crisis classifier beside the nearest-neighbour margin (faqbot.safety_model).

A word that matters on its own (a drug's name, "unalive", a Portuguese verb, "garage"
beside "car running") can drown in the harmless sentence around it, where the encoder
reads the whole.  A linear model over the encoder's own WordPiece tokens and their pairs
(`faqbot.word_features`) weighs each of them.  It is trained at every knowledge-base build
from the same exemplar bank (crisis against everything else), deterministically, and is
pickled with the bot into the start-up cache.

Model: logistic regression, class-balanced, L2-penalised, fitted by full-batch Adam for a
fixed number of rounds.  It is written here in numpy rather than taken from scikit-learn,
which brings SciPy with it (about 150 MB installed) for one linear model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from faqbot.word_features import (
    BUCKETS,
    Features,
    LexicalSettings,
    adam,
    features,
    inverse_document_frequency,
)

if TYPE_CHECKING:
    import numpy

__all__ = ["LexicalHead", "LexicalSettings"]


class LexicalHead:
    """Log-odds that a piece is a crisis, from its tokens (see the module)."""

    def __init__(self, weights: numpy.ndarray, bias: float, idf: numpy.ndarray) -> None:
        self._weights = weights
        self._bias = bias
        self._idf = idf

    @classmethod
    def trained(
        cls, token_ids: Sequence[Sequence[int]], crisis: Sequence[bool], settings: LexicalSettings
    ) -> LexicalHead:
        """Fitted on examples given as token ids, `crisis` saying which are crisis examples."""
        import numpy as np

        found = features(token_ids)
        idf = inverse_document_frequency(found)
        labels = np.asarray(crisis, dtype=np.float64)
        # Fitted over the buckets the examples use only (a third of them): an unseen bucket's
        # weight stays 0 all the same, and each round's arithmetic is that much smaller.
        used, columns = np.unique(found.buckets, return_inverse=True)
        fitted, bias = _fitted(found, columns, found.weighed(idf), labels, settings)
        weights = np.zeros(BUCKETS, dtype=np.float32)
        weights[used] = fitted
        return cls(weights, bias, idf)

    def log_odds(self, token_ids: Sequence[Sequence[int]]) -> numpy.ndarray:
        """One value per piece: above 0, the model leans to crisis."""
        import numpy as np

        found = features(token_ids)
        values = found.weighed(self._idf) * self._weights[found.buckets]
        return np.bincount(found.rows, weights=values, minlength=found.texts) + self._bias


def _fitted(
    found: Features,
    columns: numpy.ndarray,
    values: numpy.ndarray,
    labels: numpy.ndarray,
    settings: LexicalSettings,
) -> tuple[numpy.ndarray, float]:
    """Weights (one per column) and bias of the balanced, L2-penalised logistic regression,
    fitted by Adam on the full batch."""
    import numpy as np

    total, rows = found.texts, found.rows
    width = int(columns.max()) + 1 if len(columns) else 0
    positives = max(float(labels.sum()), 1.0)
    negatives = max(total - positives, 1.0)
    sample = np.where(labels == 1, total / (2 * positives), total / (2 * negatives))

    def gradient(params: numpy.ndarray) -> numpy.ndarray:
        scores = np.bincount(rows, weights=values * params[columns], minlength=total)
        error = sample * (1 / (1 + np.exp(-(scores + params[-1]))) - labels)
        found = np.empty_like(params)
        found[:-1] = np.bincount(columns, weights=values * error[rows], minlength=width)
        found[:-1] += params[:-1] / settings.c
        found[-1] = error.sum()
        return found / total

    params = adam(np.zeros(width + 1), gradient, settings.rounds, settings.step)  # then the bias
    return params[:-1], float(params[-1])
