"""The ways retrieval reads a message: the whole of it and, in a story, the sentence that asks.

A visitor often tells a story and asks at the end ("I've been asking my
girlfriend for months ... she keeps saying no. How do I get her on board?").
The story's words pull the whole message towards other entries; the sentence
with the question mark says what is asked.  Both are scored, the best counts.
"""

from __future__ import annotations

import re

# A sentence and the marks that end it (each match starts where the last one ended).
_SENTENCE = re.compile(r"[^.!?…\n]+[.!?…\n]*")


def asking_sentence(message: str) -> str | None:
    """The last sentence ending with a question mark, when the message holds more than it.

    Its closing marks are dropped, as the safety layer's sentences drop them: the
    message's encoder then runs the sentence once for both."""
    if "?" not in message:
        return None
    found = [match.group().strip() for match in _SENTENCE.finditer(message)]
    asking = next((text for text in reversed(found) if "?" in text and len(text) > 1), None)
    if asking is None or len(asking) >= len(message.strip()) - 1:
        return None
    return asking.rstrip(" .!?…")
