"""A word model over the entries: how likely each entry is, from the question's tokens.

The sentence encoder reads a question for its overall meaning and the lexical signals
count shared words, weighing every word alike across entries.  A linear model trained on
the phrasings learns which words tell one entry from the others ("copay" for insurance,
"dressed" for nudity) and which say nothing, and, with out_of_scope.yaml's examples as one
more class, which say the question is elsewhere.  Its probability for an entry is the
`entry_words` retrieval signal.

Features: `faqbot.word_features` (the encoder's WordPiece tokens and pairs, TF-IDF).
Model: multinomial logistic regression, class-balanced, L2-penalised, fitted by full-batch
Adam, deterministically, at every knowledge-base build; it is pickled with the bot into
the start-up cache.  In numpy: scikit-learn would bring SciPy (about 150 MB installed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from faqbot.word_features import LexicalSettings, adam, features, inverse_document_frequency

if TYPE_CHECKING:
    import numpy

    from faqbot.word_features import Features

# Training costs (classes x features present) per product and holds a few (classes x
# buckets used) arrays: both bounded, at about twice CLINC150's size (151 classes, 15,100
# texts: 38 million and 4.7 million; 30 s and 250 MB).  A larger knowledge base (the
# synthetic ones of benchmarks/scale.py have thousands of entries) gets no word model:
# `entry_words` is 0 there, and `faqbot tune` weighs the other signals.
MAX_WORK = 80_000_000
MAX_CELLS = 10_000_000
# A text has at least this many features (tokens and pairs) but for a word or two: what
# lets `affordable` refuse a large knowledge base before its texts are even tokenized.
FEATURES_PER_TEXT = 8


def affordable(classes: int, texts: int) -> bool:
    """Whether a model of `classes` over `texts` may fit in `MAX_WORK` (checked exactly when
    it is trained): a cheap bound before anything is tokenized."""
    return classes * texts * FEATURES_PER_TEXT <= MAX_WORK


class EntryWords:
    """Each entry's probability for a text, from its tokens (see the module)."""

    def __init__(
        self,
        used: numpy.ndarray,
        weights: numpy.ndarray,
        bias: numpy.ndarray,
        idf: numpy.ndarray,
        entries: int,
    ) -> None:
        self._used = used  # the buckets the phrasings use, sorted
        self._weights = weights  # (used buckets, classes)
        self._bias = bias
        self._idf = idf
        self._entries = entries

    @classmethod
    def trained(
        cls,
        token_ids: Sequence[Sequence[int]],
        labels: Sequence[int],
        entries: int,
        settings: LexicalSettings,
    ) -> EntryWords | None:
        """Fitted on texts given as token ids; `labels[i]` is the number of text i's entry,
        or `entries` for an out-of-scope example (one more class, if there are any).  None
        when that would cost more than `MAX_WORK` or `MAX_CELLS`."""
        import numpy as np

        found = features(token_ids)
        classes = entries + (1 if entries in labels else 0)
        used, columns = np.unique(found.buckets, return_inverse=True)
        if classes * len(columns) > MAX_WORK or classes * len(used) > MAX_CELLS:
            return None
        idf = inverse_document_frequency(found)
        product = _Product(found, columns, found.weighed(idf), len(used))
        weights, bias = _fitted(product, np.asarray(labels, dtype=np.int64), classes, settings)
        return cls(used, weights.astype(np.float32), bias, idf, entries)

    def probabilities(self, token_ids: Sequence[Sequence[int]]) -> numpy.ndarray:
        """(texts, entries): each entry's probability for each text (out of scope is the
        rest up to 1)."""
        import numpy as np

        found = features(token_ids)
        values = found.weighed(self._idf)
        at = np.searchsorted(self._used, found.buckets)
        known = at < len(self._used)
        known[known] = self._used[at[known]] == found.buckets[known]
        scores = np.zeros((found.texts, len(self._bias)))
        np.add.at(scores, found.rows[known], values[known, None] * self._weights[at[known]])
        return _softmax(scores + self._bias)[:, : self._entries]


class _Product:
    """Products of the feature matrix (texts x used buckets, sparse) with dense matrices.

    Each product is a `numpy.bincount` a column: numpy has no sparse matrix, and this is
    twice as fast as `add.reduceat` over rows, in memory that grows with the features only."""

    def __init__(self, found: Features, columns: numpy.ndarray, values: numpy.ndarray, width: int):
        self.texts, self.width = found.texts, width
        self._rows, self._columns, self._values = found.rows, columns, values

    def times(self, matrix: numpy.ndarray) -> numpy.ndarray:
        """X @ matrix: (texts, k)."""
        return _summed(self._rows, self._columns, self._values, matrix, self.texts)

    def transposed_times(self, matrix: numpy.ndarray) -> numpy.ndarray:
        """X.T @ matrix: (used buckets, k)."""
        return _summed(self._columns, self._rows, self._values, matrix, self.width)


def _summed(
    into: numpy.ndarray,
    source: numpy.ndarray,
    values: numpy.ndarray,
    matrix: numpy.ndarray,
    size: int,
) -> numpy.ndarray:
    """out[into[i]] += values[i] * matrix[source[i]] for every i: one bincount a column."""
    import numpy as np

    columns = [
        np.bincount(into, weights=values * column[source], minlength=size)
        for column in np.ascontiguousarray(matrix.T)
    ]
    return np.stack(columns, axis=1) if columns else np.zeros((size, 0))


def _fitted(
    product: _Product, labels: numpy.ndarray, classes: int, settings: LexicalSettings
) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Weights (used buckets, classes) and biases of the balanced, L2-penalised softmax
    regression, fitted by Adam on the full batch."""
    import numpy as np

    total, width = product.texts, product.width
    target = np.zeros((total, classes))
    target[np.arange(total), labels] = 1
    counts = np.maximum(target.sum(axis=0), 1)
    sample = (total / (classes * counts))[labels][:, None]

    def gradient(params: numpy.ndarray) -> numpy.ndarray:
        weights, bias = params[:width], params[width]
        error = sample * (_softmax(product.times(weights) + bias) - target)
        found = np.empty_like(params)
        found[:width] = product.transposed_times(error) + weights / settings.c
        found[width] = error.sum(axis=0)
        return found / total

    params = adam(np.zeros((width + 1, classes)), gradient, settings.rounds, settings.step)
    return params[:width], params[width]


def _softmax(scores: numpy.ndarray) -> numpy.ndarray:
    import numpy as np

    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)
