"""`faqbot check --strict`: what does not break the bot but makes it worse over time.

Every finding is a `Problem` with severity "warning" and the file and line to
edit: overdue reviews, answers too long for a chat bubble (with their reading
level), entries with too few paraphrases, entries no evaluation question
covers, synonyms that map a word onto itself, and crisis examples that only
repeat a rule's phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from faqbot.bot import Bot
from faqbot.errors import KnowledgeError, Problem
from faqbot.language import Language, get_language
from faqbot.model import Entry, Settings

# Defaults; a knowledge base sets its own under `review:` in settings.yaml.
MAX_ANSWER_WORDS = Settings().max_answer_words
MIN_PARAPHRASES = Settings().min_paraphrases
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Readability:
    """How hard a text is to read, by its language's formulas (in English: Flesch reading
    ease, higher is easier and 60-70 is plain English; and the US school grade)."""

    words: int
    sentences: int
    syllables: int
    ease: float
    # None for a language without a grade formula.
    grade: float | None = None


def readability(text: str, language: Language | None = None) -> Readability:
    """Word, sentence and syllable counts of `text` (links count by their visible text)."""
    rules = (language or get_language("en")).readability
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    words = re.findall(rules["word"], text)
    sentences = max(len(re.findall(r"[.!?]+(?:\s|$)", text)), 1)
    counted = sum(syllables(word, language) for word in words)
    rates = (len(words) / sentences, counted / max(len(words), 1))
    grade = _formula(rules["grade"], *rates) if rules.get("grade") else None
    return Readability(len(words), sentences, counted, _formula(rules["ease"], *rates), grade)


def _formula(terms: dict[str, float], words_per_sentence: float, per_word: float) -> float:
    """`base + per_sentence * words/sentence + per_syllable * syllables/word`."""
    return (
        terms["base"]
        + terms["per_sentence"] * words_per_sentence
        + terms["per_syllable"] * per_word
    )


def syllables(word: str, language: Language | None = None) -> int:
    """A rough syllable count: vowel groups, minus a silent ending (English: a final e)."""
    rules = (language or get_language("en")).readability
    word = word.lower()
    groups = len(re.findall(rules["vowel_groups"], word))
    silent = rules.get("silent_ending")
    if silent and groups > 1 and re.search(silent, word):
        groups -= 1
    return max(groups, 1)


def review_warnings(
    bot: Bot, eval_files: Iterable[Path] = (), today: date | None = None
) -> list[Problem]:
    """Every strict-mode warning, sorted by file and line."""
    knowledge = bot.knowledge
    today = today or date.today()
    problems: list[Problem] = []
    for entry in knowledge.entries:
        problems += overdue_review(entry, today)
        problems += long_answer(entry, knowledge.settings.max_answer_words, bot.normalizer.language)
        problems += few_paraphrases(entry, knowledge.settings.min_paraphrases)
    problems += uncovered_entries(knowledge.entries, list(eval_files))
    problems += self_synonyms(knowledge.root / "synonyms.yaml")
    problems += examples_a_rule_says(bot)
    return sorted(problems, key=lambda p: (str(p.path), p.line, p.message))


def overdue_review(entry: Entry, today: date) -> list[Problem]:
    """A `review_due` date in the past, or one that is not a date."""
    due = entry.review.get("review_due")
    if not due:
        return []
    line = entry.field_lines.get("review_due", entry.line)
    try:
        due_day = date.fromisoformat(due)
    except ValueError:
        return [
            _warning(
                entry.path, line, f"review_due of '{entry.id}' is not a date (YYYY-MM-DD): {due!r}"
            )
        ]
    if due_day >= today:
        return []
    return [_warning(entry.path, line, f"review of '{entry.id}' was due on {due}")]


def long_answer(
    entry: Entry, max_words: int = MAX_ANSWER_WORDS, language: Language | None = None
) -> list[Problem]:
    """An answer longer than a chat bubble, with how hard it is to read."""
    level = readability(entry.answer, language)
    if level.words <= max_words:
        return []
    line = entry.field_lines.get("answer", entry.line)
    return [
        _warning(
            entry.path,
            line,
            f"answer of '{entry.id}' has {level.words} words "
            f"(a chat bubble holds about {max_words}); reading ease {level.ease:.0f}"
            + (f", grade {level.grade:.1f}" if level.grade is not None else ""),
        )
    ]


def few_paraphrases(entry: Entry, minimum: int = MIN_PARAPHRASES) -> list[Problem]:
    """Fewer paraphrases than visitors need to be recognised."""
    if len(entry.paraphrases) >= minimum:
        return []
    line = entry.field_lines.get("paraphrases", entry.line)
    return [
        _warning(
            entry.path,
            line,
            f"'{entry.id}' has {len(entry.paraphrases)} paraphrase(s); write at least {minimum}",
        )
    ]


def uncovered_entries(entries: Iterable[Entry], eval_files: list[Path]) -> list[Problem]:
    """Entries no evaluation question expects (nothing measures whether they are found)."""
    if not eval_files:
        return []
    covered, problems = set(), []
    from faqbot.eval_set import load_eval_set

    for path in eval_files:
        try:
            covered |= {case.expect for case in load_eval_set(path).cases if case.expect}
        except (KnowledgeError, OSError) as error:
            problems.append(_warning(path, 0, f"evaluation set not used: {error}"))
    names = ", ".join(path.name for path in eval_files)
    problems += [
        _warning(e.path, e.line, f"no evaluation question expects '{e.id}' ({names})")
        for e in entries
        if e.id not in covered
    ]
    return problems


def self_synonyms(path: Path) -> list[Problem]:
    """Variants listed under their own canonical word: they do nothing and hide mistakes."""
    from faqbot.yaml_source import LineMap, read_yaml

    if not path.exists():
        return []
    data = read_yaml(path)
    if not isinstance(data, LineMap):
        return []
    problems = []
    for canonical, variants in data.items():
        for variant in variants if isinstance(variants, list) else []:
            if " ".join(str(variant).lower().split()) == str(canonical).lower():
                problems.append(
                    _warning(
                        path,
                        data.line_of(canonical),
                        f"'{variant}' is listed as a synonym of itself",
                    )
                )
    return problems


def examples_a_rule_says(bot: Bot) -> list[Problem]:
    """Crisis examples in the exemplar bank that are a strong rule's phrase and nothing more.

    The rule catches that wording already, so the example teaches the detector nothing;
    the bank is for the wordings rules miss (said around the phrase, misspelt, indirect)."""
    from faqbot.safety_bank import BANK_FOLDER, CRISIS_CATEGORIES
    from faqbot.yaml_source import LineList, LineMap, read_yaml

    problems = []
    for path in sorted((bot.knowledge.root / BANK_FOLDER).glob("*.yaml")):
        data = read_yaml(path)
        if not isinstance(data, LineMap) or data.get("category") not in CRISIS_CATEGORIES:
            continue
        examples = data.get("examples")
        for index, text in enumerate(examples if isinstance(examples, LineList) else []):
            rule = bot.rule_saying_all_of(str(text))
            if rule:
                message = (
                    f"example '{text}' is the rule '{rule}' word for word: the rule catches it"
                    " already; write how a visitor says it around the phrase, or drop it"
                )
                problems.append(_warning(path, examples.line_of(index), message))
    return problems


def default_eval_files(knowledge_root: Path) -> list[Path]:
    """tests/eval/*.yaml next to the knowledge folder, else under the current directory."""
    for folder in (knowledge_root.resolve().parent / "tests" / "eval", Path("tests") / "eval"):
        files = sorted(folder.glob("*.yaml"))
        if files:
            return files
    return []


def _warning(path: Path | str, line: int, message: str) -> Problem:
    return Problem(path, line, message, severity=WARNING)
