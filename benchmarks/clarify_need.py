"""How often does faqbot ask "did you mean ...?", is the right entry among the options, and
how often would asking have saved a wrong answer or a fallback?

    python benchmarks/clarify_need.py [tests/eval/visitor_questions.yaml tests/eval/holdout.yaml]

For each set's in-scope questions: the share that got a clarify and, of those, the
share whose options hold the right entry; then, among the questions answered
wrongly or referred, the share whose right entry was second and within N points
of the first (N = the clarify margin, and 5): a clarify could have saved those.
For out-of-scope questions: the share that got a clarify (each one a miss).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from faqbot.bot import Bot  # noqa: E402
from faqbot.eval_set import load_eval_set  # noqa: E402
from faqbot.reply import Kind  # noqa: E402

SETS = ("tests/eval/visitor_questions.yaml", "tests/eval/holdout.yaml")


def report(bot: Bot, path: Path) -> None:
    """Print the clarify figures of one evaluation set."""
    settings = bot.knowledge.settings
    cases = load_eval_set(path)
    in_scope = cases.section("in_scope")
    clarified = right_offered = missed = 0
    saved = {settings.clarify_margin: 0, 5.0: 0}
    for case in in_scope:
        explained = bot.explain(case.question, limit=3)
        reply, ranked = explained.reply, explained.candidates
        if reply.kind is Kind.CLARIFY:
            clarified += 1
            right_offered += any(o.id == case.expect for o in reply.options)
            continue
        if reply.kind is Kind.ANSWER and reply.id == case.expect:
            continue
        missed += 1
        if len(ranked) > 1 and ranked[1].entry.id == case.expect:
            for margin in saved:
                saved[margin] += ranked[0].score - ranked[1].score <= margin
    out = cases.section("out_of_scope")
    out_clarified = sum(bot.reply(c.question).kind is Kind.CLARIFY for c in out)
    print(f"\n{path.name}: {len(in_scope)} in-scope, {len(out)} out-of-scope")
    print(f"  clarify offered           {clarified / len(in_scope):6.1%}  ({clarified})")
    share = f"{right_offered / clarified:6.1%}" if clarified else "     —"
    print(f"  ... right entry among it  {share}  ({right_offered} of {clarified})")
    print(f"  wrong or referred         {missed / len(in_scope):6.1%}  ({missed})")
    for margin, count in saved.items():
        print(f"  ... right entry 2nd within {margin:g} points: {count} of {missed}")
    print(f"  out-of-scope clarified    {out_clarified / max(len(out), 1):6.1%}  ({out_clarified})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=[str(ROOT / s) for s in SETS])
    parser.add_argument("--kb", default=None, help="knowledge base folder (default: bundled)")
    args = parser.parse_args()
    bot = Bot.load(args.kb)
    print(
        f"clarify margin {bot.knowledge.settings.clarify_margin:g}, "
        f"answer {bot.knowledge.settings.answer:g}, clarify {bot.knowledge.settings.clarify:g}"
    )
    for name in args.sets:
        report(bot, Path(name))


if __name__ == "__main__":
    main()
