"""Decide what to do with ranked candidates: answer, ask which one was meant, or refer.

Pure and small on purpose: the thresholds come from settings.yaml and the
evaluator exercises exactly this function through `Bot.reply`.
"""

from __future__ import annotations

from typing import NamedTuple

from faqbot.model import Settings
from faqbot.reply import Kind
from faqbot.retrieval import Candidate


class Decision(NamedTuple):
    """The kind of reply and the candidates it is about (one for answer, 2-3 for clarify)."""

    kind: Kind
    chosen: tuple[Candidate, ...] = ()


def decide(ranked: list[Candidate], settings: Settings) -> Decision:
    """Answer when one entry is clearly best, clarify when several are close, else fall back."""
    if not ranked or ranked[0].score < settings.clarify:
        return Decision(Kind.FALLBACK)
    top = ranked[0]
    if top.evidence < settings.min_evidence and top.signals["ratio"] < 1:
        return Decision(Kind.FALLBACK)
    rivals = tuple(
        c
        for c in ranked[1 : settings.max_options]
        if c.score >= settings.clarify and top.score - c.score <= settings.clarify_margin
    )
    if top.score >= settings.answer and not rivals:
        return Decision(Kind.ANSWER, (top,))
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if top.score - runner_up >= settings.clear_lead:
        return Decision(Kind.ANSWER, (top,))
    if top.score >= settings.answer:
        return Decision(Kind.CLARIFY, (top, *rivals))
    nearby = tuple(c for c in ranked[1 : settings.max_options] if c.score >= settings.clarify)
    return Decision(Kind.CLARIFY, (top, *nearby))
