"""Render a `Reply` as text a person reads in a terminal (shared by `ask` and the REPL).

`reply_fragments` is the one renderer: a list of `(style, text)` pairs in
prompt-toolkit's formatted-text shape (plain tuples, so nothing here imports
prompt-toolkit).  `reply_text` is the same thing with the styles dropped.
"""

from __future__ import annotations

from collections.abc import Mapping

from faqbot.language import get_language
from faqbot.markup import plain_text
from faqbot.reply import Choice, Kind, Reply
from faqbot.wrapping import fill, wrap

HEADINGS = ("crisis_heading", "start_heading", "related_heading", "fallback_heading", "goodbye")

Fragments = list[tuple[str, str]]


def default_headings() -> dict[str, str]:
    """English headings, for a caller with no knowledge base at hand (front ends pass
    `bot.headings()`)."""
    messages = get_language("en").messages
    return {name: messages[name] for name in HEADINGS}


def numbered(choices: tuple[Choice, ...], width: int, start: int = 1) -> list[str]:
    """`  1. question` lines, wrapped under their number."""
    lines = []
    for number, choice in enumerate(choices, start=start):
        prefix = f"  {number}. "
        lines.append(fill(choice.question, width, prefix, " " * len(prefix)))
    return lines


def crisis_lines(reply: Reply, headings: Mapping[str, str] | None = None) -> list[str]:
    """The resources, first and one a line: what must never be cut off."""
    lines = [reply.resources_heading or (headings or default_headings())["crisis_heading"]]
    lines.extend(resource_lines(reply))
    return lines


def resource_lines(reply: Reply) -> list[str]:
    """One `  • name: contact` line per resource."""
    return [f"  • {r.name}: {r.contact}" for r in reply.resources]


def checkin_fragments(reply: Reply, width: int) -> Fragments:
    """A check-in's safety line and the resources under it; empty for other replies."""
    if not reply.checkin:
        return []
    fragments: Fragments = [("class:checkin", wrap(reply.checkin, width))]
    fragments += [("class:checkin.resource", f"\n{line}") for line in resource_lines(reply)]
    return fragments


def numbered_fragments(choices: tuple[Choice, ...], width: int, start: int = 1) -> Fragments:
    """`numbered` with each number styled apart from its question, one choice a line."""
    fragments: Fragments = []
    for number, line in enumerate(numbered(choices, width, start), start=start):
        prefix = f"  {number}."
        fragments += [("class:choice.number", prefix), ("class:choice", line[len(prefix) :])]
        fragments.append(("", "\n"))
    return fragments[:-1]


def crisis_fragments(reply: Reply, headings: Mapping[str, str] | None = None) -> Fragments:
    """The crisis heading and resources, styled to stand out."""
    heading, *resources = crisis_lines(reply, headings)
    fragments: Fragments = [("class:crisis.heading", heading)]
    fragments += [("class:crisis.resource", f"\n{line}") for line in resources]
    return fragments


def choices_fragments(
    reply: Reply, width: int, headings: Mapping[str, str] | None = None
) -> Fragments:
    """Clarify options, or the follow-ups under a heading; empty when there are none."""
    if reply.options:
        return numbered_fragments(reply.options, width)
    if not reply.related:
        return []
    name = "related_heading" if reply.kind is Kind.ANSWER else "fallback_heading"
    heading = (headings or default_headings())[name]
    return [("class:heading", heading), ("", "\n"), *numbered_fragments(reply.related, width)]


def reply_fragments(
    reply: Reply, width: int = 80, headings: Mapping[str, str] | None = None
) -> Fragments:
    """The whole reply: resources first for a crisis, then the answer, a check-in's safety
    line and resources, then choices."""
    blocks: list[Fragments] = []
    if reply.kind is Kind.CRISIS:
        blocks.append(crisis_fragments(reply, headings))
    style = "class:crisis.answer" if reply.kind is Kind.CRISIS else f"class:answer.{reply.kind}"
    blocks.append([(style, wrap(plain_text(reply.answer), width))])
    checkin = checkin_fragments(reply, width)
    if checkin:
        blocks.append(checkin)
    choices = choices_fragments(reply, width, headings)
    if choices:
        blocks.append(choices)
    fragments: Fragments = []
    for block in blocks:
        fragments += [("", "\n\n"), *block] if fragments else block
    return fragments


def fragments_text(fragments: Fragments) -> str:
    """The text of formatted fragments, styles dropped."""
    return "".join(text for _, text in fragments)


def reply_text(reply: Reply, width: int = 80, headings: Mapping[str, str] | None = None) -> str:
    """The whole reply as plain text: `reply_fragments` without the styles."""
    return fragments_text(reply_fragments(reply, width, headings))
