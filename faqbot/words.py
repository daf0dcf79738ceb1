"""Split any text into lower-case words, as a language writes them out.

The first step of normalization, shared by retrieval and the safety layer: clean
Unicode and control characters, lower-case, expand contractions and chat
spellings ("dont" -> "do not", "bf" -> "boyfriend"), join split words ("my self").
Which spellings and contractions there are is the `Language`'s data.
"""

from __future__ import annotations

import re
import unicodedata

from faqbot.language import Language

# Control characters and terminal escape sequences never carry meaning in a question.
_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles and the like
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor movement
    r"|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
_APOSTROPHES = ("’", "‘", "`", "´")
_WORD = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")  # the same, for lower-case ASCII text (and faster)


def clean(text: str, max_chars: int | None = None) -> str:
    """Unicode-normalize, drop control characters and escape sequences, collapse spaces."""
    if max_chars is not None:
        text = text[:max_chars]
    return " ".join(_unescaped(text).split())


def _unescaped(text: str) -> str:
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():  # every escape starts with a non-printable character
        text = _ESCAPES.sub(" ", text)
    return text


def contraction_pattern(contractions: dict[str, str]) -> re.Pattern[str] | None:
    """One regex for every contraction, tried in the order given; `-` marks an ending.

    The lookahead changes no match; it lets the regex engine skip to where one can
    start, several times faster on a long answer.
    """
    if not contractions:
        return None
    forms = [
        re.escape(key[1:]) + r"\b" if key.startswith("-") else rf"\b{re.escape(key)}\b"
        for key in contractions
    ]
    starts = "".join(sorted({re.escape(key.lstrip("-")[0]) for key in contractions}))
    return re.compile(f"(?=[{starts}])(?:{'|'.join(forms)})")


class WordSplitter:
    """`words(text)` for one language."""

    def __init__(self, language: Language) -> None:
        self._spellings = language.chat_spellings
        self._joined = language.joined_words
        # The words `words()` writes out or joins: a text with none of them is done once split.
        self._written_out = frozenset(self._spellings) | {b for _, b in self._joined}
        self._contractions = {
            key.lstrip("-"): value for key, value in language.contractions.items()
        }
        self._contraction = contraction_pattern(language.contractions)

    def words(self, text: str) -> list[str]:
        """Lower-case words with contractions and chat spellings written out."""
        # Not `clean`: how many spaces stand between words changes none of the steps below.
        if _is_plain(text):
            # Nothing to unescape, normalize or write out (most text): straight to the words.
            return self._written_out_words(_ASCII_WORD.findall(text.lower()))
        return self._written_out_words(self._words_of_unusual(text))

    def words_of_processed(self, text: str, processed: str) -> list[str]:
        """`words(text)`, given `processed`, rapidfuzz's `default_process(text)`.

        For plain ASCII text (most paraphrases) default_process has done the work
        already: lower case, and a space for anything that is not a letter or digit.
        An index needs both, and a split is many times cheaper than a regex.
        """
        if _is_plain(text):
            return self._written_out_words(processed.split())
        return self.words(text)

    def _written_out_words(self, found: list[str]) -> list[str]:
        """`found` with chat spellings written out and split words ("my self") joined."""
        if self._written_out.isdisjoint(found):
            return found  # nothing to write out or join
        result: list[str] = []
        for word in found:
            expanded = self._spellings.get(word, word)
            if result and (result[-1], expanded) in self._joined:
                result[-1] = self._joined[(result[-1], expanded)]
            elif expanded is word:
                result.append(word)
            else:
                result.extend(expanded.split())
        return result

    def _words_of_unusual(self, text: str) -> list[str]:
        """`words` up to the chat spellings, for text with escapes, apostrophes or non-ASCII."""
        lowered = _unescaped(text).casefold()
        if "`" in lowered or not lowered.isascii():  # every other variant is outside ASCII
            for variant in _APOSTROPHES:  # str.replace is many times faster than str.translate
                if variant in lowered:
                    lowered = lowered.replace(variant, "'")
        if "'" in lowered and self._contraction:  # every contraction has one; most text none
            lowered = self._contraction.sub(self._contraction_written_out, lowered)
        return (_ASCII_WORD if lowered.isascii() else _WORD).findall(lowered)

    def _contraction_written_out(self, match: re.Match[str]) -> str:
        return self._contractions[match.group()]


def _is_plain(text: str) -> bool:
    """Printable ASCII with no apostrophe: nothing to unescape, normalize or expand."""
    return text.isascii() and text.isprintable() and "'" not in text and "`" not in text
