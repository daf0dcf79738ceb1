"""Make the safety layer's real-word lists: `real_words.<language>.txt` beside this script.

Run once, by a developer, never imported by faqbot at run time (pyspellchecker, MIT
licence, is needed here only; it is not a dependency of faqbot):

    pip install pyspellchecker==0.9.1
    python faqbot/languages/safety/make_real_words.py

Visitors write German, French, Portuguese and Spanish too, and the safety layer corrects
typos towards crisis words: without these lists "beraten" would be read as "beaten".
Each list holds the `--size` most frequent words of one language in pyspellchecker's
frequency dictionary (built from OpenSubtitles), written the way the safety layer reads
a message (case folded, accents dropped: "heiß" is "heiss"), minus every word of an
English crisis signal (German "die", French "suicide"): a real crisis word is never
listed as harmless.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from pathlib import Path

from faqbot.loader import load_knowledge
from faqbot.safety import CrisisDetector

LANGUAGES = ("de", "es", "fr", "pt")
HERE = Path(__file__).resolve().parent
WORD = re.compile(r"[^\W\d_]+")
HEADER = """\
# Real {name} words (the {size:,} most frequent in pyspellchecker {version}'s MIT-licensed
# frequency list, itself built from OpenSubtitles), lower case, accents dropped.  The safety
# layer never "corrects" one of them as a typo of a crisis word ("beraten" is not "beaten").
# Words of English crisis signals are left out.  Made by make_real_words.py; do not edit.
"""
NAMES = {"de": "German", "es": "Spanish", "fr": "French", "pt": "Portuguese"}


def folded(word: str) -> str:
    """`word` as the safety layer reads it: case folded (faqbot.words), no accents
    (faqbot.canonical)."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not _mark(c)))


def _mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Cf")


def english_signal_words() -> set[str]:
    """The words of the shipped English crisis signals: knowledge/safety.yaml's phrases
    made only of English words (its French, German and Portuguese phrases are not)."""
    knowledge = load_knowledge()
    english = knowledge.common_words
    detector = CrisisDetector({})
    words: set[str] = set()
    for phrases in knowledge.safety.signals.values():
        for phrase in phrases:
            for part in phrase.lstrip("~ ").split(" + "):
                found = detector.words(detector.canonical(part))
                if all(word in english for word in found):
                    words.update(found)
    return words


def most_frequent(language: str, size: int, excluded: set[str]) -> list[str]:
    """The `size` most frequent words of `language`, folded, none of `excluded`."""
    from spellchecker import SpellChecker

    counts = SpellChecker(language=language).word_frequency.dictionary
    chosen: dict[str, None] = {}
    for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        word = folded(word)
        if WORD.fullmatch(word) and word not in excluded:
            chosen.setdefault(word, None)
        if len(chosen) == size:
            break
    return sorted(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    from importlib.metadata import version

    excluded = english_signal_words()
    for language in LANGUAGES:
        words = most_frequent(language, args.size, excluded)
        header = HEADER.format(
            name=NAMES[language], size=args.size, version=version("pyspellchecker")
        )
        path = HERE / f"real_words.{language}.txt"
        path.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
        print(f"{path.name}: {len(words)} words")


if __name__ == "__main__":
    main()
