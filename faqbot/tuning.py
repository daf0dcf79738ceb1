"""Fit the score's weights and the decision thresholds to an evaluation set (`faqbot tune`).

Any knowledge base, any domain: the only evidence is the set's in-scope questions
(with the entry each must get) and its out-of-scope ones (which must fall back).
The set is split, seeded and stratified by expected entry, into a part the fit
sees and a held-out part it never does; figures on the held-out part say what a
visitor can expect.

Every signal's value is computed once per question and candidate phrasing
(`Bot.evidence`, the index's own candidate selection); weights then only mix
them, so hundreds of weightings are scored in seconds with array arithmetic.
`decisions` is `faqbot.decide`'s rule over arrays (a test holds them equal).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from faqbot.bot import Bot
from faqbot.evaluation import Case
from faqbot.model import Settings
from faqbot.retrieval import ENTRY_SIGNALS, PHRASING_SIGNALS

PHRASING = tuple(signal.name for signal in PHRASING_SIGNALS)
ENTRY = tuple(signal.name for signal in ENTRY_SIGNALS)
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
# A clarify that offers the right entry is worth this much of a right answer.
CLARIFY_CREDIT = 0.25
# Separation only settles what the rates leave close (a point of separation is worth less
# than one question in a hundred).
SEPARATION_CREDIT = 0.02
# Score points of lead (or distance below the line) that count as fully clear.
CLEAR_POINTS = 10.0
THRESHOLDS = ("answer", "clarify", "clarify_margin", "clear_lead")


@dataclass(frozen=True)
class Observed:
    """Every question's candidates as arrays: one row per phrasing, grouped by entry."""

    expected: np.ndarray  # (questions,) entry number, -1 for out of scope
    phrasings: np.ndarray  # (rows, phrasing signals)
    group_starts: np.ndarray  # first row of each (question, entry) group
    entries: np.ndarray  # (groups, entry signals)
    group_entry: np.ndarray  # (groups,) entry number
    group_question: np.ndarray  # (groups,) question number
    wording: np.ndarray  # (rows,) for the tie-break, as `ranked` does
    ratio: np.ndarray
    shared: np.ndarray

    @property
    def size(self) -> int:
        """How many questions."""
        return len(self.expected)


@dataclass(frozen=True)
class Figures:
    """What a setting does to a set of questions."""

    right: float  # in-scope questions answered with the right entry
    clarified: float  # in-scope questions given a clarify that offers it
    fallback: float  # out-of-scope questions that fell back
    # How clearly (-1 to 1): the right entry's lead, an out-of-scope question's distance
    # below `clarify`; among settings that get as many right, the clearer generalises.
    separation: float = 0.0

    @property
    def merit(self) -> float:
        """What the fit maximises: right answers and fallbacks alike, then separation."""
        return (
            self.right
            + CLARIFY_CREDIT * self.clarified
            + self.fallback
            + SEPARATION_CREDIT * self.separation
        )


def observe(bot: Bot, cases: Iterable[Case]) -> Observed:
    """The signals of every candidate of every in-scope and out-of-scope case."""
    numbers = {entry.id: n for n, entry in enumerate(bot.knowledge.entries)}
    expected, rows, starts, entry_rows, group_entry, group_question = [], [], [], [], [], []
    for question, case in enumerate(cases):
        expected.append(numbers.get(case.expect, -1) if case.expect else -1)
        for found in bot.evidence(case.question):
            starts.append(len(rows))
            rows += [[p.signals[n] for n in PHRASING] + [p.shared] for p in found.phrasings]
            entry_rows.append([found.signals[n] for n in ENTRY])
            group_entry.append(numbers[found.entry.id])
            group_question.append(question)
    table = np.array(rows, dtype=float).reshape(-1, len(PHRASING) + 1)
    return Observed(
        np.array(expected, dtype=int),
        table[:, :-1],
        np.array(starts, dtype=int),
        np.array(entry_rows, dtype=float).reshape(-1, len(ENTRY)),
        np.array(group_entry, dtype=int),
        np.array(group_question, dtype=int),
        table[:, PHRASING.index("wording")],
        table[:, PHRASING.index("ratio")],
        table[:, -1],
    )


def top_candidates(observed: Observed, weights: dict[str, float], depth: int) -> dict:
    """Each question's `depth` best entries with `weights`: scores, entries, evidence, ratio."""
    phrasing_weights = np.array([weights[n] for n in PHRASING])
    scores = observed.phrasings @ phrasing_weights
    if not len(observed.group_starts):
        return _empty_tops(observed.size, depth)
    # Each entry's best phrasing, the first of equals (as `ranked`).
    best = _group_argmax(scores, observed.group_starts)
    total = 100 * (scores[best] + observed.entries @ np.array([weights[n] for n in ENTRY]))
    order = np.lexsort(
        (
            observed.group_entry,
            -observed.ratio[best],
            -observed.wording[best],
            -total,
            observed.group_question,
        )
    )
    question = observed.group_question[order]
    rank = np.arange(len(order)) - np.searchsorted(question, question)
    keep = rank < depth
    tops = _empty_tops(observed.size, depth)
    at = (question[keep], rank[keep])
    chosen = order[keep]
    tops["score"][at] = total[chosen]
    tops["entry"][at] = observed.group_entry[chosen]
    tops["evidence"][at] = observed.shared[best][chosen]
    tops["exact"][at] = observed.ratio[best][chosen] >= 1
    return tops


