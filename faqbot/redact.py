"""Remove what identifies a visitor from a question before it is stored: e-mails, phones,
links and social handles.

Used by the opt-in unanswered-question log.  Redaction errs on the side of
removing: a long run of digits is treated as a phone number, but ordinary
numbers ("5 years", "2 sessions", "$150") and dates survive, because they are
what makes a question worth reading later.

People who want to slip contact details past a filter dress them up, so the text
is first put in one form: NFKC (full-width "＠" and digits become "@" and digits)
without format characters (a zero-width space inside an address), every dash a
hyphen.  Then spelt-out and spaced-out forms are caught too: "nine one seven",
"917 five five five O123", "j a n e @ g m a i l . c o m", "jane dot doe at gmail
dot com", "facebook dot com slash jane", short-link hosts and @handles.  The
words involved are data: `faqbot/languages/en/redaction.yaml`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml

WORDS_FILE = files("faqbot") / "languages" / "en" / "redaction.yaml"
DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹘﹣－"), "-")
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})")
_TRAILING = ".,;:!?)]}'\""
# At most three of these between two parts of a phone number: "555 - 123 - 4567".
_PHONE_GAP = r"[\s().\-/]{0,3}"
# Not inside a word, nor just after a digit and a gap: a run is matched from its start only.
_PHONE_START = r"(?<![\w+])(?<!\d[\s().\-/])(?<!\d[\s().\-/]{2})(?<!\d[\s().\-/]{3})"


@dataclass(frozen=True)
class Redactor:
    """The compiled patterns for one word list, applied in order by `redact`."""

    marks: dict[str, str]
    digits: dict[str, str]
    email: re.Pattern[str]
    spaced_email: re.Pattern[str]
    link: re.Pattern[str]
    phone: re.Pattern[str]
    handle: re.Pattern[str]


def redact(text: str) -> str:
    """`text` in one Unicode form, with contact details as [email], [link], [phone], [handle]."""
    rules = redactor()
    text = canonical(text)
    text = rules.spaced_email.sub(rules.marks["email"], text)
    text = rules.email.sub(rules.marks["email"], text)
    text = rules.link.sub(lambda m: _kept_punctuation(m, rules.marks["link"]), text)
    text = rules.handle.sub(rules.marks["handle"], text)
    return rules.phone.sub(lambda m: _phone_mark(m, rules), text)


def canonical(text: str) -> str:
    """NFKC, without format characters (zero-width spaces, joiners, bidi marks), dashes as '-'."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.translate(DASHES)


@cache
def redactor() -> Redactor:
    """The patterns built from the word lists, once per process."""
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    words = {name: _alternatives(data[name]) for name in ("at_words", "dot_words", "slash_words")}
    digits = {str(word).lower(): str(digit) for word, digit in data["number_words"].items()}
    return Redactor(
        marks=data["marks"],
        digits=digits,
        email=_email_pattern(words["at_words"], words["dot_words"]),
        spaced_email=_spaced_email_pattern(words["at_words"], words["dot_words"]),
        link=_link_pattern(data["top_level_domains"], data["hosts"], words),
        phone=_phone_pattern(digits),
        handle=re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[\w.]{0,28}\w)?"),
    )


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(str(w)) for w in sorted(words, key=len, reverse=True))


def _email_pattern(at: str, dot: str) -> re.Pattern[str]:
    # "jane.doe", "jane dot doe", "jane (dot) doe" before the @; the same after it.
    spelt_dot = rf"\s*[(\[](?:{dot})[)\]]\s*|\s+(?:{dot})\s+"
    # Starting only where a word starts keeps a long word from costing n² steps.
    local = rf"(?<![\w.+-])[\w.+-]+(?:(?:{spelt_dot})[\w+-]+)*"
    domain = rf"[\w-]+(?:(?:\.|{spelt_dot})[\w-]+)+"
    symbol_at = rf"\s*(?:@|[(\[](?:{at})[)\]])\s*"
    # A bare "at" needs a bare "dot" ("we met at work. now what" is not an address).
    dotted = rf"(?:\s+(?:{dot})\s+[\w+-]+)"
    bare = rf"(?<![\w.+-])[\w.+-]+{dotted}*\s+(?:{at})\s+[\w-]+{dotted}+"
    return re.compile(rf"{local}(?:{symbol_at}){domain}|{bare}", re.IGNORECASE)


def _spaced_email_pattern(at: str, dot: str) -> re.Pattern[str]:
    # One character at a time: "j a n e d o e @ g m a i l . c o m".
    spaced = r"(?<!\S)[\w.+-](?:\s[\w.+-])+"
    return re.compile(rf"{spaced}\s*(?:@|(?:{at})\b)\s*{spaced}(?!\S)", re.IGNORECASE)


def _link_pattern(tlds: list[str], hosts: list[str], words: dict[str, str]) -> re.Pattern[str]:
    tld = _alternatives(tlds)
    host = _alternatives(hosts)
    dot, slash = words["dot_words"], words["slash_words"]
    path = r"(?:[/?#][^\s<>\"']*)?"
    spelt_path = rf"(?:\s+(?:{slash})\s+[\w.-]+)*"
    return re.compile(
        rf"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']+"
        rf"|(?<![\w.@])(?:{host})\b{path}"
        rf"|(?<![\w.-])(?:[a-z0-9-]+\.)+(?:{tld})\b{path}"
        # "facebook dot com slash jane", "bit dot ly slash abc"
        rf"|(?<![\w-])[a-z0-9-]+(?:\s+(?:{dot})\s+[a-z0-9-]+)*\s+(?:{dot})\s+(?:{tld}|ly|me|ee|gg)\b"
        rf"{spelt_path}",
        re.IGNORECASE,
    )


def _phone_pattern(digits: dict[str, str]) -> re.Pattern[str]:
    # A part is digits (an "O" among them read as 0) or a digit spelt out; 7 to 15 digits in
    # parts joined by at most three separators make a phone number.  Every quantifier is
    # possessive: "1111...x" has exponentially many splits, and a run is never re-split.
    words = _alternatives(list(digits))
    # Words may touch digits and each other ("917five", "fivefive"), never other letters
    # ("someone", "often").
    part = rf"\d(?:\d|[oO]++(?![a-z]))*+|(?<![a-z])(?:[oO]++|(?:{words})++)(?![a-z])"
    return re.compile(
        rf"{_PHONE_START}(?:\+|00|\()?(?:{part})(?:{_PHONE_GAP}+(?:{part}))*+",
        re.IGNORECASE,
    )


@cache
def _digit_pattern() -> re.Pattern[str]:
    """One digit of a phone-number match: a digit, an O, or a digit spelt out."""
    words = _alternatives(list(redactor().digits))
    return re.compile(rf"{words}|\d|o", re.IGNORECASE)


def _phone_mark(match: re.Match[str], rules: Redactor) -> str:
    number = match.group(0)
    count = len(_digit_pattern().findall(number))
    if count < 7 or _DATE.fullmatch(number.strip()):
        return number
    return rules.marks["phone"]


def _kept_punctuation(match: re.Match[str], mark: str) -> str:
    # "see example.com." keeps its full stop: punctuation at the end is the sentence's.
    url = match.group(0)
    kept = url.rstrip(_TRAILING)
    return mark + url[len(kept) :]
