"""Per-question latency: `Bot.reply` on the shipped knowledge base over every evaluation question.

    python benchmarks/latency.py [--rounds 5]

Each question is asked `--rounds` times and its fastest time kept (the machine
is shared: the minimum is the cost of the code, the rest is other people's
work).  Baseline in the same run: the naive `process.extractOne(question,
all_paraphrases, scorer=fuzz.WRatio)`.  Targets: median < 0.5 ms, p99 < 2 ms.
"""

from __future__ import annotations

import argparse
import sys

import yaml
from measure import ROOT, fastest, machine, median, percentile, verdict

TARGET_MEDIAN_MS = 0.5
TARGET_P99_MS = 2.0
EVAL = ROOT / "tests" / "eval" / "visitor_questions.yaml"


def evaluation_questions() -> list[str]:
    """Every question of every section of the evaluation set."""
    sections = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    items = [item for section in sections.values() for item in section or ()]
    return [item["q"] if isinstance(item, dict) else str(item) for item in items]


def main() -> int:
    from rapidfuzz import fuzz, process, utils

    from faqbot.bot import Bot

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    bot = Bot.load(ROOT / "knowledge")
    choices = [utils.default_process(p) for e in bot.knowledge.entries for p in e.phrasings]
    questions = evaluation_questions()
    for question in questions:  # warm the typo-correction cache as a running server would
        bot.reply(question)

    def naive(question: str) -> object:
        return process.extractOne(utils.default_process(question), choices, scorer=fuzz.WRatio)

    ours = [fastest(bot.reply, q, args.rounds) * 1e3 for q in questions]
    baseline = [fastest(naive, q, args.rounds) * 1e3 for q in questions]
    print(f"machine: {machine()}")
    print(
        f"{len(questions)} evaluation questions, {len(choices)} phrasings, "
        f"fastest of {args.rounds} rounds each"
    )
    print(
        f"Bot.reply        median {median(ours):.3f} ms  p99 {percentile(ours, 0.99):.3f} ms  "
        f"max {max(ours):.3f} ms"
    )
    print(
        f"naive extractOne median {median(baseline):.3f} ms  "
        f"p99 {percentile(baseline, 0.99):.3f} ms"
    )
    ok_median = median(ours) < TARGET_MEDIAN_MS
    ok_p99 = percentile(ours, 0.99) < TARGET_P99_MS
    print(f"{verdict(ok_median)}  median < {TARGET_MEDIAN_MS} ms")
    print(f"{verdict(ok_p99)}  p99 < {TARGET_P99_MS} ms")
    return 0 if ok_median and ok_p99 else 1


if __name__ == "__main__":
    sys.exit(main())
