"""Fit the score's weights and the decision thresholds to an evaluation set (`faqbot tune`).

Any knowledge base, any domain: the only evidence is the set's in-scope questions
(with the entry each must get) and its out-of-scope ones (which must fall back).
The set is split, seeded and stratified by expected entry, into a part the fit
sees and a held-out part it never does; figures on the held-out part say what a
visitor can expect.

The fit itself: `faqbot/tuning_arrays.py` (the questions' signals as arrays),
`faqbot/tuning_figures.py` (what a setting does to them) and
`faqbot/tuning_search.py` (the weights and thresholds that do best).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from faqbot.bot import Bot
from faqbot.eval_set import Case
from faqbot.model import Settings
from faqbot.tuning_arrays import ENTRY, PHRASING, observe
from faqbot.tuning_figures import Figures
from faqbot.tuning_search import fit


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
    from faqbot.eval_typos import typo_cases

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
