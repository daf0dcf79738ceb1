"""Choose retrieval weights and decision thresholds from the evaluation set, not by guessing.

    python benchmarks/tune_settings.py [--eval tests/eval/visitor_questions.yaml]

Signals are computed once per question and candidate phrasing (for the set and for
three misspelled copies of each question); every combination of weights and
thresholds is then scored with the same sums as the index and the bot's own `decide`.

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
from pathlib import Path

from faqbot.bot import Bot
from faqbot.decide import decide
from faqbot.evaluation import Case, load_eval_set, typo_cases
from faqbot.loader import load_knowledge
from faqbot.model import Settings
from faqbot.reply import Kind
from faqbot.retrieval import Candidate

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
    questions = []
    for case in cases:
        candidates = {
            found.entry.id: (
                [
                    (
                        p.signals["ratio"],
                        p.signals["coverage"],
                        p.signals["precision"],
                        p.signals["wording"],
                        p.shared,
                    )
                    for p in found.phrasings
                ],
                found.signals["entry_coverage"],
                found.signals["answer_coverage"],
            )
            for found in bot.evidence(case.question)
        }
        questions.append(Question(case.expect, candidates))
    return questions


def ranked(question: Question, weights: tuple[float, ...], bot: Bot) -> list[Candidate]:
    """The three best entries as the index would rank them with `weights` (same sums)."""
    wr, wc, wp, ww, we, wa = weights
    scored = []
    for entry_id, (rows, entry_cov, answer_cov) in question.candidates.items():
        best, wording, ratio, evidence = max(
            (wr * r + wc * c + wp * p + ww * w, w, r, e) for r, c, p, w, e in rows
        )
        score = 100 * (best + we * entry_cov + wa * answer_cov)
        scored.append((-score, -wording, -ratio, entry_id, evidence))
    scored.sort()
    return [
        Candidate(bot.entry(entry_id), "", -score, {"ratio": -ratio}, evidence)
        for score, _, ratio, entry_id, evidence in scored[:3]
    ]


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


def threshold_grid(current: Settings) -> Iterator[Settings]:
    """`current` with other answer / clarify margin / clarify / clear lead thresholds."""
    for answer, margin, clarify, lead in itertools.product(
        (63, 64, 65, 66, 67), (2, 3), (60, 61, 62, 63), (5, 8, 100)
    ):
        if clarify < answer:  # a clarify band stays below `answer`
            yield current._replace(
                answer=answer, clarify_margin=margin, clarify=clarify, clear_lead=lead
            )


def measure(questions: list[Question], tops: list, settings: Settings) -> tuple[float, ...]:
    """(top-1 and answered-or-clarified on in-scope, fallback rate on out-of-scope)."""
    right = offered = in_scope = fell_back = out_of_scope = 0
    for question, candidates in zip(questions, tops, strict=True):
        decision = decide(candidates, settings)  # the bot's own rule
        ids = [c.entry.id for c in decision.chosen]
        if question.expect is None:
            out_of_scope += 1
            fell_back += decision.kind is Kind.FALLBACK
        else:
            in_scope += 1
            right += decision.kind is Kind.ANSWER and ids == [question.expect]
            offered += decision.kind is Kind.CLARIFY and question.expect in ids
    return (
        right / max(in_scope, 1),
        (right + offered) / max(in_scope, 1),
        fell_back / max(out_of_scope, 1),
    )


def figures(typed, misspelled, weights, settings: Settings, bot: Bot) -> Figures:
    """The six figures of `weights` and `settings` on both sets."""
    return measured_both(typed, misspelled, tops(typed, misspelled, weights, bot), settings)


def tops(typed, misspelled, weights, bot: Bot) -> tuple[list, list]:
    """Each question's three best candidates with `weights`, for both sets."""
    return [ranked(q, weights, bot) for q in typed], [ranked(q, weights, bot) for q in misspelled]


def measured_both(typed, misspelled, ranked_both: tuple[list, list], settings) -> Figures:
    typed_tops, misspelled_tops = ranked_both
    return (
        *measure(typed, typed_tops, settings),
        *measure(misspelled, misspelled_tops, settings),
    )


def merit(found: Figures) -> float:
    return found[0] + found[3] + 0.5 * (found[2] + found[5])


def search(typed, misspelled, guard, floor: Figures, current: Settings, bot: Bot):
    """Best (merit, weights, settings, figures) with no figure below `floor`, or None."""
    best = None
    for weights in weight_grid():
        ranked_both = tops(typed, misspelled, weights, bot)
        guard_tops = [ranked(q, weights, bot) for q in guard]
        for settings in threshold_grid(current):
            if measure(guard, guard_tops, settings)[2] < 1:
                continue
            found = measured_both(typed, misspelled, ranked_both, settings)
            qualifies = all(f >= b - 1e-9 for f, b in zip(found, floor, strict=True))
            if qualifies and (best is None or merit(found) > best[0]):
                best = (merit(found), weights, settings, found)
    return best


def limits_of(settings: Settings) -> tuple[float, ...]:
    """The thresholds the search varies, for printing."""
    return settings.answer, settings.clarify_margin, settings.clarify, settings.clear_lead


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
    weights = tuple(current.weights[name] for name in SIGNALS)
    whole = signals_of(bot, cases)
    baseline = figures(*whole, weights, current, bot)
    print(f"current settings {weights} {limits_of(current)}:\n  {shown(baseline)}")
    best = search(*whole, guard, baseline, current, bot)
    if best:
        print(f"best on the whole set {best[1]} {limits_of(best[2])}:\n  {shown(best[3])}")
    # Does the choice generalise? Tune on half A (floor: half A's current figures), measure B.
    half_a, half_b = signals_of(bot, cases[0::2]), signals_of(bot, cases[1::2])
    tuned = search(*half_a, guard, figures(*half_a, weights, current, bot), current, bot)
    if tuned:
        print(f"tuned on half A {tuned[1]} {limits_of(tuned[2])}, measured on half B:")
        print(f"  {shown(figures(*half_b, tuned[1], tuned[2], bot))}")
        print(f"  (current settings on half B: {shown(figures(*half_b, weights, current, bot))})")


if __name__ == "__main__":
    main()
