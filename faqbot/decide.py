"""Decide what to do with ranked candidates: answer, ask which one was meant, or refer.

Pure and small on purpose: the thresholds come from settings.yaml and the
evaluator exercises exactly this function through `Bot.reply`.  What the
previous answer suggested (`preferred`) never changes a score: it only picks
between entries so close that the visitor would otherwise be asked to choose,
so a follow-up can never turn a fallback into an answer.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from faqbot.model import Settings
from faqbot.reply import Kind
from faqbot.retrieval import Candidate


class Decision(NamedTuple):
    """The kind of reply and the candidates it is about (one for answer, 2-3 for clarify)."""

    kind: Kind
    chosen: tuple[Candidate, ...] = ()


def decide(
    ranked: list[Candidate], settings: Settings, preferred: Collection[str] = ()
) -> Decision:
    """Answer when one entry is clearly best, clarify when several are close, else fall back.

    A clarify between near-tied entries of which exactly one is in `preferred` (the
    follow-ups of the previous answer) answers that one.
    """
    decision = _without_context(ranked, settings)
    if decision.kind is not Kind.CLARIFY or not preferred:
        return decision
    top = decision.chosen[0]
    tied = [c for c in decision.chosen if top.score - c.score <= settings.clarify_margin]
    favoured = [c for c in tied if c.entry.id in preferred]
    return Decision(Kind.ANSWER, (favoured[0],)) if len(favoured) == 1 else decision


def _without_context(ranked: list[Candidate], settings: Settings) -> Decision:
    if not ranked or ranked[0].score < settings.clarify:
        return Decision(Kind.FALLBACK)
    top = ranked[0]
    if top.evidence < settings.min_evidence and top.signals["ratio"] < 1:
        return Decision(Kind.FALLBACK)
    if _nearer_outside(top, settings):
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


def _nearer_outside(top: Candidate, settings: Settings) -> bool:
    """Closer in meaning to what the knowledge base marks out of scope than to any of its
    phrasings (`scope` below `min_scope`), and not written word for word: a question
    about becoming a sex therapist is not one about the therapist.  Without the encoder
    (`semantic` 0) nothing was measured."""
    signals = top.signals
    measured = signals.get("semantic", 0.0) > 0
    return measured and signals.get("scope", 1.0) < settings.min_scope and signals["ratio"] < 1
