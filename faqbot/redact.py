"""Remove what identifies a visitor from a question before it is stored: e-mails, phones, links.

Used by the opt-in unanswered-question log.  Redaction errs on the side of
removing: a long run of digits is treated as a phone number, but ordinary
numbers ("5 years", "2 sessions", "$150") and dates survive, because they are
what makes a question worth reading later.
"""

from __future__ import annotations

import re

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"
LINK_MARK = "[link]"

_EMAIL = re.compile(
    r"[\w.+-]+(?:@|\s*[(\[]at[)\]]\s*)[\w-]+(?:(?:\.|\s*[(\[]dot[)\]]\s*)[\w-]+)+"
    # Spelt out to dodge filters: "jane at gmail dot com" (a bare "at" needs a bare "dot").
    r"|[\w.+-]+\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)+",
    re.IGNORECASE,
)
# Bare domains ("myclinic.com") only with endings that are not also chat words ("ok.it", "hi.me").
_TLDS = "com|org|net|edu|gov|io|info|biz|xyz|uk|ca|au|de|fr|nl|ch|se|dk|ie|nz|jp|br|mx"
_URL = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']+"
    rf"|\b(?:[a-z0-9-]+\.)+(?:{_TLDS})\b(?:[/?#][^\s<>\"']*)?",
    re.IGNORECASE,
)
# 7 to 15 digits, with at most three separators (space, dot, dash, brackets) between digits:
# "555 - 123 - 4567" is a phone number too.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00|\()?\d(?:[\s().\-/]{0,3}\d){6,14}(?!\w)")
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})")
_TRAILING = ".,;:!?)]}'\""


def redact(text: str) -> str:
    """`text` with e-mail addresses, links and phone numbers as [email], [link], [phone]."""
    text = _EMAIL.sub(EMAIL_MARK, text)
    text = _URL.sub(_link_mark, text)
    return _PHONE.sub(_phone_mark, text)


def _link_mark(match: re.Match[str]) -> str:
    # "see example.com." keeps its full stop: punctuation at the end is the sentence's.
    url = match.group(0)
    kept = url.rstrip(_TRAILING)
    return LINK_MARK + url[len(kept) :]


def _phone_mark(match: re.Match[str]) -> str:
    number = match.group(0).strip()
    if _DATE.fullmatch(number):
        return match.group(0)
    return PHONE_MARK
