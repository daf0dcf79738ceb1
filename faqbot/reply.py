"""The `Reply`: the one contract every front end (CLI, REPL, HTTP, evaluator) renders.

Front ends never decide anything themselves; they turn a `Reply` into text,
terminal output or JSON.  Keeping it a frozen dataclass with a stable JSON
shape lets the widget, the tests and the evaluator agree on it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What the bot decided to do with a message."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"
    CRISIS = "crisis"


@dataclass(frozen=True, slots=True)
class Choice:
    """An entry the visitor can pick next: a clarify option or a follow-up."""

    id: str
    question: str


@dataclass(frozen=True, slots=True)
class Resource:
    """A crisis resource; `link` is a tappable `tel:`/`sms:`/`https:` target or ''."""

    name: str
    contact: str
    link: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """The bot's answer to one message, ready to render or serialise."""

    kind: Kind
    answer: str
    id: str | None = None
    question: str | None = None
    score: float = 0.0
    options: tuple[Choice, ...] = field(default_factory=tuple)
    related: tuple[Choice, ...] = field(default_factory=tuple)
    resources: tuple[Resource, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape documented in the README (lists, not tuples)."""
        data = asdict(self)
        data["kind"] = str(self.kind)
        data["score"] = round(float(self.score), 1)
        for key in ("options", "related", "resources"):
            data[key] = list(data[key])
        return data

    def to_json(self) -> str:
        """One line of JSON, safe for JSON-lines output."""
        return json.dumps(self.to_dict(), ensure_ascii=False)
