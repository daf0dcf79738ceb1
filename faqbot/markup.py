"""The one piece of markup answers may contain: `[visible text](target)` links.

Answers are text, never HTML.  Links are explicit so every front end can render
them safely (the widget builds `<a>` nodes with textContent; the terminal shows
the text), and only these schemes are allowed, so no `javascript:` ever reaches
a page.
"""

from __future__ import annotations

import re
from typing import NamedTuple

ALLOWED_SCHEMES = ("https:", "http:", "mailto:", "tel:")
LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]+)\)")
RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&[a-zA-Z]+;|&#\d+;")
# Anything shaped like a link target, even one the strict LINK pattern does not accept.
LINK_LIKE = re.compile(r"\]\(\s*([^)\s]*)")


class Link(NamedTuple):
    """A link inside an answer."""

    text: str
    target: str

    @property
    def allowed(self) -> bool:
        """True when the target uses one of the allowed schemes."""
        return self.target.lower().startswith(ALLOWED_SCHEMES)


def segments(text: str) -> list[str | Link]:
    """Split an answer into plain strings and links, in order."""
    parts: list[str | Link] = []
    position = 0
    for match in LINK.finditer(text):
        if match.start() > position:
            parts.append(text[position : match.start()])
        parts.append(Link(match.group(1), match.group(2)))
        position = match.end()
    if position < len(text):
        parts.append(text[position:])
    return parts


def plain_text(text: str) -> str:
    """The answer as a person reads it in a terminal: web links keep their address."""
    rendered: list[str] = []
    for part in segments(text):
        if isinstance(part, str):
            rendered.append(part)
        elif part.target.startswith(("http:", "https:")) and part.target != part.text:
            rendered.append(f"{part.text} ({part.target})")
        else:
            rendered.append(part.text)
    return "".join(rendered)


def markup_problems(text: str) -> list[str]:
    """What is not allowed in answer text: raw HTML, and links that are malformed or unsafe."""
    if "<" not in text and "&" not in text and "](" not in text:
        return []  # nothing either pattern could match; `faqbot serve` checks every phrasing
    problems = [f"raw HTML is not allowed: {m.group(0)!r}" for m in RAW_HTML.finditer(text)]
    good = [m.span() for m in LINK.finditer(text) if Link(m.group(1), m.group(2)).allowed]
    for attempt in LINK_LIKE.finditer(text):
        if not any(start <= attempt.start() < end for start, end in good):
            problems.append(
                f"link target {attempt.group(1)!r} must start with "
                f"{', '.join(ALLOWED_SCHEMES)} and contain no spaces or brackets"
            )
    return problems
