"""Fit the score's weights and the decision thresholds to an evaluation set.

  faqbot tune tests/eval/visitor_questions.yaml           (figures and the settings diff)
  faqbot tune FILE --kb DIR --seed 3                      (another knowledge base, split)
  faqbot tune FILE --write                                (save the change to settings.yaml)

The set's in-scope and out-of-scope questions are split (seeded, stratified by
expected entry): the fit sees one part, the held-out part says how the fitted
settings do on questions they were not fitted to.  The change to settings.yaml
is shown as a diff and written only with --write.
"""

from __future__ import annotations

import argparse

from faqbot.cli.common import add_kb_option, eval_set_and_bot
from faqbot.cli.environment import Environment, ExitStatus

NAME = "tune"
HELP = "fit retrieval weights and decision thresholds to an evaluation set and show the diff"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `faqbot tune`."""
    parser.add_argument("file", metavar="EVAL_SET", help="evaluation set (YAML) to fit to")
    parser.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    parser.add_argument(
        "--held-out",
        type=float,
        default=0.3,
        metavar="SHARE",
        help="share of each expected entry's questions kept out of the fit (default 0.3)",
    )
    parser.add_argument(
        "--signals",
        metavar="NAMES",
        default="",
        help="comma-separated signals to weigh (default all; the others weigh 0)",
    )
    parser.add_argument(
        "--typos",
        type=int,
        default=2,
        metavar="N",
        help="also fit on N misspelled copies of each question (default 2)",
    )
    parser.add_argument("--write", action="store_true", help="write the change to settings.yaml")
    add_kb_option(parser)


def run(args: argparse.Namespace, env: Environment) -> int:
    """Fit, print the figures and the diff, write it when asked."""
    from faqbot.retrieval import SIGNAL_NAMES

    names = tuple(n.strip() for n in args.signals.split(",") if n.strip())
    unknown = [n for n in names if n not in SIGNAL_NAMES]
    if unknown or not 0 <= args.held_out < 1 or args.typos < 0:
        env.err(f"usage: --signals from {', '.join(SIGNAL_NAMES)}; 0 <= --held-out < 1")
        return ExitStatus.USAGE
    loaded = eval_set_and_bot(args, env)
    if not isinstance(loaded, tuple):
        return loaded
    eval_set, bot = loaded
    return _tune_and_report(bot, eval_set.cases, names, args, env)


def _tune_and_report(bot, cases, names, args: argparse.Namespace, env: Environment) -> int:
    from faqbot.settings_file import diff, updated_text
    from faqbot.tuning import tune

    tuned = tune(bot, cases, args.seed, args.held_out, names, args.typos)
    env.out(f"fitted on {tuned.fitted_on} questions, held out {tuned.held_out} (seed {args.seed})")
    env.out(f"{'':22}{'right':>8}{'clarify':>9}{'fallback':>10}")
    for label, (before, after) in (
        ("fit part", tuned.fit_figures),
        ("held-out part", tuned.held_out_figures),
    ):
        if label == "held-out part" and not tuned.held_out:
            env.out("held-out part: none (--held-out 0 fits on every question)")
            continue
        env.out(f"{label + ', now':22}{_row(before)}")
        env.out(f"{label + ', tuned':22}{_row(after)}")
    path = bot.knowledge.root / "settings.yaml"
    old, new = updated_text(path, tuned.settings)
    change = diff(path, old, new)
    env.out("")
    env.out(change or "settings.yaml already has these values")
    if args.write and change:
        path.write_text(new, encoding="utf-8")
        env.out(f"written to {path}")
    elif change:
        env.out("(not written: add --write to save it)")
    return ExitStatus.OK


def _row(figures) -> str:
    return f"{figures.right:8.1%}{figures.clarified:9.1%}{figures.fallback:10.1%}"
