"""The search for the weights and thresholds that earn the most on observed questions.

A local search from the current weights, each weight moved in turn; for each
weighting, a grid of thresholds around the top scores seen.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from faqbot.model import Settings
from faqbot.tuning_arrays import Observed, top_candidates
from faqbot.tuning_figures import Figures, figures

# Each weight in turn is moved to these (scale, then add) values, the best kept, for at
# most this many rounds.
COORDINATE_STEPS = (
    (0.0, 0.0),
    (0.5, 0.0),
    (0.8, 0.0),
    (1.25, 0.0),
    (2.0, 0.0),
    (1.0, 0.05),
    (1.0, 0.15),
)
COORDINATE_ROUNDS = 4

# (clarify bands below `answer`, clarify margins, clear leads): coarse while weights are
# searched, fine once they are chosen.
COARSE = ((0, 2, 4), (2, 3), (5, 100))
FINE = ((0, 1, 2, 3, 4, 6), (0, 1, 2, 3, 4), (3, 5, 8, 100))
# The decision thresholds the grid sets.
THRESHOLDS = ("answer", "clarify", "clarify_margin", "clear_lead")


def threshold_grid(settings: Settings, top_scores: np.ndarray, fine: bool) -> Iterable[Settings]:
    """Answer thresholds across the top scores seen, with a clarify band below each."""
    seen = top_scores[np.isfinite(top_scores)]
    if not len(seen):
        return
    low, high = np.percentile(seen, 2), np.percentile(seen, 98)
    steps = np.round(np.linspace(low, high, 60 if fine else 30) * 2) / 2
    # Below every score seen: answer everything (a set with nothing out of scope wants it).
    steps = np.append(steps, np.floor(seen.min()) - 1)
    bands, margins, leads = FINE if fine else COARSE
    for answer in np.unique(steps):
        for band, margin, lead in itertools.product(bands, margins, leads):
            yield settings._replace(
                answer=float(answer),
                clarify=float(answer - band),
                clarify_margin=float(margin),
                clear_lead=float(lead),
            )


def best_thresholds(
    observed: Observed, tops: dict, settings: Settings, fine: bool = False
) -> tuple[Settings, Figures]:
    """The thresholds of `threshold_grid` with the highest merit (the current ones if none).

    Only the grid's thresholds compete: the current ones count only when it is empty."""
    best: tuple[Settings, Figures] | None = None
    for candidate in threshold_grid(settings, tops["score"][:, 0], fine):
        found = figures(observed, tops, candidate)
        if best is None or found.merit > best[1].merit + 1e-12:
            best = (candidate, found)
    return best or (settings, figures(observed, tops, settings))


def _rounded(weights: np.ndarray) -> list[float]:
    total = weights.sum()
    return [round(float(w / total), 3) if total else 0.0 for w in weights]


@dataclass(frozen=True)
class Fit:
    """The chosen settings and their figures on the part of the set they were fitted on."""

    settings: Settings
    figures: Figures


def fit(observed: Observed, settings: Settings, names: Sequence[str]) -> Fit:
    """The weights over `names` (the others 0) and thresholds with the highest merit.

    A local search from the current weights: each weight in turn is scaled or raised
    (`COORDINATE_STEPS`), the weights renormalised, and the change kept when it earns
    more.  Starting from weights that work, and moving one at a time, it overfits a
    few hundred questions much less than a search over all weightings at once.
    """
    depth = max(settings.max_options, 2)  # the runner-up counts even with one option

    def tried(weights: dict[str, float]) -> Fit:
        chosen, found = best_thresholds(
            observed, top_candidates(observed, weights, depth), settings._replace(weights=weights)
        )
        return Fit(chosen, found)

    start = {n: settings.weights[n] for n in names}
    best = tried({**{n: 0.0 for n in settings.weights}, **_normalised(start, names)})
    for _ in range(COORDINATE_ROUNDS):
        before = best
        for name in names:
            for scale, add in COORDINATE_STEPS:
                step = {n: best.settings.weights[n] for n in names}
                step[name] = step[name] * scale + add
                weights = {**best.settings.weights, **_normalised(step, names)}
                best = max(best, tried(weights), key=_merit)
        if best is before:
            break
    tops = top_candidates(observed, best.settings.weights, depth)
    return Fit(*best_thresholds(observed, tops, best.settings, fine=True))


def _normalised(weights: dict[str, float], names: Sequence[str]) -> dict[str, float]:
    """`weights` over `names`, summing to 1 (to 3 decimals); equal if they are all 0."""
    values = np.array([weights[n] for n in names], dtype=float)
    if not values.sum():
        values = np.ones(len(names))
    return dict(zip(names, _rounded(values), strict=True))


def _merit(found: Fit) -> float:
    return found.figures.merit
