"""Choose retrieval weights and decision thresholds from the evaluation set, not by guessing.

    python benchmarks/tune_settings.py [--eval tests/eval/visitor_questions.yaml]

Signals are computed once per question and candidate phrasing (for the set and for
three misspelled copies of each question); every combination of weights and
thresholds is then scored in pure Python, with the same sums as the index.

A combination qualifies when no figure falls below the current knowledge/settings.yaml
(measured in the same run) and every request in `MUST_FALL_BACK` gets the referral;
the best qualifying one has the highest top-1, as typed and misspelled, plus half the
fallback rates.  To show the choice generalises, the search is also run on one half
of the set and the chosen combination measured on the other half.  The holdout set
(tests/eval/holdout.yaml) is never read here.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from math import fsum
from pathlib import Path

from rapidfuzz import utils

from faqbot.bot import Bot
from faqbot.evaluation import Case, load_eval_set, typo_cases
from faqbot.loader import load_knowledge
from faqbot.normalize import clean

ROOT = Path(__file__).resolve().parent.parent
SIGNALS = ("ratio", "coverage", "precision", "wording", "entry_coverage", "answer_coverage")
# Requests the bot must refer whatever the evaluation figures say: content it does not write,
# help it does not give.
MUST_FALL_BACK = (
    "what's the weather",
    "write me a python function that sorts a list",
    "where can I buy cheap sneakers",
    "how many mg of viagra should I take",
    "write me an explicit sex story",
)
TYPO_COPIES = 3
# (top-1, answered or clarified, fallback rate), as typed and misspelled.
Figures = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class Question:
    """One evaluation question with its candidates' raw signals."""

    expect: str | None  # None: must fall back
    # entry id -> (list of (ratio, coverage, precision, wording, evidence) per phrasing,
    #              entry coverage, answer coverage)
    candidates: dict[str, tuple[list[tuple[float, ...]], float, float]]


def collect(bot: Bot, cases: Iterable[Case]) -> list[Question]:
    """Signals of every candidate phrasing, with the index's own candidate selection."""
    index = bot._index
    settings = bot.knowledge.settings
    questions = []
    for case in cases:
        text = clean(case.question, settings.max_question_chars)
        tokens = bot.normalizer.tokens(text)
        query = frozenset(tokens)
        per_entry: dict[str, list] = {}
        entry_signals: dict[str, tuple[float, float]] = {}
        if query:
            query_sorted = " ".join(sorted(tokens))
            weight = fsum(index.idf(t) for t in query)
            typed = utils.default_process(text)
            for position in index._candidate_positions(query, typed):
                signals = index._score(position, query, query_sorted, weight, typed)
                _, ratio, coverage, precision, wording, shared, _ = signals
                entry_id = index._owner[position].id
                per_entry.setdefault(entry_id, []).append(
                    (ratio / 100, coverage, precision, wording / 100, shared)
                )
                if entry_id not in entry_signals:
                    full = index._candidate(signals, query, weight, {})
                    entry_signals[entry_id] = (full.entry_coverage, full.answer_coverage)
        candidates = {e: (rows, *entry_signals[e]) for e, rows in per_entry.items()}
        questions.append(Question(case.expect, candidates))
    return questions


def ranked(question: Question, weights: tuple[float, ...]) -> list[tuple[float, str]]:
    """(score, entry) for the three best entries: the same sums as the index."""
    wr, wc, wp, ww, we, wa = weights
    scores = []
    for entry, (rows, entry_cov, answer_cov) in question.candidates.items():
        best = max(wr * r + wc * c + wp * p + ww * w for r, c, p, w, _ in rows)
        scores.append((100 * (best + we * entry_cov + wa * answer_cov), entry))
    scores.sort(reverse=True)
    return scores[:3]


def weight_grid() -> Iterator[tuple[float, ...]]:
    """Weight vectors summing to 1 (answer coverage takes the rest)."""
    for wr, wc, wp, ww, we in itertools.product(
        (0.05, 0.1, 0.15),
        (0.05, 0.1, 0.15),
        (0.15, 0.2, 0.25),
        (0.1, 0.15, 0.2, 0.25),
        (0.15, 0.2, 0.25),
    ):
        wa = round(1 - wr - wc - wp - ww - we, 2)
        if wa >= 0.05:
            yield (wr, wc, wp, ww, we, wa)


def threshold_grid() -> Iterator[tuple[float, float, float, float]]:
    """(answer, clarify margin, clarify, clear lead); a clarify band stays below `answer`."""
    for answer, margin, clarify, lead in itertools.product(
        (63, 64, 65, 66, 67), (2, 3), (60, 61, 62, 63), (5, 8, 100)
    ):
        if clarify < answer:
            yield answer, margin, clarify, lead


