"""What a setting does to a set of questions: right answers, clarifies, fallbacks, clarity."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from faqbot.model import Settings
from faqbot.tuning_arrays import Observed, decisions

# A clarify that offers the right entry is worth this much of a right answer.
CLARIFY_CREDIT = 0.25
# An answer the set forbids (`not:`, a harmful confusion) costs this many right answers.
FORBIDDEN_COST = 10.0
# Separation only settles what the rates leave close (a point of separation is worth less
# than one question in a hundred).
SEPARATION_CREDIT = 0.02
# Score points of lead (or distance below the line) that count as fully clear.
CLEAR_POINTS = 10.0


@dataclass(frozen=True)
class Figures:
    """What a setting does to a set of questions."""

    right: float  # in-scope questions answered with the right entry
    clarified: float  # in-scope questions given a clarify that offers it
    fallback: float  # out-of-scope questions that fell back
    # How clearly (-1 to 1): the right entry's lead, an out-of-scope question's distance
    # below `clarify`; among settings that get as many right, the clearer generalises.
    separation: float = 0.0
    forbidden: float = 0.0  # in-scope questions answered with an entry their case forbids

    @property
    def merit(self) -> float:
        """What the fit maximises: right answers and fallbacks alike, less the forbidden
        answers, then separation."""
        return (
            self.right
            + CLARIFY_CREDIT * self.clarified
            + self.fallback
            - FORBIDDEN_COST * self.forbidden
            + SEPARATION_CREDIT * self.separation
        )


def figures(observed: Observed, tops: dict, settings: Settings) -> Figures:
    """The right-answer, clarify and fallback rates of `settings` on `observed`."""
    answered, clarified, offered = decisions(tops, settings)
    expected = observed.expected
    in_scope = expected >= 0
    entries = tops["entry"][:, : offered.shape[1]]
    right = answered & (entries[:, 0] == expected)
    helped = (offered & (entries == expected[:, None])).any(axis=1)
    share = _share
    return Figures(
        share(right, in_scope),
        share(helped, in_scope),
        share(~answered & ~clarified, ~in_scope),
        _separation(tops, expected, settings),
        share(answered & _forbidden(observed, entries[:, 0]), in_scope),
    )


def _forbidden(observed: Observed, answered_with: np.ndarray) -> np.ndarray:
    """Per question: whether its top entry is one its case forbids."""
    if observed.forbidden is None or not observed.forbidden.size:
        return np.zeros(len(answered_with), dtype=bool)
    top = np.clip(answered_with, 0, None)  # no candidate (-1): nothing to forbid
    found = observed.forbidden[np.arange(len(top)), top]
    return found & (answered_with >= 0)


def _separation(tops: dict, expected: np.ndarray, settings: Settings) -> float:
    """Mean clarity of in-scope and of out-of-scope questions, each from -1 to 1."""
    score, entries = tops["score"], tops["entry"]
    finite = np.where(np.isfinite(score), score, score[:, :1] - CLEAR_POINTS)
    is_expected = entries == expected[:, None]
    found = np.where(is_expected.any(axis=1), (finite * is_expected).sum(axis=1), -np.inf)
    rival = np.where(is_expected[:, 0], finite[:, 1], finite[:, 0])
    lead = np.nan_to_num(found - rival, neginf=-CLEAR_POINTS)
    below = np.nan_to_num(settings.clarify - score[:, 0], posinf=CLEAR_POINTS)
    clarity = np.clip(np.where(expected >= 0, lead, below) / CLEAR_POINTS, -1, 1)
    parts = [clarity[expected >= 0], clarity[expected < 0]]
    return float(np.mean([part.mean() for part in parts if len(part)]))


def _share(hits: np.ndarray, among: np.ndarray) -> float:
    count = int(among.sum())
    return float((hits & among).sum()) / count if count else 1.0
