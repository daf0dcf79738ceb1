"""The exemplar bank the learned crisis detector is trained on (knowledge/safety_examples/).

A maintainer edits these files by hand; these checks catch the edits that would silently
weaken the detector: a file that is not valid YAML, a misspelt category or language, an
example the YAML reads as `false` or a number, the same sentence in two files (possibly under
two labels), and a bank that has shrunk below what issue 13 asks for.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from faqbot.safety_bank import CRISIS_CATEGORIES

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
BANK = KNOWLEDGE / "safety_examples"
# The bank's categories are the loader's: one list, not two that could drift apart.
CRISIS = tuple(sorted(CRISIS_CATEGORIES))
CATEGORIES = (*CRISIS, "concern", "none")
LANGUAGES = ("en", "es", "fr", "de", "pt")
MAX_CHARS = 400
FILES = sorted(BANK.glob("*.yaml"))


def _key(text: str) -> str:
    """What counts as the same example: case and runs of spaces ignored."""
    return re.sub(r"\s+", " ", text.lower()).strip()


def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


@pytest.fixture(scope="module")
def bank() -> list[tuple[str, str, str, str]]:
    """(file name, category, language, example) for every example of every file."""
    rows = []
    for path in FILES:
        data = _read(path)
        rows += [(path.name, data["category"], data["lang"], ex) for ex in data["examples"]]
    return rows


def _count(
    bank: list[tuple[str, str, str, str]], categories: tuple[str, ...], lang: str | None = None
) -> int:
    return sum(1 for _, c, lg, _ in bank if c in categories and lang in (None, lg))


def test_the_bank_has_files_for_every_category():
    present = {path.name.split(".")[0] for path in FILES}
    assert present == set(CATEGORIES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_is_valid_yaml_with_a_known_category_and_language(path: Path):
    data = _read(path)
    assert set(data) == {"category", "lang", "examples"}, f"{path.name}: unexpected keys"
    assert data["category"] in CATEGORIES, f"{path.name}: unknown category {data['category']!r}"
    assert data["lang"] in LANGUAGES, f"{path.name}: unknown language {data['lang']!r}"
    assert path.name == f"{data['category']}.{data['lang']}.yaml", f"{path.name}: name != content"
    assert isinstance(data["examples"], list) and data["examples"], f"{path.name}: no examples"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_example_is_a_non_empty_string_of_bounded_length(path: Path):
    for example in _read(path)["examples"]:
        # `- no` or `- 911` would be read as a boolean or a number: it must be quoted.
        assert isinstance(example, str), f"{path.name}: {example!r} is not text (quote it)"
        assert example.strip(), f"{path.name}: empty example"
        assert len(example) <= MAX_CHARS, f"{path.name}: over {MAX_CHARS} chars: {example[:60]}"


def test_no_example_appears_twice_in_the_bank(bank):
    where = Counter(_key(example) for *_, example in bank)
    repeated = sorted(key for key, n in where.items() if n > 1)
    assert not repeated, f"repeated examples: {repeated[:10]}"


def test_no_crisis_or_check_in_example_is_also_an_faq_paraphrase(bank):
    """The FAQ's paraphrases are harmless examples too: one sentence cannot be both."""
    paraphrases = set()
    for path in (KNOWLEDGE / "faq").glob("*.yaml"):
        for entry in _read(path)["entries"]:
            paraphrases |= {_key(p) for p in [entry["question"], *entry.get("paraphrases", [])]}
    clashes = [ex for _, c, _, ex in bank if c != "none" and _key(ex) in paraphrases]
    assert not clashes, f"also FAQ paraphrases: {clashes[:10]}"


def _eval_questions() -> set[str]:
    questions: set[str] = set()
    for path in (Path(__file__).parent / "eval").glob("*.yaml"):
        for items in _read(path).values():
            for item in items or ():
                text = item if isinstance(item, str) else item.get("q")
                questions |= {_key(text)} if isinstance(text, str) else set()
    return questions


def test_no_example_is_an_evaluation_question(bank):
    """A detector trained on the test's own sentences would measure nothing."""
    questions = _eval_questions()
    shared = sorted(_key(ex) for *_, ex in bank if _key(ex) in questions)
    assert not shared, f"also in tests/eval/: {shared[:10]}"


def test_the_bank_is_as_large_as_issue_13_asks(bank):
    assert _count(bank, CRISIS) >= 1500
    assert _count(bank, ("none",)) >= 3000


@pytest.mark.parametrize("category", CRISIS)
def test_every_crisis_category_is_covered_in_english_and_spanish(bank, category: str):
    assert _count(bank, (category,), "en") >= 80
    assert _count(bank, (category,), "es") >= 10


def test_spanish_has_enough_crisis_and_harmless_examples(bank):
    assert _count(bank, CRISIS, "es") >= 250
    assert _count(bank, ("none",), "es") >= 300


@pytest.mark.parametrize("lang", ["fr", "de", "pt"])
def test_french_german_and_portuguese_cover_suicide_and_harmless_idioms(bank, lang: str):
    assert _count(bank, ("suicide",), lang) >= 20
    assert _count(bank, CRISIS, lang) >= 40
    assert _count(bank, ("none",), lang) >= 40
