"""The features both word models read: TF-IDF of the encoder's WordPiece tokens and pairs.

The sentence encoder reads a text for its overall meaning, and a word that matters on its
own can drown in the sentence around it.  Its tokenizer already cuts every text into
WordPiece tokens, so the word models (`faqbot.lexical_head` for safety,
`faqbot.entry_words` for retrieval) weigh those tokens and their hashed neighbour pairs.
Each text has two blocks, tokens and pairs, each scaled to unit length; counts are
sublinear (1 + log).  A text is a sequence of token ids with [CLS] first and [SEP] last,
as the tokenizer returns it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    """How a word model is trained (safety.yaml `model: lexical_*`, settings.yaml
    `retrieval: entry_words_*`)."""

    # The inverse of the L2 penalty's strength, as in scikit-learn.
    c: float = 16.0
    rounds: int = 150
    step: float = 0.05


class Features(NamedTuple):
    """Every distinct feature of every text, as parallel arrays sorted by text."""

    rows: numpy.ndarray  # the text
    buckets: numpy.ndarray  # the feature's bucket
    counts: numpy.ndarray  # 1 + log of how often the text has it
    blocks: numpy.ndarray  # 0: a token, 1: a pair of tokens
    texts: int

    def weighed(self, idf: numpy.ndarray) -> numpy.ndarray:
        """The TF-IDF value of each feature (`idf`: one per bucket), each text's block
        scaled to unit length."""
        import numpy as np

        values = self.counts * idf[self.buckets]
        cell = self.rows * BLOCKS + self.blocks
        norms = np.sqrt(np.bincount(cell, weights=values * values, minlength=self.texts * BLOCKS))
        return values / norms[cell]


def features(token_ids: Sequence[Sequence[int]]) -> Features:
    """The features of every text (token ids with [CLS] and [SEP], as the tokenizer gives)."""
    import numpy as np

    keys = [np.zeros(0, dtype=np.int64)]
    for row, ids in enumerate(token_ids):
        tokens = np.asarray(ids[1:-1], dtype=np.int64)  # not [CLS] and [SEP]: every text has them
        pairs = (tokens[:-1] * VOCABULARY + tokens[1:]) * PAIR_HASH % BUCKETS
        offset = row * BLOCKS * BUCKETS
        keys += [offset + tokens, offset + BUCKETS + pairs]
    distinct, count = np.unique(np.concatenate(keys), return_counts=True)
    rows, rest = np.divmod(distinct, BLOCKS * BUCKETS)
    blocks, buckets = np.divmod(rest, BUCKETS)
    return Features(rows, buckets, 1 + np.log(count), blocks, len(token_ids))


def inverse_document_frequency(found: Features) -> numpy.ndarray:
    """Smoothed idf of every bucket over the texts of `found` (an unseen bucket's is the
    largest), as scikit-learn's TfidfVectorizer computes it."""
    import numpy as np

    document_frequency = np.bincount(found.buckets, minlength=BUCKETS)
    total = found.texts
    return (np.log((1 + total) / (1 + document_frequency)) + 1).astype(np.float32)


def adam(
    params: numpy.ndarray,
    gradient: Callable[[numpy.ndarray], numpy.ndarray],
    rounds: int,
    step: float,
) -> numpy.ndarray:
    """`params` after `rounds` full-batch Adam steps down `gradient` (deterministic)."""
    import numpy as np

    first = np.zeros_like(params)
    second = np.zeros_like(params)
    for round_ in range(1, rounds + 1):
        found = gradient(params)
        first = 0.9 * first + 0.1 * found
        second = 0.999 * second + 0.001 * found * found
        corrected = np.sqrt(second / (1 - 0.999**round_)) + 1e-8
        params = params - step * first / (1 - 0.9**round_) / corrected
    return params
