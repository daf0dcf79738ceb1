"""Show why a question got its reply: the tokens, the candidates and their signals."""

from __future__ import annotations

import json

from faqbot.bot import Explanation


def explanation_dict(explanation: Explanation) -> dict:
    """The explanation as JSON-ready data."""
    return {
        "question": explanation.question,
        "tokens": list(explanation.tokens),
        "crisis": explanation.crisis,
        "safety": explanation.safety.to_dict() if explanation.safety else None,
        "candidates": [
            {
                "id": c.entry.id,
                "score": round(c.score, 1),
                "ratio": round(c.ratio, 1),
                "coverage": round(c.coverage, 2),
                "precision": round(c.precision, 2),
                "wording": round(c.wording, 1),
                "matched": c.phrasing,
            }
            for c in explanation.candidates
        ],
        "reply": explanation.reply.to_dict(),
    }


def explanation_text(explanation: Explanation, json_output: bool = False) -> str:
    """A small table a maintainer can read, or one JSON line."""
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
        lines.append("")
        lines.append(
            f"{'score':>6} {'ratio':>6} {'cover':>6} {'prec':>6} {'words':>6}"
            "  entry / matched phrasing"
        )
    for c in explanation.candidates:
        lines.append(
            f"{c.score:6.1f} {c.ratio:6.1f} {c.coverage:6.2f} {c.precision:6.2f}"
            f" {c.wording:6.1f}  {c.entry.id}"
        )
        lines.append(f"{'':36}  “{c.phrasing}”")
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
