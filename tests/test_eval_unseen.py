"""The evaluation sets measure wording the bot has never seen: no knowledge text is one of
their questions (case, spacing and closing marks aside)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

TESTS = Path(__file__).parent
SETS = [*sorted((TESTS / "eval").glob("*.yaml")), TESTS / "fixtures" / "kb_es_eval.yaml"]
KNOWLEDGE = [TESTS.parent / "knowledge", TESTS / "fixtures" / "kb_es"]


def _key(text: str) -> str:
    """The words only: case, accents, punctuation and emoji aside ("¿Cuál es…?" is "cual
    es…", "⚰️⚰️ soon" is "soon", "what's" is "whats"), and a safety file's weak mark (`~ `)
    too."""
    plain = unicodedata.normalize("NFKD", str(text).casefold().removeprefix("~ "))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    # An apostrophe or a dot inside a word joins it ("what's" is "whats", "k.i.l.l" "kill").
    plain = re.sub(r"(?<=\w)['\u2019.](?=\w)", "", plain)
    return " ".join(re.sub(r"[^\w\s]|_", " ", plain).split())


def _texts(data: object) -> Iterator[str]:
    """Every string in a YAML document, mapping keys included (synonyms are written as keys)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for name, value in data.items():
            yield from _texts(name)
            yield from _texts(value)
    elif isinstance(data, list):
        for value in data:
            yield from _texts(value)


def _questions(path: Path) -> set[str]:
    found = set()
    for items in yaml.safe_load(path.read_text(encoding="utf-8")).values():
        for item in items or ():
            text = item if isinstance(item, str) else item.get("q")
            found.add(_key(text))
    return found


@pytest.mark.parametrize("folder", KNOWLEDGE, ids=lambda p: p.name)
def test_no_knowledge_text_is_an_evaluation_question(folder: Path) -> None:
    questions = set().union(*map(_questions, SETS))
    shared = {
        (str(path.relative_to(folder)), text)
        for path in sorted(folder.rglob("*.yaml"))
        for text in _texts(yaml.safe_load(path.read_text(encoding="utf-8")))
        if _key(text) and _key(text) in questions
    }
    assert not shared, f"reword one side of: {sorted(shared)[:10]}"