def decide(scores, answer, margin, clarify, lead) -> tuple[str | None, tuple[str, ...], bool]:
    """(answered id, offered ids, fell back?): the same rule as faqbot.decide."""
    if not scores or scores[0][0] < clarify:
        return None, (), True
    top, entry = scores[0]
    rivals = [e for s, e in scores[1:] if s >= clarify and top - s <= margin]
    if top >= answer and not rivals:
        return entry, (), False
    if top - (scores[1][0] if len(scores) > 1 else 0.0) >= lead:
        return entry, (), False
    nearby = rivals if top >= answer else [e for s, e in scores[1:] if s >= clarify]
    return None, (entry, *nearby), False


def measure(questions: list[Question], tops: list, limits) -> tuple[float, float, float]:
    """(top-1 and answered-or-clarified on in-scope, fallback rate on out-of-scope)."""
    right = offered = in_scope = fell_back = out_of_scope = 0
    for question, scores in zip(questions, tops, strict=True):
        got, options, is_fallback = decide(scores, *limits)
        if question.expect is None:
            out_of_scope += 1
            fell_back += is_fallback
        else:
            in_scope += 1
            right += got == question.expect
            offered += question.expect in options
    return (
        right / max(in_scope, 1),
        (right + offered) / max(in_scope, 1),
        fell_back / max(out_of_scope, 1),
    )


def figures(typed, misspelled, weights, limits) -> Figures:
    tops = [ranked(q, weights) for q in typed]
    tops_misspelled = [ranked(q, weights) for q in misspelled]
    return (*measure(typed, tops, limits), *measure(misspelled, tops_misspelled, limits))


def merit(found: Figures) -> float:
    return found[0] + found[3] + 0.5 * (found[2] + found[5])


def search(typed, misspelled, guard, floor: Figures):
    """Best (merit, weights, limits, figures) with no figure below `floor`, or None."""
    best = None
    for weights in weight_grid():
        tops = [ranked(q, weights) for q in typed]
        tops_misspelled = [ranked(q, weights) for q in misspelled]
        guard_tops = [ranked(q, weights) for q in guard]
        for limits in threshold_grid():
            if measure(guard, guard_tops, limits)[2] < 1:
                continue
            found = (*measure(typed, tops, limits), *measure(misspelled, tops_misspelled, limits))
            qualifies = all(f >= b - 1e-9 for f, b in zip(found, floor, strict=True))
            if qualifies and (best is None or merit(found) > best[0]):
                best = (merit(found), weights, limits, found)
    return best


def shown(found: Figures) -> str:
    names = ("top-1", "answered or clarified", "fallback")
    typed = ", ".join(f"{n} {f:.1%}" for n, f in zip(names, found[:3], strict=True))
    misspelled = ", ".join(f"{n} {f:.1%}" for n, f in zip(names, found[3:], strict=True))
    return f"{typed}; misspelled: {misspelled}"


def signals_of(bot: Bot, cases: list[Case]) -> tuple[list[Question], list[Question]]:
    """The cases' signals as typed and with `TYPO_COPIES` misspelled copies of each."""
    return collect(bot, cases), collect(bot, typo_cases(cases, TYPO_COPIES))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(ROOT / "tests/eval/visitor_questions.yaml"))
    parser.add_argument("--kb", default=str(ROOT / "knowledge"))
    args = parser.parse_args()
    knowledge = load_knowledge(args.kb)
    bot = Bot(knowledge)
    cases = [c for c in load_eval_set(args.eval).cases if c.section in ("in_scope", "out_of_scope")]
    guard = collect(bot, [Case(q, "out_of_scope") for q in MUST_FALL_BACK])
    current = knowledge.settings
    weights = tuple(getattr(current, f"weight_{name}") for name in SIGNALS)
    limits = (current.answer, current.clarify_margin, current.clarify, current.clear_lead)
    whole = signals_of(bot, cases)
    baseline = figures(*whole, weights, limits)
    print(f"current settings {weights} {limits}:\n  {shown(baseline)}")
    best = search(*whole, guard, baseline)
    if best:
        print(f"best on the whole set {best[1]} {best[2]}:\n  {shown(best[3])}")
    # Does the choice generalise? Tune on half A (floor: half A's current figures), measure B.
    half_a, half_b = signals_of(bot, cases[0::2]), signals_of(bot, cases[1::2])
    tuned = search(*half_a, guard, figures(*half_a, weights, limits))
    if tuned:
        print(f"tuned on half A {tuned[1]} {tuned[2]}, measured on half B:")
        print(f"  {shown(figures(*half_b, tuned[1], tuned[2]))}")
        print(f"  (current settings on half B: {shown(figures(*half_b, weights, limits))})")


if __name__ == "__main__":
    main()
