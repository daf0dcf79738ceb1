"""Find, read and validate a knowledge base directory into a `KnowledgeBase`.

Every problem is collected (not just the first) and raised together as a
`KnowledgeError`, so a maintainer fixes a broken edit in one pass.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from faqbot.errors import KnowledgeError, Problem
from faqbot.model import Entry, KnowledgeBase, Practice, Safety, Settings
from faqbot.reply import Resource
from faqbot.yaml_source import LineList, LineMap, read_yaml

ENV_VARIABLE = "FAQBOT_KB"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
REQUIRED_ENTRY_FIELDS = ("id", "question", "paraphrases", "answer")
REVIEW_FIELDS = ("source", "reviewed_on", "review_due")


def default_knowledge_dir() -> Path:
    """`$FAQBOT_KB`, else the copy bundled in the wheel, else the repository's `knowledge/`."""
    if os.environ.get(ENV_VARIABLE):
        return Path(os.environ[ENV_VARIABLE])
    bundled = Path(__file__).parent / "bundled_knowledge"
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parent.parent / "knowledge"


def load_knowledge(root: Path | str | None = None) -> KnowledgeBase:
    """Load the knowledge base at `root` (default: `default_knowledge_dir()`)."""
    folder = Path(root) if root is not None else default_knowledge_dir()
    if not folder.is_dir():
        raise KnowledgeError([Problem(folder, 0, "no knowledge base folder here")])
    problems: list[Problem] = []
    practice = _load_practice(folder / "practice.yaml", problems)
    settings = _load_settings(folder / "settings.yaml", problems)
    safety = _load_safety(folder / "safety.yaml", practice, problems)
    synonyms = _load_synonyms(folder / "synonyms.yaml", problems)
    entries, topics = _load_entries(folder / "faq", practice, problems)
    _check_links_between(entries, problems)
    if any(problem.severity == "error" for problem in problems):
        raise KnowledgeError(problems)
    return KnowledgeBase(folder, entries, practice, settings, safety, synonyms, topics)


def _read_mapping(path: Path, problems: list[Problem], required: bool = True) -> LineMap:
    if not path.exists():
        if required:
            problems.append(Problem(path, 0, "file is missing"))
        return LineMap()
    try:
        data = read_yaml(path)
    except KnowledgeError as error:
        problems.extend(error.problems)
        return LineMap()
    if not isinstance(data, LineMap):
        problems.append(Problem(path, 1, "expected a mapping of `key: value` lines at the top"))
        return LineMap()
    return data


def fill_placeholders(text: str, details: dict[str, str]) -> tuple[str, list[str]]:
    """Replace `{phone}`-style names from practice.yaml; return the text and unknown names."""
    unknown = [name for name in PLACEHOLDER.findall(text) if name not in details]
    filled = PLACEHOLDER.sub(lambda m: details.get(m.group(1), m.group(0)), text)
    return filled, unknown


def _text(data: LineMap, key: str, path: Path, problems: list[Problem]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(path, data.line_of(key), f"`{key}` must be non-empty text"))
        return ""
    return " ".join(value.split())


def _filled(text: str, details: dict[str, str], where: tuple[Path, int], problems: list) -> str:
    filled, unknown = fill_placeholders(text, details)
    for name in unknown:
        problems.append(Problem(where[0], where[1], f"unknown placeholder {{{name}}}"))
    return filled


def _load_practice(path: Path, problems: list[Problem]) -> Practice:
    data = _read_mapping(path, problems)
    details = {
        key: "" if value is None else str(value)
        for key, value in data.items()
        if key not in ("messages", "disclaimer", "suggestions")
    }
    disclaimer = _text(data, "disclaimer", path, problems) if data else ""
    raw_messages = data.get("messages")
    if data and not isinstance(raw_messages, LineMap):
        problems.append(Problem(path, data.line_of("messages"), "`messages` must be a mapping"))
        raw_messages = LineMap()
    messages = {
        name: _filled(" ".join(str(text).split()), details, (path, raw_messages.line_of(name)),
                      problems)
        for name, text in (raw_messages or {}).items()
    }
    suggestions = {
        name: tuple(str(i) for i in ids or ())
        for name, ids in (data.get("suggestions") or {}).items()
    }
    return Practice(details, _filled(disclaimer, details, (path, 0), problems), messages,
                    suggestions)


