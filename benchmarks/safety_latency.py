"""Reply latency with the learned safety detector, beside the same bot without it.

    python benchmarks/safety_latency.py [--rounds 3] [--kb FOLDER]

Every message of the safety dev set and the visitor questions is answered
`--rounds` times by `Bot.reply` and its fastest time kept (the machine is shared);
the baseline in the same run is the same bot with the detector switched off (rules,
retrieval and decision only).  Also: messages at the maximum accepted length, and how
many pieces (encoder rows, all in one call) the messages needed.  Targets (issue 13):
p50 <= 8 ms and p99 <= 20 ms up to 300 characters, <= 100 ms at the maximum length.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

from measure import ROOT, fastest, machine, median, percentile
from safety_eval import cases

from faqbot.bot import Bot

SETS = ("safety_dev.yaml", "visitor_questions.yaml")


def timings(bot: Bot, messages: list[str], rounds: int) -> list[float]:
    """Fastest `Bot.reply` time of each message, in milliseconds."""
    return [fastest(bot.reply, message, rounds) * 1000 for message in messages]


def summary(name: str, values: list[float]) -> str:
    return (
        f"{name:<34} p50 {median(values):6.2f} ms   p99 {percentile(values, 0.99):6.2f} ms"
        f"   n={len(values)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kb", type=Path, help="knowledge base folder (default: the bundled one)")
    args = parser.parse_args(argv)
    bot = Bot.load(args.kb, cache=True)
    check = bot._check
    if check.model is None:
        print("this knowledge base has no exemplar bank: no learned detector to measure")
        return 1
    rules_only = copy.copy(bot)
    rules_only._check = copy.copy(check)
    rules_only._check.model = None
    messages = [c["q"] for name in SETS for c in cases(ROOT / "tests" / "eval" / name)]
    short = [m for m in messages if len(m) <= 300]
    longest = bot.knowledge.settings.max_question_chars
    long = [(m + " ") * (longest // (len(m) + 1) + 1) for m in short[:40]]
    long = [m[:longest] for m in long]
    bot.reply("warm up the encoder")
    print(machine())
    pieces = [len(check._splitter.pieces(check._rules.canonical(m))) for m in short]
    print(f"pieces per message (<= 300 chars): p50 {median(pieces)}, max {max(pieces)}")
    print(summary("rules only (baseline), <= 300", timings(rules_only, short, args.rounds)))
    print(summary("with the detector, <= 300 chars", timings(bot, short, args.rounds)))
    print(summary(f"with the detector, {longest} chars", timings(bot, long, args.rounds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
