"""Show why a question got its reply: the tokens, the candidates and every term of their scores."""

from __future__ import annotations

import json
import textwrap

from faqbot.bot import Explanation
from faqbot.retrieval import Candidate

# The terms of a score follow the entry and its matched phrasing, indented under them.
INDENT = " " * 8
WIDTH = 96


def terms(candidate: Candidate, weights: dict[str, float]) -> dict[str, float]:
    """Each weighted signal's share of the score, in points (100 x weight x value)."""
    return {
        name: 100 * weight * candidate.signals.get(name, 0.0)
        for name, weight in weights.items()
        if weight
    }


def explanation_dict(explanation: Explanation) -> dict:
    """The explanation as JSON-ready data: `terms` of a candidate add up to its score."""
    weights = dict(explanation.weights)
    return {
        "question": explanation.question,
        "tokens": list(explanation.tokens),
        "crisis": explanation.crisis,
        "safety": explanation.safety.to_dict() if explanation.safety else None,
        "weights": weights,
        "candidates": [
            {
                "id": c.entry.id,
                "score": round(c.score, 1),
                "terms": {name: round(p, 2) for name, p in terms(c, weights).items()},
                "signals": {name: round(c.signals[name], 3) for name in c.signals},
                "matched": c.phrasing,
            }
            for c in explanation.candidates
        ],
        "reply": explanation.reply.to_dict(),
    }


def explanation_text(
    explanation: Explanation, json_output: bool = False, width: int = WIDTH
) -> str:
    """A small table a maintainer can read, `width` columns wide, or one JSON line."""
    if json_output:
        return json.dumps(explanation_dict(explanation), ensure_ascii=False)
    reply = explanation.reply
    lines = [f"question: {explanation.question}"]
    if explanation.crisis:
        lines.append(f"crisis signal: {explanation.crisis} (the safety layer answered first)")
    lines.extend(safety_lines(explanation))
    lines.append(f"tokens:   {' '.join(explanation.tokens) or '(none)'}")
    lines.append(f"decision: {reply.kind} {reply.id or ''} (score {reply.score:.1f})".rstrip())
    if explanation.candidates:
        weighed = ", ".join(f"{n} {w:g}" for n, w in explanation.weights.items() if w)
        legend = f"score = the sum of 100 x weight x signal; weights: {weighed}"
        lines += ["", *textwrap.wrap(legend, width, subsequent_indent="  "), ""]
        lines.append(f"{'score':>6}  entry / matched phrasing / terms")
    for c in explanation.candidates:
        lines.append(f"{c.score:6.1f}  {c.entry.id}")
        lines.append(f"{INDENT}“{c.phrasing}”")
        parts = [f"{name} {p:.1f}" for name, p in terms(c, dict(explanation.weights)).items()]
        sum_line = "= " + " + ".join(parts)
        more = INDENT + "  "
        lines += textwrap.wrap(sum_line, width, initial_indent=INDENT, subsequent_indent=more)
    return "\n".join(lines)


def safety_lines(explanation: Explanation) -> list[str]:
    """The safety decision: level and category, the rule or the model's score, neighbours."""
    verdict = explanation.safety
    if verdict is None:
        return []
    category = f" ({verdict.category})" if verdict.category else ""
    lines = [f"safety:   {verdict.level}{category}, {verdict.reason}"]
    if verdict.language != "en":
        lines.append(f"language: {verdict.language}")
    model = verdict.model
    if model is not None:
        if model.piece:
            lines.append(f"          most worrying piece: “{model.piece}”")
        lines.extend(
            f"          {n.similarity:.2f} {n.category:<16} “{n.text}”" for n in model.nearest
        )
    return lines
