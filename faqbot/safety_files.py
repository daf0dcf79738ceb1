"""Read the safety layer's extra parts: check-ins, resources by category, other languages.

knowledge/safety.yaml says what a crisis reply holds (support_files.load_safety);
this module reads what was added beside it: the check-in line and its signals,
which resources (by `id`) each category shows first, and the reply, resources
and signals in another language (knowledge/safety.<language>.yaml).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from faqbot.canonical import load_canon_data
from faqbot.errors import Problem
from faqbot.model import KnowledgeBase, Safety
from faqbot.reply import Resource
from faqbot.safety import CrisisDetector
from faqbot.safety_check import SafetyCheck
from faqbot.sentences import Splitter
from faqbot.shapes import mapping_at, texts_at
from faqbot.yaml_source import LineMap


def resources_by_category(
    data: LineMap,
    ids: list[str],
    resources: tuple[Resource, ...],
    path: Path,
    problems: list[Problem],
) -> dict[str, tuple[Resource, ...]]:
    """category -> its resources, those `resources_by_category` lists first (by id)."""
    by_id = dict(zip(ids, resources, strict=True))
    raw = mapping_at(data, "resources_by_category", path, problems)
    ordered: dict[str, tuple[Resource, ...]] = {}
    for category in raw:
        chosen = []
        for name in texts_at(raw, category, path, problems):
            if name in by_id:
                chosen.append(by_id[name])
            else:
                line = raw.line_of(category)
                problems.append(Problem(path, line, f"no resource has the id '{name}'"))
        # The rest follow: whoever reads a crisis reply may need any of them.
        ordered[str(category)] = (*chosen, *(r for r in resources if r not in chosen))
    return ordered


def translations(folder: Path, read: Callable[[Path], Safety]) -> dict[str, Safety]:
    """language -> its `Safety`, from each knowledge/safety.<language>.yaml.

    `read(path)` is the loader's own reader of one safety file (a `Safety`, problems noted).
    """
    return {path.name.split(".")[1]: read(path) for path in sorted(folder.glob("safety.*.yaml"))}


def language_words(data: LineMap, path: Path, problems: list[Problem]) -> frozenset[str]:
    """The words that show a message is in this file's language."""
    return frozenset(word.lower() for word in texts_at(data, "language_words", path, problems))


def safety_check_for(knowledge: KnowledgeBase, vocabulary: Iterable[str]) -> SafetyCheck:
    """The safety check a bot runs: every language's signals in one rule set."""
    safety = knowledge.safety
    every = [safety, *safety.translations.values()]
    rules = CrisisDetector(
        _merged([s.signals for s in every]),
        [text for s in every for text in s.exceptions],
        knowledge.common_words,
        vocabulary,
        checkin_signals=_merged([s.checkin_signals for s in every]),
    )
    splitter = Splitter(load_canon_data().clause_starts)
    languages = {name: s.language_words for name, s in safety.translations.items()}
    return SafetyCheck(rules, splitter, languages)


def _merged(tables: list[dict[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for category, phrases in table.items():
            merged[category] = merged.get(category, ()) + phrases
    return merged
