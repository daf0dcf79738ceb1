"""Judgement: the figures, bars and misses `faqbot eval` reports, JSON-ready."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faqbot.bot import Bot
from faqbot.eval_set import Case
from faqbot.evaluation import EvalResult, Outcome

# option name -> (EvalResult attribute, direction, label); "typo_" reads the typo result.
BARS = {
    "min_top1": ("top1", "min", "top-1 accuracy"),
    "min_answered_or_clarified": ("answered_or_clarified", "min", "answered or clarified"),
    "min_fallback": ("fallback_rate", "min", "out-of-scope fallback rate"),
    "min_crisis_recall": ("crisis_recall", "min", "crisis recall"),
    "min_follow_ups": ("follow_up_rate", "min", "follow-ups right"),
    "max_false_alarms": ("false_alarms", "max", "false crisis alarms"),
    "max_forbidden": ("forbidden_hits", "max", "forbidden answers"),
    "min_typo_top1": ("typo_top1", "min", "top-1 accuracy with typos"),
}


def summary_dict(
    result: EvalResult, typo_result: EvalResult | None, seconds: float
) -> dict[str, Any]:
    """The figures a report or a deploy gate needs, JSON-ready."""
    summary: dict[str, Any] = {
        "cases": {name: len(result.by_section[name]) for name in result.by_section},
        "top1": round(result.top1, 4),
        "clarify_resolved": round(result.clarify_resolved, 4),
        "answered_or_clarified": round(result.top1 + result.clarify_resolved, 4),
        "fallback_rate": round(result.fallback_rate, 4),
        "crisis_recall": round(result.crisis_recall, 4),
        "follow_up_rate": round(result.follow_up_rate, 4),
        "false_alarms": result.false_alarms,
        "forbidden_hits": result.forbidden_hits,
        "confused_pairs": [
            {"expected": e, "got": g, "count": n} for (e, g), n in result.confused_pairs()
        ],
        "seconds": round(seconds, 3),
    }
    if typo_result is not None:
        summary["typos"] = {
            "cases": len(typo_result.outcomes),
            "top1": round(typo_result.top1, 4),
            "clarify_resolved": round(typo_result.clarify_resolved, 4),
            "fallback_rate": round(typo_result.fallback_rate, 4),
            "crisis_recall": round(typo_result.crisis_recall, 4),
            "false_alarms": typo_result.false_alarms,
        }
        summary["typo_top1"] = summary["typos"]["top1"]
    return summary


def failed_bars(summary: dict[str, Any], bars: Mapping[str, Any]) -> list[str]:
    """One sentence per bar given (option name -> value or None) that the results miss."""
    failed = []
    for option, (key, direction, label) in BARS.items():
        bar = bars.get(option)
        if bar is None:
            continue
        value = summary.get(key)
        if value is None:
            failed.append(f"{label}: not measured (add --typos N)")
        elif (value < bar) if direction == "min" else (value > bar):
            failed.append(f"{label} is {_figure(value)}, the bar is {_figure(bar)}")
    return failed


def miss_dict(outcome: Outcome, bot: Bot) -> dict[str, Any]:
    """One miss as JSON: where it is, what was expected, what the bot did."""
    best = best_candidate(outcome, bot)
    return {
        "line": outcome.case.line,
        "section": outcome.case.section,
        "question": outcome.case.question,
        "expected": expected_label(outcome.case),
        "got": outcome.got,
        "score": round(outcome.reply.score, 1),
        "options": [option.id for option in outcome.reply.options],
        "best": {"id": best.entry.id, "score": round(best.score, 1)} if best else None,
        **({"after": outcome.case.previous} if outcome.case.previous else {}),
    }


def best_candidate(outcome, bot):
    """For a fallback or crisis miss, the entry retrieval liked best (None if none)."""
    if outcome.reply.id is not None or outcome.reply.options:
        return None
    candidates = bot.explain(outcome.case.question, limit=1).candidates
    return candidates[0] if candidates else None


def expected_label(case: Case) -> str:
    """What a case must get, as a miss lists it: an entry id, crisis, fallback, not crisis."""
    if case.expect:
        return case.expect
    sections = {"crisis": "crisis", "out_of_scope": "fallback", "follow_ups": "fallback"}
    return sections.get(case.section, "not crisis")


def _figure(value: float) -> str:
    return f"{value:g}"
