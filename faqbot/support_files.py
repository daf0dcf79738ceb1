"""Read the support files: practice.yaml, settings.yaml, safety.yaml and synonyms.yaml.

Each reader collects problems instead of raising, so one `faqbot check` run
lists everything wrong at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import product
from pathlib import Path
from typing import Any

from faqbot.errors import Problem
from faqbot.language import Language, UnknownLanguage, get_language, known_languages
from faqbot.model import ALTERNATIVES, PLACEHOLDER, Practice, Safety, Settings
from faqbot.phrase_matcher import TextTable
from faqbot.reply import Resource
from faqbot.retrieval import SIGNAL_NAMES
from faqbot.safety_files import language_words, model_settings, resources_by_category
from faqbot.shapes import mapping_at, records_at, texts_at
from faqbot.yaml_source import LineMap

# `<name>`: a reference to a safety group (split keeps the names at odd positions).
GROUP_REFERENCE = re.compile(r"<([^<>]*)>")
SETTING_SECTIONS = ("retrieval", "decision", "limits", "review", "report")
# Settings that count things must be whole numbers; similarities are percentages.
WHOLE_NUMBERS = frozenset(
    {
        "typo_min_length",
        "candidates",
        "semantic_candidates",
        "entry_semantic_phrasings",
        "entry_words_rounds",
        "max_options",
        "max_question_chars",
        "max_file_bytes",
        "max_answer_words",
        "min_paraphrases",
    }
)
AT_LEAST_ONE = frozenset(
    {
        "candidates",
        "entry_semantic_phrasings",
        "max_options",
        "max_question_chars",
        "max_file_bytes",
        "max_answer_words",
    }
)
PERCENTAGES = frozenset({"typo_similarity", "group_similarity"})
PRACTICE_SECTIONS = ("messages", "disclaimer", "suggestions", "widget", "page")


def fill_placeholders(text: str, details: dict[str, str]) -> tuple[str, list[str]]:
    """Replace `{phone}`-style names from practice.yaml; return the text and unknown names."""
    unknown = [name for name in PLACEHOLDER.findall(text) if name not in details]
    filled = PLACEHOLDER.sub(lambda m: details.get(m.group(1), m.group(0)), text)
    return filled, unknown


def filled(
    text: str, details: dict[str, str], where: tuple[Path, int], problems: list[Problem]
) -> str:
    """`text` with its placeholders filled; unknown ones are reported at `where`."""
    result, unknown = fill_placeholders(text, details)
    problems.extend(Problem(where[0], where[1], f"unknown placeholder {{{n}}}") for n in unknown)
    return result


def text_at(data: LineMap, key: str, path: Path, problems: list[Problem]) -> str:
    """Required, non-empty text, with whitespace folded."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(path, data.line_of(key), f"`{key}` must be non-empty text"))
        return ""
    return " ".join(value.split())


def load_practice(
    data: LineMap, path: Path, problems: list[Problem], language: Language | None = None
) -> Practice:
    """The practice's details, disclaimer, sentences and suggested entries."""
    language = language or get_language(Settings().language)
    details = {
        key: "" if value is None else " ".join(str(value).split())
        for key, value in data.items()
        if key not in PRACTICE_SECTIONS
    }
    where = (path, data.line_of("disclaimer"))
    disclaimer = filled(text_at(data, "disclaimer", path, problems), details, where, problems)

    def sentences(section: str, defaults: dict[str, str]) -> dict[str, str]:
        own = mapping_at(data, section, path, problems)
        return _sentences(own, defaults, details, path, problems)

    messages = sentences("messages", language.messages)
    raw_suggestions = mapping_at(data, "suggestions", path, problems)
    suggestions = {
        name: texts_at(raw_suggestions, name, path, problems) for name in raw_suggestions
    }
    widget, page = sentences("widget", language.widget), sentences("page", language.page)
    return Practice(details, disclaimer, messages, suggestions, widget, page)


def _sentences(
    own: LineMap,
    defaults: dict[str, str],
    details: dict[str, str],
    path: Path,
    problems: list[Problem],
) -> dict[str, str]:
    """The language's `defaults` overridden by the practice's `own`, details filled in.

    A placeholder the default itself has and the details do not ({error}, {seconds})
    is a value a front end fills in when it says the sentence: it is kept.
    """
    result = {name: fill_placeholders(text, details)[0] for name, text in defaults.items()}
    for name, text in own.items():
        if text is None or not str(text).strip():
            continue  # an empty sentence keeps the default
        kept = {n: f"{{{n}}}" for n in PLACEHOLDER.findall(defaults.get(name, ""))}
        where = (path, own.line_of(name))
        result[name] = filled(" ".join(str(text).split()), {**kept, **details}, where, problems)
    return result


