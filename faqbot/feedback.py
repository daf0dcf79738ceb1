"""What of a conversation may be kept: one decision that every front end and the log share.

Nothing is kept unless a maintainer turned the log on (`--log-unanswered`), and
then only a question the visitor typed that the bot could not answer (a fallback
or a clarify): never a picked choice, never a crisis message.  Which log keeps
it, and how it redacts, is `faqbot.unanswered`'s business.
"""

from __future__ import annotations

from typing import Protocol

from faqbot.reply import Kind, Reply

LOGGED_KINDS = frozenset({Kind.FALLBACK, Kind.CLARIFY})


class FeedbackLog(Protocol):
    """Where unanswered questions and ratings go (`faqbot.unanswered.UnansweredLog`)."""

    def record(self, question: str, reply: Reply) -> bool:
        """Keep a question `worth_keeping` said may be kept; True if it was stored."""
        ...

    def rate(self, entry_id: str, helpful: bool) -> None:
        """Keep a visitor's rating of an answer."""
        ...


def worth_keeping(reply: Reply, picked: bool = False) -> bool:
    """True when the message that got `reply` may be logged: typed, not answered, and
    neither a crisis nor a check-in (`Reply.sensitive`), whatever the reply's kind."""
    # A picked choice is answered by construction; a crisis reply is never a logged kind.
    return not picked and reply.kind in LOGGED_KINDS and not reply.sensitive


def keep_unanswered(
    log: FeedbackLog | None, question: str, reply: Reply, picked: bool = False
) -> bool:
    """Hand `question` to `log` when it is `worth_keeping`; True if the log stored it.

    Raises whatever the log raises: each front end decides how a visitor hears of it.
    """
    if log is None or not worth_keeping(reply, picked):
        return False
    return log.record(question, reply)
