"""Everything `faqbot check` finds wrong in a loaded knowledge base, beyond what stops loading.

Loading already rejects invalid YAML, missing fields, duplicate ids and
`related` pointing nowhere.  This adds what needs the normalizer: duplicate
and confusable paraphrases, raw HTML or unsafe link schemes, and paraphrases
with no meaningful words.
"""

from __future__ import annotations

from pathlib import Path

from rapidfuzz import fuzz, process

from faqbot.bot import Bot
from faqbot.errors import Problem
from faqbot.markup import markup_problems
from faqbot.model import Entry
from faqbot.safety_check import Level

# Paraphrases of two different entries at least this similar (normalized) will be confused.
CONFUSABLE_SIMILARITY = 92


def find_problems(bot: Bot) -> list[Problem]:
    """All problems, sorted by file and line."""
    rows, problems = _phrasing_rows(bot)
    problems += [
        *_markup(bot),
        *_duplicates(rows),
        *_confusable(rows),
        *_safety_overlaps(bot),
    ]
    return _sorted(problems)


def serving_problems(bot: Bot) -> list[Problem]:
    """What `faqbot serve` and a reload refuse, with `faqbot check`'s messages: raw HTML and
    links a visitor must never be sent.  This costs about a microsecond a phrasing, so it
    runs at every start; the rest of `check` (duplicate, empty and confusable paraphrases,
    overlaps with the safety layer) is about answering well, needs the normalizer or every
    pair (minutes at 100,000 paraphrases), and stays `faqbot check`'s alone.
    """
    return _sorted(_markup(bot))


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (str(p.path), p.line, p.message))


def _markup(bot: Bot) -> list[Problem]:
    knowledge = bot.knowledge
    problems: list[Problem] = []
    for entry in knowledge.entries:
        line = entry.field_lines.get("answer", entry.line)
        for message in markup_problems(entry.answer):
            problems.append(Problem(entry.path, line, f"answer of '{entry.id}': {message}"))
        for text, text_line in _phrasings_with_lines(entry):
            if markup_problems(text):
                problems.append(
                    Problem(
                        entry.path,
                        text_line,
                        f"'{entry.id}': no markup or HTML in questions and paraphrases",
                    )
                )
    practice = knowledge.root / "practice.yaml"
    sentences = knowledge.practice
    for section in ("messages", "widget", "page"):
        for name, text in getattr(sentences, section).items():
            problems.extend(
                Problem(practice, 0, f"{section} `{name}`: {m}") for m in markup_problems(text)
            )
    safety = knowledge.root / "safety.yaml"
    for text in (knowledge.safety.message, knowledge.safety.after_resources):
        problems.extend(Problem(safety, 0, m) for m in markup_problems(text))
    return problems


def _safety_overlaps(bot: Bot) -> list[Problem]:
    """A way of asking that the safety layer reads as a crisis can never be answered."""
    problems = []
    phrasings = [
        (e, text, line) for e in bot.knowledge.entries for text, line in _phrasings_with_lines(e)
    ]
    verdicts = bot.safety_of_phrasings([text for _, text, _ in phrasings])
    for (entry, text, line), verdict in zip(phrasings, verdicts, strict=True):
        category = verdict.category if verdict.level is Level.CRISIS else None
        if category:
            problems.append(
                Problem(
                    entry.path,
                    line,
                    f"'{text}' ('{entry.id}') reads as a "
                    f"crisis ({category}) to the safety layer, so it can "
                    "never be answered: reword it or add a safety exception",
                )
            )
    return problems


def _phrasings_with_lines(entry: Entry) -> list[tuple[str, int]]:
    question_line = entry.field_lines.get("question", entry.line)
    lines = entry.paraphrase_lines or (entry.line,) * len(entry.paraphrases)
    return [(entry.question, question_line), *zip(entry.paraphrases, lines, strict=False)]


def _phrasing_rows(bot: Bot) -> tuple[list[tuple[Entry, str, int, str]], list[Problem]]:
    """Every phrasing with its normalized key, and the phrasings that have no words."""
    rows: list[tuple[Entry, str, int, str]] = []
    problems: list[Problem] = []
    for entry in bot.knowledge.entries:
        for text, line in _phrasings_with_lines(entry):
            tokens = bot.normalizer.tokens(text)
            if not tokens:
                problems.append(Problem(entry.path, line, f"'{text}' has no words to match on"))
                continue
            rows.append((entry, text, line, " ".join(sorted(tokens))))
    return rows, problems


def _duplicates(rows: list[tuple[Entry, str, int, str]]) -> list[Problem]:
    first: dict[str, tuple[Entry, int]] = {}
    problems = []
    for entry, text, line, _ in rows:
        key = " ".join(text.casefold().split())
        if key in first:
            other, other_line = first[key]
            where = (
                "twice in the same entry" if other.id == entry.id else f"also under '{other.id}'"
            )
            problems.append(
                Problem(
                    entry.path,
                    line,
                    f"paraphrase '{text}' appears {where} ({_short(other.path)}:{other_line})",
                )
            )
        else:
            first[key] = (entry, line)
    return problems


def _confusable(rows: list[tuple[Entry, str, int, str]]) -> list[Problem]:
    keys = [row[3] for row in rows]
    problems = []
    for i, key in enumerate(keys):
        close = process.extract(
            key, keys, scorer=fuzz.ratio, score_cutoff=CONFUSABLE_SIMILARITY, limit=None
        )
        for _, _, j in close:
            a, b = rows[i], rows[j]
            if i < j and a[0].id != b[0].id and a[1].casefold() != b[1].casefold():
                # Identical after normalization: retrieval cannot tell them apart at all.
                same = a[3] == b[3]
                verdict = "that they will be confused" if same else "that they may be confused"
                problems.append(
                    Problem(
                        b[0].path,
                        b[2],
                        f"'{b[1]}' ('{b[0].id}') is so close "
                        f"to '{a[1]}' ('{a[0].id}', {_short(a[0].path)}:{a[2]}) "
                        f"{verdict}",
                        "error" if same else "warning",
                    )
                )
    return problems


def _short(path: Path) -> str:
    return path.name
