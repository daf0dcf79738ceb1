"""Find, read and validate a knowledge base directory into a `KnowledgeBase`.

Every problem is collected (not just the first) and raised together as a
`KnowledgeError`, so a maintainer fixes a broken edit in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from faqbot.bulk import built_in_bulk
from faqbot.errors import KnowledgeError, Problem, first_causes
from faqbot.knowledge_files import DEFAULT_MAX_FILE_BYTES, links_out_of, read_text_file
from faqbot.language import get_language
from faqbot.model import (
    ID_PATTERN,
    Entry,
    KnowledgeBase,
    Practice,
    Safety,
    Settings,
    WordList,
)
from faqbot.paths import default_knowledge_dir
from faqbot.safety_bank import read_bank
from faqbot.safety_files import translations
from faqbot.scope_bank import OUT_OF_SCOPE_FILE, read_out_of_scope
from faqbot.shapes import texts_at
from faqbot.support_files import (
    filled,
    load_practice,
    load_safety,
    load_settings,
    load_synonyms,
    text_at,
)
from faqbot.yaml_source import LineList, LineMap, read_yaml

COMMENT_LINE = re.compile(r"(?m)^#.*$")
REQUIRED_ENTRY_FIELDS = ("id", "question", "paraphrases", "answer")
REVIEW_FIELDS = ("source", "reviewed_on", "review_due")


class Support(NamedTuple):
    """Everything in a knowledge base folder but the topic files' contents, read first.

    Topic files need only the practice's details (placeholders in answers).
    """

    folder: Path
    practice: Practice
    settings: Settings
    safety: Safety
    synonyms: dict[str, str]
    common_words: WordList
    topic_files: list[Path]
    problems: list[Problem]
    out_of_scope: tuple[str, ...] = ()


class TopicFiles(NamedTuple):
    """What some topic files hold, in file order, with the problems found in them."""

    entries: list[Entry]
    topics: list[str]
    problems: list[Problem]


@built_in_bulk
def load_knowledge(root: Path | str | None = None) -> KnowledgeBase:
    """Load the knowledge base at `root` (default: `default_knowledge_dir()`)."""
    support = read_support(root)
    return assembled(
        support,
        read_topic_files(support.topic_files, support.practice, support.settings.max_file_bytes),
    )


def read_support(root: Path | str | None = None) -> Support:
    """The support files of the knowledge base at `root`, and the list of its topic files."""
    folder = Path(root) if root is not None else default_knowledge_dir()
    if not folder.is_dir():
        raise KnowledgeError([Problem(folder, 0, "no knowledge base folder here")])
    topic_folder = folder / "faq"
    names = (
        "practice.yaml",
        "settings.yaml",
        "safety.yaml",
        "synonyms.yaml",
        "common_words.txt",
        OUT_OF_SCOPE_FILE,
    )
    found = sorted(topic_folder.glob("*.yaml")) + sorted(topic_folder.glob("*.yml"))
    problems = links_out_of(folder, [*(folder / name for name in names), *found])
    refused = {problem.path for problem in problems}
    files = [path for path in found if path not in refused]

    def read(name: str, required: bool = True) -> tuple[LineMap, Path, list[Problem]]:
        path = folder / f"{name}.yaml"
        data = LineMap() if path in refused else _read_mapping(path, problems, required)
        return data, path, problems

    settings = load_settings(*read("settings", required=False))
    practice = load_practice(*read("practice"), get_language(settings.language))
    safety_data, safety_path, _ = read("safety")
    safety = load_safety(safety_data, safety_path, practice, problems)

    def read_translation(path: Path) -> Safety:
        return load_safety(_read_mapping(path, problems), path, practice, problems)

    safety = safety._replace(
        translations=translations(folder, read_translation),
        examples=read_bank(folder, problems),
    )
    synonyms = load_synonyms(*read("synonyms", required=False))
    if not found:
        problems.append(Problem(topic_folder, 0, "no topic files (*.yaml) found"))
    words = folder / "common_words.txt"
    common_words = WordList() if words in refused else _read_word_list(words, problems)
    outside = () if folder / OUT_OF_SCOPE_FILE in refused else read_out_of_scope(folder, problems)
    return Support(
        folder, practice, settings, safety, synonyms, common_words, files, problems, outside
    )


def assembled(support: Support, topic_files: TopicFiles) -> KnowledgeBase:
    """The knowledge base, once links between entries are checked; or every problem, raised."""
    entries = tuple(topic_files.entries)
    problems = support.problems + topic_files.problems
    _check_links_between(entries, problems)
    ids = {entry.id for entry in entries}
    _check_suggestions(support.practice, support.folder / "practice.yaml", ids, problems)
    if any(problem.severity == "error" for problem in problems):
        raise KnowledgeError(first_causes(problems))
    return KnowledgeBase(
        support.folder,
        entries,
        support.practice,
        support.settings,
        support.safety,
        support.synonyms,
        tuple(topic_files.topics),
        support.common_words,
        support.out_of_scope,
    )


def _read_word_list(path: Path, problems: list[Problem]) -> WordList:
    """One word a line; `#` starts a comment.  Optional: without it nothing is protected."""
    try:
        text = read_text_file(path)
    except FileNotFoundError:
        return WordList()
    except KnowledgeError as error:
        problems.extend(error.problems)
        return WordList()
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(path, 0, f"cannot be read: {error}"))
        return WordList()
    # One split in C: this file has tens of thousands of lines and is read at every start.
    return WordList(COMMENT_LINE.sub("", text).lower().split())


def _read_mapping(
    path: Path,
    problems: list[Problem],
    required: bool = True,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> LineMap:
    if not path.exists():
        if required:
            problems.append(Problem(path, 0, "file is missing"))
        return LineMap()
    try:
        data = read_yaml(path, max_bytes)
    except KnowledgeError as error:
        problems.extend(error.problems)
        return LineMap()
    if not isinstance(data, LineMap):
        problems.append(Problem(path, 1, "expected a mapping of `key: value` lines at the top"))
        return LineMap()
    return data


def read_topic_files(
    files: Sequence[Path], practice: Practice, max_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> TopicFiles:
    """The entries and topics of `files`, in order (`practice` fills answers' placeholders);
    a file over `max_bytes` (`limits.max_file_bytes`) is refused, not read."""
    entries: list[Entry] = []
    topics: list[str] = []
    problems: list[Problem] = []
    for path in files:
        data = _read_mapping(path, problems, max_bytes=max_bytes)
        if not data:
            continue
        topic = text_at(data, "topic", path, problems)
        topics.append(topic)
        items = data.get("entries")
        if not isinstance(items, LineList) or not items:
            problems.append(Problem(path, data.line_of("entries"), "`entries` must be a list"))
            continue
        for index, item in enumerate(items):
            entry = _entry(item, topic, path, items.line_of(index), practice, problems)
            if entry:
                entries.append(entry)
    return TopicFiles(entries, topics, problems)


def _entry(
    item: Any, topic: str, path: Path, line: int, practice: Practice, problems: list[Problem]
) -> Entry | None:
    if not isinstance(item, LineMap):
        problems.append(Problem(path, line, "each entry must be a mapping with id, question, ..."))
        return None
    missing = [name for name in REQUIRED_ENTRY_FIELDS if not item.get(name)]
    for name in missing:
        problems.append(Problem(path, item.line, f"entry is missing `{name}`"))
    wrong = [
        name
        for name in ("id", "question", "answer")
        if name not in missing and not isinstance(item[name], str)
    ]
    for name in wrong:
        problems.append(Problem(path, item.line_of(name), f"`{name}` must be text"))
    if missing or wrong:
        return None
    entry_id = str(item["id"])
    if not ID_PATTERN.match(entry_id):
        problems.append(Problem(path, item.line_of("id"), f"id '{entry_id}' must be kebab-case"))
    paraphrases = item["paraphrases"]
    if not isinstance(paraphrases, LineList) or not all(isinstance(p, str) for p in paraphrases):
        problems.append(Problem(path, item.line_of("paraphrases"), "`paraphrases` must list text"))
        return None
    answer = filled(
        " ".join(str(item["answer"]).split()),
        practice.details,
        (path, item.line_of("answer")),
        problems,
    )
    return Entry(
        id=entry_id,
        question=" ".join(str(item["question"]).split()),
        paraphrases=tuple(map(_single_spaced, paraphrases)),
        answer=answer,
        related=texts_at(item, "related", path, problems),
        topic=topic,
        path=path,
        line=item.line,
        review={name: str(item[name]) for name in REVIEW_FIELDS if item.get(name)},
        paraphrase_lines=tuple(paraphrases.item_lines),
        field_lines=dict(item.key_lines),
    )


def _single_spaced(text: str) -> str:
    """`text` with every run of white space one space, and none at either end."""
    # Every white space character but the ASCII space is unprintable: most text needs no split.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _check_links_between(entries: tuple[Entry, ...], problems: list[Problem]) -> None:
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in seen:
            first = seen[entry.id]
            problems.append(
                Problem(
                    entry.path,
                    entry.line,
                    f"duplicate id '{entry.id}' (first at {first.path.name}:{first.line})",
                )
            )
        seen.setdefault(entry.id, entry)
    for entry in entries:
        for target in entry.related:
            if target not in seen:
                line = entry.field_lines.get("related", entry.line)
                problems.append(
                    Problem(
                        entry.path,
                        line,
                        f"`related` of '{entry.id}' points to '{target}', which does not exist",
                    )
                )


def _check_suggestions(
    practice: Practice, path: Path, ids: set[str], problems: list[Problem]
) -> None:
    for name, suggested in practice.suggestions.items():
        for target in suggested:
            if target not in ids:
                problems.append(
                    Problem(
                        path, 0, f"suggestion `{name}` points to '{target}', which does not exist"
                    )
                )