def _load_settings(path: Path, problems: list[Problem]) -> Settings:
    data = _read_mapping(path, problems, required=False)
    flat: dict[str, Any] = {}
    for section in ("retrieval", "decision", "limits"):
        block = data.get(section) or {}
        if not isinstance(block, dict):
            problems.append(Problem(path, data.line_of(section), f"`{section}` must be a mapping"))
            continue
        flat.update(block)
    weights = flat.pop("weights", None) or {}
    for name in ("ratio", "coverage", "precision", "entry_coverage", "answer_coverage"):
        if name in weights:
            flat[f"weight_{name}"] = weights[name]
    known = set(Settings.__dataclass_fields__)
    values: dict[str, Any] = {}
    courtesy = flat.pop("courtesy_words", None)
    if courtesy is not None:
        if not isinstance(courtesy, list):
            problems.append(Problem(path, 0, "`courtesy_words` must be a list of words"))
        else:
            values["courtesy_words"] = tuple(str(word).lower() for word in courtesy)
    for key, value in flat.items():
        if key not in known:
            problems.append(Problem(path, 0, f"unknown setting `{key}`"))
        elif not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            problems.append(Problem(path, 0, f"setting `{key}` must be a number ≥ 0"))
        else:
            values[key] = value
    return Settings(**values)


def _load_safety(path: Path, practice: Practice, problems: list[Problem]) -> Safety:
    data = _read_mapping(path, problems)
    details = practice.details
    message = _filled(_text(data, "message", path, problems) if data else "", details,
                      (path, data.line_of("message")), problems)
    after = _filled(" ".join(str(data.get("after_resources", "")).split()), details,
                    (path, data.line_of("after_resources")), problems)
    resources: list[Resource] = []
    for index, item in enumerate(data.get("resources") or []):
        line = data["resources"].line_of(index)
        if not isinstance(item, dict) or not item.get("name") or not item.get("contact"):
            problems.append(Problem(path, line, "each resource needs a `name` and a `contact`"))
            continue
        resources.append(Resource(str(item["name"]), str(item["contact"]), str(item.get("link", ""))))
    signals = _expand_signals(data.get("signals"), data.get("groups") or {}, path, problems)
    if data and not resources:
        problems.append(Problem(path, data.line_of("resources"), "no crisis resources listed"))
    exceptions = tuple(str(phrase) for phrase in data.get("exceptions") or ())
    return Safety(message, after, tuple(resources), signals, exceptions)


def _expand_signals(raw: Any, groups: dict, path: Path, problems: list) -> dict[str, tuple[str, ...]]:
    """Expand `<group>` references: `<someone> hits me` -> `he hits me`, `she hits me`, ..."""
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(path, 0, "`signals` must map categories to lists of phrases"))
        return {}
    signals: dict[str, tuple[str, ...]] = {}
    for category, phrases in raw.items():
        expanded: list[str] = []
        for phrase in phrases or []:
            expanded.extend(_expand_phrase(str(phrase), groups, path, problems))
        signals[category] = tuple(expanded)
    return signals


def _expand_phrase(phrase: str, groups: dict, path: Path, problems: list) -> list[str]:
    match = re.search(r"<([a-z_]+)>", phrase)
    if not match:
        return [phrase]
    words = groups.get(match.group(1))
    if not words:
        problems.append(Problem(path, 0, f"unknown group <{match.group(1)}> in '{phrase}'"))
        return []
    head, tail = phrase[: match.start()], phrase[match.end() :]
    return [p for word in words for p in _expand_phrase(f"{head}{word}{tail}", groups, path, problems)]


