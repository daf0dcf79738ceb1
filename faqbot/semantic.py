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
# The out-of-scope examples averaged on their side of `scope`: one stray example that
# happens to resemble a question is not enough to call it out of scope.
OUTSIDE_NEIGHBOURS = 2
COSINE_DECIMALS = 6


class SemanticIndex:
    """Unit vectors of the indexed phrasings, in index order, and of the out-of-scope examples."""

    def __init__(self, phrasings: Sequence[str], embed: Embed, outside: Sequence[str] = ()) -> None:
        self._phrasings = embed(list(phrasings))
        self._outside = embed(list(outside)) if outside else None

    def cosines(self, vector: numpy.ndarray) -> numpy.ndarray:
        """Cosines of a unit `vector` to every phrasing (a dot product of unit rows).

        Kept to `COSINE_DECIMALS`: a matrix product rounds each row its own way, and two
        phrasings written alike must tie exactly (then the visitor is asked which)."""
        import numpy as np

        return np.round(self._phrasings @ vector, COSINE_DECIMALS)

    def scope(self, vector: numpy.ndarray, cosines: numpy.ndarray) -> float:
        """How much closer in meaning a message is to the phrasings than to what is out of
        scope, from 0 to 1: (1 + best phrasing cosine - nearest examples' cosine) / 2.

        `cosines`: the message's cosines to the phrasings.  Without examples nothing is
        near outside (cosine 0), and the signal says how near the nearest phrasing is."""
        if not len(cosines):
            return 0.0
        nearest = 0.0
        if self._outside is not None:
            nearest = self.mean_of_largest(self._outside @ vector, OUTSIDE_NEIGHBOURS)
        return min(1.0, max(0.0, (1.0 + float(cosines.max()) - nearest) / 2))

    @staticmethod
    def mean_of_largest(cosines: numpy.ndarray, count: int) -> float:
        """The mean of the `count` largest cosines (all of them if fewer; 0 if none)."""
        import numpy as np

        count = min(count, len(cosines))
        if count <= 0:
            return 0.0
        return float(np.partition(cosines, len(cosines) - count)[-count:].mean())

    @staticmethod
    def mean_of_largest_in_spans(
        cosines: numpy.ndarray, starts: numpy.ndarray, ends: numpy.ndarray, count: int
    ) -> numpy.ndarray:
        """`mean_of_largest` of each span `cosines[start:end]` (none empty), in one pass.

        Array operations over the spans' positions only, not one call per span: a message
        has dozens of candidate entries.  Summed largest first, so equal spans tie exactly.
        """
        import numpy as np

        sizes = ends - starts
        firsts = np.cumsum(sizes) - sizes
        group = np.repeat(np.arange(len(sizes)), sizes)
        values = cosines[np.arange(int(sizes.sum())) + np.repeat(starts - firsts, sizes)]
        order = np.lexsort((-values, group))  # by span, then largest first
        kept = np.arange(len(order)) - np.repeat(firsts, sizes) < count
        sums = np.bincount(group[kept], weights=values[order][kept], minlength=len(sizes))
        return sums / np.minimum(sizes, count)

    @staticmethod
    def nearest(cosines: numpy.ndarray, count: int) -> list[int]:
        """The positions of the `count` largest cosines, closest first (ties: first indexed)."""
        import numpy as np

        if count <= 0 or not len(cosines):
            return []
        count = min(count, len(cosines))
        picked = np.argpartition(-cosines, count - 1)[:count]
        return sorted(picked.tolist(), key=lambda p: (-float(cosines[p]), p))