def _empty_tops(questions: int, depth: int) -> dict:
    return {
        "score": np.full((questions, depth), -np.inf),
        "entry": np.full((questions, depth), -2),
        "evidence": np.zeros((questions, depth)),
        "exact": np.zeros((questions, depth), dtype=bool),
    }


def _group_argmax(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The row of each group's largest value, the first of equals."""
    ends = np.append(starts[1:], len(values))
    group = np.repeat(np.arange(len(starts)), ends - starts)
    order = np.lexsort((np.arange(len(values)), -values, group))
    return order[starts]


def decisions(tops: dict, settings: Settings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`decide` for every question at once: (answered, clarified, the entries offered)."""
    score = tops["score"][:, : settings.max_options]
    top, others = score[:, 0], score[:, 1:]
    second = tops["score"][:, 1]
    falls_back = (top < settings.clarify) | (
        (tops["evidence"][:, 0] < settings.min_evidence) & ~tops["exact"][:, 0]
    )
    with np.errstate(invalid="ignore"):  # no candidate at all: -inf - -inf
        close = (others >= settings.clarify) & (top[:, None] - others <= settings.clarify_margin)
    runner_up = np.where(np.isfinite(second), second, 0.0)
    answered = ~falls_back & (
        ((top >= settings.answer) & ~close.any(axis=1)) | (top - runner_up >= settings.clear_lead)
    )
    clarified = ~falls_back & ~answered
    nearby = np.where((top >= settings.answer)[:, None], close, others >= settings.clarify)
    offered = np.concatenate([np.ones((len(top), 1), dtype=bool), nearby], axis=1)
    return answered, clarified, offered & clarified[:, None]


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
    )


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


def split(cases: Sequence[Case], seed: int, held_out: float = 0.3) -> tuple[list, list]:
    """(fit, held out): each expected entry (and the out-of-scope ones) split alike."""
    strata: dict[str, list[Case]] = {}
    for case in cases:
        strata.setdefault(case.expect or "", []).append(case)
    rng = random.Random(seed)
    fit, kept = [], []
    for name in sorted(strata):
        group = strata[name][:]
        rng.shuffle(group)
        cut = round(len(group) * held_out) if len(group) > 1 else 0
        kept += group[:cut]
        fit += group[cut:]
    return fit, kept


# (clarify bands below `answer`, clarify margins, clear leads): coarse while weights are
# searched, fine once they are chosen.
COARSE = ((0, 2, 4), (2, 3), (5, 100))
FINE = ((0, 1, 2, 3, 4, 6), (0, 1, 2, 3, 4), (3, 5, 8, 100))


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
    """The thresholds of `threshold_grid` with the highest merit (the current ones if none)."""
    best = (settings, figures(observed, tops, settings))
    for candidate in threshold_grid(settings, tops["score"][:, 0], fine):
        found = figures(observed, tops, candidate)
        if found.merit > best[1].merit + 1e-12:
            best = (candidate, found)
    return best


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


@dataclass(frozen=True)
class Tuned:
    """What `tune` found: the settings, and the bot's own figures before and after."""

    settings: Settings
    fitted_on: int
    held_out: int
    # (before, after) on each part, measured with `Bot.reply` itself.
    fit_figures: tuple[Figures, Figures]
    held_out_figures: tuple[Figures, Figures]


def tune(
    bot: Bot,
    cases: Sequence[Case],
    seed: int = 0,
    held_out: float = 0.3,
    names: Sequence[str] = (),
    typos: int = 0,
) -> Tuned:
    """Fit on one part of `cases` (with `typos` misspelled copies), measure on both parts.

    `names`: the signals to weigh (default all); the others weigh 0.
    """
    from faqbot.evaluation import typo_cases

    # A follow-up is fitted as if asked alone: context only settles a near-tie, so one
    # that must fall back does so alone too.
    scored = [c for c in cases if c.section in ("in_scope", "out_of_scope", "follow_ups")]
    fit_part, kept = split(scored, seed, held_out)
    seen = fit_part + list(typo_cases(fit_part, typos, seed)) if typos else fit_part
    chosen = fit(observe(bot, seen), bot.knowledge.settings, names or PHRASING + ENTRY)
    tuned_bot = Bot(bot.knowledge._replace(settings=chosen.settings))
    return Tuned(
        chosen.settings,
        len(fit_part),
        len(kept),
        (measured(bot, fit_part), measured(tuned_bot, fit_part)),
        (measured(bot, kept), measured(tuned_bot, kept)),
    )


def measured(bot: Bot, cases: Sequence[Case]) -> Figures:
    """The bot's own figures on `cases` (through `Bot.reply`, as `faqbot eval`)."""
    from faqbot.evaluation import evaluate

    result = evaluate(bot, cases)
    return Figures(result.top1, result.clarify_resolved, result.fallback_rate)
