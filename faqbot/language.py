"""A knowledge base's language: its words and default sentences, read from faqbot/languages/.

Everything that differs between English and Spanish (stop words, chat spellings,
the stemmer, every sentence the front ends say) is data in `languages/<name>.yaml`,
chosen by `language:` in settings.yaml: adding a language is one file (see
pgcli's pgliterals, Rasa's `language:`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

# Read from the package folder, not importlib.resources: that import alone costs start-up time.
LANGUAGES = Path(__file__).parent / "languages"


class UnknownLanguage(LookupError):
    """No languages/<name>.yaml ships with faqbot."""


class Language(NamedTuple):
    """One language's data, frozen once read (plain containers: the bot cache pickles it)."""

    name: str
    stemmer: str
    stop_words: frozenset[str]
    chat_spellings: dict[str, str]
    contractions: dict[str, str]
    joined_words: dict[tuple[str, str], str]
    fillers: frozenset[str]
    courtesy_words: tuple[str, ...]
    readability: dict[str, Any]
    messages: dict[str, str]
    widget: dict[str, str]
    page: dict[str, str]
    # Writing direction, for pages and the widget: "ltr" or "rtl".
    direction: str = "ltr"

    def stem(self, word: str) -> str:
        """The Snowball stem of one lower-case word."""
        return stemmer(self.stemmer)(word)


@cache
def get_language(name: str) -> Language:
    """The language `name` (e.g. "en"), read once per process."""
    path = LANGUAGES / f"{name}.yaml"
    if not name.isalpha() or not path.is_file():
        raise UnknownLanguage(name)
    import yaml

    data = yaml.load(
        path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )
    joined = {tuple(pair.split()): word for pair, word in (data.get("joined_words") or {}).items()}
    return Language(
        name,
        data["stemmer"],
        frozenset(map(str, data["stop_words"])),
        dict(data["chat_spellings"]),
        dict(data.get("contractions") or {}),
        joined,
        frozenset(data["fillers"]),
        tuple(data["courtesy_words"]),
        data["readability"],
        data["messages"],
        data["widget"],
        data["page"],
        data.get("direction", "ltr"),
    )


def known_languages() -> list[str]:
    """The names of the languages faqbot ships, for error messages."""
    return sorted(
        p.name.removesuffix(".yaml") for p in LANGUAGES.iterdir() if p.name.endswith(".yaml")
    )


@cache
def stemmer(name: str) -> Callable[[str], str]:
    """The Snowball stemmer `name`, with its words cached: a vocabulary is small."""
    import snowballstemmer

    return lru_cache(maxsize=65536)(snowballstemmer.stemmer(name).stemWord)
