"""What a question means, beside which words it uses: its cosine to every phrasing.

The vectors come from the sentence encoder (`faqbot.encoder`), through the
embedding store when the knowledge base is built, and are kept with the built bot
(the start-up cache).  A question's vector is computed once per message by the bot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy

Embed = Callable[[Sequence[str]], "numpy.ndarray"]


class SemanticIndex:
    """Unit vectors of the indexed phrasings, in index order."""

    def __init__(self, phrasings: Sequence[str], embed: Embed) -> None:
        self._phrasings = embed(list(phrasings))

    def cosines(self, vector: numpy.ndarray) -> numpy.ndarray:
        """Cosines of a unit `vector` to every phrasing (a dot product of unit rows)."""
        return self._phrasings @ vector

    @staticmethod
    def nearest(cosines: numpy.ndarray, count: int) -> list[int]:
        """The positions of the `count` largest cosines, closest first (ties: first indexed)."""
        import numpy as np

        if count <= 0 or not len(cosines):
            return []
        count = min(count, len(cosines))
        picked = np.argpartition(-cosines, count - 1)[:count]
        return sorted(picked.tolist(), key=lambda p: (-float(cosines[p]), p))