def _load_synonyms(path: Path, problems: list[Problem]) -> dict[str, str]:
    data = _read_mapping(path, problems, required=False)
    synonyms: dict[str, str] = {}
    for canonical, variants in data.items():
        line = data.line_of(canonical)
        if not isinstance(variants, list):
            problems.append(Problem(path, line, f"`{canonical}` must list its variants"))
            continue
        for variant in variants:
            key = " ".join(str(variant).lower().split())
            if key in synonyms and synonyms[key] != canonical:
                problems.append(Problem(path, line, f"'{key}' is listed under both "
                                        f"'{synonyms[key]}' and '{canonical}'"))
            synonyms[key] = str(canonical).lower()
    return synonyms


def _load_entries(folder: Path, practice: Practice, problems: list) -> tuple[tuple[Entry, ...], tuple[str, ...]]:
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        problems.append(Problem(folder, 0, "no topic files (*.yaml) found"))
    entries: list[Entry] = []
    topics: list[str] = []
    for path in files:
        data = _read_mapping(path, problems)
        if not data:
            continue
        topic = _text(data, "topic", path, problems)
        topics.append(topic)
        items = data.get("entries")
        if not isinstance(items, LineList) or not items:
            problems.append(Problem(path, data.line_of("entries"), "`entries` must be a list"))
            continue
        for index, item in enumerate(items):
            entry = _entry(item, topic, path, items.line_of(index), practice, problems)
            if entry:
                entries.append(entry)
    return tuple(entries), tuple(topics)


def _entry(item: Any, topic: str, path: Path, line: int, practice: Practice,
           problems: list[Problem]) -> Entry | None:
    if not isinstance(item, LineMap):
        problems.append(Problem(path, line, "each entry must be a mapping with id, question, ..."))
        return None
    missing = [name for name in REQUIRED_ENTRY_FIELDS if not item.get(name)]
    for name in missing:
        problems.append(Problem(path, item.line, f"entry is missing `{name}`"))
    if missing:
        return None
    entry_id = str(item["id"])
    if not ID_PATTERN.match(entry_id):
        problems.append(Problem(path, item.line_of("id"), f"id '{entry_id}' must be kebab-case"))
    paraphrases = item["paraphrases"]
    if not isinstance(paraphrases, LineList) or not all(isinstance(p, str) for p in paraphrases):
        problems.append(Problem(path, item.line_of("paraphrases"), "`paraphrases` must list text"))
        return None
    answer = _filled(" ".join(str(item["answer"]).split()), practice.details,
                     (path, item.line_of("answer")), problems)
    return Entry(
        id=entry_id,
        question=" ".join(str(item["question"]).split()),
        paraphrases=tuple(" ".join(p.split()) for p in paraphrases),
        answer=answer,
        related=_string_list(item, "related", path, problems),
        tags=_string_list(item, "tags", path, problems),
        topic=topic,
        path=path,
        line=item.line,
        review={name: str(item[name]) for name in REVIEW_FIELDS if item.get(name)},
        paraphrase_lines=tuple(paraphrases.item_lines),
        field_lines=dict(item.key_lines),
    )


def _string_list(item: LineMap, key: str, path: Path, problems: list[Problem]) -> tuple[str, ...]:
    value = item.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(path, item.line_of(key), f"`{key}` must be a list of words"))
        return ()
    return tuple(value)


def _check_links_between(entries: tuple[Entry, ...], problems: list[Problem]) -> None:
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in seen:
            first = seen[entry.id]
            problems.append(Problem(entry.path, entry.line, f"duplicate id '{entry.id}' "
                                    f"(first at {first.path.name}:{first.line})"))
        seen.setdefault(entry.id, entry)
    for entry in entries:
        for target in entry.related:
            if target not in seen:
                line = entry.field_lines.get("related", entry.line)
                problems.append(Problem(entry.path, line, f"`related` of '{entry.id}' "
                                        f"points to '{target}', which does not exist"))
