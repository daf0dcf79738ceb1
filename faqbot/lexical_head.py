"""A word-level crisis classifier beside the nearest-neighbour margin (faqbot.safety_model).

The sentence encoder reads a message for its overall meaning, and a word that matters on
its own (a drug's name, "unalive", a Portuguese verb, "garage" beside "car running") can
drown in the harmless sentence around it.  A linear model over the encoder's own WordPiece
tokens and their pairs weighs each of them.  It is trained at every knowledge-base build
from the same exemplar bank (crisis against everything else), deterministically, and is
pickled with the bot into the start-up cache.

Features: TF-IDF (sublinear counts) of the tokens and of hashed token pairs, each block of
unit length.  Model: logistic regression, class-balanced, L2-penalised, fitted by full-batch
Adam for a fixed number of rounds.  It is written here in numpy rather than taken from
scikit-learn, which brings SciPy with it (about 150 MB installed) for one linear model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy

# Feature buckets: every token id (the vocabulary has 30,522) and hashed token pairs.
BUCKETS = 1 << 18
VOCABULARY = 30_522
# Knuth's multiplicative constant spreads the pair keys over the buckets.
PAIR_HASH = 2_654_435_761
# Feature blocks, each normalised on its own: tokens, token pairs.
BLOCKS = 2


class LexicalSettings(NamedTuple):
    """How the word model is trained (knowledge/safety.yaml, `model:`, `lexical_` names)."""

    # The inverse of the L2 penalty's strength, as in scikit-learn.
    c: float = 16.0
    rounds: int = 150
    step: float = 0.05


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

        rows, features, counts, blocks = _counted(token_ids)
        document_frequency = np.bincount(features, minlength=BUCKETS)
        total = len(token_ids)
        idf = (np.log((1 + total) / (1 + document_frequency)) + 1).astype(np.float32)
        values = _normalised(total, rows, blocks, counts * idf[features])
        labels = np.asarray(crisis, dtype=np.float64)
        # Fitted over the buckets the examples use only (a third of them): an unseen bucket's
        # weight stays 0 all the same, and each round's arithmetic is that much smaller.
        used, columns = np.unique(features, return_inverse=True)
        fitted, bias = _fitted(total, rows, columns, values, labels, settings)
        weights = np.zeros(BUCKETS, dtype=np.float32)
        weights[used] = fitted
        return cls(weights, bias, idf)

    def log_odds(self, token_ids: Sequence[Sequence[int]]) -> numpy.ndarray:
        """One value per piece: above 0, the model leans to crisis."""
        import numpy as np

        total = len(token_ids)
        rows, features, counts, blocks = _counted(token_ids)
        values = _normalised(total, rows, blocks, counts * self._idf[features])
        scores = np.bincount(rows, weights=values * self._weights[features], minlength=total)
        return scores + self._bias


def _counted(
    token_ids: Sequence[Sequence[int]],
) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(row, bucket, 1 + log count, block) of every distinct feature of every text."""
    import numpy as np

    keys = [np.zeros(0, dtype=np.int64)]
    for row, ids in enumerate(token_ids):
        tokens = np.asarray(ids[1:-1], dtype=np.int64)  # not [CLS] and [SEP]: every text has them
        pairs = (tokens[:-1] * VOCABULARY + tokens[1:]) * PAIR_HASH % BUCKETS
        offset = row * BLOCKS * BUCKETS
        keys += [offset + tokens, offset + BUCKETS + pairs]
    distinct, count = np.unique(np.concatenate(keys), return_counts=True)
    rows, rest = np.divmod(distinct, BLOCKS * BUCKETS)
    blocks, features = np.divmod(rest, BUCKETS)
    return rows, features, 1 + np.log(count), blocks


def _normalised(
    total: int, rows: numpy.ndarray, blocks: numpy.ndarray, values: numpy.ndarray
) -> numpy.ndarray:
    """`values` scaled so that each text's block has unit length."""
    import numpy as np

    cell = rows * BLOCKS + blocks
    norms = np.sqrt(np.bincount(cell, weights=values * values, minlength=total * BLOCKS))
    return values / norms[cell]


def _fitted(
    total: int,
    rows: numpy.ndarray,
    columns: numpy.ndarray,
    values: numpy.ndarray,
    labels: numpy.ndarray,
    settings: LexicalSettings,
) -> tuple[numpy.ndarray, float]:
    """Weights (one per column) and bias of the balanced, L2-penalised logistic regression,
    fitted by Adam on the full batch."""
    import numpy as np

    width = int(columns.max()) + 1 if len(columns) else 0
    positives = max(float(labels.sum()), 1.0)
    negatives = max(total - positives, 1.0)
    sample = np.where(labels == 1, total / (2 * positives), total / (2 * negatives))
    params = np.zeros(width + 1)  # the weights, then the bias
    first = np.zeros_like(params)
    second = np.zeros_like(params)
    for round_ in range(1, settings.rounds + 1):
        scores = np.bincount(rows, weights=values * params[columns], minlength=total)
        error = sample * (1 / (1 + np.exp(-(scores + params[-1]))) - labels)
        gradient = np.empty_like(params)
        gradient[:-1] = np.bincount(columns, weights=values * error[rows], minlength=width)
        gradient[:-1] += params[:-1] / settings.c
        gradient[-1] = error.sum()
        gradient /= total
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient * gradient
        corrected = np.sqrt(second / (1 - 0.999**round_)) + 1e-8
        params -= settings.step * first / (1 - 0.9**round_) / corrected
    return params[:-1], float(params[-1])
