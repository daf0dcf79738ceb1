"""Every candidate's signals for a set of questions as arrays, and the bot's rules over them.

Every signal's value is computed once per question and candidate phrasing
(`Bot.evidence`, the index's own candidate selection); weights then only mix
them, so hundreds of weightings are scored in seconds with array arithmetic.
`top_candidates` is `faqbot.retrieval.ranked` over arrays and `decisions` is
`faqbot.decide`'s rule over arrays (a test holds them equal).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from faqbot.bot import Bot
from faqbot.eval_set import Case
from faqbot.model import Settings
from faqbot.retrieval import ENTRY_SIGNALS, PHRASING_SIGNALS

PHRASING = tuple(signal.name for signal in PHRASING_SIGNALS)
ENTRY = tuple(signal.name for signal in ENTRY_SIGNALS)


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
    # (questions, entries): True where the set says "never answer this one with that".
    forbidden: np.ndarray | None = None

    @property
    def size(self) -> int:
        """How many questions."""
        return len(self.expected)


def observe(bot: Bot, cases: Iterable[Case]) -> Observed:
    """The signals of every candidate of every in-scope and out-of-scope case."""
    numbers = {entry.id: n for n, entry in enumerate(bot.knowledge.entries)}
    expected, rows, starts, entry_rows, group_entry, group_question = [], [], [], [], [], []
    cases = list(cases)
    forbidden = np.zeros((len(cases), len(numbers)), dtype=bool)
    for question, case in enumerate(cases):
        expected.append(numbers.get(case.expect, -1) if case.expect else -1)
        forbidden[question, [numbers[i] for i in case.forbidden if i in numbers]] = True
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
        forbidden,
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
    tops["semantic"][at] = observed.phrasings[best][chosen, PHRASING.index("semantic")]
    tops["scope"][at] = observed.entries[chosen, ENTRY.index("scope")]
    return tops


def _empty_tops(questions: int, depth: int) -> dict:
    return {
        "score": np.full((questions, depth), -np.inf),
        "entry": np.full((questions, depth), -2),
        "evidence": np.zeros((questions, depth)),
        "exact": np.zeros((questions, depth), dtype=bool),
        "semantic": np.zeros((questions, depth)),
        "scope": np.ones((questions, depth)),
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
    exact = tops["exact"][:, 0]
    nearer_outside = (tops["semantic"][:, 0] > 0) & (tops["scope"][:, 0] < settings.min_scope)
    falls_back = (
        (top < settings.clarify)
        | ((tops["evidence"][:, 0] < settings.min_evidence) & ~exact)
        | (nearer_outside & ~exact)
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
