"""Render a `Reply` as text a person reads in a terminal (shared by `ask` and the REPL)."""

from __future__ import annotations

import textwrap

from faqbot.markup import plain_text
from faqbot.reply import Choice, Kind, Reply

CRISIS_HEADING = "Please reach out now — free, confidential, 24/7:"


def wrap(text: str, width: int) -> str:
    """Wrap each paragraph to `width` columns, keeping blank lines between paragraphs."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(textwrap.fill(p, width=max(width, 20)) for p in paragraphs)


def numbered(choices: tuple[Choice, ...], width: int) -> list[str]:
    """`  1. question` lines, wrapped under their number."""
    lines = []
    for number, choice in enumerate(choices, start=1):
        lines.append(textwrap.fill(choice.question, width=max(width, 20),
                                   initial_indent=f"  {number}. ", subsequent_indent="     "))
    return lines


def crisis_lines(reply: Reply) -> list[str]:
    """The resources, first and one a line: what must never be cut off."""
    lines = [CRISIS_HEADING]
    lines.extend(f"  • {r.name}: {r.contact}" for r in reply.resources)
    return lines


def reply_text(reply: Reply, width: int = 80) -> str:
    """The whole reply as plain text: resources first for a crisis, then the answer, then choices."""
    blocks: list[str] = []
    if reply.kind is Kind.CRISIS:
        blocks.append("\n".join(crisis_lines(reply)))
    blocks.append(wrap(plain_text(reply.answer), width))
    if reply.options:
        blocks.append("\n".join(numbered(reply.options, width)))
    elif reply.related:
        heading = "You could also ask:" if reply.kind is Kind.ANSWER else "You could try:"
        blocks.append("\n".join([heading, *numbered(reply.related, width)]))
    return "\n\n".join(blocks)
