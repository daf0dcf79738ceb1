"""What a question means, beside which words it uses: cosines to every phrasing and answer.

The vectors come from the sentence encoder (`faqbot.encoder`), through the
embedding store when the knowledge base is built, and are kept with the built bot
(the start-up cache).  A question's vector is computed once per message by the bot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy

Embed = Callable[[Sequence[str]], "numpy.ndarray"]


class Cosines(NamedTuple):
    """A question's cosine to every indexed phrasing, and to every entry's answer."""

    phrasings: numpy.ndarray
    answers: numpy.ndarray


class SemanticIndex:
    """Unit vectors of the indexed phrasings (in index order) and of the answers."""

    def __init__(self, phrasings: Sequence[str], answers: Sequence[str], embed: Embed) -> None:
        vectors = embed([*phrasings, *answers])
        self._phrasings = vectors[: len(phrasings)]
        self._answers = vectors[len(phrasings) :]

    def cosines(self, vector: numpy.ndarray) -> Cosines:
        """Cosines of a unit `vector` (a dot product: every row is a unit vector)."""
        return Cosines(self._phrasings @ vector, self._answers @ vector)

    @staticmethod
    def nearest(cosines: numpy.ndarray, count: int) -> list[int]:
        """The positions of the `count` largest cosines, closest first (ties: first indexed)."""
        import numpy as np

        if count <= 0 or not len(cosines):
            return []
        count = min(count, len(cosines))
        picked = np.argpartition(-cosines, count - 1)[:count]
        return sorted(picked.tolist(), key=lambda p: (-float(cosines[p]), p))