def load_settings(data: LineMap, path: Path, problems: list[Problem]) -> Settings:
    """Thresholds and weights, each checked for type and range."""
    values: dict[str, Any] = {}
    known = set(Settings._fields)
    for section in SETTING_SECTIONS:
        block = mapping_at(data, section, path, problems)
        for key, value in block.items():
            line = block.line_of(key)
            if key == "weights":
                values[key] = _weights(mapping_at(block, key, path, problems), line, path, problems)
            elif key == "courtesy_words":
                values[key] = tuple(w.lower() for w in texts_at(block, key, path, problems))
            else:
                _number(key, value, (path, line), known, values, problems)
    if "language" in data:
        values["language"] = _language_name(
            data["language"], (path, data.line_of("language")), problems
        )
    for section in set(data) - {*SETTING_SECTIONS, "language"}:
        problems.append(Problem(path, data.line_of(section), f"unknown section `{section}`"))
    if "courtesy_words" not in values:
        values["courtesy_words"] = get_language(values.get("language", "en")).courtesy_words
    return Settings(**values)


def _weights(data: LineMap, line: int, path: Path, problems: list[Problem]) -> dict[str, float]:
    """One weight ≥ 0 per signal of `faqbot.retrieval.SIGNALS`: none unknown, none missing."""
    weights: dict[str, float] = {}
    for name, value in data.items():
        where = (path, data.line_of(name))
        if name not in SIGNAL_NAMES:
            known = ", ".join(SIGNAL_NAMES)
            problems.append(Problem(*where, f"unknown signal `{name}` (signals: {known})"))
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.append(Problem(*where, f"weight `{name}` must be a number ≥ 0"))
        else:
            weights[name] = float(value)
    missing = [name for name in SIGNAL_NAMES if name not in data]
    if missing:
        names = ", ".join(f"`{name}`" for name in missing)
        problems.append(
            Problem(path, line, f"`weights` has no weight for {names} (0 turns one off)")
        )
    return {name: weights.get(name, 0.0) for name in SIGNAL_NAMES}


def _language_name(value: Any, where: tuple[Path, int], problems: list[Problem]) -> str:
    """`value` when faqbot has that language; else a problem, and English meanwhile."""
    try:
        get_language(str(value))
    except UnknownLanguage:
        known = ", ".join(known_languages())
        problems.append(Problem(*where, f"unknown language `{value}` (faqbot has: {known})"))
        return Settings().language
    return str(value)


def _number(
    key: str,
    value: Any,
    where: tuple[Path, int],
    known: set[str],
    values: dict[str, Any],
    problems: list[Problem],
) -> None:
    def complain(message: str) -> None:
        problems.append(Problem(where[0], where[1], message))

    if key not in known or key == "courtesy_words":
        complain(f"unknown setting `{key}`")
    elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        complain(f"setting `{key}` must be a number ≥ 0")
    elif key in WHOLE_NUMBERS and value != int(value):
        complain(f"setting `{key}` must be a whole number")
    elif key in AT_LEAST_ONE and value < 1:
        complain(f"setting `{key}` must be at least 1")
    elif key in PERCENTAGES and value > 100:
        complain(f"setting `{key}` is a similarity from 0 to 100")
    else:
        values[key] = int(value) if key in WHOLE_NUMBERS else value


def load_safety(data: LineMap, path: Path, practice: Practice, problems: list[Problem]) -> Safety:
    """Crisis message, resources, signals (with groups expanded) and exceptions."""
    details = practice.details
    message = filled(
        text_at(data, "message", path, problems), details, (path, data.line_of("message")), problems
    )
    after = filled(
        " ".join(str(data.get("after_resources") or "").split()),
        details,
        (path, data.line_of("after_resources")),
        problems,
    )
    resources, ids = [], []
    for item in records_at(data, "resources", path, problems):
        if not isinstance(item.get("name"), str | int) or not item.get("contact"):
            problems.append(
                Problem(path, item.line, "each resource needs a `name` and a `contact`")
            )
            continue
        resources.append(
            Resource(str(item["name"]), str(item["contact"]), str(item.get("link") or ""))
        )
        ids.append(str(item.get("id") or len(ids)))
    if not resources:
        problems.append(Problem(path, data.line_of("resources"), "no crisis resources listed"))
    raw_groups = mapping_at(data, "groups", path, problems)
    groups = Groups({name: texts_at(raw_groups, name, path, problems) for name in raw_groups})
    signals = _signals(mapping_at(data, "signals", path, problems), groups, path, problems)
    # Exceptions may use groups too (`<od_num> minutes`), expanded like a one-part signal.
    where = (path, data.line_of("exceptions"))
    exceptions = tuple(
        p
        for text in texts_at(data, "exceptions", path, problems)
        for p in groups.expand(text, where, problems)
    )
    heading = " ".join(str(data.get("heading") or practice.message("crisis_heading")).split())
    summary = " ".join(str(data.get("summary") or "").split())
    raw_checkins = mapping_at(data, "checkin_signals", path, problems)
    checkin = " ".join(str(data.get("checkin") or "").split())
    return Safety(
        message,
        after,
        tuple(resources),
        signals,
        exceptions,
        heading,
        summary,
        checkin=checkin,
        jokes=texts_at(data, "jokes", path, problems),
        not_joking=texts_at(data, "not_joking", path, problems),
        checkin_signals=_signals(raw_checkins, groups, path, problems) if raw_checkins else {},
        by_category=resources_by_category(data, ids, tuple(resources), path, problems),
        language_words=language_words(data, path, problems),
        model_settings=model_settings(data, path, problems),
    )


