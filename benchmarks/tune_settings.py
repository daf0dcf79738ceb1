"""Choose retrieval weights and decision thresholds from the evaluation set, not by guessing.

    python benchmarks/tune_settings.py [--eval tests/eval/visitor_questions.yaml]

Signals are computed once per question and candidate phrasing; every combination
of weights and thresholds is then scored in pure Python.  To show the choice
generalises, it also tunes on one half of the set and reports the other half.
The current knowledge/settings.yaml is measured in the same run as the baseline.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass
from pathlib import Path

from faqbot.bot import Bot
from faqbot.evaluation import load_eval_set
from faqbot.loader import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
SIGNALS = ("ratio", "coverage", "precision", "entry_coverage", "answer_coverage")


@dataclass(frozen=True)
class Question:
    """One evaluation question with its candidates' raw signals."""

    expect: str | None  # None: must fall back
    forbidden: tuple[str, ...]
    # entry id -> (list of (ratio, coverage, precision) per phrasing, entry_cov, answer_cov)
    candidates: dict[str, tuple[list[tuple[float, float, float]], float, float]]


def collect(bot: Bot, cases) -> list[Question]:
    """Signals of every candidate phrasing, with the index's own candidate selection."""
    index = bot._index
    questions = []
    for case in cases:
        tokens = bot.normalizer.tokens(case.question)
        query = frozenset(tokens)
        per_entry: dict[str, list] = {}
        entry_signals: dict[str, tuple[float, float]] = {}
        if query:
            query_sorted = " ".join(sorted(tokens))
            weight = sum(index.idf(t) for t in query)
            for position in index._candidate_positions(query):
                c = index._score(position, query, query_sorted, weight)
                per_entry.setdefault(c.entry.id, []).append(
                    (c.ratio / 100, c.coverage, c.precision, c.evidence)
                )
                if c.entry.id not in entry_signals:
                    full = index._with_entry_signals(c, query, weight, {})
                    entry_signals[c.entry.id] = (full.entry_coverage, full.answer_coverage)
        candidates = {e: (rows, *entry_signals[e]) for e, rows in per_entry.items()}
        questions.append(Question(case.expect, case.forbidden, candidates))
    return questions


def ranked(question: Question, weights: tuple[float, ...]) -> list[tuple[float, str]]:
    wr, wc, wp, we, wa = weights
    scores = []
    for entry, (rows, entry_cov, answer_cov) in question.candidates.items():
        best, r, e = max((wr * r + wc * c + wp * p, r, e) for r, c, p, e in rows)
        scores.append((100 * (best + we * entry_cov + wa * answer_cov), entry, r, e))
    scores.sort(reverse=True)
    return scores


def weight_grid():
    """Weight vectors summing to 1 (coverage takes the rest), coarse enough to search fully."""
    for wr, wp, we, wa in itertools.product(
        (0, 0.1, 0.2), (0, 0.1, 0.2), (0.2, 0.3, 0.4, 0.5, 0.6), (0, 0.1, 0.2, 0.3, 0.4)
    ):
        wc = round(1 - wr - wp - we - wa, 2)
        if wc >= 0.1:
            yield (wr, wc, wp, we, wa)


def decide(scores, answer, margin, clarify, lead, evidence):
    """(answered id or None, fell back?) — the same rule as faqbot.decide."""
    if not scores or scores[0][0] < clarify:
        return None, True
    top, entry, ratio, shared = scores[0]
    if shared < evidence and ratio < 1:
        return None, True
    rivals = [s for s, *_ in scores[1:3] if top - s <= margin and s >= clarify]
    if top >= answer and not rivals:
        return entry, False
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    return (entry if top - runner_up >= lead else None), False


def measure(questions, tops, answer, margin, clarify, lead=100, evidence=0):
    """(top-1 on in-scope, fallback rate on out-of-scope, forbidden answers)."""
    right = in_scope = fell_back = out_of_scope = forbidden = 0
    for question, scores in zip(questions, tops, strict=True):
        got, is_fallback = decide(scores, answer, margin, clarify, lead, evidence)
        if question.expect is None:
            out_of_scope += 1
            fell_back += is_fallback
        else:
            in_scope += 1
            right += got == question.expect
        forbidden += got in question.forbidden
    return right / max(in_scope, 1), fell_back / max(out_of_scope, 1), forbidden


def thresholds():
    # A clarify must stay possible: close calls (within `margin`) and a band below `answer`.
    for answer in range(40, 80, 3):
        for margin in (2, 3, 4):
            for gap in (4, 8, 12):
                for lead in (8, 14, 100):
                    for evidence in (0, 1.5, 2.5):
                        yield answer, margin, answer - gap, lead, evidence


def coarse_thresholds():
    for answer in range(40, 80, 4):
        for margin in (3,):
            for gap in (8,):
                yield answer, margin, answer - gap, 100, 0


def best_limits(questions, tops, limits_grid, min_fallback):
    best = None
    for limits in limits_grid:
        top1, fallback, _ = measure(questions, tops, *limits)
        if fallback >= min_fallback and (best is None or (top1, fallback) > best[:2]):
            best = (top1, fallback, *limits)
    return best


def search(questions, min_fallback: float, keep: int = 8):
    """Best (top-1, fallback, weights, *limits): weights on a coarse grid, then fine limits."""
    coarse = []
    for weights in weight_grid():
        tops = [ranked(q, weights)[:3] for q in questions]
        found = best_limits(questions, tops, coarse_thresholds(), min_fallback)
        if found:
            coarse.append((found[:2], weights, tops))
    coarse.sort(key=lambda item: item[0], reverse=True)
    best = None
    for _, weights, tops in coarse[:keep]:
        found = best_limits(questions, tops, thresholds(), min_fallback)
        if found and (best is None or found[:2] > best[:2]):
            best = (*found[:2], weights, *found[2:])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(ROOT / "tests/eval/visitor_questions.yaml"))
    parser.add_argument("--kb", default=str(ROOT / "knowledge"))
    parser.add_argument("--min-fallback", type=float, default=0.92)
    parser.add_argument("--unknown", type=float, nargs="*", default=[0.5, 0.75, 1.0])
    args = parser.parse_args()
    knowledge = load_knowledge(args.kb)
    cases = [
        c
        for c in load_eval_set(args.eval).cases
        if c.section in ("in_scope", "out_of_scope") or c.expect
    ]
    current = knowledge.settings
    baseline = collect(Bot(knowledge), cases)
    weights = tuple(getattr(current, f"weight_{name}") for name in SIGNALS)
    tops = [ranked(q, weights)[:3] for q in baseline]
    print(
        "current settings (top-1, fallback, forbidden):",
        measure(
            baseline,
            tops,
            current.answer,
            current.clarify_margin,
            current.clarify,
            current.clear_lead,
            current.min_evidence,
        ),
    )
    for unknown in args.unknown:
        bot = Bot(knowledge._replace(settings=current._replace(unknown_word_weight=unknown)))
        questions = collect(bot, cases)
        half_a, half_b = questions[0::2], questions[1::2]
        tuned = search(half_a, args.min_fallback)
        if tuned:
            tops_b = [ranked(q, tuned[2])[:3] for q in half_b]
            held_out = measure(half_b, tops_b, *tuned[3:])
            print(
                f"unknown={unknown}: tuned on half A {tuned[:2]} -> held-out half B "
                f"(top-1, fallback, forbidden) {held_out}"
            )
        print(f"unknown={unknown}: whole set", search(questions, args.min_fallback))


if __name__ == "__main__":
    main()
