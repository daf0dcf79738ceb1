"""The `Reply`: the one contract every front end (CLI, REPL, HTTP, evaluator) renders.

Front ends never decide anything themselves; they turn a `Reply` into text,
terminal output or JSON.  Keeping it a frozen value with a stable JSON
shape lets the widget, the tests and the evaluator agree on it.

Values here and in the other modules `faqbot ask` imports are `NamedTuple`s, not
dataclasses: defining a frozen dataclass costs about 1 ms at import and the
`dataclasses` module 10 ms more, a third of the start-up budget (benchmarks/README.md).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple


class Kind(StrEnum):
    """What the bot decided to do with a message."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"
    CRISIS = "crisis"


class Choice(NamedTuple):
    """An entry the visitor can pick next: a clarify option or a follow-up."""

    id: str
    question: str


class Resource(NamedTuple):
    """A crisis resource; `link` is a tappable `tel:`/`sms:`/`https:` target or ''."""

    name: str
    contact: str
    link: str = ""


class Reply(NamedTuple):
    """The bot's answer to one message, ready to render or serialise."""

    kind: Kind
    answer: str
    id: str | None = None
    question: str | None = None
    score: float = 0.0
    options: tuple[Choice, ...] = ()
    related: tuple[Choice, ...] = ()
    resources: tuple[Resource, ...] = ()
    # A check-in: a short safety line shown with `resources` beside an ordinary reply, when
    # a message touches a crisis topic without signalling a crisis ("what is suicide?").
    checkin: str = ""
    # The line above `resources` when it is not the bot's usual crisis heading (a reply
    # in another language); '' means `Bot.headings()["crisis_heading"]`.
    resources_heading: str = ""

    @property
    def sensitive(self) -> bool:
        """A crisis or a check-in: never written to any log."""
        return self.kind is Kind.CRISIS or bool(self.checkin)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape documented in the README (lists, not tuples)."""
        data = self._asdict()
        data["kind"] = str(self.kind)
        data["score"] = round(float(self.score), 1)
        for key in ("options", "related", "resources"):
            data[key] = [item._asdict() for item in data[key]]
        return data

    def to_json(self) -> str:
        """One line of JSON, safe for JSON-lines output."""
        import json  # here: most replies are printed as text, and json costs start-up time

        return json.dumps(self.to_dict(), ensure_ascii=False)
