"""Wrap text for a terminal on word boundaries, never inside a phone number or a link.

`textwrap` alone splits "(917) 742-2624" at its space or hyphen and breaks a long
word or address in half; here those stay whole, on the next line if need be.
"""

from __future__ import annotations

import re
import textwrap

MIN_WIDTH = 20
# A phone number: digits with spaces, dots, dashes or brackets between them, 7+ digits.
PHONE = re.compile(r"\+?\(?\d[\d ().\-–]{5,}\d")
LINK = re.compile(r"\b(?:https?://|mailto:|tel:|www\.)\S+")
# Not whitespace to textwrap, so a protected span is one word; turned back after wrapping.
GLUE = "\u00a0"


def fill(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """One paragraph wrapped to `width` columns; words, numbers and links are never split."""
    glued = _glue(" ".join(text.split()))
    lines = textwrap.wrap(
        glued,
        width=max(width, MIN_WIDTH),
        initial_indent=initial_indent,
        subsequent_indent=subsequent_indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(line.replace(GLUE, " ") for line in lines)


def wrap(text: str, width: int) -> str:
    """Each paragraph wrapped, with the blank lines between paragraphs kept."""
    return "\n\n".join(fill(p, width) for p in text.split("\n\n"))


def wrap_lines(text: str, width: int) -> str:
    """A pre-laid-out block (a table): each long line wrapped under its own indent."""
    out = []
    for line in text.splitlines():
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out.append(fill(line, width, indent, indent + "  "))
    return "\n".join(out)


def _glue(text: str) -> str:
    def glued(match: re.Match[str]) -> str:
        return match.group(0).replace(" ", GLUE)

    return LINK.sub(glued, PHONE.sub(glued, text))
