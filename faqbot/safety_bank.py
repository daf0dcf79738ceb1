"""Read the safety exemplar bank: knowledge/safety_examples/<category>.<language>.yaml.

The learned detector (faqbot.safety_model) is trained on these examples at every
knowledge-base build, so a maintainer adds an example in YAML and sees it take
effect on the next load.  Each file says its `category` (a crisis category,
`concern` for what deserves a check-in, or `none`), its `lang` and `examples`, one
a line; problems are reported with file and line like the rest of the loader.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from faqbot.errors import KnowledgeError, Problem
from faqbot.phrase_matcher import TextTable
from faqbot.yaml_source import LineList, LineMap, read_yaml

BANK_FOLDER = "safety_examples"
CRISIS_CATEGORIES = frozenset(
    {
        "suicide",
        "self_harm",
        "overdose",
        "sexual_assault",
        "partner_violence",
        "child_abuse",
        "immediate_danger",
        "harm_to_others",
    }
)
CONCERN = "concern"
NONE = "none"
CATEGORIES = CRISIS_CATEGORIES | {CONCERN, NONE}


class Exemplar(NamedTuple):
    """One example message and what it is: a crisis category, `concern` or `none`."""

    text: str
    category: str
    language: str = "en"


class ExemplarTable(Sequence[Exemplar]):
    """The bank as three columns of strings, not 14,000 named tuples: it is pickled with
    the knowledge base into the start-up cache, and that many tuples take about 5 ms to
    unpickle on every `faqbot ask`; three `TextTable`s take a fraction of one."""

    def __init__(self, exemplars: Iterable[Exemplar]) -> None:
        rows = list(exemplars)
        self._texts = TextTable(row.text for row in rows)
        self._categories = TextTable(row.category for row in rows)
        self._languages = TextTable(row.language for row in rows)

    def __len__(self) -> int:
        return len(self._texts)

    def __getitem__(self, number: int) -> Exemplar:  # type: ignore[override]
        if isinstance(number, slice):
            return [self[i] for i in range(*number.indices(len(self)))]  # type: ignore[return-value]
        return Exemplar(self._texts[number], self._categories[number], self._languages[number])

    def __iter__(self) -> Iterator[Exemplar]:
        return map(Exemplar, self._texts, self._categories, self._languages)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  (equal by value, like a list)


def read_bank(folder: Path, problems: list[Problem]) -> ExemplarTable:
    """Every example under `folder/safety_examples/`, in file order (none: no folder)."""
    bank = folder / BANK_FOLDER
    if not bank.is_dir():
        return ExemplarTable(())
    found: list[Exemplar] = []
    for path in sorted(bank.glob("*.yaml")):
        found.extend(_read_file(path, problems))
    return ExemplarTable(found)


def _read_file(path: Path, problems: list[Problem]) -> list[Exemplar]:
    try:
        data = read_yaml(path)
    except KnowledgeError as error:
        problems.extend(error.problems)
        return []
    if not isinstance(data, LineMap):
        problems.append(Problem(path, 1, "expected `category`, `lang` and `examples`"))
        return []
    category = str(data.get("category") or "")
    if category not in CATEGORIES:
        known = ", ".join(sorted(CATEGORIES))
        message = f"`category` '{category}' is not one of: {known}"
        problems.append(Problem(path, data.line_of("category"), message))
        return []
    language = str(data.get("lang") or "en")
    examples = data.get("examples")
    if not isinstance(examples, LineList):
        problems.append(Problem(path, data.line_of("examples"), "`examples` must be a list"))
        return []
    return [Exemplar(text, category, language) for text in example_lines(examples, path, problems)]


def example_lines(
    examples: LineList, path: Path, problems: list[Problem], max_chars: int | None = None
) -> list[str]:
    """Each example of a YAML list as one line of text, spaces collapsed; a problem (file and
    line) for anything else.  Shared by the exemplar bank and the out-of-scope examples."""
    found = []
    for index, text in enumerate(examples):
        line = examples.line_of(index)
        if not isinstance(text, str | int | float) or isinstance(text, bool) or not str(text):
            message = (
                "each example must be a line of text (quote one YAML reads as yes/no or a list)"
            )
            problems.append(Problem(path, line, message))
        elif max_chars is not None and len(str(text)) > max_chars:
            problems.append(Problem(path, line, f"an example is at most {max_chars} characters"))
        else:
            found.append(" ".join(str(text).split()))
    return found
