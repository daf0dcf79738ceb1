"""Cut a message into the pieces the safety layer checks one by one.

A disclosure inside a longer question ("is there homework? my husband gets
violent when he drinks and i'm scared to go home") weighs little in the whole
message: checked alone, it stands out.  Pieces are sentences (split at . ! ? ;
and line breaks), clauses (split before words such as "but" or "and i",
listed in faqbot/languages/safety/canon.yaml) and, within a clause, the parts
between its commas.  The count and the length of
pieces are bounded, so a megabyte costs no more than a long message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_PIECES = 12
MAX_PIECE_CHARS = 300
# A clause shorter than this many words joins the next one: "my wife and i love true
# crime" is not checked as "my wife", which means nothing alone.
MIN_CLAUSE_WORDS = 4
_SENTENCE_END = re.compile(r"[.!?;\n\r]+|\s[-–—]+\s")


class Splitter:
    """Splits text into sentences and clauses (see the module)."""

    def __init__(self, clause_starts: Iterable[str]) -> None:
        starts = sorted({" ".join(s.split()) for s in clause_starts if s.strip()}, key=len)
        alternatives = "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in reversed(starts))
        self._clause = re.compile(rf"[,\s]+(?=(?:{alternatives})\b)") if starts else None

    def pieces(self, text: str, limit: int = MAX_PIECES) -> list[str]:
        """The whole message (cut to `MAX_PIECE_CHARS`) first, then each sentence and clause.

        With more than `limit` pieces, the first and the last ones are kept: a message's
        point is most often at its start or its end.
        """
        whole = " ".join(text[: MAX_PIECE_CHARS * limit * 4].split())
        parts = [part for part in self._parts(whole) if part]
        found = list(dict.fromkeys([_cut(whole), *parts]))
        if len(found) <= limit:
            return found
        head = (limit + 1) // 2
        return found[:head] + found[len(found) - (limit - head) :]

    def _parts(self, text: str) -> list[str]:
        parts: list[str] = []
        for sentence in _SENTENCE_END.split(text):
            clauses = self._clause.split(sentence) if self._clause else [sentence]
            for clause in _joined_short(clauses):
                clause = clause.strip(" ,")
                parts.extend(_windows(clause))
                parts.extend(_comma_clauses(clause))
        return parts


def _joined_short(clauses: list[str], shortest: int = MIN_CLAUSE_WORDS) -> list[str]:
    """Clauses with each one of fewer than `shortest` words joined to the next (the last
    to the one before)."""
    joined: list[str] = []
    carry = ""
    for clause in clauses:
        clause = f"{carry} {clause}".strip() if carry else clause
        carry = clause if len(clause.split()) < shortest else ""
        if not carry:
            joined.append(clause)
    if carry:
        if joined:
            joined[-1] = f"{joined[-1]} {carry}"
        else:
            joined.append(carry)
    return joined


def _comma_clauses(clause: str) -> list[str]:
    """The parts of a clause between its commas, short ones joined, when there are two or more.

    People chain clauses with commas ("llevo dos años sin ganas, a veces pienso que sería
    mejor morirme y ya"): a disclosure after a comma weighs little in the whole clause."""
    commas = _joined_short([part.strip() for part in clause.split(",") if part.strip()], 6)
    if len(commas) < 2:
        return []
    return [piece for part in commas for piece in _windows(part)]


def _cut(text: str) -> str:
    """At most `MAX_PIECE_CHARS`, cut at a space."""
    if len(text) <= MAX_PIECE_CHARS:
        return text
    return text[:MAX_PIECE_CHARS].rsplit(" ", 1)[0]


def _windows(text: str) -> list[str]:
    """A long clause as consecutive pieces of at most `MAX_PIECE_CHARS`."""
    pieces = []
    while text:
        piece = _cut(text)
        pieces.append(piece)
        text = text[len(piece) :].strip()
    return pieces