def _signals(
    raw: LineMap, groups: Groups, path: Path, problems: list[Problem]
) -> dict[str, Sequence[str]]:
    """Expand `<group>` references: `<someone> hits me` -> `he hits me`, `she hits me`, ..."""
    if not raw:
        problems.append(Problem(path, 0, "`signals` must map categories to lists of phrases"))
    signals: dict[str, Sequence[str]] = {}
    for category in raw:
        where = (path, raw.line_of(category))
        phrases = texts_at(raw, category, path, problems)
        # A table, not a tuple: groups expand to tens of thousands of phrases, and a
        # tuple of them is most of what the start-up cache spends on the knowledge base.
        signals[category] = TextTable(
            p for phrase in phrases for p in _expanded_signal(phrase, groups, where, problems)
        )
    return signals


def _expanded_signal(
    phrase: str, groups: Groups, where: tuple[Path, int], problems: list[Problem]
) -> list[str]:
    """A one-part signal as its phrases; an `a + b` signal as one string whose parts list
    their phrases apart (`a1 | a2 + b1 | b2`): the parts are independent, so expanding
    them together would multiply their sizes (tens of thousands of phrases for one line)."""
    if " + " not in phrase:
        return groups.expand(phrase, where, problems)
    # The weak mark (`~ a + b`) belongs to the signal, not to its first part's phrases.
    mark, text = ("~ ", phrase[1:].strip()) if phrase.startswith("~") else ("", phrase)
    parts = [groups.expand(part.strip(), where, problems) for part in text.split(" + ")]
    if not all(parts):
        return []
    return [mark + " + ".join(ALTERNATIVES.join(dict.fromkeys(part)) for part in parts)]


class Groups:
    """The safety file's `groups`, for `<name>` references in its phrases.

    A group may use other groups (`abuse_past: [<someone> hit me]`), so each group is
    expanded once, on first use, and a phrase is the product of its literal text and
    its groups' expansions, in the order written: `<someone> hits me` -> `he hits me`,
    `she hits me`, ...  (Tens of thousands of phrases: expanding them one reference at
    a time, by searching each partly expanded copy again, was half of a load.)"""

    def __init__(self, words: dict[str, tuple[str, ...]]) -> None:
        self._words = words
        self._expanded: dict[str, list[str]] = {}
        self._expanding: set[str] = set()

    def expand(self, phrase: str, where: tuple[Path, int], problems: list[Problem]) -> list[str]:
        """Every phrase `phrase` stands for; none, with a problem, for an unknown group."""
        parts = GROUP_REFERENCE.split(phrase)
        if len(parts) == 1:
            return [phrase]
        choices: list[Sequence[str]] = []
        for i, part in enumerate(parts):
            if i % 2 == 0:  # text between references
                choices.append((part,))
                continue
            # Any `<name>` is a reference, so a name the file never defines is reported,
            # not matched as the literal text "<name>".
            words = self._group(part, where, problems)
            if words is None:
                known = part in self._expanding
                message = f"group <{part}> uses itself" if known else f"unknown group <{part}>"
                problems.append(Problem(*where, f"{message} in '{phrase}'"))
                return []
            choices.append(words)
        return ["".join(choice) for choice in product(*choices)]

    def _group(
        self, name: str, where: tuple[Path, int], problems: list[Problem]
    ) -> list[str] | None:
        """The group's phrases, its own references expanded (None: unknown, or itself)."""
        if name in self._expanded:
            return self._expanded[name]
        if not self._words.get(name) or name in self._expanding:
            return None
        self._expanding.add(name)
        words = [p for word in self._words[name] for p in self.expand(word, where, problems)]
        self._expanding.discard(name)
        self._expanded[name] = words
        return words


def load_synonyms(data: LineMap, path: Path, problems: list[Problem]) -> dict[str, str]:
    """variant phrase -> canonical word; a variant under two canonicals is a problem."""
    synonyms: dict[str, str] = {}
    for canonical in data:
        line = data.line_of(canonical)
        for variant in texts_at(data, canonical, path, problems):
            key = " ".join(variant.lower().split())
            if key in synonyms and synonyms[key] != canonical.lower():
                problems.append(
                    Problem(
                        path,
                        line,
                        f"'{key}' is listed under both '{synonyms[key]}' and '{canonical}'",
                    )
                )
            synonyms[key] = canonical.lower()
    return synonyms
